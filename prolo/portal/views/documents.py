"""Documents the clinic shared with the patient: the list, and opening or downloading one."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from prolo.clinic.models import AuditAction, CourseStatus, SharedDocument
from prolo.clinic.portal_access import get_own_document, own_courses, own_documents
from prolo.clinic.services.audit import audit_log
from prolo.clinic.services.shared_documents import extension, file_type
from prolo.lib.http import PortalRequest
from prolo.portal.decorators import patient_view


@patient_view
def documents(request: PortalRequest) -> HttpResponse:
    me = request.me
    context = {
        "documents": [(d, file_type(d)) for d in own_documents(me)],
        # A course's summary letter (portal:course-letter-pdf) once it is past planning.
        "course_letters": own_courses(me).exclude(status=CourseStatus.PLANNED),
        "patient": me.patient,
        "clinic": me.clinic,
        "nav": "documents",
    }
    return render(request, "portal/documents.html", context)


def _filename(document: SharedDocument) -> str:
    return f"{slugify(document.title) or 'document'}.{extension(document.file.name or '')}"


@patient_view
def document_file(request: PortalRequest, code: str) -> FileResponse:
    """The file itself, shown in the browser, or downloaded with ?download=1."""
    me = request.me
    document = get_own_document(me, code)
    kind = file_type(document)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    audit_log(actor=me, action=AuditAction.VIEW_FILE, obj=document, patient=me.patient)
    response = FileResponse(
        handle,
        as_attachment=request.GET.get("download") == "1",
        filename=_filename(document),
        content_type=kind.content_type,
    )
    # Never let a browser guess the type (an uploaded file is served as what it was checked to
    # be), and keep a patient's letter out of shared caches.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
