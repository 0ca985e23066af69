"""'Report a problem': any time, answered at once with what to do, always a review task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AuditEvent, Injection, ReviewTask, TreatmentSession
from prolo.clinic.outcomes.advice import RULES, Level, advice_level
from prolo.testing import signed_session

pytestmark = pytest.mark.django_db
PROBLEM = reverse("portal:problem")


def report(**fields):
    return {"since": timezone.localdate().isoformat(), **fields}


@pytest.fixture
def session(alice_actor, pat) -> TreatmentSession:
    session = signed_session(alice_actor, pat)
    TreatmentSession.objects.filter(pk=session.pk).update(
        scheduled_at=timezone.now() - dt.timedelta(days=2)
    )
    return session


def alert_of(page: str) -> str:
    return page.split('role="alert"', 1)[1].split("</div>", 1)[0]


def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    for url in (PROBLEM, reverse("portal:problem-done")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("portal:sign-in"))


def test_fever_says_contact_the_clinic_and_opens_a_task_for_the_latest_session(
    session, pat_actor, patient_client, nora, client_for
):
    response = patient_client.post(PROBLEM, report(problems=["fever"]), follow=True)
    assert "Contact the clinic today" in alert_of(response.text)
    task = ReviewTask.objects.get()
    assert (task.session, task.patient, task.flags) == (session, pat_actor.patient, ["fever"])
    assert task.reason.startswith("Patient (portal), problem report: fever")
    assert AuditEvent.objects.filter(object_type="reviewtask", actor=pat_actor.user).exists()
    listing = client_for(nora).get(reverse("staff:review-task-list")).text
    assert "Patient (portal), problem report" in listing


def test_breathlessness_after_a_chest_wall_injection_says_seek_emergency_care(
    session, patient_client
):
    Injection.objects.filter(note__session=session).update(site_code="chest-costochondral")
    response = patient_client.post(PROBLEM, report(problems=["breathlessness"]), follow=True)
    alert = alert_of(response.text)
    assert "Seek emergency care now" in alert
    assert "emergency number" in alert
    assert ReviewTask.objects.get().flags == ["breathlessness"]


def test_without_any_session_a_report_is_a_task_of_its_own(pat_actor, patient_client):
    response = patient_client.post(PROBLEM, report(problems=["allergic"]), follow=True)
    assert "Seek emergency care now" in alert_of(response.text)
    task = ReviewTask.objects.get()
    assert task.session is None
    assert task.patient == pat_actor.patient


def test_mild_swelling_is_expected_but_the_clinic_still_hears_of_it(session, patient_client):
    response = patient_client.post(
        PROBLEM, report(problems=["swelling"], pain="3", details="A bit puffy."), follow=True
    )
    assert "This is expected" in response.text
    assert 'role="alert"' not in response.text
    assert "A bit puffy." in ReviewTask.objects.get().reason


def test_two_reports_about_one_session_share_its_open_task(session, patient_client):
    patient_client.post(PROBLEM, report(problems=["fever"]))
    patient_client.post(PROBLEM, report(problems=["pain"], pain="9"))
    task = ReviewTask.objects.get()
    assert task.flags == ["fever", "severe_pain"]
    assert task.reason.count("problem report") == 2


def test_other_without_saying_what_is_refused_beside_the_field(session, patient_client):
    response = patient_client.post(PROBLEM, report(problems=["other"]))
    assert response.status_code == 400
    assert "Say what the other problem is." in response.text
    assert not ReviewTask.objects.exists()


def test_a_future_start_or_no_problem_is_refused(session, patient_client):
    tomorrow = (clinic_today(session.course.patient.clinic) + dt.timedelta(days=1)).isoformat()
    response = patient_client.post(PROBLEM, {"problems": ["pain"], "since": tomorrow})
    assert "The problem cannot start on a future day." in response.text
    response = patient_client.post(PROBLEM, report())
    assert "Choose at least one problem." in response.text
    assert not ReviewTask.objects.exists()


def test_the_most_urgent_sign_decides_and_every_sign_names_its_source():
    assert advice_level(["swelling", "fever", "breathlessness"]) == Level.EMERGENCY
    assert advice_level(["other", "severe_pain"]) == Level.CLINIC_TODAY
    assert advice_level(["other"]) == Level.EXPECTED
    assert all(rule.source for rule in RULES.values())
