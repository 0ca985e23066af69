"""The clinic's adverse-event list and rates, and the review-task list, as staff read them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prolo.clinic.services.adverse_events import adverse_event_close, adverse_event_report
from prolo.clinic.services.diary import diary_entry_record, session_day
from prolo.clinic.services.patients import patient_register
from prolo.staff.views.adverse_events import PAGE_SIZE
from prolo.testing import signed_session

pytestmark = pytest.mark.django_db


def words(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _patient(actor, n: int):
    return patient_register(
        actor=actor,
        mrn=f"AE-{n:04d}",
        given_name=f"Given{n}",
        family_name=f"Family{n}",
        date_of_birth=dt.date(1960, 1, 1),
        sex="female",
    )


def _event(actor, session, grade: int = 2, **fields):
    return adverse_event_report(
        actor=actor,
        patient=session.course.patient,
        session=session,
        event_type="severe_pain",
        onset_date=session_day(session),
        grade=grade,
        expectedness="expected",
        **fields,
    )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_shows_grade_and_the_rates_per_session_and_injection(
    alice_actor, nora, pat, client_for
):
    session = signed_session(alice_actor, pat, injections=3)
    _event(alice_actor, session, grade=2)
    page = words(client_for(nora).get(reverse("staff:adverse-event-list")))
    assert "Pat Fields Severe pain 2 Not serious" in page
    assert re.search(r"Events per session 1(\.0+)? \(1 / 1\)", page), page
    assert re.search(r"Events per injection 0\.33\d* \(1 / 3\)", page), page


def test_closed_events_leave_the_open_list(alice_actor, alice, pat, client_for):
    session = signed_session(alice_actor, pat)
    event = _event(alice_actor, session, outcome="recovered")
    adverse_event_close(actor=alice_actor, event=event)
    client = client_for(alice)
    assert "No adverse events." in words(client.get(reverse("staff:adverse-event-list")))
    closed = words(client.get(reverse("staff:adverse-event-list") + "?status=closed"))
    assert "Severe pain" in closed
    assert "Closed" in closed


def test_the_list_pages_and_costs_the_same_queries_whatever_the_size(
    alice_actor, alice, client_for
):
    client = client_for(alice)
    url = reverse("staff:adverse-event-list")
    sessions = [signed_session(alice_actor, _patient(alice_actor, n)) for n in range(3)]
    _event(alice_actor, sessions[0])
    small = _count(client, url)
    for n in range(PAGE_SIZE + 1):
        _event(alice_actor, sessions[n % 3], grade=1 + n % 3)
    assert _count(client, url) == small
    page = words(client.get(url))
    assert "Page 1 of 2" in page
    second = client.get(url + "?status=open&page=2")
    assert words(second).count("Severe pain") == 2


def test_the_review_task_list_costs_the_same_queries_whatever_the_size(
    alice_actor, alice, client_for
):
    client = client_for(alice)
    url = reverse("staff:review-task-list")

    def flag(n: int) -> None:
        session = signed_session(alice_actor, _patient(alice_actor, 100 + n))
        with time_machine.travel(session.scheduled_at + dt.timedelta(days=1, hours=12)):
            _day_one(session)

    def _day_one(session) -> None:
        diary_entry_record(
            actor=alice_actor,
            session=session,
            day=1,
            pain=9,
            swelling="moderate",
            joint_use="reduced",
            source="phone",
        )

    flag(0)
    small = _count(client, url)
    for n in range(1, 5):
        flag(n)
    assert _count(client, url) == small
    assert words(client.get(url)).count("Pain 8/10 or worse") >= 5
