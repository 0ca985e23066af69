"""Password reset by email, for staff and for patients' portal accounts. docs/staff-admin.md.

Links carry Django's PasswordResetTokenGenerator token: it expires after
settings.PASSWORD_RESET_TIMEOUT and stops working once the password changes (or the account
signs in), so it is single-use. Nothing is stored. A request answers the same whether or not
the address has an account, so the form cannot be used to find out who works or is treated
here; the email names the clinic and the link, nothing clinical.
"""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from prolo.clinic.models import AuditAction, Membership, User
from prolo.clinic.permissions import Actor
from prolo.clinic.portal_access import PatientActor
from prolo.clinic.services.audit import Auditor, audit_log
from prolo.clinic.services.portal_accounts import account_for_email


class Audience(StrEnum):
    STAFF = "staff"
    PORTAL = "portal"


def _hours() -> int:
    return max(1, int(settings.PASSWORD_RESET_TIMEOUT) // 3600)


def reset_link(user: User, link_base: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"{link_base}{uid}/{default_token_generator.make_token(user)}/"


def staff_users_for_email(email: str) -> list[User]:
    """Active staff accounts at the address with at least one clinic they may work in."""
    return list(
        User.objects.filter(
            email__iexact=email.strip(),
            is_active=True,
            patient_account__isnull=True,
            memberships__active=True,
        ).distinct()
    )


def send_staff_reset(user: User, link_base: str) -> None:
    link = reset_link(user, link_base)
    to, hours = user.email, _hours()
    transaction.on_commit(
        lambda: send_mail(
            subject="Reset your Prolo password",
            message=(
                "Someone asked to reset the password of your Prolo account "
                f"({user.username}).\n\n"
                f"Choose a new password here within {hours} hours:\n{link}\n\n"
                "The link works once. If you did not ask for this, ignore this email: "
                "your password stays as it is."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[to],
        )
    )


def _send_portal_reset(user: User, clinic: str, language: str, link_base: str) -> None:
    link, to = reset_link(user, link_base), user.email
    with translation.override(language if language in ("en", "es") else "en"):
        subject = _("Reset your patient portal password")
        body = _(
            "Someone asked to reset the password of your %(clinic)s patient portal account.\n\n"
            "Choose a new password here within %(hours)d hours:\n%(link)s\n\n"
            "The link works once. If you did not ask for this, ignore this email: "
            "your password stays as it is."
        ) % {"clinic": clinic, "hours": _hours(), "link": link}
    transaction.on_commit(
        lambda: send_mail(
            subject=subject,
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[to],
        )
    )


@transaction.atomic
def password_reset_request(*, email: str, audience: Audience, link_base: str) -> None:
    """Email a reset link to the account(s) at `email`, if there are any. Says nothing back."""
    if audience == Audience.STAFF:
        for user in staff_users_for_email(email):
            send_staff_reset(user, link_base)
        return
    account = account_for_email(email)
    if account is not None:
        patient = account.patient
        _send_portal_reset(account.user, patient.clinic.name, patient.preferred_language, link_base)


def user_for_reset_link(uidb64: str, token: str, audience: Audience) -> User | None:
    """The account a reset link names, if the link is still good and for this audience."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    is_patient = hasattr(user, "patient_account")
    return user if is_patient == (audience == Audience.PORTAL) else None


def _auditors(user: User) -> list[Auditor]:
    """Whose trail records the reset: the patient's, or each clinic the staff user works in."""
    if hasattr(user, "patient_account"):
        account = user.patient_account
        patient = account.patient
        return [PatientActor(user=user, clinic=patient.clinic, patient=patient, account=account)]
    memberships = Membership.objects.filter(user=user, active=True).select_related("clinic")
    return [Actor(user=user, clinic=m.clinic, role=m.role) for m in memberships]


@transaction.atomic
def password_reset_complete(*, uidb64: str, token: str, audience: Audience, password: str) -> User:
    """Set the new password from a good link; the link then stops working."""
    user = user_for_reset_link(uidb64, token, audience)
    if user is None:
        raise ValidationError(_("This link has expired or has been used. Ask for a new one."))
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    for auditor in _auditors(user):
        patient = getattr(auditor, "patient", None)
        audit_log(
            actor=auditor,
            action=AuditAction.PASSWORD_RESET,
            obj=user,
            patient=patient,
            changes={"password": "changed by email link"},
        )
    return user
