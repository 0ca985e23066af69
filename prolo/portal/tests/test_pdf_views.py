"""The patient downloads their own handout and signed consent as PDF, and nobody else's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prolo.clinic.models import AuditAction, AuditEvent
from prolo.testing import signed_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(alice_actor, pat):
    return signed_session(alice_actor, pat, injections=1)


def test_the_patient_downloads_their_handout_and_it_is_audited(patient_client, signed, pat):
    response = patient_client.get(reverse("portal:handout-pdf", args=[signed.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"].startswith('attachment; filename="treatment-plan-')
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW_FILE, patient=pat, object_code=str(signed.code)
    ).exists()


def test_the_patient_downloads_a_consent_they_signed(patient_client, signed, pat):
    consent = signed.course.consents.get()
    assert reverse("portal:consent-pdf", args=[consent.code]) in (
        patient_client.get(reverse("portal:consent")).content.decode()
    )
    response = patient_client.get(reverse("portal:consent-pdf", args=[consent.code]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="consent-')
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW_FILE, patient=pat, object_code=str(consent.code)
    ).exists()


def test_another_patients_handout_and_consent_are_not_found(patient_client, charlie_actor, olga):
    theirs = signed_session(charlie_actor, olga, injections=1)
    consent = theirs.course.consents.get()
    assert patient_client.get(reverse("portal:handout-pdf", args=[theirs.code])).status_code == 404
    assert patient_client.get(reverse("portal:consent-pdf", args=[consent.code])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_FILE).exists()


def test_signed_out_visitors_are_sent_to_the_portal_sign_in(client, signed):
    consent = signed.course.consents.get()
    for url in (
        reverse("portal:handout-pdf", args=[signed.code]),
        reverse("portal:consent-pdf", args=[consent.code]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("portal:sign-in"))


def test_the_home_page_links_the_next_sessions_handout(patient_client, signed):
    upcoming = signed.course.sessions.get(number=2)
    page = patient_client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:handout-pdf", args=[upcoming.code]) in page
