"""Forms of the compounding calculator, the session's draw-up step and the stock catalogue.

Like staff/forms.py: they parse and validate, then a service or the pure calculator does the
rest. Stock choices are limited to the clinic's active catalogue.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django import forms

from prolo.clinic.models import Allergen, Clinic, StockKind, StockProduct
from prolo.clinic.safety.composition import actives_text, parse_actives
from prolo.clinic.services.catalogue import STOCK_FIELDS, anaesthetic_strength_error, stocks_for
from prolo.lib.forms import ParseModelForm

MAX_VOLUME_ML = Decimal(100)


class StockChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: StockProduct) -> str:
        return f"{obj.name}{' (high risk)' if obj.high_risk else ''}"


def _stock_field(label: str, empty: str) -> StockChoiceField:
    return StockChoiceField(
        queryset=StockProduct.objects.none(), required=False, label=label, empty_label=empty
    )


class CompoundForm(forms.Form):
    """The inputs of a forward calculation: final volume, strengths, stocks."""

    final_volume_ml = forms.DecimalField(
        label="Final volume (mL)",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.1"),
        max_value=MAX_VOLUME_ML,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    target_dextrose_percent = forms.DecimalField(
        label="Dextrose (%)",
        max_digits=4,
        decimal_places=1,
        min_value=0,
        max_value=50,
        help_text="0 for no dextrose.",
        widget=forms.NumberInput(attrs={"step": "0.1"}),
    )
    dextrose_stock = _stock_field("Dextrose stock", "None")
    target_anaesthetic_percent = forms.DecimalField(
        label="Anaesthetic (%)",
        max_digits=4,
        decimal_places=3,
        min_value=0,
        max_value=4,
        help_text="0 for no anaesthetic.",
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    anaesthetic_stock = _stock_field("Anaesthetic stock", "None")
    diluent_stock = _stock_field("Diluent", "None (no room left for one)")

    def __init__(self, *args: object, clinic: Clinic, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        stocks = stocks_for(clinic, active_only=True)
        for name, kind in self.STOCK_KINDS.items():
            if name in self.fields:
                self.fields[name].queryset = stocks.filter(kind=kind)  # type: ignore[attr-defined]

    STOCK_KINDS = {
        "dextrose_stock": StockKind.DEXTROSE,
        "anaesthetic_stock": StockKind.ANAESTHETIC,
        "second_anaesthetic_stock": StockKind.ANAESTHETIC,
        "diluent_stock": StockKind.DILUENT,
    }


class CalculatorForm(CompoundForm):
    """The calculator page: a second anaesthetic and any syringe precision may be tried."""

    second_anaesthetic_stock = _stock_field("Second anaesthetic stock (optional)", "None")
    second_anaesthetic_percent = forms.DecimalField(
        label="Second anaesthetic (%)",
        max_digits=4,
        decimal_places=3,
        min_value=0,
        max_value=4,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    precision_ml = forms.DecimalField(
        label="Syringe precision (mL)",
        max_digits=4,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(1),
        help_text="The smallest step the syringe measures; the clinic's setting by default.",
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )


class SyringeForm(CompoundForm):
    """Draw up a syringe in a session; the precision is the clinic's setting."""

    label = forms.CharField(
        max_length=40, help_text="As written on the syringe: A, B, or the site such as Knee joint."
    )
    dextrose_lot = forms.CharField(label="Dextrose lot", max_length=60, required=False)
    anaesthetic_lot = forms.CharField(label="Anaesthetic lot", max_length=60, required=False)
    diluent_lot = forms.CharField(label="Diluent lot", max_length=60, required=False)

    field_order = [
        "label",
        "final_volume_ml",
        "target_dextrose_percent",
        "dextrose_stock",
        "dextrose_lot",
        "target_anaesthetic_percent",
        "anaesthetic_stock",
        "anaesthetic_lot",
        "diluent_stock",
        "diluent_lot",
    ]


RECIPE_ROWS = 5


def _amount_field(row: int) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"Ingredient {row} amount",
        max_digits=6,
        decimal_places=3,
        max_value=MAX_VOLUME_ML,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )


