"""The session lock every write to a session takes first, and the checks made under it.

Its own module so that the services built on it (sessions, syringes, dosing) can import it
without importing each other.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from prolo.clinic.models import ProcedureNote, SessionStatus, TreatmentSession


def refuse_if_closed(session: TreatmentSession) -> None:
    if session.status == SessionStatus.COMPLETED:
        raise ValidationError("This session's note is signed: add an amendment instead.")
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError("This session was cancelled.")
    course = session.course
    if not course.is_open:
        raise ValidationError(f"This course is {course.get_status_display().lower()}.")


def lock(session_pk: int) -> TreatmentSession:
    """Lock the session row and re-read it, course and patient included.

    Every write to a session, its checklist, note or injections takes this lock first, so a
    note cannot change between the moment it is checked and the moment it is signed.
    """
    return (
        TreatmentSession.objects.select_for_update(of=("self",))
        .select_related("course__patient")
        .get(pk=session_pk)
    )


def lock_draft(note: ProcedureNote) -> tuple[TreatmentSession, ProcedureNote]:
    """The locked session and a fresh copy of its note, refused unless both are still open."""
    session = lock(note.session_id)
    note = ProcedureNote.objects.get(pk=note.pk)
    refuse_if_signed(note)
    refuse_if_closed(session)
    return session, note


def refuse_if_signed(note: ProcedureNote) -> None:
    if note.is_signed:
        raise ValidationError(
            "This note is signed and locked. Record a correction as an amendment."
        )
