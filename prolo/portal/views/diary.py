"""The patient's 7-day diary and "report a problem", each answered at once with what to do.

What to do comes from one pure mapping (prolo/clinic/outcomes/advice.py); the words are in
templates/portal/advice.html.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import DiaryEntry, TreatmentSession
from prolo.clinic.models.outcomes_diary import DIARY_DAYS
from prolo.clinic.outcomes.advice import Level, advice_level
from prolo.clinic.portal_access import PatientActor, get_own_session
from prolo.clinic.services.careplans import session_care_plan
from prolo.clinic.services.diary import session_day
from prolo.clinic.services.portal_outcomes import (
    diary_day_flags,
    diary_sessions,
    latest_session,
    open_days,
    patient_diary_record,
    problem_report,
)
from prolo.lib.forms import add_service_errors
from prolo.lib.http import PortalRequest
from prolo.portal.decorators import patient_view
from prolo.portal.forms_outcomes import DiaryDayForm, ProblemForm

PROBLEM_FLAGS = "portal-problem-flags"
# The aftercare plan's self-care items shown with "this is expected" (safety/careplan.py).
SELF_CARE = ("flare", "pain_relief", "heat_not_ice", "heat_pack", "keep_moving")


def _base(me: PatientActor, nav: str) -> dict[str, Any]:
    return {"patient": me.patient, "clinic": me.clinic, "nav": nav}


@patient_view
def diary(request: PortalRequest) -> HttpResponse:
    today = clinic_today(request.me.clinic)
    sessions = [
        {
            "session": session,
            "day0": session_day(session, request.me.clinic),
            "entries": sorted(session.diary_entries.all(), key=lambda e: e.day),
            "open": [
                (day, session_day(session, request.me.clinic) + dt.timedelta(days=day))
                for day in open_days(session, today)
            ],
        }
        for session in diary_sessions(request.me, today)
    ]
    context = {"sessions": sessions, **_base(request.me, "diary")}
    return render(request, "portal/diary.html", context)


def _open_day(me: PatientActor, code: str, day: int) -> TreatmentSession:
    """The patient's session whose diary `day` can be recorded now; 404 otherwise."""
    session = get_own_session(me, code)
    if not 1 <= day <= DIARY_DAYS:  # before the date arithmetic: day-99999999 overflows
        raise Http404("No such diary day.")
    come = session_day(session, me.clinic) + dt.timedelta(days=day) <= clinic_today(me.clinic)
    if session not in diary_sessions(me) or not come:
        raise Http404("No such diary day.")
    return session


@patient_view
def diary_day(request: PortalRequest, code: str, day: int) -> HttpResponse:
    session = _open_day(request.me, code, day)
    recorded = DiaryEntry.objects.filter(session=session, day=day).exists()
    if recorded:
        messages.info(request, _("Day %(day)s is already in your diary.") % {"day": day})
        return redirect("portal:diary")
    form = DiaryDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patient_diary_record(me=request.me, session=session, day=day, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("portal:diary-done", code=session.code, day=day)
    context = {
        "form": form,
        "session": session,
        "day": day,
        "date": session_day(session, request.me.clinic) + dt.timedelta(days=day),
        **_base(request.me, "diary"),
    }
    return render(request, "portal/diary_day.html", context, status=400 if form.errors else 200)


@patient_view
def diary_done(request: PortalRequest, code: str, day: int) -> HttpResponse:
    session = get_own_session(request.me, code)
    entry = DiaryEntry.objects.filter(session=session, day=day).select_related("session").first()
    if entry is None:
        raise Http404("No such diary day.")
    flags = [flag.key for flag in diary_day_flags(entry)]
    context = {
        "entry": entry,
        **_advice(session, flags),
        **_base(request.me, "diary"),
    }
    return render(request, "portal/diary_done.html", context)


def _advice(session: TreatmentSession | None, flags: list[str]) -> dict[str, Any]:
    level = advice_level(flags)
    self_care: list[str] = []
    if level == Level.EXPECTED and session is not None:
        plan = session_care_plan(session)
        self_care = [item.text for key in SELF_CARE if (item := plan.item(key)) is not None]
    return {
        "level": int(level),
        "emergency": level == Level.EMERGENCY,
        "clinic_today": level == Level.CLINIC_TODAY,
        "self_care": self_care,
    }


@patient_view
def problem(request: PortalRequest) -> HttpResponse:
    form = ProblemForm(request.POST or None, initial={"since": clinic_today(request.me.clinic)})
    if request.method == "POST" and form.is_valid():
        try:
            report = problem_report(me=request.me, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # Kept (not popped) so that reloading the page still shows what to do.
            request.session[PROBLEM_FLAGS] = list(report.flags)
            return redirect("portal:problem-done")
    context = {"form": form, "session": latest_session(request.me), **_base(request.me, "problem")}
    return render(request, "portal/problem.html", context, status=400 if form.errors else 200)


@patient_view
def problem_done(request: PortalRequest) -> HttpResponse:
    flags = request.session.get(PROBLEM_FLAGS)
    if not isinstance(flags, list):
        return redirect("portal:problem")
    session = latest_session(request.me)
    context = {**_advice(session, [str(f) for f in flags]), **_base(request.me, "problem")}
    return render(request, "portal/problem_done.html", context)
