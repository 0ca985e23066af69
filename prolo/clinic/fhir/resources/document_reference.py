"""DocumentReference: documents shared with the patient in the portal, and signed procedure
notes as PDF (docs/fhir-treatment.md). Ids are `SharedDocument.code` and `ProcedureNote.code`.

A withdrawn shared document is "superseded": the patient no longer sees it, but it was real
(not entered in error). Staff have no download page for a shared document's file, so its
attachment has a title and type but no URL; a note's attachment is the staff note PDF.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from prolo.clinic.fhir import params
from prolo.clinic.fhir.refs import code_q, ref
from prolo.clinic.fhir.registry import (
    Include,
    Resource,
    ResourceType,
    SearchParam,
    Source,
    register,
)
from prolo.clinic.fhir.resources.consent import pdf_url
from prolo.clinic.fhir.resources.procedure import CODE_SYSTEM_BASE, iso
from prolo.clinic.models import NoteStatus, ProcedureNote, SharedDocument
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.shared_documents import file_type

DOCUMENT_TYPE = f"{CODE_SYSTEM_BASE}document-type"
DOCUMENT_STATUS = "http://hl7.org/fhir/document-reference-status"
SHARED = "shared-document"
NOTE = "procedure-note"
TYPE_DISPLAY = {SHARED: "Document shared with the patient", NOTE: "Procedure note"}
# Matches every row, whether or not the engine special-cases an empty Q() when OR-ing.
EVERY = Q(pk__isnull=False)


def _type(code: str) -> dict[str, Any]:
    display = TYPE_DISPLAY[code]
    return {
        "coding": [{"system": DOCUMENT_TYPE, "code": code, "display": display}],
        "text": display,
    }


def shared_to_fhir(document: SharedDocument) -> Resource:
    author = ref("Practitioner", document.shared_by.code, document.shared_by.display_name())
    return {
        "resourceType": "DocumentReference",
        "id": str(document.code),
        "status": "superseded" if document.withdrawn_at is not None else "current",
        "docStatus": "final",
        "type": _type(SHARED),
        "subject": ref("Patient", document.patient.code),
        "date": iso(document.shared_at),
        "author": [author],
        "description": document.title,
        "content": [
            {
                "attachment": {
                    "contentType": file_type(document).content_type,
                    "title": document.title,
                    "creation": iso(document.shared_at),
                }
            }
        ],
    }


def note_to_fhir(note: ProcedureNote) -> Resource:
    session = note.session
    # The source holds signed notes, which the database requires to have both.
    signed_at = note.signed_at or note.created_at
    day = timezone.localtime(session.scheduled_at).date().isoformat()
    resource: Resource = {
        "resourceType": "DocumentReference",
        "id": str(note.code),
        "status": "current",
        # An amendment adds to the signed note (the PDF prints it after the original).
        "docStatus": "amended" if note.amendments.all() else "final",
        "type": _type(NOTE),
        "subject": ref("Patient", session.course.patient.code),
        "date": iso(signed_at),
        "description": f"Procedure note, session {session.number}",
        "content": [
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "url": pdf_url("staff:note-pdf", session.code),
                    "title": f"Procedure note, {day}",
                    "creation": iso(signed_at),
                }
            }
        ],
        "context": {
            "encounter": [ref("Encounter", session.code)],
            "period": {"start": iso(session.scheduled_at)},
            "related": [ref("CarePlan", session.course.code)],
        },
    }
    if note.signed_by is not None:
        signer = note.signed_by
        resource["author"] = [ref("Practitioner", signer.code, signer.display_name())]
        resource["authenticator"] = ref("Practitioner", signer.code)
    return resource


def shared_documents(actor: Actor) -> QuerySet[SharedDocument]:
    return SharedDocument.objects.filter(patient__clinic=actor.clinic).select_related(
        "patient", "shared_by"
    )


def signed_notes(actor: Actor) -> QuerySet[ProcedureNote]:
    return (
        ProcedureNote.objects.filter(
            session__course__patient__clinic=actor.clinic, status=NoteStatus.SIGNED
        )
        .select_related("session__course__patient", "signed_by")
        .prefetch_related("amendments")
    )


def _type_filter(code_of_source: str) -> Any:
    def clause(value: str) -> Q:
        system, bar, code = value.partition("|")
        if not bar:
            system, code = DOCUMENT_TYPE, value
        return EVERY if (system == DOCUMENT_TYPE and code == code_of_source) else Q(pk__in=[])

    return params.each(clause)


def _shared_status(value: str) -> Q:
    system, bar, code = value.partition("|")
    if not bar:
        system, code = DOCUMENT_STATUS, value
    if system != DOCUMENT_STATUS or code not in ("current", "superseded"):
        return Q(pk__in=[])
    return Q(withdrawn_at__isnull=code == "current")


def _note_status(value: str) -> Q:
    system, bar, code = value.partition("|")
    if not bar:
        system, code = DOCUMENT_STATUS, value
    return EVERY if (system == DOCUMENT_STATUS and code == "current") else Q(pk__in=[])


def _params(date_path: str, code: str, status: Any) -> dict[str, SearchParam]:
    return {
        "date": SearchParam("date", "date", params.date(date_path), "When shared or signed."),
        "type": SearchParam(
            "type", "token", _type_filter(code), f"{SHARED} or {NOTE} ({DOCUMENT_TYPE})."
        ),
        "status": SearchParam(
            "status", "token", params.each(status), "current, or superseded once withdrawn."
        ),
    }


SHARED_SOURCE = Source(
    queryset=shared_documents,
    to_fhir=shared_to_fhir,
    id_q=code_q,
    patient_path="patient",
    params=_params("shared_at", SHARED, _shared_status),
    since_path=None,  # withdrawing leaves shared_at as it was
    order_by=("id",),
)

NOTE_SOURCE = Source(
    queryset=signed_notes,
    to_fhir=note_to_fhir,
    id_q=code_q,
    patient_path="session__course__patient",
    params=_params("signed_at", NOTE, _note_status),
    since_path=None,  # an amendment turns docStatus to amended after signing
    order_by=("id",),
)

register(
    ResourceType(
        name="DocumentReference",
        read_perm=Perm.VIEW_CLINICAL,
        sources=(SHARED_SOURCE, NOTE_SOURCE),
        includes=(
            Include("patient", "subject", "Patient"),
            Include("subject", "subject", "Patient"),
        ),
    )
)
