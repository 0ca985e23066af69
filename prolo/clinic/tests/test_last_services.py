"""Recording local anaesthetic systemic toxicity from the LAST panel (services/last.py)."""

from __future__ import annotations

import datetime as dt

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
        (dt.timedelta(minutes=10), dt.time(12, 30), "onset_time"),
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
