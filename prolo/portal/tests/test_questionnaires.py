"""The patient's questionnaires: what is due, answering one a page at a time, and who sees it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AuditEvent, QuestionnaireResponse
from prolo.clinic.services.patients import patient_register
from prolo.clinic.services.questionnaires import questionnaire_record
from prolo.testing import make_course

pytestmark = pytest.mark.django_db
LIST = reverse("portal:questionnaires")


@pytest.fixture
def course(alice_actor, pat):
    """Pat's planned course: baseline pain score, activities scale and KOOS due today."""
    return make_course(alice_actor, pat, outcome_instruments=["pain_nrs", "psfs", "koos"])


@pytest.fixture
def quinn(rita_actor):
    """Another patient of Pat's clinic."""
    return patient_register(
        actor=rita_actor,
        mrn="R-0002",
        given_name="Quinn",
        family_name="Other",
        date_of_birth=dt.date(1970, 1, 1),
        sex="male",
    )


def answer_url(course, instrument, timepoint="baseline", step=None):
    url = reverse("portal:questionnaire-answer", args=[course.code, instrument, timepoint])
    return f"{url}?step={step}" if step else url


def test_a_signed_out_visitor_is_sent_to_sign_in(course, client):
    for url in (LIST, answer_url(course, "pain_nrs")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("portal:sign-in"))


def test_the_list_offers_what_is_due_and_leaves_unlicensed_text_to_staff(course, patient_client):
    page = patient_client.get(LIST).text
    assert "Your pain score (0 to 10)" in page
    assert "Everyday activities" in page
    assert answer_url(course, "pain_nrs") in page
    assert answer_url(course, "koos") not in page
    assert "You answer this questionnaire with the clinic's staff" in page


def test_a_questionnaire_without_its_text_cannot_be_answered_here(course, patient_client):
    response = patient_client.get(answer_url(course, "koos"), follow=True)
    assert "not open for answers now" in response.text


def test_another_patients_course_is_not_found(alice_actor, quinn, course, patient_client):
    their_course = make_course(alice_actor, quinn)
    assert patient_client.get(answer_url(their_course, "pain_nrs")).status_code == 404
    assert (
        patient_client.post(answer_url(their_course, "pain_nrs"), {"answer": "3"}).status_code
        == 404
    )
    assert not QuestionnaireResponse.objects.exists()


def test_a_pain_score_is_one_page_and_stored_as_the_patients_own(course, pat_actor, patient_client):
    response = patient_client.post(answer_url(course, "pain_nrs"), {"answer": "3"}, follow=True)
    assert "Thank you" in response.text
    assert "You rated your pain 3 out of 10." in response.text
    stored = QuestionnaireResponse.objects.get()
    assert stored.source == "patient"
    assert stored.entered_by == pat_actor.user
    assert stored.answered_on == clinic_today(pat_actor.clinic)
    assert (stored.course, stored.timepoint) == (course, "baseline")
    audit = AuditEvent.objects.get(object_type="questionnaireresponse")
    assert audit.actor == pat_actor.user
    assert audit.patient == pat_actor.patient
    assert answer_url(course, "pain_nrs") not in patient_client.get(LIST).text


def test_an_answer_out_of_range_names_the_question(course, patient_client):
    response = patient_client.post(answer_url(course, "pain_nrs"), {"answer": "11"})
    assert response.status_code == 400
    assert "Question 1: choose one of the answers shown." in response.text
    assert not QuestionnaireResponse.objects.exists()


def test_stepping_forward_and_back_keeps_the_answers(course, patient_client):
    url = answer_url(course, "psfs")
    first = patient_client.post(url, {"step": "1", "answer": "4", "go": "next"})
    assert first.url == answer_url(course, "psfs", step=2)
    back = patient_client.post(url, {"step": "2", "answer": "6", "go": "back"})
    assert back.url == answer_url(course, "psfs", step=1)
    page_1 = patient_client.get(answer_url(course, "psfs", step=1)).text
    assert 'value="4" class="choices scale" required id="id_answer_4" checked' in page_1
    assert "Question 1 of 5" in page_1
    page_2 = patient_client.get(answer_url(course, "psfs", step=2)).text
    assert 'id="id_answer_6" checked' in page_2


def test_next_needs_an_answer_and_says_which_question(course, patient_client):
    response = patient_client.post(answer_url(course, "psfs"), {"step": "3", "go": "next"})
    assert response.status_code == 400
    assert "Question 3: choose an answer." in response.text
    # Back never needs an answer.
    back = patient_client.post(answer_url(course, "psfs"), {"step": "3", "go": "back"})
    assert back.status_code == 302


def test_the_last_page_summarises_and_submits(course, pat_actor, patient_client):
    url = answer_url(course, "psfs")
    # Jumping to the summary early goes back to the first unanswered question.
    early = patient_client.get(answer_url(course, "psfs", step=6))
    assert early.url == answer_url(course, "psfs", step=1)
    for step, value in enumerate([4, 5, 6, 7, 8], start=1):
        patient_client.post(url, {"step": str(step), "answer": str(value), "go": "next"})
    summary = patient_client.get(answer_url(course, "psfs", step=6))
    assert "Check your answers" in summary.text
    assert "Send my answers" in summary.text
    done = patient_client.post(url, {"step": "6", "go": "submit"}, follow=True)
    assert "Thank you" in done.text
    assert "out of" not in done.text  # no headline number for a multi-item scale
    stored = QuestionnaireResponse.objects.get(instrument="psfs")
    assert stored.answers == {f"activity{n}": n + 3 for n in range(1, 6)}
    assert (stored.source, stored.entered_by) == ("patient", pat_actor.user)


def test_another_patients_thank_you_page_is_not_found(alice_actor, quinn, patient_client):
    response = questionnaire_record(
        actor=alice_actor,
        patient=quinn,
        instrument="pain_nrs",
        answers={"pain": 5},
        answered_on=clinic_today(alice_actor.clinic),
    )
    url = reverse("portal:questionnaire-done", args=[response.code])
    assert patient_client.get(url).status_code == 404


def test_the_due_page_runs_the_same_queries_for_one_course_or_three(
    alice_actor, pat, patient_client
):
    make_course(alice_actor, pat, outcome_instruments=["pain_nrs", "psfs"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert patient_client.get(LIST).status_code == 200
        return len(queries)

    one = count()
    for _ in range(2):
        make_course(alice_actor, pat, outcome_instruments=["pain_nrs", "psfs", "koos"])
    assert count() == one
