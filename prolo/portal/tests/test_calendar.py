"""The calendar page: making, showing once, revoking and re-making the feed link; the feed
served without a sign-in; one session's .ics for its own patient only."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AuditEvent, PatientAccount
from prolo.clinic.services.patients import patient_register
from prolo.testing import make_course

pytestmark = pytest.mark.django_db


def make_link(client: Client) -> tuple[str, str]:
    """Press 'Make my calendar link'; returns the https and webcal URLs the page shows."""
    response = client.post(reverse("portal:calendar-create"), follow=True)
    html = response.content.decode()
    https = re.search(r'id="feed-https" type="text" readonly value="([^"]+)"', html)
    webcal = re.search(r'id="feed-webcal" type="text" readonly value="([^"]+)"', html)
    assert https, html
    assert webcal, html
    return https.group(1), webcal.group(1)


def test_a_patient_makes_a_link_that_shows_once_and_opens_without_signing_in(
    patient_client, pat, alice_actor
):
    make_course(
        alice_actor, pat, start_date=clinic_today(alice_actor.clinic) + dt.timedelta(days=5)
    )
    page = patient_client.get(reverse("portal:calendar")).content.decode()
    assert "Make my calendar link" in page
    assert 'aria-current="page">Calendar' in page

    https, webcal = make_link(patient_client)
    assert https.startswith("http://testserver/portal/calendar/")
    assert https.endswith(".ics")
    assert webcal == "webcal://" + https.removeprefix("http://")
    again = patient_client.get(reverse("portal:calendar")).content.decode()
    assert https not in again  # shown once only
    assert "Your calendar link is on" in again

    feed = Client().get(https.removeprefix("http://testserver"))  # a calendar app: no cookie
    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert feed["Cache-Control"] == "private, no-store"
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert any(str(e["SUMMARY"]) == "Appointment at Riverside Prolotherapy" for e in events)


def test_revoking_the_link_makes_the_old_url_answer_404_and_a_new_link_works(patient_client):
    first, _ = make_link(patient_client)
    path = first.removeprefix("http://testserver")
    response = patient_client.post(reverse("portal:calendar-revoke"), follow=True)
    assert "switched off" in response.content.decode()
    assert Client().get(path).status_code == 404
    assert PatientAccount.objects.get().feed_token_hash == ""

    second, _ = make_link(patient_client)
    assert Client().get(second.removeprefix("http://testserver")).status_code == 200
    third, _ = make_link(patient_client)  # making a new one replaces the last
    assert Client().get(second.removeprefix("http://testserver")).status_code == 404
    assert Client().get(third.removeprefix("http://testserver")).status_code == 200


def test_making_and_revoking_the_link_are_in_the_patients_audit_trail(patient_client, pat):
    make_link(patient_client)
    patient_client.post(reverse("portal:calendar-revoke"))
    changes = [
        e.changes["calendar_feed"]
        for e in AuditEvent.objects.filter(patient=pat, object_type="patientaccount").order_by("id")
        if "calendar_feed" in e.changes
    ]
    assert changes == [["off", "on"], ["on", "off"]]
    assert not any("feed_token_hash" in e.changes for e in AuditEvent.objects.all())


def test_an_unknown_token_answers_404(client):
    assert client.get(reverse("portal:calendar-feed", args=["not-a-real-token"])).status_code == 404


def test_the_link_does_not_work_for_a_deactivated_account(patient_client, pat_account):
    https, _ = make_link(patient_client)
    pat_account.user.is_active = False
    pat_account.user.save(update_fields=["is_active"])
    assert Client().get(https.removeprefix("http://testserver")).status_code == 404


def test_the_feed_runs_a_constant_number_of_queries(
    patient_client, pat, alice_actor, django_assert_num_queries
):
    https, _ = make_link(patient_client)
    path = https.removeprefix("http://testserver")
    make_course(alice_actor, pat, planned_sessions=1)
    with django_assert_num_queries(5):
        Client().get(path)
    for _ in range(3):
        make_course(alice_actor, pat, planned_sessions=6, interval_days=7)
    with django_assert_num_queries(5):
        response = Client().get(path)
    assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) > 20


def test_a_patient_downloads_their_own_sessions_file(patient_client, pat, alice_actor):
    course = make_course(
        alice_actor, pat, start_date=clinic_today(alice_actor.clinic) + dt.timedelta(days=5)
    )
    session = course.sessions.get(number=1)
    page = patient_client.get(reverse("portal:calendar")).content.decode()
    url = reverse("portal:session-ics", args=[session.code])
    assert url in page
    response = patient_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    assert f"session-{session.code}@prolo" in uids


def test_another_patients_session_answers_404(patient_client, rita_actor, alice_actor):
    other = patient_register(
        actor=rita_actor,
        mrn="R-0002",
        given_name="Sam",
        family_name="Other",
        date_of_birth=dt.date(1970, 1, 1),
        sex="male",
    )
    session = make_course(alice_actor, other).sessions.get(number=1)
    response = patient_client.get(reverse("portal:session-ics", args=[session.code]))
    assert response.status_code == 404


def test_signed_out_visitors_are_sent_to_the_portal_sign_in(client, alice_actor, pat):
    session = make_course(alice_actor, pat).sessions.get(number=1)
    for url in (
        reverse("portal:calendar"),
        reverse("portal:session-ics", args=[session.code]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/portal/sign-in/")
    assert client.post(reverse("portal:calendar-create")).status_code == 302
    assert not PatientAccount.objects.exclude(feed_token_hash="").exists()
