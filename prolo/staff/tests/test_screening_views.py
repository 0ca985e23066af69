"""Screening on the staff pages: the course plan, the session checklist and the chart."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import Checklist, Screening, StockProduct, TreatmentCourse
from prolo.clinic.services.catalogue import clinic_safety_install
from prolo.clinic.services.courses import course_set_status
from prolo.clinic.services.patients import allergy_add, medication_add
from prolo.testing import complete_checklist, make_course, make_evaluation

REASON = "Apixaban continued after discussion; firm pressure at each site."


@pytest.fixture
def catalogue(clinic):
    clinic_safety_install(clinic=clinic)


@pytest.fixture
def evaluation(alice_actor, pat):
    return make_evaluation(alice_actor, pat)


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _text(response) -> str:
    """The page as a reader hears it: tags gone, spaces collapsed."""
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def _course_form(evaluation, **overrides) -> dict[str, object]:
    return {
        "evaluation": evaluation.pk,
        "course_type": "dextrose",
        "target_region": "knee",
        "laterality": "left",
        "targets": "MCL, joint",
        "planned_sessions": "3",
        "interval_days": "28",
        "start_date": clinic_today(evaluation.patient.clinic).isoformat(),
        "first_session_time": "09:30",
        "room": "Room 2",
        "outcome_instruments": ["pain_nrs"],
        **overrides,
    }


def _on_apixaban(actor, patient):
    medication_add(actor=actor, patient=patient, name="Apixaban", drug_class="anticoagulant")


# Planning a course.


def test_a_corn_allergy_blocks_the_dextrose_course_plan_and_says_why(
    alice_actor, alice, pat, evaluation, catalogue, client_for
):
    allergy_add(actor=alice_actor, patient=pat, substance="Corn syrup", category="corn_dextrose")
    url = reverse("staff:course-new", args=[pat.code])

    response = client_for(alice).post(url, _course_form(evaluation))

    assert response.status_code == 200
    page = _page(response)
    assert "There is a problem" in page
    assert (
        "Contraindicated, do not inject: Allergy to an ingredient of the planned solutions. "
        "Corn syrup (Corn / dextrose): Dextrose 50% (D50) contains corn (dextrose is made from "
        "corn)."
    ) in page
    assert not TreatmentCourse.objects.exists()


def test_cautions_ask_for_the_physicians_reason_beside_its_field(
    alice_actor, alice, pat, evaluation, client_for
):
    _on_apixaban(alice_actor, pat)
    client = client_for(alice)
    url = reverse("staff:course-new", args=[pat.code])

    response = client.post(url, _course_form(evaluation))

    assert response.status_code == 200
    page = _page(response)
    assert 'id="id_acknowledgement_error"' in page
    assert "Relative contraindications: Anticoagulant or antiplatelet medication" in page
    assert not TreatmentCourse.objects.exists()

    response = client.post(url, _course_form(evaluation, acknowledgement=REASON))

    course = TreatmentCourse.objects.get()
    assert response.status_code == 302
    assert course.screenings.get().acknowledgement == REASON


def test_the_course_form_asks_the_screening_questions_and_offers_the_stocks(
    alice, pat, evaluation, catalogue, client_for
):
    page = _page(client_for(alice).get(reverse("staff:course-new", args=[pat.code])))

    for label in (
        "Active infection at or near the injection site",
        "Fever or systemic infection",
        "Acute gout or inflammatory arthritis flare",
        "Last steroid injection at the site",
        "Haemoglobin (g/dL)",
        "Platelets (×10³/µL)",
        "Physician's reason for going ahead despite the cautions",
        "Planned solutions",
        "Dextrose 50% (D50)",
    ):
        assert label in page, label
    assert "haemoglobin 10.0 g/dL, platelets 100 ×10³/µL (clinic settings" in page


def test_ticked_planned_stocks_are_kept_with_the_course(
    alice, pat, evaluation, catalogue, client_for
):
    d50 = StockProduct.objects.get(name="Dextrose 50% (D50)")
    url = reverse("staff:course-new", args=[pat.code])

    response = client_for(alice).post(url, _course_form(evaluation, planned_stocks=[d50.pk]))

    assert response.status_code == 302
    assert list(TreatmentCourse.objects.get().planned_stocks.all()) == [d50]


def test_a_screening_answer_counts_from_the_form(alice, pat, evaluation, client_for):
    url = reverse("staff:course-new", args=[pat.code])

    response = client_for(alice).post(url, _course_form(evaluation, local_infection="on"))

    assert response.status_code == 200
    assert "Active infection at or near the injection site. Reported at today" in _page(response)
    assert not TreatmentCourse.objects.exists()


# The session checklist.


@pytest.fixture
def session(alice_actor, pat, evaluation):
    return make_course(alice_actor, pat, evaluation).sessions.get(number=1)


def _checklist_form(**overrides) -> dict[str, object]:
    return {
        "checklist-identity_confirmed": "on",
        "checklist-consent_on_file": "on",
        "checklist-takes_no_nsaids": "on",
        "checklist-protein_meal": "on",
        "checklist-contraindications_rechecked": "on",
        "checklist-weight_kg": "72.5",
        "checklist-site_marked": "on",
        **overrides,
    }


def _save_checklist(client, session, **overrides):
    url = reverse("staff:checklist-save", args=[session.code])
    return client.post(url, _checklist_form(**overrides), follow=True)


def test_a_nurses_checklist_with_cautions_waits_for_a_physician(
    alice_actor, nora, pat, session, client_for
):
    _on_apixaban(alice_actor, pat)

    response = _save_checklist(client_for(nora), session)

    page = _page(response)
    assert "The checklist needs a physician's acknowledgement." in page
    assert "Cautions: needs a physician's acknowledgement" in page  # the results badge
    assert not Checklist.objects.get(session=session).is_complete
    assert 'name="checklist-acknowledgement"' not in page  # a nurse is not offered it


def test_a_physician_completes_it_with_a_reason(alice_actor, alice, pat, session, client_for):
    _on_apixaban(alice_actor, pat)
    client = client_for(alice)

    response = _save_checklist(client, session)
    assert 'id="id_checklist-acknowledgement_error"' in _page(response)
    assert not Checklist.objects.filter(session=session).exists()

    page = _text(_save_checklist(client, session, **{"checklist-acknowledgement": REASON}))

    assert Checklist.objects.get(session=session).is_complete
    assert "Cautions acknowledged" in page
    assert f"Acknowledged by Dr Alice Moreno: {REASON}" in page


def test_an_infection_at_the_checklist_refuses_completion_with_the_rule(nora, session, client_for):
    response = _save_checklist(client_for(nora), session, **{"checklist-systemic_infection": "on"})

    page = _page(response)
    assert (
        "Contraindicated, do not inject: Fever or systemic infection. Reported at today's "
        "screening. The checklist cannot be completed."
    ) in page
    assert not Checklist.objects.get(session=session).is_complete
    assert Screening.objects.get(session=session).blocked


def test_the_checklist_form_keeps_the_last_answers(nora, session, client_for):
    client = client_for(nora)
    steroid_on = clinic_today(session.course.patient.clinic) - dt.timedelta(days=200)
    _save_checklist(client, session, **{"checklist-site_steroid_on": steroid_on.isoformat()})

    response = client.get(reverse("staff:session-detail", args=[session.code]))

    form = response.context["forms"]["checklist"]
    assert form["site_steroid_on"].value() == steroid_on.isoformat()


def test_the_prp_questions_show_only_for_a_prp_course(nora, session, client_for):
    page = _page(client_for(nora).get(reverse("staff:session-detail", args=[session.code])))

    assert "Fever or systemic infection" in page
    assert "Haemoglobin (g/dL)" not in page


# The chart.


def test_the_chart_shows_the_latest_screening_of_each_open_course(
    alice_actor, alice, nora_actor, pat, session, client_for
):
    _on_apixaban(alice_actor, pat)
    complete_checklist(alice_actor, session, acknowledgement=REASON)

    page = _text(client_for(alice).get(reverse("staff:patient-chart", args=[pat.code])))

    assert "Contraindication screening" in page
    assert "at the checklist of session 1" in page
    assert "Anticoagulant or antiplatelet medication, or a bleeding disorder" in page
    assert "Relative: physician decides" in page
    assert "[R109] [R106]" in page
    assert f"Acknowledged by Dr Alice Moreno: {REASON}" in page


def test_a_closed_courses_screening_is_not_on_the_chart(alice_actor, alice, pat, client_for):
    course = make_course(alice_actor, pat)
    course_set_status(actor=alice_actor, course=course, status="stopped", reason="Moved away")

    page = _page(client_for(alice).get(reverse("staff:patient-chart", args=[pat.code])))

    assert "Contraindication screening" not in page


def test_reception_does_not_see_screening_results(alice_actor, rita, pat, session, client_for):
    page = _page(client_for(rita).get(reverse("staff:patient-chart", args=[pat.code])))

    assert "Contraindication screening" not in page
