"""manage.py compound: the compounding calculator on the command line (docs/compounding.md).

Forward:  manage.py compound --volume 10 --dextrose 15 --lidocaine 0.5
Recipe:   manage.py compound --recipe "D50:3,Lidocaine 1%:1,saline:6"   (mL; or --parts)

The built-in catalogue by default, or a clinic's with --clinic <code>; a stock either lacks can
be named by its composition ("Dextrose 30%", "Lidocaine 1% with epinephrine 1:200,000"). A
human table, or --json. A request that cannot be made up exits with status 2 and says why
(with --json, as {"errors": [{"field", "reason"}]}).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from prolo.clinic.management.refusals import errors_json
from prolo.clinic.models import Anaesthetic, Clinic
from prolo.clinic.safety.catalogue import DEFAULT_STOCKS, find_stock
from prolo.clinic.safety.composition import stock_from_composition
from prolo.clinic.safety.compounding import (
    DEFAULT_EPINEPHRINE_MIN_RATIO,
    CompoundingError,
    Mix,
    StockLike,
    analyse,
    compound,
    ml,
    num,
)
from prolo.clinic.safety.mix_tables import FORMULAS, Row, content_rows, flags, ingredient_rows
from prolo.clinic.services.catalogue import stocks_for
from prolo.clinic.services.settings import settings_for

# Every agent a stock can hold has its --<agent> option; these have a built-in default stock.
AGENTS = [agent for agent in Anaesthetic.values if agent != Anaesthetic.NONE]
DEFAULT_AGENT_STOCKS = {
    "lidocaine": "Lidocaine 1% (MPF)",
    "bupivacaine": "Bupivacaine 0.5%",
    "ropivacaine": "Ropivacaine 0.2%",
}
AGENT_OPTIONS = "/".join(f"--{agent}" for agent in AGENTS)
# A comma separates the ingredients of a --recipe, except one between a digit and a group of
# exactly three digits that ends the number ("1:100,000:5"): that is a thousands separator.
INGREDIENT_COMMA = re.compile(r"(?<!\d),|,(?!\d{3}(?![\d.%]))")
USAGE = 2  # the exit status of a refused or malformed request
# The option a refusal is about, by the calculator's name for it.
OPTIONS = {
    "final_volume_ml": "--volume",
    "precision_ml": "--precision",
    "target_dextrose_percent": "--dextrose",
    "dextrose_stock": "--dextrose-stock",
    "target_anaesthetic_percent": AGENT_OPTIONS,
    "anaesthetic_stock": "--anaesthetic-stock",
    "diluent_stock": "--diluent",
    "recipe": "--recipe",
}


class Refusal(Exception):
    """A request the command refuses: the option at fault (or None) and why."""

    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def decimal(text: str | None, option: str) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise Refusal(option, f"{text!r} is not a number.") from None
    if not value.is_finite():
        raise Refusal(option, f"{text!r} is not a number.")
    return value


def _escape(text: str) -> str:
    """argparse formats help text with %: a stock's own "%" must be doubled."""
    return text.replace("%", "%%")


def resolve(name: str, stocks: Sequence[StockLike], option: str) -> StockLike:
    """The stock `name` names in the catalogue (case-insensitive), or else the stock its
    composition describes ("Dextrose 30%", "Lidocaine 4%")."""
    try:
        return find_stock(name, stocks)
    except LookupError as exc:
        try:
            made = stock_from_composition(name)
        except ValueError as bad:
            raise Refusal(option, str(bad)) from None
        if made is None:
            raise Refusal(option, str(exc)) from None
        return made


