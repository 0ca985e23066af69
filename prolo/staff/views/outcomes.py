"""The clinic's outcomes page and the registry CSV (docs/outcomes-report.md)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from prolo.clinic.exports.registry_csv import stream_registry_csv
from prolo.clinic.permissions import Perm
from prolo.clinic.services.outcome_report import (
    IDENTIFIED_EXPORT_PERM,
    mcid_label,
    outcome_report,
    registry_export,
)
from prolo.clinic.services.questionnaires import clinic_instruments
from prolo.lib.forms import add_service_errors
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view
from prolo.staff.outcomes_report_forms import OutcomeFilterForm, filters_of

# ?deidentified=1 (the default) or 0; anything else is refused rather than guessed.
DEIDENTIFIED_VALUES = {"1": True, "0": False}


def _query(filters: dict[str, Any]) -> str:
    """The filters as a query string for the CSV links (empty ones left out)."""
    return urlencode({k: v for k, v in filters.items() if v not in ("", None)})


@staff_view(Perm.VIEW_CLINICAL)
def outcomes_report(request: StaffRequest) -> HttpResponse:
    actor = request.actor
    instruments = clinic_instruments(actor.clinic)
    form = OutcomeFilterForm(request.GET or None, instruments=instruments)
    context: dict[str, Any] = {
        "form": form,
        "report": None,
        "can_export_identified": actor.can(IDENTIFIED_EXPORT_PERM),
        "nav": "outcomes",
    }
    if form.is_bound and not form.is_valid():
        return render(request, "staff/outcomes_report.html", context, status=400)
    filters = filters_of(form)
    try:
        report = outcome_report(actor, **filters, instruments=instruments)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return render(request, "staff/outcomes_report.html", context, status=400)
    context |= {"report": report, "mcid": mcid_label(report.mcid), "query": _query(filters)}
    return render(request, "staff/outcomes_report.html", context)


def _refusal(messages: list[str]) -> HttpResponse:
    return HttpResponse(
        "\n".join(messages) + "\n", status=400, content_type="text/plain; charset=utf-8"
    )


def _form_errors(form: OutcomeFilterForm) -> list[str]:
    return [
        f"{form.fields[name].label if name in form.fields else name}: {message}"
        for name, messages in form.errors.items()
        for message in messages
    ]


@staff_view(Perm.VIEW_CLINICAL)
def registry_csv(request: StaffRequest) -> HttpResponse | StreamingHttpResponse:
    flag = request.GET.get("deidentified", "1")
    if flag not in DEIDENTIFIED_VALUES:
        return _refusal(["deidentified: use 1 (de-identified, the default) or 0 (identified)."])
    form = OutcomeFilterForm(request.GET)
    if not form.is_valid():
        return _refusal(_form_errors(form))
    try:
        export = registry_export(
            actor=request.actor, identified=not DEIDENTIFIED_VALUES[flag], **filters_of(form)
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _refusal(_form_errors(form))
    response = StreamingHttpResponse(
        stream_registry_csv(export.rows, identified=export.identified),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"  # patient data: no copy left in a shared cache
    return response
