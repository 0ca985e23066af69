"""Benchmark: FHIR Bundle import speed (target: at least 5,000 resources/s on PostgreSQL).

    .venv/bin/python bench/fhir_import.py [--patients 2000] [--observations 25] [--conditions 3]

Generates a synthetic transaction Bundle shaped like Synthea's (urn:uuid references, one
Encounter per patient that the import skips), imports it through the service the endpoint and
the command use, and prints entries, resources/s, seconds and peak memory.

The database: with DATABASE_URL set, a fresh test database is created next to the one it names
(Django's test_<name>, dropped afterwards; the named database is never written). Without it,
a throwaway PostgreSQL server is started as in /work/shared/TOOLCHAIN.md (needs root and
Debian's postgresql package); failing that, SQLite in memory, said clearly in the output.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import secrets
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: `bench` is importable from the repository root
from bench import postgres  # noqa: E402

TARGET = 5_000


def main() -> None:
    args = _arguments()
    with _database() as where:
        _setup_django()
        from django.db import connection

        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            _run(args, where)
        finally:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--observations", type=int, default=25, help="per patient")
    parser.add_argument("--conditions", type=int, default=3, help="per patient")
    return parser.parse_args()


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prolo.settings")
    # DEBUG off, as in production: with DEBUG on Django keeps every query's SQL in memory.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()


@contextlib.contextmanager
def _database() -> Iterator[str]:
    if os.environ.get("DATABASE_URL"):
        yield "DATABASE_URL (a fresh test database beside it)"
        return
    if not postgres.available():
        yield "SQLite in memory (no PostgreSQL could be started: set DATABASE_URL)"
        return
    with postgres.throwaway_postgres() as server:
        os.environ["DATABASE_URL"] = server.url
        yield "a throwaway PostgreSQL"


def synthetic_bundle(patients: int, observations: int, conditions: int) -> dict[str, Any]:
    """A transaction Bundle like Synthea's: per patient, one Patient, `conditions` Conditions,
    `observations` pain-score and vital-sign Observations and one (skipped) Encounter."""
    entries: list[dict[str, Any]] = []
    for p in range(patients):
        ref = f"urn:uuid:{uuid.uuid4()}"
        encounter = f"urn:uuid:{uuid.uuid4()}"
        entries.append(_entry(ref, _patient(p)))
        entries.append(_entry(encounter, {"resourceType": "Encounter", "status": "finished"}))
        entries += [
            _entry(f"urn:uuid:{uuid.uuid4()}", _condition(ref, c)) for c in range(conditions)
        ]
        entries += [
            _entry(f"urn:uuid:{uuid.uuid4()}", _observation(ref, encounter, o))
            for o in range(observations)
        ]
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def _entry(full_url: str, resource: dict[str, Any]) -> dict[str, Any]:
    request = {"method": "POST", "url": resource["resourceType"]}
    return {"fullUrl": full_url, "resource": resource, "request": request}


def _patient(n: int) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "identifier": [{"type": {"coding": [{"code": "MR"}]}, "value": f"BENCH-{n:07d}"}],
        "name": [{"use": "official", "family": f"Family{n}", "given": [f"Given{n}"]}],
        "gender": ("female", "male")[n % 2],
        "birthDate": f"{1940 + n % 60}-0{1 + n % 9}-1{n % 9}",
        "telecom": [{"system": "phone", "value": f"555-{n:07d}"}],
        "address": [{"line": [f"{n} Main St"], "city": "Boston", "country": "US"}],
    }


def _condition(subject: str, n: int) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "clinicalStatus": {"coding": [{"code": ("active", "resolved")[n % 2]}]},
        "verificationStatus": {"coding": [{"code": "confirmed"}]},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": f"2398730{n % 10}"}]},
        "subject": {"reference": subject},
        "onsetDateTime": "2015-06-01T10:00:00-04:00",
    }


def _observation(subject: str, encounter: str, n: int) -> dict[str, Any]:
    pain = n % 2 == 0
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"code": "vital-signs"}]}],
        "code": {
            "coding": [
                {
                    "system": "http://loinc.org",
                    "code": "72514-3" if pain else "8867-4",
                    "display": "Pain severity" if pain else "Heart rate",
                }
            ]
        },
        "subject": {"reference": subject},
        "encounter": {"reference": encounter},
        "effectiveDateTime": f"20{10 + n % 10}-0{1 + n % 9}-1{n % 9}T16:29:03-04:00",
        "issued": f"20{10 + n % 10}-0{1 + n % 9}-1{n % 9}T16:29:03.639-04:00",
        "valueQuantity": {"value": n % 11 if pain else 60 + n, "unit": "{score}", "code": "{score}"}
        if pain
        else {"value": 60 + n, "unit": "/min", "code": "/min"},
    }


def _run(args: argparse.Namespace, where: str) -> None:
    import orjson
    from django.db import connection

    from prolo.clinic.models import Clinic, Membership, Role, User
    from prolo.clinic.permissions import Actor
    from prolo.clinic.services.fhir_import import bundle_import

    clinic = Clinic.objects.create(name="Bench clinic")
    user = User.objects.create_user(username="bench", password=None)
    Membership.objects.create(user=user, clinic=clinic, role=Role.NURSE)
    actor = Actor(user=user, clinic=clinic, role=Role.NURSE)

    raw = orjson.dumps(synthetic_bundle(args.patients, args.observations, args.conditions))
    started, parse_cpu = time.perf_counter(), time.process_time()
    bundle = orjson.loads(raw)
    parsed, parse_cpu = time.perf_counter(), time.process_time() - parse_cpu
    cpu, server = time.process_time(), _server_cpu()
    report = bundle_import(actor=actor, bundle=bundle)
    done, cpu = time.perf_counter(), time.process_time() - cpu
    after = _server_cpu()
    server = after - server if after is not None and server is not None else None
    _analyze()  # what autovacuum does after a big load; the re-import's lookups need it
    done_analyze = time.perf_counter()
    again = bundle_import(actor=actor, bundle=bundle)
    reimported = time.perf_counter()

    imported = sum(1 for e in report.entries if e.outcome == "created")
    rate = imported / (done - started)
    print(f"database        {connection.vendor} ({where})")
    print(f"bundle          {len(raw) / 1e6:.1f} MB, {len(bundle['entry']):,} entries")
    print(f"imported        {imported:,} resources ({len(report.failed)} failed)")
    print(f"parse JSON      {parsed - started:.2f} s ({parse_cpu:.2f} s CPU)")
    print(f"import          {done - parsed:.2f} s ({cpu:.2f} s CPU in this process)")
    print(f"resources/s     {rate:,.0f} (parse + import; target {TARGET:,})")
    if server is not None:
        busy = parse_cpu + cpu + server
        print(
            f"CPU-bound rate  {imported / busy:,.0f} resources/s: {parse_cpu + cpu:.2f} s CPU "
            f"here (parse + import) and {server:.2f} s in the PostgreSQL backend; the ceiling "
            "on a machine not shared with other work"
        )
    print(f"re-import       {reimported - done_analyze:.2f} s, {_count(again, 'created')} created")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory     {peak:.0f} MB (whole process)")
    print("verdict         " + ("meets the target" if rate >= TARGET else "BELOW the target"))


def _server_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine only)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _count(report: Any, outcome: str) -> int:
    return sum(1 for e in report.entries if e.outcome == outcome)


if __name__ == "__main__":
    main()
