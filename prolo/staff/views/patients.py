from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from prolo.clinic.access import get_patient, patients_for
from prolo.clinic.models import AuditEvent, Patient, TreatmentSession
from prolo.clinic.permissions import Perm
from prolo.clinic.services.patients import (
    DEMOGRAPHIC_FIELDS,
    chart_open,
    patient_register,
    patient_update,
)
from prolo.lib.forms import submit
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view
from prolo.staff.forms import PatientForm, PatientSearchForm
from prolo.staff.views.chart import chart_context

PAGE_SIZE = 25


def _search(patients: QuerySet[Patient], query: str) -> QuerySet[Patient]:
    for term in query.split():
        try:
            born = dt.date.fromisoformat(term)
        except ValueError:
            patients = patients.filter(
                Q(family_name__icontains=term) | Q(given_name__icontains=term) | Q(mrn__iexact=term)
            )
        else:
            patients = patients.filter(date_of_birth=born)
    return patients


@staff_view(Perm.VIEW_DEMOGRAPHICS)
def patient_list(request: StaffRequest) -> HttpResponse:
    form = PatientSearchForm(request.GET)
    patients = patients_for(request.actor)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if query:
        patients = _search(patients, query)
    next_session = TreatmentSession.objects.filter(
        course__patient=OuterRef("pk"), status="scheduled", scheduled_at__gte=timezone.now()
    ).order_by("scheduled_at")
    patients = patients.annotate(next_session_at=Subquery(next_session.values("scheduled_at")[:1]))
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/patient_list.html",
        {"form": form, "page": page, "query": query, "nav": "patients"},
    )


@staff_view(Perm.EDIT_DEMOGRAPHICS)
def patient_new(request: StaffRequest) -> HttpResponse:
    form = PatientForm(request.POST or None)
    patient = submit(request, form, patient_register, actor=request.actor)
    if patient:
        messages.success(request, f"{patient.full_name} is registered.")
        return redirect("staff:patient-chart", code=patient.code)
    return render(
        request, "staff/patient_form.html", {"form": form, "nav": "patients", "patient": None}
    )


@staff_view()
def patient_edit(request: StaffRequest, code: str) -> HttpResponse:
    patient = get_patient(request.actor, code, Perm.EDIT_DEMOGRAPHICS)
    form = PatientForm(request.POST or None, initial=model_to_dict(patient, DEMOGRAPHIC_FIELDS))
    if submit(request, form, patient_update, actor=request.actor, patient=patient):
        messages.success(request, "Details saved.")
        return redirect("staff:patient-chart", code=patient.code)
    return render(
        request, "staff/patient_form.html", {"form": form, "nav": "patients", "patient": patient}
    )


@staff_view()
def patient_chart(request: StaffRequest, code: str) -> HttpResponse:
    patient = get_patient(request.actor, code, Perm.VIEW_DEMOGRAPHICS)
    chart_open(actor=request.actor, patient=patient)
    context = chart_context(request.actor, patient)
    return render(request, "staff/patient_chart.html", {**context, "nav": "patients"})


@staff_view()
def patient_audit(request: StaffRequest, code: str) -> HttpResponse:
    patient = get_patient(request.actor, code, Perm.VIEW_AUDIT)
    events = AuditEvent.objects.filter(patient=patient, clinic=request.actor.clinic).select_related(
        "actor"
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request, "staff/patient_audit.html", {"patient": patient, "page": page, "nav": "patients"}
    )
