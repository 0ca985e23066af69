"""The one place the clinic's safety settings are read (and, for writers, created)."""

from __future__ import annotations

from prolo.clinic.models import Clinic, ClinicSettings


def settings_for(clinic: Clinic | int) -> ClinicSettings:
    """The clinic's settings, or the defaults (unsaved) if it never changed any.

    A read that writes nothing: pages and calculations call it freely.
    """
    clinic_id = clinic if isinstance(clinic, int) else clinic.pk
    found = ClinicSettings.objects.filter(clinic_id=clinic_id).first()
    return found or ClinicSettings(clinic_id=clinic_id)


def settings_ensure(clinic: Clinic) -> ClinicSettings:
    """The clinic's saved settings row, created with the defaults if missing (for writers)."""
    found, _ = ClinicSettings.objects.get_or_create(clinic=clinic)
    return found
