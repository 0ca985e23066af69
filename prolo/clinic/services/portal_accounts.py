"""Portal accounts: invitations (single-use, expiring, revocable), accepting them, and the
sign-in rate limit. See docs/portal.md.

The invitation link's token is random and only its SHA-256 is stored, so the database alone
cannot be used to sign in. The email carries the clinic's name and the link, nothing clinical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from prolo.clinic.access import require
from prolo.clinic.models import (
    AuditAction,
    Invitation,
    Patient,
    PatientAccount,
    SignInAttempt,
    User,
)
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.portal_access import PatientActor
from prolo.clinic.services.audit import audit_log, create_audited
from prolo.clinic.services.fields import pick

INVITATION_DAYS = 7
ATTEMPT_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_IP = 20


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Issued:
    invitation: Invitation
    token: str  # shown in the email link once; never stored


def invitation_state(invitation: Invitation, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    if invitation.accepted_at:
        return "accepted"
    if invitation.revoked_at:
        return "revoked"
    if invitation.expires_at <= now:
        return "expired"
    return "open"


@transaction.atomic
def invitation_send(*, actor: Actor, patient: Patient, email: str, link_base: str) -> Issued:
    """Invite `patient` to the portal at `email`; any earlier open invitation is revoked.

    `link_base` is the absolute URL the token is appended to (the view knows the host).
    """
    require(actor, Perm.EDIT_DEMOGRAPHICS)
    email = pick({"email": email}, ["email"])["email"].lower()
    if PatientAccount.objects.filter(patient=patient).exists():
        raise ValidationError({"email": "This patient already has a portal account."})
    if PatientAccount.objects.filter(user__email__iexact=email, user__is_active=True).exists():
        # Sign-in is by email address: two accounts on one address could not both sign in.
        raise ValidationError(
            {"email": "Another patient's portal account uses this address: give another one."}
        )
    _revoke_open(actor, patient)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        patient=patient,
        email=email,
        token_hash=token_hash(token),
        created_by=actor.user,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    create_audited(actor=actor, instance=invitation, patient=patient)
    link = f"{link_base}{token}/"
    clinic = actor.clinic.name
    transaction.on_commit(
        lambda: send_mail(
            subject=f"Your invitation to {clinic}'s patient portal",
            message=(
                f"{clinic} has invited you to its patient portal.\n\n"
                f"Set your password here within {INVITATION_DAYS} days:\n{link}\n\n"
                "The link works once. If you did not expect this email, ignore it."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[email],
        )
    )
    return Issued(invitation, token)


def _revoke_open(actor: Actor, patient: Patient) -> None:
    now = timezone.now()
    for invitation in Invitation.objects.select_for_update().filter(
        patient=patient, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ):
        invitation.revoked_at = now
        invitation.save(update_fields=["revoked_at"])
        audit_log(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=invitation,
            patient=patient,
            changes={"revoked_at": [None, str(now)]},
        )


@transaction.atomic
def invitation_revoke(*, actor: Actor, patient: Patient) -> int:
    """Revoke the patient's open invitations; returns how many were open."""
    require(actor, Perm.EDIT_DEMOGRAPHICS)
    before = Invitation.objects.filter(patient=patient, revoked_at__isnull=True).count()
    _revoke_open(actor, patient)
    after = Invitation.objects.filter(patient=patient, revoked_at__isnull=True).count()
    return before - after


@transaction.atomic
def portal_account_set_active(*, actor: Actor, patient: Patient, active: bool) -> PatientAccount:
    """Switch a patient's portal account off (a lost phone, a shared mailbox) or back on.

    Off: the patient cannot sign in, any signed-in session ends at its next request, and the
    calendar link stops working; the record and the account stay.
    """
    require(actor, Perm.EDIT_DEMOGRAPHICS)
    account = (
        PatientAccount.objects.select_for_update().select_related("user").filter(patient=patient)
    ).first()
    if account is None:
        raise ValidationError("This patient has no portal account.")
    user = account.user
    if user.is_active == active:
        return account
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active and account.feed_token_hash:
        account.feed_token_hash = ""
        account.save(update_fields=["feed_token_hash"])
    audit_log(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=account,
        patient=patient,
        changes={"active": [not active, active]},
    )
    return account


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link names, if it can still be accepted."""
    invitation = (
        Invitation.objects.select_related("patient__clinic")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None or invitation_state(invitation) != "open":
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> PatientAccount:
    """Create the patient's account from an open invitation; the link then stops working."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("patient__clinic")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None or invitation_state(invitation) != "open":
        raise ValidationError(
            "This invitation link has expired, been used or been withdrawn. "
            "Ask the clinic to send a new one."
        )
    patient = invitation.patient
    user = User(username=f"patient-{patient.code}", email=invitation.email)
    user.first_name, user.last_name = patient.given_name, patient.family_name
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.save()
    account = PatientAccount.objects.create(user=user, patient=patient)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    me = PatientActor(user=user, clinic=patient.clinic, patient=patient, account=account)
    audit_log(actor=me, action=AuditAction.CREATE, obj=account, patient=patient)
    return account


def account_for_email(email: str) -> PatientAccount | None:
    return (
        PatientAccount.objects.select_related("user", "patient__clinic")
        .filter(user__email__iexact=email.strip(), user__is_active=True)
        .first()
    )


def sign_in_blocked(email: str, ip: str | None) -> bool:
    """Too many recent failures for this email address or from this address."""
    since = timezone.now() - ATTEMPT_WINDOW
    failures = SignInAttempt.objects.filter(at__gte=since, succeeded=False)
    if failures.filter(identifier=email.strip().lower()).count() >= MAX_FAILURES_PER_EMAIL:
        return True
    return ip is not None and failures.filter(ip=ip).count() >= MAX_FAILURES_PER_IP


def sign_in_record(email: str, ip: str | None, succeeded: bool) -> None:
    SignInAttempt.objects.create(identifier=email.strip().lower()[:254], ip=ip, succeeded=succeeded)
