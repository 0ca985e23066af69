"""The clinic's Instruments pages: each outcome instrument, its text, export, import, settings."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from prolo.clinic.models import Clinic
from prolo.clinic.outcomes.fhir_questionnaire import to_questionnaire
from prolo.clinic.outcomes.instruments import INSTRUMENTS, Item, Subscale
from prolo.clinic.outcomes.scoring import rule_version
from prolo.clinic.permissions import Perm
from prolo.clinic.services.instruments import (
    instrument_settings_update,
    instrument_text_import,
    min_field,
)
from prolo.clinic.services.questionnaires import (
    ClinicInstrument,
    clinic_instrument,
    clinic_instruments,
)
from prolo.lib.forms import submit
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view
from prolo.staff.instrument_forms import InstrumentImportForm, InstrumentSettingsForm


def _instrument(clinic: Clinic, code: str) -> ClinicInstrument:
    """The clinic's view of a shipped instrument; 404 for a code Prolo does not ship."""
    if code not in INSTRUMENTS:
        raise Http404("Prolo ships no such instrument.")
    return clinic_instrument(clinic, code)


@staff_view(Perm.VIEW_CLINICAL)
def instrument_list(request: StaffRequest) -> HttpResponse:
    context = {
        "instruments": list(clinic_instruments(request.actor.clinic).values()),
        "can_manage": request.actor.can(Perm.MANAGE_SAFETY),
        "nav": "clinic",
    }
    return render(request, "staff/instrument_list.html", context)


def _values(item: Item) -> str:
    """'0–10' for a run of whole numbers, else each value ('0, 4, 7, 10')."""
    values = sorted(item.values)
    if values == list(range(item.low, item.high + 1)):
        return f"{item.low}–{item.high}"
    return ", ".join(str(v) for v in values)


def _minimums(view: ClinicInstrument) -> list[tuple[Subscale, int | None]]:
    """Each subscale with the clinic's own minimum, if it set one."""
    own = view.min_answered
    return [(s, own.get(s.key)) for s in view.instrument.subscales]


@staff_view(Perm.VIEW_CLINICAL)
def instrument_detail(request: StaffRequest, instrument: str) -> HttpResponse:
    view = _instrument(request.actor.clinic, instrument)
    items = [
        {
            "item": item,
            "text": view.text(item),
            "values": _values(item),
            "labels": [
                (v, label) for v in sorted(item.values) if (label := view.option_label(item, v))
            ],
        }
        for item in view.instrument.items
    ]
    context = {
        "view": view,
        "i": view.instrument,
        "setting": view.setting,
        "rule_version": rule_version(view.instrument),
        "items": items,
        "minimums": _minimums(view),
        "can_manage": request.actor.can(Perm.MANAGE_SAFETY),
        "nav": "clinic",
    }
    return render(request, "staff/instrument_detail.html", context)


@staff_view(Perm.VIEW_CLINICAL)
def instrument_export(request: StaffRequest, instrument: str) -> HttpResponse:
    view = _instrument(request.actor.clinic, instrument)
    text = view.setting.item_text if view.setting else None
    body = json.dumps(to_questionnaire(view.instrument, text), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/fhir+json; charset=utf-8")
    filename = f"{view.code}-questionnaire.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_view(Perm.MANAGE_SAFETY)
def instrument_import(request: StaffRequest, instrument: str) -> HttpResponse:
    view = _instrument(request.actor.clinic, instrument)
    posted = request.method == "POST"
    form = InstrumentImportForm(request.POST if posted else None, request.FILES if posted else None)
    saved = submit(request, form, instrument_text_import, actor=request.actor, instrument=view.code)
    if saved is not None:
        messages.success(request, f"Imported the text of the {view.name}.")
        return redirect("staff:instrument-detail", instrument=view.code)
    context = {"view": view, "form": form, "nav": "clinic"}
    status = 400 if form.errors else 200
    return render(request, "staff/instrument_import.html", context, status=status)


def _settings_initial(view: ClinicInstrument) -> dict[str, Any]:
    setting = view.setting
    initial: dict[str, Any] = {min_field(k): v for k, v in view.min_answered.items()}
    if setting is not None:
        initial |= {
            "mcid_points": setting.mcid_points,
            "mcid_percent": setting.mcid_percent,
            "mcid_source": setting.mcid_source,
        }
    return initial


@staff_view(Perm.MANAGE_SAFETY)
def instrument_settings(request: StaffRequest, instrument: str) -> HttpResponse:
    view = _instrument(request.actor.clinic, instrument)
    data = request.POST if request.method == "POST" else None
    form = InstrumentSettingsForm(data, initial=_settings_initial(view), instrument=view.instrument)
    if request.method == "POST":
        saved = submit(
            request, form, instrument_settings_update, actor=request.actor, instrument=view.code
        )
        if not form.errors:  # saved, or nothing set and nothing to save (None)
            done = "Saved the clinic's settings" if saved else "Kept Prolo's shipped settings"
            messages.success(request, f"{done} for the {view.name}.")
            return redirect("staff:instrument-detail", instrument=view.code)
    context = {"view": view, "form": form, "minimums": _minimums(view), "nav": "clinic"}
    status = 400 if form.errors else 200
    return render(request, "staff/instrument_settings.html", context, status=status)
