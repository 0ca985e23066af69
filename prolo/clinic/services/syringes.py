"""Syringes drawn up in a session: the recipe, and the solution its injections reference."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Sum

from prolo.clinic.access import _get, require
from prolo.clinic.models import (
    Anaesthetic,
    AuditAction,
    Diluent,
    StockKind,
    StockProduct,
    Syringe,
    SyringeIngredient,
    TreatmentSession,
)
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.safety.compounding import (
    PERCENT_PLACES,
    CompoundingError,
    Mix,
    compound,
    ml,
    num,
)
from prolo.clinic.services.audit import audit_log, create_audited, snapshot
from prolo.clinic.services.catalogue import stocks_for
from prolo.clinic.services.fields import pick
from prolo.clinic.services.locks import lock, refuse_if_closed
from prolo.clinic.services.screening import refuse_contraindicated_stocks
from prolo.clinic.services.settings import settings_for

# The inputs of syringe_draw_up a CompoundingError can name (the draw-up form's fields).
DRAW_UP_FIELDS = (
    "final_volume_ml",
    "target_dextrose_percent",
    "dextrose_stock",
    "target_anaesthetic_percent",
    "anaesthetic_stock",
    "diluent_stock",
)
LOT_ROLES = ("dextrose", "anaesthetic", "diluent")
LOT_MAX = 60
DISCARD_REASON_MAX = 300


@transaction.atomic
def syringe_draw_up(
    *,
    actor: Actor,
    session: TreatmentSession,
    label: str,
    final_volume_ml: Decimal,
    target_dextrose_percent: Decimal,
    dextrose_stock: StockProduct | None,
    anaesthetic_stock: StockProduct | None,
    target_anaesthetic_percent: Decimal,
    diluent_stock: StockProduct | None,
    lots: Mapping[str, str] | None = None,
    extra_anaesthetics: Sequence[tuple[StockProduct, Decimal]] = (),
) -> Syringe:
    """Compute a syringe's recipe at the clinic's syringe precision and record it.

    `lots` maps "dextrose", "anaesthetic" and "diluent" (and "anaesthetic_2" … for
    `extra_anaesthetics`) to the lot number of the vial used.
    """
    require(actor, Perm.DRAW_UP)
    session = lock(session.pk)
    refuse_if_closed(session)
    label = _label(session, label)
    lots = _lots(lots or {})
    chosen = _chosen(dextrose_stock, anaesthetic_stock, diluent_stock, extra_anaesthetics)
    _check_stocks(actor, chosen)
    anaesthetics: list[tuple[StockProduct, Decimal]] = []
    if target_anaesthetic_percent:
        if anaesthetic_stock is None:
            raise ValidationError(
                {"anaesthetic_stock": "Choose the anaesthetic stock to draw it up from."}
            )
        anaesthetics.append((anaesthetic_stock, target_anaesthetic_percent))
    anaesthetics.extend(extra_anaesthetics)
    clinic_settings = settings_for(actor.clinic)
    try:
        mix = compound(
            final_volume_ml=final_volume_ml,
            target_dextrose_percent=target_dextrose_percent,
            dextrose_stock=dextrose_stock,
            anaesthetics=anaesthetics,
            diluent_stock=diluent_stock,
            precision_ml=clinic_settings.syringe_precision_ml,
            alternatives=list(stocks_for(actor.clinic, active_only=True)),
            epinephrine_min_ratio=clinic_settings.epinephrine_min_ratio,
        )
    except CompoundingError as exc:
        # Always by field (the recipe as a whole under NON_FIELD_ERRORS): a plain message is a
        # refusal about the session itself.
        first = exc.index == 0 and (
            bool(target_anaesthetic_percent) or "anaesthetic" not in (exc.field or "")
        )
        named = exc.field in DRAW_UP_FIELDS and first
        field = exc.field if named and exc.field else NON_FIELD_ERRORS
        raise ValidationError({field: exc.message}) from None
    _screen(session, mix, chosen)
    return _record(actor, session, label, mix, lots)


def _screen(
    session: TreatmentSession, mix: Mix, chosen: dict[str, tuple[StockProduct | None, str]]
) -> None:
    """Refuse a stock the patient is allergic to, named by the field that chose it; only the
    stocks the recipe uses count (docs/screening.md)."""
    fields = {stock.pk: name for name, (stock, _) in reversed(chosen.items()) if stock is not None}
    used = [cast(StockProduct, ingredient.stock) for ingredient in mix.ingredients]
    refuse_contraindicated_stocks(
        session=session,
        stocks=[(fields.get(stock.pk, NON_FIELD_ERRORS), stock) for stock in used],
    )


def _record(
    actor: Actor, session: TreatmentSession, label: str, mix: Mix, lots: dict[str, str]
) -> Syringe:
    patient = session.course.patient
    assert mix.final_volume_ml is not None  # a forward calculation always has one
    syringe = Syringe(
        session=session,
        label=label,
        final_volume_ml=mix.final_volume_ml,
        dextrose_percent=mix.dextrose_percent.quantize(PERCENT_PLACES, ROUND_HALF_UP),
        anaesthetics=syringe_anaesthetics(mix),
        benzyl_alcohol=mix.benzyl_alcohol,
        osmolarity=mix.osmolarity,
        osmolarity_not_counted=list(mix.zero_osmolarity),
        # None when a stock's epinephrine strength is not recorded: the sum would understate it.
        epinephrine_ug_per_ml=None if mix.epinephrine_unknown else _ug(mix.epinephrine_ug_per_ml),
        created_by=actor.user,
    )
    create_audited(actor=actor, instance=syringe, patient=patient)
    agents_seen = 0
    for ingredient in mix.ingredients:
        stock = cast(StockProduct, ingredient.stock)
        role = stock.kind
        if stock.kind == StockKind.ANAESTHETIC:
            agents_seen += 1
            role = "anaesthetic" if agents_seen == 1 else f"anaesthetic_{agents_seen}"
        row = SyringeIngredient(
            syringe=syringe, stock=stock, volume_ml=ingredient.volume_ml, lot=lots.get(role, "")
        )
        create_audited(actor=actor, instance=row, patient=patient)
    return syringe


def _ug(value: Decimal | None) -> Decimal | None:
    return value.quantize(PERCENT_PLACES, ROUND_HALF_UP) if value is not None else None


def syringe_anaesthetics(mix: Mix) -> dict[str, dict[str, Any]]:
    """Per agent, the strength reached and whether the with-epinephrine limit applies to it
    (Syringe.anaesthetics): only when every mg of the agent came with epinephrine and the mix
    holds at least the clinic's threshold (safety/compounding.py::_judge)."""
    return {
        dose.agent: {
            "percent": num(dose.percent.quantize(PERCENT_PLACES, ROUND_HALF_UP)),
            "epinephrine": dose.epinephrine,
        }
        for dose in mix.anaesthetics
    }


