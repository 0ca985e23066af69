from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models

from prolo.clinic.models.accounts import Clinic
from prolo.clinic.models.patients import Patient


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    SIGN = "sign", "Signed"
    AMEND = "amend", "Amended"
    VIEW_CHART = "view_chart", "Opened chart"
    VIEW_FILE = "view_file", "Opened file"
    EXPORT = "export", "Exported"
    READ = "read", "Read through the API"
    IMPORT = "import", "Imported"
    PASSWORD_RESET = "password_reset", "Password reset"


class AuditEvent(models.Model):
    """Append-only: who did what to which record of which patient, and when."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=40)
    object_code = models.CharField(max_length=40)
    changes = models.JSONField(
        default=dict,
        blank=True,
        help_text="field → [old, new] for updates; field → value on create",
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["clinic", "patient", "-at"])]

    @property
    def object_label(self) -> str:
        """'Treatment session' rather than the stored model name 'treatmentsession'."""
        try:
            model = apps.get_model("clinic", self.object_type)
        except LookupError:
            return self.object_type
        return str(model._meta.verbose_name).capitalize()
