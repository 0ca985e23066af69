"""The patient's own 7-day diary: what is open, saving a day, and what they are told at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from prolo.clinic.models import DiaryEntry, Injection, ReviewTask, TreatmentSession
from prolo.clinic.services.patients import patient_register
from prolo.testing import signed_session

pytestmark = pytest.mark.django_db
DIARY = reverse("portal:diary")
CALM_DAY = {"pain": "3", "swelling": "mild", "joint_use": "reduced", "analgesics": ""}


def days_ago(session: TreatmentSession, days: int) -> TreatmentSession:
    TreatmentSession.objects.filter(pk=session.pk).update(
        scheduled_at=timezone.now() - dt.timedelta(days=days)
    )
    session.refresh_from_db()
    return session


@pytest.fixture
def session(alice_actor, pat) -> TreatmentSession:
    """Pat's knee session, signed two days ago: diary days 1 and 2 are open."""
    return days_ago(signed_session(alice_actor, pat), 2)


def day_url(session, day, name="portal:diary-day"):
    return reverse(name, args=[session.code, day])


def test_a_signed_out_visitor_is_sent_to_sign_in(session, client):
    for url in (DIARY, day_url(session, 1)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("portal:sign-in"))


def test_the_diary_offers_each_day_that_has_come(session, patient_client):
    page = patient_client.get(DIARY).text
    assert day_url(session, 1) in page
    assert day_url(session, 2) in page
    assert day_url(session, 3) not in page
    assert patient_client.get(day_url(session, 3)).status_code == 404


def test_another_patients_session_is_not_found(alice_actor, rita_actor, patient_client):
    quinn = patient_register(
        actor=rita_actor,
        mrn="R-0002",
        given_name="Quinn",
        family_name="Other",
        date_of_birth=dt.date(1970, 1, 1),
        sex="male",
    )
    theirs = days_ago(signed_session(alice_actor, quinn), 2)
    assert patient_client.get(day_url(theirs, 1)).status_code == 404
    assert patient_client.post(day_url(theirs, 1), CALM_DAY).status_code == 404
    assert patient_client.get(day_url(theirs, 1, "portal:diary-done")).status_code == 404
    assert not DiaryEntry.objects.exists()


def test_a_calm_day_is_expected_with_self_care_from_the_aftercare_plan(
    session, pat_actor, patient_client
):
    response = patient_client.post(day_url(session, 1), CALM_DAY, follow=True)
    assert "This is expected: the area may feel worse before it feels better" in response.text
    assert "paracetamol" in response.text  # the aftercare plan's pain relief
    assert 'role="alert"' not in response.text
    entry = DiaryEntry.objects.get()
    assert (entry.source, entry.entered_by, entry.day) == ("patient", pat_actor.user, 1)
    assert not ReviewTask.objects.exists()
    assert day_url(session, 1) not in patient_client.get(DIARY).text


def test_pain_9_says_contact_the_clinic_and_opens_a_review_task_on_the_staff_list(
    session, clinic, patient_client, nora, client_for
):
    clinic.phone = "01632 960000"
    clinic.save(update_fields=["phone"])
    response = patient_client.post(day_url(session, 2), {**CALM_DAY, "pain": "9"}, follow=True)
    alert = response.text.split('role="alert"', 1)[1]
    assert "Contact the clinic today" in alert.split("</div>", 1)[0]
    assert "01632 960000" in response.text
    task = ReviewTask.objects.get()
    assert (task.session, task.flags) == (session, ["severe_pain"])
    listing = client_for(nora).get(reverse("staff:review-task-list")).text
    assert "Pat Fields" in listing
    assert "Patient (portal), diary day 2" in listing


def test_breathlessness_after_a_chest_wall_injection_says_seek_emergency_care(
    session, patient_client
):
    Injection.objects.filter(note__session=session).update(site_code="chest-costochondral")
    day = {**CALM_DAY, "breathlessness": "on"}
    response = patient_client.post(day_url(session, 1), day, follow=True)
    alert = response.text.split('role="alert"', 1)[1].split("</div>", 1)[0]
    assert "Seek emergency care now" in alert
    assert "emergency number" in alert
    assert ReviewTask.objects.get().flags == ["breathlessness"]


def test_chest_pain_after_knee_work_still_says_emergency_and_tells_the_clinic(
    session, patient_client
):
    response = patient_client.post(day_url(session, 1), {**CALM_DAY, "breathlessness": "on"})
    page = patient_client.get(response.url).text
    assert "Seek emergency care now" in page
    assert ReviewTask.objects.get().flags == ["chest_symptoms"]


def test_a_missing_pain_score_is_named_and_nothing_is_saved(session, patient_client):
    response = patient_client.post(day_url(session, 1), {**CALM_DAY, "pain": ""})
    assert response.status_code == 400
    assert "Choose how bad the pain is, from 0 to 10." in response.text
    assert not DiaryEntry.objects.exists()


def test_a_day_already_recorded_is_not_recorded_twice(session, patient_client):
    patient_client.post(day_url(session, 1), CALM_DAY)
    again = patient_client.post(day_url(session, 1), CALM_DAY, follow=True)
    assert "Day 1 is already in your diary." in again.text
    assert DiaryEntry.objects.count() == 1
