"""`manage.py registry_csv`: the registry CSV of a clinic, as the staff download writes it.

The same service (services/outcome_report.py::registry_export) and the same writer
(exports/registry_csv.py), acting as a named staff member of the clinic: their role decides
whether an identified file is allowed, and the export is in the audit trail under their name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from prolo.clinic.exports.registry_csv import write_registry_csv
from prolo.clinic.management.actors import USAGE_ERROR, command_actor
from prolo.clinic.models import CourseType
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.services.outcome_report import DEFAULT_INSTRUMENT, registry_export


def _day(text: str | None, name: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--{name}: {text!r} is not a date: write YYYY-MM-DD.", returncode=USAGE_ERROR
        ) from None


class Command(BaseCommand):
    help = (
        "Write a clinic's registry CSV: one row per course with baseline and follow-up scores, "
        "sessions, solutions and sites, adverse events. De-identified unless --identified."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clinic", required=True, help="The clinic's code (UUID).")
        parser.add_argument(
            "--user",
            required=True,
            help="Username of the staff member taking the export (their role is checked and "
            "the export is audited under their name).",
        )
        parser.add_argument(
            "--identified",
            action="store_true",
            help="Add names, dates of birth, record numbers and course start dates "
            "(physician or clinic admin only).",
        )
        parser.add_argument("--instrument", default=DEFAULT_INSTRUMENT, choices=sorted(INSTRUMENTS))
        parser.add_argument("--course-type", default="", choices=["", *CourseType.values])
        parser.add_argument("--start-from", help="Courses starting on or after (YYYY-MM-DD).")
        parser.add_argument("--start-to", help="Courses starting on or before (YYYY-MM-DD).")
        parser.add_argument("-o", "--output", help="Write to this file instead of stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = command_actor(options["clinic"], options["user"])
        try:
            export = registry_export(
                actor=actor,
                identified=options["identified"],
                instrument=options["instrument"],
                course_type=options["course_type"],
                start_from=_day(options["start_from"], "start-from"),
                start_to=_day(options["start_to"], "start-to"),
            )
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(_messages(exc)), returncode=USAGE_ERROR) from None
        if options["output"]:
            with open(options["output"], "w", newline="", encoding="utf-8") as out:
                write_registry_csv(export.rows, out, identified=export.identified)
            self.stderr.write(f"{len(export.rows)} courses written to {options['output']}.")
        else:
            write_registry_csv(export.rows, self.stdout, identified=export.identified)


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return [f"{name}: {' '.join(texts)}" for name, texts in exc.message_dict.items()]
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]
