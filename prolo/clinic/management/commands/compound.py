"""manage.py compound: the compounding calculator on the command line (docs/compounding.md).

Forward:  manage.py compound --volume 10 --dextrose 15 --lidocaine 0.5
Recipe:   manage.py compound --recipe "D50:3,Lidocaine 1%:1,saline:6"   (mL; or --parts)

The built-in catalogue by default, or a clinic's with --clinic <code>. A human table, or
--json. A request that cannot be made up exits with status 2 and says why.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from prolo.clinic.models import Clinic
from prolo.clinic.safety.catalogue import DEFAULT_STOCKS, find_stock
from prolo.clinic.safety.compounding import (
    FORMULAS,
    CompoundingError,
    Mix,
    Row,
    StockLike,
    analyse,
    compound,
    content_rows,
    flags,
    ingredient_rows,
    ml,
    num,
)
from prolo.clinic.services.catalogue import stocks_for
from prolo.clinic.services.settings import settings_for

AGENTS = {
    "lidocaine": "Lidocaine 1% (MPF)",
    "bupivacaine": "Bupivacaine 0.5%",
    "ropivacaine": "Ropivacaine 0.2%",
}
USAGE = 2  # the exit status of a refused or malformed request
# The option a refusal is about, by the calculator's name for it.
OPTIONS = {
    "final_volume_ml": "--volume",
    "precision_ml": "--precision",
    "target_dextrose_percent": "--dextrose",
    "dextrose_stock": "--dextrose-stock",
    "target_anaesthetic_percent": "--lidocaine/--bupivacaine/--ropivacaine",
    "anaesthetic_stock": "--anaesthetic-stock",
    "diluent_stock": "--diluent",
    "recipe": "--recipe",
}


def decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"{text!r} is not a number")
    return value


def _escape(text: str) -> str:
    """argparse formats help text with %: a stock's own "%" must be doubled."""
    return text.replace("%", "%%")


