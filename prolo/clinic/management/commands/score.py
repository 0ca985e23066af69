"""`manage.py score INSTRUMENT [FILE]`: score answers without saving them.

    manage.py score womac answers.csv            one form per row; the header names the items
    manage.py score womac answers.json --json    {item id: value or null}, or a list of them
    cat form.json | manage.py score visa_a       FILE left out or "-": read standard input

For researchers scoring paper forms: the same path as a saved response
(services/questionnaires.py::answers_score), with the shipped missing-item minimums or, with
--clinic, that clinic's own. Nothing is saved. Every form is checked before any is printed;
a refusal names the form and the item or subscale, and exits with status 2 (with --json, as
{"errors": [{"field", "reason"}]} on standard output).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from prolo.clinic.management.actors import USAGE_ERROR
from prolo.clinic.management.refusals import JsonRefusals
from prolo.clinic.models import Clinic
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.outcomes.scoring import Result, ScoringError
from prolo.clinic.services.questionnaires import (
    ClinicInstrument,
    answers_score,
    clinic_instrument,
)

MAX_INPUT_CHARS = 10 * 1024 * 1024
# A CSV column that labels the form instead of answering an item.
LABEL_COLUMN = "form"


@dataclass(frozen=True)
class Form:
    label: str
    answers: dict[str, Any]


class Refused(Exception):
    """Input the command will not score: every problem, each with what it concerns ("FILE",
    "--clinic", "form 2, P3")."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("\n".join(f"{field}: {reason}" for field, reason in errors))
        self.errors = errors


def refuse(message: str) -> Refused:
    """One refusal, written "FIELD: reason"."""
    field, _, reason = message.partition(": ")
    return Refused([(field, reason)])


def _json_field(field: str) -> str:
    """A refusal's field as JSON names it: "file", "clinic", "form 2, P3"."""
    return "file" if field == "FILE" else field.removeprefix("--")


def _read(source: str, stdin: IO[str]) -> str:
    if source == "-":
        text = stdin.read(MAX_INPUT_CHARS + 1)
    else:
        try:
            text = Path(source).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise refuse(f"FILE: cannot read {source} ({exc.strerror}).") from None
        except UnicodeDecodeError:
            raise refuse(f"FILE: {source} is not UTF-8 text.") from None
    if len(text) > MAX_INPUT_CHARS:
        raise refuse("FILE: larger than 10 MB.")
    return text.lstrip("\ufeff")


def _json_forms(text: str) -> list[Form]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise refuse(f"FILE: not valid JSON ({exc}).") from None
    many = data if isinstance(data, list) else [data]
    if not many or not all(isinstance(entry, dict) for entry in many):
        raise refuse(
            "FILE: give an object {item id: value or null}, or a list of them (one per form)."
        )
    return [Form(str(n), entry) for n, entry in enumerate(many, start=1)]


