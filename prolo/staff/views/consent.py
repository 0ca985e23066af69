"""Consent: the clinic's documents (list, read, edit, publish) and in-clinic signatures."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from prolo.clinic.access import get_consent, get_consent_document, get_course
from prolo.clinic.consent_defaults import required_sections
from prolo.clinic.models import ConsentDocument
from prolo.clinic.permissions import Perm
from prolo.clinic.services import consent as services
from prolo.lib.forms import add_service_errors, submit
from prolo.lib.http import StaffRequest
from prolo.lib.markdown import render_markdown
from prolo.staff.consent_forms import ConsentDocumentForm, ConsentRecordForm
from prolo.staff.decorators import staff_view


@staff_view(Perm.VIEW_CLINICAL)
def consent_document_list(request: StaffRequest) -> HttpResponse:
    # The first visit gives the clinic Prolo's documents to start from (idempotent).
    services.consent_defaults_install(actor=request.actor)
    documents = services.documents_for(request.actor.clinic).order_by(
        "course_type", "language", "-version"
    )
    groups = [
        (key, list(versions))
        for key, versions in groupby(documents, key=lambda d: (d.course_type, d.language))
    ]
    context = {
        "groups": groups,
        "nav": "clinic",
        "can_manage": request.actor.can(Perm.MANAGE_SAFETY),
    }
    return render(request, "staff/consent_documents.html", context)


def _document_context(request: StaffRequest, document: ConsentDocument) -> dict[str, object]:
    current = services.current_document(
        request.actor.clinic, document.course_type, document.language
    )
    return {
        "document": document,
        "body_html": render_markdown(document.body),
        "is_current": current == document,
        "required": required_sections(document.language),
        "missing": services.missing_sections(document.body, document.language),
        "can_manage": request.actor.can(Perm.MANAGE_SAFETY),
        "nav": "clinic",
    }


@staff_view()
def consent_document_detail(request: StaffRequest, code: str) -> HttpResponse:
    document = get_consent_document(request.actor, code, Perm.VIEW_CLINICAL)
    return render(request, "staff/consent_document.html", _document_context(request, document))


@staff_view()
def consent_document_edit(request: StaffRequest, code: str) -> HttpResponse:
    document = get_consent_document(request.actor, code, Perm.MANAGE_SAFETY)
    initial = {"title": document.title, "body": document.body}
    form = ConsentDocumentForm(request.POST or None, initial=initial)
    saved = submit(
        request, form, services.consent_document_update, actor=request.actor, document=document
    )
    if saved is not None:
        messages.success(request, f"Draft version {saved.version} saved. Publish it when ready.")
        return redirect("staff:consent-document-detail", code=saved.code)
    context = {
        "form": form,
        "document": document,
        "required": required_sections(document.language),
        "nav": "clinic",
    }
    status = 400 if form.errors else 200
    return render(request, "staff/consent_document_form.html", context, status=status)


@require_POST
@staff_view()
def consent_document_publish(request: StaffRequest, code: str) -> HttpResponse:
    document = get_consent_document(request.actor, code, Perm.MANAGE_SAFETY)
    try:
        services.consent_document_publish(actor=request.actor, document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"Version {document.version} published. Patients sign it from now on."
        )
    return redirect("staff:consent-document-detail", code=document.code)


@require_POST
@staff_view()
def consent_record(request: StaffRequest, code: str) -> HttpResponse:
    """Record an in-clinic signature from the course page; errors get a page of their own."""
    course = get_course(request.actor, code, services.RECORD_PERM)
    form = ConsentRecordForm(request.POST)
    if form.is_valid():
        document = (
            services.documents_for(request.actor.clinic)
            .filter(code=form.cleaned_data["document"])
            .first()
        )
        if document is None:
            form.add_error("document", "That consent document is not one of this clinic's.")
        else:
            arguments = {k: v for k, v in form.cleaned_data.items() if k != "document"}
            try:
                services.consent_record_in_clinic(
                    actor=request.actor, course=course, document=document, **arguments
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "In-clinic consent recorded.")
                return redirect("staff:course-detail", code=course.code)
    context = {"form": form, "course": course, "patient": course.patient, "nav": "patients"}
    return render(request, "staff/consent_record.html", context, status=400)


@require_POST
@staff_view()
def consent_withdraw(request: StaffRequest, code: str) -> HttpResponse:
    consent = get_consent(request.actor, code, services.RECORD_PERM)
    try:
        services.consent_withdraw(actor=request.actor, consent=consent)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Consent withdrawn.")
    return redirect("staff:course-detail", code=consent.course.code)
