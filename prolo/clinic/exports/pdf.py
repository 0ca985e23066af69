"""Printable documents as tagged PDF: the signed procedure note, the handout, the consent and
the course summary letter to the referring clinician.

`html_to_pdf` is pure (an HTML string in, PDF bytes out). The `*_pdf` functions read the record
and render a template under `pdf/`; they neither check roles nor audit: the views do both, the
same way they would for the page on screen.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from prolo.clinic.models import (
    AdverseEvent,
    Amendment,
    Consent,
    Injection,
    ProcedureNote,
    QuestionnaireResponse,
    SessionStatus,
    TreatmentCourse,
    TreatmentSession,
    User,
)
from prolo.clinic.outcome_display import course_summary, instrument_charts
from prolo.clinic.services.careplans import session_care_plan
from prolo.clinic.services.questionnaires import clinic_instruments
from prolo.lib.images import data_uri
from prolo.lib.markdown import render_markdown

# PDF/UA-1 makes WeasyPrint tag the structure (headings, tables, lists) for screen readers and
# take the title and language from the HTML; both are required, so every template sets them.
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str) -> bytes:
    """The PDF of `html`. Templates inline their styles and load no remote resources."""
    # Imported here, not at the top: WeasyPrint takes about two seconds of CPU to load, and the
    # URL check of every management command imports this module.
    from weasyprint import HTML  # type: ignore[import-untyped]  # ships no type hints

    return bytes(HTML(string=html, base_url=None).write_pdf(pdf_variant=PDF_VARIANT))


def pdf_response(pdf: bytes, *parts: str) -> HttpResponse:
    """A download named from `parts` (slugified: no path or header tricks), never cached."""
    filename = "-".join(filter(None, (slugify(p) for p in parts))) or "document"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    # A patient's record must not stay in a shared or browser cache.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _render(template: str, context: dict[str, Any], language: str = "en") -> bytes:
    with translation.override(language):
        return html_to_pdf(render_to_string(f"pdf/{template}", context))


def _header(session_or_patient_owner: Any) -> dict[str, Any]:
    patient = session_or_patient_owner.patient
    return {
        "patient": patient,
        "clinic": patient.clinic,
        "logo": data_uri(patient.clinic.logo),
        "printed_at": timezone.localtime(),
    }


def signed_note(session: TreatmentSession) -> ProcedureNote:
    """The session's note if signed. A draft is never printed: it could still change."""
    note = ProcedureNote.objects.filter(session=session).select_related("signed_by").first()
    if note is None or not note.is_signed:
        raise Http404("Only a signed procedure note can be printed; sign the note first.")
    return note


def note_pdf(session: TreatmentSession) -> bytes:
    """The signed note of `session`, its injections, then each amendment in the order made."""
    note = signed_note(session)
    injections = Injection.objects.filter(note=note).order_by("created_at", "pk")
    amendments = Amendment.objects.filter(note=note).select_related("author").order_by("created_at")
    context = {
        **_header(session.course),
        "session": session,
        "note": note,
        "injections": list(injections),
        "amendments": list(amendments),
    }
    return _render("procedure_note.html", context)


def handout_pdf(session: TreatmentSession, language: str = "en") -> bytes:
    """The dated preparation and aftercare plan: instructions only, no diagnosis, no solutions."""
    with translation.override(language):
        plan = session_care_plan(session)
    context = {**_header(session.course), "session": session, "plan": plan, "language": language}
    return _render("handout.html", context, language)


def consent_pdf(consent: Consent) -> bytes:
    """The consent text the patient agreed to, and who signed it, how and when."""
    document = consent.document
    context = {
        **_header(consent),
        "consent": consent,
        "document": document,
        "body": render_markdown(document.body),
        "language": document.language,
    }
    return _render("consent.html", context, document.language)


# --- The course summary letter ---------------------------------------------------------

