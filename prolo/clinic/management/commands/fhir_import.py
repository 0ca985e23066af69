"""`manage.py fhir_import --clinic <uuid> --user <username> FILE...`: import FHIR Bundles.

The same service as POST /fhir/ (services/fhir_import.py), acting as a named staff member of
the clinic: their role decides whether the import is allowed, and the audit trail shows it
under their name. Each file is one bundle, imported on its own (a transaction file is all or
nothing). On a terminal a progress bar shows entries done and the rate; otherwise one summary
line per file. Failing entries are listed; the exit status is 1 if any entry or file failed.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from prolo.clinic.management.actors import USAGE_ERROR, command_actor
from prolo.clinic.permissions import Actor
from prolo.clinic.services.fhir_import import BundleInvalid, ImportReport, bundle_import

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import FHIR R4 Bundles (transaction or collection, e.g. Synthea's) into a clinic: "
        "Patients, Conditions and Observations. Re-importing a file creates nothing new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="Bundle JSON files.")
        parser.add_argument("--clinic", required=True, help="The clinic's code (UUID).")
        parser.add_argument(
            "--user",
            required=True,
            help="Username of the staff member importing (needs a clinical role: physician or "
            "nurse); the import is audited under their name.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = command_actor(options["clinic"], options["user"])
        failed_files = 0
        for name in options["files"]:
            if not self._import_file(actor, Path(name)):
                failed_files += 1
        if failed_files:
            raise CommandError(f"{failed_files} of {len(options['files'])} files had errors.")

    def _import_file(self, actor: Actor, path: Path) -> bool:
        try:
            bundle = orjson.loads(path.read_bytes())
        except OSError as error:
            self.stderr.write(f"{path}: cannot read: {error.strerror}.")
            return False
        except orjson.JSONDecodeError as error:
            self.stderr.write(f"{path}: not JSON: {error}.")
            return False
        bar = _Bar(self, path.name) if self.stderr.isatty() else None
        started = time.perf_counter()
        try:
            report = bundle_import(actor=actor, bundle=bundle, progress=bar)
        except PermissionDenied as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from None
        except BundleInvalid as error:
            self.stderr.write(f"{path}: {error.expression}: {error.message}")
            return False
        finally:
            if bar:
                bar.close()
        self._summary(path, report, time.perf_counter() - started)
        return not report.failed

    def _summary(self, path: Path, report: ImportReport, seconds: float) -> None:
        for entry in report.failed:
            for problem in entry.problems:
                self.stderr.write(f"{path}: {problem.expression}: {problem.message}")
        self.stdout.write(f"{path}: {summary_line(report)} in {seconds:.1f} s")


def summary_line(report: ImportReport) -> str:
    """'1 Patient, 76 Observation created; 55 skipped (Claim 11, …); 0 failed' and the like."""
    counts = report.counts()

    def listing(outcome: str) -> str:
        kinds = sorted((t, n) for (o, t), n in counts.items() if o == outcome)
        return ", ".join(f"{n} {t}" for t, n in kinds) or "nothing"

    skipped = Counter({t: n for (o, t), n in counts.items() if o == "skipped"})
    parts = [
        f"created {listing('created')}",
        f"already imported {listing('existing')}",
        f"skipped {skipped.total()} not imported by Prolo"
        + (f" ({', '.join(f'{t} {n}' for t, n in sorted(skipped.items()))})" if skipped else ""),
        f"{len(report.failed)} failed",
    ]
    if report.failed and not report.written:
        parts.append("nothing written (transaction)")
    return "; ".join(parts)


class _Bar:
    """A one-line progress bar on stderr: stage, entries done/total, entries per second."""

    def __init__(self, command: BaseCommand, label: str) -> None:
        self.command = command
        self.label = label
        self.stage = ""
        self.started = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.stage, self.started = stage, time.perf_counter()
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        rate = done / max(time.perf_counter() - self.started, 1e-6)
        self.command.stderr.write(
            f"\r{self.label} {stage:<8} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
            f"{done}/{total} ({rate:,.0f}/s)",
            ending="",
        )
        self.command.stderr.flush()

    def close(self) -> None:
        self.command.stderr.write("\r\x1b[K", ending="")
        self.command.stderr.flush()
