"""`manage.py createclinic`: a new clinic and its first clinic admin, without writing Python.

Run in a terminal it asks for whatever the options leave out; in a script (`--no-input`, or no
terminal) every value comes from the options, the password from `--admin-password-file` or the
PROLO_ADMIN_PASSWORD environment variable so it stays out of the shell history. Bad input is
refused, naming the option, with exit status 2, and nothing is saved.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from prolo.clinic.models import Clinic, Role, User
from prolo.clinic.models.accounts import validate_time_zone
from prolo.clinic.services.clinics import clinic_create, membership_add, staff_user_create

USAGE_ERROR = 2
PASSWORD_ENV = "PROLO_ADMIN_PASSWORD"
PROMPTS = (
    ("name", "Clinic name"),
    ("time_zone", "Time zone (IANA name)"),
    ("admin_username", "Admin username"),
    ("admin_email", "Admin email"),
    ("admin_first_name", "Admin first name"),
    ("admin_last_name", "Admin last name"),
)


class Command(BaseCommand):
    help = (
        "Create a clinic, with its default stock catalogue and anaesthetic limits, and its "
        "first clinic admin. Asks for missing values in a terminal; give them all as options "
        "(with --no-input) in scripts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", default="", help="The clinic's name, as printed on letters.")
        parser.add_argument(
            "--time-zone",
            default="",
            help=f"Where the clinic works, by IANA name, e.g. Europe/London. "
            f"Default: the installation's ({settings.TIME_ZONE}).",
        )
        parser.add_argument("--admin-username", default="", help="The clinic admin's username.")
        parser.add_argument("--admin-email", default="", help="The clinic admin's email address.")
        parser.add_argument("--admin-first-name", default="", help="The clinic admin's first name.")
        parser.add_argument("--admin-last-name", default="", help="The clinic admin's last name.")
        passwords = parser.add_mutually_exclusive_group()
        passwords.add_argument(
            "--admin-password",
            default="",
            help=f"The admin's password. Prefer --admin-password-file or {PASSWORD_ENV}: a "
            "password on the command line is visible to other users of the machine.",
        )
        passwords.add_argument(
            "--admin-password-file",
            default="",
            help="A file whose first line is the admin's password.",
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Never ask: refuse instead when a value is missing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        values = {key: str(options.get(key) or "").strip() for key, _ in PROMPTS}
        values["admin_password"] = self._password(options)
        if options["interactive"] and sys.stdin.isatty():
            self._ask(values)
        values["time_zone"] = values["time_zone"] or str(settings.TIME_ZONE)
        errors = refusals(values)
        if errors:
            raise CommandError("\n".join(errors), returncode=USAGE_ERROR)
        clinic, admin = create(values)
        self.stdout.write(
            f"Created {clinic.name} ({clinic.time_zone}) with clinic admin {admin.username}. "
            "Sign in as the admin to fill in its profile, locations and opening hours "
            "(docs/clinic-setup.md)."
        )

    def _password(self, options: dict[str, Any]) -> str:
        if options["admin_password_file"]:
            path = Path(options["admin_password_file"])
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(
                    f"--admin-password-file: cannot read {path}: {error}", returncode=USAGE_ERROR
                ) from None
            return lines[0] if lines else ""
        return str(options["admin_password"] or os.environ.get(PASSWORD_ENV, ""))

    def _ask(self, values: dict[str, str]) -> None:
        for key, prompt in PROMPTS:
            if not values[key]:
                default = f" [{settings.TIME_ZONE}]" if key == "time_zone" else ""
                values[key] = input(f"{prompt}{default}: ").strip()
        while not values["admin_password"]:
            first = getpass.getpass("Admin password: ")
            if first and first == getpass.getpass("Admin password (again): "):
                values["admin_password"] = first
            else:
                self.stderr.write("The passwords were empty or did not match; try again.")


def refusals(values: dict[str, str]) -> list[str]:
    """Every problem with the values, each naming its option; empty when all is well."""
    errors: list[tuple[str, str]] = []
    if not values["name"]:
        errors.append(("name", "give the clinic's name."))
    elif len(values["name"]) > Clinic._meta.get_field("name").max_length:  # type: ignore[operator]
        errors.append(("name", "keep the name to 200 characters."))
    errors += _failures("time-zone", validate_time_zone, values["time_zone"])
    username = values["admin_username"]
    if not username:
        errors.append(("admin-username", "give the clinic admin's username."))
    elif User.objects.filter(username=username).exists():
        errors.append(("admin-username", f"{username!r} is taken; choose another."))
    else:
        errors += _failures("admin-username", User.username_validator, username)
    if values["admin_email"]:
        errors += _failures("admin-email", validate_email, values["admin_email"])
    if not values["admin_password"]:
        errors.append(
            (
                "admin-password",
                f"give it with --admin-password-file or the {PASSWORD_ENV} environment variable.",
            )
        )
    else:
        user = User(username=username, email=values["admin_email"])
        errors += _failures(
            "admin-password",
            lambda p: password_validation.validate_password(p, user),
            values["admin_password"],
        )
    return [f"--{flag}: {reason}" for flag, reason in errors]


def _failures(flag: str, check: Any, value: str) -> list[tuple[str, str]]:
    try:
        check(value)
    except ValidationError as error:
        return [(flag, " ".join(error.messages))]
    return []


@transaction.atomic
def create(values: dict[str, str]) -> tuple[Clinic, User]:
    clinic = clinic_create(name=values["name"], time_zone=values["time_zone"])
    admin = staff_user_create(
        username=values["admin_username"],
        password=values["admin_password"],
        first_name=values["admin_first_name"],
        last_name=values["admin_last_name"],
        email=values["admin_email"],
    )
    membership_add(clinic=clinic, user=admin, role=Role.CLINIC_ADMIN)
    return clinic, admin
