"""Consent: a patient's signature on one version of a consent document for one course
(docs/fhir-treatment.md); id its `Consent.code`.

Scope "treatment"; category LOINC 59284-0 "Patient Consent", which the R4 consent-category
value set lists. The signed text is the staff consent PDF (a relative URL on this server,
opened with a staff sign-in) and the policy rule names the document version signed.
"""

from __future__ import annotations

import functools
import uuid

from django.db.models import Q, QuerySet
from django.urls import reverse

from prolo.clinic.fhir import params
from prolo.clinic.fhir.refs import code_q, ref
from prolo.clinic.fhir.registry import (
    Include,
    Resource,
    ResourceType,
    SearchParam,
    Source,
    register,
)
from prolo.clinic.fhir.resources.procedure import COURSE_TYPES, iso, labels
from prolo.clinic.models import Consent, ConsentMethod, Language
from prolo.clinic.permissions import Actor, Perm

CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_STATE = "http://hl7.org/fhir/consent-state-codes"
LOINC = "http://loinc.org"
LANGUAGES = labels(Language)
METHODS = labels(ConsentMethod)
_PLACEHOLDER = uuid.UUID(int=0)
# Prolo's languages that are BCP-47 tags ("other" is not).
BCP47 = {Language.ENGLISH.value, Language.SPANISH.value}


@functools.cache
def _url_template(name: str) -> str:
    """A staff URL with `{}` for the code: reversed once, not per resource (Bulk export)."""
    return reverse(name, args=[_PLACEHOLDER]).replace(str(_PLACEHOLDER), "{}")


def pdf_url(name: str, code: uuid.UUID) -> str:
    return _url_template(name).format(code)


def to_fhir(consent: Consent) -> Resource:
    document = consent.document
    patient = consent.patient
    version = f"{document.title}, version {document.version} ({LANGUAGES[document.language]})"
    period = {"start": iso(consent.signed_at)}
    if consent.withdrawn_at is not None:
        period["end"] = iso(consent.withdrawn_at)
    attachment = {
        "contentType": "application/pdf",
        "url": pdf_url("staff:consent-pdf", consent.code),
        "title": f"{version}, {METHODS[consent.method].lower()}",
        "creation": iso(consent.signed_at),
    }
    if document.language in BCP47:
        attachment["language"] = document.language
    return {
        "resourceType": "Consent",
        "id": str(consent.code),
        "status": "inactive" if consent.withdrawn_at is not None else "active",
        "scope": {
            "coding": [{"system": CONSENT_SCOPE, "code": "treatment", "display": "Treatment"}]
        },
        "category": [
            {
                "coding": [{"system": LOINC, "code": "59284-0", "display": "Patient Consent"}],
                "text": f"Consent to treatment: {COURSE_TYPES[document.course_type]}",
            }
        ],
        "patient": ref("Patient", patient.code),
        "dateTime": iso(consent.signed_at),
        "performer": [ref("Patient", patient.code, consent.typed_name)],
        "organization": [ref("Organization", patient.clinic.code)],
        "sourceAttachment": attachment,
        "policyRule": {"text": f"{version}: the clinic's consent document the patient signed."},
        "provision": {
            "type": "permit",
            "period": period,
            "data": [{"meaning": "related", "reference": ref("CarePlan", consent.course.code)}],
        },
    }


def consents(actor: Actor) -> QuerySet[Consent]:
    return Consent.objects.filter(patient__clinic=actor.clinic).select_related(
        "patient__clinic", "course", "document"
    )


def _status(value: str) -> Q:
    system, bar, code = value.partition("|")
    if not bar:
        system, code = CONSENT_STATE, value
    if system != CONSENT_STATE or code not in ("active", "inactive"):
        return Q(pk__in=[])
    return Q(withdrawn_at__isnull=code == "active")


SOURCE = Source(
    queryset=consents,
    to_fhir=to_fhir,
    id_q=code_q,
    patient_path="patient",
    params={
        "status": SearchParam(
            "status", "token", params.each(_status), "active, or inactive once withdrawn."
        ),
        "date": SearchParam("date", "date", params.date("signed_at"), "When it was signed."),
    },
    since_path=None,  # a withdrawal changes the resource after signed_at
    order_by=("id",),
)

register(
    ResourceType(
        name="Consent",
        read_perm=Perm.VIEW_CLINICAL,
        sources=(SOURCE,),
        includes=(Include("patient", "patient", "Patient"),),
    )
)
