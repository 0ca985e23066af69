"""Invitations, setting a password, signing in with a rate limit, and who may see what."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AuditEvent, Invitation, PatientAccount
from prolo.clinic.services.portal_accounts import (
    MAX_FAILURES_PER_EMAIL,
    invitation_revoke,
    invitation_send,
)
from prolo.testing import make_course

pytestmark = pytest.mark.django_db
PASSWORD = "a long portal passphrase"
BASE = "http://testserver/portal/invitation/"


def invite(actor, patient, email="pat@example.org"):
    return invitation_send(actor=actor, patient=patient, email=email, link_base=BASE)


def accept(client, token, password=PASSWORD):
    url = reverse("portal:accept-invitation", args=[token])
    return client.post(url, {"password": password, "password_again": password})


def test_an_invited_patient_sets_a_password_and_sees_their_next_session(
    alice_actor, pat, client, django_capture_on_commit_callbacks
):
    make_course(
        alice_actor, pat, start_date=clinic_today(alice_actor.clinic) + dt.timedelta(days=3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        issued = invite(alice_actor, pat)
    (email,) = mail.outbox
    assert email.to == ["pat@example.org"]
    assert f"{BASE}{issued.token}/" in email.body
    assert "knee" not in email.body.lower()  # nothing clinical in an email
    assert issued.token not in Invitation.objects.get().token_hash

    response = accept(client, issued.token)
    assert response.status_code == 302
    home = client.get(reverse("portal:home"))
    assert "Your next session" in home.content.decode()
    assert "Room 1" in home.content.decode()
    assert PatientAccount.objects.get().patient == pat


def test_an_invitation_works_once(alice_actor, pat, client):
    issued = invite(alice_actor, pat)
    accept(client, issued.token)
    client.logout()
    again = client.get(reverse("portal:accept-invitation", args=[issued.token]))
    assert again.status_code == 404
    assert "cannot be used" in again.content.decode()


def test_an_expired_or_revoked_invitation_cannot_be_used(alice_actor, pat, client):
    issued = invite(alice_actor, pat)
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        assert accept(client, issued.token).status_code == 404
    second = invite(alice_actor, pat)  # re-sending revokes the first
    assert accept(client, issued.token).status_code == 404
    assert invitation_revoke(actor=alice_actor, patient=pat) == 1
    assert accept(client, second.token).status_code == 404
    assert not PatientAccount.objects.exists()


def test_a_weak_password_is_refused_beside_its_field(alice_actor, pat, client):
    issued = invite(alice_actor, pat)
    response = accept(client, issued.token, password="short")
    assert response.status_code == 400
    assert "too short" in response.content.decode()
    assert not PatientAccount.objects.exists()


def test_sign_in_is_rate_limited(alice_actor, pat, client):
    accept(client, invite(alice_actor, pat).token)
    client.logout()
    url = reverse("portal:sign-in")
    for _ in range(MAX_FAILURES_PER_EMAIL):
        wrong = client.post(url, {"email": "pat@example.org", "password": "wrong password"})
        assert "do not match an account" in wrong.content.decode()
    blocked = client.post(url, {"email": "pat@example.org", "password": PASSWORD})
    assert blocked.status_code == 400
    assert "Too many attempts" in blocked.content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert (
            client.post(url, {"email": "PAT@example.org", "password": PASSWORD}).status_code == 302
        )


def test_patients_and_staff_keep_to_their_own_side(alice_actor, alice, pat, client, client_for):
    accept(client, invite(alice_actor, pat).token)
    assert client.get(reverse("staff:patient-list")).status_code == 403
    assert client_for(alice).get(reverse("portal:home")).status_code == 403


def test_accepting_is_audited_in_the_patients_trail(alice_actor, pat, client):
    accept(client, invite(alice_actor, pat).token)
    actions = list(AuditEvent.objects.filter(patient=pat).values_list("object_type", "action"))
    assert ("invitation", "create") in actions
    assert ("patientaccount", "create") in actions


def test_signed_out_visitors_are_sent_to_the_portal_sign_in(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert re.match(r"^/portal/sign-in/\?next=", response["Location"])
