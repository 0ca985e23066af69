"""Stocks written by what they contain: "dextrose 30%", "lidocaine 1% with epinephrine
1:200,000", "phenol 2.5% + glycerin 25% + dextrose 25%".

The stock form reads a stock's other actives with `parse_actives`, and `manage.py compound`
accepts a stock the catalogue lacks by its composition (`stock_from_composition`). Percent is
weight per volume, as everywhere in compounding (docs/compounding.md).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from prolo.clinic.models.safety import Allergen, StockKind, composition_allergens
from prolo.clinic.models.sessions import Anaesthetic, Diluent
from prolo.clinic.safety.catalogue import Stock

MAX_ACTIVE_NAME = 60
DEXTROSE = "dextrose"
# Osmolarity from dextrose alone scales with its strength: D50 ≈ 2525 mOsm/L (§2.1, derived).
MOSM_PER_DEXTROSE_PERCENT = Decimal("50.5")
_PART = re.compile(r"^(?P<name>[^\d%]*?)\s*(?P<percent>\d+(?:\.\d+)?)\s*%$")
_EPINEPHRINE = re.compile(
    r"\s+(?:with\s+)?(?:epinephrine|epi|adrenaline)\s+1\s*:\s*(?P<n>[\d,]+)$", re.IGNORECASE
)


def parse_active(text: str) -> tuple[str, Decimal]:
    """ "phenol 2.5%" → ("phenol", 2.5). ValueError says what is wrong, in words."""
    found = _PART.match(text.strip())
    if not found or not found["name"].strip():
        raise ValueError(f"Write each active as NAME PERCENT%, such as phenol 2.5%, not {text!r}.")
    name = " ".join(found["name"].split()).lower()
    if len(name) > MAX_ACTIVE_NAME:
        raise ValueError(f"An active's name has at most {MAX_ACTIVE_NAME} characters.")
    try:
        percent = Decimal(found["percent"])
    except InvalidOperation:
        raise ValueError(f"{text!r}: the strength is not a number.") from None
    if not 0 < percent <= 100:
        raise ValueError(f"{name}: give a strength above 0% and at most 100%.")
    return name, percent


def parse_actives(text: str) -> list[dict[str, str]]:
    """ "phenol 2.5%, glycerin 25%" → [{"name": "phenol", "percent": "2.5"}, …] (StockProduct.
    actives). Commas or "+" separate them; an empty text is no actives."""
    actives: list[dict[str, str]] = []
    for part in filter(None, (p.strip() for p in re.split(r"[,+]", text or ""))):
        name, percent = parse_active(part)
        if any(a["name"] == name for a in actives):
            raise ValueError(f"{name} is listed twice: give it once.")
        actives.append({"name": name, "percent": f"{percent.normalize():f}"})
    return actives


def actives_text(actives: list[dict[str, str]] | None) -> str:
    """The other way round, for the stock form: "phenol 2.5%, glycerin 25%"."""
    return ", ".join(f"{a['name']} {a['percent']}%" for a in actives or [])


def _agent(name: str) -> str | None:
    return next(
        (a.value for a in Anaesthetic if a != Anaesthetic.NONE and a.value == name.lower()),
        None,
    )


def stock_from_composition(text: str) -> Stock | None:
    """A stock named by what it contains, or None when `text` is not a composition.

    Raises ValueError for a composition that cannot be one stock (dextrose and an anaesthetic
    together: name them as two stocks).
    """
    ratio, rest = _epinephrine(text.strip())
    try:
        parts = [parse_active(p) for p in re.split(r"\s*\+\s*", rest) if p]
    except ValueError:
        return None
    if not parts:
        return None
    dextrose = sum((p for n, p in parts if n == DEXTROSE), Decimal(0))
    agents = [(a, p) for n, p in parts if (a := _agent(n))]
    others = [(n, p) for n, p in parts if n != DEXTROSE and not _agent(n)]
    if len(agents) > 1 or (agents and (dextrose or others)):
        raise ValueError(
            f"{text!r}: name each anaesthetic as a stock of its own, apart from dextrose and "
            "other actives."
        )
    if ratio is not None and not agents:
        raise ValueError(f"{text!r}: epinephrine comes with a local anaesthetic stock.")
    return _stock(text, dextrose, agents[0] if agents else None, others, ratio)


def _epinephrine(text: str) -> tuple[int | None, str]:
    found = _EPINEPHRINE.search(text)
    if not found:
        return None, text
    ratio = int(found["n"].replace(",", ""))
    if ratio < 1_000:
        raise ValueError(f"{text!r}: epinephrine is written 1:N, such as 1:200,000.")
    return ratio, text[: found.start()]


def _stock(
    text: str,
    dextrose: Decimal,
    agent: tuple[str, Decimal] | None,
    others: list[tuple[str, Decimal]],
    ratio: int | None,
) -> Stock:
    kind = StockKind.DEXTROSE if dextrose and not others else StockKind.SCLEROSANT
    if agent:
        kind = StockKind.ANAESTHETIC
    allergens = composition_allergens(
        dextrose_percent=dextrose,
        anaesthetic=agent[0] if agent else Anaesthetic.NONE.value,
        epinephrine=ratio is not None,
        diluent=Diluent.NONE.value,
    )
    fish = any("morrhuate" in name for name, _ in others)
    # The dextrose part is counted in any stock; the other contents' osmolarity is not known.
    osmolarity = dextrose * MOSM_PER_DEXTROSE_PERCENT
    uncounted = tuple(name for name, _ in others)
    if agent:
        uncounted += (agent[0],)
    return Stock(
        name=" ".join(text.split()),
        kind=kind.value,
        dextrose_percent=dextrose,
        anaesthetic=agent[0] if agent else Anaesthetic.NONE.value,
        anaesthetic_percent=agent[1] if agent else Decimal(0),
        epinephrine=ratio is not None,
        epinephrine_ratio=ratio,
        actives=tuple((name, f"{p.normalize():f}") for name, p in others),
        osmolarity=int(osmolarity),
        osmolarity_uncounted=uncounted if osmolarity else (),
        allergens=tuple(sorted({*allergens, *([Allergen.FISH.value] if fish else [])})),
        high_risk=bool(others),
        source=_source(kind, dextrose),
    )


def _source(kind: StockKind, dextrose: Decimal) -> str:
    named = "named by its composition, not in the catalogue: strengths as written, w/v"
    if kind == StockKind.DEXTROSE:
        return (
            f"{named}; osmolarity ≈ {dextrose.normalize():f} × 50.5 mOsm/L, from dextrose "
            "alone (D50 ≈ 2525 mOsm/L, domain notes §2.1, derived)"
        )
    if dextrose:
        return (
            f"{named}; osmolarity counts its dextrose alone, {dextrose.normalize():f} × 50.5 "
            "mOsm/L (D50 ≈ 2525 mOsm/L, domain notes §2.1, derived); the rest is not counted, "
            "and any other contents are unknown"
        )
    return f"{named}; no label osmolarity (counted as 0); any other contents unknown"
