from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prolo.clinic.access import require
from prolo.clinic.clock import clinic_day, clinic_today
from prolo.clinic.models import (
    Amendment,
    AuditAction,
    Checklist,
    CourseStatus,
    Injection,
    NoteStatus,
    ProcedureNote,
    SessionStatus,
    Syringe,
    TreatmentSession,
    User,
)
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.safety.screening import BENZYL_ALCOHOL_DILUENTS, RULES_BY_ID, UNCODED_SITE
from prolo.clinic.services.audit import audit_log, create_audited, snapshot, update_audited
from prolo.clinic.services.baseline import baseline_sign_blockers, no_baseline_changes
from prolo.clinic.services.consent import consent_sign_blockers
from prolo.clinic.services.dosing import dose_sign_blockers, dose_signed_fields
from prolo.clinic.services.fields import (
    check_plausible_date,
    check_practitioner,
    check_site_structure,
    pick,
)
from prolo.clinic.services.locks import lock, lock_draft, refuse_if_closed
from prolo.clinic.services.patients import weight_record
from prolo.clinic.services.reminders import reminders_sync
from prolo.clinic.services.screening import checklist_screening, refuse_contraindicated_injection
from prolo.clinic.services.screening import sign_blockers as screening_sign_blockers
from prolo.clinic.services.syringes import syringe_solution
from prolo.clinic.sites import SITES_BY_CODE

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
    session = lock(session.pk)
    refuse_if_closed(session)
    check_practitioner(actor, practitioner)
    check_plausible_date("scheduled_at", clinic_day(actor.clinic, scheduled_at), actor.clinic)
    course_start = session.course.start_date
    if clinic_day(actor.clinic, scheduled_at) < course_start:
        raise ValidationError(
            {
                "scheduled_at": f"A session cannot be before its course starts ({course_start:%d %b %Y})."
            }
        )
    changes = {"scheduled_at": scheduled_at, "practitioner": practitioner, "room": room.strip()}
    patient = session.course.patient
    # A moved session's email reminder moves with it at once, not at the worker's next sync.
    transaction.on_commit(lambda: reminders_sync(patient=patient))
    return update_audited(actor=actor, instance=session, patient=patient, changes=changes)


@transaction.atomic
def checklist_save(
    *,
    actor: Actor,
    session: TreatmentSession,
    weight_kg: Decimal | None = None,
    answers: Mapping[str, Any] | None = None,
    acknowledgement: str = "",
    no_baseline_reason: str = "",
    **items: Any,
) -> Checklist:
    """Record checklist answers; the checklist completes when every item is confirmed.

    `no_baseline_reason`: why the course's first session goes ahead without a baseline
    questionnaire (services/baseline.py); kept with who gave it and when.
    """
    require(actor, Perm.COMPLETE_CHECKLIST)
    session = lock(session.pk)
    refuse_if_closed(session)
    patient = session.course.patient
    stopped_on = items.get("nsaids_stopped_on")
    if stopped_on and stopped_on > clinic_today(actor.clinic):
        raise ValidationError(
            {
                "nsaids_stopped_on": "The date anti-inflammatories were stopped cannot be in the future."
            }
        )
    changes: dict[str, Any] = pick(items, CHECKLIST_FIELDS)
    checklist = Checklist.objects.select_for_update().filter(session=session).first()
    if changes.get("contraindications_rechecked"):
        # Ticked, it runs the screening and holds only if that passes (docs/screening.md).
        changes["contraindications_rechecked"] = checklist_screening(
            actor=actor,
            session=session,
            answers=answers,
            acknowledgement=acknowledgement,
            checklist=_applied(checklist or Checklist(session=session), changes),
        )
    if weight_kg is not None:
        changes["weight"] = weight_record(actor=actor, patient=patient, weight_kg=weight_kg)
    changes |= no_baseline_changes(
        session=session, reason=no_baseline_reason, user=actor.user, now=timezone.now()
    )
    if checklist is None:
        checklist = Checklist(session=session, **changes)
        for name, value in _completion(checklist, {}, actor).items():
            setattr(checklist, name, value)
        return create_audited(actor=actor, instance=checklist, patient=patient)
    changes.update(_completion(checklist, changes, actor))
    return update_audited(actor=actor, instance=checklist, patient=patient, changes=changes)


def _applied(checklist: Checklist, answers: dict[str, Any]) -> Checklist:
    """An unsaved copy of `checklist` with `answers` applied."""
    probe = copy.copy(checklist)
    for name, value in answers.items():
        setattr(probe, name, value)
    return probe