def _label(session: TreatmentSession, label: str) -> str:
    label = pick({"label": label}, ["label"])["label"]
    if not label:
        raise ValidationError({"label": "Give the syringe a label, such as A or Knee joint."})
    if Syringe.objects.filter(session=session, label__iexact=label).exists():
        raise ValidationError(
            {"label": f"This session already has a syringe labelled {label}: choose another."}
        )
    return str(label)


def _lots(lots: Mapping[str, str]) -> dict[str, str]:
    cleaned = {}
    for role, lot in pick(dict(lots), lots.keys()).items():
        field = f"{role}_lot" if role in LOT_ROLES else "lots"
        if not isinstance(lot, str) or len(lot) > LOT_MAX:
            raise ValidationError({field: f"A lot number has at most {LOT_MAX} characters."})
        cleaned[role] = lot
    return cleaned


def _chosen(
    dextrose: StockProduct | None,
    anaesthetic: StockProduct | None,
    diluent: StockProduct | None,
    extra: Sequence[tuple[StockProduct, Decimal]],
) -> dict[str, tuple[StockProduct | None, str]]:
    """Each stock chosen, with the kind it must be, by the field that chose it."""
    chosen: dict[str, tuple[StockProduct | None, str]] = {
        "dextrose_stock": (dextrose, StockKind.DEXTROSE),
        "anaesthetic_stock": (anaesthetic, StockKind.ANAESTHETIC),
        "diluent_stock": (diluent, StockKind.DILUENT),
    }
    for i, (extra_stock, _) in enumerate(extra, start=2):
        chosen[f"anaesthetic_stock_{i}"] = (extra_stock, StockKind.ANAESTHETIC)
    return chosen


def _check_stocks(actor: Actor, chosen: dict[str, tuple[StockProduct | None, str]]) -> None:
    """Every stock is an active one of the acting clinic's catalogue, of the right kind."""
    pks = [stock.pk for stock, _ in chosen.values() if stock is not None]
    # As the catalogue is now, not as the caller's copies say: a stock may just have been retired.
    current = dict(
        stocks_for(actor.clinic, active_only=True).filter(pk__in=pks).values_list("pk", "kind")
    )
    for field, (stock, kind) in chosen.items():
        if stock is None:
            continue
        if stock.pk not in current:
            raise ValidationError({field: "Choose a stock of this clinic's catalogue."})
        if current[stock.pk] != kind:
            raise ValidationError(
                {field: f"{stock.name} is not a {StockKind(kind).label.lower()} stock."}
            )