# WeasyPrint styles an inline SVG only from a <style> inside it, not from the page's CSS, so
# the print colours of the chart (static/css/prolo.css on screen) travel with the drawing.
CHART_STYLE = (
    "<style>"
    ".plot{fill:#fff;stroke:#555}.grid{stroke:#bbb;stroke-width:.5}.tick-mark{stroke:#555}"
    ".tick,.band-label{font-size:11px;fill:#333}"
    ".axis-label{font-size:12px;font-weight:bold;fill:#000}"
    ".band{fill:#e6e6e6;stroke:none}.baseline{stroke:#555;stroke-dasharray:2 3}"
    ".marker{stroke:#8a4b00;stroke-dasharray:6 4}.marker-label{font-size:11px;fill:#8a4b00}"
    ".line{fill:none;stroke:#1f4e79;stroke-width:2}"
    ".point{fill:#1f4e79;stroke:#fff;stroke-width:1.5}"
    ".value{font-size:11px;font-weight:bold;fill:#000}"
    "text{font-family:'DejaVu Sans',sans-serif}"
    "</style>"
)


def _letter_course(course: TreatmentCourse) -> TreatmentCourse:
    """The course again with its sessions, notes, injections and amendments: five queries."""
    sessions = (
        TreatmentSession.objects.select_related("note__signed_by", "practitioner")
        .prefetch_related(
            Prefetch("note__injections", queryset=Injection.objects.order_by("created_at", "pk")),
            Prefetch("note__amendments", queryset=Amendment.objects.order_by("created_at")),
        )
        .order_by("number")
    )
    return (
        TreatmentCourse.objects.select_related("patient__clinic", "evaluation", "created_by")
        .prefetch_related(Prefetch("sessions", queryset=sessions))
        .get(pk=course.pk)
    )


def _is_signed(session: TreatmentSession) -> bool:
    note = getattr(session, "note", None)
    return session.status == SessionStatus.COMPLETED and note is not None and note.is_signed


def letter_signer(course: TreatmentCourse, sessions: list[TreatmentSession]) -> User:
    """Who signs the letter: the physician who signed the course's latest procedure note, else
    the clinician who planned the course. Never the downloader, so the letter a patient takes
    from the portal is the one the referrer gets."""
    signed = [s for s in sessions if _is_signed(s)]
    if signed:
        signer = signed[-1].note.signed_by
        if signer is not None:
            return signer
    return course.created_by


def _outcomes(course: TreatmentCourse) -> dict[str, Any]:
    """The headline instruments' charts and the benefit of every instrument, as on screen."""
    responses = list(
        QuestionnaireResponse.objects.filter(course=course).order_by("answered_on", "id")
    )
    instruments = clinic_instruments(course.patient.clinic)
    headline = set(course.outcome_instruments or [])
    charts = instrument_charts(responses, [course], instruments)
    # A schedule changed mid-course can leave scores only for other instruments: show those.
    shown = [c for c in charts if c.instrument.code in headline] or charts
    return {
        "charts": [dataclasses.replace(c, svg=_styled(c.svg)) for c in shown],
        "benefit": course_summary(course, responses, instruments),
    }


def _styled(svg: str) -> SafeString:
    """The chart with CHART_STYLE as its first child (the chart's own markup is escaped)."""
    opening_end = svg.index(">") + 1
    return mark_safe(svg[:opening_end] + CHART_STYLE + svg[opening_end:])


def course_letter_context(course: TreatmentCourse) -> dict[str, Any]:
    course = _letter_course(course)
    sessions = list(course.sessions.all())
    evaluation = course.evaluation
    events = (
        AdverseEvent.objects.filter(session__course=course)
        .select_related("session")
        .order_by("onset_date", "pk")
    )
    return {
        **_header(course),
        "course": course,
        "evaluation": evaluation,
        "referrer": evaluation.referral_source.strip() if evaluation else "",
        "sessions": sessions,
        "signed_sessions": [s for s in sessions if _is_signed(s)],
        "adverse_events": list(events),
        "signer": letter_signer(course, sessions),
        **_outcomes(course),
    }


def course_letter_pdf(course: TreatmentCourse) -> bytes:
    """The course summary letter to the referring clinician, in English: the diagnosis, every
    session with its solutions and sites, the outcome chart, benefit, adverse events and status.
    Nothing the patient wrote in the portal's diary is printed."""
    return _render("course_letter.html", course_letter_context(course))
