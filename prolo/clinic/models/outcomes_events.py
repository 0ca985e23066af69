"""Adverse events after an injection session: what happened, how bad, and how it ended.

Grading follows CTCAE v5's general grade definitions and seriousness the ICH E2A criteria
(docs/adverse-events.md; domain brief §8, [R116][R117]).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from prolo.clinic.models.patients import Patient
from prolo.clinic.models.sessions import Injection, TreatmentSession


class AdverseEventType(models.TextChoices):
    SEVERE_PAIN = "severe_pain", "Severe pain"
    BLEEDING = "bleeding", "Bleeding or haematoma"
    INFECTION = "infection", "Infection"
    NERVE_INJURY = "nerve_injury", "Nerve injury"
    ALLERGIC_REACTION = "allergic_reaction", "Allergic reaction"
    VASOVAGAL = "vasovagal", "Vasovagal reaction"
    LAST = "last", "Local anaesthetic systemic toxicity (LAST)"
    PNEUMOTHORAX = "pneumothorax", "Pneumothorax"
    POST_DURAL_HEADACHE = "post_dural_headache", "Post-dural-puncture headache"
    OTHER = "other", "Other"


class Seriousness(models.TextChoices):
    DEATH = "death", "Resulted in death"
    LIFE_THREATENING = "life_threatening", "Life-threatening"
    HOSPITALISATION = "hospitalisation", "Required or prolonged hospitalisation"
    DISABILITY = "disability", "Persistent or significant disability"
    IMPORTANT = "important", "Other important medical event"


class Expectedness(models.TextChoices):
    EXPECTED = "expected", "Expected"
    UNEXPECTED = "unexpected", "Unexpected"


class AdverseOutcome(models.TextChoices):
    UNKNOWN = "unknown", "Unknown"
    RECOVERING = "recovering", "Recovering"
    RECOVERED = "recovered", "Recovered"
    RECOVERED_WITH_SEQUELAE = "recovered_with_sequelae", "Recovered with sequelae"
    NOT_RECOVERED = "not_recovered", "Not recovered"
    FATAL = "fatal", "Fatal"


GRADE_HELP = (
    "CTCAE general grades: 1 mild, no or mild symptoms, observation only; "
    "2 moderate, minimal local or non-invasive treatment, limits instrumental daily "
    "activities; 3 severe or medically significant but not immediately life-threatening, "
    "hospitalisation, limits self-care; 4 life-threatening, urgent intervention; "
    "5 death related to the event."
)


class AdverseEvent(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="adverse_events")
    session = models.ForeignKey(
        TreatmentSession,
        on_delete=models.PROTECT,
        related_name="adverse_events",
        null=True,
        blank=True,
    )
    injection = models.ForeignKey(
        Injection,
        on_delete=models.PROTECT,
        related_name="adverse_events",
        null=True,
        blank=True,
        help_text="Only an injection of the session chosen above.",
    )
    event_type = models.CharField("type", max_length=30, choices=AdverseEventType.choices)
    description = models.CharField(max_length=200, blank=True, help_text="Required for 'Other'.")
    onset_date = models.DateField("onset date")
    grade = models.PositiveSmallIntegerField(
        "CTCAE grade (1–5)",
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=GRADE_HELP,
    )
    serious = models.BooleanField(default=False)
    seriousness_criteria = models.JSONField(
        default=list, blank=True, help_text="Required when the event is serious."
    )
    expectedness = models.CharField(max_length=20, choices=Expectedness.choices)
    actions_taken = models.TextField(blank=True)
    outcome = models.CharField(
        max_length=30, choices=AdverseOutcome.choices, default=AdverseOutcome.UNKNOWN
    )
    follow_up_notes = models.TextField("follow-up notes", blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-onset_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__gte=1) & Q(grade__lte=5),
                name="adverse_event_grade_1_5",
                violation_error_code="grade",
                violation_error_message="CTCAE grade must be a whole number from 1 to 5.",
            ),
            models.CheckConstraint(
                condition=Q(injection__isnull=True) | Q(session__isnull=False),
                name="adverse_event_injection_needs_session",
                violation_error_code="injection",
                violation_error_message="Injection: choose the session of the injection too.",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True)
                | (Q(closed_by__isnull=False) & ~Q(outcome="unknown")),
                name="adverse_event_closed_has_outcome",
                violation_error_code="outcome",
                violation_error_message="Outcome: record an outcome other than 'Unknown' before closing.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()}, grade {self.grade}, {self.onset_date:%d %b %Y}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def criteria_labels(self) -> list[str]:
        return [Seriousness(c).label for c in self.seriousness_criteria if c in Seriousness.values]
