from __future__ import annotations

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render

from prolo.clinic.access import get_evaluation, get_imaging_study, get_patient, require
from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AuditAction
from prolo.clinic.permissions import Perm
from prolo.clinic.services.audit import audit_log
from prolo.clinic.services.evaluations import (
    EVALUATION_FIELDS,
    evaluation_record,
    evaluation_update,
    imaging_study_add,
)
from prolo.clinic.services.patients import chart_open
from prolo.lib.forms import submit
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view
from prolo.staff.forms import EvaluationForm, ImagingForm


@staff_view()
def evaluation_new(request: StaffRequest, code: str) -> HttpResponse:
    patient = get_patient(request.actor, code, Perm.RECORD_EVALUATION)
    form = EvaluationForm(
        request.POST or None, initial={"evaluated_on": clinic_today(request.actor.clinic)}
    )
    evaluation = submit(request, form, evaluation_record, actor=request.actor, patient=patient)
    if evaluation:
        messages.success(request, "Evaluation recorded.")
        return redirect("staff:evaluation-detail", code=evaluation.code)
    context = {"form": form, "patient": patient, "evaluation": None, "nav": "patients"}
    return render(request, "staff/evaluation_form.html", context)


@staff_view()
def evaluation_edit(request: StaffRequest, code: str) -> HttpResponse:
    evaluation = get_evaluation(request.actor, code, Perm.RECORD_EVALUATION)
    initial = model_to_dict(evaluation, EVALUATION_FIELDS)
    form = EvaluationForm(request.POST or None, initial=initial)
    if submit(request, form, evaluation_update, actor=request.actor, evaluation=evaluation):
        messages.success(request, "Evaluation saved.")
        return redirect("staff:evaluation-detail", code=evaluation.code)
    context = {
        "form": form,
        "patient": evaluation.patient,
        "evaluation": evaluation,
        "nav": "patients",
    }
    return render(request, "staff/evaluation_form.html", context)


@staff_view()
def evaluation_detail(request: StaffRequest, code: str) -> HttpResponse:
    evaluation = get_evaluation(request.actor, code, Perm.VIEW_CLINICAL)
    form = ImagingForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(request.actor, Perm.RECORD_EVALUATION)
        if submit(request, form, imaging_study_add, actor=request.actor, evaluation=evaluation):
            messages.success(request, "Imaging study added.")
            return redirect("staff:evaluation-detail", code=evaluation.code)
    chart_open(actor=request.actor, patient=evaluation.patient, part=evaluation)
    context = {
        "evaluation": evaluation,
        "patient": evaluation.patient,
        "imaging": evaluation.imaging.all(),
        "courses": evaluation.courses.all(),
        "form": form,
        "can_evaluate": request.actor.can(Perm.RECORD_EVALUATION),
        "can_plan": request.actor.can(Perm.PLAN_COURSE),
        "nav": "patients",
    }
    return render(request, "staff/evaluation_detail.html", context)


@staff_view()
def imaging_file(request: StaffRequest, code: str) -> FileResponse:
    study = get_imaging_study(request.actor, code, Perm.VIEW_CLINICAL)
    if not study.file:
        raise Http404("This study has no attached file.")
    audit_log(
        actor=request.actor,
        action=AuditAction.VIEW_FILE,
        obj=study,
        patient=study.evaluation.patient,
    )
    filename = study.original_filename or f"{study.code}"
    return FileResponse(study.file.open("rb"), as_attachment=True, filename=filename)
