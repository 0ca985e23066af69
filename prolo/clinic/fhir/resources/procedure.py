"""Procedure: one per injection of a signed procedure note (docs/fhir-treatment.md).

A procedure note records one session's injections; each injection is one Procedure, id its
`Injection.code`, so an adverse event can name the very injection it followed. Drafts are left
out: a draft note can still change or lose injections, and the note PDF refuses drafts too.

No SNOMED CT concept for prolotherapy could be verified (domain notes §SNOMED), so the code is
text plus Prolo's course-type code system; the site and its side use Prolo's own code systems
(no laterality qualifier is verified either).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, TextChoices

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
from prolo.clinic.models import (
    Amendment,
    Anaesthetic,
    CourseType,
    Diluent,
    Guidance,
    Injection,
    InjectionStructure,
    NoteStatus,
    Side,
)
from prolo.clinic.outcomes.fhir_questionnaire import CANONICAL_BASE
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.sites import SITES_BY_CODE

CODE_SYSTEM_BASE = f"{CANONICAL_BASE}/CodeSystem/"
COURSE_TYPE_SYSTEM = f"{CODE_SYSTEM_BASE}course-type"
SITE_SYSTEM = f"{CODE_SYSTEM_BASE}injection-site"
SIDE_SYSTEM = f"{CODE_SYSTEM_BASE}side"
EXT_LATERALITY = f"{CANONICAL_BASE}/StructureDefinition/laterality"
EVENT_STATUS = "http://hl7.org/fhir/event-status"
PROCEDURE_TEXT = "Prolotherapy injection"

# The ORM path from an injection to what the resources of an injection point at.
SESSION = "note__session"
PATIENT = "note__session__course__patient"
# Matches every row, whether or not the engine special-cases an empty Q() when OR-ing.
EVERY = Q(pk__isnull=False)


def labels(choices: type[TextChoices]) -> dict[str, str]:
    """Value → label, looked up in a dict: get_FOO_display() costs more than the rest of a
    mapper, and Bulk export maps every row."""
    return {str(value): str(label) for value, label in choices.choices}


COURSE_TYPES = labels(CourseType)
SIDES = labels(Side)
STRUCTURES = labels(InjectionStructure)
GUIDANCE = labels(Guidance)
ANAESTHETICS = labels(Anaesthetic)
DILUENTS = labels(Diluent)


def iso(moment: dt.datetime | dt.date) -> str:
    return moment.isoformat()


def course_type_concept(course_type: str, label: str) -> dict[str, Any]:
    return {
        "coding": [{"system": COURSE_TYPE_SYSTEM, "code": course_type, "display": label}],
        "text": f"{PROCEDURE_TEXT} ({label})",
    }


def body_site(injection: Injection) -> dict[str, Any]:
    """Where: the coded site, the side as an extension (a different concept), and the text."""
    site = SITES_BY_CODE.get(injection.site_code)
    coding: dict[str, str] = {"system": SITE_SYSTEM, "code": injection.site_code}
    if site is not None and injection.site_code != "other":
        coding["display"] = site.label
    side = SIDES[injection.side]
    structure = STRUCTURES[injection.structure].lower()
    return {
        "extension": [
            {
                "url": EXT_LATERALITY,
                "valueCodeableConcept": {
                    "coding": [{"system": SIDE_SYSTEM, "code": injection.side, "display": side}],
                    "text": side,
                },
            }
        ],
        "coding": [coding],
        "text": f"{injection.site_label}, {side.lower()} ({structure})",
    }


def solution_name(injection: Injection) -> str:
    """'Dextrose 15% with lidocaine 0.5% in 0.9% saline' (and epinephrine when given)."""
    name = f"Dextrose {injection.dextrose_percent.normalize():f}%"
    if injection.anaesthetic != Anaesthetic.NONE:
        label = ANAESTHETICS[injection.anaesthetic].lower()
        name += f" with {label} {injection.anaesthetic_percent.normalize():f}%"
    if injection.epinephrine:
        name += " and epinephrine"
    if injection.diluent != Diluent.NONE:
        name += f" in {DILUENTS[injection.diluent]}"
    return name


def technique(injection: Injection) -> str:
    guidance = GUIDANCE[injection.guidance]
    return (
        f"{guidance} guidance; needle {injection.needle_gauge} G, {injection.needle_length_mm} mm;"
        f" {injection.volume_ml.normalize():f} mL of {solution_name(injection)}."
    )


def to_fhir(injection: Injection) -> Resource:
    note = injection.note
    session = note.session
    course = session.course
    signer = note.signed_by
    resource: Resource = {
        "resourceType": "Procedure",
        "id": str(injection.code),
        "basedOn": [ref("CarePlan", course.code)],
        "status": "completed",
        "code": course_type_concept(course.course_type, COURSE_TYPES[course.course_type]),
        "subject": ref("Patient", course.patient.code),
        "encounter": ref("Encounter", session.code),
        "performedDateTime": iso(session.scheduled_at),
        "bodySite": [body_site(injection)],
        "note": [{"text": technique(injection)}, *_amendments(note.amendments.all())],
    }
    if signer is not None:
        resource["performer"] = [{"actor": ref("Practitioner", signer.code, signer.display_name())}]
        resource["recorder"] = ref("Practitioner", signer.code)
    if note.complications.strip():
        resource["complication"] = [{"text": note.complications.strip()}]
    return resource


def _amendments(amendments: Any) -> list[dict[str, Any]]:
    return [
        {
            "authorReference": ref("Practitioner", a.author.code),
            "time": iso(a.created_at),
            "text": f"Amendment ({a.reason}): {a.text}",
        }
        for a in amendments
    ]


def signed_injections(actor: Actor) -> QuerySet[Injection]:
    """Every injection of a signed note in the actor's clinic: the access helper of both
    Procedure and MedicationAdministration."""
    return Injection.objects.filter(
        note__session__course__patient__clinic=actor.clinic, note__status=NoteStatus.SIGNED
    ).select_related("note__session__course__patient", "note__signed_by", "syringe")


def procedures(actor: Actor) -> QuerySet[Injection]:
    amendments = Amendment.objects.select_related("author")
    return signed_injections(actor).prefetch_related(Prefetch("note__amendments", amendments))


def _completed(value: str) -> Q:
    """Every exported injection is completed (drafts are not exported)."""
    system, bar, code = value.partition("|")
    if not bar:
        code, system = value, EVENT_STATUS
    return EVERY if (system == EVENT_STATUS and code == "completed") else Q(pk__in=[])


def common_params(date_name: str) -> dict[str, SearchParam]:
    """The session's time and the status; `patient`/`subject` come from the search engine."""
    return {
        date_name: SearchParam(
            date_name, "date", params.date(f"{SESSION}__scheduled_at"), "The session's time."
        ),
        "status": SearchParam(
            "status", "token", params.each(_completed), "Always completed: drafts are not served."
        ),
    }


SOURCE = Source(
    queryset=procedures,
    to_fhir=to_fhir,
    id_q=code_q,
    patient_path=PATIENT,
    params={
        **common_params("date"),
        "code": SearchParam(
            "code",
            "token",
            params.token(f"{SESSION}__course__course_type", system=COURSE_TYPE_SYSTEM),
            f"The course type ({COURSE_TYPE_SYSTEM}).",
        ),
    },
    since_path=None,  # amendments change a signed injection's Procedure.note later
    order_by=("id",),
)

register(
    ResourceType(
        name="Procedure",
        read_perm=Perm.VIEW_CLINICAL,
        sources=(SOURCE,),
        includes=(
            Include("patient", "subject", "Patient"),
            Include("subject", "subject", "Patient"),
            Include("encounter", "encounter", "Encounter"),
            Include("based-on", "basedOn", "CarePlan"),
        ),
    )
)
