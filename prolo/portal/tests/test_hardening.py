"""Defects a review found in the portal, each pinned: overflow, secrets at rest, look-alike
accounts, proxies, and reminders for sessions that moved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import Reminder, ReminderKind, ReminderStatus
from prolo.clinic.services.patients import patient_register
from prolo.clinic.services.portal_accounts import MAX_FAILURES_PER_IP, invitation_send
from prolo.clinic.services.reminders import reminders_sync
from prolo.clinic.services.sessions import session_update
from prolo.testing import make_course, signed_session

pytestmark = pytest.mark.django_db


def test_a_huge_diary_day_in_the_url_is_not_found(patient_client, alice_actor, pat):
    session = signed_session(alice_actor, pat)
    url = f"/portal/diary/{session.code}/day-99999999/"
    assert patient_client.get(url).status_code == 404


def test_the_calendar_secret_is_shown_once_and_never_kept_in_the_session(patient_client):
    shown = patient_client.post(reverse("portal:calendar-create"))
    assert shown.status_code == 200
    assert shown["Cache-Control"] == "private, no-store"
    assert "webcal://" in shown.content.decode()
    for stored in Session.objects.all():
        assert "feed" not in str(stored.get_decoded()).lower()
    assert "webcal://" not in patient_client.get(reverse("portal:calendar")).content.decode()


def test_two_patients_cannot_share_one_sign_in_address(alice_actor, pat_account):
    brother = patient_register(
        actor=alice_actor,
        mrn="R-0999",
        given_name="Sam",
        family_name="Fields",
        date_of_birth=dt.date(1990, 5, 5),
        sex="male",
    )
    with pytest.raises(ValidationError, match="Another patient's portal account uses this"):
        invitation_send(actor=alice_actor, patient=brother, email="PAT@example.org", link_base="x/")


def test_behind_a_proxy_the_rate_limit_counts_the_client_not_the_proxy(client, settings):
    settings.BEHIND_PROXY = True
    url = reverse("portal:sign-in")
    for n in range(MAX_FAILURES_PER_IP):
        client.post(
            url,
            {"email": f"nobody{n}@example.org", "password": "wrong password"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    other = client.post(
        url,
        {"email": "someone@example.org", "password": "wrong password"},
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert "Too many attempts" not in other.content.decode()
    same = client.post(
        url,
        {"email": "someone@example.org", "password": "wrong password"},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert "Too many attempts" in same.content.decode()


def test_moving_a_session_moves_its_reminder_at_once(
    alice_actor, pat, django_capture_on_commit_callbacks
):
    in_a_week = clinic_today(alice_actor.clinic) + dt.timedelta(days=7)
    session = make_course(alice_actor, pat, start_date=in_a_week, planned_sessions=1).sessions.get()
    reminders_sync(patient=pat)
    new_day = in_a_week + dt.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        session_update(
            actor=alice_actor,
            session=session,
            scheduled_at=timezone.make_aware(dt.datetime.combine(new_day, dt.time(14))),
            practitioner=None,
            room="",
        )
    pending = Reminder.objects.filter(kind=ReminderKind.SESSION, status=ReminderStatus.PENDING)
    assert [r.key[-8:] for r in pending] == [f"{new_day:%Y%m%d}"]
