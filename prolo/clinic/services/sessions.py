from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prolo.clinic.access import require
from prolo.clinic.models import (
    Amendment,
    AuditAction,
    Checklist,
    CourseStatus,
    Injection,
    NoteStatus,
    ProcedureNote,
    SessionStatus,
    TreatmentSession,
    User,
)
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import audit_log, create_audited, snapshot, update_audited
from prolo.clinic.services.patients import _strip, weight_record

CHECKLIST_FIELDS = (*Checklist.ITEMS, "nsaids_stopped_on", "takes_no_nsaids")
NOTE_FIELDS = (
    "antisepsis",
    "numbing",
    "heat_pack_minutes",
    "observations",
    "complications",
    "aftercare_given",
)
INJECTION_FIELDS = (
    "site_code",
    "site_detail",
    "side",
    "structure",
    "guidance",
    "needle_gauge",
    "needle_length_mm",
    "dextrose_percent",
    "anaesthetic",
    "anaesthetic_percent",
    "diluent",
    "lot",
    "volume_ml",
)


def _refuse_if_closed(session: TreatmentSession) -> None:
    if session.status == SessionStatus.COMPLETED:
        raise ValidationError("This session's note is signed: add an amendment instead.")
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError("This session was cancelled.")


def _refuse_if_signed(note: ProcedureNote) -> None:
    if note.is_signed:
        raise ValidationError(
            "This note is signed and locked. Record a correction as an amendment."
        )


@transaction.atomic
def session_update(
    *,
    actor: Actor,
    session: TreatmentSession,
    scheduled_at: dt.datetime,
    practitioner: User | None,
    room: str,
) -> TreatmentSession:
    require(actor, Perm.SCHEDULE_SESSION)
    _refuse_if_closed(session)
    course_start = session.course.start_date
    if timezone.localtime(scheduled_at).date() < course_start:
        raise ValidationError(
            {
                "scheduled_at": f"A session cannot be before its course starts ({course_start:%d %b %Y})."
            }
        )
    changes = {"scheduled_at": scheduled_at, "practitioner": practitioner, "room": room.strip()}
    patient = session.course.patient
    return update_audited(actor=actor, instance=session, patient=patient, changes=changes)


@transaction.atomic
def checklist_save(
    *,
    actor: Actor,
    session: TreatmentSession,
    weight_kg: Decimal | None = None,
    **items: Any,
) -> Checklist:
    """Record checklist answers; the checklist completes when every item is confirmed."""
    require(actor, Perm.COMPLETE_CHECKLIST)
    _refuse_if_closed(session)
    patient = session.course.patient
    stopped_on = items.get("nsaids_stopped_on")
    if stopped_on and stopped_on > timezone.localdate():
        raise ValidationError(
            {
                "nsaids_stopped_on": "The date anti-inflammatories were stopped cannot be in the future."
            }
        )
    changes: dict[str, Any] = {k: v for k, v in items.items() if k in CHECKLIST_FIELDS}
    if weight_kg is not None:
        changes["weight"] = weight_record(actor=actor, patient=patient, weight_kg=weight_kg)
    checklist = Checklist.objects.select_for_update().filter(session=session).first()
    if checklist is None:
        checklist = Checklist(session=session, **changes)
        for name, value in _completion(checklist, {}, actor).items():
            setattr(checklist, name, value)
        return create_audited(actor=actor, instance=checklist, patient=patient)
    changes.update(_completion(checklist, changes, actor))
    return update_audited(actor=actor, instance=checklist, patient=patient, changes=changes)


