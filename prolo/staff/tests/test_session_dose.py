"""The session page's dose panel, the override form, and the clinic's anaesthetic limits page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AnaestheticLimit, AuditEvent, ClinicSettings, Syringe
from prolo.clinic.services.patients import weight_record
from prolo.clinic.services.sessions import injection_add
from prolo.testing import add_injection, complete_checklist, give_consent, make_course, make_note

D = Decimal


@pytest.fixture
def session(alice_actor, nora_actor, pat):
    course = make_course(alice_actor, pat)
    give_consent(alice_actor, course)  # so that only the dose checks hold the signature
    session = course.sessions.get(number=1)
    complete_checklist(nora_actor, session, weight_kg=D(50))
    return session


@pytest.fixture
def note(alice_actor, session):
    return make_note(alice_actor, session)


def _inject(actor, note, ml, percent="1"):
    add_injection(actor, note, anaesthetic_percent=D(percent), volume_ml=D(ml))


def _page(client, session) -> str:
    response = client.get(reverse("staff:session-detail", args=[session.code]))
    assert response.status_code == 200
    return _text(response.content.decode())


def _text(html: str) -> str:
    """The page's words, tags dropped and spaces collapsed, for asserting on what is read."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_running_total_is_shown_against_the_ceiling_with_its_source(
    alice, alice_actor, note, session, client_for
):
    _inject(alice_actor, note, 8)
    page = _page(client_for(alice), session)
    assert "Anaesthetic given in this session against each agent's ceiling" in page
    assert "Lidocaine, plain 80 mg (8 mL, 1 injection) 225 mg 35.6% Within the ceiling" in page
    assert "4.5 mg/kg × 50 kg = 225 mg; cap 300 mg" in page
    assert "Xylocaine label [R22][R44]" in page
    assert "built-in default: this clinic has not set its own limit" in page
    assert "Weight 50.0 kg, measured" in page
    assert "All agents combined Sum of each agent's share of its own ceiling 35.6%" in page


def test_the_page_warns_from_80_percent(alice, alice_actor, note, session, client_for):
    _inject(alice_actor, note, 18)
    page = _page(client_for(alice), session)
    assert "Warning: 80% of the ceiling." in page
    assert "Record the override" not in page


def test_above_the_ceiling_the_physician_gets_the_override_form(
    alice, alice_actor, note, session, client_for
):
    for _ in range(3):
        _inject(alice_actor, note, 8)
    page = _page(client_for(alice), session)
    assert "Over the ceiling: 106.7%" in page
    assert "The note cannot be signed unless a physician records the reason." in page
    assert "Reason for going over the ceiling (required)" in page


def test_a_nurse_sees_the_block_but_no_override_form(nora, alice_actor, note, session, client_for):
    for _ in range(3):
        _inject(alice_actor, note, 8)
    page = _page(client_for(nora), session)
    assert "Over the ceiling: 106.7%" in page
    assert "Record the override" not in page


def test_signing_above_the_ceiling_says_why_then_the_override_signs_it(
    alice, alice_actor, note, session, client_for
):
    for _ in range(3):
        _inject(alice_actor, note, 8)
    client = client_for(alice)
    sign = reverse("staff:note-sign", args=[session.code])

    response = client.post(sign)
    assert response.status_code == 400
    assert (
        "Lidocaine is over the ceiling (106.7% combined): record an override reason to sign."
        in response.content.decode()
    )

    override = reverse("staff:dose-override", args=[session.code])
    response = client.post(override, {"dose-reason": "Knee and hip the same day; monitored"})
    assert response.status_code == 302
    page = _page(client, session)
    assert "Override recorded: the note can be signed" in page
    assert "Override recorded by Dr Alice Moreno" in page
    assert "Reason: Knee and hip the same day; monitored" in page

    assert client.post(sign).status_code == 302
    note.refresh_from_db()
    assert note.is_signed
    assert AuditEvent.objects.filter(
        object_code=str(note.code),
        changes__dose_override_reason__1="Knee and hip the same day; monitored",
    ).exists()


