from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from prolo.clinic.access import get_course, get_patient, require
from prolo.clinic.permissions import Perm
from prolo.clinic.services.courses import course_plan, course_set_status
from prolo.clinic.services.patients import chart_open
from prolo.clinic.services.settings import settings_for
from prolo.lib.forms import parse_uuid, submit
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view
from prolo.staff.forms import CourseForm, CourseStatusForm
from prolo.staff.views.protocols import protocol_initial


@staff_view()
def course_new(request: StaffRequest, code: str) -> HttpResponse:
    patient = get_patient(request.actor, code, Perm.PLAN_COURSE)
    evaluation_code = parse_uuid(request.GET.get("evaluation", ""))
    evaluation = (
        patient.evaluations.filter(code=evaluation_code).first() if evaluation_code else None
    )
    initial = {
        "start_date": timezone.localdate(),
        "planned_sessions": 3,
        "interval_days": 28,
        "practitioner": request.actor.user.pk,
    }
    if evaluation is not None:
        initial |= {
            "evaluation": evaluation.pk,
            "target_region": evaluation.target_region,
            "laterality": evaluation.laterality,
            "targets": ", ".join(evaluation.structure_labels()),
        }
    initial |= protocol_initial(request.actor, request.GET.get("protocol", ""))
    form = CourseForm(request.POST or None, initial=initial, patient=patient)
    course = submit(request, form, course_plan, actor=request.actor, patient=patient)
    if course:
        messages.success(
            request,
            f"Course planned with {course.planned_sessions} sessions. "
            "Check the proposed dates below and move any that do not suit.",
        )
        return redirect("staff:course-detail", code=course.code)
    context = {
        "form": form,
        "patient": patient,
        "nav": "patients",
        "screening_limits": settings_for(patient.clinic),
    }
    return render(request, "staff/course_form.html", context)


@staff_view()
def course_detail(request: StaffRequest, code: str) -> HttpResponse:
    course = get_course(request.actor, code, Perm.VIEW_CLINICAL)
    form = CourseStatusForm(request.POST or None)
    if request.method == "POST":
        require(request.actor, Perm.PLAN_COURSE)
        if submit(request, form, course_set_status, actor=request.actor, course=course):
            messages.success(request, f"Course is now {course.get_status_display().lower()}.")
            return redirect("staff:course-detail", code=course.code)
    chart_open(actor=request.actor, patient=course.patient, part=course)
    sessions = course.sessions.select_related("practitioner", "checklist", "note").order_by(
        "number"
    )
    context = {
        "course": course,
        "patient": course.patient,
        "sessions": sessions,
        "form": form,
        "can_plan": request.actor.can(Perm.PLAN_COURSE),
        "can_schedule": request.actor.can(Perm.SCHEDULE_SESSION),
        "nav": "patients",
    }
    return render(request, "staff/course_detail.html", context)
