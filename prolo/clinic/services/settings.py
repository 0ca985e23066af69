from __future__ import annotations

from prolo.clinic.models import Clinic, ClinicSettings


def settings_for(clinic: Clinic) -> ClinicSettings:
    """The clinic's safety settings; a clinic that never changed them gets the defaults."""
    found, _ = ClinicSettings.objects.get_or_create(clinic=clinic)
    return found
