"""Sharing a document with a patient from their chart, and withdrawing it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from prolo.clinic.access import get_patient, get_shared_document
from prolo.clinic.services.patients import chart_open
from prolo.clinic.services.shared_documents import (
    SHARE_PERM,
    shared_document_add,
    shared_document_withdraw,
)
from prolo.lib.forms import submit
from prolo.lib.http import StaffRequest
from prolo.staff.article_forms import SharedDocumentForm
from prolo.staff.decorators import staff_view
from prolo.staff.views.chart import chart_context


def _chart_section(code: object) -> str:
    return reverse("staff:patient-chart", args=[code]) + "#documents-heading"


@require_POST
@staff_view()
def shared_document_add_view(request: StaffRequest, code: str) -> HttpResponse:
    patient = get_patient(request.actor, code, SHARE_PERM)
    form = SharedDocumentForm(request.POST, request.FILES)
    document = submit(request, form, shared_document_add, actor=request.actor, patient=patient)
    if document:
        messages.success(request, f"“{document.title}” is shared: the patient can open it now.")
        return redirect(_chart_section(patient.code))
    # The chart again, with the form's errors beside its fields; re-showing it is an opening.
    chart_open(actor=request.actor, patient=patient)
    context = {**chart_context(request.actor, patient), "share_form": form, "nav": "patients"}
    return render(request, "staff/patient_chart.html", context, status=400)


@require_POST
@staff_view()
def shared_document_withdraw_view(request: StaffRequest, code: str) -> HttpResponse:
    document = get_shared_document(request.actor, code, SHARE_PERM)
    shared_document_withdraw(actor=request.actor, document=document)
    messages.success(request, f"“{document.title}” is withdrawn: the patient no longer sees it.")
    return redirect(_chart_section(document.patient.code))
