"""Recording local anaesthetic systemic toxicity from the LAST panel (services/last.py)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from prolo.clinic.models import AdverseEvent, AuditAction, AuditEvent
from prolo.clinic.services.last import last_event_record
from prolo.testing import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(alice_actor, pat):
    return make_course(alice_actor, pat).sessions.get(number=1)


def _at(hour: int, minute: int, second: int = 0) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(timezone.localdate(), dt.time(hour, minute, second))
    )


def test_a_nurse_records_one_last_event_with_the_times_in_its_audit_row(nora_actor, session):
    with time_machine.travel(_at(9, 40, 30), tick=False):
        event = last_event_record(
            actor=nora_actor,
            session=session,
            opened_at=_at(9, 31, 5),
            onset_time=dt.time(9, 30),
            grade=3,
            expectedness="expected",
        )
    assert AdverseEvent.objects.get() == event
    assert event.get_event_type_display() == "Local anaesthetic systemic toxicity (LAST)"
    times = "Onset 09:30; LAST panel opened 09:31:05; recorded 09:40:30 (Europe/London)"
    assert event.description == times
    audit = AuditEvent.objects.get(action=AuditAction.CREATE, object_code=str(event.code))
    assert audit.changes["description"] == times
    assert audit.changes["event_type"] == "last"


def test_a_physiotherapist_may_not_record_it(pete_actor, session):
    with pytest.raises(PermissionDenied):
        last_event_record(
            actor=pete_actor,
            session=session,
            opened_at=timezone.now(),
            grade=2,
            expectedness="expected",
        )
    assert not AdverseEvent.objects.exists()


@pytest.mark.parametrize(
    ("opened_ago", "onset", "field"),
    [
        (dt.timedelta(days=2), None, "opened_at"),
        (-dt.timedelta(hours=1), None, "opened_at"),
        (dt.timedelta(0), dt.time(12, 1), "onset_time"),
    ],
)
def test_a_stale_or_future_panel_and_a_later_onset_are_refused_by_field(
    alice_actor, session, opened_ago, onset, field
):
    with time_machine.travel(_at(12, 0), tick=False), pytest.raises(ValidationError) as refused:
        last_event_record(
            actor=alice_actor,
            session=session,
            opened_at=timezone.now() - opened_ago,
            onset_time=onset,
            grade=2,
            expectedness="expected",
        )
    assert set(refused.value.message_dict) == {field}
    assert not AdverseEvent.objects.exists()


def _local(clinic, day: dt.date, hour: int, minute: int, second: int = 0) -> dt.datetime:
    """A clock time on `day` in the clinic's time zone."""
    zone = ZoneInfo(clinic.time_zone)
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=zone)


@pytest.mark.parametrize(
    ("onset", "onset_day", "text"),  # onset_day: days after the session's day
    [
        # Later in the day than the panel was opened: the evening before.
        (dt.time(23, 55), 0, "Onset 23:55 on {day}; "),
        # Earlier, or within the clock skew of the opening: the same day.
        (dt.time(0, 1), 1, "Onset 00:01; "),
        (dt.time(0, 3), 1, "Onset 00:03; "),
    ],
)
def test_an_onset_before_midnight_with_the_panel_opened_after_it_is_dated_the_day_before(
    nora_actor, session, onset, onset_day, text
):
    # The session's day, then the panel opened two minutes after midnight.
    clinic = nora_actor.clinic
    day = session.scheduled_at.astimezone(ZoneInfo(clinic.time_zone)).date()
    after_midnight = day + dt.timedelta(days=1)
    opened = _local(clinic, after_midnight, 0, 2)
    with time_machine.travel(_local(clinic, after_midnight, 0, 5, 30), tick=False):
        event = last_event_record(
            actor=nora_actor,
            session=session,
            opened_at=opened,
            onset_time=onset,
            grade=3,
            expectedness="expected",
        )
    assert event.onset_date == day + dt.timedelta(days=onset_day)
    assert event.description == (
        f"{text.format(day=f'{day.day} {day:%b %Y}')}LAST panel opened 00:02:00; recorded 00:05:30 ({clinic.time_zone})"
    )
