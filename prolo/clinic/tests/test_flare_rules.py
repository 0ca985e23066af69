"""The flare diary's flag rules: an expected flare, or a day that needs review."""

from __future__ import annotations

import pytest

from prolo.clinic.outcomes.flare import FLAGS, NOT_FROM_A_SOURCE, Day, flags_for


def _keys(day: Day, *, spinal=False, thoracic=False, flare_max_days=7, earlier=()) -> list[str]:
    return [
        f.key
        for f in flags_for(
            day,
            spinal=spinal,
            thoracic=thoracic,
            flare_max_days=flare_max_days,
            earlier_pain=earlier,
        )
    ]


@pytest.mark.parametrize(
    ("day", "site", "expected"),
    [
        (Day(day=1, pain=7), {}, []),
        (Day(day=1, pain=8), {}, ["severe_pain"]),
        (Day(day=1, pain=10), {}, ["severe_pain"]),
        (Day(day=2, pain=3, fever=True), {}, ["fever"]),
        (Day(day=2, pain=3, redness_or_drainage=True), {}, ["redness_or_drainage"]),
        (Day(day=2, pain=3, numbness_or_weakness=True), {}, ["numbness_or_weakness"]),
        (Day(day=2, pain=3, severe_headache=True), {}, []),
        (Day(day=2, pain=3, severe_headache=True), {"spinal": True}, ["spinal_headache"]),
        (Day(day=2, pain=3, severe_headache=True), {"thoracic": True}, []),
        (Day(day=2, pain=3, breathlessness=True), {}, []),
        (Day(day=2, pain=3, breathlessness=True), {"thoracic": True}, ["breathlessness"]),
        (Day(day=2, pain=3, breathlessness=True), {"spinal": True}, []),
        (
            Day(day=3, pain=9, fever=True, redness_or_drainage=True),
            {},
            ["severe_pain", "fever", "redness_or_drainage"],
        ),
    ],
)
def test_each_symptom_flags_as_the_return_precautions_say(day, site, expected):
    assert _keys(day, **site) == expected


def test_pain_at_the_flare_limit_not_lower_than_day_one_is_still_flaring():
    assert _keys(Day(day=7, pain=5), earlier=[(1, 5), (3, 6)]) == ["still_flaring"]


def test_pain_at_the_flare_limit_lower_than_day_one_is_an_expected_flare():
    assert _keys(Day(day=7, pain=4), earlier=[(1, 6)]) == []


def test_mild_pain_at_the_flare_limit_is_an_expected_flare():
    assert _keys(Day(day=7, pain=3), earlier=[(1, 3)]) == []


def test_pain_before_the_flare_limit_is_not_still_flaring():
    assert _keys(Day(day=4, pain=6), earlier=[(1, 5)]) == []


def test_a_clinic_with_a_shorter_flare_limit_flags_earlier():
    assert _keys(Day(day=4, pain=6), flare_max_days=4, earlier=[(1, 5)]) == ["still_flaring"]


def test_the_pain_thresholds_say_they_are_not_from_a_source():
    assert NOT_FROM_A_SOURCE in FLAGS["severe_pain"].text
    assert FLAGS["severe_pain"].sources == ()


def test_the_symptom_flags_cite_the_return_precautions():
    for key in ("fever", "redness_or_drainage", "spinal_headache", "breathlessness"):
        assert FLAGS[key].sources == ("R103", "R109")
