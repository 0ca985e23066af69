"""Staff: "Forgot your password?" on the sign-in page, and joining a clinic from an invitation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from prolo.clinic.models import AuditEvent, Role
from prolo.clinic.services.portal_accounts import invitation_accept, invitation_send
from prolo.clinic.services.staff import staff_invite
from prolo.conftest import PASSWORD

NEW_PASSWORD = "a brand new passphrase"
RESET = "accounts:password-reset"


@pytest.fixture
def nora_with_email(nora):
    nora.email = "nora@example.org"
    nora.save(update_fields=["email"])
    return nora


def _ask(client, email, capture):
    with capture(execute=True):
        return client.post(reverse(RESET), {"email": email})


def _link(message) -> str:
    found = re.search(r"http://testserver(/accounts/reset/\S+)", message.body)
    assert found is not None
    return found.group(1)


def test_the_sign_in_page_offers_a_reset(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Forgot your password?" in html
    assert reverse(RESET) in html


def test_a_known_and_an_unknown_address_get_the_same_answer(
    nora_with_email, client, django_capture_on_commit_callbacks
):
    known = _ask(client, "NORA@example.org", django_capture_on_commit_callbacks)
    unknown = _ask(client, "nobody@example.org", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    page = client.get(known["Location"]).content.decode()
    assert "If that address belongs to a Prolo account" in page
    (message,) = mail.outbox  # only the real account got mail
    assert message.to == ["nora@example.org"]
    assert "nora" in message.body


def test_a_patients_portal_address_gets_no_staff_reset_link(
    alice_actor, pat, client, django_capture_on_commit_callbacks
):
    issued = invitation_send(
        actor=alice_actor, patient=pat, email="pat@example.org", link_base="http://x/"
    )
    invitation_accept(token=issued.token, password=NEW_PASSWORD)
    _ask(client, "pat@example.org", django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_link_sets_a_new_password_once_and_is_audited(
    nora_with_email, client, django_capture_on_commit_callbacks
):
    _ask(client, "nora@example.org", django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    assert client.get(link).status_code == 200
    data = {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    response = client.post(link, data)
    assert response["Location"] == reverse("accounts:login")
    nora_with_email.refresh_from_db()
    assert nora_with_email.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="password_reset")
    assert event.actor == nora_with_email
    assert event.patient is None
    again = client.get(link)
    assert again.status_code == 404
    assert "It has expired or has been used already." in again.content.decode()


def test_a_weak_password_is_refused_beside_the_field(
    nora_with_email, client, django_capture_on_commit_callbacks
):
    _ask(client, "nora@example.org", django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    response = client.post(link, {"password": "password", "password_again": "password"})
    assert response.status_code == 400
    assert "password" in response.context["form"].errors
    nora_with_email.refresh_from_db()
    assert nora_with_email.check_password(PASSWORD)


def test_the_link_expires(nora_with_email, client, settings, django_capture_on_commit_callbacks):
    _ask(client, "nora@example.org", django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    later = timezone.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later):
        assert client.get(link).status_code == 404


@pytest.mark.parametrize("link", ["/accounts/reset/x/y/", "/accounts/reset/MQ/nonsense-token/"])
def test_a_made_up_link_answers_404(db, client, link):
    assert client.get(link).status_code == 404
    assert client.post(link, {"password": NEW_PASSWORD}).status_code == 404


def test_a_malformed_address_is_refused_beside_the_field(client):
    response = client.post(reverse(RESET), {"email": "not an address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


# Joining a clinic from an invitation.


def _invitation_link(adam_actor, email: str, role: str = Role.NURSE) -> str:
    issued = staff_invite(
        actor=adam_actor, email=email, role=role, link_base="http://testserver/accounts/join/"
    )
    return reverse("accounts:staff-join", args=[issued.token])


def test_someone_new_joins_and_lands_on_todays_list(adam_actor, client):
    link = _invitation_link(adam_actor, "zoe@example.org")
    page = client.get(link).content.decode()
    assert "Riverside Prolotherapy invited zoe@example.org" in page
    response = client.post(
        link,
        {
            "first_name": "Zoe",
            "last_name": "Lane",
            "username": "zoe",
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
        follow=True,
    )
    assert "Welcome to Riverside Prolotherapy." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("staff:today")
    assert client.get(link).status_code == 404


def test_a_taken_username_is_refused_beside_the_field(adam_actor, alice, client):
    link = _invitation_link(adam_actor, "zoe@example.org")
    response = client.post(
        link,
        {
            "first_name": "Zoe",
            "last_name": "Lane",
            "username": "alice",
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
    )
    assert response.status_code == 400
    assert "username" in response.context["form"].errors


def test_an_existing_user_confirms_with_their_password(adam_actor, charlie, client):
    charlie.email = "charlie@example.org"
    charlie.save(update_fields=["email"])
    link = _invitation_link(adam_actor, "charlie@example.org", Role.PHYSICIAN)
    page = client.get(link).content.decode()
    assert "You already have a Prolo account (charlie)" in page
    assert client.post(link, {"password": "wrong"}).status_code == 400
    response = client.post(link, {"password": PASSWORD})
    assert response.status_code == 302
    assert charlie.memberships.count() == 2


def test_an_unknown_invitation_link_answers_404(db, client):
    response = client.get(reverse("accounts:staff-join", args=["made-up"]))
    assert response.status_code == 404
    assert "This invitation link cannot be used" in response.content.decode()
