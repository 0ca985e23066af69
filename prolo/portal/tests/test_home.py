"""The portal's home page: the next session with a countdown, the dated preparation plan, the
aftercare after a signed session, in English and Spanish, with a constant number of queries."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from prolo.clinic.models import Clinic, PatientAccount
from prolo.portal.views.home import countdown
from prolo.testing import make_course, signed_session

pytestmark = pytest.mark.django_db
HOME = reverse("portal:home")
LONDON = ZoneInfo("Europe/London")
# Saturday 28 February 2026, noon: the session below is on Tuesday 3 March at 10:30.
SATURDAY = dt.datetime(2026, 2, 28, 12, 0, tzinfo=LONDON)
TUESDAY = dt.date(2026, 3, 3)


@pytest.fixture(autouse=True)
def english():
    # A request in Spanish leaves Spanish active in this thread; each test starts in English.
    with translation.override("en"):
        yield


def signed_in(account: PatientAccount) -> Client:
    """A client signed in now (the idle timeout would sign out one made before a time jump)."""
    client = Client()
    client.force_login(account.user)
    return client


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def booked(alice_actor, pat, clinic):
    Clinic.objects.filter(pk=clinic.pk).update(
        address="12 River Road, Riverside", phone="01632 960000"
    )
    with time_machine.travel(SATURDAY, tick=False):
        make_course(alice_actor, pat, start_date=TUESDAY, first_session_time=dt.time(10, 30))
        yield


def home_html(client) -> str:
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_the_next_session_says_when_where_and_with_whom(booked, patient_client):
    html = home_html(patient_client)
    assert "In 3 days" in html
    assert "Tuesday 3 March 2026, 10:30" in html
    assert "Riverside Prolotherapy<br>12 River Road, Riverside<br>Room 1" in html
    assert "Dr Alice Moreno" in html
    assert 'href="tel:01632960000"' in html


def test_what_to_do_now_is_the_dated_preparation_plan(booked, patient_client):
    html = home_html(patient_client)
    assert "What to do now" in html
    assert (
        "From Saturday 28 February 2026 (3 days before your treatment), stop taking "
        "anti-inflammatory painkillers"
    ) in html
    assert "include some protein" in html
    assert "bring a list of the medicines you take" in html
    assert "After your treatment" not in html  # nothing signed yet


def test_the_plan_follows_the_clinics_settings(booked, patient_client, adam_actor):
    from prolo.clinic.services.clinic_settings import settings_update

    settings_update(actor=adam_actor, nsaid_stop_days_before=7)
    assert "From Tuesday 24 February 2026 (7 days before" in home_html(patient_client)


def test_the_home_page_is_in_spanish_with_spanish_dates(booked, patient_client, pat_account):
    PatientAccount.objects.filter(pk=pat_account.pk).update(preferences={"language": "es"})
    patient_client.cookies["django_language"] = "es"
    html = home_html(patient_client)
    assert "Su próxima sesión" in html
    assert "Dentro de 3 días" in html
    assert "martes 3 de marzo de 2026, 10:30" in html
    assert (
        "A partir del sábado 28 de febrero de 2026 (3 días antes del tratamiento), deje de "
        "tomar analgésicos antiinflamatorios"
    ) in html


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(TUESDAY, 8), "today at 10:30"),
        (at(TUESDAY, 11), "today at 10:30"),  # running late: still today
        (at(dt.date(2026, 3, 2), 23, 59), "tomorrow at 10:30"),
        (at(dt.date(2026, 2, 24), 7), "in 7 days"),
    ],
)
def test_the_countdown_counts_calendar_days(now, expected):
    assert countdown(at(TUESDAY, 10, 30), now) == expected


def test_the_countdown_is_right_across_daylight_saving_changes():
    # Clocks go forward on 29 March 2026: 23 hours apart is still "tomorrow".
    assert countdown(at(dt.date(2026, 3, 29), 9), at(dt.date(2026, 3, 28), 9)) == (
        "tomorrow at 09:00"
    )
    # Clocks go back on 25 October 2026: 26 hours apart, two calendar days on.
    assert countdown(at(dt.date(2026, 10, 26), 0, 30), at(dt.date(2026, 10, 24), 23)) == (
        "in 2 days"
    )


def test_after_a_signed_session_the_aftercare_and_when_to_get_help(alice_actor, pat, pat_account):
    wednesday = dt.datetime(2026, 3, 4, 12, 0, tzinfo=LONDON)
    with time_machine.travel(wednesday, tick=False):
        signed_session(alice_actor, pat)
    with time_machine.travel(wednesday + dt.timedelta(days=2), tick=False):
        html = home_html(signed_in(pat_account))
    assert "You had a treatment on Wednesday 4 March 2026." in html
    assert "may feel worse before it feels better" in html
    assert "If it has not settled by Wednesday 11 March 2026 (7 days), call us." in html
    assert "Call us straight away, or get urgent medical help" in html
    assert "call your local emergency number now" in html
    # The course's next session (28 days on) has its own preparation plan.
    assert "From Sunday 29 March 2026" in html


def test_the_aftercare_leaves_the_home_page_when_its_days_are_over(alice_actor, pat, pat_account):
    wednesday = dt.datetime(2026, 3, 4, 12, 0, tzinfo=LONDON)
    with time_machine.travel(wednesday, tick=False):
        signed_session(alice_actor, pat)
    with time_machine.travel(wednesday + dt.timedelta(days=7), tick=False):
        assert "may feel worse before it feels better" in home_html(signed_in(pat_account))
    with time_machine.travel(wednesday + dt.timedelta(days=8), tick=False):
        assert "may feel worse before it feels better" not in home_html(signed_in(pat_account))


def test_another_patients_sessions_never_show(charlie_actor, olga, pat_account, patient_client):
    with time_machine.travel(SATURDAY, tick=False):
        make_course(charlie_actor, olga, start_date=TUESDAY)
        html = home_html(patient_client)
    assert "No session is booked." in html
    assert "Hilltop" not in html


def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:sign-in") + "?next=")


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def test_the_page_runs_the_same_queries_however_long_the_record(alice_actor, pat, pat_account):
    wednesday = dt.datetime(2026, 3, 4, 12, 0, tzinfo=LONDON)
    with time_machine.travel(wednesday, tick=False):
        client = signed_in(pat_account)
        signed_session(alice_actor, pat, injections=1)
        small = _queries(client)
        for _ in range(3):
            make_course(alice_actor, pat, planned_sessions=6)
        signed_session(alice_actor, pat, injections=5)
        large = _queries(client)
    assert small == large == 15
