from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from prolo.clinic.access import require
from prolo.clinic.clock import clinic_zone
from prolo.clinic.models import (
    CourseStatus,
    Eligibility,
    Evaluation,
    Patient,
    ProtocolTemplate,
    SessionStatus,
    StockProduct,
    TreatmentCourse,
    TreatmentSession,
    User,
)
from prolo.clinic.models.courses import MAX_INTERVAL_DAYS
from prolo.clinic.outcomes import schedule
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import create_audited, update_audited
from prolo.clinic.services.fields import check_plausible_date, check_practitioner, pick
from prolo.clinic.services.questionnaires import (
    SCHEDULE_FIELDS,
    clean_headline_scores,
    clean_schedule_fields,
)
from prolo.clinic.services.reminders import reminders_sync
from prolo.clinic.services.screening import course_stocks_plan, screening_run
from prolo.lib.dates import NonexistentLocalTime, local_datetime, proposed_session_times

COURSE_FIELDS = (
    "course_type",
    "target_region",
    "laterality",
    "targets",
    "planned_sessions",
    "interval_days",
    "start_date",
    *SCHEDULE_FIELDS,
    "headline_scores",
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
    protocol: ProtocolTemplate | None = None,
    planned_stocks: Iterable[StockProduct] | None = None,
    answers: Mapping[str, Any] | None = None,
    acknowledgement: str = "",
    **fields: Any,
) -> TreatmentCourse:
    """Plan a course from an eligible evaluation and propose its sessions from the plan.

    With a `protocol` (a template of the clinic), the course takes its type, region and
    number of sessions from it, and the sessions fall on the template's weeks.
    """
    require(actor, Perm.PLAN_COURSE)
    if evaluation.patient_id != patient.pk:
        raise ValidationError({"evaluation": "Choose an evaluation of this patient."})
    if evaluation.eligibility != Eligibility.ELIGIBLE:
        raise ValidationError(
            {"evaluation": "A course can only be planned from an evaluation marked eligible."}
        )
    fields = pick(fields, COURSE_FIELDS)
    if protocol is not None:
        fields |= _from_protocol(actor, protocol, fields.get("interval_days"))
    fields = clean_schedule_fields(fields)
    fields["headline_scores"] = _headlines(fields)
    check_practitioner(actor, practitioner)
    if "start_date" in fields:
        check_plausible_date("start_date", fields["start_date"], actor.clinic)
    course = TreatmentCourse(
        patient=patient, evaluation=evaluation, created_by=actor.user, protocol=protocol, **fields
    )
    create_audited(actor=actor, instance=course, patient=patient)
    try:
        times = _session_times(course, first_session_time)
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
    # Screened inside this transaction: a blocked plan, or cautions without a reason, save
    # nothing (docs/screening.md). No stocks planned means the clinic's usual ones.
    course_stocks_plan(actor=actor, course=course, stocks=planned_stocks)
    screening_run(actor=actor, course=course, answers=answers, acknowledgement=acknowledgement)
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
    # Closing cancels the bookings: their pending email reminders are cancelled at once.
    patient = course.patient
    transaction.on_commit(lambda: reminders_sync(patient=patient))
    return course


@transaction.atomic
def course_outcomes_set(*, actor: Actor, course: TreatmentCourse, **fields: Any) -> TreatmentCourse:
    """Change which questionnaires the course asks for, and when (docs/outcomes.md)."""
    require(actor, Perm.PLAN_COURSE)
    changes = clean_schedule_fields(pick(fields, SCHEDULE_FIELDS))
    changes["headline_scores"] = _headlines({**fields, **changes}, course)
    return update_audited(actor=actor, instance=course, patient=course.patient, changes=changes)


def _headlines(fields: Mapping[str, Any], course: TreatmentCourse | None = None) -> dict[str, str]:
    """The headline score of each multi-score instrument the course measures: the choice
    given, else the course's earlier choice, else the default for the instrument and region."""

    def current(name: str, default: list[str]) -> list[str]:
        if name in fields:
            return list(fields[name] or [])
        return list(getattr(course, name)) if course is not None else default

    instruments = [
        *current("outcome_instruments", schedule.default_instruments()),
        *current("session_instruments", schedule.default_session_instruments()),
    ]
    given = fields.get("headline_scores")
    if given is None and course is not None:
        given = {c: k for c, k in course.headline_scores.items() if c in instruments}
    region = fields.get("target_region") or (course.target_region if course else "")
    return clean_headline_scores(given, instruments, region)


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


def _from_protocol(
    actor: Actor, protocol: ProtocolTemplate, interval_days: int | None
) -> dict[str, Any]:
    """The course fields a template decides: type, region, and the schedule's shape."""
    offered = ProtocolTemplate.objects.filter(pk=protocol.pk, clinic=actor.clinic, active=True)
    if not offered.exists():
        raise ValidationError({"protocol": "Choose one of this clinic's active templates."})
    weeks = protocol.session_weeks
    fields: dict[str, Any] = {
        "course_type": protocol.course_type,
        "target_region": protocol.target_region,
        "planned_sessions": len(weeks),
        # The template's outcome schedule; the course's own can be changed afterwards.
        **{name: getattr(protocol, name) for name in SCHEDULE_FIELDS},
    }
    if len(weeks) > 1:
        gap_days = 7 * min(b - a for a, b in itertools.pairwise(weeks))
        fields["interval_days"] = max(1, min(gap_days, MAX_INTERVAL_DAYS))
    else:  # one session: the interval means nothing, but the course records one
        fields["interval_days"] = interval_days or 28
    return fields


def _session_times(course: TreatmentCourse, at: dt.time) -> list[dt.datetime]:
    """From the template's weeks (start date + 7 × week days), else every interval_days."""
    zone = clinic_zone(course.patient.clinic)
    if course.protocol is None:
        return proposed_session_times(
            course.start_date, at, course.planned_sessions, course.interval_days, zone
        )
    days = [course.start_date + dt.timedelta(weeks=w) for w in course.protocol.session_weeks]
    return [local_datetime(day, at, zone) for day in days]
