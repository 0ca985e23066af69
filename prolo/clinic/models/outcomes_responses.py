"""Completed questionnaires and a clinic's own settings for each instrument.

The instruments themselves are data in prolo/clinic/outcomes/instruments.py; a clinic adds the
licensed item text it imports, and its own missing-item minimums and MCIDs where the shipped
ones are unverified. See docs/outcomes.md.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from prolo.clinic.models.accounts import Clinic
from prolo.clinic.models.courses import TreatmentCourse
from prolo.clinic.models.patients import Patient
from prolo.clinic.outcomes.instruments import INSTRUMENTS

INSTRUMENT_CHOICES = [(code, instrument.name) for code, instrument in INSTRUMENTS.items()]


class ResponseSource(models.TextChoices):
    STAFF = "staff", "Completed with staff"
    PATIENT = "patient", "Patient (portal)"


class InstrumentSetting(models.Model):
    """One clinic's additions to a shipped instrument: imported text, minimums, MCID."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="instruments")
    instrument = models.CharField(max_length=20, choices=INSTRUMENT_CHOICES)
    # {"<item id>": {"text": "...", "options": {"<value>": "<label>"}}}, from an imported
    # FHIR Questionnaire; empty until the clinic imports the official wording.
    item_text = models.JSONField(default=dict, blank=True)
    licence_note = models.TextField(
        blank=True, help_text="Under which licence the clinic uses the imported text."
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # {"<subscale key>": n}: overrides the shipped (mostly unverified) missing-item minimums.
    min_answered = models.JSONField(default=dict, blank=True)
    mcid_points = models.DecimalField(
        "MCID (points)",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    mcid_percent = models.DecimalField(
        "MCID (% of baseline)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    mcid_source = models.CharField("MCID source", max_length=300, blank=True)

    class Meta:
        ordering = ["clinic", "instrument"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "instrument"], name="instrument_setting_unique"
            ),
            models.CheckConstraint(
                condition=Q(mcid_points__isnull=True) | ~Q(mcid_source=""),
                name="instrument_mcid_has_source",
                violation_error_code="mcid_source",
                violation_error_message="MCID source: say where the clinic's MCID comes from.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} at {self.clinic}"


class QuestionnaireResponse(models.Model):
    """One completed questionnaire: raw answers, the scores computed, and the rule used."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="responses")
    course = models.ForeignKey(
        TreatmentCourse,
        on_delete=models.CASCADE,
        related_name="responses",
        null=True,
        blank=True,
    )
    instrument = models.CharField(max_length=20, choices=INSTRUMENT_CHOICES)
    # "baseline", "session-<n>", "fu-<offset>" (outcomes/schedule.py) or "extra".
    timepoint = models.CharField(max_length=20)
    answered_on = models.DateField(help_text="The day the patient answered.")
    answers = models.JSONField(help_text="{item id: value or null}, exactly as answered.")
    scores = models.JSONField(help_text="{score key: decimal string}, rounded half-up.")
    score = models.DecimalField(
        "headline score", max_digits=7, decimal_places=2, help_text="The instrument's first score."
    )
    rule_version = models.CharField(max_length=40)
    missing = models.JSONField(default=list, blank=True)
    min_answered = models.JSONField(
        default=dict, blank=True, help_text="The missing-item minimums the score was computed with."
    )
    source = models.CharField(max_length=10, choices=ResponseSource.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answered_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "instrument", "timepoint"],
                condition=Q(course__isnull=False) & ~Q(timepoint="extra"),
                name="response_timepoint_unique",
                violation_error_message="This questionnaire has already been recorded "
                "for this time point of the course.",
            ),
        ]
        indexes = [models.Index(fields=["patient", "instrument", "answered_on"])]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} on {self.answered_on:%d %b %Y}"
