from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A staff member. Clinical permissions come from their Membership in a clinic."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=40, blank=True, help_text="e.g. Dr, RN, PT")

    def display_name(self) -> str:
        name = self.get_full_name() or self.username
        return f"{self.title} {name}".strip()


class Clinic(models.Model):
    """The tenant: every patient record belongs to exactly one clinic."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
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
