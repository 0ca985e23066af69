"""`manage.py instrument`: export an instrument as a FHIR Questionnaire, or import its text.

    manage.py instrument export womac [--clinic CODE]          print the Questionnaire JSON
    manage.py instrument import womac.json --clinic CODE --user USERNAME --licence "…"

The same functions as the clinic's Instruments pages (outcomes/fhir_questionnaire.py and
services/instruments.py); docs/outcomes.md, "Import and export (FHIR Questionnaire)".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from prolo.clinic.models import Clinic, Membership
from prolo.clinic.outcomes.fhir_questionnaire import (
    QuestionnaireError,
    from_questionnaire,
    to_questionnaire,
)
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.permissions import Actor
from prolo.clinic.services.instruments import instrument_text_import
from prolo.clinic.services.questionnaires import clinic_instrument

USAGE_ERROR = 2
MAX_FILE_BYTES = 1024 * 1024


class Command(BaseCommand):
    help = (
        "Export an outcome instrument as a FHIR R4B Questionnaire (with a clinic's imported "
        "text), or import the licensed item text of one from a Questionnaire file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Print an instrument's Questionnaire JSON.")
        export.add_argument("code", choices=sorted(INSTRUMENTS), help="The instrument's code.")
        export.add_argument("--clinic", help="A clinic's code (UUID): include its imported text.")
        imp = sub.add_parser("import", help="Import item text from a Questionnaire file.")
        imp.add_argument("file", help="The Questionnaire JSON file.")
        imp.add_argument("--clinic", required=True, help="The clinic's code (UUID).")
        imp.add_argument("--user", required=True, help="Who imports: a physician or admin.")
        imp.add_argument(
            "--licence", required=True, help="Under which licence the clinic uses the text."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self._export(options["code"], options["clinic"])
        else:
            self._import(options)

    def _export(self, code: str, clinic_code: str | None) -> None:
        item_text = None
        if clinic_code is not None:
            setting = clinic_instrument(_clinic(clinic_code), code).setting
            item_text = setting.item_text if setting else None
        data = to_questionnaire(INSTRUMENTS[code], item_text)
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))

    def _import(self, options: dict[str, Any]) -> None:
        actor = _actor(_clinic(options["clinic"]), options["user"])
        data = _read(Path(options["file"]))
        try:
            instrument = from_questionnaire(data).instrument
            setting = instrument_text_import(
                actor=actor,
                instrument=instrument.code,
                questionnaire=data,
                licence_note=options["licence"],
            )
        except QuestionnaireError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except PermissionDenied as exc:
            raise CommandError(f"--user: {exc}", returncode=USAGE_ERROR) from None
        count = len(setting.item_text)
        self.stdout.write(f"Imported the text of {count} items of the {instrument.name}.")


def _clinic(code: str) -> Clinic:
    try:
        return Clinic.objects.get(code=code)
    except (Clinic.DoesNotExist, ValueError, ValidationError):
        raise CommandError(f"--clinic: no clinic has the code {code!r}.", returncode=2) from None


def _actor(clinic: Clinic, username: str) -> Actor:
    membership = (
        Membership.objects.filter(clinic=clinic, user__username=username, active=True)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise CommandError(
            f"--user: {username!r} is not an active member of {clinic}.", returncode=USAGE_ERROR
        )
    return Actor(user=membership.user, clinic=clinic, role=membership.role)


def _read(path: Path) -> Any:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"{path}: larger than 1 MB; a Questionnaire is not.")
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CommandError(f"{path}: cannot read it ({exc.strerror}).") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text (JSON).") from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CommandError(f"{path}: not valid JSON ({exc}).") from None
