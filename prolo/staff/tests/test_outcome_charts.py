"""Progress charts and the per-course benefit on the patient chart and the course page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AuditEvent
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.services.courses import course_outcomes_set
from prolo.clinic.services.questionnaires import questionnaire_record
from prolo.clinic.services.sessions import note_sign
from prolo.testing import add_injection, complete_checklist, give_consent, make_course, make_note

pytestmark = pytest.mark.django_db


def record(actor, patient, course, value, *, timepoint, days_ago, instrument="pain_nrs"):
    item = INSTRUMENTS[instrument].items[0].id
    return questionnaire_record(
        actor=actor,
        patient=patient,
        course=course,
        instrument=instrument,
        timepoint=timepoint,
        answers={item: value},
        answered_on=clinic_today(actor.clinic) - dt.timedelta(days=days_ago),
    )


def course_with(actor, patient, baseline, latest):
    """A course with a pain NRS baseline and a later (extra) score."""
    course = make_course(actor, patient)
    record(actor, patient, course, baseline, timepoint="baseline", days_ago=20)
    record(actor, patient, course, latest, timepoint="extra", days_ago=2)
    return course


def sign_first_session(actor, course):
    give_consent(actor, course)
    session = course.sessions.get(number=1)
    complete_checklist(actor, session)
    note = make_note(actor, session)
    add_injection(actor, note)
    note_sign(actor=actor, note=note)
    return session


def text(response) -> str:
    """The page's text with tags removed and white space collapsed, as a reader hears it."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def chart(client, patient):
    response = client.get(reverse("staff:patient-chart", args=[patient.code]))
    assert response.status_code == 200
    return response


def test_a_clinician_sees_the_chart_and_its_data_table(alice, alice_actor, pat, client_for):
    course = course_with(alice_actor, pat, 7, 4)
    sign_first_session(alice_actor, course)
    page = chart(client_for(alice), pat)
    html = page.content.decode()
    assert 'role="img" aria-labelledby="outcome-pain_nrs-title outcome-pain_nrs-desc"' in html
    assert '<title id="outcome-pain_nrs-title">' in html
    assert "lower is better" in html
    assert ">Session 1</text>" in html
    words = text(page)
    assert "Pain numeric rating scale (0–10) scores, oldest first" in words
    assert "Baseline" in words
    assert "Extra (not scheduled)" in words
    assert "\u22123 (better)" in words
    assert "Record a questionnaire" in words


def test_the_chart_opening_stays_audited(alice, alice_actor, pat, client_for):
    course_with(alice_actor, pat, 7, 4)
    before = AuditEvent.objects.count()
    chart(client_for(alice), pat)
    assert AuditEvent.objects.count() == before + 1


def test_a_nurse_sees_scores_too(nora, alice_actor, pat, client_for):
    course_with(alice_actor, pat, 7, 4)
    words = text(chart(client_for(nora), pat))
    assert "Outcomes" in words
    assert "Improved (3 points, 43%)" in words


def test_reception_sees_no_scores(rita, alice_actor, pat, client_for):
    course_with(alice_actor, pat, 7, 4)
    html = chart(client_for(rita), pat).content.decode()
    assert "Outcomes" not in html
    assert "<svg" not in html
    assert "Pain numeric rating scale" not in html
    assert "Record a questionnaire" not in html


def test_a_patient_without_questionnaires_is_told_so(alice, pat, client_for):
    assert "No questionnaires recorded yet." in text(chart(client_for(alice), pat))


def test_the_benefit_summary_says_improved_unchanged_or_worse(alice, alice_actor, pat, client_for):
    course_with(alice_actor, pat, 7, 4)
    course_with(alice_actor, pat, 5, 4)
    course_with(alice_actor, pat, 3, 6)
    words = text(chart(client_for(alice), pat))
    assert "Improved (3 points, 43%)" in words
    assert "Unchanged (less than the MCID)" in words
    assert "Worse (3 points, 100%)" in words
    assert "MCID 2 points or 30% of the baseline. Source: Farrar 2001" in words


def test_an_instrument_without_an_mcid_says_so(alice, alice_actor, pat, client_for):
    course = make_course(alice_actor, pat)
    course_outcomes_set(actor=alice_actor, course=course, outcome_instruments=["ffi"])
    items = [item.id for item in INSTRUMENTS["ffi"].items]
    for value, timepoint, days_ago in ((6, "baseline", 20), (3, "extra", 1)):
        questionnaire_record(
            actor=alice_actor,
            patient=pat,
            course=course,
            instrument="ffi",
            timepoint=timepoint,
            answers=dict.fromkeys(items, value),
            answered_on=clinic_today(alice_actor.clinic) - dt.timedelta(days=days_ago),
        )
    words = text(chart(client_for(alice), pat))
    assert "No MCID shipped for this score, so no responder status." in words
    assert "No responder status" in words
    assert "50% better" in words


def test_the_course_page_shows_the_course_benefit(alice, alice_actor, pat, client_for):
    course = course_with(alice_actor, pat, 7, 4)
    course_with(alice_actor, pat, 3, 6)  # another course's scores stay off this page
    response = client_for(alice).get(reverse("staff:course-detail", args=[course.code]))
    assert response.status_code == 200
    words = text(response)
    assert "Improved (3 points, 43%)" in words
    assert "Worse" not in words


def test_a_course_without_follow_up_scores_says_so(alice, alice_actor, pat, client_for):
    course = make_course(alice_actor, pat)
    response = client_for(alice).get(reverse("staff:course-detail", args=[course.code]))
    assert "No instrument has both a baseline and a later score" in text(response)


def test_the_course_benefit_costs_the_same_queries_at_any_size(alice, alice_actor, pat, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    course = course_with(alice_actor, pat, 7, 4)
    client = client_for(alice)
    url = reverse("staff:course-detail", args=[course.code])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for days_ago in (10, 8, 6):
        record(alice_actor, pat, course, 5, timepoint="extra", days_ago=days_ago)
    sign_first_session(alice_actor, course)
    assert count() == small
