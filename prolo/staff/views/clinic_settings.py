"""The clinic's safety settings: every value, its default and its source; editable by managers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render

from prolo.clinic.access import require
from prolo.clinic.models import ClinicSettings
from prolo.clinic.permissions import Perm
from prolo.clinic.services.clinic_settings import (
    SETTING_SOURCES,
    SETTINGS_FIELDS,
    default_of,
    setting_field,
    settings_update,
)
from prolo.clinic.services.settings import settings_for
from prolo.lib.forms import submit
from prolo.lib.http import StaffRequest
from prolo.staff.clinic_forms import ClinicSettingsForm
from prolo.staff.decorators import staff_view


def _rows(current: ClinicSettings) -> list[dict[str, Any]]:
    """One row per setting, grouped by what it drives, for the read-only table."""
    return [
        {
            "group": source.group,
            "name": source.name,
            "label": str(setting_field(source.name).verbose_name),
            "value": getattr(current, source.name),
            "default": default_of(source.name),
            "unit": source.unit,
            "source": source.source,
            "verified": source.verified,
        }
        for source in SETTING_SOURCES
    ]


@staff_view(Perm.VIEW_CLINICAL)
def clinic_settings(request: StaffRequest) -> HttpResponse:
    current = settings_for(request.actor.clinic)
    initial = model_to_dict(current, SETTINGS_FIELDS)
    form = ClinicSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require(request.actor, Perm.MANAGE_SAFETY)
        if submit(request, form, settings_update, actor=request.actor):
            messages.success(request, "Safety settings saved.")
            return redirect("staff:clinic-settings")
    context = {
        "form": form,
        "rows": _rows(current),
        "can_manage": request.actor.can(Perm.MANAGE_SAFETY),
        "nav": "clinic",
    }
    status = 400 if form.errors else 200
    return render(request, "staff/clinic_settings.html", context, status=status)
