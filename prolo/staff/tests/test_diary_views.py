"""The session page's 7-day diary and the clinic's review task list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prolo.clinic.models import ReviewTask, TaskStatus, TreatmentSession
from prolo.testing import make_course, signed_session

pytestmark = pytest.mark.django_db

DAY = {
    "diary-day": "2",
    "diary-pain": "9",
    "diary-swelling": "moderate",
    "diary-joint_use": "reduced",
    "diary-analgesics": "Paracetamol 1 g",
}


@pytest.fixture
def session(alice_actor, pat) -> TreatmentSession:
    session = signed_session(alice_actor, pat)
    TreatmentSession.objects.filter(pk=session.pk).update(
        scheduled_at=timezone.now() - dt.timedelta(days=10)
    )
    return session


def _task(actor, patient, reason="Diary day 2: Fever.") -> ReviewTask:
    return ReviewTask.objects.create(
        clinic=actor.clinic, patient=patient, reason=reason, flags=["fever"]
    )


def test_a_signed_session_shows_the_diary_with_seven_days(session, nora, client_for):
    response = client_for(nora).get(reverse("staff:session-detail", args=[session.code]))
    assert "7-day diary" in response.text
    assert response.text.count("Not recorded") == 7
    assert "Record a day" in response.text


def test_an_unsigned_session_has_no_diary(alice, alice_actor, pat, client_for):
    session = make_course(alice_actor, pat).sessions.get(number=1)
    response = client_for(alice).get(reverse("staff:session-detail", args=[session.code]))
    assert "7-day diary" not in response.text


def test_a_clinic_admin_sees_the_diary_but_cannot_record_it(session, adam, client_for):
    response = client_for(adam).get(reverse("staff:session-detail", args=[session.code]))
    assert "7-day diary" in response.text
    assert "Record a day" not in response.text


def test_a_flagged_day_opens_a_task_listed_on_the_review_page(session, nora, client_for):
    client = client_for(nora)
    url = reverse("staff:diary-entry-add", args=[session.code])
    response = client.post(url, DAY, follow=True)
    assert "This day needs review" in response.text
    assert "Needs review:" in response.text
    listing = client.get(reverse("staff:review-task-list"))
    assert session.course.patient.full_name in listing.text
    assert "Pain 8/10 or worse" in listing.text
    assert "design suggestion, not from a source" in listing.text
    assert 'Review tasks <span class="count">(1 open)</span>' in listing.text


def test_a_future_day_is_refused_beside_the_day_field(alice_actor, pat, alice, client_for):
    today = signed_session(alice_actor, pat)
    url = reverse("staff:diary-entry-add", args=[today.code])
    response = client_for(alice).post(url, DAY)
    assert response.status_code == 400
    assert response.context["forms"]["diary"].errors["day"] == [
        "Day 2 after this session has not come yet."
    ]


def test_closing_a_task_moves_it_below_the_open_ones(alice_actor, pat, nora, client_for):
    first = _task(alice_actor, pat, "First")
    _task(alice_actor, pat, "Second")
    client = client_for(nora)
    url = reverse("staff:review-task-close", args=[first.code])
    response = client.post(url, {"close-closing_note": "Called back."})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == TaskStatus.CLOSED
    text = client.get(reverse("staff:review-task-list")).text
    assert text.index("Second") < text.index("First")
    assert "Called back." in text


def test_closing_without_a_note_shows_the_error_on_that_task(alice_actor, pat, nora, client_for):
    task = _task(alice_actor, pat)
    url = reverse("staff:review-task-close", args=[task.code])
    response = client_for(nora).post(url, {"close-closing_note": ""})
    assert response.status_code == 400
    assert f'id="id_close-closing_note_{task.code}"' in response.text
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_a_physiotherapist_sees_tasks_but_no_close_form(alice_actor, pat, pete, client_for):
    _task(alice_actor, pat)
    response = client_for(pete).get(reverse("staff:review-task-list"))
    assert response.status_code == 200
    assert "Close the task" not in response.text


def test_another_clinics_tasks_are_not_listed(alice_actor, pat, charlie, client_for):
    _task(alice_actor, pat)
    response = client_for(charlie).get(reverse("staff:review-task-list"))
    assert pat.full_name not in response.text
    assert "No review tasks." in response.text


def test_another_clinics_task_cannot_be_closed(alice_actor, pat, charlie, client_for):
    task = _task(alice_actor, pat)
    url = reverse("staff:review-task-close", args=[task.code])
    response = client_for(charlie).post(url, {"close-closing_note": "Not mine."})
    assert response.status_code == 404


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_task_list_runs_a_constant_number_of_queries(alice_actor, pat, nora, client_for):
    client = client_for(nora)
    url = reverse("staff:review-task-list")
    session = signed_session(alice_actor, pat)
    for i in range(2):
        ReviewTask.objects.create(
            clinic=alice_actor.clinic, patient=pat, session=None, reason=f"R{i}", flags=["fever"]
        )
    small = _queries(client, url)
    ReviewTask.objects.create(
        clinic=alice_actor.clinic, patient=pat, session=session, reason="S", flags=["fever"]
    )
    for i in range(5):
        task = _task(alice_actor, pat, f"C{i}")
        ReviewTask.objects.filter(pk=task.pk).update(
            status=TaskStatus.CLOSED, closed_by=alice_actor.user, closing_note="Done."
        )
    assert ReviewTask.objects.count() == 8
    assert _queries(client, url) == small == TASK_LIST_QUERIES


# Pinned: a change that adds a query per task shows up here (2 tasks, then 8).
TASK_LIST_QUERIES = 8
