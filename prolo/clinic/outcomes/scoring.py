"""Scoring rules: raw answers in, exact scores out, with the rule version used.

Each rule works from the mean of the answered items of a subscale, so a complete answer set
gives the published formula exactly and an allowed gap is filled with the mean of its *own*
subscale (never the mean over every answered item: the manuals impute within the subscale):

    single          the one answer                                  (pain NRS, pain VAS)
    psfs            mean of the 3–5 activities rated
    koos            100 − mean × 25, per subscale                   (100 = no problems)
    womac           mean × 25 per subscale (= raw ÷ max × 100); total = the filled
                    subscales' sums ÷ 96 × 100
    dash            (mean − 1) × 25                                 (DASH, QuickDASH)
    odi             sum ÷ (5 × sections answered) × 100 = mean × 20
    sum             sum of the items, prorated by count ÷ answered  (VISA-A)
    prtee           pain = sum (0–50); function = sum ÷ 2 (0–50); total = pain + function
    percent_of_max  per subscale sum ÷ (10 × answered) × 100; total = the filled subscales'
                    sums ÷ (10 × items) × 100                       (FFI, SPADI)

Arithmetic is in Fraction, so nothing is lost; the Decimal shown is rounded half-up to two
places and the exact Fraction is kept beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .instruments import INSTRUMENTS, Instrument, Subscale

PLACES = Decimal("0.01")

# Bump a rule's version whenever its arithmetic changes: stored scores name the version.
RULE_VERSIONS = {
    "single": "1",
    "psfs": "1",
    "koos": "1",
    "womac": "2",  # 2: a missing item takes its own subscale's mean in the total
    "dash": "1",
    "odi": "1",
    "sum": "1",
    "prtee": "1",
    "percent_of_max": "2",  # 2: as womac/2
}

Answers = Mapping[str, int | None]


class ScoringError(ValueError):
    """An answer set that cannot be scored; the message names the item or subscale.

    `field` is the item id, or the subscale key when too few of its items are answered.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Score:
    key: str
    value: Decimal  # rounded half-up to 2 places, for display and storage
    exact: Fraction


@dataclass(frozen=True)
class Result:
    instrument: str
    rule_version: str
    scores: tuple[Score, ...]
    answered: int
    missing: tuple[str, ...]  # item ids left unanswered

    def value(self, key: str) -> Decimal:
        return self.score(key).value

    def score(self, key: str) -> Score:
        for score in self.scores:
            if score.key == key:
                return score
        raise KeyError(key)

    def as_dict(self) -> dict[str, Decimal]:
        return {score.key: score.value for score in self.scores}


