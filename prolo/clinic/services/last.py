"""Record local anaesthetic systemic toxicity from the LAST panel as an adverse event.

The event is an ordinary adverse event (services/adverse_events.py, audited there) of type
LAST, tied to the session, with the times the panel carries: when it was opened, when the
event was recorded and, if known, the onset. The model keeps an onset date only, so the times
go in the description, which the audit trail records with the rest of the event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prolo.clinic.access import require
from prolo.clinic.clock import clinic_clock
from prolo.clinic.models import AdverseEvent, AdverseEventType, TreatmentSession
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.adverse_events import adverse_event_report

# The panel's clock and the server's may differ a little; a panel open longer than a day is
# a stale page, not an emergency being recorded.
CLOCK_SKEW = dt.timedelta(minutes=2)
OPEN_AT_MOST = dt.timedelta(hours=24)


def _check_times(
    opened_at: dt.datetime, onset_time: dt.time | None, now: dt.datetime
) -> dict[str, str]:
    errors = {}
    if opened_at > now + CLOCK_SKEW:
        errors["opened_at"] = "The time the panel was opened cannot be in the future."
    elif opened_at < now - OPEN_AT_MOST:
        errors["opened_at"] = (
            "This panel was opened more than 24 hours ago: open it again from the session."
        )
    if onset_time is not None and _onset(opened_at, onset_time) > now:
        errors["onset_time"] = "The onset time cannot be after the time of recording."
    return errors


def _onset(opened_at: dt.datetime, onset_time: dt.time) -> dt.datetime:
    """The onset at `onset_time`, in the clinic's time zone, on the day the panel was opened,
    or on the day before when that would put it after the panel was opened (by more than the
    clock skew): an onset at 23:55 with the panel opened at 00:02 was yesterday."""
    day = timezone.localtime(opened_at).date()
    onset = timezone.make_aware(dt.datetime.combine(day, onset_time))
    if onset > opened_at + CLOCK_SKEW:
        onset = timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=1), onset_time))
    return onset


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _clock(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M:%S}"


def times_text(opened_at: dt.datetime, recorded_at: dt.datetime, onset_time: dt.time | None) -> str:
    """'Onset 14:00; LAST panel opened 14:02:10; recorded 14:15:03 (Europe/London)'; an onset
    on the day before the panel was opened carries its date: 'Onset 23:55 on 7 Dec 2026'."""
    parts = []
    if onset_time is not None:
        onset_day = _onset(opened_at, onset_time).date()
        on = "" if onset_day == timezone.localtime(opened_at).date() else f" on {_day(onset_day)}"
        parts.append(f"Onset {onset_time:%H:%M}{on}")
    parts += [f"LAST panel opened {_clock(opened_at)}", f"recorded {_clock(recorded_at)}"]
    return f"{'; '.join(parts)} ({timezone.get_current_timezone_name()})"


@transaction.atomic
def last_event_record(
    *,
    actor: Actor,
    session: TreatmentSession,
    opened_at: dt.datetime,
    grade: int,
    expectedness: str,
    onset_time: dt.time | None = None,
    serious: bool = False,
    seriousness_criteria: Iterable[str] = (),
    actions_taken: str = "",
) -> AdverseEvent:
    require(actor, Perm.REPORT_ADVERSE_EVENT)
    # The times and the onset day are the clinic's, whoever calls this.
    with clinic_clock(actor.clinic):
        return _record(
            actor,
            session,
            opened_at,
            grade,
            expectedness,
            onset_time,
            serious,
            seriousness_criteria,
            actions_taken,
        )


def _record(
    actor: Actor,
    session: TreatmentSession,
    opened_at: dt.datetime,
    grade: int,
    expectedness: str,
    onset_time: dt.time | None,
    serious: bool,
    seriousness_criteria: Iterable[str],
    actions_taken: str,
) -> AdverseEvent:
    now = timezone.now()
    errors = _check_times(opened_at, onset_time, now)
    if errors:
        raise ValidationError(errors)
    return adverse_event_report(
        actor=actor,
        patient=session.course.patient,
        session=session,
        event_type=AdverseEventType.LAST,
        description=times_text(opened_at, now, onset_time),
        onset_date=(
            _onset(opened_at, onset_time).date()
            if onset_time is not None
            else timezone.localtime(opened_at).date()
        ),
        grade=grade,
        serious=serious,
        seriousness_criteria=list(seriousness_criteria),
        expectedness=expectedness,
        actions_taken=actions_taken,
    )
