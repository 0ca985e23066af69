"""Records that exist for data leaving and entering Prolo: API tokens, observations recorded
through FHIR or imported from another system, the import ledger that makes re-imports
idempotent, and Bulk Data export jobs. See docs/interoperability.md.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from prolo.clinic.models.accounts import Clinic
from prolo.clinic.models.patients import Patient

TOKEN_HASH_LENGTH = 64  # hex SHA-256


class ApiToken(models.Model):
    """A user's bearer token for /api/v1/ and /fhir/. Only its SHA-256 is kept.

    The token acts in one clinic; the role is read from the user's membership there on every
    request, so a changed or ended membership changes or ends what the token can do at once.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'registry'.")
    # The first characters of the token, shown in lists so the user can tell tokens apart.
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=TOKEN_HASH_LENGTH, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ObservationStatus(models.TextChoices):
    # FHIR R4 observation-status, the subset a stored observation can hold.
    REGISTERED = "registered", "Registered"
    PRELIMINARY = "preliminary", "Preliminary"
    FINAL = "final", "Final"
    AMENDED = "amended", "Amended"
    CORRECTED = "corrected", "Corrected"
    CANCELLED = "cancelled", "Cancelled"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"
    UNKNOWN = "unknown", "Unknown"


class ObservationSource(models.TextChoices):
    API = "api", "Recorded through the API"
    IMPORT = "import", "Imported from a FHIR bundle"


class Observation(models.Model):
    """An observation recorded through FHIR or imported (e.g. a pain score from another EHR).

    Questionnaire scores are not stored here: FHIR shows them as Observations derived from
    QuestionnaireResponse, so there is one source of truth for each score.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="observations")
    status = models.CharField(max_length=20, choices=ObservationStatus.choices)
    category = models.CharField(
        max_length=40, blank=True, help_text="observation-category code, e.g. vital-signs."
    )
    system = models.CharField(max_length=200, help_text="Code system URI, e.g. http://loinc.org")
    concept = models.CharField(max_length=64, help_text="The code in that system, e.g. 72514-3.")
    display = models.CharField(max_length=300, blank=True)
    effective_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    # One of value_quantity, value_concept or value_text (or none, e.g. a panel with components).
    value_quantity = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    value_unit = models.CharField(max_length=60, blank=True)
    value_ucum = models.CharField(max_length=60, blank=True, help_text="UCUM code of the unit.")
    value_concept = models.JSONField(null=True, blank=True, help_text="FHIR CodeableConcept.")
    value_text = models.TextField(blank=True)
    # FHIR Observation.component, kept as given (e.g. systolic and diastolic blood pressure).
    components = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=10, choices=ObservationSource.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_at", "id"]
        indexes = [
            models.Index(fields=["patient", "concept", "effective_at"]),
            models.Index(fields=["patient", "effective_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.display or self.concept} for {self.patient_id}"


class ImportedResource(models.Model):
    """The import ledger: which record a resource from another system became.

    Re-importing the same bundle finds every resource here and creates nothing new.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    resource_type = models.CharField(max_length=40)
    # The resource's identity in its source: the bundle entry's fullUrl, else type/id.
    source_key = models.CharField(max_length=255)
    object_code = models.UUIDField()
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "resource_type", "source_key"], name="import_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_type} {self.source_key} → {self.object_code}"


class ExportStatus(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    RUNNING = "running", "Running"
    COMPLETE = "complete", "Complete"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class ExportJob(models.Model):
    """A FHIR Bulk Data $export request, run in the background; its NDJSON files on disk."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # "system", "patient" or "group"; group_id names the Group for group-level exports.
    level = models.CharField(max_length=10)
    group_id = models.CharField(max_length=64, blank=True)
    types = models.JSONField(default=list, blank=True, help_text="_type, empty for all types.")
    since = models.DateTimeField(null=True, blank=True)
    request_url = models.TextField()
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.ACCEPTED
    )
    # A worker holds the job until claimed_until; a crashed worker's job is picked up again.
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # [{"type": "Patient", "count": 10, "file": "Patient.ndjson"}]
    output = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"$export {self.level} {self.code} ({self.status})"