def _completion(checklist: Checklist, answers: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """Who completed the checklist and when, once `answers` are applied (None if incomplete)."""
    if _applied(checklist, answers).missing_items():
        return {"completed_at": None, "completed_by": None}
    if checklist.is_complete:  # still complete: keep the original completion
        return {"completed_at": checklist.completed_at, "completed_by": checklist.completed_by}
    return {"completed_at": timezone.now(), "completed_by": actor.user}


@transaction.atomic
def note_save(*, actor: Actor, session: TreatmentSession, **fields: Any) -> ProcedureNote:
    """Create or update the draft procedure note of a session."""
    require(actor, Perm.RECORD_NOTE)
    fields = pick(fields, NOTE_FIELDS)
    note = ProcedureNote.objects.filter(session=session).first()
    if note is None:
        session = lock(session.pk)
        refuse_if_closed(session)
        return create_audited(
            actor=actor,
            instance=ProcedureNote(session=session, **fields),
            patient=session.course.patient,
        )
    session, note = lock_draft(note)
    patient = session.course.patient
    return update_audited(actor=actor, instance=note, patient=patient, changes=fields)


@transaction.atomic
def injection_add(
    *, actor: Actor, note: ProcedureNote, syringe: Syringe | None = None, **fields: Any
) -> Injection:
    """Record an injection; given from a `syringe`, it takes that syringe's solution."""
    require(actor, Perm.RECORD_NOTE)
    session, note = lock_draft(note)
    fields = pick(fields, INJECTION_FIELDS)
    check_site_structure(fields)
    if syringe is not None:
        volume = fields.get("volume_ml")
        fields |= syringe_solution(syringe=syringe, session=session, volume_ml=volume)
    if fields.get("anaesthetic") == "none" and not fields.get("anaesthetic_percent"):
        fields["anaesthetic_percent"] = Decimal(0)
    _refuse_benzyl_alcohol_at_spinal_site(fields, syringe)
    refuse_contraindicated_injection(session=session, fields=fields, syringe=syringe)
    injection = Injection(note=note, syringe=syringe, **fields)
    return create_audited(actor=actor, instance=injection, patient=session.course.patient)


def _refuse_benzyl_alcohol_at_spinal_site(fields: dict[str, Any], syringe: Syringe | None) -> None:
    """The screening rule, applied again to each injection as it is recorded (it is absolute).

    An uncoded site ("Other site") may be spinal, epidural or caudal, so it is refused too.
    """
    diluent = fields.get("diluent")
    by_hand = isinstance(diluent, str) and diluent in BENZYL_ALCOHOL_DILUENTS
    benzyl = syringe.benzyl_alcohol if syringe else by_hand
    if not benzyl:
        return
    code = fields.get("site_code", "")
    site = SITES_BY_CODE.get(code) if isinstance(code, str) else None
    field = "syringe" if syringe else "diluent"
    rule = RULES_BY_ID["benzyl-alcohol-spinal"]
    sources = "".join(f"[{tag}]" for tag in rule.sources)
    if site is not None and site.spinal:
        raise ValidationError({field: f"{rule.text}: {rule.rationale} {sources}"})
    if code == UNCODED_SITE:
        described = str(fields.get("site_detail") or "").strip()
        where = f"'Other site' ({described})" if described else "'Other site'"
        instead = "a syringe drawn up with a" if syringe else "a"
        raise ValidationError(
            {
                field: f"{rule.text}: {where} is not a coded site, so it may be spinal, epidural "
                f"or caudal, where benzyl alcohol must not be used {sources}. Choose the coded "
                f"site, or {instead} preservative-free diluent (0.9% saline or sterile water)."
            }
        )


@transaction.atomic
def injection_remove(*, actor: Actor, injection: Injection) -> None:
    require(actor, Perm.RECORD_NOTE)
    session, _ = lock_draft(injection.note)
    audit_log(
        actor=actor,
        action=AuditAction.DELETE,
        obj=injection,
        patient=session.course.patient,
        changes=snapshot(injection),
    )
    injection.delete()


def _sign_blockers(note: ProcedureNote) -> list[str]:
    """Every reason the note cannot be signed yet; each check adds its own messages."""
    blockers = []
    checklist = Checklist.objects.filter(session_id=note.session_id).first()
    if checklist is None or not checklist.is_complete:
        blockers.append("The pre-procedure checklist is not complete.")
    if not note.injections.exists():
        blockers.append("The note has no injections.")
    blockers.extend(dose_sign_blockers(note))
    blockers.extend(screening_sign_blockers(note.session))
    blockers.extend(consent_sign_blockers(note.session))
    blockers.extend(_not_yet_blockers(note.session))
    blockers.extend(baseline_sign_blockers(note.session, checklist))
    return blockers


def _not_yet_blockers(session: TreatmentSession) -> list[str]:
    """A note is signed once its procedure is done, so never before the session's time."""
    if session.scheduled_at <= timezone.now():
        return []
    at = timezone.localtime(session.scheduled_at)
    return [
        f"Session {session.number} is booked for {at:%d %b %Y %H:%M}, which has not come yet: "
        "a note is signed after the procedure. If the session took place earlier, move it to "
        "the time it happened, then sign."
    ]


@transaction.atomic
def note_sign(*, actor: Actor, note: ProcedureNote) -> ProcedureNote:
    """Sign and lock the note; the session completes and a planned course becomes active."""
    require(actor, Perm.SIGN_NOTE)
    # Two physicians pressing "sign" at once get one signature: the session lock serialises.
    caller_note = note
    session = lock(note.session_id)
    note = ProcedureNote.objects.select_related("signed_by").get(pk=note.pk)
    if note.is_signed:
        raise ValidationError(
            f"This note was already signed by {note.signed_by.display_name() if note.signed_by else 'someone'} "
            f"on {timezone.localtime(note.signed_at):%d %b %Y %H:%M}."
        )
    refuse_if_closed(session)
    blockers = _sign_blockers(note)
    if blockers:
        raise ValidationError(blockers)
    course = session.course
    patient = course.patient
    update_audited(
        actor=actor,
        instance=note,
        patient=patient,
        action=AuditAction.SIGN,
        changes={
            "status": NoteStatus.SIGNED,
            "signed_at": timezone.now(),
            "signed_by": actor.user,
            **dose_signed_fields(note),  # what the dose was judged against, kept with it
        },
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
