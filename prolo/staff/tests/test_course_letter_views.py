"""Downloading a course's summary letter from the chart: the file, who may, and the audit.

Every role is walked by test_view_access.py; these pin what a user notices.
"""

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


def test_a_clinician_downloads_the_letter_and_the_opening_is_audited(course, pat, nora, client_for):
    response = client_for(nora).get(reverse("staff:course-letter-pdf", args=[course.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="course-letter-{pat.mrn.lower()}-' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert "Course summary" in text
    assert "Left MCL sprain" in text
    audit = AuditEvent.objects.filter(
        actor=nora, action=AuditAction.VIEW_CHART, object_code=str(course.code)
    )
    assert audit.count() == 1


def test_reception_is_refused_and_another_clinic_finds_nothing(course, rita, charlie, client_for):
    url = reverse("staff:course-letter-pdf", args=[course.code])
    assert client_for(rita).get(url).status_code == 403
    assert client_for(charlie).get(url).status_code == 404
    assert not AuditEvent.objects.filter(object_code=str(course.code), actor=charlie).exists()


def test_the_course_page_and_the_chart_link_the_letter(course, pat, alice, client_for):
    client = client_for(alice)
    url = reverse("staff:course-letter-pdf", args=[course.code]).encode()
    assert url in client.get(reverse("staff:course-detail", args=[course.code])).content
    assert url in client.get(reverse("staff:patient-chart", args=[pat.code])).content


def test_reception_sees_no_letter_link_on_the_chart(course, pat, rita, client_for):
    page = client_for(rita).get(reverse("staff:patient-chart", args=[pat.code]))
    assert reverse("staff:course-letter-pdf", args=[course.code]).encode() not in page.content
