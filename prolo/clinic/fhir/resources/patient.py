"""Patient: demographics only (the medical-history flags are not exposed as Patient).

The MRN is an identifier in a system URI per clinic, since MRNs are only unique within one.
Create registers a patient through `patient_register` (reception and clinicians).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from fhir.resources.R4B.patient import Patient as FhirPatient

from prolo.clinic.access import patients_for
from prolo.clinic.fhir import params, validate
from prolo.clinic.fhir.refs import code_q, ref
from prolo.clinic.fhir.registry import Resource, ResourceType, SearchParam, Source, register
from prolo.clinic.fhir.valuesets import ADMINISTRATIVE_GENDER, check
from prolo.clinic.models import Language, Patient
from prolo.clinic.outcomes.fhir_questionnaire import CANONICAL_BASE
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.patients import patient_register
from prolo.fhir.http import invalid

LANGUAGE_SYSTEM = "urn:ietf:bcp:47"
# Prolo's sex values are the administrative-gender codes; the mapping is the identity.
GENDER_TO_SEX = {code: code for code in ADMINISTRATIVE_GENDER.codes}
ELEMENTS = {
    "mrn": "Patient.identifier",
    "given_name": "Patient.name.given",
    "family_name": "Patient.name.family",
    "date_of_birth": "Patient.birthDate",
    "sex": "Patient.gender",
    "email": "Patient.telecom",
    "phone": "Patient.telecom",
    "address": "Patient.address",
    "preferred_language": "Patient.communication",
}


def mrn_system(clinic_code: Any) -> str:
    return f"{CANONICAL_BASE}/clinic/{clinic_code}/mrn"


def to_fhir(patient: Patient) -> Resource:
    resource: Resource = {
        "resourceType": "Patient",
        "id": str(patient.code),
        "identifier": [
            {
                "use": "usual",
                "type": {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}
                    ]
                },
                "system": mrn_system(patient.clinic.code),
                "value": patient.mrn,
            }
        ],
        "name": [{"use": "official", "family": patient.family_name, "given": [patient.given_name]}],
        "gender": patient.sex,
        "birthDate": patient.date_of_birth.isoformat(),
        "managingOrganization": ref("Organization", patient.clinic.code, patient.clinic.name),
    }
    telecom = [
        {"system": system, "value": value}
        for system, value in (("email", patient.email), ("phone", patient.phone))
        if value
    ]
    if telecom:
        resource["telecom"] = telecom
    if patient.address:
        resource["address"] = [{"text": patient.address}]
    if patient.preferred_language != Language.OTHER:
        language = {"coding": [{"system": LANGUAGE_SYSTEM, "code": patient.preferred_language}]}
        resource["communication"] = [{"language": language, "preferred": True}]
    return resource


def _queryset(actor: Actor) -> QuerySet[Patient]:
    return patients_for(actor).select_related("clinic")


def _identifier(value: str) -> Q:
    system, bar, mrn = value.partition("|")
    if not bar:
        return Q(mrn=value)
    if not system:
        return Q(pk__in=[])  # our MRNs always have a system
    prefix, _, clinic = system.removesuffix("/mrn").rpartition("/")
    try:
        clinic_code = uuid.UUID(clinic)
    except ValueError:
        return Q(pk__in=[])
    if prefix != f"{CANONICAL_BASE}/clinic":
        return Q(pk__in=[])
    q = Q(clinic__code=clinic_code)
    return q & Q(mrn=mrn) if mrn else q  # "system|" is any MRN of that clinic


PARAMS = {
    "identifier": SearchParam(
        "identifier", "token", params.each(_identifier), "The MRN: <system>|<mrn> or <mrn>."
    ),
    "name": SearchParam(
        "name", "string", params.string("family_name", "given_name"), "Family or given name."
    ),
    "family": SearchParam("family", "string", params.string("family_name")),
    "given": SearchParam("given", "string", params.string("given_name")),
    "birthdate": SearchParam("birthdate", "date", params.date("date_of_birth")),
    "gender": SearchParam(
        "gender",
        "token",
        params.token("sex", system=ADMINISTRATIVE_GENDER.system, to_db=GENDER_TO_SEX),
        "administrative-gender: male, female, other, unknown.",
    ),
}


# --- create ----------------------------------------------------------------------------------


def _first(resource: Resource, element: str) -> dict[str, Any]:
    values = resource.get(element) or [{}]
    return values[0] if isinstance(values, list) and isinstance(values[0], dict) else {}


def _mrn(resource: Resource) -> str:
    identifiers = validate.required(resource, "identifier", "Patient")
    for identifier in identifiers:
        if identifier.get("value"):
            return str(identifier["value"])
    raise invalid(
        "Patient.identifier: give the MRN as identifier.value.", "Patient.identifier", 422
    )


def _telecom(resource: Resource, system: str) -> str:
    for contact in resource.get("telecom") or []:
        if contact.get("system") == system and contact.get("value"):
            return str(contact["value"])
    return ""


def _address(resource: Resource) -> str:
    address = _first(resource, "address")
    if address.get("text"):
        return str(address["text"])
    parts = [*address.get("line", []), address.get("city"), address.get("postalCode")]
    return ", ".join(str(p) for p in parts if p)


def _language(resource: Resource) -> str:
    language = _first(resource, "communication").get("language") or {}
    codes = [c.get("code", "") for c in language.get("coding", [])]
    for code in codes:
        if code.split("-")[0] in (Language.ENGLISH, Language.SPANISH):
            return str(code.split("-")[0])
    return Language.OTHER if codes else Language.ENGLISH


def fields_from(resource: Resource) -> dict[str, Any]:
    validate.structure(resource, FhirPatient, "Patient")
    name = _first(resource, "name")
    given = name.get("given") or []
    if not name.get("family") or not given:
        raise invalid("Patient.name: family and given are required.", "Patient.name", 422)
    born = validate.fhir_date(
        validate.required(resource, "birthDate", "Patient"), "Patient.birthDate"
    )
    gender = check(
        validate.required(resource, "gender", "Patient"), ADMINISTRATIVE_GENDER, "Patient.gender"
    )
    return {
        "mrn": _mrn(resource),
        "given_name": " ".join(given),
        "family_name": name["family"],
        "date_of_birth": born,
        "sex": GENDER_TO_SEX[gender],
        "email": _telecom(resource, "email"),
        "phone": _telecom(resource, "phone"),
        "address": _address(resource),
        "preferred_language": _language(resource),
    }


def create(actor: Actor, resource: Resource) -> Patient:
    fields = fields_from(resource)
    try:
        return patient_register(actor=actor, **fields)
    except ValidationError as error:
        raise validate.model_errors(error, ELEMENTS) from None


PATIENTS = Source(
    queryset=_queryset,
    to_fhir=to_fhir,
    id_q=code_q,
    patient_path="",
    params=PARAMS,
    since_path=None,
    order_by=("id",),
)

register(
    ResourceType(
        name="Patient",
        read_perm=Perm.VIEW_DEMOGRAPHICS,
        sources=(PATIENTS,),
        create=create,
        create_perm=Perm.EDIT_DEMOGRAPHICS,
    )
)
