from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from prolo.clinic.models.patients import Patient


class Region(models.TextChoices):
    KNEE = "knee", "Knee"
    HIP = "hip", "Hip"
    SHOULDER = "shoulder", "Shoulder"
    ELBOW = "elbow", "Elbow"
    WRIST_HAND = "wrist_hand", "Wrist and hand"
    ANKLE_FOOT = "ankle_foot", "Ankle and foot"
    LUMBAR_SI = "lumbar_si", "Low back and sacroiliac"
    CERVICAL = "cervical", "Neck"
    THORACIC = "thoracic", "Thoracic spine and chest wall"
    TMJ = "tmj", "Jaw (TMJ)"
    OTHER = "other", "Other"


class Laterality(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BILATERAL = "bilateral", "Both sides"
    MIDLINE = "midline", "Midline / not applicable"


class Structure(models.TextChoices):
    LIGAMENT = "ligament", "Ligament"
    TENDON = "tendon", "Tendon"
    ENTHESIS = "enthesis", "Enthesis"
    JOINT = "joint", "Joint"


class Eligibility(models.TextChoices):
    PENDING = "pending", "Not yet decided"
    ELIGIBLE = "eligible", "Eligible"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"


class Evaluation(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="evaluations")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    evaluated_on = models.DateField()
    referral_source = models.CharField(max_length=200, blank=True)
    presenting_complaint = models.TextField()
    pain_onset = models.CharField(
        max_length=100, blank=True, help_text="When and how it started, e.g. 'after a fall, 2021'"
    )
    pain_duration_months = models.PositiveSmallIntegerField(
        "pain duration (months)", validators=[MaxValueValidator(1200)]
    )
    baseline_pain = models.PositiveSmallIntegerField(
        "baseline pain (0–10)", validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    target_region = models.CharField(max_length=20, choices=Region.choices)
    laterality = models.CharField(max_length=10, choices=Laterality.choices)
    target_structures = models.JSONField(
        default=list, help_text="Any of ligament, tendon, enthesis, joint."
    )
    examination_findings = models.TextField(blank=True)
    working_diagnosis = models.CharField(max_length=300)
    eligibility = models.CharField(
        max_length=20, choices=Eligibility.choices, default=Eligibility.PENDING
    )
    eligibility_reasons = models.TextField(blank=True)
    alternatives_discussed = models.TextField(
        blank=True,
        help_text="Prolotherapy is not first-line: exercise and physiotherapy, weight management, "
        "analgesics, bracing, other injections, surgery, and doing nothing.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-evaluated_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_pain__gte=0) & Q(baseline_pain__lte=10),
                name="baseline_pain_0_10",
                violation_error_code="baseline_pain",
                violation_error_message="Baseline pain must be a whole number from 0 to 10.",
            ),
            # A decision needs its reasons, and "eligible" needs the alternatives discussed.
            models.CheckConstraint(
                condition=Q(eligibility="pending") | ~Q(eligibility_reasons=""),
                name="eligibility_decision_has_reasons",
                violation_error_code="eligibility_reasons",
                violation_error_message="Eligibility reasons: give the reasons for the eligibility decision.",
            ),
            models.CheckConstraint(
                condition=~Q(eligibility="eligible") | ~Q(alternatives_discussed=""),
                name="eligible_requires_alternatives",
                violation_error_code="alternatives_discussed",
                violation_error_message="Alternatives discussed: prolotherapy is not first-line; record the alternatives discussed before marking the patient eligible.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluated_on:%d %b %Y}: {self.working_diagnosis}"

    def structure_labels(self) -> list[str]:
        return [Structure(s).label for s in self.target_structures if s in Structure.values]


class Modality(models.TextChoices):
    XRAY = "xray", "X-ray"
    MRI = "mri", "MRI"
    ULTRASOUND = "ultrasound", "Ultrasound"
    CT = "ct", "CT"
    OTHER = "other", "Other"


def imaging_upload_to(instance: ImagingStudy, filename: str) -> str:
    # Random names: the original file name may hold the patient's name.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"imaging/{instance.code}.{suffix}"


class ImagingStudy(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="imaging")
    modality = models.CharField(max_length=20, choices=Modality.choices)
    performed_on = models.DateField()
    findings = models.TextField()
    file = models.FileField(upload_to=imaging_upload_to, blank=True, max_length=255)
    original_filename = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-performed_on", "-id"]
        verbose_name_plural = "imaging studies"
