"""Downloading the chart's PDFs: the file itself, who may, and the audit trail.

Roles for every PDF URL are walked by test_view_access.py; these pin what a user notices.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from prolo.clinic.models import AuditAction, AuditEvent
from prolo.testing import make_course, signed_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(alice_actor, pat):
    return signed_session(alice_actor, pat, injections=1)


def test_a_clinician_downloads_the_signed_note_and_the_opening_is_audited(signed, nora, client_for):
    response = client_for(nora).get(reverse("staff:note-pdf", args=[signed.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"procedure-note-{signed.course.patient.mrn.lower()}-" in disposition
    assert "no-store" in response["Cache-Control"]
    audit = AuditEvent.objects.filter(action=AuditAction.VIEW_CHART, object_type="procedurenote")
    assert audit.filter(actor=nora, object_code=str(signed.note.code)).count() == 1


def test_a_draft_note_is_not_printed(alice_actor, pat, client_for, alice):
    session = make_course(alice_actor, pat).sessions.get(number=1)
    response = client_for(alice).get(reverse("staff:note-pdf", args=[session.code]))
    assert response.status_code == 404


def test_reception_downloads_the_handout_but_not_the_note_or_consent(signed, rita, client_for):
    client = client_for(rita)
    handout = client.get(reverse("staff:handout-pdf", args=[signed.code]))
    assert handout.status_code == 200
    assert handout.content.startswith(b"%PDF-")
    assert client.get(reverse("staff:note-pdf", args=[signed.code])).status_code == 403
    consent = signed.course.consents.get()
    assert client.get(reverse("staff:consent-pdf", args=[consent.code])).status_code == 403
    assert AuditEvent.objects.filter(
        actor=rita, action=AuditAction.VIEW_CHART, object_code=str(signed.code)
    ).exists()


def test_the_consent_downloads_for_a_clinician_and_not_for_another_clinic(
    signed, nora, charlie, client_for
):
    consent = signed.course.consents.get()
    url = reverse("staff:consent-pdf", args=[consent.code])
    response = client_for(nora).get(url)
    assert response.status_code == 200
    assert 'filename="consent-' in response["Content-Disposition"]
    assert AuditEvent.objects.filter(actor=nora, object_code=str(consent.code)).exists()
    assert client_for(charlie).get(url).status_code == 404


def test_the_session_page_links_the_signed_note_pdf(signed, nora, client_for):
    page = client_for(nora).get(reverse("staff:session-detail", args=[signed.code]))
    assert reverse("staff:note-pdf", args=[signed.code]).encode() in page.content
    assert reverse("staff:handout-pdf", args=[signed.code]).encode() in page.content
