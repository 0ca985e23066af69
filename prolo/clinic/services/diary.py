"""The 7-day flare diary and the review tasks its flags open. See docs/flare-diary.md."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from prolo.clinic.access import require
from prolo.clinic.clock import clinic_day, clinic_today
from prolo.clinic.models import (
    AuditAction,
    Clinic,
    DiaryEntry,
    DiarySource,
    Injection,
    ReviewTask,
    TaskStatus,
    TreatmentSession,
)
from prolo.clinic.models.outcomes_diary import DIARY_DAYS
from prolo.clinic.outcomes.flare import Day, Flag, flags_for
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import Auditor, create_audited, update_audited
from prolo.clinic.services.fields import pick
from prolo.clinic.services.settings import settings_for
from prolo.clinic.sites import SITES_BY_CODE

DIARY_FIELDS = (
    "day",
    "pain",
    "swelling",
    "joint_use",
    "analgesics",
    "fever",
    "redness_or_drainage",
    "numbness_or_weakness",
    "severe_headache",
    "breathlessness",
    "notes",
)


def session_day(session: TreatmentSession, clinic: Clinic | None = None) -> dt.date:
    """The clinic's date of the session; pass the clinic when it is at hand (no query)."""
    return clinic_day(clinic or session.course.patient.clinic, session.scheduled_at)


def _sites(session: TreatmentSession) -> tuple[bool, bool]:
    """Whether any injection of the session was at a spinal site, and at a thoracic one."""
    codes = Injection.objects.filter(note__session=session).values_list("site_code", flat=True)
    sites = [SITES_BY_CODE[c] for c in codes if c in SITES_BY_CODE]
    return any(s.spinal for s in sites), any(s.thoracic for s in sites)


def entry_flags(entry: DiaryEntry) -> list[Flag]:
    """The flags one saved (or about to be saved) entry raises."""
    session = entry.session
    spinal, thoracic = _sites(session)
    earlier = DiaryEntry.objects.filter(session=session).exclude(pk=entry.pk)
    day = Day(**{name: getattr(entry, name) for name in Day.__dataclass_fields__})
    return flags_for(
        day,
        spinal=spinal,
        thoracic=thoracic,
        flare_max_days=settings_for(session.course.patient.clinic_id).flare_max_days,
        earlier_pain=earlier.values_list("day", "pain"),
    )


def _check_entry(session: TreatmentSession, day: Any, clinic: Clinic) -> None:
    note = getattr(session, "note", None)
    if note is None or not note.is_signed:
        raise ValidationError("The diary is kept only after a signed session.")
    in_range = isinstance(day, int) and 1 <= day <= DIARY_DAYS
    if in_range and session_day(session, clinic) + dt.timedelta(days=day) > clinic_today(clinic):
        raise ValidationError({"day": f"Day {day} after this session has not come yet."})


@transaction.atomic
def diary_entry_record(
    *, actor: Actor, session: TreatmentSession, **fields: Any
) -> tuple[DiaryEntry, ReviewTask | None]:
    """Record one day of the diary from a phone follow-up; any flag opens a review task.

    Returns the entry and the open review task it added to (None: an expected flare).
    """
    require(actor, Perm.RECORD_DIARY)
    entry = _entry_save(auditor=actor, session=session, source=DiarySource.PHONE, fields=fields)
    flags = entry_flags(entry)
    if not flags:
        return entry, None
    return entry, _add_to_review(actor, entry, flags)


def _entry_save(
    *, auditor: Auditor, session: TreatmentSession, source: DiarySource, fields: dict[str, Any]
) -> DiaryEntry:
    """Lock the session, check the day and save the entry (audited); flags are the caller's.

    Shared with the patient's own entry point (services/portal_outcomes.py). Call inside a
    transaction, with a session of auditor's clinic.
    """
    session = (
        TreatmentSession.objects.select_for_update(of=("self",))
        .select_related("note", "course__patient")
        .get(pk=session.pk)
    )
    fields = pick(fields, DIARY_FIELDS)
    _check_entry(session, fields.get("day"), auditor.clinic)
    patient = session.course.patient
    entry = DiaryEntry(session=session, entered_by=auditor.user, source=source, **fields)
    return create_audited(actor=auditor, instance=entry, patient=patient)


def _add_to_review(auditor: Auditor, entry: DiaryEntry, flags: list[Flag]) -> ReviewTask:
    session = entry.session
    patient = session.course.patient
    # The review list shows where a day came from: the patient's own entries say so.
    prefix = "Patient (portal), diary day" if entry.source == DiarySource.PATIENT else "Diary day"
    reason = f"{prefix} {entry.day}: " + " ".join(f.text for f in flags)
    task = ReviewTask.objects.filter(session=session, status=TaskStatus.OPEN).first()
    if task is None:
        task = ReviewTask(
            clinic=auditor.clinic,
            patient=patient,
            session=session,
            diary_entry=entry,
            reason=reason,
            flags=[f.key for f in flags],
        )
        return create_audited(actor=auditor, instance=task, patient=patient)
    keys = list(task.flags) + [f.key for f in flags if f.key not in task.flags]
    changes = {"reason": f"{task.reason}\n{reason}", "flags": keys}
    return update_audited(actor=auditor, instance=task, patient=patient, changes=changes)


@transaction.atomic
def review_task_close(*, actor: Actor, task: ReviewTask, closing_note: str) -> ReviewTask:
    require(actor, Perm.CLOSE_REVIEW)
    task = ReviewTask.objects.select_for_update().get(pk=task.pk)
    if task.status != TaskStatus.OPEN:
        raise ValidationError("This review task is already closed.")
    note = pick({"closing_note": closing_note}, ["closing_note"])["closing_note"]
    if not note:
        raise ValidationError({"closing_note": "Say what was done before closing the task."})
    changes = {
        "status": TaskStatus.CLOSED,
        "closing_note": note,
        "closed_at": timezone.now(),
        "closed_by": actor.user,
    }
    return update_audited(
        actor=actor,
        instance=task,
        patient=task.patient,
        changes=changes,
        action=AuditAction.UPDATE,
    )


def open_review_count(actor: Actor) -> int:
    return ReviewTask.objects.filter(clinic=actor.clinic, status=TaskStatus.OPEN).count()


def review_tasks_for(actor: Actor) -> QuerySet[ReviewTask]:
    """The clinic's review tasks, open first then newest; one query with what the list shows."""
    return (
        ReviewTask.objects.filter(clinic=actor.clinic)
        .select_related("patient", "session", "closed_by")
        .order_by("-status", "-created_at", "-id")
    )