def test_an_override_without_a_reason_is_refused_beside_the_field(
    alice, alice_actor, note, session, client_for
):
    for _ in range(3):
        _inject(alice_actor, note, 8)
    url = reverse("staff:dose-override", args=[session.code])
    response = client_for(alice).post(url, {"dose-reason": "  "})
    assert response.status_code == 400
    page = _text(response.content.decode())
    assert "Reason for going over the ceiling: This field is required." in page
    note.refresh_from_db()
    assert note.dose_override_reason == ""


def test_an_override_within_the_ceiling_is_refused_with_a_message(
    alice, alice_actor, note, session, client_for
):
    _inject(alice_actor, note, 8)
    client = client_for(alice)
    url = reverse("staff:dose-override", args=[session.code])
    response = client.post(url, {"dose-reason": "Just in case"})
    assert response.status_code == 302
    assert "nothing to override" in _page(client, session)


def test_without_a_recent_weight_the_page_says_so(alice, alice_actor, pat, client_for):
    session = make_course(alice_actor, pat).sessions.get(number=1)
    note = make_note(alice_actor, session)
    _inject(alice_actor, note, 1)
    page = _page(client_for(alice), session)
    assert "No recent weight." in page
    assert "the note cannot be signed" in page
    assert "Cannot be worked out" in page


# Under 18


@pytest.fixture
def child_session(alice_actor, pat):
    """Pat at 15 (born 1 January), weighed 50 kg, the paediatric caution acknowledged."""
    today = clinic_today(alice_actor.clinic)
    type(pat).objects.filter(pk=pat.pk).update(date_of_birth=dt.date(today.year - 15, 1, 1))
    course = make_course(alice_actor, pat, acknowledgement="Guardian consents")
    give_consent(alice_actor, course)
    session = course.sessions.get(number=1)
    complete_checklist(alice_actor, session, weight_kg=D(50), acknowledgement="Guardian consents")
    return session


def test_under_18_the_page_asks_for_a_dose_sign_off_even_far_below_the_ceiling(
    alice, alice_actor, child_session, client_for
):
    note = make_note(alice_actor, child_session)
    _inject(alice_actor, note, "4.5", percent="0.5")  # 22.5 of 225 mg: 10%
    page = _page(client_for(alice), child_session)
    assert "Within the ceiling" in page
    assert "Under 18: a physician's dose sign-off is needed" in page
    assert (
        "The patient is 15, under 18. The limits are adult doses; the Xylocaine label [R44]" in page
    )
    assert "[R65]" in page
    assert "× 1.00 for age 15 (under 18)" in page
    assert (
        "The note cannot be signed until a physician records the reason for this dose (10%" in page
    )
    assert "Reason for the dose sign-off (under 18) (required)" in page
    assert "Record the dose sign-off" in page


def test_a_childs_note_signs_once_the_physician_records_the_dose_sign_off(
    alice, alice_actor, child_session, client_for
):
    note = make_note(alice_actor, child_session)
    _inject(alice_actor, note, "4.5", percent="0.5")
    client = client_for(alice)
    sign = reverse("staff:note-sign", args=[child_session.code])
    response = client.post(sign)
    assert response.status_code == 400
    assert "The patient is under 18 (age 15): record a physician&#x27;s dose sign-off" in (
        response.content.decode()
    )

    override = reverse("staff:dose-override", args=[child_session.code])
    response = client.post(override, {"dose-reason": "Osgood–Schlatter; guardian present"})
    assert response.status_code == 302
    page = _page(client, child_session)
    assert "Dose sign-off recorded by Dr Alice Moreno" in page
    assert "for up to 10% of the ceiling. Reason: Osgood–Schlatter; guardian present" in page

    assert client.post(sign).status_code == 302
    note.refresh_from_db()
    assert note.is_signed


