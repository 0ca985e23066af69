"""The patient downloads the summary letter of their own course, and of nobody else's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prolo.clinic.models import AuditAction, AuditEvent
from prolo.clinic.tests.test_course_letter_pdf import pdf_text
from prolo.testing import signed_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(alice_actor, pat):
    return signed_session(alice_actor, pat, injections=1).course


def test_the_patient_downloads_their_letter_and_it_is_audited(patient_client, course, pat):
    response = patient_client.get(reverse("portal:course-letter-pdf", args=[course.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="course-letter-')
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert f"Re: {pat.full_name}" in text
    assert "Yours sincerely" in text
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW_FILE, patient=pat, object_code=str(course.code)
    ).exists()


def test_the_letter_is_in_english_whatever_the_portal_language(patient_client, course):
    patient_client.cookies["django_language"] = "es"
    assert "Sus documentos" in patient_client.get(reverse("portal:documents")).content.decode()
    response = patient_client.get(reverse("portal:course-letter-pdf", args=[course.code]))
    text = pdf_text(response.content)
    assert "Dear colleague" in text
    assert "Page 1 of" in text


def test_another_patients_letter_is_not_found(patient_client, charlie_actor, olga):
    theirs = signed_session(charlie_actor, olga, injections=1).course
    url = reverse("portal:course-letter-pdf", args=[theirs.code])
    assert patient_client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_FILE).exists()


def test_signed_out_visitors_are_sent_to_the_portal_sign_in(client, course):
    response = client.get(reverse("portal:course-letter-pdf", args=[course.code]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:sign-in"))
