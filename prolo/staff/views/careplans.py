"""The printable preparation and aftercare plan of one session, for the patient to take home."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from prolo.clinic.access import get_session
from prolo.clinic.permissions import Perm
from prolo.clinic.services.careplans import session_care_plan
from prolo.clinic.services.patients import chart_open
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view


@staff_view()
def careplan_print(request: StaffRequest, code: str) -> HttpResponse:
    """Any staff role, reception included: the front desk hands the sheet to the patient.

    The sheet carries the clinic's contact, the patient's name, the session's date and time and
    the instructions only (docs/roles.md, docs/care-plans.md). Opening it is audited like any
    page of the chart.
    """
    session = get_session(request.actor, code, Perm.VIEW_SCHEDULE)
    patient = session.course.patient
    chart_open(actor=request.actor, patient=patient, part=session)
    context = {
        "session": session,
        "patient": patient,
        "clinic": request.actor.clinic,
        "plan": session_care_plan(session),
        "can_clinical": request.actor.can(Perm.VIEW_CLINICAL),
    }
    return render(request, "staff/careplan_print.html", context)
