"""The LAST emergency panel of a session: signs, the ASRA checklist, the lipid emulsion doses
and the anaesthetic given; closing it records the adverse event. docs/last.md."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from prolo.clinic.access import get_session
from prolo.clinic.models import Expectedness, TreatmentSession
from prolo.clinic.permissions import Perm
from prolo.clinic.safety.last import (
    CHECKLIST_SOURCE,
    DO_NOW,
    LEAN_WEIGHT_NOTE,
    REFERENCES,
    SIGNS,
    THEN,
)
from prolo.clinic.selectors.last import last_panel as panel_of
from prolo.clinic.services.last import CLOCK_SKEW, OPEN_AT_MOST, last_event_record
from prolo.clinic.services.patients import chart_open
from prolo.lib.forms import submit
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view
from prolo.staff.last_forms import LastEventForm


def _opened(value: str | None) -> dt.datetime:
    """The time the panel was first opened, kept across a reload by the page's address;
    anything unreadable, in the future or stale starts a new panel now."""
    now = timezone.now().replace(microsecond=0)
    try:
        opened = parse_datetime(value or "")
    except ValueError:
        opened = None
    if opened is None or timezone.is_naive(opened):
        return now
    if not now - OPEN_AT_MOST < opened <= now + CLOCK_SKEW:
        return now
    return opened


def _render(
    request: StaffRequest,
    session: TreatmentSession,
    form: LastEventForm,
    opened: dt.datetime,
    status: int = 200,
) -> HttpResponse:
    patient = session.course.patient
    chart_open(actor=request.actor, patient=patient, part=session)
    panel = panel_of(session)
    context = {
        "session": session,
        "patient": patient,
        "dose": panel.dose,
        "lipid": panel.lipid,
        "signs": SIGNS,
        "steps": DO_NOW,
        "then_steps": THEN,
        "checklist_source": CHECKLIST_SOURCE,
        "lean_weight_note": LEAN_WEIGHT_NOTE,
        "references": REFERENCES,
        "opened": opened,
        "form": form,
        "can_report": request.actor.can(Perm.REPORT_ADVERSE_EVENT),
        "nav": "patients",
    }
    return render(request, "staff/last_panel.html", context, status=status)


@staff_view()
def last_panel(request: StaffRequest, code: str) -> HttpResponse:
    session = get_session(request.actor, code, Perm.VIEW_CLINICAL)
    opened = _opened(request.GET.get("opened"))
    initial = {"opened_at": opened.isoformat(), "expectedness": Expectedness.EXPECTED}
    return _render(request, session, LastEventForm(initial=initial), opened)


@require_POST
@staff_view()
def last_record(request: StaffRequest, code: str) -> HttpResponse:
    session = get_session(request.actor, code, Perm.REPORT_ADVERSE_EVENT)
    form = LastEventForm(request.POST)
    event = submit(request, form, last_event_record, actor=request.actor, session=session)
    if event is not None:
        messages.success(
            request,
            f"Adverse event recorded: local anaesthetic systemic toxicity, CTCAE grade "
            f"{event.grade}. {event.description}.",
        )
        return redirect("staff:session-detail", code=session.code)
    return _render(request, session, form, _opened(request.POST.get("opened_at")), status=400)