def to_decimal(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(PLACES, rounding=ROUND_HALF_UP)


def rule_version(instrument: Instrument) -> str:
    """'quickdash:dash/1': the instrument, the rule and the rule's version."""
    return f"{instrument.code}:{instrument.rule}/{RULE_VERSIONS[instrument.rule]}"


def validate(instrument: Instrument, answers: Answers) -> dict[str, int]:
    """The answered items, checked: every id known, every value one of the item's options."""
    known = {item.id: item for item in instrument.items}
    given: dict[str, int] = {}
    for item_id, value in answers.items():
        item = known.get(item_id)
        if item is None:
            raise ScoringError(
                f"{instrument.name}: there is no item {item_id!r}; its items are "
                f"{item_ids_text(instrument)}.",
                field=str(item_id),
            )
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value not in item.values:
            raise ScoringError(
                f"{instrument.name} item {item_id}: {value!r} is not an allowed answer; "
                f"give {item.allowed}, or leave it blank.",
                field=item_id,
            )
        given[item_id] = value
    return given


def item_ids_text(instrument: Instrument) -> str:
    """'P1–P5, S1–S2, F1–F17': the item ids by subscale, for an error message."""
    runs = []
    for subscale in instrument.subscales:
        first, last = subscale.item_ids[0], subscale.item_ids[-1]
        runs.append(first if first == last else f"{first}–{last}")
    return ", ".join(runs)


def minimum(subscale: Subscale, overrides: Mapping[str, int] | None) -> int:
    wanted = (overrides or {}).get(subscale.key, subscale.min_answered)
    if not 1 <= wanted <= len(subscale.item_ids):
        raise ScoringError(
            f"{subscale.name}: the minimum answered must be 1 to {len(subscale.item_ids)}.",
            field=subscale.key,
        )
    return wanted


def subscale_values(
    instrument: Instrument, given: dict[str, int], overrides: Mapping[str, int] | None
) -> dict[str, list[int]]:
    """Each subscale's answered values, once it has passed its missing-item rule."""
    out = {}
    for subscale in instrument.subscales:
        values = [given[i] for i in subscale.item_ids if i in given]
        needed = minimum(subscale, overrides)
        if len(values) < needed:
            raise ScoringError(
                f"{instrument.name} {subscale.name}: {len(values)} of "
                f"{len(subscale.item_ids)} items answered; at least {needed} are needed.",
                field=subscale.key,
            )
        out[subscale.key] = values
    return out


def mean(values: list[int]) -> Fraction:
    return Fraction(sum(values), len(values))


def filled_sum(instrument: Instrument, parts: dict[str, list[int]]) -> Fraction:
    """The sum over every item, each missing item taking the mean of its own subscale."""
    sizes = {subscale.key: len(subscale.item_ids) for subscale in instrument.subscales}
    return sum((mean(values) * sizes[key] for key, values in parts.items()), Fraction(0))


def rule_single(instrument: Instrument, parts: dict[str, list[int]]) -> dict[str, Fraction]:
    (key, values), *_ = parts.items()
    return {key: Fraction(values[0])}


def rule_psfs(instrument: Instrument, parts: dict[str, list[int]]) -> dict[str, Fraction]:
    return {"mean": mean(parts["activities"])}


def rule_koos(instrument: Instrument, parts: dict[str, list[int]]) -> dict[str, Fraction]:
    return {key: 100 - mean(values) * 25 for key, values in parts.items()}


def rule_womac(instrument: Instrument, parts: dict[str, list[int]]) -> dict[str, Fraction]:
    scores = {key: mean(values) * 25 for key, values in parts.items()}
    return {"total": filled_sum(instrument, parts) * 25 / len(instrument.items), **scores}


def rule_dash(instrument: Instrument, parts: dict[str, list[int]]) -> dict[str, Fraction]:
    return {"disability": (mean(parts["disability"]) - 1) * 25}


def rule_odi(instrument: Instrument, parts: dict[str, list[int]]) -> dict[str, Fraction]:
    values = parts["disability"]
    return {"percent": Fraction(sum(values), 5 * len(values)) * 100}


def rule_sum(instrument: Instrument, parts: dict[str, list[int]]) -> dict[str, Fraction]:
    (key, values), *_ = parts.items()
    return {key: mean(values) * len(instrument.subscales[0].item_ids)}


def rule_prtee(instrument: Instrument, parts: dict[str, list[int]]) -> dict[str, Fraction]:
    pain = mean(parts["pain"]) * 5  # 5 items, summed: 0–50
    function = mean(parts["function"]) * 10 / 2  # 10 items, summed then halved: 0–50
    return {"total": pain + function, "pain": pain, "function": function}


def rule_percent_of_max(instrument: Instrument, parts: dict[str, list[int]]) -> dict[str, Fraction]:
    scores = {key: mean(values) * 10 for key, values in parts.items()}
    return {"total": filled_sum(instrument, parts) * 10 / len(instrument.items), **scores}


RULES: dict[str, Callable[[Instrument, dict[str, list[int]]], dict[str, Fraction]]] = {
    "single": rule_single,
    "psfs": rule_psfs,
    "koos": rule_koos,
    "womac": rule_womac,
    "dash": rule_dash,
    "odi": rule_odi,
    "sum": rule_sum,
    "prtee": rule_prtee,
    "percent_of_max": rule_percent_of_max,
}


def score(
    instrument: Instrument | str,
    answers: Answers,
    *,
    min_answered: Mapping[str, int] | None = None,
) -> Result:
    """Score one completed questionnaire.

    `min_answered` overrides the instrument's missing-item minimum per subscale key (the
    defaults are mostly unverified: see each instrument's `missing`). Raises ScoringError for
    an unknown item, an answer that is not an option, or too many items missing.
    """
    if isinstance(instrument, str):
        instrument = INSTRUMENTS[instrument]
    given = validate(instrument, answers)
    parts = subscale_values(instrument, given, min_answered)
    exact = RULES[instrument.rule](instrument, parts)
    scores = tuple(
        Score(spec.key, to_decimal(exact[spec.key]), exact[spec.key]) for spec in instrument.scores
    )
    return Result(
        instrument=instrument.code,
        rule_version=rule_version(instrument),
        scores=scores,
        answered=len(given),
        missing=tuple(item.id for item in instrument.items if item.id not in given),
    )
