"""Benefit (outcomes/benefit.py): direction-aware change, responder status by the MCID, the
pain NRS 2-point-or-30% rule, and the Wilson interval."""

from __future__ import annotations

from decimal import Decimal

import pytest

from prolo.clinic.outcomes.benefit import Responder, benefit, change, wilson
from prolo.clinic.outcomes.instruments import (
    INSTRUMENTS,
    KOOS,
    PAIN_NRS,
    VISA_A,
    WOMAC,
    Direction,
    Mcid,
)

D = Decimal


def test_a_fall_is_an_improvement_when_higher_is_worse():
    moved = change(D(6), D(2), Direction.HIGHER_IS_WORSE)
    assert moved.change == D(-4)
    assert moved.improvement == D(4)
    assert moved.improvement_percent == D(4) / D(6) * 100


def test_a_rise_is_an_improvement_when_higher_is_better():
    moved = change(D(40), D(60), Direction.HIGHER_IS_BETTER)
    assert moved.change == D(20)
    assert moved.improvement == D(20)
    assert moved.improvement_percent == D(50)


def test_a_zero_baseline_has_no_percent():
    assert change(D(0), D(3), Direction.HIGHER_IS_WORSE).improvement_percent is None


@pytest.mark.parametrize(
    ("baseline", "follow_up", "expected"),
    [
        (3, 1, Responder.IMPROVED),  # 2 points
        (10, 7, Responder.IMPROVED),  # 3 points, 30%
        (3, 2, Responder.IMPROVED),  # 1 point, but 33% of the baseline
        (5, 4, Responder.UNCHANGED),  # 1 point, 20%
        (10, 9, Responder.UNCHANGED),  # 1 point, 10%
        (4, 4, Responder.UNCHANGED),
        (4, 6, Responder.WORSE),  # 2 points up
        (3, 4, Responder.WORSE),  # 1 point up, 33% of the baseline
        (0, 1, Responder.UNCHANGED),  # no % from a zero baseline
        (0, 2, Responder.WORSE),
    ],
)
def test_pain_nrs_responds_by_two_points_or_thirty_percent(baseline, follow_up, expected):
    assert benefit(PAIN_NRS, D(baseline), D(follow_up)).responder == expected


@pytest.mark.parametrize(
    ("baseline", "follow_up", "expected"),
    [
        (D(50), D(58), Responder.IMPROVED),  # +8 on a higher-is-better scale
        (D(50), D("57.99"), Responder.UNCHANGED),
        (D(50), D(42), Responder.WORSE),
    ],
)
def test_koos_responds_upwards(baseline, follow_up, expected):
    result = benefit(KOOS, baseline, follow_up, score_key="pain")
    assert result.responder == expected
    assert result.mcid.unverified  # 8–10 points, Roos & Lohmander, not retrieved


@pytest.mark.parametrize(
    ("baseline", "follow_up", "expected"),
    [
        (D(60), D("50.3"), Responder.IMPROVED),  # pain falls 9.7
        (D(60), D("50.4"), Responder.UNCHANGED),
        (D(60), D("69.7"), Responder.WORSE),
    ],
)
def test_womac_pain_responds_downwards(baseline, follow_up, expected):
    assert benefit(WOMAC, baseline, follow_up, score_key="pain").responder == expected


def test_visa_a_uses_its_twenty_points():
    assert benefit(VISA_A, D(40), D(60)).responder == Responder.IMPROVED
    assert benefit(VISA_A, D(40), D(59)).responder == Responder.UNCHANGED


def test_the_clinic_can_use_its_own_mcid():
    own = Mcid(D(5), "this clinic's threshold", unverified=True)
    assert benefit(KOOS, D(50), D(55), score_key="qol", mcid=own).responder == Responder.IMPROVED


def test_a_score_without_an_mcid_is_refused():
    with pytest.raises(ValueError, match="no MCID is set"):
        benefit(WOMAC, D(50), D(20), score_key="total")
    with pytest.raises(ValueError, match="no MCID is set"):
        benefit(INSTRUMENTS["ffi"], D(50), D(20))


@pytest.mark.parametrize(
    ("successes", "total", "low", "high"),
    [
        (8, 10, "0.490", "0.943"),
        (0, 10, "0.000", "0.278"),
        (10, 10, "0.722", "1.000"),
        (50, 100, "0.404", "0.596"),
        (1, 1, "0.207", "1.000"),
    ],
)
def test_wilson_interval_known_values(successes, total, low, high):
    interval = wilson(successes, total)
    assert interval.low.quantize(D("0.001")) == D(low)
    assert interval.high.quantize(D("0.001")) == D(high)
    assert interval.rate == D(successes) / D(total)


@pytest.mark.parametrize(("successes", "total"), [(1, 0), (-1, 5), (6, 5)])
def test_wilson_refuses_impossible_counts(successes, total):
    with pytest.raises(ValueError, match="successes"):
        wilson(successes, total)
