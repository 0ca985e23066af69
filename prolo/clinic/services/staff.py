"""Staff administration: invitations to join a clinic, roles, deactivation. docs/staff-admin.md.

Only clinic admins (Perm.MANAGE_STAFF) administer staff, and nobody grants a role ranked above
their own (permissions.ROLE_RANK). A clinic always keeps one active clinic admin: the last one
cannot be demoted or deactivated, and nobody deactivates themselves. Invitation links follow
the portal's: random, single-use, expiring, and stored only as a hash. Emails name the clinic
and carry the link, nothing clinical.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from prolo.clinic.access import require
from prolo.clinic.models import AuditAction, Membership, Role, StaffInvitation, User
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import audit_log, create_audited, update_audited
from prolo.clinic.services.fields import pick
from prolo.clinic.services.password_reset import send_staff_reset
from prolo.clinic.services.portal_accounts import token_hash

STAFF_INVITATION_DAYS = 7
LAST_ADMIN = "The clinic must keep at least one active clinic admin: make someone else one first."


@dataclass(frozen=True)
class IssuedStaffInvitation:
    invitation: StaffInvitation
    token: str  # in the email link once; never stored


def _check_grant(actor: Actor, role: str, field: str = "role") -> None:
    require(actor, Perm.MANAGE_STAFF)
    if role not in Role.values:
        raise ValidationError({field: "Choose one of the roles listed."})
    if not actor.may_grant(role):
        raise ValidationError({field: "You may not grant a role above your own."})


def _send_invitation(invitation: StaffInvitation, token: str, link_base: str) -> None:
    link = f"{link_base}{token}/"
    clinic, role, email = invitation.clinic.name, invitation.get_role_display(), invitation.email
    transaction.on_commit(
        lambda: send_mail(
            subject=f"Your invitation to join {clinic} on Prolo",
            message=(
                f"{clinic} has invited you to join its team on Prolo as {role}.\n\n"
                f"Accept within {STAFF_INVITATION_DAYS} days here:\n{link}\n\n"
                "The link works once. If you did not expect this email, ignore it."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[email],
        )
    )


def _new_token() -> tuple[str, dict[str, object]]:
    """A fresh token, and the invitation's fields that go with it."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    fields: dict[str, object] = {
        "token_hash": token_hash(token),
        "sent_at": now,
        "expires_at": now + dt.timedelta(days=STAFF_INVITATION_DAYS),
    }
    return token, fields


@transaction.atomic
def staff_invite(*, actor: Actor, email: str, role: str, link_base: str) -> IssuedStaffInvitation:
    """Invite `email` to the actor's clinic as `role`; an earlier open invitation is withdrawn.

    `link_base` is the absolute URL the token is appended to (the view knows the host).
    """
    _check_grant(actor, role)
    email = pick({"email": email}, ["email"])["email"].lower()
    member = Membership.objects.filter(clinic=actor.clinic, user__email__iexact=email).first()
    if member is not None:
        what = "a member" if member.active else "a deactivated member: reactivate them instead"
        raise ValidationError({"email": f"Someone with this address is already {what}."})
    for earlier in _open_invitations(actor, email):
        _withdraw(actor, earlier)
    token, fields = _new_token()
    invitation = StaffInvitation(
        clinic=actor.clinic, email=email, role=role, created_by=actor.user, **fields
    )
    create_audited(actor=actor, instance=invitation, patient=None)
    _send_invitation(invitation, token, link_base)
    return IssuedStaffInvitation(invitation, token)


def _open_invitations(actor: Actor, email: str) -> list[StaffInvitation]:
    return list(
        StaffInvitation.objects.select_for_update().filter(
            clinic=actor.clinic,
            email__iexact=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        )
    )


def _withdraw(actor: Actor, invitation: StaffInvitation) -> None:
    update_audited(
        actor=actor, instance=invitation, patient=None, changes={"revoked_at": timezone.now()}
    )


@transaction.atomic
def staff_invitation_resend(
    *, actor: Actor, invitation: StaffInvitation, link_base: str
) -> IssuedStaffInvitation:
    """Send a fresh link (and a fresh expiry) for an invitation not yet accepted or withdrawn.

    The earlier link stops working: only the new token's hash is kept.
    """
    _check_grant(actor, invitation.role)
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(f"This invitation was {invitation.state(timezone.now())}.")
    token, fields = _new_token()
    update_audited(actor=actor, instance=invitation, patient=None, changes=fields)
    _send_invitation(invitation, token, link_base)
    return IssuedStaffInvitation(invitation, token)


