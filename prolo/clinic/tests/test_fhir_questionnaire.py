"""Instruments as FHIR Questionnaires (outcomes/fhir_questionnaire.py): the export is valid
R4B and self-describing, export → import gives back the clinic's text for every instrument,
and a file that does not fit the shipped instrument is refused naming what is wrong."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from hypothesis import given, settings
from hypothesis import strategies as st

from prolo.clinic.outcomes.fhir_questionnaire import (
    EXT_INSTRUMENT,
    EXT_MIN_ANSWERED,
    EXT_SCORE,
    ORDINAL_VALUE,
    PLACEHOLDER,
    QuestionnaireError,
    canonical_url,
    from_questionnaire,
    importable,
    to_questionnaire,
)
from prolo.clinic.outcomes.instruments import INSTRUMENTS, Instrument

WOMAC = INSTRUMENTS["womac"]


def _questions(q: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for group in q["item"] for item in group["item"]]


def _question(q: dict[str, Any], link_id: str) -> dict[str, Any]:
    return next(item for item in _questions(q) if item["linkId"] == link_id)


def _through_json(q: dict[str, Any]) -> Any:
    """What a file holds: the export, written and read back as JSON."""
    return json.loads(json.dumps(q))


def full_text(instrument: Instrument) -> dict[str, dict[str, Any]]:
    """Text and labels for every item without shipped text, as a clinic would import them."""
    return {
        item.id: {
            "text": f"Official wording of {item.id}",
            "options": {str(v): f"Label {v}" for v in sorted(item.values)}
            if len(item.options) <= 21
            else {},
        }
        for item in instrument.items
        if item.text is None
    }


# --- Export ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", INSTRUMENTS)
def test_every_instrument_exports_as_a_valid_r4b_questionnaire(code):
    q = to_questionnaire(INSTRUMENTS[code])
    parsed = Questionnaire.model_validate(_through_json(q))
    assert parsed.status == "active"
    assert parsed.url == canonical_url(INSTRUMENTS[code])
    assert {item.id for item in INSTRUMENTS[code].items} == {i["linkId"] for i in _questions(q)}


def test_the_export_groups_items_by_subscale_with_the_shipped_minimum():
    q = to_questionnaire(WOMAC)
    groups = [(g["linkId"], g["text"], len(g["item"])) for g in q["item"]]
    assert groups == [
        ("subscale-pain", "Pain", 5),
        ("subscale-stiffness", "Stiffness", 2),
        ("subscale-function", "Physical function", 17),
    ]
    assert q["item"][0]["extension"] == [{"url": EXT_MIN_ANSWERED, "valueInteger": 4}]


def test_each_answer_carries_the_value_it_scores():
    option = _question(to_questionnaire(INSTRUMENTS["dash"]), "Q1")["answerOption"][0]
    assert option["valueCoding"] == {"code": "1"}
    assert option["extension"] == [{"url": ORDINAL_VALUE, "valueDecimal": 1}]


def test_shipped_text_and_labels_are_exported():
    item = _question(to_questionnaire(INSTRUMENTS["pain_nrs"]), "pain")
    assert item["text"].startswith("On a scale from 0 to 10")
    assert item["answerOption"][0]["valueCoding"] == {"code": "0", "display": "No pain"}


def test_missing_text_is_a_clear_placeholder():
    assert _question(to_questionnaire(WOMAC), "P1")["text"] == PLACEHOLDER


def test_a_hundred_point_scale_is_entered_as_a_number():
    item = _question(to_questionnaire(INSTRUMENTS["pain_vas"]), "pain")
    assert item["type"] == "integer"
    assert "answerOption" not in item


def test_the_export_describes_its_scoring():
    q = to_questionnaire(INSTRUMENTS["odi"])
    assert q["code"] == [{"system": "http://loinc.org", "code": "97908-8"}]
    assert {"url": EXT_INSTRUMENT, "valueCode": "odi"} in q["extension"]
    score = next(e for e in q["extension"] if e["url"] == EXT_SCORE)
    parts = {p["url"]: p for p in score["extension"]}
    assert parts["loinc"]["valueCoding"]["code"] == "97909-6"
    mcid = {p["url"]: p for p in parts["mcid"]["extension"]}
    assert mcid["points"]["valueDecimal"] == 10
    assert mcid["percent"]["valueDecimal"] == 30
    assert mcid["unverified"]["valueBoolean"] is True
    assert "Ostelo" in mcid["source"]["valueString"]
    assert q["version"] == "odi:odi/1"
    assert "Fairbank" in q["copyright"]


# --- Round trip -----------------------------------------------------------------------


@pytest.mark.parametrize("code", INSTRUMENTS)
def test_export_then_import_gives_back_the_clinics_text(code):
    instrument = INSTRUMENTS[code]
    text = full_text(instrument)
    imported = from_questionnaire(_through_json(to_questionnaire(instrument, text)))
    assert imported.instrument is instrument
    assert imported.item_text == text
    assert imported.missing == []


@pytest.mark.parametrize("code", INSTRUMENTS)
def test_a_plain_export_imports_no_text(code):
    imported = from_questionnaire(_through_json(to_questionnaire(INSTRUMENTS[code])))
    assert imported.item_text == {}
    assert imported.missing == [i.id for i in INSTRUMENTS[code].items if i.text is None]


printable = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda s: s.strip() == s and s != PLACEHOLDER)


@st.composite
def partial_text(draw: st.DrawFn) -> tuple[Instrument, dict[str, dict[str, Any]]]:
    instrument = draw(st.sampled_from(importable()))
    out = {}
    for item in instrument.items:
        if not draw(st.booleans()):
            continue
        labels = {}
        if len(item.options) <= 21:
            chosen = draw(st.lists(st.sampled_from(sorted(item.values)), unique=True))
            labels = {str(v): draw(printable) for v in chosen}
        out[item.id] = {"text": draw(printable), "options": labels}
    return instrument, out


@settings(max_examples=60, deadline=None)
@given(partial_text())
def test_any_imported_text_survives_the_round_trip(case):
    instrument, text = case
    imported = from_questionnaire(_through_json(to_questionnaire(instrument, text)))
    assert imported.item_text == text


# --- Refusals -------------------------------------------------------------------------


def _womac_file() -> dict[str, Any]:
    return _through_json(to_questionnaire(WOMAC, full_text(WOMAC)))


def _refused(data: Any) -> str:
    with pytest.raises(QuestionnaireError) as exc:
        from_questionnaire(data)
    return str(exc.value)


def test_an_unknown_item_is_refused_naming_it():
    data = _womac_file()
    data["item"][0]["item"][0]["linkId"] = "P9"
    assert _refused(data).startswith("Item 'P9': the WOMAC LK3.1 has no such item")


def test_an_answer_value_not_of_the_item_is_refused_naming_the_item():
    data = _womac_file()
    data["item"][0]["item"][1]["answerOption"][0]["valueCoding"]["code"] = "7"
    assert _refused(data) == (
        "Item P2: answer '7' is not one of the WOMAC LK3.1's values for this item (0, 1, 2, 3, 4)."
    )


def test_answers_in_another_order_are_refused():
    data = _womac_file()
    data["item"][0]["item"][0]["answerOption"][0]["extension"][0]["valueDecimal"] = 4
    assert "Item P1: answer 0 is scored 4 in the file" in _refused(data)


def test_an_item_twice_is_refused():
    data = _womac_file()
    data["item"][1]["item"].append(copy.deepcopy(data["item"][0]["item"][0]))
    assert _refused(data) == "Item P1: it appears twice in the file."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "A FHIR Questionnaire is a JSON object; this file holds list."),
        (None, "A FHIR Questionnaire is a JSON object; this file holds null."),
        ({"resourceType": "Patient"}, "This is a FHIR Patient, not a FHIR Questionnaire."),
        ({"status": "active"}, "This is no resourceType, not a FHIR Questionnaire."),
    ],
)
def test_what_is_not_a_questionnaire_is_refused(data, message):
    assert _refused(data) == message


def test_invalid_fhir_is_refused_naming_the_element():
    data = _womac_file()
    del data["item"][0]["item"][0]["type"]
    assert _refused(data) == (
        "Not a valid FHIR R4B Questionnaire: item[0].item[0].type: "
        "Value for the field 'type' is required."
    )


def test_an_instrument_prolo_does_not_ship_is_refused_listing_the_importable_ones():
    data = {"resourceType": "Questionnaire", "status": "active", "url": "http://x.org/sf36"}
    message = _refused(data)
    assert message.startswith("This Questionnaire is not one of Prolo's instruments")
    assert "WOMAC LK3.1" in message
    assert "Pain numeric rating scale" not in message


def test_a_loinc_panel_code_identifies_the_instrument():
    data = _through_json(to_questionnaire(INSTRUMENTS["koos"]))
    del data["url"]
    data["extension"] = []
    assert from_questionnaire(data).instrument.code == "koos"


def test_the_placeholder_is_not_taken_as_text():
    data = _womac_file()
    data["item"][0]["item"][0]["text"] = PLACEHOLDER
    imported = from_questionnaire(data)
    assert "P1" not in imported.item_text or imported.item_text["P1"]["text"] == ""
    assert imported.missing == ["P1"]


def test_text_with_a_nul_character_is_refused():
    data = _womac_file()
    data["item"][2]["item"][0]["text"] = "Going down\x00stairs"
    assert _refused(data) == "Item F1: the text contains a NUL character."
