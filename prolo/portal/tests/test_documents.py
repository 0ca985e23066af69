"""Documents: what the clinic shared with the patient, to open and download; nobody else's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prolo.clinic.models import AuditEvent
from prolo.clinic.services.patients import patient_register
from prolo.clinic.services.shared_documents import shared_document_add, shared_document_withdraw

pytestmark = pytest.mark.django_db
DOCUMENTS = reverse("portal:documents")
PDF = b"%PDF-1.4 your aftercare sheet"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def share(actor, patient, title="Aftercare sheet", name="sheet.pdf", data=PDF):
    return shared_document_add(
        actor=actor, patient=patient, title=title, file=SimpleUploadedFile(name, data)
    )


def _file_url(document, download=False) -> str:
    url = reverse("portal:document-file", args=[document.code])
    return f"{url}?download=1" if download else url


def test_the_patient_sees_and_opens_a_shared_document(patient_client, nora_actor, pat, pat_actor):
    document = share(nora_actor, pat)
    page = patient_client.get(DOCUMENTS).content.decode()
    assert "Aftercare sheet" in page
    assert _file_url(document) in page
    assert 'aria-current="page">Documents</a>' in page

    response = patient_client.get(_file_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="aftercare-sheet.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_opening_a_document_is_audited_in_the_patients_trail(
    patient_client, nora_actor, pat, pat_actor
):
    document = share(nora_actor, pat)
    patient_client.get(_file_url(document, download=True))
    event = AuditEvent.objects.get(action="view_file")
    assert (event.patient, event.actor, event.object_code) == (
        pat,
        pat_actor.user,
        str(document.code),
    )


def test_download_asks_the_browser_to_save_the_file(patient_client, nora_actor, pat):
    document = share(nora_actor, pat, title="Notas", name="notas.txt", data=b"Hola")
    response = patient_client.get(_file_url(document, download=True))
    assert response["Content-Disposition"] == 'attachment; filename="notas.txt"'
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_another_patients_document_is_not_found(
    patient_client, nora_actor, rita_actor, charlie_actor, olga
):
    neighbour = patient_register(
        actor=rita_actor,
        mrn="R-0009",
        given_name="Ned",
        family_name="Hall",
        date_of_birth=dt.date(1970, 1, 1),
        sex="male",
    )
    theirs = [share(nora_actor, neighbour, title="Ned's letter"), share(charlie_actor, olga)]
    assert "Ned's letter" not in patient_client.get(DOCUMENTS).content.decode()
    for document in theirs:
        assert patient_client.get(_file_url(document)).status_code == 404
    bad = reverse("portal:document-file", args=["00000000-0000-0000-0000-000000000000"])
    assert patient_client.get(bad).status_code == 404
    assert not AuditEvent.objects.filter(action="view_file").exists()


def test_a_withdrawn_document_disappears(patient_client, nora_actor, pat):
    document = share(nora_actor, pat)
    shared_document_withdraw(actor=nora_actor, document=document)
    page = patient_client.get(DOCUMENTS).content.decode()
    assert "Aftercare sheet" not in page
    assert "has not shared any documents" in page
    assert patient_client.get(_file_url(document)).status_code == 404


def test_signed_out_visitors_are_sent_to_the_portal_sign_in(client, nora_actor, pat):
    document = share(nora_actor, pat)
    for url in (DOCUMENTS, _file_url(document)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("portal:sign-in"))


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DOCUMENTS).status_code == 200
    return len(queries)


def test_the_documents_page_runs_a_constant_number_of_queries(patient_client, nora_actor, pat):
    share(nora_actor, pat)
    few = _queries(patient_client)
    for number in range(5):
        share(nora_actor, pat, title=f"Sheet {number}")
    assert _queries(patient_client) == few
