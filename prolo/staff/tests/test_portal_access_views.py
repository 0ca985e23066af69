"""Reception invites a patient to the portal, re-sends and withdraws the invitation."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from prolo.clinic.models import Invitation

pytestmark = pytest.mark.django_db


def words(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_reception_invites_resends_and_withdraws(
    rita, pat, client_for, django_capture_on_commit_callbacks
):
    client = client_for(rita)
    url = reverse("staff:portal-access", args=[pat.code])
    assert "No invitation has been sent." in words(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, {"email": "pat@example.org"}, follow=True)
    assert "Invitation sent to pat@example.org." in words(page)
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver/portal/invitation/\S+/", str(mail.outbox[0].body))
    assert link is not None

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "pat@example.org"})
    states = sorted(
        invitation_state
        for _, invitation_state in [
            (i, "revoked" if i.revoked_at else "open") for i in Invitation.objects.all()
        ]
    )
    assert states == ["open", "revoked"]
    # The first link no longer works once a new one is sent.
    assert client_for(rita).get(link.group(0).replace("http://testserver", "")).status_code == 404

    page = client.post(reverse("staff:portal-revoke", args=[pat.code]), follow=True)
    assert "its link no longer works" in words(page)
    assert words(page).count("Revoked") == 2


def test_a_bad_address_is_refused_beside_the_field(rita, pat, client_for):
    response = client_for(rita).post(
        reverse("staff:portal-access", args=[pat.code]), {"email": "not an address"}
    )
    assert response.status_code == 400
    assert "Enter a valid email address." in words(response)
    assert not Invitation.objects.exists()


def test_switching_an_account_off_ends_sign_in_and_the_calendar_link(
    rita, alice_actor, pat, client_for, client
):
    from prolo.clinic.models import AuditEvent
    from prolo.clinic.portal_access import PatientActor
    from prolo.clinic.services.calendar_feed import feed_create
    from prolo.clinic.services.portal_accounts import invitation_accept, invitation_send

    issued = invitation_send(
        actor=alice_actor, patient=pat, email="pat@example.org", link_base="x/"
    )
    account = invitation_accept(token=issued.token, password="a long portal passphrase")
    me = PatientActor(user=account.user, clinic=pat.clinic, patient=pat, account=account)
    token = feed_create(me=me)
    client.force_login(account.user)
    assert client.get(reverse("portal:home")).status_code == 200

    switch = reverse("staff:portal-account-switch", args=[pat.code])
    page = client_for(rita).post(switch, {"active": "0"}, follow=True)
    assert "The portal account is switched off" in words(page)
    assert client.get(reverse("portal:home")).status_code == 302  # signed out at once
    assert client.get(reverse("portal:calendar-feed", args=[token])).status_code == 404
    assert AuditEvent.objects.filter(patient=pat, changes__active=[True, False]).exists()

    page = client_for(rita).post(switch, {"active": "1"}, follow=True)
    assert "The portal account is on again." in words(page)