class RecipeForm(forms.Form):
    """A recipe as trials publish it: up to five stocks, each in mL or in parts.

    Rows left empty are ignored; `ingredients()` gives the rest, in order, for `analyse()`.
    """

    unit = forms.ChoiceField(
        label="The amounts are in",
        choices=[("ml", "mL"), ("parts", "Parts")],
        required=False,
        widget=forms.RadioSelect,
    )
    final_volume_ml = forms.DecimalField(
        label="Final volume (mL, optional)",
        max_digits=5,
        decimal_places=2,
        max_value=MAX_VOLUME_ML,
        required=False,
        help_text="Scales parts to mL, so that grams and mg can be worked out. With amounts in "
        "mL, leave it empty or give their total.",
        widget=forms.NumberInput(attrs={"step": "any"}),
    )

    def __init__(self, *args: object, clinic: Clinic, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        stocks = stocks_for(clinic, active_only=True)
        for row in self.rows():
            self.fields[f"stock_{row}"] = StockChoiceField(
                queryset=stocks,
                required=False,
                label=f"Ingredient {row} stock",
                empty_label="None",
            )
            self.fields[f"amount_{row}"] = _amount_field(row)
        self.order_fields([f"{name}_{row}" for row in self.rows() for name in ("stock", "amount")])

    @staticmethod
    def rows() -> range:
        return range(1, RECIPE_ROWS + 1)

    def clean_unit(self) -> Literal["ml", "parts"]:
        return "parts" if self.cleaned_data.get("unit") == "parts" else "ml"

    def clean_final_volume_ml(self) -> Decimal | None:
        volume: Decimal | None = self.cleaned_data.get("final_volume_ml")
        if volume is not None and volume <= 0:
            raise forms.ValidationError("Must be more than 0 mL, or left empty.")
        return volume

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        seen: dict[int, int] = {}  # stock pk → the row it is first in
        filled = 0
        for row in self.rows():
            stock_name, amount_name = f"stock_{row}", f"amount_{row}"
            if stock_name in self.errors or amount_name in self.errors:
                filled += 1
                continue
            stock, amount = cleaned.get(stock_name), cleaned.get(amount_name)
            if stock is None and amount is None:
                continue
            filled += 1
            if stock is None:
                self.add_error(stock_name, "Choose the stock of this amount.")
            elif stock.pk in seen:
                self.add_error(
                    stock_name, f"Already in ingredient {seen[stock.pk]}: add the amounts up once."
                )
            else:
                seen[stock.pk] = row
            if amount is None:
                self.add_error(amount_name, "Give the amount of this stock.")
            elif amount <= 0:
                self.add_error(amount_name, "Must be more than 0.")
        if not filled:
            self.add_error("stock_1", "Choose at least one stock and give its amount.")
        return cleaned

    def row_fields(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        """Each row's number, stock and amount, for the template's fieldset per row."""
        return [(row, self[f"stock_{row}"], self[f"amount_{row}"]) for row in self.rows()]

    def ingredients(self) -> list[tuple[StockProduct, Decimal]]:
        data = self.cleaned_data
        return [
            (data[f"stock_{row}"], data[f"amount_{row}"])
            for row in self.rows()
            if data.get(f"stock_{row}") is not None
        ]


class StockForm(ParseModelForm):
    allergens = forms.MultipleChoiceField(
        choices=Allergen.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Contains (for allergy checks)",
    )
    actives = forms.CharField(
        label="Other actives (% w/v)",
        required=False,
        max_length=300,
        help_text="A sclerosant's or biologic's actives, each as NAME PERCENT%, separated by "
        "commas: sodium morrhuate 5%; phenol 2.5%, glycerin 25% (with dextrose 25% above).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actives = self.initial.get("actives")
        if isinstance(actives, list):
            self.initial["actives"] = actives_text(actives)

    def clean_actives(self) -> list[dict[str, str]]:
        try:
            return parse_actives(self.cleaned_data.get("actives") or "")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    class Meta:
        model = StockProduct
        fields = STOCK_FIELDS
        labels = {"active": "In use (offered when drawing up)", "high_risk": "High risk"}
        help_texts = {
            "anaesthetic_percent": "0 unless it is a local anaesthetic stock.",
            "dextrose_percent": "0 unless it is a dextrose stock, or a sclerosant with dextrose.",
            "osmolarity": "From the label; 0 if the label gives none (it then counts as 0).",
            "source": "Where the strength and contents come from: the label, its date.",
        }
        widgets = {
            "dextrose_percent": forms.NumberInput(attrs={"step": "0.1"}),
            "anaesthetic_percent": forms.NumberInput(attrs={"step": "0.01"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        agent = cleaned.get("anaesthetic")
        if agent and "anaesthetic_percent" not in self.errors:
            error = anaesthetic_strength_error(agent != "none", cleaned.get("anaesthetic_percent"))
            if error:
                self.add_error("anaesthetic_percent", error)
        return cleaned