class Command(BaseCommand):
    # A calculator: it needs neither the URL configuration nor the other system checks, whose
    # imports (every view of the project) would cost most of its start-up time.
    requires_system_checks: list[str] = []
    help = (
        "Work out how much of each stock to draw up for a syringe (--volume, --dextrose, "
        "--lidocaine …), or what a recipe of stocks contains (--recipe)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--volume", type=decimal, help="final volume of the syringe, mL")
        parser.add_argument(
            "--dextrose", type=decimal, default=Decimal(0), help="target dextrose, %% w/v"
        )
        for agent, stock in AGENTS.items():
            parser.add_argument(
                f"--{agent}", type=decimal, help=f"target {agent}, %% (stock: {_escape(stock)})"
            )
        parser.add_argument("--dextrose-stock", default="D50", help="default: D50")
        parser.add_argument(
            "--anaesthetic-stock",
            action="append",
            default=[],
            help="the stock of an anaesthetic, once per agent (default: the 1%% lidocaine, "
            "0.5%% bupivacaine and 0.2%% ropivacaine stocks)",
        )
        parser.add_argument(
            "--diluent", default="0.9% sodium chloride", help="default: 0.9%% sodium chloride"
        )
        parser.add_argument(
            "--precision",
            type=decimal,
            help="syringe precision, mL (default: 0.1, or the clinic's)",
        )
        parser.add_argument("--clinic", help="use this clinic's catalogue and precision (its code)")
        parser.add_argument(
            "--recipe", help='what a recipe contains: "STOCK:AMOUNT,…" such as "D50:3,saline:7"'
        )
        parser.add_argument("--parts", action="store_true", help="recipe amounts are parts, not mL")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            stocks, precision = self._catalogue(options["clinic"])
            mix = (
                self._recipe(options, stocks)
                if options["recipe"]
                else self._forward(options, stocks, options["precision"] or precision)
            )
        except CompoundingError as exc:
            option = OPTIONS.get(exc.field or "")
            message = f"{option}: {exc.message}" if option else exc.message
            raise CommandError(message, returncode=USAGE) from None
        except LookupError as exc:
            raise CommandError(str(exc), returncode=USAGE) from None
        if options["json"]:
            self.stdout.write(json.dumps(mix.as_dict(), indent=2))
        else:
            self.stdout.write(table(mix))

    def _catalogue(self, code: str | None) -> tuple[Sequence[StockLike], Decimal]:
        if code is None:
            return DEFAULT_STOCKS, Decimal("0.1")
        try:
            clinic = Clinic.objects.get(code=code)
        except (Clinic.DoesNotExist, ValidationError, ValueError):
            raise LookupError(f"No clinic has the code {code!r}.") from None
        return list(stocks_for(clinic, active_only=True)), settings_for(clinic).syringe_precision_ml

    def _forward(
        self, options: dict[str, Any], stocks: Sequence[StockLike], precision: Decimal
    ) -> Mix:
        if options["volume"] is None:
            raise LookupError("Give the final volume with --volume (mL), or a --recipe.")
        chosen = [find_stock(name, stocks) for name in options["anaesthetic_stock"]]
        anaesthetics = []
        for agent, default in AGENTS.items():
            if options[agent] is None:
                continue
            stock = next((s for s in chosen if s.anaesthetic == agent), None)
            anaesthetics.append((stock or find_stock(default, stocks), options[agent]))
        given = {agent for agent in AGENTS if options[agent] is not None}
        unused = [s.name for s in chosen if s.anaesthetic not in given]
        if unused:
            raise LookupError(
                f"{', '.join(unused)}: give its strength too (--lidocaine, --bupivacaine or "
                "--ropivacaine)."
            )
        dextrose = options["dextrose"]
        return compound(
            final_volume_ml=options["volume"],
            target_dextrose_percent=dextrose,
            dextrose_stock=find_stock(options["dextrose_stock"], stocks) if dextrose else None,
            anaesthetics=anaesthetics,
            diluent_stock=find_stock(options["diluent"], stocks) if options["diluent"] else None,
            precision_ml=precision,
            alternatives=stocks,
        )

    def _recipe(self, options: dict[str, Any], stocks: Sequence[StockLike]) -> Mix:
        parts = []
        for item in filter(None, (i.strip() for i in options["recipe"].split(","))):
            name, _, amount = item.rpartition(":")
            if not name:
                raise LookupError(f"Write each ingredient as STOCK:AMOUNT, not {item!r}.")
            try:
                parts.append((find_stock(name, stocks), decimal(amount)))
            except argparse.ArgumentTypeError as exc:
                raise LookupError(f"{name}: {exc}.") from None
        unit: Literal["ml", "parts"] = "parts" if options["parts"] else "ml"
        return analyse(parts, unit=unit, final_volume=options["volume"])


def table(mix: Mix) -> str:
    """The result as a plain-text table, sources last."""
    volume = f"{ml(mix.final_volume_ml)} mL" if mix.final_volume_ml is not None else "in parts"
    rounding = f", volumes rounded to {num(mix.precision_ml)} mL" if mix.precision_ml else ""
    lines = [f"Syringe: {volume}{rounding}", ""]
    stocks = ingredient_rows(mix)
    lines += _grid(
        ("Draw up", "Amount", "Exact mL", "Share of syringe"),
        [(r.name, r.achieved, r.target, r.amount) for r in stocks],
    )
    lines.append("")
    contents = content_rows(mix)
    lines += _grid(
        ("Contains", "Asked", "Reached", "In the syringe"),
        [(r.name, r.target, r.achieved, r.amount) for r in contents],
    )
    lines += [f"Note: {note}" for note in mix.notes]
    warnings = flags(mix)
    if warnings:
        lines += ["", "Check before use:", *[f"- {w}" for w in warnings]]
    lines += ["", "Sources:", *[f"- {r.name}: {r.source}" for r in _sourced(stocks, contents)]]
    return "\n".join(lines)


def _sourced(stocks: list[Row], contents: list[Row]) -> list[Row]:
    volume = Row("Volumes", "", "", "", FORMULAS["volume"])
    return [*stocks, volume, *contents]


def _grid(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return [line(header), *(line(r) for r in rows)]
