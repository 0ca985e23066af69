"""The clinic's stock catalogue and anaesthetic limits: the defaults, and the clinic's edits.

Stocks are clinic data, not patient data: their changes are audited without a patient.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from prolo.clinic.access import _get, require
from prolo.clinic.models import (
    Allergen,
    Anaesthetic,
    AnaestheticLimit,
    Clinic,
    Diluent,
    StockKind,
    StockProduct,
    SyringeIngredient,
)
from prolo.clinic.models.safety import BACTERIOSTATIC, composition_allergens
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.safety.catalogue import DEFAULT_LIMITS, DEFAULT_STOCKS
from prolo.clinic.safety.composition import parse_actives
from prolo.clinic.services.audit import create_audited, update_audited
from prolo.clinic.services.fields import pick
from prolo.clinic.services.settings import settings_ensure

STOCK_FIELDS = (
    "name",
    "kind",
    "dextrose_percent",
    "anaesthetic",
    "anaesthetic_percent",
    "epinephrine",
    "epinephrine_ratio",
    "actives",
    "diluent",
    "osmolarity",
    "allergens",
    "high_risk",
    "notes",
    "source",
    "active",
)
# What a syringe's recipe relied on: fixed once the stock has been drawn up.
STRENGTH_FIELDS = (
    "kind",
    "dextrose_percent",
    "anaesthetic",
    "anaesthetic_percent",
    "epinephrine",
    "epinephrine_ratio",
    "actives",
    "diluent",
)
# What a stock's composition allergens are read from (models/safety.py::composition_allergens).
COMPOSITION_FIELDS = ("dextrose_percent", "anaesthetic", "epinephrine", "diluent")


@transaction.atomic
def clinic_safety_install(*, clinic: Clinic) -> None:
    """Give a clinic its safety settings, default stocks and limits, where it has none yet.

    Idempotent: a stock or limit the clinic already has (by name, by agent) is left as the
    clinic edited it. Part of setting up a clinic, like clinic_create: no audit row.
    """
    settings_ensure(clinic)
    have = set(StockProduct.objects.filter(clinic=clinic).values_list("name", flat=True))
    for default in DEFAULT_STOCKS:
        if default.name in have:
            continue
        values = asdict(default)
        values.pop("aliases")
        values.pop("osmolarity_uncounted")  # only a stock named by its composition has any
        values["allergens"] = list(default.allergens)
        values["actives"] = [{"name": n, "percent": p} for n, p in default.actives]
        stock = StockProduct(clinic=clinic, **values)
        stock.full_clean()
        stock.save(force_insert=True)
    agents = set(AnaestheticLimit.objects.filter(clinic=clinic).values_list("agent", flat=True))
    for limit in DEFAULT_LIMITS:
        if limit.agent in agents:
            continue
        row = AnaestheticLimit(clinic=clinic, **asdict(limit))
        row.full_clean()
        row.save(force_insert=True)


def stocks_for(clinic: Clinic, *, active_only: bool = False) -> QuerySet[StockProduct]:
    stocks = StockProduct.objects.filter(clinic=clinic)
    return stocks.filter(active=True) if active_only else stocks


def get_stock(actor: Actor, code: uuid.UUID | str, perm: Perm) -> StockProduct:
    """A stock of the actor's clinic (404 otherwise), if their role holds `perm` (403)."""
    stock = _get(stocks_for(actor.clinic), code)
    require(actor, perm)
    return stock


