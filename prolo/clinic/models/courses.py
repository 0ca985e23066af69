from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from prolo.clinic.models.evaluations import Evaluation, Laterality, Region
from prolo.clinic.models.patients import Patient
from prolo.clinic.outcomes import schedule

MAX_PLANNED_SESSIONS = 20
MAX_INTERVAL_DAYS = 180


class CourseType(models.TextChoices):
    DEXTROSE = "dextrose", "Hyperosmolar dextrose"
    SALINE = "saline", "Saline"
    PRP = "prp", "Platelet-rich plasma (PRP)"
    PERINEURAL = "perineural", "Perineural 5% dextrose"
    OTHER = "other", "Other"


class CourseStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    STOPPED = "stopped", "Stopped"


# planned → active → completed; planned or active → stopped (with a reason).
COURSE_TRANSITIONS: dict[str, set[str]] = {
    CourseStatus.PLANNED: {CourseStatus.ACTIVE, CourseStatus.STOPPED},
    CourseStatus.ACTIVE: {CourseStatus.COMPLETED, CourseStatus.STOPPED},
    CourseStatus.COMPLETED: set(),
    CourseStatus.STOPPED: set(),
}


class OutcomeSchedule(models.Model):
    """Which questionnaires are asked for, and when (outcomes/schedule.py): set on a protocol
    template, copied to the courses planned from it, then changeable per course."""

    outcome_instruments = models.JSONField(
        default=schedule.default_instruments,
        help_text="Instruments at baseline and at every follow-up.",
    )
    session_instruments = models.JSONField(
        default=schedule.default_session_instruments,
        blank=True,
        help_text="Instruments before each session after the first.",
    )
    follow_ups = models.JSONField(
        default=schedule.default_follow_ups,
        blank=True,
        help_text="Follow-ups after the last session: weeks (6w) or months (3m).",
    )

    class Meta:
        abstract = True


class TreatmentCourse(OutcomeSchedule):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="courses")
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="courses", null=True, blank=True
    )
    course_type = models.CharField("type", max_length=20, choices=CourseType.choices)
    target_region = models.CharField(max_length=20, choices=Region.choices)
    laterality = models.CharField(max_length=10, choices=Laterality.choices)
    targets = models.CharField(
        max_length=300, help_text="Structures to treat, e.g. 'MCL, pes anserine, joint'"
    )
    planned_sessions = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PLANNED_SESSIONS)]
    )
    interval_days = models.PositiveSmallIntegerField(
        "interval (days)", validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_DAYS)]
    )
    start_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=CourseStatus.choices, default=CourseStatus.PLANNED
    )
    stop_reason = models.TextField(blank=True)
    protocol = models.ForeignKey(
        "clinic.ProtocolTemplate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses",
    )
    planned_stocks = models.ManyToManyField(
        "clinic.StockProduct",
        blank=True,
        related_name="+",
        help_text="The stock products the course plans to inject (screened for allergies).",
    )
    # {instrument code: score key}: which score stands for a multi-score instrument (KOOS
    # pain, WOMAC total …) in this course's charts, benefit, outcomes page and registry CSV.
    # Read it through services/questionnaires.py::headline, which falls back to the
    # instrument's default for the region (courses planned before the choice existed).
    headline_scores = models.JSONField(
        default=dict,
        blank=True,
        help_text="The headline score chosen for each multi-score instrument.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_sessions__gte=1)
                & Q(planned_sessions__lte=MAX_PLANNED_SESSIONS),
                name="planned_sessions_range",
                violation_error_code="planned_sessions",
                violation_error_message="Planned sessions must be between 1 and 20.",
            ),
            models.CheckConstraint(
                condition=Q(interval_days__gte=1) & Q(interval_days__lte=MAX_INTERVAL_DAYS),
                name="interval_days_range",
                violation_error_code="interval_days",
                violation_error_message="Interval must be between 1 and 180 days.",
            ),
            models.CheckConstraint(
                condition=~Q(status="stopped") | ~Q(stop_reason=""),
                name="stopped_course_has_reason",
                violation_error_code="stop_reason",
                violation_error_message="Stop reason: give the reason the course was stopped.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_course_type_display()}, {self.get_target_region_display()}"

    def allowed_transitions(self) -> set[str]:
        return COURSE_TRANSITIONS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in (CourseStatus.PLANNED, CourseStatus.ACTIVE)
