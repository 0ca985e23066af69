"""Outcome scoring (outcomes/scoring.py): every shipped rule on known answers, the range ends,
direction, missing-item rules, refused answers, and a property: any complete answer set
scores within range."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prolo.clinic.outcomes.instruments import INSTRUMENTS, Direction, Instrument
from prolo.clinic.outcomes.scoring import RULE_VERSIONS, ScoringError, score

D = Decimal


def answers(instrument: str, values: list[int], prefix: str = "") -> dict[str, int]:
    """Answers for the items (of one prefix, e.g. 'P'), in order."""
    chosen = [i.id for i in INSTRUMENTS[instrument].items if i.id.rstrip("0123456789") == prefix]
    assert len(chosen) == len(values), (instrument, prefix, len(chosen))
    return dict(zip(chosen, values, strict=True))


def every(instrument: str, value: int) -> dict[str, int]:
    return {item.id: value for item in INSTRUMENTS[instrument].items}


def full(instrument: str, **parts: list[int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for prefix, values in parts.items():
        out |= answers(instrument, values, prefix)
    return out


KOOS_MIXED = full(
    "koos",
    S=[1] * 7,  # mean 1 → 75
    P=[2] * 9,  # mean 2 → 50
    A=[0] * 16 + [4],  # mean 4/17 → 100 − 100/17 = 94.1176…
    SP=[0, 0, 0, 0, 1],  # mean 0.2 → 95
    Q=[1, 2, 3, 4],  # mean 2.5 → 37.5
)

KNOWN = [
    ("pain_nrs", {"pain": 7}, {"pain": "7"}),
    ("pain_vas", {"pain": 45}, {"pain": "45"}),
    ("psfs", {"activity1": 4, "activity2": 5, "activity3": 6}, {"mean": "5"}),
    ("psfs", {"activity1": 3, "activity2": 4, "activity3": 4}, {"mean": "3.67"}),  # 11/3
    ("psfs", answers("psfs", [1, 2, 3, 4, 5], "activity"), {"mean": "3"}),
    (
        "koos",
        KOOS_MIXED,
        {"symptoms": "75", "pain": "50", "adl": "94.12", "sport": "95", "qol": "37.5"},
    ),
    # WOMAC: pain 5/20, stiffness 4/8, function 51/68, total 60/96
    (
        "womac",
        full("womac", P=[1] * 5, S=[2, 2], F=[3] * 17),
        {"pain": "25", "stiffness": "50", "function": "75", "total": "62.5"},
    ),
    ("dash", every("dash", 3), {"disability": "50"}),
    ("dash", full("dash", Q=[1] * 29 + [5]), {"disability": "3.33"}),  # (34/30 − 1) × 25
    ("quickdash", every("quickdash", 2), {"disability": "25"}),
    ("quickdash", full("quickdash", Q=[1] * 10 + [2]), {"disability": "2.27"}),  # 25/11
    ("odi", every("odi", 2), {"percent": "40"}),
    ("odi", full("odi", S=[0, 1, 2, 3, 4, 5, 0, 1, 2, 3]), {"percent": "42"}),  # 21/50
    ("visa_a", {**full("visa_a", Q=[5] * 6 + [7, 14])}, {"total": "51"}),
    (
        "prtee",
        full("prtee", P=[4] * 5, F=[3] * 10),
        {"pain": "20", "function": "15", "total": "35"},
    ),
    (
        "ffi",
        full("ffi", P=[10] * 9, D=[0] * 9, A=[0] * 5),
        {"pain": "100", "disability": "0", "activity": "0", "total": "39.13"},  # 90/230
    ),
    (
        "spadi",
        full("spadi", P=[10] * 5, D=[0] * 8),
        {"pain": "100", "disability": "0", "total": "38.46"},  # 50/130
    ),
]


@pytest.mark.parametrize(("code", "given_answers", "expected"), KNOWN)
def test_it_scores_known_answer_sets_exactly(code, given_answers, expected):
    result = score(code, given_answers)
    for key, value in expected.items():
        assert result.value(key) == D(value), key
    rule = INSTRUMENTS[code].rule
    assert result.rule_version == f"{code}:{rule}/{RULE_VERSIONS[rule]}"


def test_it_keeps_the_exact_fraction_beside_the_rounded_value():
    result = score("dash", full("dash", Q=[1] * 29 + [5]))
    assert result.score("disability").exact == Fraction(10, 3)
    assert result.value("disability") == D("3.33")


@pytest.mark.parametrize("code", sorted(INSTRUMENTS))
def test_all_lowest_and_all_highest_answers_give_the_range_ends(code):
    instrument = INSTRUMENTS[code]
    lowest = score(instrument, {item.id: item.low for item in instrument.items})
    highest = score(instrument, {item.id: item.high for item in instrument.items})
    for spec in instrument.scores:
        ends = {lowest.value(spec.key), highest.value(spec.key)}
        assert ends == {spec.low, spec.high}, spec.key
        # KOOS runs backwards: its lowest answers (no problems) score 100.
        reverse = instrument.rule == "koos"
        assert lowest.value(spec.key) == (spec.high if reverse else spec.low)


@pytest.mark.parametrize(
    ("code", "direction"),
    [
        ("koos", Direction.HIGHER_IS_BETTER),
        ("visa_a", Direction.HIGHER_IS_BETTER),
        ("psfs", Direction.HIGHER_IS_BETTER),
        *(
            (code, Direction.HIGHER_IS_WORSE)
            for code in ("pain_nrs", "pain_vas", "womac", "dash", "quickdash", "odi")
        ),
        *((code, Direction.HIGHER_IS_WORSE) for code in ("prtee", "ffi", "spadi")),
    ],
)
def test_each_instrument_states_its_direction(code, direction):
    assert INSTRUMENTS[code].direction == direction


def test_item_text_ships_only_for_the_free_generic_scales():
    with_text = {code for code, i in INSTRUMENTS.items() if i.has_item_text}
    assert with_text == {"pain_nrs", "pain_vas", "psfs"}
    for code, instrument in INSTRUMENTS.items():
        if code not in with_text:
            assert all(item.text is None for item in instrument.items)
            assert "imports the official wording" in instrument.text_note
            assert instrument.licence in instrument.text_note


def test_loinc_codes_from_the_notes():
    assert INSTRUMENTS["pain_nrs"].score_spec("pain").loinc == "72514-3"
    assert INSTRUMENTS["koos"].loinc == "72091-2"
    assert INSTRUMENTS["koos"].score_spec("symptoms").loinc == "72101-9"
    assert INSTRUMENTS["koos"].score_spec("adl").loinc == "72100-1"
    assert INSTRUMENTS["odi"].loinc == "97908-8"
    assert INSTRUMENTS["odi"].score_spec("percent").loinc == "97909-6"


def test_unverified_mcids_are_marked():
    assert INSTRUMENTS["pain_nrs"].mcid is not None
    assert not INSTRUMENTS["pain_nrs"].mcid.unverified
    for code in ("koos", "odi", "spadi", "psfs"):
        mcid = INSTRUMENTS[code].mcid
        assert mcid is not None
        assert mcid.unverified, code


# --- Missing items ------------------------------------------------------------------------


def missing_cases() -> list[tuple[str, str]]:
    return [(code, s.key) for code, i in INSTRUMENTS.items() for s in i.subscales]


def without(instrument: Instrument, subscale_key: str, drop: int) -> dict[str, int | None]:
    out: dict[str, int | None] = {item.id: item.low for item in instrument.items}
    subscale = next(s for s in instrument.subscales if s.key == subscale_key)
    for item_id in subscale.item_ids[:drop]:
        out[item_id] = None
    return out


@pytest.mark.parametrize(("code", "key"), missing_cases())
def test_just_enough_answered_is_scored_and_one_fewer_is_refused(code, key):
    instrument = INSTRUMENTS[code]
    subscale = next(s for s in instrument.subscales if s.key == key)
    spare = len(subscale.item_ids) - subscale.min_answered
    result = score(instrument, without(instrument, key, spare))
    assert len(result.missing) == spare
    with pytest.raises(ScoringError, match=f"at least {subscale.min_answered} are needed"):
        score(instrument, without(instrument, key, spare + 1))


def test_missing_items_are_filled_with_the_subscale_mean():
    # 27 of 30 DASH items, all 3: the mean is still 3 → 50.
    given_answers = every("dash", 3) | {"Q1": None, "Q2": None, "Q3": None}
    assert score("dash", given_answers).value("disability") == D(50)
    # ODI with one section missing: 18 ÷ (5 × 9) × 100 = 40.
    odi = every("odi", 2) | {"S10": None}
    assert score("odi", odi).value("percent") == D(40)


# Worked by hand from each manual's rule: a missing item takes the mean of the answered items
# of its own subscale, so the total counts it at that subscale's level, not at the mean of
# every answered item.


def test_a_missing_womac_pain_item_takes_the_pain_mean_in_the_total():
    # Pain 4, 4, 4, 4, (missing → 4): pain 20/20; stiffness and function 0. Total 20/96.
    given_answers = full("womac", P=[4, 4, 4, 4, 0], S=[0, 0], F=[0] * 17) | {"P5": None}
    result = score("womac", given_answers)
    assert result.value("pain") == D(100)
    assert result.value("total") == D("20.83")  # the mean of all 23 answered gave 17.39
    assert result.score("total").exact == Fraction(20 * 100, 96)
    assert result.rule_version == "womac:womac/2"


def test_a_missing_womac_function_item_takes_the_function_mean():
    # Function 16 answered, all 2, one missing → 2; pain 0; stiffness 4, 4.
    # Raw total = 0 + 8 + 17 × 2 = 42 → 42/96 × 100 = 43.75.
    given_answers = full("womac", P=[0] * 5, S=[4, 4], F=[2] * 17) | {"F17": None}
    result = score("womac", given_answers)
    assert result.value("function") == D(50)
    assert result.value("stiffness") == D(100)
    assert result.value("total") == D("43.75")


def test_womac_refuses_a_second_missing_pain_item():
    given_answers = every("womac", 1) | {"P1": None, "P2": None}
    with pytest.raises(ScoringError, match=r"WOMAC LK3\.1 Pain: 3 of 5 items answered"):
        score("womac", given_answers)


def test_a_missing_ffi_item_takes_its_own_subscale_mean():
    # Pain 8 answered, all 10, P9 missing → 10: pain 90; disability 0; activity 0.
    # Total = 90/230 × 100 = 39.13 (the mean of all 22 answered gave 80/220 → 36.36).
    given_answers = full("ffi", P=[10] * 9, D=[0] * 9, A=[0] * 5) | {"P9": None}
    result = score("ffi", given_answers)
    assert result.value("pain") == D(100)
    assert result.value("total") == D("39.13")
    assert result.rule_version == "ffi:percent_of_max/2"


def test_a_missing_spadi_item_takes_its_own_subscale_mean():
    # Pain 10, 10, 10, 10, (missing → 10) = 50; disability 8 × 0. Total = 50/130 = 38.46
    # (the mean of all 12 answered gave 40/120 → 33.33).
    given_answers = full("spadi", P=[10] * 5, D=[0] * 8) | {"P5": None}
    result = score("spadi", given_answers)
    assert result.value("pain") == D(100)
    assert result.value("disability") == D(0)
    assert result.value("total") == D("38.46")


def test_koos_subscales_each_fill_from_their_own_items():
    # Pain has 4 missing (5 of 9 answered, the 2012 rule), all 4 → pain 0; symptoms all 0 → 100.
    given_answers: dict[str, int | None] = {**every("koos", 0), **{f"P{n}": 4 for n in range(1, 6)}}
    given_answers |= {f"P{n}": None for n in range(6, 10)}
    result = score("koos", given_answers)
    assert result.value("pain") == D(0)
    assert result.value("symptoms") == D(100)
    with pytest.raises(ScoringError, match="Pain: 4 of 9 items answered; at least 5"):
        score("koos", given_answers | {"P5": None})


def test_prtee_subscales_each_fill_from_their_own_items():
    # Pain 4 answered of 5 (the clinic lowered the minimum), all 10 → 50; function all 0.
    given_answers = full("prtee", P=[10] * 5, F=[0] * 10) | {"P5": None}
    result = score("prtee", given_answers, min_answered={"pain": 4})
    assert result.value("pain") == D(50)
    assert result.value("total") == D(50)


def test_every_rule_states_its_missing_item_source():
    for instrument in INSTRUMENTS.values():
        assert instrument.missing.source, instrument.code
        assert instrument.missing.text, instrument.code


def test_the_clinic_can_set_its_own_minimum():
    given_answers = every("dash", 3) | {f"Q{n}": None for n in range(1, 5)}  # 26 of 30
    with pytest.raises(ScoringError, match="26 of 30 items answered; at least 27"):
        score("dash", given_answers)
    result = score("dash", given_answers, min_answered={"disability": 25})
    assert result.value("disability") == D(50)
    with pytest.raises(ScoringError, match="minimum answered must be 1 to 30"):
        score("dash", every("dash", 3), min_answered={"disability": 31})


def test_psfs_needs_three_activities():
    with pytest.raises(ScoringError, match="2 of 5 items answered; at least 3"):
        score("psfs", {"activity1": 5, "activity2": 6})


# --- Refused answers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "item_id"), [(code, item.id) for code, i in INSTRUMENTS.items() for item in i.items]
)
def test_every_refusal_names_the_item_and_exactly_its_allowed_answers(code, item_id):
    item = INSTRUMENTS[code].item(item_id)
    with pytest.raises(ScoringError) as caught:
        score(code, {item_id: item.high + 1})
    message = str(caught.value)
    assert f"item {item_id}: " in message
    values = sorted(item.values)
    if values == list(range(item.low, item.high + 1)):
        assert f"a whole number from {item.low} to {item.high}" in message
    else:
        assert ", ".join(map(str, values[:-1])) + f" or {values[-1]}" in message


@pytest.mark.parametrize(
    ("code", "given_answers", "message"),
    [
        ("pain_nrs", {"pain": 11}, "item pain: 11 is not an allowed answer"),
        ("pain_nrs", {"pain": -1}, "item pain: -1"),
        ("pain_vas", {"pain": 101}, "item pain: 101"),
        ("koos", every("koos", 0) | {"P3": 5}, "item P3: 5 is not an allowed answer"),
        (
            "dash",
            every("dash", 1) | {"Q7": 0},
            "item Q7: 0 is not an allowed answer; give a whole number from 1 to 5",
        ),
        (
            "visa_a",
            every("visa_a", 0) | {"Q7": 5},
            "item Q7: 5 is not an allowed answer; give 0, 4, 7 or 10",
        ),
        ("visa_a", every("visa_a", 0) | {"Q8": 31}, "item Q8: 31 .* from 0 to 30"),
        ("visa_a", every("visa_a", 0) | {"Q1": 11}, "item Q1: 11 .* from 0 to 10"),
        ("odi", every("odi", 0) | {"S1": 6}, "item S1: 6"),
        ("pain_nrs", {"pain": True}, "item pain: True"),
        ("pain_nrs", {"pain": "3"}, "item pain: '3'"),
        ("pain_nrs", {"pain": 3, "extra": 1}, "there is no item 'extra'; its items are pain"),
        ("womac", {"P6": 1}, "there is no item 'P6'; its items are P1–P5, S1–S2, F1–F17"),
    ],
)
def test_it_refuses_answers_that_are_not_options(code, given_answers, message):
    with pytest.raises(ScoringError, match=message):
        score(code, given_answers)


# --- Property ----------------------------------------------------------------------------------


@st.composite
def complete_answer_sets(draw: st.DrawFn) -> tuple[Instrument, dict[str, int]]:
    instrument = draw(st.sampled_from(list(INSTRUMENTS.values())))
    chosen = {item.id: draw(st.sampled_from(sorted(item.values))) for item in instrument.items}
    return instrument, chosen


@given(complete_answer_sets())
def test_any_complete_answer_set_scores_within_range(case):
    instrument, chosen = case
    result = score(instrument, chosen)
    assert result.missing == ()
    for spec in instrument.scores:
        assert spec.low <= result.value(spec.key) <= spec.high, spec.key
        assert spec.low <= result.score(spec.key).exact <= spec.high, spec.key