def test_a_childs_empty_sign_off_is_refused_beside_its_field(
    alice, alice_actor, child_session, client_for
):
    note = make_note(alice_actor, child_session)
    _inject(alice_actor, note, 1)
    url = reverse("staff:dose-override", args=[child_session.code])
    response = client_for(alice).post(url, {"dose-reason": " "})
    assert response.status_code == 400
    page = _text(response.content.decode())
    assert "Reason for the dose sign-off (under 18): This field is required." in page


def test_a_nurse_sees_that_a_child_needs_a_sign_off_but_gets_no_form(
    nora, alice_actor, child_session, client_for
):
    note = make_note(alice_actor, child_session)
    _inject(alice_actor, note, 1)
    page = _page(client_for(nora), child_session)
    assert "Under 18: a physician's dose sign-off is needed" in page
    assert "Record the dose sign-off" not in page


# The page's queries


def _add_syringe_injections(alice, alice_actor, session, note, count: int) -> None:
    start = Syringe.objects.filter(session=session).count()
    for i in range(start, start + count):
        syringe = Syringe.objects.create(
            session=session,
            label=f"S{i}",
            final_volume_ml=D(5),
            dextrose_percent=D(15),
            anaesthetics={"lidocaine": {"percent": "0.5", "epinephrine": False}},
            created_by=alice,
        )
        injection_add(
            actor=alice_actor,
            note=note,
            syringe=syringe,
            site_code="knee-mcl",
            side="left",
            structure="ligament",
            guidance="landmark",
            needle_gauge=27,
            needle_length_mm=38,
            lot="L1",
            volume_ml=D(1),
        )


