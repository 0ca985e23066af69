"""The compounding calculator, the stock catalogue, and drawing up a syringe in a session."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.forms.models import model_to_dict
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from prolo.clinic.access import get_session
from prolo.clinic.models import Allergen, Clinic, Syringe, TreatmentSession
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.safety.compounding import (
    CompoundingError,
    Mix,
    analyse,
    compound,
    ml,
    num,
    osmolarity_text,
    ratio,
)
from prolo.clinic.safety.dosing import mg_from_ml
from prolo.clinic.safety.mix_tables import FORMULAS, content_rows, flags, ingredient_rows
from prolo.clinic.services.catalogue import (
    STOCK_FIELDS,
    get_stock,
    stock_add,
    stock_update,
    stocks_for,
)
from prolo.clinic.services.settings import settings_for
from prolo.clinic.services.syringes import LOT_ROLES, syringe_draw_up
from prolo.lib.forms import add_service_errors, submit
from prolo.lib.http import StaffRequest
from prolo.staff.compounding_forms import CalculatorForm, RecipeForm, StockForm, SyringeForm
from prolo.staff.decorators import staff_view

# What the forms start with: 10 mL of 15% dextrose (Rabago's extra-articular strength [R29])
# with 0.5% lidocaine (Dumais's intra-articular strength [R33]).
STARTING_MIX = {
    "final_volume_ml": Decimal(10),
    "target_dextrose_percent": Decimal(15),
    "target_anaesthetic_percent": Decimal("0.5"),
}
STARTING_STOCKS = {
    "dextrose_stock": "Dextrose 50% (D50)",
    "anaesthetic_stock": "Lidocaine 1% (MPF)",
    "diluent_stock": "0.9% sodium chloride",
}


def _starting_values(clinic: Clinic) -> dict[str, Any]:
    stocks = {s.name: s.pk for s in stocks_for(clinic, active_only=True)}
    chosen = {field: stocks.get(name) for field, name in STARTING_STOCKS.items()}
    return STARTING_MIX | {k: v for k, v in chosen.items() if v is not None}


# The recipe form starts from the same worked example, written as a trial would publish it.
STARTING_RECIPE = (
    ("Dextrose 50% (D50)", Decimal(3)),
    ("Lidocaine 1% (MPF)", Decimal(5)),
    ("0.9% sodium chloride", Decimal(2)),
)
RECIPE_PREFIX = "recipe"


def _starting_recipe(clinic: Clinic) -> dict[str, Any]:
    stocks = {s.name: s.pk for s in stocks_for(clinic, active_only=True)}
    initial: dict[str, Any] = {"unit": "ml"}
    known = [(stocks[name], amount) for name, amount in STARTING_RECIPE if name in stocks]
    for row, (pk, amount) in enumerate(known, start=1):
        initial |= {f"stock_{row}": pk, f"amount_{row}": amount}
    return initial


def _sent(query: QueryDict) -> tuple[QueryDict | None, QueryDict | None]:
    """The query for each of the page's two GET forms, or None for the one not sent.

    The recipe form's fields carry its prefix; anything else belongs to the forward form, so
    a bookmarked calculation still opens as before.
    """
    recipe = [key.startswith(f"{RECIPE_PREFIX}-") for key in query]
    return (None if all(recipe) else query), (query if any(recipe) else None)


@staff_view(Perm.DRAW_UP)
def calculator(request: StaffRequest) -> HttpResponse:
    clinic = request.actor.clinic
    precision = settings_for(clinic).syringe_precision_ml
    forward_query, recipe_query = _sent(request.GET)
    initial = _starting_values(clinic) | {"precision_ml": precision}
    form = CalculatorForm(forward_query, clinic=clinic, initial=initial)
    recipe_form = RecipeForm(
        recipe_query, prefix=RECIPE_PREFIX, clinic=clinic, initial=_starting_recipe(clinic)
    )
    mix = _calculate(form, clinic) if form.is_bound and form.is_valid() else None
    recipe = _read(recipe_form, clinic) if recipe_form.is_bound and recipe_form.is_valid() else None
    context: dict[str, Any] = {
        "form": form,
        "mix": mix,
        "recipe_form": recipe_form,
        "recipe": recipe,
        "formulas": FORMULAS,
        "nav": "tools",
    }
    if mix is not None:
        context |= {
            "ingredients": ingredient_rows(mix),
            "contents": content_rows(mix),
            "flags": flags(mix),
            "precision": num(mix.precision_ml or precision),
        }
    if recipe is not None:
        context |= _recipe_context(recipe)
    return render(request, "staff/calculator.html", context)


ANAESTHETIC_SLOTS = (
    ("anaesthetic_stock", "target_anaesthetic_percent"),
    ("second_anaesthetic_stock", "second_anaesthetic_percent"),
)


def _calculate(form: CalculatorForm, clinic: Clinic) -> Mix | None:
    """The mix the form asks for, or None with the refusal on the form."""
    data = form.cleaned_data
    slots = [(stock, percent) for stock, percent in ANAESTHETIC_SLOTS if data[percent]]
    for stock, _ in slots:
        if data[stock] is None:
            form.add_error(stock, "Choose the stock of this anaesthetic.")
            return None
    try:
        return compound(
            final_volume_ml=data["final_volume_ml"],
            target_dextrose_percent=data["target_dextrose_percent"],
            dextrose_stock=data["dextrose_stock"],
            anaesthetics=[(data[stock], data[percent]) for stock, percent in slots],
            diluent_stock=data["diluent_stock"],
            precision_ml=data["precision_ml"],
            alternatives=list(stocks_for(clinic, active_only=True)),
            epinephrine_min_ratio=settings_for(clinic).epinephrine_min_ratio,
        )
    except CompoundingError as exc:
        field = exc.field if exc.field in form.fields else None
        if exc.field in ("anaesthetic_stock", "target_anaesthetic_percent") and slots:
            stock, percent = slots[min(exc.index, len(slots) - 1)]
            field = stock if exc.field == "anaesthetic_stock" else percent
        form.add_error(field, exc.message)
        return None


def _read(form: RecipeForm, clinic: Clinic) -> Mix | None:
    """What the recipe contains, or None with the refusal on the form."""
    data = form.cleaned_data
    try:
        return analyse(
            form.ingredients(),
            unit=data["unit"],
            final_volume=data["final_volume_ml"],
            epinephrine_min_ratio=settings_for(clinic).epinephrine_min_ratio,
        )
    except CompoundingError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


@dataclass(frozen=True)
class RecipeRow:
    name: str
    written: str  # as the recipe gives it: "3 mL", "1 part"
    volume: str  # in the syringe: "3.0 mL", or "—" for parts without a final volume
    share: str
    source: str


def _recipe_context(mix: Mix) -> dict[str, Any]:
    rows = []
    for ingredient, row in zip(mix.ingredients, ingredient_rows(mix), strict=True):
        amount = ingredient.amount if ingredient.amount is not None else ingredient.volume_ml
        written = f"{num(amount)} mL" if mix.unit == "ml" else _parts(amount)
        # The printed volumes, rounded so that they add up to the total printed below.
        volume = f"{row.achieved} mL" if mix.final_volume_ml is not None else "—"
        rows.append(RecipeRow(row.name, written, volume, row.amount, row.source))
    if mix.final_volume_ml is not None:
        total = f"{ml(mix.final_volume_ml)} mL"
    else:
        parts = sum((i.amount or Decimal(0) for i in mix.ingredients), Decimal(0))
        total = f"{_parts(parts)} (no final volume given)"
    return {
        "recipe_rows": rows,
        "recipe_total": total,
        "recipe_contents": content_rows(mix),
        "recipe_flags": flags(mix),
    }


def _parts(amount: Decimal) -> str:
    return f"{num(amount)} part{'' if amount == 1 else 's'}"


# The catalogue.


@staff_view(Perm.VIEW_CLINICAL)
def catalogue(request: StaffRequest) -> HttpResponse:
    stocks = stocks_for(request.actor.clinic).order_by("-active", "kind", "name")
    labels = dict(Allergen.choices)
    context = {
        "rows": [(s, [labels.get(a, a) for a in s.allergens]) for s in stocks],
        "can_manage": request.actor.can(Perm.MANAGE_SAFETY),
        "nav": "clinic",
    }
    return render(request, "staff/catalogue.html", context)


@staff_view(Perm.MANAGE_SAFETY)
def stock_new(request: StaffRequest) -> HttpResponse:
    form = StockForm(request.POST or None, initial={"active": True})
    stock = submit(request, form, stock_add, actor=request.actor)
    if stock:
        messages.success(request, f"{stock.name} is added to the catalogue.")
        return redirect("staff:catalogue")
    return render(request, "staff/stock_form.html", {"form": form, "stock": None, "nav": "clinic"})


@staff_view()
def stock_edit(request: StaffRequest, code: str) -> HttpResponse:
    stock = get_stock(request.actor, code, Perm.MANAGE_SAFETY)
    form = StockForm(request.POST or None, initial=model_to_dict(stock, STOCK_FIELDS))
    if submit(request, form, stock_update, actor=request.actor, stock=stock):
        messages.success(request, f"{stock.name} is saved.")
        return redirect("staff:catalogue")
    return render(request, "staff/stock_form.html", {"form": form, "stock": stock, "nav": "clinic"})


# Syringes of a session: shown on the session page, drawn up from it.


@dataclass(frozen=True)
class SyringeRow:
    syringe: Syringe
    recipe: list[str]  # "3.0 mL Dextrose 50% (D50), lot D-1" …
    contents: list[str]  # "15% dextrose", "lidocaine 0.5% (50 mg)" …
    first_anaesthetic_percent: Decimal
    injected: str  # "4.0 of 10.0 mL"


def _syringe_rows(session: TreatmentSession) -> list[SyringeRow]:
    syringes = (
        Syringe.objects.filter(session=session)
        .select_related("created_by")
        .prefetch_related("ingredients__stock")
        .annotate(injected=Sum("injections__volume_ml"))
    )
    rows = []
    for syringe in syringes:
        has_epinephrine = any(i.stock.epinephrine for i in syringe.ingredients.all())
        contents = (
            [f"{num(syringe.dextrose_percent)}% dextrose"] if syringe.dextrose_percent else []
        )
        for agent, data in syringe.anaesthetics.items():
            percent = Decimal(data["percent"])
            mg = mg_from_ml(syringe.final_volume_ml, percent)
            epinephrine = _limit(has_epinephrine, data)
            contents.append(f"{agent} {num(percent)}% ({num(mg)} mg{epinephrine})")
        if syringe.epinephrine_ug_per_ml:
            ug = syringe.epinephrine_ug_per_ml
            contents.append(f"epinephrine {num(ug)} µg/mL ({ratio(ug)})")
        elif has_epinephrine:  # None, or 0 as recorded before a missing strength was kept as None
            contents.append("epinephrine, strength not recorded")
        contents.append(osmolarity_text(syringe.osmolarity, syringe.osmolarity_not_counted))
        recipe = [
            f"{ml(i.volume_ml)} mL {i.stock.name}{f', lot {i.lot}' if i.lot else ''}"
            for i in syringe.ingredients.all()
        ]
        first = next(iter(syringe.anaesthetics.values()), {"percent": "0"})
        injected = f"{ml(syringe.injected or Decimal(0))} of {ml(syringe.final_volume_ml)} mL"
        rows.append(SyringeRow(syringe, recipe, contents, Decimal(first["percent"]), injected))
    return rows


def _limit(has_epinephrine: bool, agent: dict[str, Any]) -> str:
    if agent.get("epinephrine"):
        return ", with epinephrine"
    # An epinephrine syringe whose agent is held to the plain limit says so.
    return ", plain limit" if has_epinephrine else ""


def _draw_up_initial(session: TreatmentSession, rows: list[SyringeRow]) -> dict[str, Any]:
    """Start from the session's last syringe, or the starting mix; label it the next letter."""
    clinic = session.course.patient.clinic
    initial = _starting_values(clinic)
    if rows:
        last = rows[-1].syringe
        stocks = {i.stock.kind: i.stock_id for i in last.ingredients.all()}
        initial |= {
            "final_volume_ml": last.final_volume_ml,
            "target_dextrose_percent": last.dextrose_percent.normalize(),
            "dextrose_stock": stocks.get("dextrose"),
            "anaesthetic_stock": stocks.get("anaesthetic"),
            "diluent_stock": stocks.get("diluent"),
            "target_anaesthetic_percent": rows[-1].first_anaesthetic_percent,
        }
    taken = {row.syringe.label.upper() for row in rows}
    initial["label"] = next((c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in taken), "")
    return initial


