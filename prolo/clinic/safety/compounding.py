"""How much of each stock goes into a syringe, and what a written recipe contains.

Pure Decimal arithmetic, no database: the calculator page, the session's draw-up step and
`manage.py compound` all call these two functions. The formulas and their sources are in
docs/compounding.md:

- volume of a stock = final volume × target % / stock % (C1·V1 = C2·V2, domain notes §2.3);
- the diluent is what is left, and is never negative: a request fits only if the sum of
  target % / stock % over the ingredients is at most 1, whatever the final volume;
- anaesthetic mg = mL × % × 10, dextrose g = mL × % / 100 (percent is w/v, [R20][R22]);
- estimated osmolarity = Σ volume fraction × the stock's label osmolarity (§2.1);
- every other active (phenol, glycerin, sodium morrhuate …) and epinephrine: Σ volume × the
  stock's strength ÷ final volume, like dextrose; epinephrine 1:N is 1,000,000 ÷ N µg/mL.

An agent counts as "with epinephrine" (the higher dose limit) only when every mg of it came from
a stock with epinephrine and the mix holds at least the clinic's epinephrine threshold
(docs/compounding.md, "Epinephrine").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Literal, Protocol

from prolo.clinic.models.safety import Allergen, StockKind
from prolo.clinic.models.sessions import Anaesthetic, Diluent
from prolo.clinic.safety.dosing import MG_PER_ML_PER_PERCENT, mg_from_ml

NONE = Anaesthetic.NONE.value
BENZYL_ALCOHOL = Allergen.BENZYL_ALCOHOL.value
ZERO = Decimal(0)
PERCENT_PLACES = Decimal("0.001")  # as Syringe.dextrose_percent stores it
# What as_dict says of its numbers (volumes are as drawn up; the rest is rounded by _s).
ROUNDING_NOTE = (
    "volumes and amounts as drawn up or written; percentages, grams, mg and µg/mL rounded half "
    "up to 0.001; osmolarity rounded half up to a whole mOsm/L"
)
# Bounds that keep the arithmetic exact, not clinical limits.
MAX_VOLUME_ML = Decimal(1000)
MIN_PRECISION_ML = Decimal("0.001")
UG_PER_ML_AT_1_TO_1 = Decimal(1_000_000)  # epinephrine 1:N (g per mL) is 1,000,000 ÷ N µg/mL
# Below this a diluted epinephrine mix is judged against the plain limit: ClinicSettings.
# epinephrine_min_ratio holds each clinic's own value (unverified; docs/compounding.md).
DEFAULT_EPINEPHRINE_MIN_RATIO = 400_000


class StockLike(Protocol):
    """What compounding needs of a stock: a StockProduct row or a catalogue Stock."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def dextrose_percent(self) -> Decimal: ...
    @property
    def anaesthetic(self) -> str: ...
    @property
    def anaesthetic_percent(self) -> Decimal: ...
    @property
    def epinephrine(self) -> bool: ...
    @property
    def epinephrine_ratio(self) -> int | None: ...  # the N of "epinephrine 1:N"
    @property
    def actives(self) -> Any: ...  # other actives: [{"name", "percent"}] or ((name, percent),)
    @property
    def osmolarity(self) -> int: ...
    @property
    def allergens(self) -> Any: ...  # a sequence of Allergen values
    @property
    def high_risk(self) -> bool: ...
    @property
    def source(self) -> str: ...


