"""Questionnaires: completing one with the patient, reading it back, and the due list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from prolo.clinic.access import get_patient, get_response
from prolo.clinic.clock import clinic_today
from prolo.clinic.models import Patient, QuestionnaireResponse, TreatmentCourse
from prolo.clinic.outcome_display import course_summary
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.outcomes.schedule import State, timepoint_label
from prolo.clinic.permissions import Perm
from prolo.clinic.services.patients import chart_open
from prolo.clinic.services.questionnaires import (
    EXTRA,
    SCHEDULE_FIELDS,
    clinic_instrument,
    clinic_instruments,
    course_schedule,
    due_list,
    headline,
    headline_value,
    questionnaire_record,
    with_schedule_data,
)
from prolo.lib.forms import add_service_errors
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view
from prolo.staff.outcome_forms import (
    EXTRA_SLOT,
    CourseScheduleForm,
    QuestionnaireForm,
    parse_slot,
    slot_value,
)

DEFAULT_INSTRUMENT = "pain_nrs"
# A questionnaire's time point goes to the time point field; the rest of the answers' errors
# (an item out of range, too many items missing) sit at the top of the form.
ERROR_FIELDS = {"timepoint": "slot", "course": "slot", "answers": "__all__"}


def _open_slots(patient: Patient, instrument: str) -> tuple[list[tuple[str, str]], dict]:
    """The time points this instrument can still be recorded for, then extras.

    A missed one stays offered: a paper form answered in time can be entered later.
    """
    courses = list(with_schedule_data(patient.courses.all()))
    scheduled: list[tuple[str, str]] = []
    extras: list[tuple[str, str]] = [(EXTRA_SLOT, "Not part of a course (extra)")]
    for course in courses:
        for due in course_schedule(course):
            if due.instrument == instrument and due.state != State.DONE:
                label = f"{course}: {due.label} (due {due.due:%d %b %Y})"
                scheduled.append((slot_value(course.code, due.timepoint), label))
        extras.append((slot_value(course.code, EXTRA), f"{course}: extra (not scheduled)"))
    return scheduled + extras, {str(c.code): c for c in courses}


@staff_view()
def questionnaire_new(request: StaffRequest, code: str) -> HttpResponse:
    patient = get_patient(request.actor, code, Perm.RECORD_OUTCOME)
    chosen = request.GET.get("instrument", DEFAULT_INSTRUMENT)
    if chosen not in INSTRUMENTS:
        chosen = DEFAULT_INSTRUMENT
    instrument = clinic_instrument(request.actor.clinic, chosen)
    slots, courses = _open_slots(patient, chosen)
    wanted = slot_value(request.GET.get("course", ""), request.GET.get("timepoint", ""))
    initial = {
        "slot": wanted if wanted in dict(slots) else slots[0][0],
        "answered_on": clinic_today(request.actor.clinic),
    }
    form = QuestionnaireForm(
        request.POST or None, initial=initial, instrument=instrument, slots=slots
    )
    if request.method == "POST" and form.is_valid():
        response = _record(request, form, patient, courses)
        if response is not None:
            messages.success(
                request,
                f"{instrument.name} recorded. {_headline(response)}.",
            )
            return redirect("staff:questionnaire-detail", code=response.code)
    context = {
        "patient": patient,
        "form": form,
        "instrument": instrument,
        "instruments": INSTRUMENTS.values(),
        "nav": "patients",
    }
    return render(
        request, "staff/questionnaire_form.html", context, status=400 if form.errors else 200
    )


def _record(request: StaffRequest, form: QuestionnaireForm, patient: Patient, courses: dict) -> Any:
    course_code, timepoint = parse_slot(form.cleaned_data["slot"])
    course: TreatmentCourse | None = courses.get(course_code)
    try:
        return questionnaire_record(
            actor=request.actor,
            patient=patient,
            instrument=form.instrument.code,
            answers=form.answers(),
            answered_on=form.cleaned_data["answered_on"],
            course=course,
            timepoint=timepoint or EXTRA,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            exc = ValidationError(
                {ERROR_FIELDS.get(name, name): errors for name, errors in exc.error_dict.items()}
            )
        add_service_errors(form, exc)
        return None


def _headline(response: QuestionnaireResponse) -> str:
    """The course's headline score for the instrument, e.g. 'Pain (0–10): 7.00'."""
    spec = headline(response.course, response.instrument)
    return f"{spec.name}: {headline_value(response, spec)}"


@staff_view()
def questionnaire_detail(request: StaffRequest, code: str) -> HttpResponse:
    response = get_response(request.actor, code, Perm.VIEW_CLINICAL)
    chart_open(actor=request.actor, patient=response.patient, part=response)
    view = clinic_instrument(request.actor.clinic, response.instrument)
    items = [
        {
            "id": item.id,
            "text": view.text(item),
            "answer": response.answers.get(item.id),
            "label": view.option_label(item, response.answers[item.id])
            if response.answers.get(item.id) is not None
            else None,
        }
        for item in view.instrument.items
    ]
    scores = [
        {"spec": spec, "value": response.scores.get(spec.key)} for spec in view.instrument.scores
    ]
    context = {
        "response": response,
        "patient": response.patient,
        "instrument": view,
        "items": items,
        "scores": scores,
        "timepoint": timepoint_label(response.timepoint),
        "nav": "patients",
    }
    return render(request, "staff/questionnaire_detail.html", context)


@staff_view(Perm.VIEW_CLINICAL)
def outcomes_due(request: StaffRequest) -> HttpResponse:
    today = clinic_today(request.actor.clinic)
    context = {
        "rows": due_list(request.actor, today),
        "today": today,
        "can_record": request.actor.can(Perm.RECORD_OUTCOME),
        "nav": "outcomes-due",
    }
    return render(request, "staff/outcomes_due.html", context)


def course_outcomes_context(
    request: StaffRequest, course: TreatmentCourse, form: CourseScheduleForm | None = None
) -> dict[str, Any]:
    """The course page's questionnaire schedule, benefit and schedule form.

    Three queries: the course with its sessions and responses, and the clinic's settings.
    """
    course = with_schedule_data(TreatmentCourse.objects.filter(pk=course.pk)).get()
    initial = {name: getattr(course, name) for name in (*SCHEDULE_FIELDS, "headline_scores")}
    instruments = clinic_instruments(request.actor.clinic)
    return {
        "schedule": course_schedule(course),
        "course_benefit": course_summary(course, course.responses.all(), instruments),
        "schedule_form": form or CourseScheduleForm(initial=initial),
        "can_record": request.actor.can(Perm.RECORD_OUTCOME),
    }