def _completion(checklist: Checklist, answers: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """Who completed the checklist and when, once `answers` are applied (None if incomplete)."""
    probe = copy.copy(checklist)
    for name, value in answers.items():
        setattr(probe, name, value)
    if probe.missing_items():
        return {"completed_at": None, "completed_by": None}
    if checklist.is_complete:  # still complete: keep the original completion
        return {"completed_at": checklist.completed_at, "completed_by": checklist.completed_by}
    return {"completed_at": timezone.now(), "completed_by": actor.user}


@transaction.atomic
def note_save(*, actor: Actor, session: TreatmentSession, **fields: Any) -> ProcedureNote:
    """Create or update the draft procedure note of a session."""
    require(actor, Perm.RECORD_NOTE)
    _refuse_if_closed(session)
    fields = _strip({k: v for k, v in fields.items() if k in NOTE_FIELDS})
    patient = session.course.patient
    note = ProcedureNote.objects.filter(session=session).first()
    if note is None:
        return create_audited(
            actor=actor, instance=ProcedureNote(session=session, **fields), patient=patient
        )
    _refuse_if_signed(note)
    return update_audited(actor=actor, instance=note, patient=patient, changes=fields)


@transaction.atomic
def injection_add(*, actor: Actor, note: ProcedureNote, **fields: Any) -> Injection:
    require(actor, Perm.RECORD_NOTE)
    _refuse_if_signed(note)
    fields = _strip({k: v for k, v in fields.items() if k in INJECTION_FIELDS})
    if fields.get("anaesthetic") == "none" and not fields.get("anaesthetic_percent"):
        fields["anaesthetic_percent"] = Decimal(0)
    injection = Injection(note=note, **fields)
    return create_audited(actor=actor, instance=injection, patient=note.session.course.patient)


@transaction.atomic
def injection_remove(*, actor: Actor, injection: Injection) -> None:
    require(actor, Perm.RECORD_NOTE)
    _refuse_if_signed(injection.note)
    audit_log(
        actor=actor,
        action=AuditAction.DELETE,
        obj=injection,
        patient=injection.note.session.course.patient,
        changes=snapshot(injection),
    )
    injection.delete()


def _sign_blockers(note: ProcedureNote) -> list[str]:
    blockers = []
    checklist = Checklist.objects.filter(session=note.session).first()
    if checklist is None or not checklist.is_complete:
        blockers.append("The pre-procedure checklist is not complete.")
    if not note.injections.exists():
        blockers.append("The note has no injections.")
    return blockers


@transaction.atomic
def note_sign(*, actor: Actor, note: ProcedureNote) -> ProcedureNote:
    """Sign and lock the note; the session completes and a planned course becomes active."""
    require(actor, Perm.SIGN_NOTE)
    # Lock the row and re-read it: two physicians pressing "sign" at once get one signature.
    caller_note, note = (
        note,
        (
            ProcedureNote.objects.select_for_update()
            .select_related("session__course__patient")
            .get(pk=note.pk)
        ),
    )
    if note.is_signed:
        raise ValidationError(
            f"This note was already signed by {note.signed_by.display_name() if note.signed_by else 'someone'} "
            f"on {timezone.localtime(note.signed_at):%d %b %Y %H:%M}."
        )
    blockers = _sign_blockers(note)
    if blockers:
        raise ValidationError(blockers)
    session, course = note.session, note.session.course
    patient = course.patient
    update_audited(
        actor=actor,
        instance=note,
        patient=patient,
        action=AuditAction.SIGN,
        changes={"status": NoteStatus.SIGNED, "signed_at": timezone.now(), "signed_by": actor.user},
    )
    update_audited(
        actor=actor,
        instance=session,
        patient=patient,
        changes={"status": SessionStatus.COMPLETED},
    )
    if course.status == CourseStatus.PLANNED:
        update_audited(
            actor=actor,
            instance=course,
            patient=patient,
            changes={"status": CourseStatus.ACTIVE},
        )
    caller_note.refresh_from_db()
    return caller_note


@transaction.atomic
def note_amend(*, actor: Actor, note: ProcedureNote, reason: str, text: str) -> Amendment:
    require(actor, Perm.SIGN_NOTE)
    if not note.is_signed:
        raise ValidationError("Only a signed note is amended; edit the draft directly.")
    amendment = Amendment(note=note, author=actor.user, reason=reason.strip(), text=text.strip())
    return create_audited(
        actor=actor,
        instance=amendment,
        patient=note.session.course.patient,
        action=AuditAction.AMEND,
    )
