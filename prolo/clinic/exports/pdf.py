"""Printable documents as tagged PDF: the signed procedure note, the handout and the consent.

`html_to_pdf` is pure (an HTML string in, PDF bytes out). The `*_pdf` functions read the record
and render a template under `pdf/`; they neither check roles nor audit: the views do both, the
same way they would for the page on screen.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from weasyprint import HTML  # type: ignore[import-untyped]  # ships no type hints

from prolo.clinic.models import (
    Amendment,
    Consent,
    Injection,
    ProcedureNote,
    TreatmentSession,
)
from prolo.clinic.services.careplans import session_care_plan
from prolo.lib.markdown import render_markdown

# PDF/UA-1 makes WeasyPrint tag the structure (headings, tables, lists) for screen readers and
# take the title and language from the HTML; both are required, so every template sets them.
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str) -> bytes:
    """The PDF of `html`. Templates inline their styles and load no remote resources."""
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
    return {"patient": patient, "clinic": patient.clinic, "printed_at": timezone.localtime()}


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