def syringe_context(
    actor: Actor, session: TreatmentSession, page_forms: dict[str, forms.BaseForm]
) -> dict[str, Any]:
    """What the session page's syringe section needs (staff/_session_syringes.html).

    Adds the draw-up form to `page_forms` unless a bound one is there, and offers the session's
    syringes in the injection form.
    """
    rows = _syringe_rows(session)
    clinic = session.course.patient.clinic
    page_forms.setdefault(
        "syringe",
        SyringeForm(prefix="syringe", clinic=clinic, initial=_draw_up_initial(session, rows)),
    )
    injection_form = page_forms.get("injection")
    if injection_form is not None and "syringe" in injection_form.fields:
        field = injection_form.fields["syringe"]
        field.queryset = Syringe.objects.filter(session=session)  # type: ignore[attr-defined]
    return {"syringes": rows, "can_draw_up": actor.can(Perm.DRAW_UP)}


@require_POST
@staff_view()
def syringe_add(request: StaffRequest, code: str) -> HttpResponse:
    session = get_session(request.actor, code, Perm.DRAW_UP)
    clinic = request.actor.clinic
    form = SyringeForm(request.POST, prefix="syringe", clinic=clinic)
    if form.is_valid():
        data = dict(form.cleaned_data)
        lots = {role: data.pop(f"{role}_lot") for role in LOT_ROLES}
        try:
            syringe = syringe_draw_up(actor=request.actor, session=session, lots=lots, **data)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # the session is signed, cancelled or closed
                messages.error(request, " ".join(exc.messages))
                return redirect("staff:session-detail", code=session.code)
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Syringe {syringe.label} is drawn up.")
            return redirect("staff:session-detail", code=session.code)
    # Imported here: the session page imports this module for its syringe section.
    from prolo.staff.views.sessions import _render

    return _render(request, session, bound={"syringe": form})
