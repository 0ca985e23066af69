"""One way to show a mix, for the calculator page, the session and the command line alike.

Rows of text built from a Mix (safety/compounding.py): what to draw up, what the mix contains
with the formula and source of each figure, and the warnings it carries. Printed parts add up
to the printed total (largest-remainder rounding, docs/compounding.md "Rounding").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from prolo.clinic.models.safety import Allergen
from prolo.clinic.safety.compounding import (
    PERCENT_PLACES,
    ZERO,
    AgentDose,
    Mix,
    ml,
    num,
    osmolarity_text,
    ratio,
)

FORMULAS = {
    "volume": "stock mL = final mL × target % ÷ stock %; the diluent takes the rest "
    "(C1·V1 = C2·V2, domain notes §2.3)",
    "dextrose": "dextrose g = mL × % ÷ 100; percent is weight/volume, D50 = 50 g per 100 mL [R20]",
    "anaesthetic": "mg = mL × % × 10; lidocaine 1% = 10 mg/mL [R22]",
    "active": "g = mL × % ÷ 100 (percent is weight/volume), summed over the stocks that hold it",
    "epinephrine": "µg/mL = Σ mL × the stock's µg/mL ÷ final mL; 1:N = 1,000,000 ÷ N µg/mL "
    "(1:200,000 = 5 µg/mL)",
    "osmolarity": "Σ share of the volume × the stock's label osmolarity (domain notes §2.1)",
}


@dataclass(frozen=True)
class Row:
    """A line of a result table, as text."""

    name: str
    target: str
    achieved: str
    amount: str
    source: str


def percent(value: Decimal) -> str:
    return f"{num(value.quantize(PERCENT_PLACES, ROUND_HALF_UP))}%"


def weight(value: Decimal | None, unit: str) -> str:
    """Grams or mg to 0.001, rounded half up like every other printed number."""
    return (
        f"{num(value.quantize(PERCENT_PLACES, ROUND_HALF_UP))} {unit}" if value is not None else "—"
    )


def apportion(values: Sequence[Decimal], step: Decimal) -> list[Decimal]:
    """`values` rounded to `step` so that they add up to their total rounded to `step`
    (largest remainder): printed parts then always sum to the printed total."""
    total = sum(values, ZERO)
    target = (total / step).to_integral_value(ROUND_HALF_UP)
    floors = [(v / step).to_integral_value(ROUND_FLOOR) for v in values]
    order = sorted(range(len(values)), key=lambda k: values[k] / step - floors[k], reverse=True)
    for k in order[: max(int(target - sum(floors, ZERO)), 0)]:
        floors[k] += 1
    return [f * step for f in floors]


SHARE_STEP = Decimal("0.1")


def ingredient_rows(mix: Mix) -> list[Row]:
    """Each stock: what to draw up (achieved = the volume, target = the exact volume)."""
    rows = []
    shares = apportion([mix.share(i) for i in mix.ingredients], SHARE_STEP)
    drawn_ml = apportion([i.volume_ml for i in mix.ingredients], Decimal("0.01"))
    for i, share, volume in zip(mix.ingredients, shares, drawn_ml, strict=True):
        exact = ml(i.exact_ml) if i.exact_ml is not None else "—"
        if mix.final_volume_ml is not None:
            drawn = ml(volume)
        else:
            parts = i.amount if i.amount is not None else i.volume_ml
            drawn = f"{num(parts)} part{'' if parts == 1 else 's'}"
        flag = " (rounded down to fit)" if i.rounded_down else ""
        rows.append(Row(i.stock.name, exact, f"{drawn}{flag}", f"{num(share)}%", i.stock.source))
    return rows


def content_rows(mix: Mix) -> list[Row]:
    """What the mix contains: dextrose (when it has any), each anaesthetic, every other active, epinephrine and
    the estimated osmolarity."""
    target = mix.target_dextrose_percent
    rows = []
    if mix.dextrose_percent or target:  # a mix without dextrose has no "Dextrose 0%" row
        rows.append(
            Row(
                "Dextrose",
                f"{num(target)}%" if target is not None else "—",
                percent(mix.dextrose_percent),
                weight(mix.dextrose_g, "g") if mix.final_volume_ml is not None else "—",
                FORMULAS["dextrose"],
            )
        )
    for dose in mix.anaesthetics:
        rows.append(
            Row(
                dose.label + _limit_label(mix, dose),
                f"{num(dose.target_percent)}%" if dose.target_percent is not None else "—",
                percent(dose.percent),
                weight(dose.mg, "mg"),
                FORMULAS["anaesthetic"],
            )
        )
    for active in mix.actives:
        rows.append(
            Row(
                active.name[:1].upper() + active.name[1:],
                "—",
                percent(active.percent),
                weight(active.grams, "g"),
                FORMULAS["active"],
            )
        )
    if mix.epinephrine:
        rows.append(_epinephrine_row(mix))
    zero = mix.zero_osmolarity
    counted = f"; counted as 0 mOsm/L: {', '.join(zero)}" if zero else ""
    rows.append(
        Row(
            "Osmolarity (estimate)",
            "—",
            osmolarity_text(mix.osmolarity, zero),
            "—",
            FORMULAS["osmolarity"] + counted,
        )
    )
    return rows


def _limit_label(mix: Mix, dose: AgentDose) -> str:
    if dose.epinephrine:
        return " with epinephrine"
    return " (plain limit)" if mix.epinephrine else ""


def _ug(value: Decimal) -> str:
    return num(value.quantize(PERCENT_PLACES, ROUND_HALF_UP))


def _epinephrine_row(mix: Mix) -> Row:
    ug = mix.epinephrine_ug_per_ml or ZERO
    strength = f"{_ug(ug)} µg/mL ({ratio(ug)})" if ug else "not known"
    unknown = mix.epinephrine_unknown
    missing = (
        f"; strength not recorded on the stock, not counted: {', '.join(unknown)}"
        if unknown
        else ""
    )
    total = f"{_ug(ug * mix.final_volume_ml)} µg" if mix.final_volume_ml is not None and ug else "—"
    return Row("Epinephrine", "—", strength, total, FORMULAS["epinephrine"] + missing)


EPINEPHRINE_THRESHOLD_SOURCE = (
    "a mix more dilute than this is judged against the plain limit: the with-epinephrine limits "
    "were labelled for 1:200,000 (bupivacaine [R46][R47]); the threshold itself is not in the "
    "domain notes: unverified, a clinic setting"
)


def flags(mix: Mix) -> list[str]:
    """The warnings a mix carries, in words."""
    found = []
    if mix.high_risk:
        names = ", ".join(i.stock.name for i in mix.ingredients if i.stock.high_risk)
        found.append(f"High-risk ingredient: {names}. Specialist use only.")
    if mix.benzyl_alcohol:
        found.append(
            "Contains benzyl alcohol: never at spinal, epidural or caudal sites, never for "
            "neonates [R26][R27]."
        )
    if mix.epinephrine:
        found.append("Contains epinephrine (and sulfite) [R22].")
        for dose in mix.anaesthetics:
            found.append(f"{dose.label}: {dose.reason} [R44][R45].")
        found.append(
            f"Epinephrine threshold 1:{mix.epinephrine_min_ratio:,}: "
            f"{EPINEPHRINE_THRESHOLD_SOURCE}."
        )
    if mix.allergens:
        labels = ", ".join(str(Allergen(a).label) for a in mix.allergens)
        found.append(f"Contains, for allergy checks: {labels}.")
    return found
