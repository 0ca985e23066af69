"""Staff administration: invitations, roles, deactivation, password reset links, and the rules
that keep a clinic administered."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from prolo.clinic.models import AuditEvent, Membership, Role, StaffInvitation, User
from prolo.clinic.permissions import ROLE_RANK, Actor
from prolo.clinic.services.api_tokens import api_token_authenticate, api_token_create
from prolo.clinic.services.staff import (
    member_password_reset,
    membership_change_role,
    membership_set_active,
    staff_invitation_accept,
    staff_invitation_for_token,
    staff_invitation_resend,
    staff_invitation_withdraw,
    staff_invite,
)
from prolo.conftest import PASSWORD

LINK = "http://testserver/accounts/join/"
NEW_PASSWORD = "a brand new passphrase"


def _invite(adam_actor, email="zoe@example.org", role=Role.NURSE):
    return staff_invite(actor=adam_actor, email=email, role=role, link_base=LINK)


def test_an_invitation_emails_a_link_with_no_clinical_detail(
    adam_actor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issued = _invite(adam_actor, email="Zoe@Example.org")
    (message,) = mail.outbox
    assert message.to == ["zoe@example.org"]
    assert f"{LINK}{issued.token}/" in message.body
    assert "Riverside Prolotherapy" in message.body
    assert "Nurse" in message.body
    assert issued.token not in StaffInvitation.objects.get().token_hash


def test_a_new_person_chooses_a_username_and_joins_with_the_role(adam_actor):
    issued = _invite(adam_actor)
    membership = staff_invitation_accept(
        token=issued.token, username="zoe", password=NEW_PASSWORD, first_name="Zoe"
    )
    assert membership.role == Role.NURSE
    assert membership.clinic == adam_actor.clinic
    assert membership.user.check_password(NEW_PASSWORD)
    assert membership.user.email == "zoe@example.org"
    assert staff_invitation_for_token(issued.token) is None  # single use
    with pytest.raises(ValidationError, match="expired, been used"):
        staff_invitation_accept(token=issued.token, username="zoe2", password=NEW_PASSWORD)


def test_a_weak_password_and_a_taken_username_are_refused_by_field(adam_actor, alice):
    issued = _invite(adam_actor)
    with pytest.raises(ValidationError) as exc:
        staff_invitation_accept(token=issued.token, username="alice", password="password")
    assert {"username", "password"} <= set(exc.value.message_dict)
    assert not User.objects.filter(email="zoe@example.org").exists()
    assert staff_invitation_for_token(issued.token) is not None


def test_an_existing_user_invited_to_a_second_clinic_joins_with_their_password(adam_actor, charlie):
    charlie.email = "charlie@example.org"
    charlie.save(update_fields=["email"])
    issued = _invite(adam_actor, email="CHARLIE@example.org", role=Role.PHYSICIAN)
    with pytest.raises(ValidationError) as exc:
        staff_invitation_accept(token=issued.token, password="not it")
    assert "password" in exc.value.message_dict
    membership = staff_invitation_accept(token=issued.token, password=PASSWORD)
    assert membership.user == charlie
    assert membership.role == Role.PHYSICIAN
    assert set(charlie.memberships.values_list("clinic__name", flat=True)) == {
        "Hilltop Pain Clinic",
        "Riverside Prolotherapy",
    }


def test_inviting_a_member_of_the_clinic_is_refused(adam_actor, nora):
    nora.email = "nora@example.org"
    nora.save(update_fields=["email"])
    with pytest.raises(ValidationError, match="already a member"):
        _invite(adam_actor, email="nora@example.org")


def test_an_invitation_expires_after_seven_days(adam_actor):
    issued = _invite(adam_actor)
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        assert staff_invitation_for_token(issued.token) is None
        with pytest.raises(ValidationError):
            staff_invitation_accept(token=issued.token, username="zoe", password=NEW_PASSWORD)


def test_resending_replaces_the_link_and_withdrawing_kills_it(
    adam_actor, django_capture_on_commit_callbacks
):
    first = _invite(adam_actor)
    with django_capture_on_commit_callbacks(execute=True):
        second = staff_invitation_resend(
            actor=adam_actor, invitation=first.invitation, link_base=LINK
        )
    assert second.token in mail.outbox[0].body
    assert staff_invitation_for_token(first.token) is None
    assert staff_invitation_for_token(second.token) is not None
    staff_invitation_withdraw(actor=adam_actor, invitation=second.invitation)
    assert staff_invitation_for_token(second.token) is None
    with pytest.raises(ValidationError, match="withdrawn"):
        staff_invitation_withdraw(actor=adam_actor, invitation=second.invitation)


def test_inviting_the_same_address_again_withdraws_the_earlier_invitation(adam_actor):
    first = _invite(adam_actor)
    _invite(adam_actor, role=Role.RECEPTION)
    assert staff_invitation_for_token(first.token) is None
    assert StaffInvitation.objects.filter(revoked_at__isnull=True).get().role == Role.RECEPTION


def test_only_clinic_admins_administer_staff(alice_actor, adam_actor, nora):
    with pytest.raises(PermissionDenied):
        _invite(alice_actor)
    with pytest.raises(PermissionDenied):
        membership_change_role(
            actor=alice_actor, membership=nora.memberships.get(), role=Role.RECEPTION
        )


def test_nobody_grants_a_role_above_their_own(adam_actor, alice, clinic):
    # Were staff administration given to physicians, they could not make clinic admins.
    physician_admin = Actor(user=alice, clinic=clinic, role=Role.PHYSICIAN)
    assert not physician_admin.may_grant(Role.CLINIC_ADMIN)
    assert ROLE_RANK[Role.CLINIC_ADMIN] > ROLE_RANK[Role.PHYSICIAN] > ROLE_RANK[Role.RECEPTION]
    assert adam_actor.may_grant(Role.CLINIC_ADMIN)
    with pytest.raises(ValidationError) as exc:
        _invite(adam_actor, role="superuser")
    assert "role" in exc.value.message_dict


def test_a_role_change_is_audited_without_a_patient(adam_actor, nora):
    membership = membership_change_role(
        actor=adam_actor, membership=nora.memberships.get(), role=Role.RECEPTION
    )
    assert Membership.objects.get(pk=membership.pk).role == Role.RECEPTION
    event = AuditEvent.objects.filter(object_type="membership").latest("id")
    assert event.patient is None
    assert event.actor == adam_actor.user
    assert event.changes == {"role": ["nurse", "reception"]}


def test_the_last_active_clinic_admin_cannot_be_demoted_or_deactivated(adam_actor, adam, clinic):
    mine = adam.memberships.get()
    with pytest.raises(ValidationError, match="at least one active clinic admin"):
        membership_change_role(actor=adam_actor, membership=mine, role=Role.PHYSICIAN)
    second = User.objects.create_user("ada", password=PASSWORD)
    other = Membership.objects.create(user=second, clinic=clinic, role=Role.CLINIC_ADMIN)
    membership_set_active(actor=adam_actor, membership=other, active=False)
    with pytest.raises(ValidationError, match="at least one active clinic admin"):
        membership_change_role(actor=adam_actor, membership=mine, role=Role.PHYSICIAN)
    membership_set_active(actor=adam_actor, membership=other, active=True)
    membership_change_role(actor=adam_actor, membership=mine, role=Role.PHYSICIAN)
    assert Membership.objects.get(pk=mine.pk).role == Role.PHYSICIAN


def test_nobody_deactivates_themselves(adam_actor, adam, clinic):
    second = User.objects.create_user("ada", password=PASSWORD)
    Membership.objects.create(user=second, clinic=clinic, role=Role.CLINIC_ADMIN)
    with pytest.raises(ValidationError, match="cannot deactivate yourself"):
        membership_set_active(actor=adam_actor, membership=adam.memberships.get(), active=False)


def test_a_deactivated_members_api_tokens_stop_working_and_come_back(adam_actor, nora_actor):
    _, token = api_token_create(actor=nora_actor, name="Script")
    assert api_token_authenticate(token) is not None
    membership = nora_actor.user.memberships.get()
    membership_set_active(actor=adam_actor, membership=membership, active=False)
    assert api_token_authenticate(token) is None
    membership_set_active(actor=adam_actor, membership=membership, active=True)
    assert api_token_authenticate(token) is not None


def test_a_password_reset_sends_the_member_a_link_and_is_audited(
    adam_actor, nora, django_capture_on_commit_callbacks
):
    nora.email = "nora@example.org"
    nora.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        member_password_reset(
            actor=adam_actor,
            membership=nora.memberships.get(),
            link_base="http://testserver/accounts/reset/",
        )
    (message,) = mail.outbox
    assert message.to == ["nora@example.org"]
    assert "http://testserver/accounts/reset/" in message.body
    assert nora.check_password(PASSWORD)  # unchanged until Nora chooses one
    event = AuditEvent.objects.get(action="password_reset")
    assert event.actor == adam_actor.user
    assert event.patient is None


def test_a_member_without_an_email_address_is_told_so(adam_actor, nora):
    with pytest.raises(ValidationError, match="no email address"):
        member_password_reset(
            actor=adam_actor, membership=nora.memberships.get(), link_base="http://x/"
        )