class CompoundingError(ValueError):
    """A request that cannot be made up: the message says why and what would work.

    `field` names the input at fault (final_volume_ml, precision_ml, target_dextrose_percent,
    dextrose_stock, anaesthetic_stock, target_anaesthetic_percent, diluent_stock, recipe), or
    is None when the combination is at fault; `index` is the anaesthetic's position.
    """

    def __init__(self, message: str, field: str | None = None, index: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.index = index


@dataclass(frozen=True)
class Ingredient:
    stock: StockLike
    volume_ml: Decimal  # what is drawn up (rounded to the syringe precision)
    exact_ml: Decimal | None = None  # before rounding; None for a written recipe
    rounded_down: bool = False  # rounded down, not to nearest, so the syringe fits
    amount: Decimal | None = None  # as the recipe gave it, in its unit


@dataclass(frozen=True)
class AgentDose:
    agent: str
    percent: Decimal  # achieved, after rounding
    mg: Decimal | None  # None when a recipe in parts has no final volume
    epinephrine: bool  # judged: the with-epinephrine limit applies to this agent
    target_percent: Decimal | None = None
    reason: str = ""  # why it counts as with epinephrine or plain, when the mix has any

    @property
    def label(self) -> str:
        return str(Anaesthetic(self.agent).label)


@dataclass(frozen=True)
class ActiveDose:
    """An active other than dextrose and the anaesthetics: phenol, glycerin, a sclerosant."""

    name: str
    percent: Decimal  # w/v in the mix
    grams: Decimal | None  # None when a recipe in parts has no final volume


@dataclass(frozen=True)
class Mix:
    """A syringe's contents: its ingredients and what the mix then contains."""

    final_volume_ml: Decimal | None
    ingredients: tuple[Ingredient, ...]
    dextrose_percent: Decimal
    dextrose_g: Decimal | None
    anaesthetics: tuple[AgentDose, ...]
    osmolarity: int
    zero_osmolarity: tuple[str, ...]  # what the osmolarity leaves out (osmolarity_not_counted)
    target_dextrose_percent: Decimal | None = None
    precision_ml: Decimal | None = None
    unit: Literal["ml", "parts"] = "ml"
    notes: tuple[str, ...] = field(default=())
    actives: tuple[ActiveDose, ...] = ()
    # Epinephrine in the mix, µg/mL; None when no stock has any. Stocks with epinephrine of
    # unrecorded strength add nothing here and are named in epinephrine_unknown.
    epinephrine_ug_per_ml: Decimal | None = None
    epinephrine_unknown: tuple[str, ...] = ()
    epinephrine_min_ratio: int = DEFAULT_EPINEPHRINE_MIN_RATIO

    @property
    def epinephrine(self) -> bool:
        """Whether the mix contains epinephrine (and so sulfite) at all."""
        return any(i.stock.epinephrine for i in self.ingredients)

    @property
    def benzyl_alcohol(self) -> bool:
        return any(BENZYL_ALCOHOL in i.stock.allergens for i in self.ingredients)

    @property
    def high_risk(self) -> bool:
        return any(i.stock.high_risk for i in self.ingredients)

    @property
    def allergens(self) -> list[str]:
        return sorted({a for i in self.ingredients for a in i.stock.allergens})

    def share(self, ingredient: Ingredient) -> Decimal:
        """The ingredient's share of the final volume, in percent."""
        total = sum((i.volume_ml for i in self.ingredients), ZERO)
        return ingredient.volume_ml * 100 / total if total else ZERO

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready; decimals as strings so nothing is lost to floating point."""
        return {
            "mode": "recipe" if self.target_dextrose_percent is None else "forward",
            "rounding": ROUNDING_NOTE,
            "unit": self.unit,
            "final_volume_ml": _s(self.final_volume_ml),
            "precision_ml": _s(self.precision_ml),
            "ingredients": [
                {
                    "stock": i.stock.name,
                    "kind": i.stock.kind,
                    "amount": _s(i.amount),
                    "exact_ml": _s(i.exact_ml),
                    "volume_ml": _s(i.volume_ml) if self.final_volume_ml is not None else None,
                    "percent_of_final": _s(self.share(i), PERCENT_PLACES),
                    "rounded_down": i.rounded_down,
                    "source": i.stock.source,
                }
                for i in self.ingredients
            ],
            "dextrose": {
                "target_percent": _s(self.target_dextrose_percent),
                "percent": _s(self.dextrose_percent, PERCENT_PLACES),
                "grams": _s(self.dextrose_g, PERCENT_PLACES),
            },
            "anaesthetics": [
                {
                    "agent": a.agent,
                    "target_percent": _s(a.target_percent),
                    "percent": _s(a.percent, PERCENT_PLACES),
                    "mg": _s(a.mg, PERCENT_PLACES),
                    "epinephrine": a.epinephrine,
                    "epinephrine_reason": a.reason or None,
                }
                for a in self.anaesthetics
            ],
            "actives": [
                {
                    "name": a.name,
                    "percent": _s(a.percent, PERCENT_PLACES),
                    "grams": _s(a.grams, PERCENT_PLACES),
                }
                for a in self.actives
            ],
            "epinephrine": self.epinephrine,
            "epinephrine_ug_per_ml": _s(self.epinephrine_ug_per_ml, PERCENT_PLACES),
            "epinephrine_ratio": ratio(self.epinephrine_ug_per_ml),
            "epinephrine_strength_unknown": list(self.epinephrine_unknown),
            "epinephrine_min_ratio": f"1:{self.epinephrine_min_ratio:,}",
            "benzyl_alcohol": self.benzyl_alcohol,
            "high_risk": self.high_risk,
            "allergens": self.allergens,
            "osmolarity_mosm_per_l": str(self.osmolarity),
            # A lower bound when something is left out (named in osmolarity_counted_as_zero).
            "osmolarity_is_lower_bound": bool(self.zero_osmolarity),
            "osmolarity_counted_as_zero": list(self.zero_osmolarity),
            "notes": list(self.notes),
        }


def _s(value: Decimal | None, places: Decimal | None = None) -> str | None:
    if value is None:
        return None
    if places is not None:
        value = value.quantize(places, ROUND_HALF_UP)
    return num(value)


def num(value: Decimal) -> str:
    """A decimal without trailing zeros or exponent: 15, 0.5, 2.25."""
    text = f"{value.normalize():f}"
    return "0" if text == "-0" else text


def ratio(ug_per_ml: Decimal | None) -> str | None:
    """Epinephrine µg/mL as a label writes it: 5 → "1:200,000" (to the nearest whole N)."""
    if not ug_per_ml:
        return None
    n = (UG_PER_ML_AT_1_TO_1 / ug_per_ml).to_integral_value(ROUND_HALF_UP)
    return f"1:{int(n):,}"


def ug_per_ml(epinephrine_ratio: int) -> Decimal:
    """Epinephrine 1:N as µg/mL: 1:100,000 → 10."""
    return UG_PER_ML_AT_1_TO_1 / epinephrine_ratio


def actives_of(stock: StockLike) -> tuple[tuple[str, Decimal], ...]:
    """A stock's other actives as (name, % w/v): from a StockProduct's list of
    {"name", "percent"} or a catalogue Stock's pairs."""
    found = []
    for item in getattr(stock, "actives", None) or ():
        name, strength = (item["name"], item["percent"]) if isinstance(item, Mapping) else item
        found.append((str(name), Decimal(str(strength))))
    return tuple(found)


def is_dextrose_stock(stock: StockLike) -> bool:
    """Dextrose and nothing else active: what a mix's dextrose may be measured from."""
    return (
        stock.dextrose_percent > 0
        and stock.anaesthetic == NONE
        and not stock.epinephrine
        and not actives_of(stock)
    )


def is_anaesthetic_stock(stock: StockLike) -> bool:
    """One local anaesthetic (with or without epinephrine) and nothing else active."""
    return (
        stock.anaesthetic != NONE
        and stock.anaesthetic_percent > 0
        and not stock.dextrose_percent
        and not actives_of(stock)
    )


def is_diluent(stock: StockLike) -> bool:
    """A diluent stock with nothing active in it: the one rule of the pages, the draw-up step
    and the command for what may make up the volume."""
    return (
        stock.kind == StockKind.DILUENT
        and not stock.dextrose_percent
        and stock.anaesthetic == NONE
        and not stock.epinephrine
        and not actives_of(stock)
    )


def ml(value: Decimal) -> str:
    """A volume as a syringe reads it: at least one decimal place (3.0, 0.25)."""
    text = num(value.quantize(Decimal("0.01"), ROUND_HALF_UP))
    return text if "." in text else f"{text}.0"


# Forward: final volume and target strengths → the volume of each stock.


@dataclass
class _Part:
    stock: StockLike
    role: str  # "dextrose" or "anaesthetic"
    target: Decimal
    strength: Decimal
    index: int = 0
    exact_f: Fraction = Fraction(0)  # exact volume: no rounding error in the fit checks
    rounded: Decimal = ZERO
    rounded_down: bool = False

    @property
    def exact(self) -> Decimal:
        return _dec(self.exact_f)

    def describe(self) -> str:
        if self.role == "dextrose":
            return f"{num(self.target)}% dextrose"
        return f"{_agent(self.stock)} {num(self.target)}%"


def compound(
    *,
    final_volume_ml: Decimal,
    target_dextrose_percent: Decimal,
    dextrose_stock: StockLike | None,
    anaesthetics: Sequence[tuple[StockLike, Decimal]] = (),
    diluent_stock: StockLike | None,
    precision_ml: Decimal = Decimal("0.1"),
    alternatives: Iterable[StockLike] = (),
    epinephrine_min_ratio: int = DEFAULT_EPINEPHRINE_MIN_RATIO,
) -> Mix:
    """The volume of each stock for a syringe of `final_volume_ml` at the target strengths.

    Volumes are rounded to the nearest `precision_ml` (half up); the diluent takes the rest,
    so the volumes add up to the final volume exactly. Should rounding overfill the syringe,
    the ingredient rounded up the most is rounded down instead (and marked). Raises
    CompoundingError, naming what would work (from `alternatives`, the catalogue), when the
    request cannot be made up.
    """
    volume = _positive(final_volume_ml, "final_volume_ml", "Final volume")
    precision = _positive(precision_ml, "precision_ml", "Syringe precision")
    if volume > MAX_VOLUME_ML:
        raise CompoundingError(
            f"Make at most {num(MAX_VOLUME_ML)} mL at a time.", "final_volume_ml"
        )
    if precision < MIN_PRECISION_ML:
        raise CompoundingError(
            f"No syringe measures finer than {num(MIN_PRECISION_ML)} mL.", "precision_ml"
        )
    if Fraction(volume) % Fraction(precision):
        raise CompoundingError(
            f"Give the final volume in steps of the syringe precision, {num(precision)} mL.",
            "final_volume_ml",
        )
    alternatives = list(alternatives)
    parts = _wanted(target_dextrose_percent, dextrose_stock, anaesthetics, alternatives)
    for part in parts:
        part.exact_f = Fraction(volume) * Fraction(part.target) / Fraction(part.strength)
    if sum((p.exact_f for p in parts), Fraction(0)) > volume:
        raise CompoundingError(_overfull(volume, parts, alternatives))
    _round(parts, volume, precision)
    rest = volume - sum((p.rounded for p in parts), ZERO)
    _check_diluent(diluent_stock, rest)
    ingredients = [Ingredient(p.stock, p.rounded, p.exact, p.rounded_down) for p in parts]
    if rest and diluent_stock is not None:
        ingredients.append(Ingredient(diluent_stock, rest, rest))
    targets = {p.stock.anaesthetic: p.target for p in parts if p.role == "anaesthetic"}
    notes = [
        f"{p.stock.name} is rounded down to {ml(p.rounded)} mL (from {ml(p.exact)}) so that "
        f"the syringe holds {ml(volume)} mL."
        for p in parts
        if p.rounded_down
    ]
    return _mix(
        volume,
        ingredients,
        target_dextrose=_decimal(target_dextrose_percent, "target_dextrose_percent"),
        anaesthetic_targets=targets,
        precision=precision,
        notes=notes,
        epinephrine_min_ratio=epinephrine_min_ratio,
    )


def _wanted(
    target_dextrose_percent: Decimal,
    dextrose_stock: StockLike | None,
    anaesthetics: Sequence[tuple[StockLike, Decimal]],
    alternatives: list[StockLike],
) -> list[_Part]:
    """The stocks to measure, each checked against its target; zero targets are left out."""
    parts = []
    dextrose = _decimal(target_dextrose_percent, "target_dextrose_percent")
    if dextrose < 0:
        raise CompoundingError("Dextrose cannot be below 0%.", "target_dextrose_percent")
    if dextrose > 0:
        if dextrose_stock is None:
            raise CompoundingError(
                f"Choose a dextrose stock to make {num(dextrose)}% dextrose.", "dextrose_stock"
            )
        _check_role(dextrose_stock, "dextrose", "dextrose_stock")
        strength = dextrose_stock.dextrose_percent
        parts.append(_part(dextrose_stock, "dextrose", dextrose, strength, alternatives))
    agents: set[str] = set()
    for index, (stock, target_percent) in enumerate(anaesthetics):
        target = _decimal(target_percent, "target_anaesthetic_percent", index)
        if target < 0:
            raise CompoundingError(
                "An anaesthetic cannot be below 0%.", "target_anaesthetic_percent", index
            )
        if target == 0:
            continue
        _check_role(stock, "anaesthetic", "anaesthetic_stock", index)
        if stock.anaesthetic in agents:
            raise CompoundingError(
                f"Choose one {_agent(stock)} stock; it is listed twice.", "anaesthetic_stock", index
            )
        agents.add(stock.anaesthetic)
        strength = stock.anaesthetic_percent
        parts.append(_part(stock, "anaesthetic", target, strength, alternatives, index))
    return parts


def _part(
    stock: StockLike,
    role: str,
    target: Decimal,
    strength: Decimal,
    alternatives: list[StockLike],
    index: int = 0,
) -> _Part:
    part = _Part(stock, role, target, strength, index)
    if target <= strength:
        return part
    what = "dextrose" if role == "dextrose" else _agent(stock)
    field = "target_dextrose_percent" if role == "dextrose" else "target_anaesthetic_percent"
    strong = [a.name for a in alternatives if _same_kind(a, part) and _strength(a, part) >= target]
    such = f", such as {' or '.join(strong)}" if strong else ""
    raise CompoundingError(
        f"{num(target)}% {what} cannot be made from {stock.name}, a {num(strength)}% stock: a "
        f"mix is never stronger than its stock. Choose a stock of at least {num(target)}%"
        f"{such}.",
        field,
        index,
    )


def _check_role(stock: StockLike, role: str, field: str, index: int = 0) -> None:
    if role == "dextrose":
        ok = is_dextrose_stock(stock)
        wanted = "a dextrose stock"
    else:
        ok = is_anaesthetic_stock(stock)
        wanted = "a local anaesthetic stock"
    if not ok:
        raise CompoundingError(f"{stock.name} is not {wanted}.", field, index)


def _check_diluent(diluent: StockLike | None, rest: Decimal) -> None:
    if diluent is not None and not is_diluent(diluent):
        raise CompoundingError(
            f"{diluent.name} is not a diluent: choose saline or water, a diluent stock with "
            "nothing active in it.",
            "diluent_stock",
        )
    if rest and diluent is None:
        raise CompoundingError(
            f"{ml(rest)} mL of diluent is needed to make up the volume: choose a diluent.",
            "diluent_stock",
        )


def _round(parts: list[_Part], volume: Decimal, precision: Decimal) -> None:
    """Round each volume to the precision; if that overfills, round the worst one down."""
    for part in parts:
        part.rounded = math.floor(part.exact_f / Fraction(precision) + Fraction(1, 2)) * precision
        if part.rounded == 0 and part.exact_f > 0:
            raise CompoundingError(
                f"{part.describe().capitalize()} needs {_tiny(part.exact)} mL of "
                f"{part.stock.name}, less than the syringe measures ({num(precision)} mL): "
                "make a larger volume, or use a weaker stock.",
                "target_dextrose_percent"
                if part.role == "dextrose"
                else "target_anaesthetic_percent",
                part.index,
            )
    while sum((p.rounded for p in parts), ZERO) > volume:
        over = [p for p in parts if p.rounded > p.exact_f and p.rounded > precision]
        if not over:
            raise CompoundingError(
                f"At a syringe precision of {num(precision)} mL these volumes do not fit in "
                f"{ml(volume)} mL: make a larger volume.",
                "final_volume_ml",
            )
        worst = max(over, key=lambda p: (Fraction(p.rounded) - p.exact_f, p.rounded))
        worst.rounded -= precision
        worst.rounded_down = True


def _dec(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _tiny(volume: Decimal) -> str:
    if volume < Decimal("0.001"):
        return "less than 0.001"
    return num(volume.quantize(Decimal("0.001"), ROUND_HALF_UP))


def _overfull(volume: Decimal, parts: list[_Part], alternatives: list[StockLike]) -> str:
    total = sum((p.exact_f for p in parts), Fraction(0))
    wants = " and ".join(p.describe() for p in parts)
    needs = " + ".join(f"{ml(p.exact)} mL of {p.stock.name}" for p in parts)
    fixes = _swaps(volume, parts, alternatives)
    for part in parts:
        room = Fraction(volume) - (total - part.exact_f)
        step = Decimal("0.1") if part.role == "dextrose" else Decimal("0.01")
        best = math.floor(Fraction(part.strength) * room / Fraction(volume) / Fraction(step)) * step
        what = "dextrose" if part.role == "dextrose" else _agent(part.stock)
        if best > 0:
            fixes.append(f"at most {num(best)}% {what} with the other strengths unchanged")
    advice = f" What would work: {'; or '.join(fixes)}." if fixes else ""
    return (
        f"Does not fit: {wants} in {ml(volume)} mL need {needs} = {ml(_dec(total))} mL, more "
        "than the final volume. A stronger stock takes less room; a larger volume does not "
        f"help, as every ingredient grows with it.{advice}"
    )


def _swaps(volume: Decimal, parts: list[_Part], alternatives: list[StockLike]) -> list[str]:
    """Stronger stocks of the same kind that would make the request fit."""
    total = sum((p.exact_f for p in parts), Fraction(0))
    fixes = []
    for part in parts:
        candidates = sorted(
            (a for a in alternatives if _same_kind(a, part) and _strength(a, part) > part.strength),
            key=lambda a: _strength(a, part),
        )
        for alt in candidates:
            needed = Fraction(volume) * Fraction(part.target) / Fraction(_strength(alt, part))
            in_all = total - part.exact_f + needed
            if in_all <= volume:
                fixes.append(
                    f"{alt.name} instead of {part.stock.name} ({ml(_dec(needed))} mL, "
                    f"{ml(_dec(in_all))} mL in all)"
                )
                break
    return fixes


def _same_kind(stock: StockLike, part: _Part) -> bool:
    if part.role == "dextrose":
        return is_dextrose_stock(stock)
    return (
        is_anaesthetic_stock(stock)
        and stock.anaesthetic == part.stock.anaesthetic
        and stock.epinephrine == part.stock.epinephrine
        and stock.epinephrine_ratio == part.stock.epinephrine_ratio
    )


def _strength(stock: StockLike, part: _Part) -> Decimal:
    return stock.dextrose_percent if part.role == "dextrose" else stock.anaesthetic_percent


# Inverse: a recipe as published (mL or parts of stocks) → what the mix contains.


def analyse(
    parts: Sequence[tuple[StockLike, Decimal]],
    unit: Literal["ml", "parts"] = "ml",
    final_volume: Decimal | None = None,
    epinephrine_min_ratio: int = DEFAULT_EPINEPHRINE_MIN_RATIO,
) -> Mix:
    """The concentration of every ingredient of a recipe written as mL or parts of stocks.

    In mL, `final_volume` (if given) must be what the amounts add up to. In parts, it scales
    the parts to volumes; without it the strengths are known but not the grams and mg.
    """
    if unit not in ("ml", "parts"):
        raise CompoundingError("Give the amounts in mL or in parts.", "recipe")
    amounts = [(stock, _decimal(amount, "recipe")) for stock, amount in parts]
    names = [stock.name for stock, _ in amounts]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise CompoundingError(f"{', '.join(twice)} is listed twice: add it up once.", "recipe")
    if any(amount < 0 for _, amount in amounts):
        raise CompoundingError("An amount cannot be negative.", "recipe")
    if sum((amount for _, amount in amounts), ZERO) > MAX_VOLUME_ML:
        raise CompoundingError(f"The amounts add up to more than {num(MAX_VOLUME_ML)}.", "recipe")
    amounts = [(stock, amount) for stock, amount in amounts if amount > 0]
    total = sum((amount for _, amount in amounts), ZERO)
    if not total:
        raise CompoundingError("The recipe is empty: give at least one amount above 0.", "recipe")
    volume = _recipe_volume(unit, total, final_volume)
    scale = volume / total if volume is not None else Decimal(1)
    ingredients = [Ingredient(stock, amount * scale, amount=amount) for stock, amount in amounts]
    return _mix(
        volume or total,
        ingredients,
        per_volume=volume is not None,
        unit=unit,
        epinephrine_min_ratio=epinephrine_min_ratio,
    )


def _recipe_volume(unit: str, total: Decimal, final_volume: Decimal | None) -> Decimal | None:
    if final_volume is None:
        return total if unit == "ml" else None
    volume = _positive(final_volume, "final_volume_ml", "Final volume")
    if volume > MAX_VOLUME_ML:
        raise CompoundingError(
            f"Make at most {num(MAX_VOLUME_ML)} mL at a time.", "final_volume_ml"
        )
    if unit == "ml" and volume != total:
        raise CompoundingError(
            f"The amounts add up to {ml(total)} mL, not {ml(volume)} mL: list the diluent too, "
            "or leave the final volume out.",
            "final_volume_ml",
        )
    return volume


def _mix(
    volume: Decimal,
    ingredients: list[Ingredient],
    *,
    target_dextrose: Decimal | None = None,
    anaesthetic_targets: dict[str, Decimal] | None = None,
    precision: Decimal | None = None,
    notes: list[str] | None = None,
    per_volume: bool = True,
    unit: Literal["ml", "parts"] = "ml",
    epinephrine_min_ratio: int = DEFAULT_EPINEPHRINE_MIN_RATIO,
) -> Mix:
    """What `ingredients` (adding up to `volume`) contain, per agent and in all."""
    dextrose_g = sum((i.volume_ml * i.stock.dextrose_percent / 100 for i in ingredients), ZERO)
    epinephrine = _epinephrine(ingredients, volume)
    unknown = tuple(i.stock.name for i in ingredients if _epinephrine_unknown(i.stock))
    doses = []
    for agent in _agents(ingredients):
        mine = [i for i in ingredients if i.stock.anaesthetic == agent]
        mg = sum((mg_from_ml(i.volume_ml, i.stock.anaesthetic_percent) for i in mine), ZERO)
        counts, reason = _judge(mine, epinephrine, unknown, epinephrine_min_ratio)
        doses.append(
            AgentDose(
                agent=agent,
                percent=mg / (volume * MG_PER_ML_PER_PERCENT),
                mg=mg if per_volume else None,
                epinephrine=counts,
                target_percent=(anaesthetic_targets or {}).get(agent),
                reason=reason,
            )
        )
    osmoles = sum((i.volume_ml * i.stock.osmolarity for i in ingredients), ZERO) / volume
    return Mix(
        final_volume_ml=volume if per_volume else None,
        ingredients=tuple(ingredients),
        dextrose_percent=dextrose_g * 100 / volume,
        dextrose_g=dextrose_g if per_volume else None,
        anaesthetics=tuple(doses),
        osmolarity=int(osmoles.to_integral_value(ROUND_HALF_UP)),
        zero_osmolarity=tuple(n for i in ingredients if (n := osmolarity_not_counted(i.stock))),
        target_dextrose_percent=target_dextrose,
        precision_ml=precision,
        unit=unit,
        notes=tuple(notes or ()),
        actives=_actives(ingredients, volume, per_volume),
        epinephrine_ug_per_ml=epinephrine,
        epinephrine_unknown=unknown,
        epinephrine_min_ratio=epinephrine_min_ratio,
    )


def osmolarity_not_counted(stock: StockLike) -> str | None:
    """What of `stock` the osmolarity estimate leaves out, or None when it counts it all.

    A stock without a label osmolarity counts as 0 (sterile water really is 0); a stock named
    by its composition counts only its dextrose.
    """
    partial = getattr(stock, "osmolarity_uncounted", ())
    if partial:
        return f"{' and '.join(partial)} in {stock.name}"
    if stock.osmolarity or getattr(stock, "diluent", "") == Diluent.STERILE_WATER:
        return None
    return stock.name


def osmolarity_text(osmolarity: int, not_counted: Sequence[str]) -> str:
    """ "about 308 mOsm/L", or a lower bound naming what it leaves out."""
    if not not_counted:
        return f"about {osmolarity} mOsm/L"
    missing = f"not counted: {', '.join(not_counted)}"
    if not osmolarity:
        return f"not known ({missing})"
    return f"at least {osmolarity} mOsm/L ({missing})"


def _actives(
    ingredients: Sequence[Ingredient], volume: Decimal, per_volume: bool
) -> tuple[ActiveDose, ...]:
    """Each other active, summed over the stocks that hold it (named case-insensitively)."""
    grams: dict[str, Decimal] = {}
    names: dict[str, str] = {}
    for i in ingredients:
        for name, strength in actives_of(i.stock):
            key = name.casefold()
            names.setdefault(key, name)
            grams[key] = grams.get(key, ZERO) + i.volume_ml * strength / 100
    return tuple(
        ActiveDose(names[key], g * 100 / volume, g if per_volume else None)
        for key, g in grams.items()
    )


def _epinephrine_unknown(stock: StockLike) -> bool:
    return stock.epinephrine and not stock.epinephrine_ratio


def _epinephrine(ingredients: Sequence[Ingredient], volume: Decimal) -> Decimal | None:
    """µg/mL of epinephrine in the mix, from the stocks whose strength is recorded."""
    if not any(i.stock.epinephrine for i in ingredients):
        return None
    ug = sum(
        (
            i.volume_ml * ug_per_ml(i.stock.epinephrine_ratio)
            for i in ingredients
            if i.stock.epinephrine and i.stock.epinephrine_ratio
        ),
        ZERO,
    )
    return ug / volume


def _judge(
    mine: Sequence[Ingredient],
    epinephrine: Decimal | None,
    unknown: tuple[str, ...],
    min_ratio: int,
) -> tuple[bool, str]:
    """Whether the with-epinephrine limit applies to an agent, and why (or why not).

    Only when every mg of it came with epinephrine (docs/dose-ceiling.md), of known strength,
    and the mix holds at least the clinic's threshold: a mix diluted below it is judged as
    plain.
    """
    if epinephrine is None:
        return False, ""
    plain = [i.stock.name for i in mine if not i.stock.epinephrine]
    if plain:
        return False, (
            f"plain limit: {', '.join(plain)} has no epinephrine, and the higher limit needs "
            "epinephrine with every mg of the agent"
        )
    if unknown:
        return False, (
            f"plain limit: the epinephrine strength of {', '.join(unknown)} is not recorded on "
            "the stock"
        )
    return epinephrine_counts(epinephrine, min_ratio)


def epinephrine_counts(
    epinephrine: Decimal, min_ratio: int, whose: str = "the clinic's threshold"
) -> tuple[bool, str]:
    """Whether a solution with `epinephrine` µg/mL is strong enough for the with-epinephrine
    limit (at least 1:`min_ratio`), and why: the threshold rule of every mix and of the
    `ceiling` command."""
    threshold = ug_per_ml(min_ratio)
    strength = f"epinephrine {ratio(epinephrine)} ({_ug(epinephrine)} µg/mL)"
    if epinephrine < threshold:
        return False, (
            f"plain limit: {strength} is weaker than {whose} of "
            f"1:{min_ratio:,} ({_ug(threshold)} µg/mL)"
        )
    return True, f"with-epinephrine limit: {strength}, at least 1:{min_ratio:,}"


def _ug(value: Decimal) -> str:
    return num(value.quantize(PERCENT_PLACES, ROUND_HALF_UP))


def _agents(ingredients: Iterable[Ingredient]) -> list[str]:
    seen: list[str] = []
    for i in ingredients:
        if i.stock.anaesthetic != NONE and i.stock.anaesthetic not in seen:
            seen.append(i.stock.anaesthetic)
    return seen


def _agent(stock: StockLike) -> str:
    return str(Anaesthetic(stock.anaesthetic).label).lower()


def _decimal(value: Decimal | int | str, field: str, index: int = 0) -> Decimal:
    """A finite number of sensible size: what is refused here is never echoed in full."""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise CompoundingError("That is not a number.", field, index) from None
    if not number.is_finite():
        raise CompoundingError("That is not a number.", field, index)
    if number and (number.adjusted() > 6 or number.as_tuple().exponent < -40):  # type: ignore[operator]
        raise CompoundingError(
            "Give a number below a million, with at most 40 decimal places.", field, index
        )
    return number


def _positive(value: Decimal, field: str, label: str) -> Decimal:
    number = _decimal(value, field)
    if number <= 0:
        raise CompoundingError(f"{label} must be more than 0 mL.", field)
    return number
