"""A signed-in user who does nothing for SESSION_IDLE_TIMEOUT_MINUTES is signed out."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from prolo.conftest import PASSWORD

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _signed_in(username: str) -> Client:
    """Sign in through the form, as the browser does, and make one request to start the clock."""
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("staff:today")).status_code == 200
    return client


def _is_sent_to_sign_in(response, next_url: str) -> bool:
    if response.status_code != 302:
        return False
    location = urlsplit(response["Location"])
    return location.path == reverse("accounts:login") and parse_qs(location.query)["next"] == [
        next_url
    ]


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_an_idle_user_is_signed_out_and_sent_to_sign_in_with_next(alice, settings, traveller):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    client = _signed_in("alice")
    traveller.shift(dt.timedelta(minutes=31))

    url = reverse("staff:patient-list") + "?q=Fields"
    response = client.get(url)

    assert _is_sent_to_sign_in(response, url)
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"])
    assert "You were signed out after a period of inactivity." in page.content.decode()
    # Signed out for good, not just for one request.
    assert client.get(reverse("staff:today")).status_code == 302


def test_a_user_active_within_the_window_stays_signed_in(alice, settings, traveller):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    client = _signed_in("alice")
    # Each request restarts the clock: 3 × 20 minutes is an hour, but never 30 idle.
    for _ in range(3):
        traveller.shift(dt.timedelta(minutes=20))
        assert client.get(reverse("staff:patient-list")).status_code == 200
    assert client.session[SESSION_KEY] == str(alice.pk)


def test_exactly_the_timeout_is_still_within_the_window(alice, settings, traveller):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    client = _signed_in("alice")
    traveller.shift(dt.timedelta(minutes=30))
    assert client.get(reverse("staff:today")).status_code == 200


@pytest.mark.parametrize(("timeout", "idle", "signed_out"), [(5, 4, False), (5, 6, True)])
def test_the_timeout_follows_the_setting(alice, settings, traveller, timeout, idle, signed_out):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = timeout
    client = _signed_in("alice")
    traveller.shift(dt.timedelta(minutes=idle))
    response = client.get(reverse("staff:today"))
    assert _is_sent_to_sign_in(response, reverse("staff:today")) is signed_out
    assert (SESSION_KEY in client.session) is not signed_out


def test_a_long_timeout_keeps_a_user_signed_in_past_the_default(alice, settings, traveller):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 120
    client = _signed_in("alice")
    traveller.shift(dt.timedelta(minutes=90))
    assert client.get(reverse("staff:today")).status_code == 200


def test_signed_out_visitors_are_not_affected(db, client, traveller):
    client.get(reverse("accounts:login"))
    traveller.shift(dt.timedelta(days=1))
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "period of inactivity" not in response.content.decode()
