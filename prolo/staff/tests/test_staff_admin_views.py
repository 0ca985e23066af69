"""Clinic → Staff, through the pages: Adam (clinic admin) administers Riverside's staff."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prolo.clinic.models import AuditEvent, Membership, Role, StaffInvitation, User
from prolo.conftest import PASSWORD

LIST = "staff:staff-list"


def _member_url(user: User, name: str = "staff:staff-member") -> str:
    return reverse(name, args=[user.code])


def test_the_list_shows_each_member_with_role_and_last_sign_in(adam, nora, client_for):
    nora.email = "nora@example.org"
    nora.save(update_fields=["email"])
    html = client_for(adam).get(reverse(LIST)).content.decode()
    assert "RN Nora Quinn" in html
    assert "nora@example.org" in html
    assert "Nurse" in html
    assert "Never" in html  # Nora never signed in


def test_the_list_takes_the_same_queries_for_two_or_twenty_staff(adam, nora, clinic, client_for):
    client = client_for(adam)
    client.get(reverse(LIST))  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(LIST))
    for i in range(18):
        user = User.objects.create_user(f"temp{i}", password=PASSWORD)
        Membership.objects.create(user=user, clinic=clinic, role=Role.RECEPTION)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse(LIST)).content.decode()
    assert "temp17" in html
    assert len(many) == len(few)


def test_the_staff_link_shows_only_to_clinic_admins(adam, alice, client_for):
    assert 'href="/staff/"' in client_for(adam).get(reverse("staff:today")).content.decode()
    assert 'href="/staff/"' not in client_for(alice).get(reverse("staff:today")).content.decode()


def test_inviting_sends_an_email_and_lists_the_invitation(
    adam, client_for, django_capture_on_commit_callbacks
):
    client = client_for(adam)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:staff-invite"), {"email": "zoe@example.org", "role": "physician"}
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "/accounts/join/" in message.body
    html = client.get(reverse(LIST)).content.decode()
    assert "zoe@example.org" in html
    assert "Open" in html


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"email": "not an address", "role": "nurse"}, "email", "Enter a valid email address."),
        ({"email": "zoe@example.org", "role": "superuser"}, "role", "Select a valid choice."),
        ({"email": "", "role": "nurse"}, "email", "This field is required."),
        ({"email": "x" * 300 + "@example.org", "role": "nurse"}, "email", "at most 254"),
        ({"email": "zoe\x00@example.org", "role": "\x00"}, "role", "Select a valid choice."),
        ({"email": "zoe@example.org", "role": ""}, "role", "This field is required."),
    ],
)
def test_bad_invitations_are_refused_beside_the_field(adam, client_for, data, field, text):
    response = client_for(adam).post(reverse("staff:staff-invite"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert text in response.content.decode()
    assert not StaffInvitation.objects.exists()


def test_inviting_a_current_member_says_so(adam, nora, client_for):
    nora.email = "nora@example.org"
    nora.save(update_fields=["email"])
    response = client_for(adam).post(
        reverse("staff:staff-invite"), {"email": "NORA@example.org", "role": "nurse"}
    )
    assert response.status_code == 400
    assert "already a member" in response.content.decode()


def test_changing_a_role_shows_and_audits_it(adam, nora, client_for):
    client = client_for(adam)
    response = client.post(_member_url(nora), {"role": "reception"}, follow=True)
    assert "RN Nora Quinn is now Reception." in response.content.decode()
    assert nora.memberships.get().role == Role.RECEPTION
    assert AuditEvent.objects.filter(object_type="membership", patient=None).exists()


def test_a_bad_role_is_refused_beside_the_field_and_nothing_changes(adam, nora, client_for):
    for junk in ("", "god", "\x00", "9" * 10000):
        response = client_for(adam).post(_member_url(nora), {"role": junk})
        assert response.status_code == 400
        assert "role" in response.context["form"].errors
    assert nora.memberships.get().role == Role.NURSE


def test_the_last_admin_cannot_demote_themselves(adam, client_for):
    response = client_for(adam).post(_member_url(adam), {"role": "physician"})
    assert response.status_code == 400
    assert "at least one active clinic admin" in response.content.decode()
    assert adam.memberships.get().role == Role.CLINIC_ADMIN


def test_a_deactivated_member_cannot_work_in_the_clinic_until_reactivated(adam, nora, client_for):
    nora_client = client_for(nora)
    assert nora_client.get(reverse("staff:today")).status_code == 200
    response = client_for(adam).post(
        _member_url(nora, "staff:staff-member-active"), {"active": "0"}, follow=True
    )
    assert "is deactivated" in response.content.decode()
    assert nora_client.get(reverse("staff:today")).status_code == 403
    html = client_for(adam).get(reverse(LIST)).content.decode()
    assert "Deactivated" in html
    client_for(adam).post(_member_url(nora, "staff:staff-member-active"), {"active": "1"})
    assert nora_client.get(reverse("staff:today")).status_code == 200


def test_one_cannot_deactivate_oneself(adam, clinic, client_for):
    other = User.objects.create_user("ada", password=PASSWORD)
    Membership.objects.create(user=other, clinic=clinic, role=Role.CLINIC_ADMIN)
    response = client_for(adam).post(
        _member_url(adam, "staff:staff-member-active"), {"active": "0"}, follow=True
    )
    assert "You cannot deactivate yourself." in response.content.decode()
    assert adam.memberships.get().active


def test_a_password_reset_link_goes_to_the_member_not_the_admin(
    adam, nora, client_for, django_capture_on_commit_callbacks
):
    nora.email = "nora@example.org"
    nora.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(adam).post(
            _member_url(nora, "staff:staff-member-password-reset"), follow=True
        )
    assert "sent to nora@example.org" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["nora@example.org"]
    link = re.search(r"http://testserver(/accounts/reset/\S+)", str(message.body))
    assert link is not None
    assert link.group(1) not in response.content.decode()


def test_resending_and_withdrawing_an_invitation(
    adam, client_for, django_capture_on_commit_callbacks
):
    client = client_for(adam)
    client.post(reverse("staff:staff-invite"), {"email": "zoe@example.org", "role": "nurse"})
    invitation = StaffInvitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:staff-invitation-resend", args=[invitation.code]), follow=True
        )
    assert "the old one no longer works" in response.content.decode()
    assert len(mail.outbox) == 1
    response = client.post(
        reverse("staff:staff-invitation-withdraw", args=[invitation.code]), follow=True
    )
    assert "is withdrawn" in response.content.decode()
    assert "No invitation is waiting." in response.content.decode()
    response = client.post(
        reverse("staff:staff-invitation-resend", args=[invitation.code]), follow=True
    )
    assert "This invitation was withdrawn." in response.content.decode()


def test_another_clinics_admin_gets_404_for_our_staff(nora, other_clinic, client_for):
    boss = User.objects.create_user("hana", password=PASSWORD)
    Membership.objects.create(user=boss, clinic=other_clinic, role=Role.CLINIC_ADMIN)
    client = client_for(boss)
    assert client.get(_member_url(nora)).status_code == 404
    response = client.post(_member_url(nora, "staff:staff-member-active"), {"active": "0"})
    assert response.status_code == 404
    assert nora.memberships.get().active
    assert "Nora" not in client.get(reverse(LIST)).content.decode()