# An injection given from a syringe takes the syringe's solution.


def syringe_solution(
    *, syringe: Syringe, session: TreatmentSession, volume_ml: Decimal | None
) -> dict[str, Any]:
    """The injection fields a syringe fills in, refusing another session's syringe or more
    volume than the syringe has left."""
    if syringe.session_id != session.pk:
        raise ValidationError({"syringe": "Choose a syringe drawn up in this session."})
    used = syringe.injections.aggregate(total=Sum("volume_ml"))["total"] or Decimal(0)
    left = syringe.final_volume_ml - used
    if volume_ml is not None and volume_ml > left:
        raise ValidationError(
            {
                "volume_ml": f"Syringe {syringe.label} has {ml(left)} mL left "
                f"({ml(syringe.final_volume_ml)} mL drawn up, {ml(used)} mL injected)."
            }
        )
    agent, percent, epinephrine = _main_anaesthetic(syringe)
    return {
        "dextrose_percent": syringe.dextrose_percent.quantize(Decimal("0.1"), ROUND_HALF_UP),
        "anaesthetic": agent,
        "anaesthetic_percent": percent,
        "epinephrine": epinephrine,
        "diluent": _diluent(syringe),
    }


def _main_anaesthetic(syringe: Syringe) -> tuple[str, Decimal, bool]:
    """The strongest agent of the syringe; the syringe keeps them all in `anaesthetics`."""
    if not syringe.anaesthetics:
        return Anaesthetic.NONE, Decimal(0), False
    agent, data = max(syringe.anaesthetics.items(), key=lambda item: Decimal(item[1]["percent"]))
    percent = Decimal(data["percent"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return agent, max(percent, Decimal("0.01")), bool(data.get("epinephrine"))


def _diluent(syringe: Syringe) -> str:
    """The injection's diluent choice: what the syringe's diluent stock says it is."""
    stock = next(
        (i.stock for i in syringe.ingredients.all() if i.stock.kind == StockKind.DILUENT), None
    )
    if stock is None:
        return Diluent.NONE
    if stock.diluent == Diluent.NONE:  # a stock saved before diluents were named
        raise ValidationError(
            {
                "syringe": f"The catalogue does not say which diluent {stock.name} is: a "
                "safety manager sets it on the stock, then record the injection."
            }
        )
    return str(stock.diluent)


# A syringe drawn up by mistake is discarded, with a reason, while nothing was given from it.


def get_syringe(actor: Actor, code: uuid.UUID | str, perm: Perm) -> Syringe:
    """A syringe of the actor's clinic (404 otherwise), if their role holds `perm` (403)."""
    syringes = Syringe.objects.filter(session__course__patient__clinic=actor.clinic)
    syringe = _get(syringes.select_related("session__course__patient"), code)
    require(actor, perm)
    return syringe


@transaction.atomic
def syringe_discard(*, actor: Actor, syringe: Syringe, reason: str) -> None:
    """Delete a syringe and its ingredients, audited with the reason.

    Refused once anything was injected from it (the injection records the syringe it came
    from) and once the session is closed.
    """
    require(actor, Perm.DRAW_UP)
    session = lock(syringe.session_id)
    refuse_if_closed(session)
    reason = pick({"reason": reason}, ["reason"])["reason"]
    if not reason:
        raise ValidationError({"reason": "Say why the syringe is discarded."})
    if len(reason) > DISCARD_REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason to {DISCARD_REASON_MAX} characters."})
    syringe = Syringe.objects.get(pk=syringe.pk)
    if syringe.injections.exists():
        raise ValidationError(
            f"Syringe {syringe.label} has been injected from, so it stays on the record. "
            "Remove those injections first if they were recorded by mistake."
        )
    patient = session.course.patient
    for ingredient in syringe.ingredients.all():
        audit_log(
            actor=actor,
            action=AuditAction.DELETE,
            obj=ingredient,
            patient=patient,
            changes=snapshot(ingredient),
        )
    audit_log(
        actor=actor,
        action=AuditAction.DELETE,
        obj=syringe,
        patient=patient,
        changes=snapshot(syringe) | {"reason": reason},
    )
    syringe.delete()
