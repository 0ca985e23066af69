"""Medical history: flags, weights, conditions, medications, allergies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from prolo.clinic.access import get_patient
from prolo.clinic.clock import clinic_today
from prolo.clinic.models import Condition, Medication, Patient
from prolo.clinic.permissions import Perm
from prolo.clinic.services import patients as services
from prolo.lib.forms import submit
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view
from prolo.staff.forms import (
    AllergyForm,
    ConditionForm,
    HistoryFlagsForm,
    MedicationForm,
    WeightForm,
)

# kind in the URL → (form, service, message)
_ADDERS: dict[str, tuple[type[forms.BaseForm], Callable[..., Any], str]] = {
    "flags": (HistoryFlagsForm, services.patient_history_update, "History flags saved."),
    "weight": (WeightForm, services.weight_record, "Weight recorded."),
    "condition": (ConditionForm, services.condition_add, "Condition added."),
    "medication": (MedicationForm, services.medication_add, "Medication added."),
    "allergy": (AllergyForm, services.allergy_add, "Allergy added."),
}


def _blank_forms(patient: Patient, today: dt.date) -> dict[str, forms.BaseForm]:
    return {
        "flags": HistoryFlagsForm(
            initial=model_to_dict(patient, services.HISTORY_FLAG_FIELDS), prefix="flags"
        ),
        "weight": WeightForm(initial={"measured_on": today}, prefix="weight"),
        "condition": ConditionForm(prefix="condition"),
        "medication": MedicationForm(prefix="medication"),
        "allergy": AllergyForm(prefix="allergy"),
    }


def _render(
    request: StaffRequest, patient: Patient, forms_: dict[str, forms.BaseForm]
) -> HttpResponse:
    services.chart_open(actor=request.actor, patient=patient, part=None)
    context = {
        "patient": patient,
        "forms": forms_,
        "weights": patient.weights.select_related("recorded_by")[:10],
        "conditions": patient.conditions.all(),
        "medications": patient.medications.all(),
        "allergies": patient.allergies.all(),
        "nav": "patients",
    }
    return render(request, "staff/patient_history.html", context)


@staff_view()
def history(request: StaffRequest, code: str) -> HttpResponse:
    patient = get_patient(request.actor, code, Perm.EDIT_HISTORY)
    return _render(request, patient, _blank_forms(patient, clinic_today(request.actor.clinic)))


@require_POST
@staff_view()
def history_add(request: StaffRequest, code: str, kind: str) -> HttpResponse:
    patient = get_patient(request.actor, code, Perm.EDIT_HISTORY)
    if kind not in _ADDERS:
        raise Http404("Unknown history section.")
    form_class, service, message = _ADDERS[kind]
    form = form_class(request.POST, prefix=kind)
    if submit(request, form, service, actor=request.actor, patient=patient):
        messages.success(request, message)
        return redirect("staff:patient-history", code=patient.code)
    forms_ = _blank_forms(patient, clinic_today(request.actor.clinic))
    forms_[kind] = form
    return _render(request, patient, forms_)


@require_POST
@staff_view()
def allergy_remove(request: StaffRequest, code: str, pk: int) -> HttpResponse:
    patient = get_patient(request.actor, code, Perm.EDIT_HISTORY)
    allergy = patient.allergies.filter(pk=pk).first()
    if allergy is None:
        raise Http404("No such allergy.")
    services.allergy_remove(actor=request.actor, allergy=allergy)
    messages.success(request, f"Allergy to {allergy.substance} removed.")
    return redirect("staff:patient-history", code=patient.code)


@require_POST
@staff_view()
def history_item_toggle(request: StaffRequest, code: str, kind: str, pk: int) -> HttpResponse:
    """Mark a medication stopped or a condition resolved (or back to active)."""
    patient = get_patient(request.actor, code, Perm.EDIT_HISTORY)
    item: Condition | Medication | None
    if kind == "medication":
        item = patient.medications.filter(pk=pk).first()
    elif kind == "condition":
        item = patient.conditions.filter(pk=pk).first()
    else:
        raise Http404("Unknown history section.")
    if item is None:
        raise Http404("No such entry.")
    services.history_item_set_active(actor=request.actor, item=item, active=not item.active)
    messages.success(request, f"{item.name} updated.")
    return redirect("staff:patient-history", code=patient.code)
