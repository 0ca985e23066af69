from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AuditEvent
from prolo.clinic.services.adverse_events import (
    adverse_event_close,
    adverse_event_rates,
    adverse_event_report,
    adverse_event_update,
)
from prolo.testing import signed_session


def _report(actor, patient, **overrides):
    fields = {
        "event_type": "severe_pain",
        "onset_date": clinic_today(actor.clinic),
        "grade": 2,
        "expectedness": "expected",
    } | overrides
    return adverse_event_report(actor=actor, patient=patient, **fields)


def test_a_reported_event_is_audited(alice_actor, pat):
    event = _report(alice_actor, pat)
    assert AuditEvent.objects.filter(object_code=str(event.code), action="create").exists()


def test_an_onset_in_the_future_names_the_onset_date(alice_actor, pat):
    with pytest.raises(ValidationError) as exc:
        _report(
            alice_actor, pat, onset_date=clinic_today(alice_actor.clinic) + dt.timedelta(days=1)
        )
    assert "onset_date" in exc.value.message_dict


def test_a_serious_event_needs_a_criterion(alice_actor, pat):
    with pytest.raises(ValidationError) as exc:
        _report(alice_actor, pat, serious=True)
    assert "seriousness_criteria" in exc.value.message_dict


def test_grade_5_needs_death_and_a_fatal_outcome(alice_actor, pat):
    with pytest.raises(ValidationError) as exc:
        _report(alice_actor, pat, grade=5)
    assert {"seriousness_criteria", "outcome"} <= set(exc.value.message_dict)
    event = _report(
        alice_actor, pat, grade=5, serious=True, seriousness_criteria=["death"], outcome="fatal"
    )
    assert event.grade == 5


def test_a_closed_event_is_read_only(alice_actor, pat):
    event = _report(alice_actor, pat, outcome="recovered")
    adverse_event_close(actor=alice_actor, event=event)
    with pytest.raises(ValidationError):
        adverse_event_update(actor=alice_actor, event=event, grade=3)


def test_closing_needs_a_known_outcome(alice_actor, pat):
    event = _report(alice_actor, pat)
    with pytest.raises(ValidationError) as exc:
        adverse_event_close(actor=alice_actor, event=event)
    assert "outcome" in exc.value.message_dict


def test_rates_count_events_over_signed_sessions_and_their_injections(alice_actor, pat):
    session = signed_session(alice_actor, pat, injections=3)
    _report(alice_actor, pat, session=session)
    rates = adverse_event_rates(alice_actor.clinic)
    assert (rates.events, rates.sessions, rates.injections) == (1, 1, 3)
    assert str(rates.per_injection) == "0.333"
