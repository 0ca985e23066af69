"""Refusals as JSON for the calculating commands (`ceiling`, `compound`, `score`).

With `--json` a refused request prints `{"errors": [{"field", "reason"}, …]}` on standard
output and exits with status 2, so a caller parsing JSON never has to parse an error text.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from prolo.clinic.management.actors import USAGE_ERROR


def errors_json(errors: Sequence[tuple[str | None, str]]) -> str:
    """The JSON document of a refusal: each problem with the field it concerns."""
    data = {"errors": [{"field": field, "reason": reason} for field, reason in errors]}
    return json.dumps(data, indent=2, ensure_ascii=False)


class JsonRefusals(BaseCommand):
    """A command whose `--json` refusals, the argument parser's included, are JSON (exit 2)."""

    json_wanted = False

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        plain_error = parser.error

        def error(message: str) -> NoReturn:
            if self.json_wanted:
                field = re.search(r"--([\w-]+)", message)
                self.refuse_json([(field.group(1) if field else "arguments", message)])
            plain_error(message)
            raise AssertionError  # plain_error exits or raises

        parser.error = error  # type: ignore[method-assign]
        return parser

    def run_from_argv(self, argv: list[str]) -> None:
        self.json_wanted = "--json" in argv
        super().run_from_argv(argv)

    def execute(self, *args: Any, **options: Any) -> str | None:
        self.json_wanted = self.json_wanted or bool(options.get("json"))
        return super().execute(*args, **options)

    def refuse_json(self, errors: Sequence[tuple[str | None, str]]) -> NoReturn:
        self.stdout.write(errors_json(errors))
        self.stdout.flush()
        sys.exit(USAGE_ERROR)
