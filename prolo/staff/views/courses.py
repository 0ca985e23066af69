from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from prolo.clinic.access import get_course, get_patient, require
from prolo.clinic.clock import clinic_today
from prolo.clinic.models import TreatmentCourse
from prolo.clinic.outcomes import schedule
from prolo.clinic.permissions import Perm
from prolo.clinic.services.courses import course_outcomes_set, course_plan, course_set_status
from prolo.clinic.services.patients import chart_open
from prolo.clinic.services.settings import settings_for
from prolo.lib.forms import parse_uuid, submit
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view
from prolo.staff.forms import CourseForm, CourseStatusForm
from prolo.staff.outcome_forms import CourseScheduleForm
from prolo.staff.views.protocols import protocol_initial
from prolo.staff.views.questionnaires import course_outcomes_context


@staff_view()
def course_new(request: StaffRequest, code: str) -> HttpResponse:
    patient = get_patient(request.actor, code, Perm.PLAN_COURSE)
    evaluation_code = parse_uuid(request.GET.get("evaluation", ""))
    evaluation = (
        patient.evaluations.filter(code=evaluation_code).first() if evaluation_code else None
    )
    initial = {
        "start_date": clinic_today(request.actor.clinic),
        "planned_sessions": 3,
        "interval_days": 28,
        "practitioner": request.actor.user.pk,
        "outcome_instruments": schedule.default_instruments(),
        "session_instruments": schedule.default_session_instruments(),
        "follow_ups": schedule.default_follow_ups(),
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
    return render_course(request, course, status_form=form)


@require_POST
@staff_view()
def course_outcomes(request: StaffRequest, code: str) -> HttpResponse:
    """Change the course's questionnaire schedule; errors re-render the course page."""
    course = get_course(request.actor, code, Perm.PLAN_COURSE)
    form = CourseScheduleForm(request.POST)
    if submit(request, form, course_outcomes_set, actor=request.actor, course=course):
        messages.success(request, "Questionnaire schedule saved.")
        return redirect("staff:course-detail", code=course.code)
    return render_course(request, course, schedule_form=form)


def render_course(
    request: StaffRequest,
    course: TreatmentCourse,
    *,
    status_form: CourseStatusForm | None = None,
    schedule_form: CourseScheduleForm | None = None,
) -> HttpResponse:
    chart_open(actor=request.actor, patient=course.patient, part=course)
    sessions = course.sessions.select_related("practitioner", "checklist", "note").order_by(
        "number"
    )
    status_form = status_form or CourseStatusForm()
    context = {
        "course": course,
        "patient": course.patient,
        "sessions": sessions,
        "form": status_form,
        "forms": {"status": status_form},
        "can_plan": request.actor.can(Perm.PLAN_COURSE),
        "can_schedule": request.actor.can(Perm.SCHEDULE_SESSION),
        "nav": "patients",
        **course_outcomes_context(request, course, schedule_form),
    }
    context["forms"]["schedule"] = context["schedule_form"]
    failed = status_form.errors or (schedule_form is not None and schedule_form.errors)
    return render(request, "staff/course_detail.html", context, status=400 if failed else 200)