def _queries(client, session) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("staff:session-detail", args=[session.code]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_session_page_costs_the_same_queries_for_1_or_5_injections_and_syringes(
    alice, alice_actor, note, session, client_for
):
    client = client_for(alice)
    _add_syringe_injections(alice, alice_actor, session, note, 1)
    one = _queries(client, session)
    _add_syringe_injections(alice, alice_actor, session, note, 4)
    assert "5 injections" in _page(client, session)
    assert _queries(client, session) == one


# The clinic's anaesthetic limits page


def test_the_limits_page_lists_each_agent_with_its_source(nora, client_for):
    response = client_for(nora).get(reverse("staff:anaesthetic-limits"))
    page = _text(response.content.decode())
    assert "Limits used for this clinic's sessions, with their sources" in page
    assert "Lidocaine 4.5 mg/kg, at most 300 mg 7 mg/kg, at most 500 mg Xylocaine label" in page
    assert "Ropivacaine 3 mg/kg, no maximum: no ceiling until a maximum is set" in page
    assert "Mepivacaine 7 mg/kg, at most 400 mg Plain limit used Carbocaine label" in page
    assert "Procaine 7 mg/kg, at most 350 mg Plain limit used Novocain label" in page
    assert "Built-in default: this clinic has not set its own lidocaine limit." in page
    assert "Unverified" in page
    assert "Change the lidocaine limit" not in page  # a nurse reads, a manager changes


def test_a_manager_changes_a_limit_and_the_page_shows_it(adam, clinic, client_for):
    client = client_for(adam)
    url = reverse("staff:anaesthetic-limit-edit", args=["lidocaine"])
    form = client.get(url)
    assert form.context["form"].initial["mg_per_kg"] == D("4.5")  # starts from the default
    response = client.post(
        url,
        {
            "mg_per_kg": "4",
            "cap_mg": "280",
            "mg_per_kg_epinephrine": "",
            "cap_mg_epinephrine": "",
            "source": "Riverside formulary 2026",
            "verified": "on",
        },
    )
    assert response.status_code == 302
    limit = AnaestheticLimit.objects.get(clinic=clinic, agent="lidocaine")
    assert (limit.mg_per_kg, limit.cap_mg, limit.verified) == (4, 280, True)
    page = _text(client.get(reverse("staff:anaesthetic-limits")).content.decode())
    assert "Lidocaine 4 mg/kg, at most 280 mg Plain limit used Riverside formulary 2026" in page
    assert "Confirmed" in page


def test_an_unknown_agent_has_no_limit_page(adam, client_for):
    url = reverse("staff:anaesthetic-limit-edit", args=["cocaine"])
    assert client_for(adam).get(url).status_code == 404


# What the panel is worked out from


def test_a_signed_notes_panel_shows_the_figures_kept_at_signing(
    alice, alice_actor, nora_actor, clinic, note, session, pat, client_for
):
    _inject(alice_actor, note, 8)  # 80 of 225 mg for 50 kg
    client = client_for(alice)
    assert client.post(reverse("staff:note-sign", args=[session.code])).status_code == 302
    # Afterwards: a heavier weight and a lower clinic limit. Neither changes the signed note.
    weight_record(actor=nora_actor, patient=pat, weight_kg=D(90))
    AnaestheticLimit.objects.create(
        clinic=clinic, agent="lidocaine", mg_per_kg=D(1), cap_mg=60, source="Lower"
    )
    page = _page(client, session)
    assert "As signed: the figures below were kept with the note when it was signed" in page
    assert "Weight 50.0 kg, measured" in page or "Weight 50 kg, measured" in page
    assert "Lidocaine, plain 80 mg (8 mL) 225 mg 35.6% Within the ceiling" in page
    assert "4.5 mg/kg × 50 kg = 225 mg; cap 300 mg" in page
    assert "Over the ceiling" not in page


def test_an_agent_with_no_cap_shows_no_ceiling_and_asks_for_one(
    alice, alice_actor, note, session, client_for
):
    add_injection(
        alice_actor, note, anaesthetic="ropivacaine", anaesthetic_percent=D("0.2"), volume_ml=D(5)
    )
    page = _page(client_for(alice), session)
    assert "Ropivacaine, plain 10 mg (5 mL, 1 injection) No maximum — No maximum configured" in page
    assert "No cap configured for ropivacaine — set one in the clinic&#x27;s anaesthetic" in page
    assert "No maximum configured: a physician's override is needed" in page
    assert "Record the override" in page


def test_the_panel_shows_the_dosing_weight_its_working_and_source(
    alice, alice_actor, nora_actor, clinic, note, session, pat, client_for
):
    ClinicSettings.objects.update_or_create(clinic=clinic, defaults={"dose_weight_basis": "ideal"})
    _inject(alice_actor, note, 2)
    client = client_for(alice)
    page = _page(client, session)
    assert "The dosing weight cannot be worked out." in page
    assert "The clinic doses by ideal body weight, which needs the patient&#x27;s height" in page

    type(pat).objects.filter(pk=pat.pk).update(sex="female")
    pat.weights.update(height_cm=D(160))  # measured with the checklist weight (50 kg)
    page = _page(client, session)
    assert "Dosing weight: 50 kg (ideal body weight (Devine))" in page
    assert "45.5 + 0.9 × (160 − 152.4) = 52.34 kg; not above the actual 50 kg" in page
    assert "secondary sources only (domain notes §3.1): unverified" in page


def test_ideal_weight_dosing_costs_no_query_when_the_weight_carries_the_height(
    alice, alice_actor, clinic, note, session, pat, client_for
):
    client = client_for(alice)
    _inject(alice_actor, note, 2)
    pat.weights.update(height_cm=D(170))
    actual = _queries(client, session)
    ClinicSettings.objects.update_or_create(clinic=clinic, defaults={"dose_weight_basis": "ideal"})
    assert _queries(client, session) == actual


def test_the_history_page_records_a_height_with_the_weight(alice, pat, client_for):
    url = reverse("staff:history-add", args=[pat.code, "weight"])
    data = {
        "weight-weight_kg": "101.5",
        "weight-measured_on": clinic_today(pat.clinic).isoformat(),
        "weight-height_cm": "172.5",
    }
    assert client_for(alice).post(url, data).status_code == 302
    weight = pat.weights.get(weight_kg=D("101.5"))
    assert weight.height_cm == D("172.5")
    page = client_for(alice).get(reverse("staff:patient-history", args=[pat.code]))
    assert "101.5 kg, height 172.5 cm on" in _text(page.content.decode())