@transaction.atomic
def staff_invitation_withdraw(*, actor: Actor, invitation: StaffInvitation) -> None:
    require(actor, Perm.MANAGE_STAFF)
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(f"This invitation was already {invitation.state(timezone.now())}.")
    _withdraw(actor, invitation)


def staff_invitation_for_token(token: str) -> StaffInvitation | None:
    """The invitation a link names, if it can still be accepted."""
    invitation = (
        StaffInvitation.objects.select_related("clinic")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None or invitation.state(timezone.now()) != "open":
        return None
    return invitation


def staff_user_for_email(email: str) -> User | None:
    """The staff account an address belongs to (a patient's portal account never counts)."""
    return (
        User.objects.filter(email__iexact=email.strip(), patient_account__isnull=True)
        .order_by("id")
        .first()
    )


INVALID_LINK = (
    "This invitation link has expired, been used or been withdrawn. "
    "Ask the clinic to send a new one."
)


@transaction.atomic
def staff_invitation_accept(
    *,
    token: str,
    password: str,
    username: str = "",
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Join the clinic from an open invitation; the link then stops working.

    Someone who already has a staff account (at another clinic) proves it with their password
    and gets a membership; anyone else chooses a username and a password for a new account.
    """
    invitation = (
        StaffInvitation.objects.select_for_update()
        .select_related("clinic")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None or invitation.state(timezone.now()) != "open":
        raise ValidationError(INVALID_LINK)
    user = staff_user_for_email(invitation.email)
    if user is None:
        user = _new_staff_user(invitation, username, password, first_name, last_name)
    elif not (user.is_active and user.check_password(password)):
        raise ValidationError({"password": "That is not the password of your Prolo account."})
    elif Membership.objects.filter(user=user, clinic=invitation.clinic).exists():
        raise ValidationError("You are already a member of this clinic.")
    me = Actor(user=user, clinic=invitation.clinic, role=invitation.role)
    membership = Membership(user=user, clinic=invitation.clinic, role=invitation.role)
    create_audited(actor=me, instance=membership, patient=None)
    update_audited(
        actor=me,
        instance=invitation,
        patient=None,
        changes={"accepted_at": timezone.now(), "accepted_by": user},
    )
    return membership


def _new_staff_user(
    invitation: StaffInvitation, username: str, password: str, first_name: str, last_name: str
) -> User:
    user = User(
        username=username.strip(),
        email=invitation.email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save(force_insert=True)
    return user


def _other_active_admins(membership: Membership) -> bool:
    admins = Membership.objects.select_for_update().filter(
        clinic=membership.clinic, role=Role.CLINIC_ADMIN, active=True
    )
    return any(admin.pk != membership.pk for admin in admins)


def _locked(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)


@transaction.atomic
def membership_change_role(*, actor: Actor, membership: Membership, role: str) -> Membership:
    _check_grant(actor, role)
    membership = _locked(membership)
    _check_grant(actor, membership.role)  # nor change someone ranked above oneself
    if (
        membership.role == Role.CLINIC_ADMIN
        and role != Role.CLINIC_ADMIN
        and membership.active
        and not _other_active_admins(membership)
    ):
        raise ValidationError({"role": LAST_ADMIN})
    return update_audited(actor=actor, instance=membership, patient=None, changes={"role": role})


@transaction.atomic
def membership_set_active(*, actor: Actor, membership: Membership, active: bool) -> Membership:
    """Deactivate a member (they can no longer work in this clinic, by page or API token) or
    reactivate them. The account and its other clinics are untouched."""
    membership = _locked(membership)
    _check_grant(actor, membership.role)
    if not active and membership.user_id == actor.user.pk:
        raise ValidationError("You cannot deactivate yourself.")
    if not active and membership.role == Role.CLINIC_ADMIN and not _other_active_admins(membership):
        raise ValidationError(LAST_ADMIN)
    return update_audited(
        actor=actor, instance=membership, patient=None, changes={"active": active}
    )


@transaction.atomic
def member_password_reset(*, actor: Actor, membership: Membership, link_base: str) -> None:
    """Email the member a link to choose a new password; the admin never sees or sets it."""
    membership = _locked(membership)
    _check_grant(actor, membership.role)
    user = membership.user
    if not membership.active or not user.is_active:
        raise ValidationError("Reactivate this member before resetting their password.")
    if not user.email:
        raise ValidationError("This member has no email address to send the link to.")
    send_staff_reset(user, link_base)
    audit_log(
        actor=actor,
        action=AuditAction.PASSWORD_RESET,
        obj=user,
        patient=None,
        changes={"link_sent_to": user.email},
    )
