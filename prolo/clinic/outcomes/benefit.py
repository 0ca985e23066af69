"""Benefit: direction-aware change from baseline, responder status, and a Wilson interval.

    change       = follow-up − baseline                      (as the scale reads)
    improvement  = change × (+1 if higher is better, −1 if higher is worse)
    improved     when improvement ≥ MCID points, or ≥ MCID % of the baseline where the
                 instrument has one (pain NRS: 2 points or 30%, Farrar 2001 [R69])
    worse        the same thresholds in the other direction
    unchanged    otherwise

The % rule needs a baseline other than 0; with a baseline of 0 only the points rule applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum

from .instruments import Direction, Instrument, Mcid

HUNDRED = Decimal(100)
Z_95 = Decimal("1.959963984540054")  # the two-sided 95% normal quantile


class Responder(StrEnum):
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSE = "worse"


@dataclass(frozen=True)
class Change:
    baseline: Decimal
    follow_up: Decimal
    direction: Direction
    change: Decimal  # follow-up − baseline, as the scale reads
    improvement: Decimal  # positive = the patient is better, whatever the direction
    improvement_percent: Decimal | None  # of the baseline; None when the baseline is 0


def change(baseline: Decimal, follow_up: Decimal, direction: Direction) -> Change:
    delta = follow_up - baseline
    improvement = delta if direction == Direction.HIGHER_IS_BETTER else -delta
    percent = None if baseline == 0 else improvement / abs(baseline) * HUNDRED
    return Change(baseline, follow_up, direction, delta, improvement, percent)


def classify(moved: Change, mcid: Mcid) -> Responder:
    """Improved, unchanged or worse by the MCID (points, or % of the baseline if it has one)."""
    if _reaches(moved.improvement, moved.improvement_percent, mcid):
        return Responder.IMPROVED
    negated = None if moved.improvement_percent is None else -moved.improvement_percent
    if _reaches(-moved.improvement, negated, mcid):
        return Responder.WORSE
    return Responder.UNCHANGED


def _reaches(points: Decimal, percent: Decimal | None, mcid: Mcid) -> bool:
    if points >= mcid.points:
        return True
    return mcid.percent is not None and percent is not None and percent >= mcid.percent


@dataclass(frozen=True)
class Benefit:
    change: Change
    responder: Responder
    mcid: Mcid


def benefit(
    instrument: Instrument,
    baseline: Decimal,
    follow_up: Decimal,
    *,
    score_key: str | None = None,
    mcid: Mcid | None = None,
) -> Benefit:
    """Change and responder status for one score (the headline score unless `score_key`).

    `mcid` overrides the instrument's; a score with no MCID raises ValueError.
    """
    spec = instrument.scores[0] if score_key is None else instrument.score_spec(score_key)
    threshold = mcid or spec.mcid
    if threshold is None:
        raise ValueError(f"{instrument.name} {spec.name}: no MCID is set for this score.")
    moved = change(baseline, follow_up, instrument.direction)
    return Benefit(moved, classify(moved, threshold), threshold)


@dataclass(frozen=True)
class Interval:
    successes: int
    total: int
    rate: Decimal
    low: Decimal
    high: Decimal


def wilson(successes: int, total: int, z: Decimal = Z_95) -> Interval:
    """The Wilson score interval for a proportion (95% by default): e.g. responders / treated."""
    if total <= 0 or not 0 <= successes <= total:
        raise ValueError("Need 0 ≤ successes ≤ total and total > 0.")
    with localcontext() as ctx:
        ctx.prec = 28
        n = Decimal(total)
        p = Decimal(successes) / n
        z2 = z * z
        denominator = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denominator
        half = z * (p * (1 - p) / n + z2 / (4 * n * n)).sqrt() / denominator
        low = max(Decimal(0), centre - half)
        high = min(Decimal(1), centre + half)
    return Interval(successes, total, p, low, high)
