"""Encounter: evaluations, and the treatment visits that took place.

An evaluation is a finished ambulatory encounter on its day, with the evaluating clinician and
the working diagnosis (served as Condition/<evaluation id>) as its reason. A visit is a
treatment session once its procedure note exists: "in-progress" while the note is a draft,
"finished" once it is signed (or the session is marked completed). Sessions still only
booked are Appointments, not Encounters.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from prolo.clinic.fhir import params
from prolo.clinic.fhir.refs import code_q, instant, ref
from prolo.clinic.fhir.registry import (
    Filter,
    Include,
    Resource,
    ResourceType,
    SearchParam,
    Source,
    register,
)
from prolo.clinic.models import Evaluation, NoteStatus, SessionStatus, TreatmentSession
from prolo.clinic.outcomes.fhir_questionnaire import CANONICAL_BASE
from prolo.clinic.permissions import Actor, Perm

ENCOUNTER_TYPE_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/encounter-type"
AMBULATORY = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
    "code": "AMB",
    "display": "ambulatory",
}
NOTHING = Q(pk__in=[])


def _type(code: str, display: str) -> list[Resource]:
    return [{"coding": [{"system": ENCOUNTER_TYPE_SYSTEM, "code": code, "display": display}]}]


def _participant(user_code: object, display: str) -> list[Resource]:
    return [{"individual": ref("Practitioner", str(user_code), display)}]


def evaluation_to_fhir(evaluation: Evaluation) -> Resource:
    patient = evaluation.patient
    day = evaluation.evaluated_on.isoformat()
    return {
        "resourceType": "Encounter",
        "id": str(evaluation.code),
        "status": "finished",
        "class": AMBULATORY,
        "type": _type("evaluation", "Prolotherapy evaluation"),
        "subject": ref("Patient", patient.code, patient.full_name),
        "participant": _participant(evaluation.clinician.code, evaluation.clinician.display_name()),
        "period": {"start": day, "end": day},
        "reasonReference": [ref("Condition", evaluation.code, evaluation.working_diagnosis)],
    }


def visit_status(session: TreatmentSession) -> str:
    note = getattr(session, "note", None)
    if note is not None and note.status == NoteStatus.SIGNED:
        return "finished"
    if note is None and session.status == SessionStatus.COMPLETED:
        return "finished"
    return "in-progress"


def visit_to_fhir(session: TreatmentSession) -> Resource:
    patient = session.course.patient
    resource: Resource = {
        "resourceType": "Encounter",
        "id": str(session.code),
        "status": visit_status(session),
        "class": AMBULATORY,
        "type": _type("treatment", "Prolotherapy treatment session"),
        "subject": ref("Patient", patient.code, patient.full_name),
        "appointment": [ref("Appointment", session.code)],
        "period": {"start": instant(session.scheduled_at)},
    }
    if session.practitioner is not None:
        practitioner = session.practitioner
        resource["participant"] = _participant(practitioner.code, practitioner.display_name())
    evaluation = session.course.evaluation
    if evaluation is not None:
        resource["reasonReference"] = [
            ref("Condition", evaluation.code, evaluation.working_diagnosis)
        ]
    return resource


def _evaluations(actor: Actor) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(patient__clinic=actor.clinic).select_related(
        "patient", "clinician"
    )


def _visits(actor: Actor) -> QuerySet[TreatmentSession]:
    took_place = Q(note__isnull=False) | Q(status=SessionStatus.COMPLETED)
    return (
        TreatmentSession.objects.filter(course__patient__clinic=actor.clinic)
        .filter(took_place)
        .select_related("course__patient", "course__evaluation", "practitioner", "note")
    )


def _evaluation_status(value: str) -> Q:
    return Q() if value == "finished" else NOTHING


def _visit_status(value: str) -> Q:
    signed = Q(note__status=NoteStatus.SIGNED)
    completed_without_note = Q(note__isnull=True, status=SessionStatus.COMPLETED)
    if value == "finished":
        return signed | completed_without_note
    if value == "in-progress":
        return Q(note__isnull=False) & ~signed
    return NOTHING


def _class(value: str) -> Q:
    system, bar, code = value.rpartition("|")
    if bar and system != AMBULATORY["system"]:
        return NOTHING
    return Q() if code == "AMB" else NOTHING


def _type_filter(kind: str) -> Filter:
    def clause(value: str) -> Q:
        system, bar, code = value.rpartition("|")
        if bar and system != ENCOUNTER_TYPE_SYSTEM:
            return NOTHING
        return Q() if code == kind else NOTHING

    return params.each(clause)


STATUS_DOC = "finished (evaluations, signed visits) or in-progress (visit with a draft note)."


def _params(date_path: str, status: Filter, kind: str, practitioner: str) -> dict[str, SearchParam]:
    return {
        "date": SearchParam("date", "date", params.date(date_path), "When it took place."),
        "status": SearchParam("status", "token", status, STATUS_DOC),
        "class": SearchParam("class", "token", params.each(_class), "Always AMB."),
        "type": SearchParam("type", "token", _type_filter(kind), "evaluation or treatment."),
        "practitioner": SearchParam(
            "practitioner",
            "reference",
            params.reference(practitioner, "Practitioner"),
            "The clinician.",
        ),
    }


EVALUATIONS = Source(
    queryset=_evaluations,
    to_fhir=evaluation_to_fhir,
    id_q=code_q,
    patient_path="patient",
    params=_params("evaluated_on", params.each(_evaluation_status), "evaluation", "clinician"),
    since_path=None,
    order_by=("evaluated_on", "id"),
)

VISITS = Source(
    queryset=_visits,
    to_fhir=visit_to_fhir,
    id_q=code_q,
    patient_path="course__patient",
    params=_params("scheduled_at", params.each(_visit_status), "treatment", "practitioner"),
    since_path=None,
    order_by=("scheduled_at", "id"),
)

register(
    ResourceType(
        name="Encounter",
        read_perm=Perm.VIEW_CLINICAL,
        sources=(EVALUATIONS, VISITS),
        includes=(
            Include("patient", "subject", "Patient"),
            Include("subject", "subject", "Patient"),
            Include("practitioner", "participant", "Practitioner"),
        ),
    )
)
