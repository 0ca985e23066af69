"""Adverse events: the clinic's list and rates, reporting, follow-up and closing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from prolo.clinic.access import get_adverse_event, get_patient
from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AdverseEvent, TreatmentSession
from prolo.clinic.permissions import Perm
from prolo.clinic.services.adverse_events import (
    ADVERSE_EVENT_FIELDS,
    adverse_event_close,
    adverse_event_rates,
    adverse_event_report,
    adverse_event_update,
)
from prolo.lib.forms import parse_uuid, submit
from prolo.lib.http import StaffRequest
from prolo.staff.adverse_event_forms import AdverseEventForm
from prolo.staff.decorators import staff_view

STATUS_FILTERS = {"open": "Open", "closed": "Closed", "all": "All"}
PAGE_SIZE = 50


@staff_view(Perm.VIEW_CLINICAL)
def adverse_event_list(request: StaffRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    if status not in STATUS_FILTERS:
        status = "open"
    events = AdverseEvent.objects.filter(patient__clinic=request.actor.clinic).select_related(
        "patient", "session"
    )
    if status == "open":
        events = events.filter(closed_at__isnull=True)
    elif status == "closed":
        events = events.filter(closed_at__isnull=False)
    context = {
        "page": Paginator(events, PAGE_SIZE).get_page(request.GET.get("page")),
        "status": status,
        "filters": STATUS_FILTERS,
        "rates": adverse_event_rates(request.actor.clinic),
        "nav": "adverse-events",
    }
    return render(request, "staff/adverse_event_list.html", context)


@staff_view()
def adverse_event_new(request: StaffRequest, code: str) -> HttpResponse:
    patient = get_patient(request.actor, code, Perm.REPORT_ADVERSE_EVENT)
    session_code = parse_uuid(request.GET.get("session", ""))
    session = (
        TreatmentSession.objects.filter(course__patient=patient, code=session_code).first()
        if session_code
        else None
    )
    initial = {"onset_date": clinic_today(request.actor.clinic), "session": session}
    form = AdverseEventForm(request.POST or None, initial=initial, patient=patient, session=session)
    event = submit(request, form, adverse_event_report, actor=request.actor, patient=patient)
    if event:
        messages.success(request, "Adverse event reported.")
        return redirect("staff:adverse-event-detail", code=event.code)
    context = {"form": form, "patient": patient, "event": None, "nav": "patients"}
    return render(request, "staff/adverse_event_form.html", context)


@staff_view()
def adverse_event_edit(request: StaffRequest, code: str) -> HttpResponse:
    event = get_adverse_event(request.actor, code, Perm.REPORT_ADVERSE_EVENT)
    if event.is_closed:
        messages.error(request, "This adverse event is closed and can no longer be changed.")
        return redirect("staff:adverse-event-detail", code=event.code)
    initial = model_to_dict(event, ADVERSE_EVENT_FIELDS)
    form = AdverseEventForm(
        request.POST or None, initial=initial, patient=event.patient, session=event.session
    )
    if submit(request, form, adverse_event_update, actor=request.actor, event=event):
        messages.success(request, "Adverse event saved.")
        return redirect("staff:adverse-event-detail", code=event.code)
    context = {"form": form, "patient": event.patient, "event": event, "nav": "patients"}
    return render(request, "staff/adverse_event_form.html", context)


@staff_view()
def adverse_event_detail(request: StaffRequest, code: str) -> HttpResponse:
    event = get_adverse_event(request.actor, code, Perm.VIEW_CLINICAL)
    context = {
        "event": event,
        "patient": event.patient,
        "can_report": request.actor.can(Perm.REPORT_ADVERSE_EVENT),
        "can_close": request.actor.can(Perm.SIGN_NOTE),
        "nav": "patients",
    }
    return render(request, "staff/adverse_event_detail.html", context)


@require_POST
@staff_view()
def adverse_event_close_view(request: StaffRequest, code: str) -> HttpResponse:
    event = get_adverse_event(request.actor, code, Perm.SIGN_NOTE)
    try:
        adverse_event_close(actor=request.actor, event=event)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Adverse event closed.")
    return redirect("staff:adverse-event-detail", code=event.code)
