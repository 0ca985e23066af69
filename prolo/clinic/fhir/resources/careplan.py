"""CarePlan: one per treatment course, id its `TreatmentCourse.code` (docs/fhir-treatment.md).

A course plans its sessions (each an Appointment, listed as an activity) and its outcome
questionnaires (one activity described in text). Course statuses become request statuses: a
planned course already has its sessions booked, so it is in force ("active") like one under
way; a stopped course was ended before its sessions were done ("revoked").
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

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
from prolo.clinic.models import (
    CourseStatus,
    Laterality,
    Region,
    SessionStatus,
    TreatmentCourse,
    TreatmentSession,
)
from prolo.clinic.permissions import Actor, Perm

REQUEST_STATUS = "http://hl7.org/fhir/request-status"
REGIONS = labels(Region)
LATERALITIES = labels(Laterality)
STATUS = {
    CourseStatus.PLANNED.value: "active",
    CourseStatus.ACTIVE.value: "active",
    CourseStatus.COMPLETED.value: "completed",
    CourseStatus.STOPPED.value: "revoked",
}
# The outcome activity's status (care-plan-activity-status) follows the course.
ACTIVITY_STATUS = {
    CourseStatus.PLANNED.value: "scheduled",
    CourseStatus.ACTIVE.value: "in-progress",
    CourseStatus.COMPLETED.value: "completed",
    CourseStatus.STOPPED.value: "stopped",
}


def title(course: TreatmentCourse) -> str:
    region = REGIONS[course.target_region]
    return f"{COURSE_TYPES[course.course_type]}, {region} ({LATERALITIES[course.laterality]})"


def description(course: TreatmentCourse) -> str:
    text = (
        f"Targets: {course.targets}. {course.planned_sessions} sessions planned, "
        f"{course.interval_days} days apart."
    )
    if course.stop_reason:
        text += f" Stopped: {course.stop_reason}"
    return text


def _outcome_activity(course: TreatmentCourse) -> dict[str, Any]:
    instruments = ", ".join(course.outcome_instruments) or "none"
    follow_ups = ", ".join(course.follow_ups) or "none"
    text = f"{instruments} at baseline and at each follow-up ({follow_ups} after the last session)"
    if course.session_instruments:
        text += f"; {', '.join(course.session_instruments)} before each session after the first"
    return {
        "detail": {
            "kind": "Task",
            "code": {"text": "Outcome questionnaires"},
            "status": ACTIVITY_STATUS[course.status],
            "description": f"{text}.",
        }
    }


def to_fhir(course: TreatmentCourse) -> Resource:
    sessions = list(course.sessions.all())
    booked = [s for s in sessions if s.status != SessionStatus.CANCELLED]
    period = {"start": iso(course.start_date)}
    if booked:
        period["end"] = iso(max(s.scheduled_at for s in booked))
    resource: Resource = {
        "resourceType": "CarePlan",
        "id": str(course.code),
        "status": STATUS[course.status],
        "intent": "plan",
        "title": title(course),
        "description": description(course),
        "subject": ref("Patient", course.patient.code),
        "period": period,
        "created": iso(course.created_at),
        "author": ref("Practitioner", course.created_by.code, course.created_by.display_name()),
        "activity": [
            *({"reference": ref("Appointment", s.code)} for s in sessions),
            _outcome_activity(course),
        ],
    }
    if course.evaluation is not None:
        # The evaluation's working diagnosis is a Condition with the evaluation's id.
        resource["addresses"] = [ref("Condition", course.evaluation.code)]
        resource["supportingInfo"] = [ref("Encounter", course.evaluation.code)]
    return resource


def courses(actor: Actor) -> QuerySet[TreatmentCourse]:
    return (
        TreatmentCourse.objects.filter(patient__clinic=actor.clinic)
        .select_related("patient", "created_by", "evaluation")
        .prefetch_related(
            Prefetch("sessions", queryset=TreatmentSession.objects.order_by("number", "id"))
        )
    )


def _status(value: str) -> Q:
    system, bar, code = value.partition("|")
    if not bar:
        system, code = REQUEST_STATUS, value
    if system != REQUEST_STATUS:
        return Q(pk__in=[])
    return Q(status__in=[db for db, fhir in STATUS.items() if fhir == code])


SOURCE = Source(
    queryset=courses,
    to_fhir=to_fhir,
    id_q=code_q,
    patient_path="patient",
    params={
        "status": SearchParam(
            "status",
            "token",
            params.each(_status),
            "active (planned or under way), completed or revoked (stopped).",
        ),
        "date": SearchParam(
            "date", "date", params.date("start_date"), "The day the course starts."
        ),
    },
    since_path=None,  # a status change leaves no change time on the course
    order_by=("id",),
)

register(
    ResourceType(
        name="CarePlan",
        read_perm=Perm.VIEW_CLINICAL,
        sources=(SOURCE,),
        includes=(
            Include("patient", "subject", "Patient"),
            Include("subject", "subject", "Patient"),
        ),
    )
)