def _check_stock(values: dict[str, Any]) -> None:
    """Only a dextrose (or sclerosant) stock holds dextrose, only an anaesthetic stock an
    anaesthetic, only a sclerosant or biologic other actives."""
    kind = values.get("kind")
    if kind == StockKind.DEXTROSE and not values.get("dextrose_percent"):
        raise ValidationError({"dextrose_percent": "Give the dextrose strength of the stock."})
    if kind not in MIXED_KINDS | {StockKind.DEXTROSE} and values.get("dextrose_percent"):
        raise ValidationError(
            {"dextrose_percent": "Only a dextrose or sclerosant stock contains dextrose."}
        )
    if kind not in MIXED_KINDS and values.get("actives"):
        raise ValidationError(
            {
                "actives": "Only a sclerosant or biologic stock lists other actives: a "
                "dextrose, anaesthetic or diluent stock holds its own strength alone."
            }
        )
    has_agent = values.get("anaesthetic", Anaesthetic.NONE) != Anaesthetic.NONE
    strength_error = anaesthetic_strength_error(has_agent, values.get("anaesthetic_percent"))
    if strength_error:
        raise ValidationError({"anaesthetic_percent": strength_error})
    if kind == StockKind.ANAESTHETIC and not has_agent:
        raise ValidationError({"anaesthetic": "Choose the anaesthetic of the stock."})
    if kind != StockKind.ANAESTHETIC and has_agent:
        raise ValidationError({"anaesthetic": "Only a local anaesthetic stock has one."})
    if values.get("epinephrine") and kind != StockKind.ANAESTHETIC:
        raise ValidationError({"epinephrine": "Only a local anaesthetic stock has epinephrine."})
    if values.get("epinephrine_ratio") and not values.get("epinephrine"):
        raise ValidationError(
            {"epinephrine_ratio": "Leave it empty when the stock has no epinephrine."}
        )
    _check_diluent(kind, values.get("diluent", Diluent.NONE), values.get("allergens") or [])


def _check_diluent(kind: Any, diluent: str, allergens: list[str]) -> None:
    """A diluent stock says which diluent it is, so an injection from it records that."""
    if kind == StockKind.DILUENT and diluent == Diluent.NONE:
        raise ValidationError(
            {
                "diluent": "Choose which diluent this is: saline, sterile water, or a "
                "bacteriostatic one."
            }
        )
    if kind != StockKind.DILUENT and diluent != Diluent.NONE:
        raise ValidationError({"diluent": "Only a diluent stock is a diluent: choose None."})
    preserved = Allergen.BENZYL_ALCOHOL in allergens
    if preserved and kind == StockKind.DILUENT and diluent not in BACTERIOSTATIC:
        raise ValidationError(
            {
                "diluent": "A diluent with benzyl alcohol is bacteriostatic: choose "
                "bacteriostatic saline or bacteriostatic water."
            }
        )


def anaesthetic_strength_error(has_agent: bool, percent: Decimal | None) -> str:
    """The stock_anaesthetic_consistent constraint, checked first so it can name the field.

    (Its own message has an unescaped "%", which Django cannot format.)
    """
    if has_agent and not percent:
        return "Give the anaesthetic's strength, above 0%."
    if not has_agent and percent:
        return "Leave it at 0 when the stock has no anaesthetic."
    return ""


def _check_name_free(clinic: Clinic, name: str, exclude_pk: int | None = None) -> None:
    taken = StockProduct.objects.filter(clinic=clinic, name__iexact=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"name": f"The catalogue already has a stock named {name}."})


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    if fields.get("anaesthetic") == Anaesthetic.NONE and not fields.get("anaesthetic_percent"):
        fields["anaesthetic_percent"] = 0
    if "allergens" in fields:
        allergens = fields["allergens"] or []
        if not isinstance(allergens, list) or any(a not in Allergen.values for a in allergens):
            raise ValidationError({"allergens": f"Choose from: {', '.join(Allergen.values)}."})
        fields["allergens"] = _ordered(allergens)
    if "actives" in fields:
        fields["actives"] = _clean_actives(fields["actives"] or [])
    return fields


def _ordered(allergens: Any) -> list[str]:
    return [a for a in Allergen.values if a in allergens]  # in a fixed order


