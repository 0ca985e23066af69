from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prolo.clinic.demo import DEMO_PASSWORD, demo_logins, demo_portal_logins, load_demo
from prolo.clinic.models import Clinic, User


class Command(BaseCommand):
    help = "Load the demo clinics, staff and patients (all fictional), then print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load nothing if any clinic exists (still print the logins).",
        )

    def handle(self, *args: Any, if_empty: bool, **options: Any) -> None:
        if if_empty and Clinic.objects.exists():
            self.stdout.write("Clinics already exist: demo data not loaded.")
        else:
            usernames = [username for username, _, _ in demo_logins()]
            if User.objects.filter(username__in=usernames).exists():
                raise CommandError("The demo users already exist: the demo is loaded.")
            started = time.monotonic()
            clinics = load_demo()
            elapsed = time.monotonic() - started
            names = " and ".join(clinic.name for clinic in clinics)
            self.stdout.write(self.style.SUCCESS(f"Loaded {names} in {elapsed:.1f} s."))
        self.stdout.write(self._logins_table())

    def _logins_table(self) -> str:
        rows = [("Username", "Role", "Password", "Clinic")]
        logins = [*demo_logins(), *demo_portal_logins()]
        rows += [(user, role, DEMO_PASSWORD, clinic) for user, role, clinic in logins]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = ["", "Demo logins (fictional data; never load it into a real clinic's database):"]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            lines.append("  " + "  ".join([*cells, row[3]]))
        return "\n".join(lines)
