"""The 7-day flare diary kept after a signed session, and the review tasks its flags open.

See docs/flare-diary.md. The flag rules themselves are pure: prolo/clinic/outcomes/flare.py.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from prolo.clinic.models.accounts import Clinic
from prolo.clinic.models.patients import Patient
from prolo.clinic.models.sessions import TreatmentSession

DIARY_DAYS = 7
ANALGESICS_MAX = 200


class Swelling(models.TextChoices):
    NONE = "none", "None"
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


class JointUse(models.TextChoices):
    NORMAL = "normal", "Normal"
    REDUCED = "reduced", "Reduced"
    UNABLE = "unable", "Unable to use"


class DiarySource(models.TextChoices):
    PHONE = "phone", "Staff phone follow-up"
    PATIENT = "patient", "Patient"


class DiaryEntry(models.Model):
    """How the patient was on one day (1–7) after a signed session."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(
        TreatmentSession, on_delete=models.CASCADE, related_name="diary_entries"
    )
    day = models.PositiveSmallIntegerField(
        "day after the session",
        validators=[MinValueValidator(1), MaxValueValidator(DIARY_DAYS)],
    )
    pain = models.PositiveSmallIntegerField(
        "pain (0–10)", validators=[MaxValueValidator(10)], help_text="0 no pain, 10 worst."
    )
    swelling = models.CharField(max_length=10, choices=Swelling.choices)
    joint_use = models.CharField("use of the joint", max_length=10, choices=JointUse.choices)
    analgesics = models.CharField(
        "pain relief taken", max_length=ANALGESICS_MAX, blank=True, help_text="What and how much."
    )
    fever = models.BooleanField(default=False)
    redness_or_drainage = models.BooleanField(
        "spreading redness or drainage at a site", default=False
    )
    numbness_or_weakness = models.BooleanField("new numbness or weakness", default=False)
    severe_headache = models.BooleanField(default=False)
    breathlessness = models.BooleanField("breathlessness or chest pain", default=False)
    notes = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=10, choices=DiarySource.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "day"]
        verbose_name_plural = "diary entries"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "day"],
                name="diary_day_unique",
                violation_error_message="This day of the diary is already recorded.",
                violation_error_code="day",
            ),
            models.CheckConstraint(
                condition=Q(day__gte=1, day__lte=DIARY_DAYS),
                name="diary_day_range",
                violation_error_code="day",
            ),
            models.CheckConstraint(
                condition=Q(pain__lte=10), name="diary_pain_range", violation_error_code="pain"
            ),
        ]

    def __str__(self) -> str:
        return f"Day {self.day}: pain {self.pain}/10"


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ReviewTask(models.Model):
    """A clinician must look at a patient: opened by diary flags, closed with a note."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="review_tasks")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="review_tasks")
    session = models.ForeignKey(
        TreatmentSession,
        on_delete=models.CASCADE,
        related_name="review_tasks",
        null=True,
        blank=True,
    )
    diary_entry = models.ForeignKey(
        DiaryEntry, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    reason = models.TextField()
    flags = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closing_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(status="open"),
                name="review_task_one_open_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"Review: {self.reason[:60]}"