class Command(BaseCommand):
    # A calculator: it needs neither the URL configuration nor the other system checks, whose
    # imports (every view of the project) would cost most of its start-up time.
    requires_system_checks: list[str] = []
    help = (
        "Work out how much of each stock to draw up for a syringe (--volume, --dextrose, "
        "--lidocaine …), or what a recipe of stocks contains (--recipe)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--volume", help="final volume of the syringe, mL")
        parser.add_argument("--dextrose", default="0", help="target dextrose, %% w/v")
        for agent in AGENTS:
            default = DEFAULT_AGENT_STOCKS.get(agent)
            stock = (
                f"stock: {_escape(default)}"
                if default
                else f'its stock by --anaesthetic-stock, "{agent.capitalize()} 1%%"'
            )
            parser.add_argument(f"--{agent}", help=f"target {agent}, %% ({stock})")
        parser.add_argument(
            "--dextrose-stock", default="D50", help="default: D50; or by composition"
        )
        parser.add_argument(
            "--anaesthetic-stock",
            action="append",
            default=[],
            help="the stock of an anaesthetic, once per agent (default: the 1%% lidocaine, "
            '0.5%% bupivacaine and 0.2%% ropivacaine stocks; or by composition, "Lidocaine 2%%")',
        )
        parser.add_argument(
            "--diluent", default="0.9% sodium chloride", help="default: 0.9%% sodium chloride"
        )
        parser.add_argument(
            "--precision", help="syringe precision, mL (default: 0.1, or the clinic's)"
        )
        parser.add_argument(
            "--clinic", help="use this clinic's catalogue, precision and epinephrine threshold"
        )
        parser.add_argument(
            "--recipe",
            help='what a recipe contains: "STOCK:AMOUNT,…" such as "D50:3,saline:7"; a stock '
            'the catalogue lacks by its composition, "Dextrose 30%%:2"; a ratio may keep its '
            'commas, "Lidocaine 1%% with epinephrine 1:100,000:5"',
        )
        parser.add_argument("--parts", action="store_true", help="recipe amounts are parts, not mL")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            mix = self._mix(options)
        except Refusal as exc:
            if options["json"]:
                self.stdout.write(errors_json([(exc.field, exc.reason)]))
            message = f"{exc.field}: {exc.reason}" if exc.field else exc.reason
            raise CommandError(message, returncode=USAGE) from None
        if options["json"]:
            self.stdout.write(json.dumps(mix.as_dict(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(table(mix))

    def _mix(self, options: dict[str, Any]) -> Mix:
        stocks, precision, threshold = self._catalogue(options["clinic"])
        try:
            if options["recipe"]:
                return self._recipe(options, stocks, threshold)
            chosen = decimal(options["precision"], "--precision")
            return self._forward(options, stocks, chosen or precision, threshold)
        except CompoundingError as exc:
            raise Refusal(_option(exc), exc.message) from None

    def _catalogue(self, code: str | None) -> tuple[Sequence[StockLike], Decimal, int]:
        if code is None:
            return DEFAULT_STOCKS, Decimal("0.1"), DEFAULT_EPINEPHRINE_MIN_RATIO
        try:
            clinic = Clinic.objects.get(code=code)
        except (Clinic.DoesNotExist, ValidationError, ValueError):
            raise Refusal("--clinic", f"No clinic has the code {code!r}.") from None
        settings = settings_for(clinic)
        stocks = list(stocks_for(clinic, active_only=True))
        return stocks, settings.syringe_precision_ml, settings.epinephrine_min_ratio

    def _forward(
        self,
        options: dict[str, Any],
        stocks: Sequence[StockLike],
        precision: Decimal,
        threshold: int,
    ) -> Mix:
        volume = decimal(options["volume"], "--volume")
        if volume is None:
            raise Refusal("--volume", "Give the final volume with --volume (mL), or a --recipe.")
        chosen = [resolve(n, stocks, "--anaesthetic-stock") for n in options["anaesthetic_stock"]]
        targets: dict[str, Decimal] = {}
        for agent in AGENTS:
            target = decimal(options[agent], f"--{agent}")
            if target is not None:
                targets[agent] = target
        anaesthetics = []
        for agent, target in targets.items():
            stock = next((s for s in chosen if s.anaesthetic == agent), None)
            anaesthetics.append((stock or _agent_stock(agent, stocks), target))
        unused = [s for s in chosen if s.anaesthetic not in targets]
        if unused:
            raise Refusal(
                "--anaesthetic-stock",
                f"{', '.join(s.name for s in unused)}: give its strength too "
                f"({' or '.join(sorted({f'--{s.anaesthetic}' for s in unused}))}).",
            )
        dextrose = decimal(options["dextrose"], "--dextrose") or Decimal(0)
        dextrose_stock = options["dextrose_stock"]
        diluent = options["diluent"]
        try:
            return compound(
                final_volume_ml=volume,
                target_dextrose_percent=dextrose,
                dextrose_stock=resolve(dextrose_stock, stocks, "--dextrose-stock")
                if dextrose
                else None,
                anaesthetics=anaesthetics,
                diluent_stock=resolve(diluent, stocks, "--diluent") if diluent else None,
                precision_ml=precision,
                alternatives=stocks,
                epinephrine_min_ratio=threshold,
            )
        except CompoundingError as exc:
            if exc.field == "target_anaesthetic_percent" and exc.index < len(targets):
                raise Refusal(f"--{list(targets)[exc.index]}", exc.message) from None
            raise

    def _recipe(self, options: dict[str, Any], stocks: Sequence[StockLike], threshold: int) -> Mix:
        parts = []
        for item in filter(None, (i.strip() for i in INGREDIENT_COMMA.split(options["recipe"]))):
            name, _, amount = item.rpartition(":")
            if not name:
                raise Refusal("--recipe", f"Write each ingredient as STOCK:AMOUNT, not {item!r}.")
            stock = resolve(name, stocks, "--recipe")
            parts.append((stock, decimal(amount, "--recipe") or Decimal(0)))
        unit: Literal["ml", "parts"] = "parts" if options["parts"] else "ml"
        volume = decimal(options["volume"], "--volume")
        return analyse(parts, unit=unit, final_volume=volume, epinephrine_min_ratio=threshold)


def _agent_stock(agent: str, stocks: Sequence[StockLike]) -> StockLike:
    """The built-in default stock of `agent`, or else the catalogue's first stock of it."""
    default = DEFAULT_AGENT_STOCKS.get(agent)
    if default:
        return resolve(default, stocks, f"--{agent}")
    stock = next((s for s in stocks if s.anaesthetic == agent), None)
    if stock is None:
        raise Refusal(
            f"--{agent}",
            f"No stock of {agent} in the catalogue: name one with --anaesthetic-stock, such as "
            f'"{agent.capitalize()} 1%".',
        )
    return stock


def _option(exc: CompoundingError) -> str | None:
    if exc.field == "target_anaesthetic_percent":
        return None  # which agent is in the message itself
    return OPTIONS.get(exc.field or "")


def table(mix: Mix) -> str:
    """The result as a plain-text table, sources last."""
    volume = f"{ml(mix.final_volume_ml)} mL" if mix.final_volume_ml is not None else "in parts"
    rounding = f", volumes rounded to {num(mix.precision_ml)} mL" if mix.precision_ml else ""
    lines = [f"Syringe: {volume}{rounding}", ""]
    stocks = ingredient_rows(mix)
    lines += _grid(
        ("Draw up", "Amount", "Exact mL", "Share of syringe"),
        [(r.name, r.achieved, r.target, r.amount) for r in stocks] + [_total(mix, stocks)],
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


def _total(mix: Mix, stocks: list[Row]) -> tuple[str, ...]:
    """The sum of the printed amounts and shares (ingredient_rows rounds them so they add up)."""
    if mix.final_volume_ml is None:
        parts = sum((i.amount or i.volume_ml for i in mix.ingredients), Decimal(0))
        amount = f"{num(parts)} parts"
    else:
        amount = ml(sum((Decimal(r.achieved.split()[0]) for r in stocks), Decimal(0)))
    share = sum((Decimal(r.amount.rstrip("%")) for r in stocks), Decimal(0))
    return ("Total", amount, "", f"{num(share)}%")


def _sourced(stocks: list[Row], contents: list[Row]) -> list[Row]:
    volume = Row("Volumes", "", "", "", FORMULAS["volume"])
    return [*stocks, volume, *contents]


def _grid(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return [line(header), *(line(r) for r in rows)]
