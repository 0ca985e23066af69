"""The care plan on the session page and its printable sheet for the patient."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AuditAction, AuditEvent
from prolo.clinic.safety.careplan import long_date
from prolo.clinic.services.patients import medication_add
from prolo.testing import make_course

START = dt.date(2026, 3, 2)


@pytest.fixture
def session(alice_actor, pat, clinic):
    clinic.address = "12 River Walk\nRiverside"
    clinic.phone = "01632 960100"
    clinic.save(update_fields=["address", "phone"])
    course = make_course(alice_actor, pat, start_date=START)
    return course.sessions.get(number=1)


def test_the_session_page_shows_the_dated_plan_and_the_printable_link(session, nora, client_for):
    html = client_for(nora).get(reverse("staff:session-detail", args=[session.code])).content
    html = html.decode()
    assert "Preparation and aftercare plan" in html
    assert f"From {long_date(dt.date(2026, 2, 27))}" in html
    assert "Fri 27 Feb 2026:" in html
    assert f'href="{reverse("staff:careplan-print", args=[session.code])}"' in html
    assert "Printable plan" in html


def test_the_session_page_shows_each_items_sources_or_that_it_is_clinic_practice(
    session, nora, client_for
):
    html = client_for(nora).get(reverse("staff:session-detail", args=[session.code])).content
    html = html.decode()
    assert "[R98][R99][R100][R101]" in html
    assert "Clinic practice, not confirmed in a published source" in html


def test_the_printed_plan_has_the_clinic_contact_the_date_and_the_instructions(
    session, nora, client_for
):
    html = client_for(nora).get(reverse("staff:careplan-print", args=[session.code])).content
    html = html.decode()
    assert "Riverside Prolotherapy" in html
    assert "12 River Walk<br>Riverside" in html
    assert "01632 960100" in html
    assert "Your appointment: Monday 2 March 2026 at 09:00" in html
    assert "Before your treatment" in html
    assert "When to contact us straight away" in html
    assert "@media print" in html


def test_the_printed_plan_carries_no_clinical_details_beyond_the_instructions(
    session, nora, client_for, alice_actor, pat
):
    evaluation = session.course.evaluation
    html = client_for(nora).get(reverse("staff:careplan-print", args=[session.code])).content
    html = html.decode().lower()
    assert escape(evaluation.working_diagnosis).lower() not in html
    assert "osteoarthritis" not in html
    assert "sprain" not in html
    for word in ("dextrose", "lidocaine", "mcl", "[r98]", "knee"):
        assert word not in html, word


def test_reception_can_print_the_plan_for_the_patient(session, rita, client_for):
    response = client_for(rita).get(reverse("staff:careplan-print", args=[session.code]))
    assert response.status_code == 200
    assert reverse("staff:session-detail", args=[session.code]) not in response.content.decode()


def test_opening_the_printed_plan_is_audited(session, rita, client_for, pat):
    client_for(rita).get(reverse("staff:careplan-print", args=[session.code]))
    event = AuditEvent.objects.filter(actor=rita, action=AuditAction.VIEW_CHART).latest("id")
    assert event.patient == pat
    assert event.object_code == str(session.code)


def test_another_clinics_session_plan_is_not_found(session, charlie, client_for):
    response = client_for(charlie).get(reverse("staff:careplan-print", args=[session.code]))
    assert response.status_code == 404


def test_a_blood_thinner_adds_its_advice_to_the_printed_plan(
    session, alice_actor, pat, nora, client_for
):
    url = reverse("staff:careplan-print", args=[session.code])
    assert "thins the blood" not in client_for(nora).get(url).content.decode()
    medication_add(actor=alice_actor, patient=pat, name="Warfarin", drug_class="anticoagulant")
    html = client_for(nora).get(url).content.decode()
    assert "thins the blood" in html
    assert "Warfarin" not in html


def test_a_neck_course_prints_the_headache_precaution(alice_actor, pat, nora, client_for):
    course = make_course(alice_actor, pat, target_region="cervical", start_date=START)
    url = reverse("staff:careplan-print", args=[course.sessions.get(number=1).code])
    html = client_for(nora).get(url).content.decode()
    assert "severe headache" in html
    assert "short of breath" not in html


def test_a_clinic_without_a_phone_still_says_how_to_reach_it(alice_actor, pat, nora, client_for):
    session = make_course(alice_actor, pat).sessions.get(number=1)
    html = client_for(nora).get(reverse("staff:careplan-print", args=[session.code])).content
    assert "Questions or worries? Contact the clinic." in html.decode()


def test_reception_finds_the_printable_plan_on_the_chart(alice_actor, rita, pat, client_for):
    course = make_course(
        alice_actor, pat, start_date=clinic_today(alice_actor.clinic) + dt.timedelta(days=1)
    )
    session = course.sessions.get(number=1)
    html = client_for(rita).get(reverse("staff:patient-chart", args=[pat.code])).content
    assert f'href="{reverse("staff:careplan-print", args=[session.code])}"' in html.decode()