def with_composition(values: dict[str, Any]) -> list[str]:
    """The stock's allergens: the ones it was given, and always the ones its composition
    gives it (corn for dextrose, amide for an anaesthetic …), which a clinic cannot remove."""
    composition = composition_allergens(
        dextrose_percent=values.get("dextrose_percent") or 0,
        anaesthetic=str(values.get("anaesthetic") or Anaesthetic.NONE),
        epinephrine=bool(values.get("epinephrine")),
        diluent=str(values.get("diluent") or Diluent.NONE),
    )
    return _ordered({*(values.get("allergens") or []), *composition})


MIXED_KINDS = frozenset({StockKind.SCLEROSANT, StockKind.BIOLOGIC})
RESERVED_ACTIVES = frozenset({"dextrose", "epinephrine", *Anaesthetic.values})


def _clean_actives(actives: Any) -> list[dict[str, str]]:
    """[{"name", "percent"}], each named once, above 0% and at most 100% w/v; dextrose,
    epinephrine and the anaesthetics have fields of their own."""
    if not isinstance(actives, list) or not all(isinstance(a, dict) for a in actives):
        raise ValidationError({"actives": 'Give a list of {"name", "percent"}.'})
    text = ", ".join(f"{a.get('name', '')} {a.get('percent', '')}%" for a in actives)
    try:
        cleaned = parse_actives(text)
    except ValueError as exc:
        raise ValidationError({"actives": str(exc)}) from None
    reserved = [a["name"] for a in cleaned if a["name"] in RESERVED_ACTIVES]
    if reserved:
        raise ValidationError(
            {"actives": f"{reserved[0]} has a field of its own: give its strength there."}
        )
    return cleaned


def _require_epinephrine_strength(values: dict[str, Any]) -> None:
    if values.get("epinephrine") and not values.get("epinephrine_ratio"):
        raise ValidationError(
            {
                "epinephrine_ratio": "Give the epinephrine strength as on the vial: 100000 for "
                "1:100,000. It decides whether a mix counts as with epinephrine."
            }
        )


@transaction.atomic
def stock_add(*, actor: Actor, **fields: Any) -> StockProduct:
    require(actor, Perm.MANAGE_SAFETY)
    fields = _normalise(pick(fields, STOCK_FIELDS))
    _check_name_free(actor.clinic, fields.get("name", ""))
    _check_stock(fields)
    _require_epinephrine_strength(fields)
    fields["allergens"] = with_composition(fields)
    stock = StockProduct(clinic=actor.clinic, **fields)
    return create_audited(actor=actor, instance=stock, patient=None)


@transaction.atomic
def stock_update(*, actor: Actor, stock: StockProduct, **fields: Any) -> StockProduct:
    """Edit a stock; its strength is fixed once a syringe was drawn up from it."""
    require(actor, Perm.MANAGE_SAFETY)
    found = StockProduct.objects.select_for_update().filter(pk=stock.pk, clinic=actor.clinic)
    if not found:
        raise ValidationError("This stock is not in your clinic's catalogue.")
    stock = found[0]
    fields = _normalise(pick(fields, STOCK_FIELDS))
    if "name" in fields:
        _check_name_free(actor.clinic, fields["name"], exclude_pk=stock.pk)
    current = {name: getattr(stock, name) for name in STOCK_FIELDS}
    _check_stock(current | fields)
    if "epinephrine" in fields or "epinephrine_ratio" in fields:
        _require_epinephrine_strength(current | fields)
    # A stock saved before its composition allergens were enforced gets them now.
    allergens = with_composition(current | fields)
    if "allergens" in fields or allergens != current["allergens"]:
        fields["allergens"] = allergens
    # Recording the epinephrine strength of a stock saved without one is no change of strength.
    changed = [
        n
        for n in STRENGTH_FIELDS
        if n in fields
        and fields[n] != current[n]
        and not (n == "epinephrine_ratio" and current[n] is None)
    ]
    if changed and SyringeIngredient.objects.filter(stock=stock).exists():
        raise ValidationError(
            {
                changed[0]: "Syringes were drawn up from this stock, so its strength stays as "
                "it was: add a new stock, and mark this one inactive."
            }
        )
    return update_audited(actor=actor, instance=stock, patient=None, changes=fields)
