"""`manage.py reminders`: the reminder worker (prolo/clinic/worker.py).

Runs until SIGTERM or Ctrl-C, finishing the message in hand and handing back the rest of its
batch. It also runs FHIR Bulk export jobs no web process is running (docs/fhir-bulk.md).
`--once` does one pass (sync, send what is due, run waiting exports) and exits: for cron, if
a clinic prefers it, and for tests. bin/run starts it beside the web server; in production run it as a
second long-lived process (systemd, a container) next to the web server.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prolo.clinic.worker import DEFAULT_BATCH, DEFAULT_LEASE, Worker

USAGE_ERROR = 2


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise CommandError(
            f"{value!r} is not a number of seconds.", returncode=USAGE_ERROR
        ) from None
    if number < 0:
        raise CommandError(f"{value!r}: give zero or more seconds.", returncode=USAGE_ERROR)
    return number


class Command(BaseCommand):
    help = (
        "Send due email reminders and run waiting FHIR export jobs, once or in a loop "
        "(the reminder worker)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Send everything due now, then exit."
        )
        parser.add_argument(
            "--interval", default="5", help="Seconds between passes when idle (default 5)."
        )
        parser.add_argument(
            "--lease",
            default=str(int(DEFAULT_LEASE.total_seconds())),
            help="Seconds a claimed reminder stays this worker's before another may retry it.",
        )
        parser.add_argument(
            "--batch", type=int, default=DEFAULT_BATCH, help="Reminders claimed at a time."
        )
        parser.add_argument(
            "--sync-every",
            default="600",
            help="Seconds between passes that bring reminders in line with the schedule "
            "(0: never).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1:
            raise CommandError("--batch: claim at least 1.", returncode=USAGE_ERROR)
        worker = Worker(
            interval=_positive(options["interval"]),
            lease=dt.timedelta(seconds=_positive(options["lease"])),
            batch=options["batch"],
            sync_every=_positive(options["sync_every"]),
            exports_inline=options["once"],
        )
        _log_to_console(options["verbosity"])
        if options["once"]:
            sent = worker.drain()
            self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
            return
        signal.signal(signal.SIGTERM, worker.stop)
        signal.signal(signal.SIGINT, worker.stop)
        worker.run()


def _log_to_console(verbosity: int) -> None:
    """One line per send on stderr, whatever the project's LOG_LEVEL (0: quiet)."""
    logger = logging.getLogger("prolo.reminders")
    if verbosity and not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
