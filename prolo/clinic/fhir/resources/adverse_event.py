"""AdverseEvent: one per reported event, id its `AdverseEvent.code` (docs/fhir-treatment.md).

Codes are the R4 (4.0.1) HL7 code systems: seriousness Serious/Non-serious, severity
mild/moderate/severe from the CTCAE grade (1 mild, 2 moderate, 3–5 severe: grades 4 and 5 are
also serious, which seriousness says), outcome from Prolo's outcome.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

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
from prolo.clinic.fhir.resources.procedure import CODE_SYSTEM_BASE, iso, labels
from prolo.clinic.models import AdverseEvent, AdverseEventType, AdverseOutcome
from prolo.clinic.permissions import Actor, Perm

TERMINOLOGY = "http://terminology.hl7.org/CodeSystem/"
SERIOUSNESS = f"{TERMINOLOGY}adverse-event-seriousness"
SEVERITY = f"{TERMINOLOGY}adverse-event-severity"
OUTCOME = f"{TERMINOLOGY}adverse-event-outcome"
EVENT_TYPE = f"{CODE_SYSTEM_BASE}adverse-event-type"
EVENT_TYPES = labels(AdverseEventType)
SEVERITY_BY_GRADE = {1: "mild", 2: "moderate", 3: "severe", 4: "severe", 5: "severe"}
OUTCOMES = {
    AdverseOutcome.UNKNOWN.value: "unknown",
    AdverseOutcome.RECOVERING.value: "recovering",
    AdverseOutcome.RECOVERED.value: "resolved",
    AdverseOutcome.RECOVERED_WITH_SEQUELAE.value: "resolvedWithSequelae",
    AdverseOutcome.NOT_RECOVERED.value: "ongoing",
    AdverseOutcome.FATAL.value: "fatal",
}
OUTCOME_DISPLAY = {
    "unknown": "Unknown",
    "recovering": "Recovering",
    "resolved": "Resolved",
    "resolvedWithSequelae": "Resolved with Sequelae",
    "ongoing": "Ongoing",
    "fatal": "Fatal",
}


def _coded(system: str, code: str, display: str, text: str | None = None) -> dict[str, Any]:
    concept: dict[str, Any] = {"coding": [{"system": system, "code": code, "display": display}]}
    if text:
        concept["text"] = text
    return concept


def _seriousness(event: AdverseEvent) -> dict[str, Any]:
    if not event.serious:
        return _coded(SERIOUSNESS, "Non-serious", "Non-serious")
    criteria = "; ".join(event.criteria_labels())
    return _coded(SERIOUSNESS, "Serious", "Serious", f"Serious: {criteria}" if criteria else None)


def _event(event: AdverseEvent) -> dict[str, Any]:
    label = EVENT_TYPES[event.event_type]
    if event.event_type == AdverseEventType.OTHER:
        text = event.description or label
    else:
        text = f"{label}: {event.description}" if event.description else label
    return {
        "coding": [{"system": EVENT_TYPE, "code": event.event_type, "display": label}],
        "text": text,
    }


def to_fhir(event: AdverseEvent) -> Resource:
    severity = SEVERITY_BY_GRADE[event.grade]
    outcome = OUTCOMES[event.outcome]
    resource: Resource = {
        "resourceType": "AdverseEvent",
        "id": str(event.code),
        "actuality": "actual",
        "category": [{"text": "Adverse event after an injection session"}],
        "event": _event(event),
        "subject": ref("Patient", event.patient.code),
        "date": iso(event.onset_date),
        "recordedDate": iso(event.created_at),
        "recorder": ref("Practitioner", event.reported_by.code, event.reported_by.display_name()),
        "seriousness": _seriousness(event),
        "severity": _coded(SEVERITY, severity, severity.capitalize(), f"CTCAE grade {event.grade}"),
        "outcome": _coded(OUTCOME, outcome, OUTCOME_DISPLAY[outcome]),
    }
    if event.session is not None:
        resource["encounter"] = ref("Encounter", event.session.code)
    if event.injection is not None:
        resource["suspectEntity"] = [{"instance": ref("Procedure", event.injection.code)}]
    return resource


def events(actor: Actor) -> QuerySet[AdverseEvent]:
    return AdverseEvent.objects.filter(patient__clinic=actor.clinic).select_related(
        "patient", "session", "injection", "reported_by"
    )


def _serious(value: str) -> Q:
    system, bar, code = value.partition("|")
    if not bar:
        system, code = SERIOUSNESS, value
    if system != SERIOUSNESS or code not in ("Serious", "Non-serious"):
        return Q(pk__in=[])
    return Q(serious=code == "Serious")


SOURCE = Source(
    queryset=events,
    to_fhir=to_fhir,
    id_q=code_q,
    patient_path="patient",
    params={
        "date": SearchParam("date", "date", params.date("onset_date"), "The day of onset."),
        "seriousness": SearchParam(
            "seriousness",
            "token",
            params.each(_serious),
            f"Serious or Non-serious ({SERIOUSNESS}).",
        ),
    },
    since_path=None,  # updates and closing leave no single change time
    order_by=("id",),
)

register(
    ResourceType(
        name="AdverseEvent",
        read_perm=Perm.VIEW_CLINICAL,
        sources=(SOURCE,),
        includes=(
            Include("patient", "subject", "Patient"),
            Include("subject", "subject", "Patient"),
            Include("recorder", "recorder", "Practitioner"),
        ),
    )
)
