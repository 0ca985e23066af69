"""Documents the clinic shares with one patient (instruction sheets, letters), and withdrawing
them. The patient reads them in the portal (prolo/portal/views/documents.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from prolo.clinic.access import require
from prolo.clinic.models import Patient, SharedDocument
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import create_audited, update_audited
from prolo.clinic.services.fields import pick

if TYPE_CHECKING:  # django-stubs is a development dependency only
    from django_stubs_ext import StrOrPromise

# The clinicians who keep the patient's record up to date (physician, nurse, physiotherapist)
# share and withdraw documents; reception and clinic admins do not write clinical content.
SHARE_PERM = Perm.EDIT_HISTORY
MAX_MB = 10
MAX_BYTES = MAX_MB * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    label: StrOrPromise  # shown to the patient too, so translatable
    content_type: str
    magic: bytes  # how the file must start; empty for plain text (checked as UTF-8 instead)


TEXT = FileType(gettext_lazy("plain text"), "text/plain; charset=utf-8", b"")
FILE_TYPES: dict[str, FileType] = {
    "pdf": FileType("PDF", "application/pdf", b"%PDF-"),
    "png": FileType("PNG", "image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": FileType("JPEG", "image/jpeg", b"\xff\xd8\xff"),
    "jpeg": FileType("JPEG", "image/jpeg", b"\xff\xd8\xff"),
    "txt": TEXT,
}
# Every allowed type is one a browser shows by itself, so the patient can open it or download it.
ALLOWED = "PDF, PNG, JPEG or plain text (.txt)"


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def file_type(document: SharedDocument) -> FileType:
    return FILE_TYPES.get(extension(document.file.name or ""), TEXT)


def _content_matches(upload: UploadedFile, kind: FileType) -> bool:
    """Whether the bytes are what the name says, so a renamed program is not served as a PDF."""
    upload.seek(0)
    if kind.magic:
        matches = upload.read(len(kind.magic)) == kind.magic
    else:
        data = upload.read()
        try:
            matches = b"\x00" not in data and bool(data.decode("utf-8"))
        except UnicodeDecodeError:
            matches = False
    upload.seek(0)
    return matches


def _check_upload(upload: UploadedFile | None) -> UploadedFile:
    if not upload:
        raise ValidationError({"file": "Choose a file to share."})
    kind = FILE_TYPES.get(extension(upload.name or ""))
    if kind is None:
        raise ValidationError({"file": f"Share a {ALLOWED} file."})
    if (upload.size or 0) > MAX_BYTES:
        raise ValidationError({"file": f"The file is larger than {MAX_MB} MB."})
    if not _content_matches(upload, kind):
        raise ValidationError(
            {"file": f"This file is not a readable {kind.label} file, though its name says so."}
        )
    return upload


@transaction.atomic
def shared_document_add(
    *, actor: Actor, patient: Patient, title: str, file: UploadedFile | None
) -> SharedDocument:
    require(actor, SHARE_PERM)
    title = pick({"title": title}, ["title"])["title"]
    if not title:
        raise ValidationError({"title": "Give the document a title the patient will recognise."})
    upload = _check_upload(file)
    # A random stored name: the patient's name or a diagnosis in a filename stays off the disk.
    upload.name = f"{uuid.uuid4().hex}.{extension(upload.name or '')}"
    document = SharedDocument(patient=patient, title=title, file=upload, shared_by=actor.user)
    return create_audited(actor=actor, instance=document, patient=patient)


@transaction.atomic
def shared_document_withdraw(*, actor: Actor, document: SharedDocument) -> SharedDocument:
    """Hide a document from the patient; it stays in the record. Withdrawing twice is a no-op."""
    require(actor, SHARE_PERM)
    if document.withdrawn_at is not None:
        return document
    return update_audited(
        actor=actor,
        instance=document,
        patient=document.patient,
        changes={"withdrawn_at": timezone.now()},
    )


def chart_documents(patient: Patient) -> list[SharedDocument]:
    """Everything shared with the patient, withdrawn too, newest first: for the staff chart."""
    return list(SharedDocument.objects.filter(patient=patient).select_related("shared_by"))
