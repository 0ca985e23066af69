"""PDF downloads from the chart: the signed procedure note, the handout, the signed consent
and the course summary letter to the referring clinician.

Each is opened through the same access helper and role as its page on screen, and audited as
an opening of that part of the chart (docs/documents.md).
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone

from prolo.clinic.access import get_consent, get_course, get_session
from prolo.clinic.clock import clinic_today
from prolo.clinic.exports.pdf import (
    consent_pdf,
    course_letter_pdf,
    handout_pdf,
    note_pdf,
    pdf_response,
    signed_note,
)
from prolo.clinic.models import Language
from prolo.clinic.permissions import Perm
from prolo.clinic.services.patients import chart_open
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view


def _day(moment: dt.datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


@staff_view()
def note_pdf_download(request: StaffRequest, code: str) -> HttpResponse:
    """Clinical readers; a draft note answers 404 with the reason (it could still change)."""
    session = get_session(request.actor, code, Perm.VIEW_CLINICAL)
    patient = session.course.patient
    note = signed_note(session)
    chart_open(actor=request.actor, patient=patient, part=note)
    pdf = note_pdf(session)
    return pdf_response(pdf, "procedure-note", patient.mrn, _day(session.scheduled_at))


@staff_view()
def handout_pdf_download(request: StaffRequest, code: str) -> HttpResponse:
    """Any staff role, like the printable plan: the front desk hands it to the patient.

    Written in the patient's preferred language when Prolo ships it, else in English.
    """
    session = get_session(request.actor, code, Perm.VIEW_SCHEDULE)
    patient = session.course.patient
    chart_open(actor=request.actor, patient=patient, part=session)
    language = patient.preferred_language
    if language not in (Language.ENGLISH, Language.SPANISH):
        language = Language.ENGLISH
    pdf = handout_pdf(session, language)
    return pdf_response(pdf, "treatment-plan", patient.mrn, _day(session.scheduled_at))


@staff_view()
def consent_pdf_download(request: StaffRequest, code: str) -> HttpResponse:
    consent = get_consent(request.actor, code, Perm.VIEW_CLINICAL)
    chart_open(actor=request.actor, patient=consent.patient, part=consent)
    pdf = consent_pdf(consent)
    return pdf_response(pdf, "consent", consent.patient.mrn, _day(consent.signed_at))


@staff_view()
def course_letter_pdf_download(request: StaffRequest, code: str) -> HttpResponse:
    """Clinical readers, like the signed note: the letter names the diagnosis and solutions."""
    course = get_course(request.actor, code, Perm.VIEW_CLINICAL)
    chart_open(actor=request.actor, patient=course.patient, part=course)
    pdf = course_letter_pdf(course)
    today = clinic_today(request.actor.clinic).isoformat()
    return pdf_response(pdf, "course-letter", course.patient.mrn, today)
