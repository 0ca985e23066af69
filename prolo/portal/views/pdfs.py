"""The patient's own PDFs: the preparation and aftercare handout, a consent they signed, and
the summary letter of a course to the clinician who referred them."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone, translation

from prolo.clinic.clock import clinic_today
from prolo.clinic.exports.pdf import consent_pdf, course_letter_pdf, handout_pdf, pdf_response
from prolo.clinic.models import AuditAction, Language
from prolo.clinic.portal_access import get_own_consent, get_own_course, get_own_session
from prolo.clinic.services.audit import audit_log
from prolo.lib.http import PortalRequest
from prolo.portal.decorators import patient_view


@patient_view
def handout_pdf_download(request: PortalRequest, code: str) -> HttpResponse:
    """In the language the portal is shown in; another patient's session answers 404."""
    me = request.me
    session = get_own_session(me, code)
    language = translation.get_language() or Language.ENGLISH
    if language not in (Language.ENGLISH, Language.SPANISH):
        language = Language.ENGLISH
    audit_log(actor=me, action=AuditAction.VIEW_FILE, obj=session, patient=me.patient)
    pdf = handout_pdf(session, language)
    day = timezone.localtime(session.scheduled_at).date().isoformat()
    return pdf_response(pdf, "treatment-plan", day)


@patient_view
def consent_pdf_download(request: PortalRequest, code: str) -> HttpResponse:
    """A consent the patient gave, withdrawn ones included (the PDF says when)."""
    me = request.me
    consent = get_own_consent(me, code)
    audit_log(actor=me, action=AuditAction.VIEW_FILE, obj=consent, patient=me.patient)
    pdf = consent_pdf(consent)
    day = timezone.localtime(consent.signed_at).date().isoformat()
    return pdf_response(pdf, "consent", day)


@patient_view
def course_letter_pdf_download(request: PortalRequest, code: str) -> HttpResponse:
    """The letter the referrer gets, in English whatever the portal's language: it is written
    to a clinician. Another patient's course answers 404."""
    me = request.me
    course = get_own_course(me, code)
    audit_log(actor=me, action=AuditAction.VIEW_FILE, obj=course, patient=me.patient)
    pdf = course_letter_pdf(course)
    return pdf_response(pdf, "course-letter", clinic_today(me.clinic).isoformat())
