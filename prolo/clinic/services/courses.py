from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from prolo.clinic.access import require
from prolo.clinic.models import (
    CourseStatus,
    Eligibility,
    Evaluation,
    Patient,
    SessionStatus,
    TreatmentCourse,
    TreatmentSession,
    User,
)
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import create_audited, update_audited
from prolo.clinic.services.fields import check_plausible_date, check_practitioner, pick
from prolo.lib.dates import NonexistentLocalTime, proposed_session_times

COURSE_FIELDS = (
    "course_type",
    "target_region",
    "laterality",
    "targets",
    "planned_sessions",
    "interval_days",
    "start_date",
)


@transaction.atomic
def course_plan(
    *,
    actor: Actor,
    patient: Patient,
    evaluation: Evaluation,
    first_session_time: dt.time,
    practitioner: User | None = None,
    room: str = "",
    **fields: Any,
) -> TreatmentCourse:
    """Plan a course from an eligible evaluation and propose its sessions from the plan."""
    require(actor, Perm.PLAN_COURSE)
    if evaluation.patient_id != patient.pk:
        raise ValidationError({"evaluation": "Choose an evaluation of this patient."})
    if evaluation.eligibility != Eligibility.ELIGIBLE:
        raise ValidationError(
            {"evaluation": "A course can only be planned from an evaluation marked eligible."}
        )
    fields = pick(fields, COURSE_FIELDS)
    check_practitioner(actor, practitioner)
    if "start_date" in fields:
        check_plausible_date("start_date", fields["start_date"])
    course = TreatmentCourse(
        patient=patient, evaluation=evaluation, created_by=actor.user, **fields
    )
    create_audited(actor=actor, instance=course, patient=patient)
    try:
        times = proposed_session_times(
            course.start_date, first_session_time, course.planned_sessions, course.interval_days
        )
    except NonexistentLocalTime as exc:
        raise ValidationError({"first_session_time": f"{exc} Choose another time."}) from None
    for number, when in enumerate(times, start=1):
        session = TreatmentSession(
            course=course,
            number=number,
            scheduled_at=when,
            practitioner=practitioner,
            room=room.strip(),
        )
        create_audited(actor=actor, instance=session, patient=patient)
    return course


@transaction.atomic
def course_set_status(
    *, actor: Actor, course: TreatmentCourse, status: str, reason: str = ""
) -> TreatmentCourse:
    require(actor, Perm.PLAN_COURSE)
    if status not in course.allowed_transitions():
        allowed = ", ".join(sorted(course.allowed_transitions())) or "none (it is closed)"
        raise ValidationError(
            {"status": f"A {course.get_status_display().lower()} course can move to: {allowed}."}
        )
    reason = reason.strip()
    if status == CourseStatus.STOPPED and not reason:
        raise ValidationError({"reason": "Give the reason the course is stopped."})
    changes: dict[str, Any] = {"status": status}
    if status == CourseStatus.STOPPED:
        changes["stop_reason"] = reason
    update_audited(actor=actor, instance=course, patient=course.patient, changes=changes)
    _cancel_open_sessions(actor, course)
    return course


def _cancel_open_sessions(actor: Actor, course: TreatmentCourse) -> None:
    """A closed course keeps no bookings: its still-scheduled sessions are cancelled."""
    if course.is_open:
        return
    for session in course.sessions.filter(status=SessionStatus.SCHEDULED):
        update_audited(
            actor=actor,
            instance=session,
            patient=course.patient,
            changes={"status": SessionStatus.CANCELLED},
        )
