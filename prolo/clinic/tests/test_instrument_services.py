"""A clinic's own instrument settings (services/instruments.py): importing licensed text from
a FHIR Questionnaire, and its missing-item minimums and MCID; who may, what is refused, and
the audit trail."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prolo.clinic.models import AuditEvent, InstrumentSetting
from prolo.clinic.outcomes.fhir_questionnaire import to_questionnaire
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.services.instruments import instrument_settings_update, instrument_text_import
from prolo.clinic.services.questionnaires import clinic_instrument
from prolo.clinic.tests.test_fhir_questionnaire import full_text

WOMAC = INSTRUMENTS["womac"]
LICENCE = "WOMAC licence 2026-114, held by Riverside Clinic"

pytestmark = pytest.mark.django_db


def womac_file(**changes: Any) -> dict[str, Any]:
    return to_questionnaire(WOMAC, full_text(WOMAC) | changes)


def _import(actor, questionnaire=None, licence_note=LICENCE, instrument="womac"):
    return instrument_text_import(
        actor=actor,
        instrument=instrument,
        questionnaire=questionnaire if questionnaire is not None else womac_file(),
        licence_note=licence_note,
    )


def _errors(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.message_dict


def test_the_imported_text_shows_on_the_clinics_instrument(alice_actor, clinic):
    _import(alice_actor)
    view = clinic_instrument(clinic, "womac")
    p1 = WOMAC.item("P1")
    assert view.text(p1) == "Official wording of P1"
    assert view.option_label(p1, 4) == "Label 4"
    assert view.has_text
    setting = view.setting
    assert setting is not None
    assert setting.licence_note == LICENCE
    assert setting.imported_by == alice_actor.user
    assert setting.imported_at is not None


def test_the_import_is_audited_without_a_patient(adam_actor):
    setting = _import(adam_actor)
    event = AuditEvent.objects.get(object_type="instrumentsetting")
    assert event.actor == adam_actor.user
    assert event.patient is None
    assert event.object_code == str(setting.pk)
    assert event.changes["licence_note"] == LICENCE


def test_importing_again_replaces_the_text_and_audits_the_change(alice_actor):
    _import(alice_actor)
    _import(alice_actor, womac_file(P1={"text": "Walking on a flat surface", "options": {}}))
    setting = InstrumentSetting.objects.get()
    assert setting.item_text["P1"] == {"text": "Walking on a flat surface", "options": {}}
    assert AuditEvent.objects.filter(object_type="instrumentsetting").count() == 2


@pytest.mark.parametrize("who", ["nora_actor", "pete_actor", "rita_actor"])
def test_only_physicians_and_clinic_admins_import(who, request):
    with pytest.raises(PermissionDenied):
        _import(request.getfixturevalue(who))
    assert not InstrumentSetting.objects.exists()


def test_the_licence_note_is_required(alice_actor):
    errors = _errors(lambda: _import(alice_actor, licence_note="   "))
    assert errors == {
        "licence_note": ["Say under which licence the clinic uses this text (required)."]
    }
    assert not AuditEvent.objects.exists()


def test_a_file_for_another_instrument_is_refused(alice_actor):
    dash = to_questionnaire(INSTRUMENTS["dash"], full_text(INSTRUMENTS["dash"]))
    errors = _errors(lambda: _import(alice_actor, dash))
    assert errors["questionnaire"] == [
        "This Questionnaire is for the Disabilities of the Arm, Shoulder and Hand (DASH), "
        "not the WOMAC LK3.1."
    ]


def test_a_file_with_items_left_without_text_is_refused_listing_them(alice_actor):
    partial = womac_file(F16={"text": "", "options": {}}, F17={"text": "", "options": {}})
    errors = _errors(lambda: _import(alice_actor, partial))
    assert errors["questionnaire"] == [
        "These items have no text in the file: F16, F17. Give every item its official wording."
    ]
    assert not InstrumentSetting.objects.exists()


def test_an_instrument_with_shipped_text_takes_no_import(alice_actor):
    nrs = to_questionnaire(INSTRUMENTS["pain_nrs"])
    message = _errors(lambda: _import(alice_actor, nrs, instrument="pain_nrs"))["questionnaire"][0]
    assert message.startswith("Prolo ships the text of the Pain numeric rating scale (0–10)")
    assert "KOOS" in message


def test_an_invalid_file_names_what_is_wrong(alice_actor):
    errors = _errors(lambda: _import(alice_actor, {"resourceType": "Patient"}))
    assert errors["questionnaire"] == ["This is a FHIR Patient, not a FHIR Questionnaire."]


# --- Settings -----------------------------------------------------------------------


def _update(actor, **overrides):
    values: dict[str, Any] = {
        "instrument": "womac",
        "min_answered": {"pain": 5, "stiffness": None, "function": 15},
        "mcid_points": Decimal("12"),
        "mcid_percent": None,
        "mcid_source": "Riverside consensus, March 2026",
    } | overrides
    return instrument_settings_update(actor=actor, **values)


def test_the_clinics_minimums_and_mcid_are_used(alice_actor, clinic):
    _update(alice_actor)
    view = clinic_instrument(clinic, "womac")
    assert view.min_answered == {"pain": 5, "function": 15}
    mcid = view.mcid
    assert mcid is not None
    assert mcid.points == Decimal(12)
    assert mcid.source == "Clinic setting: Riverside consensus, March 2026"


def test_the_settings_change_is_audited_old_to_new(adam_actor):
    _update(adam_actor)
    _update(adam_actor, mcid_points=Decimal("15"))
    last = AuditEvent.objects.filter(object_type="instrumentsetting").order_by("pk").last()
    assert last is not None
    assert last.changes == {"mcid_points": ["12.00", "15"]}


def test_nothing_set_and_no_row_saves_nothing(alice_actor):
    result = _update(
        alice_actor,
        min_answered={"pain": None},
        mcid_points=None,
        mcid_source="",
    )
    assert result is None
    assert not InstrumentSetting.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("minimums", "field", "message"),
    [
        (
            {"pain": 6},
            "min_pain",
            "Pain: give 1 to 5 items (the shipped minimum is 4), or leave it blank for the "
            "shipped minimum.",
        ),
        (
            {"stiffness": 0},
            "min_stiffness",
            "Stiffness: give 1 to 2 items (the shipped minimum is 1), or leave it blank for the "
            "shipped minimum.",
        ),
        ({"elbow": 3}, "min_answered", "The WOMAC LK3.1 has no subscale 'elbow'."),
    ],
)
def test_a_minimum_outside_the_subscale_is_refused_naming_it(alice_actor, minimums, field, message):
    errors = _errors(lambda: _update(alice_actor, min_answered=minimums))
    assert errors == {field: [message]}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"mcid_source": ""},
            "mcid_source",
            "Say where the clinic's MCID comes from (a study or a decision).",
        ),
        ({"mcid_points": Decimal(0)}, "mcid_points", "Give more than 0 and at most 100 points."),
        ({"mcid_points": Decimal(101)}, "mcid_points", "Give more than 0 and at most 100 points."),
        (
            {"mcid_points": None, "mcid_percent": Decimal(30)},
            "mcid_points",
            "Give the MCID in points too; the percentage applies beside it.",
        ),
        ({"mcid_percent": Decimal(101)}, "mcid_percent", "Give more than 0 and at most 100%."),
        (
            {"mcid_points": None},
            "mcid_source",
            "There is no MCID to source: give the points, or clear this.",
        ),
    ],
)
def test_an_mcid_needs_a_source_and_a_sensible_size(alice_actor, overrides, field, message):
    errors = _errors(lambda: _update(alice_actor, **overrides))
    assert errors[field] == [message]
    assert not InstrumentSetting.objects.exists()


def test_nurses_cannot_change_the_settings(nora_actor):
    with pytest.raises(PermissionDenied):
        _update(nora_actor)


def test_settings_and_imported_text_share_the_clinics_row(alice_actor, clinic, other_clinic):
    _update(alice_actor)
    _import(alice_actor)
    setting = InstrumentSetting.objects.get()
    assert setting.clinic == clinic
    assert setting.min_answered == {"pain": 5, "function": 15}
    assert setting.item_text["P1"]["text"] == "Official wording of P1"
    assert clinic_instrument(other_clinic, "womac").setting is None
