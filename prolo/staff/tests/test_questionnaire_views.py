"""Completing a questionnaire with the patient, reading it back, the due list and the schedule."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AuditAction, AuditEvent, InstrumentSetting, QuestionnaireResponse
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.services.diary import session_day
from prolo.clinic.services.patients import patient_register
from prolo.clinic.services.questionnaires import questionnaire_record
from prolo.testing import make_course, make_evaluation

pytestmark = pytest.mark.django_db


def words(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def new_url(patient, **params: object) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("staff:questionnaire-new", args=[patient.code]) + (f"?{query}" if query else "")


def test_a_due_baseline_is_completed_from_the_due_list(alice_actor, alice, pat, client_for):
    course = make_course(alice_actor, pat)
    client = client_for(alice)
    due = words(client.get(reverse("staff:outcomes-due")))
    assert "Fields" in due
    assert "Baseline" in due
    link = new_url(pat, instrument="pain_nrs", course=course.code, timepoint="baseline")
    assert link.replace("&", "&amp;") in client.get(reverse("staff:outcomes-due")).content.decode()

    form = client.get(link)
    assert form.context["form"]["slot"].value() == f"{course.code}:baseline"
    saved = client.post(
        link,
        {
            "slot": f"{course.code}:baseline",
            "answered_on": clinic_today(alice_actor.clinic).isoformat(),
            "item_pain": "7",
        },
        follow=True,
    )
    page = words(saved)
    assert "Pain numeric rating scale (0–10) recorded. Pain (0–10): 7.00." in page
    assert "pain_nrs:single/1" in page
    response = QuestionnaireResponse.objects.get()
    assert (response.course, response.timepoint, response.score) == (course, "baseline", 7)
    assert "Nothing is due this week" in words(client.get(reverse("staff:outcomes-due")))


def test_an_answer_out_of_range_names_the_item_and_saves_nothing(alice, pat, client_for):
    response = client_for(alice).post(
        new_url(pat),
        {"slot": ":extra", "answered_on": clinic_today(pat.clinic).isoformat(), "item_pain": "12"},
    )
    assert response.status_code == 400
    assert "Item pain: give a whole number from 0 to 10, or leave it blank." in words(response)
    assert not QuestionnaireResponse.objects.exists()


def test_visa_a_item_7_names_its_four_allowed_answers(alice, pat, client_for):
    answers = {f"item_{item.id}": "0" for item in INSTRUMENTS["visa_a"].items} | {"item_Q7": "5"}
    response = client_for(alice).post(
        new_url(pat, instrument="visa_a"),
        {"slot": ":extra", "answered_on": clinic_today(pat.clinic).isoformat(), **answers},
    )
    assert response.status_code == 400
    assert "Item Q7: give 0, 4, 7 or 10, or leave it blank." in words(response)
    assert not QuestionnaireResponse.objects.exists()


def test_koos_without_imported_text_says_so_and_scores_by_item_number(alice, pat, client_for):
    client = client_for(alice)
    page = words(client.get(new_url(pat, instrument="koos")))
    assert "is not shipped with Prolo: the clinic imports the official wording" in page
    assert "Item P1 (text not imported" in page
    answers = {f"item_{item.id}": "1" for item in INSTRUMENTS["koos"].items}
    answers |= {f"item_P{n}": "" for n in range(1, 6)}  # 4 of 9 pain items: too few
    refused = client.post(
        new_url(pat, instrument="koos"),
        {"slot": ":extra", "answered_on": clinic_today(pat.clinic).isoformat(), **answers},
    )
    assert refused.status_code == 400
    assert "Pain: 4 of 9 items answered; at least 5 are needed" in words(refused)
    answers |= {"item_P1": "2"}  # now 5 of 9: the rule fills the gap with the mean
    saved = client.post(
        new_url(pat, instrument="koos"),
        {"slot": ":extra", "answered_on": clinic_today(pat.clinic).isoformat(), **answers},
    )
    assert saved.status_code == 302
    response = QuestionnaireResponse.objects.get()
    assert response.missing == ["P2", "P3", "P4", "P5"]
    assert response.scores["pain"] == "70.00"  # mean (2 + 1 × 4) / 5 = 1.2 → 100 − 30


def test_imported_text_and_labels_are_shown(alice, clinic, pat, client_for):
    InstrumentSetting.objects.create(
        clinic=clinic,
        instrument="koos",
        item_text={"P1": {"text": "How often do you have knee pain?", "options": {"0": "Never"}}},
    )
    page = words(client_for(alice).get(new_url(pat, instrument="koos")))
    assert "How often do you have knee pain?" in page
    assert "0: Never" in page


def test_a_clinic_minimum_is_used_and_stored(alice, clinic, pat, client_for):
    InstrumentSetting.objects.create(clinic=clinic, instrument="koos", min_answered={"pain": 9})
    answers = {f"item_{item.id}": "1" for item in INSTRUMENTS["koos"].items} | {"item_P9": ""}
    refused = client_for(alice).post(
        new_url(pat, instrument="koos"),
        {"slot": ":extra", "answered_on": clinic_today(clinic).isoformat(), **answers},
    )
    assert "8 of 9 items answered; at least 9 are needed" in words(refused)


def test_the_detail_shows_answers_and_is_audited(alice_actor, adam, pat, client_for):
    response = questionnaire_record(
        actor=alice_actor,
        patient=pat,
        instrument="pain_nrs",
        answers={"pain": 4},
        answered_on=clinic_today(alice_actor.clinic),
    )
    page = client_for(adam).get(reverse("staff:questionnaire-detail", args=[response.code]))
    text = words(page)
    assert "Pain (0–10) 4.00 0–10 72514-3" in text
    question = INSTRUMENTS["pain_nrs"].items[0].text
    assert f"Item Question Answer pain {question} 4 " in text
    assert "Extra (not scheduled)" in text
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW_CHART, object_code=str(response.code), actor=adam
    ).exists()


def test_the_course_page_lists_the_schedule_and_changes_it(alice_actor, alice, pat, client_for):
    course = make_course(alice_actor, pat)
    client = client_for(alice)
    url = reverse("staff:course-detail", args=[course.code])
    page = words(client.get(url))
    assert "Before session 2 Pain numeric rating scale (0–10) Upcoming" in page
    assert "6 weeks after the last session" in page
    assert "Complete Knee injury" not in page

    changed = client.post(
        reverse("staff:course-outcomes", args=[course.code]),
        {"outcome_instruments": ["pain_nrs", "koos"], "follow_ups": "12m, 6w"},
        follow=True,
    )
    course.refresh_from_db()
    assert course.outcome_instruments == ["pain_nrs", "koos"]
    assert course.follow_ups == ["6w", "12m"]
    assert course.session_instruments == []
    page = words(changed)
    assert "Complete Knee injury and Osteoarthritis Outcome Score (KOOS)" in page
    assert "Before session 2 Pain numeric" not in page

    refused = client.post(
        reverse("staff:course-outcomes", args=[course.code]),
        {"outcome_instruments": ["pain_nrs"], "follow_ups": "3 years"},
    )
    assert refused.status_code == 400
    assert "is not a follow-up: write a number of weeks or months" in words(refused)


def test_the_course_page_chooses_the_koos_headline_score(alice_actor, alice, pat, client_for):
    course = make_course(alice_actor, pat, outcome_instruments=["pain_nrs", "koos"])
    client = client_for(alice)
    page = client.get(reverse("staff:course-detail", args=[course.code])).content.decode()
    assert '<option value="pain" selected>Pain</option>' in page  # the knee default, stored
    url = reverse("staff:course-outcomes", args=[course.code])
    form = {"outcome_instruments": ["pain_nrs", "koos"], "follow_ups": "6w"}
    client.post(url, form | {"headline_koos": "qol"})
    course.refresh_from_db()
    assert course.headline_scores == {"koos": "qol"}
    refused = client.post(url, form | {"headline_koos": "total"})
    assert refused.status_code == 400
    assert "Select a valid choice. total is not one of the available choices." in words(refused)
    course.refresh_from_db()
    assert course.headline_scores == {"koos": "qol"}


def test_the_course_form_chooses_the_headline_score(alice_actor, alice, pat, client_for):
    evaluation = make_evaluation(alice_actor, pat)
    form = {
        "evaluation": evaluation.pk,
        "course_type": "dextrose",
        "target_region": "knee",
        "laterality": "left",
        "targets": "MCL",
        "planned_sessions": "3",
        "interval_days": "28",
        "start_date": clinic_today(pat.clinic).isoformat(),
        "first_session_time": "09:00",
        "practitioner": alice.pk,
        "outcome_instruments": ["pain_nrs", "koos", "womac"],
        "follow_ups": "6w",
        "headline_koos": "symptoms",
        "headline_womac": "",
    }
    client = client_for(alice)
    url = reverse("staff:course-new", args=[pat.code])
    assert "Knee injury and Osteoarthritis Outcome Score (KOOS): headline score" in words(
        client.get(url)
    )
    response = client.post(url, form)
    assert response.status_code == 302, words(response)
    course = pat.courses.get()
    # The choice made, and the knee default (pain) where none was made.
    assert course.headline_scores == {"koos": "symptoms", "womac": "pain"}


def test_a_moved_session_moves_its_questionnaire(alice_actor, alice, pat, client_for):
    course = make_course(alice_actor, pat)
    session = course.sessions.get(number=2)
    session.scheduled_at += dt.timedelta(days=3)
    session.save()
    new_day = session_day(session)
    page = words(client_for(alice).get(reverse("staff:course-detail", args=[course.code])))
    assert f"{new_day:%a} {new_day.day} {new_day:%b %Y} Before session 2" in page


def _add_courses(actor, start: int, count: int) -> None:
    for i in range(start, start + count):
        patient = patient_register(
            actor=actor,
            mrn=f"D-{i:04d}",
            given_name=f"Given{i}",
            family_name=f"Family{i}",
            date_of_birth=dt.date(1970, 1, 1),
            sex="female",
        )
        make_course(actor, patient, planned_sessions=2)


def test_the_due_list_costs_the_same_queries_whatever_the_size(alice_actor, alice, client_for):
    client = client_for(alice)
    url = reverse("staff:outcomes-due")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _add_courses(alice_actor, 0, 2)
    small = count()
    _add_courses(alice_actor, 2, 8)
    assert count() == small
    assert words(client.get(url)).count("Baseline") == 10