def _cell(text: str) -> int | str | None:
    """A CSV cell as an answer: blank → None, a whole number → int; anything else is kept
    as text, for the scoring rule to refuse naming the item and its allowed answers."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return text


def _csv_forms(text: str) -> list[Form]:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise refuse("FILE: the CSV needs a header row naming the items (P1, P2, …).")
    header = [cell.strip() for cell in rows[0]]
    forms = []
    for n, row in enumerate(rows[1:], start=1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise refuse(f"form {n}: {len(row)} cells, but the header names {len(header)}.")
        cells = dict(zip(header, row, strict=False))
        label = cells.pop(LABEL_COLUMN, "").strip() or str(n)
        answers = {k: _cell(v) for k, v in cells.items()}
        forms.append(Form(label, answers))
    if not forms:
        raise refuse("FILE: the CSV has a header but no forms.")
    return forms


def _looks_like_json(source: str, text: str) -> bool:
    if source.lower().endswith(".json"):
        return True
    if source.lower().endswith(".csv"):
        return False
    return text.lstrip()[:1] in ("{", "[")


def _item_columns(view: ClinicInstrument) -> str:
    return ", ".join(item.id for item in view.instrument.items)


def _check_guessed_csv(view: ClinicInstrument, text: str) -> None:
    """Input that is not JSON and whose first line names none of the items is neither."""
    first = next(csv.reader(io.StringIO(text)), [])
    items = {item.id for item in view.instrument.items}
    if not any(cell.strip() in items for cell in first):
        raise refuse(
            "FILE: the input is neither valid JSON nor a CSV with the instrument's item "
            f"columns: {view.name} needs a JSON object {{item id: value or null}} (or a list "
            f"of them), or a CSV whose header names the items ({_item_columns(view)}; an "
            f"optional '{LABEL_COLUMN}' column labels each row)."
        )


def _score_all(view: ClinicInstrument, forms: list[Form]) -> list[tuple[Form, Result]]:
    """Every form scored, or Refused listing each refusal (form and item or subscale)."""
    scored, refusals = [], []
    for form in forms:
        try:
            scored.append((form, answers_score(view, form.answers)[1]))
        except ScoringError as exc:
            field = f", {exc.field}" if exc.field else ""
            refusals.append((f"form {form.label}{field}", str(exc)))
    if refusals:
        raise Refused(refusals)
    return scored


def _as_json(view: ClinicInstrument, scored: list[tuple[Form, Result]]) -> str:
    data = {
        "instrument": view.code,
        "rule_version": scored[0][1].rule_version,
        "min_answered": view.min_answered,
        "forms": [
            {
                "form": form.label,
                "scores": {k: str(v) for k, v in result.as_dict().items()},
                "answered": result.answered,
                "missing": list(result.missing),
            }
            for form, result in scored
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def _as_text(view: ClinicInstrument, scored: list[tuple[Form, Result]]) -> str:
    names = {spec.key: spec.name for spec in view.instrument.scores}
    lines = [f"{view.name} ({scored[0][1].rule_version})"]
    for form, result in scored:
        parts = "; ".join(f"{names[k]} {v}" for k, v in result.as_dict().items())
        missing = f" (missing: {', '.join(result.missing)})" if result.missing else ""
        lines.append(f"form {form.label}: {parts}{missing}")
    return "\n".join(lines)


def _clinic(code: str) -> Clinic:
    try:
        return Clinic.objects.get(code=code)
    except (Clinic.DoesNotExist, ValueError, ValidationError):
        raise refuse(f"--clinic: no clinic has the code {code!r} (a UUID).") from None


class Command(JsonRefusals):
    # A calculator: the URL configuration and the other system checks would cost most of its
    # start-up time and check nothing it uses.
    requires_system_checks: list[str] = []
    help = (
        "Score an outcome instrument's answers without saving them: JSON ({item id: value or "
        "null}, or a list of them) or CSV (a header of item ids, one form per row), from a "
        "file or standard input. Refusals name the form and the item, and exit with status 2."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instrument", choices=sorted(INSTRUMENTS), help="The instrument.")
        parser.add_argument(
            "file", nargs="?", default="-", help="The answers file; '-' or nothing: stdin."
        )
        parser.add_argument(
            "--format",
            choices=("json", "csv"),
            help="The input's format (default: from the file name, else from its first character).",
        )
        parser.add_argument("--json", action="store_true", help="Print the scores as JSON.")
        parser.add_argument(
            "--clinic", help="A clinic's code (UUID): use its own missing-item minimums."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = self._scores(options)
        except Refused as refused:
            if options["json"]:
                self.refuse_json([(_json_field(f), r) for f, r in refused.errors])
            raise CommandError(str(refused), returncode=USAGE_ERROR) from None
        self.stdout.write(text)

    def _scores(self, options: dict[str, Any]) -> str:
        code = options["instrument"]
        view = (
            clinic_instrument(_clinic(options["clinic"]), code)
            if options["clinic"]
            else ClinicInstrument(INSTRUMENTS[code], None)
        )
        source = options["file"]
        text = _read(source, options.get("stdin") or sys.stdin)
        fmt = options["format"] or ("json" if _looks_like_json(source, text) else "csv")
        if fmt == "csv" and not options["format"] and not source.lower().endswith(".csv"):
            _check_guessed_csv(view, text)
        forms = _json_forms(text) if fmt == "json" else _csv_forms(text)
        scored = _score_all(view, forms)
        return _as_json(view, scored) if options["json"] else _as_text(view, scored)
