"""The clinic's safety settings page: read by clinicians, changed by safety managers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from prolo.clinic.models import AuditAction, AuditEvent, ClinicSettings
from prolo.clinic.services.clinic_settings import SETTING_SOURCES, SETTINGS_FIELDS
from prolo.testing import make_course

URL = "staff:clinic-settings"


def _form(**changes: str) -> dict[str, str]:
    values = {
        "syringe_precision_ml": "0.1",
        "weight_max_age_days": "30",
        "dose_warn_percent": "80",
        "dose_weight_basis": "actual",
        "child_factor": "1.00",
        "elderly_age": "65",
        "elderly_factor": "1.00",
        "hepatic_factor": "1.00",
        "cardiac_factor": "1.00",
        "nsaid_stop_days_before": "3",
        "nsaid_avoid_days_after": "7",
        "prp_nsaid_stop_days_before": "4",
        "prp_nsaid_avoid_days_after": "7",
        "heavy_loading_days": "3",
        "flare_typical_days": "3",
        "flare_max_days": "7",
        "heat_pack_min_minutes": "10",
        "heat_pack_max_minutes": "15",
        "healing_weeks": "6",
        "recent_steroid_weeks": "4",
        "prp_min_haemoglobin": "10.0",
        "prp_min_platelets": "100",
        "epinephrine_min_ratio": "400000",
    }
    return values | changes


def test_every_setting_has_a_stated_source():
    assert {s.name for s in SETTING_SOURCES} == set(SETTINGS_FIELDS)
    for source in SETTING_SOURCES:
        assert source.source
        if not source.verified:
            assert any(
                word in source.source.lower()
                for word in ("unverified", "clinic", "design", "issue")
            )


def test_a_clinician_reads_each_setting_with_its_default_and_source(nora, client_for):
    response = client_for(nora).get(reverse(URL))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Stop anti-inflammatories (days before)" in html
    assert "[R98]" in html
    assert "[R101]" in html
    assert "Unverified — clinic practice: no source gives a heat-pack time" in html
    assert "Unverified — clinic setting: the 6-week figure has no source" in html
    assert "Design default" in html
    assert "Unverified: dosing by ideal or lean body weight in obesity" in html
    assert "[R105]" in html
    assert "Change the settings" not in html
    assert not ClinicSettings.objects.exists(), "reading the defaults saves nothing"


def test_a_manager_sees_the_form_with_defaults_in_the_help(adam, client_for):
    html = client_for(adam).get(reverse(URL)).content.decode()
    assert "Change the settings" in html
    assert "Default 3 days." in html
    assert "Default 10 minutes. Unverified — clinic practice" in html


def test_the_prp_and_heavy_loading_days_are_settings_with_their_sources(adam, client_for):
    html = client_for(adam).get(reverse(URL)).content.decode()
    assert "PRP: stop anti-inflammatories at least (days before)" in html
    assert "PRP: avoid anti-inflammatories at least (days after)" in html
    assert "No heavy loading after deep injections (days)" in html
    assert "stop them 3–4 days before [R104]" in html
    assert "about 3 days after deep injections [R106][R108]" in html
    assert "Default 4 days." in html


def test_a_changed_heavy_loading_setting_shows_in_the_session_plan(
    adam, nora, alice_actor, pat, client_for
):
    session = make_course(alice_actor, pat, start_date=dt.date(2026, 3, 2)).sessions.get(number=1)
    client_for(adam).post(reverse(URL), _form(heavy_loading_days="5"))
    html = client_for(nora).get(reverse("staff:session-detail", args=[session.code])).content
    assert "For about 5 days, until Saturday 7 March 2026" in html.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("heavy_loading_days", "0"),
        ("heavy_loading_days", "29"),
        ("prp_nsaid_stop_days_before", "29"),
        ("prp_nsaid_avoid_days_after", "91"),
    ],
)
def test_prp_and_heavy_loading_days_out_of_range_are_refused_beside_the_field(
    adam, client_for, field, value
):
    response = client_for(adam).post(reverse(URL), _form(**{field: value}))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not ClinicSettings.objects.exists()


def test_the_note_form_states_the_clinics_heat_pack_times_as_its_unverified_practice(
    adam, alice, alice_actor, pat, client_for
):
    session = make_course(alice_actor, pat).sessions.get(number=1)
    client_for(adam).post(
        reverse(URL), _form(heat_pack_min_minutes="5", heat_pack_max_minutes="20")
    )
    response = client_for(alice).get(reverse("staff:session-detail", args=[session.code]))
    note_form = response.context["forms"]["note"]
    assert note_form.initial["heat_pack_minutes"] == 20
    html = response.content.decode()
    assert (
        "This clinic&#x27;s practice: 5–20 minutes after the injections (unverified; clinic "
        "setting)." in html
    )
    assert "Usually 10–15 minutes" not in html


def test_a_manager_changes_a_setting_and_the_change_is_audited(adam, client_for, clinic):
    response = client_for(adam).post(reverse(URL), _form(nsaid_stop_days_before="5"))
    assert response.status_code == 302
    assert ClinicSettings.objects.get(clinic=clinic).nsaid_stop_days_before == 5
    event = AuditEvent.objects.get(object_type="clinicsettings", action=AuditAction.UPDATE)
    assert event.patient is None
    assert event.actor == adam
    assert event.changes == {"nsaid_stop_days_before": [3, 5]}


def test_a_changed_setting_shows_in_the_session_plan(adam, nora, alice_actor, pat, client_for):
    session = make_course(alice_actor, pat, start_date=dt.date(2026, 3, 2)).sessions.get(number=1)
    client_for(adam).post(reverse(URL), _form(nsaid_stop_days_before="7"))
    html = client_for(nora).get(reverse("staff:session-detail", args=[session.code])).content
    assert "From Monday 23 February 2026 (7 days before your treatment)" in html.decode()


@pytest.mark.parametrize("who", ["nora", "pete"])
def test_a_clinician_who_does_not_manage_safety_cannot_change_settings(
    who, request, client_for, clinic
):
    user = request.getfixturevalue(who)
    response = client_for(user).post(reverse(URL), _form(nsaid_stop_days_before="9"))
    assert response.status_code == 403
    assert not ClinicSettings.objects.filter(clinic=clinic).exists()


def test_heat_pack_times_the_wrong_way_round_are_refused_beside_the_field(adam, client_for):
    data = _form(heat_pack_min_minutes="20", heat_pack_max_minutes="10")
    response = client_for(adam).post(reverse(URL), data)
    assert response.status_code == 400
    assert response.context["form"].errors["heat_pack_max_minutes"] == [
        "The longest heat-pack time cannot be below the shortest."
    ]
    assert not ClinicSettings.objects.exists()


def test_a_haemoglobin_threshold_out_of_range_is_refused(adam, client_for):
    response = client_for(adam).post(reverse(URL), _form(prp_min_haemoglobin="50"))
    assert response.status_code == 400
    assert "Prp min haemoglobin" not in response.content.decode()
    assert response.context["form"].errors["prp_min_haemoglobin"]


def test_settings_of_one_clinic_do_not_touch_another(adam, charlie, client_for, clinic):
    client_for(adam).post(reverse(URL), _form(healing_weeks="12"))
    html = client_for(charlie).get(reverse(URL)).content.decode()
    assert "<td>6 weeks</td><td>6 weeks</td>" in html


def test_the_clinic_link_is_in_the_menu_for_clinical_readers_only(nora, rita, client_for):
    assert ">Clinic</a>" in client_for(nora).get(reverse("staff:today")).content.decode()
    assert ">Clinic</a>" not in client_for(rita).get(reverse("staff:today")).content.decode()


def test_a_manager_chooses_the_dosing_weight_and_a_wrong_one_is_refused_on_its_field(
    adam, clinic, client_for
):
    client = client_for(adam)
    response = client.post(reverse(URL), _form(dose_weight_basis="lean"))
    assert response.status_code == 400
    assert "Select a valid choice. lean is not one of the available choices." in (
        response.content.decode()
    )
    assert client.post(reverse(URL), _form(dose_weight_basis="adjusted")).status_code == 302
    assert ClinicSettings.objects.get(clinic=clinic).dose_weight_basis == "adjusted"


def test_the_epinephrine_threshold_is_an_unverified_setting_with_its_source(
    adam, client_for, clinic
):
    html = client_for(adam).get(reverse(URL)).content.decode()
    assert "Epinephrine counts from 1:" in html
    assert "Unverified, not in the domain notes" in html
    response = client_for(adam).post(reverse(URL), _form(epinephrine_min_ratio="200000"))
    assert response.status_code == 302
    assert ClinicSettings.objects.get(clinic=clinic).epinephrine_min_ratio == 200_000
    response = client_for(adam).post(reverse(URL), _form(epinephrine_min_ratio="12"))
    assert response.status_code == 400
    assert ClinicSettings.objects.get(clinic=clinic).epinephrine_min_ratio == 200_000
