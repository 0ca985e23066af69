"""Consent in the portal: what needs signing, reading and signing it, and taking it back."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prolo.clinic.models import (
    AuditAction,
    ConsentDocument,
    CourseStatus,
    Language,
    TreatmentCourse,
)
from prolo.clinic.portal_access import (
    PatientActor,
    get_own_consent,
    get_own_course,
    own_consents,
    own_courses,
)
from prolo.clinic.services import consent as services
from prolo.clinic.services.audit import audit_log
from prolo.lib.forms import add_service_errors, parse_uuid
from prolo.lib.http import PortalRequest
from prolo.lib.markdown import render_markdown
from prolo.portal.decorators import patient_view

OPEN = (CourseStatus.PLANNED, CourseStatus.ACTIVE)


class SignForm(forms.Form):
    typed_name = forms.CharField(
        label=gettext_lazy("Type your full name"),
        max_length=200,
        help_text=gettext_lazy("Your first and last name, as the clinic has them."),
    )
    confirmed = forms.BooleanField(
        label=gettext_lazy(
            "I have read this, had the chance to ask questions, and agree to treatment. "
            "I know I can stop at any time."
        ),
        required=False,  # the service's message says what to do when it is not ticked
    )


def _language(me: PatientActor) -> str:
    """The language the portal is shown in, if a consent can be written in it."""
    current = (translation.get_language() or "").split("-")[0]
    return current if current in Language.values else me.patient.preferred_language


def _documents(me: PatientActor, courses: list[TreatmentCourse]) -> dict[str, ConsentDocument]:
    """Current documents by course type; the clinic's defaults are installed on first need."""
    documents = services.current_documents(me.clinic, _language(me))
    without = [c for c in courses if c.course_type not in documents]
    if without:
        # The clinic, not the patient, is the author: the course's planner is named on them.
        services.consent_defaults_install(actor=me, by=without[0].created_by)
        documents = services.current_documents(me.clinic, _language(me))
    return documents


@patient_view
def consent_list(request: PortalRequest) -> HttpResponse:
    me = request.me
    consents = list(own_consents(me))
    consented = {c.course_id for c in consents if c.withdrawn_at is None}
    courses = list(own_courses(me).filter(status__in=OPEN).select_related("created_by"))
    waiting = [c for c in courses if c.pk not in consented]
    documents = _documents(me, waiting)
    context = {
        "waiting": [(c, documents.get(c.course_type)) for c in waiting],
        "consents": consents,
        "patient": me.patient,
        "clinic": me.clinic,
        "nav": "consent",
    }
    return render(request, "portal/consent_list.html", context)


def _sign_page(
    request: PortalRequest, course: TreatmentCourse, form: SignForm | None = None
) -> HttpResponse:
    me = request.me
    active = services.active_consent(course)
    document = active.document if active else _documents(me, [course]).get(course.course_type)
    if document is None:
        raise Http404("No consent document.")
    if form is None:  # reading the document is a view of the record: audited
        audit_log(actor=me, action=AuditAction.VIEW_CHART, obj=document, patient=me.patient)
    context: dict[str, Any] = {
        "course": course,
        "document": document,
        "body_html": render_markdown(document.body),
        "active": active,
        "form": form or SignForm(),
        "patient": me.patient,
        "clinic": me.clinic,
        "nav": "consent",
    }
    status = 400 if form is not None else 200
    return render(request, "portal/consent_sign.html", context, status=status)


@patient_view
def consent_sign(request: PortalRequest, code: str) -> HttpResponse:
    me = request.me
    course = get_own_course(me, code)
    if request.method != "POST":
        return _sign_page(request, course)
    form = SignForm(request.POST)
    document = _posted_document(me, request.POST.get("document", ""))
    if form.is_valid():
        try:
            services.consent_sign_by_patient(
                me=me, course=course, document=document, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Your consent is recorded."))
            return redirect("portal:consent-sign", code=course.code)
    return _sign_page(request, course, form)


def _posted_document(me: PatientActor, value: str) -> ConsentDocument:
    """The version the patient read (a hidden field): the service refuses it if stale."""
    code = parse_uuid(value)
    document = services.documents_for(me.clinic).filter(code=code).first() if code else None
    if document is None:
        raise Http404("No such consent document.")
    return document


@require_POST
@patient_view
def consent_withdraw(request: PortalRequest, code: str) -> HttpResponse:
    me = request.me
    consent = get_own_consent(me, code)
    try:
        services.consent_withdraw(actor=me, consent=consent)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "Your consent is withdrawn. The clinic will not start this treatment without "
                "it. Please call the clinic if you want to talk about it."
            ),
        )
    return redirect("portal:consent")
