from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from prolo.clinic.models.accounts import Clinic

MIN_WEIGHT_KG = Decimal("2.0")
MAX_WEIGHT_KG = Decimal("350.0")
MIN_HEIGHT_CM = Decimal("40.0")
MAX_HEIGHT_CM = Decimal("250.0")


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish"
    OTHER = "other", "Other"


class Pregnancy(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    NOT_PREGNANT = "not_pregnant", "Not pregnant"
    PREGNANT = "pregnant", "Pregnant"
    UNKNOWN = "unknown", "Not asked / unknown"


class Diabetes(models.TextChoices):
    NONE = "none", "No diabetes"
    CONTROLLED = "controlled", "Diabetes, controlled"
    UNCONTROLLED = "uncontrolled", "Diabetes, uncontrolled"
    UNKNOWN = "unknown", "Not asked / unknown"


class Patient(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    mrn = models.CharField(
        "MRN",
        max_length=32,
        validators=[RegexValidator(r"^[A-Za-z0-9-]+$", "Use letters, digits and hyphens only.")],
        help_text="The clinic's medical record number.",
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    preferred_language = models.CharField(
        max_length=10, choices=Language.choices, default=Language.ENGLISH
    )
    # Medical-history flags that later safety checks read.
    pregnancy = models.CharField(
        max_length=20, choices=Pregnancy.choices, default=Pregnancy.UNKNOWN
    )
    diabetes = models.CharField(max_length=20, choices=Diabetes.choices, default=Diabetes.UNKNOWN)
    immunosuppressed = models.BooleanField(default=False)
    bleeding_disorder = models.BooleanField(default=False)
    # Anaesthetic labels ask for reduced doses in liver and heart disease [R44].
    hepatic_disease = models.BooleanField("liver disease", default=False)
    cardiac_disease = models.BooleanField("heart disease", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "mrn"], name="mrn_unique_per_clinic"),
            models.CheckConstraint(
                condition=Q(sex__in=Sex.values),
                name="patient_sex_valid",
                violation_error_message="Sex must be female, male, other or unknown.",
            ),
        ]
        indexes = [models.Index(fields=["clinic", "family_name", "given_name"])]

    def __str__(self) -> str:
        return f"{self.family_name}, {self.given_name} ({self.mrn})"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class WeightMeasurement(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="weights")
    measured_on = models.DateField()
    weight_kg = models.DecimalField(
        "weight (kg)",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(MIN_WEIGHT_KG), MaxValueValidator(MAX_WEIGHT_KG)],
    )
    # Measured with the weight when the clinic doses by ideal or adjusted body weight.
    height_cm = models.DecimalField(
        "height (cm)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_HEIGHT_CM), MaxValueValidator(MAX_HEIGHT_CM)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-measured_on", "-id"]
        get_latest_by = ["measured_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_kg__gte=MIN_WEIGHT_KG) & Q(weight_kg__lte=MAX_WEIGHT_KG),
                name="weight_in_range",
                violation_error_code="weight_kg",
                violation_error_message="Weight must be between 2.0 and 350.0 kg.",
            ),
            models.CheckConstraint(
                condition=Q(height_cm__isnull=True)
                | (Q(height_cm__gte=MIN_HEIGHT_CM) & Q(height_cm__lte=MAX_HEIGHT_CM)),
                name="height_in_range",
                violation_error_code="height_cm",
                violation_error_message="Height must be between 40.0 and 250.0 cm.",
            ),
        ]


class Condition(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="conditions")
    name = models.CharField(max_length=200)
    onset = models.CharField(max_length=60, blank=True, help_text="e.g. 2019, or childhood")
    active = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    # A coded condition (FHIR Condition.code), e.g. SNOMED CT from an imported bundle.
    system = models.CharField(max_length=200, blank=True)
    concept = models.CharField(max_length=64, blank=True)
    onset_date = models.DateField(null=True, blank=True)
    abatement_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-active", "name", "id"]


class MedicationClass(models.TextChoices):
    ANTICOAGULANT = "anticoagulant", "Anticoagulant"
    ANTIPLATELET = "antiplatelet", "Antiplatelet"
    NSAID = "nsaid", "NSAID (anti-inflammatory)"
    SYSTEMIC_STEROID = "systemic_steroid", "Systemic corticosteroid"
    OTHER = "other", "Other"


# Classes that the chart shows as alerts: they change bleeding risk or the response to treatment.
FLAGGED_MEDICATION_CLASSES = {
    MedicationClass.ANTICOAGULANT,
    MedicationClass.ANTIPLATELET,
    MedicationClass.NSAID,
    MedicationClass.SYSTEMIC_STEROID,
}


class Medication(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="medications")
    name = models.CharField(max_length=200)
    dose = models.CharField(max_length=100, blank=True, help_text="e.g. 5 mg twice daily")
    drug_class = models.CharField(
        "class", max_length=20, choices=MedicationClass.choices, default=MedicationClass.OTHER
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-active", "name", "id"]

    @property
    def flagged(self) -> bool:
        return self.drug_class in FLAGGED_MEDICATION_CLASSES


class AllergyCategory(models.TextChoices):
    LOCAL_ANAESTHETIC = "local_anaesthetic", "Local anaesthetic"
    CORN_DEXTROSE = "corn_dextrose", "Corn / dextrose"
    FISH_MORRHUATE = "fish_morrhuate", "Fish / sodium morrhuate"
    LATEX = "latex", "Latex"
    ANTISEPTIC = "antiseptic", "Antiseptic (chlorhexidine, iodine)"
    PRESERVATIVE = "preservative", "Preservative (parabens, benzyl alcohol, sulfites)"
    OTHER = "other", "Other"


class Allergy(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="allergies")
    substance = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=AllergyCategory.choices)
    reaction = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["substance", "id"]
        verbose_name_plural = "allergies"

    @property
    def flagged(self) -> bool:
        """Every category but 'other' touches something a prolotherapy session uses."""
        return self.category != AllergyCategory.OTHER
