from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


class User(AbstractUser):
    """A staff member. Clinical permissions come from their Membership in a clinic."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=40, blank=True, help_text="e.g. Dr, RN, PT")

    def display_name(self) -> str:
        name = self.get_full_name() or self.username
        return f"{self.title} {name}".strip()


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(name: str) -> None:
    if name not in _zone_names():
        raise ValidationError(
            "Choose a time zone by its IANA name, e.g. Europe/London or America/Los_Angeles."
        )


def default_time_zone() -> str:
    return str(settings.TIME_ZONE)


def clinic_logo_upload_to(instance: Clinic, filename: str) -> str:
    # A new name per upload: a cached PDF or page never shows a replaced logo under the old name.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"logos/{instance.code}-{uuid.uuid4().hex[:8]}.{suffix}"


class Clinic(models.Model):
    """The tenant: every patient record belongs to exactly one clinic.

    `time_zone` is where the clinic works: its days (what "today" is for every date rule) and
    the times its pages show come from it, through prolo/clinic/clock.py.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    logo = models.FileField(
        upload_to=clinic_logo_upload_to,
        blank=True,
        max_length=255,
        help_text="The letterhead logo on printed documents: PNG or JPEG.",
    )
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text="An IANA time zone name, e.g. Europe/London.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PHYSICIAN = "physician", "Physician"
    NURSE = "nurse", "Nurse"
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
    RECEPTION = "reception", "Reception"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic"], name="one_membership_per_clinic"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.clinic} ({self.get_role_display()})"


class StaffInvitation(models.Model):
    """A single-use, expiring link that makes its addressee a member of a clinic with a role.

    Like the portal's invitations, only the token's SHA-256 is kept, so the database alone
    cannot be used to join a clinic. Re-sending replaces the token and the expiry in place.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="staff_invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="staff_invitation_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.clinic}"

    def state(self, now: dt.datetime) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "withdrawn"
        if self.expires_at <= now:
            return "expired"
        return "open"
