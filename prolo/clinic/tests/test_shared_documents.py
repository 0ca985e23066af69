"""Sharing documents with a patient: what is accepted, how it is stored, and withdrawing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from prolo.clinic.access import get_shared_document
from prolo.clinic.models import AuditEvent, SharedDocument
from prolo.clinic.services import shared_documents
from prolo.clinic.services.shared_documents import (
    shared_document_add,
    shared_document_withdraw,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 aftercare"
PNG = b"\x89PNG\r\n\x1a\n rest of the image"
JPEG = b"\xff\xd8\xff\xe0 rest"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def share(actor, patient, name="Pat Fields knee letter.pdf", data=PDF, title="Letter"):
    upload = SimpleUploadedFile(name, data)
    return shared_document_add(actor=actor, patient=patient, title=title, file=upload)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.pdf", PDF),
        ("a.PNG", PNG),
        ("a.jpg", JPEG),
        ("a.jpeg", JPEG),
        ("a.txt", "Hola ñ".encode()),
    ],
)
def test_the_allowed_types_are_shared(name, data, nora_actor, pat):
    document = share(nora_actor, pat, name=name, data=data)
    assert document.file.read() == data


def test_a_shared_file_is_stored_under_a_random_name_and_audited(nora_actor, nora, pat, media):
    document = share(nora_actor, pat, title="  Your knee letter ")
    assert document.title == "Your knee letter"
    assert "Fields" not in document.file.name
    assert "knee" not in document.file.name
    assert document.file.name.endswith(".pdf")
    assert (media / document.file.name).read_bytes() == PDF
    event = AuditEvent.objects.get(action="create", object_type="shareddocument")
    assert (event.patient, event.actor) == (pat, nora)
    assert event.changes["title"] == "Your knee letter"


def test_a_long_file_name_is_fine(nora_actor, pat):
    assert share(nora_actor, pat, name="x" * 240 + ".pdf").file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("letter.exe", b"MZ", "Share a PDF, PNG, JPEG or plain text (.txt) file."),
        ("letter", PDF, "Share a PDF, PNG, JPEG or plain text (.txt) file."),
        ("letter.docx", b"PK", "Share a PDF"),
        ("letter.pdf", b"MZ\x90\x00", "not a readable PDF file"),
        ("photo.png", JPEG, "not a readable PNG file"),
        ("notes.txt", b"\xff\xfe\x00", "not a readable plain text file"),
        ("notes.txt", b"", "not a readable plain text file"),
    ],
)
def test_bad_files_are_refused_naming_the_file(name, data, words, nora_actor, pat):
    with pytest.raises(ValidationError) as refused:
        share(nora_actor, pat, name=name, data=data)
    assert words in " ".join(refused.value.message_dict["file"])
    assert not SharedDocument.objects.exists()
    assert not AuditEvent.objects.filter(object_type="shareddocument").exists()


def test_a_file_over_the_limit_is_refused(nora_actor, pat, monkeypatch):
    monkeypatch.setattr(shared_documents, "MAX_BYTES", len(PDF) - 1)
    with pytest.raises(ValidationError) as refused:
        share(nora_actor, pat)
    assert refused.value.message_dict["file"] == ["The file is larger than 10 MB."]


def test_a_title_is_required(nora_actor, pat):
    with pytest.raises(ValidationError) as refused:
        share(nora_actor, pat, title="  ")
    assert "title" in refused.value.message_dict
    assert not SharedDocument.objects.exists()


@pytest.mark.parametrize("who", ["rita_actor", "adam_actor"])
def test_reception_and_clinic_admins_do_not_share(who, request, pat):
    with pytest.raises(PermissionDenied):
        share(request.getfixturevalue(who), pat)


def test_withdrawing_hides_the_document_and_is_audited_once(nora_actor, pete_actor, pat):
    document = share(nora_actor, pat)
    shared_document_withdraw(actor=pete_actor, document=document)
    shared_document_withdraw(actor=pete_actor, document=document)
    document.refresh_from_db()
    assert document.withdrawn_at is not None
    events = AuditEvent.objects.filter(action="update", object_type="shareddocument")
    assert [e.patient for e in events] == [pat]


def test_another_clinics_document_is_not_found(nora_actor, charlie_actor, pat):
    document = share(nora_actor, pat)
    with pytest.raises(Http404):
        get_shared_document(charlie_actor, document.code, shared_documents.SHARE_PERM)
    with pytest.raises(Http404):
        get_shared_document(nora_actor, "not-a-code", shared_documents.SHARE_PERM)
