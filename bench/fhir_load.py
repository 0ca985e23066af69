"""FHIR read/search under concurrent load against gunicorn on PostgreSQL: req/s, p50/p90/p99.

    python bench/fhir_load.py [--patients N] [--concurrency C] [--seconds S]

Without DATABASE_URL it starts a throwaway PostgreSQL (the recipe of bin/test), migrates,
builds a synthetic clinic, makes an API token, starts gunicorn with production settings
(DEBUG off, served over plain http on 127.0.0.1), warms up, then drives a mix of FHIR reads and
searches from C concurrent clients for S seconds. gunicorn and PostgreSQL are stopped whatever
happens. With DATABASE_URL set, a fresh test database is made beside the one it names (Django's
test_<name>, dropped at the end): the named database is never written.

Any non-2xx answer counts as an error and is printed. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: `bench` is importable from the repository root
from bench.postgres import Postgres, children, free_port, throwaway_postgres  # noqa: E402

PAIN_NRS = "http://loinc.org|72514-3"


# --- processes -------------------------------------------------------------------------------


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes (those that still exist)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def production_env(database_url: str, static_root: str) -> dict[str, str]:
    """Production settings (DEBUG off, real secret) that still answer plain http on 127.0.0.1."""
    return {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "prolo.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }


@dataclass(frozen=True)
class Gunicorn:
    base: str
    pid: int

    def pids(self) -> list[int]:
        return [self.pid, *children(self.pid)]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, log: Path) -> Iterator[Gunicorn]:
    """gunicorn serving prolo.wsgi on a free port, once it answers."""
    port = free_port()
    # A worker imports the FHIR views (and fhir.resources) on its first request: on a busy
    # machine that takes longer than the default 30 s timeout.
    options = f"-w {workers} --no-control-socket --timeout 120 --log-level warning"
    cmd = [sys.executable, "-m", "gunicorn", "prolo.wsgi", *options.split()]
    cmd += ["-b", f"127.0.0.1:{port}"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=out)
    try:
        _wait_listening(port, proc, log)
        yield Gunicorn(f"http://127.0.0.1:{port}", proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_listening(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    sys.exit(f"gunicorn did not start in 60 s:\n{log.read_text()[-3000:]}")


# --- the synthetic clinic --------------------------------------------------------------------


@dataclass
class Clinic:
    """What the request mix needs to know about the data it runs against."""

    token: str
    patient_ids: list[str]
    family_names: list[str]
    appointment_days: list[dt.date]
    observation_days: list[dt.date]
    include: str  # e.g. "Observation:patient"
    name_param: str  # "name" or "family"
    counts: dict[str, int] = field(default_factory=dict)


@contextlib.contextmanager
def database(patients: int, fresh_beside: bool) -> Iterator[tuple[Clinic, str]]:
    """Migrate, build the clinic; yields it and the DATABASE_URL the server must use. Runs in
    this process, then disconnects so gunicorn's workers hold the only connections.

    `fresh_beside`: make Django's test_<name> beside DATABASE_URL's database, drop it after."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    url = os.environ["DATABASE_URL"]
    started = time.monotonic()
    if fresh_beside:
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        url = urlsplit(url)._replace(path=f"/{name}").geturl()
    else:
        call_command("migrate", verbosity=0)
    print(f"migrated in {time.monotonic() - started:.1f} s", flush=True)
    try:
        started = time.monotonic()
        clinic = build_clinic(patients)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # as autovacuum would, before anything is timed
                cursor.execute("ANALYZE")
        took = time.monotonic() - started
        print(f"built {_describe(clinic.counts)} in {took:.1f} s", flush=True)
        connections.close_all()
        yield clinic, url
    finally:
        if fresh_beside:
            connections.close_all()
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def _describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {name}" for name, n in counts.items())


def build_clinic(patients: int) -> Clinic:
    """The bulk benchmark's synthetic clinic (bench/synthetic.py), and what to ask of it."""
    from bench.synthetic import build_clinic as synthetic_clinic
    from prolo.clinic.models import Observation, Patient, TreatmentSession

    clinic = synthetic_clinic(patients, name="FHIR load bench").clinic
    rows = Patient.objects.filter(clinic=clinic)
    sessions = TreatmentSession.objects.filter(course__patient__clinic=clinic)
    observations = Observation.objects.filter(patient__clinic=clinic)
    return Clinic(
        token=_token_for(clinic),
        patient_ids=[str(code) for code in rows.values_list("code", flat=True)],
        family_names=sorted(set(rows.values_list("family_name", flat=True))),
        appointment_days=_days(sessions.values_list("scheduled_at", flat=True)),
        observation_days=_days(observations.values_list("effective_at", flat=True)),
        include=_patient_include("Observation"),
        name_param=_name_param(),
        counts={
            "patients": rows.count(),
            "stored observations": observations.count(),
            "appointments": sessions.count(),
        },
    )


def _days(moments: Any) -> list[dt.date]:
    from django.utils import timezone

    return sorted({timezone.localtime(m).date() for m in moments.distinct() if m is not None})


def _patient_include(type_name: str) -> str:
    import prolo.clinic.fhir.resources  # noqa: F401  (registers every type)
    from prolo.clinic.fhir.registry import REGISTRY

    for include in REGISTRY[type_name].includes:
        if include.target == "Patient":
            return f"{type_name}:{include.param}"
    sys.exit(f"{type_name} has no _include of Patient in the registry")


def _name_param() -> str:
    from prolo.clinic.fhir.registry import REGISTRY

    params = REGISTRY["Patient"].param_names()
    return "name" if "name" in params else "family"


def _token_for(clinic: Any) -> str:
    from prolo.clinic.models import Membership
    from prolo.clinic.permissions import Actor
    from prolo.clinic.services.api_tokens import api_token_create

    membership = Membership.objects.filter(clinic=clinic, role="physician").select_related("user")
    first = membership.first()
    if first is None:
        sys.exit("the synthetic clinic has no physician to own the API token")
    actor = Actor(user=first.user, clinic=clinic, role=first.role)
    _, raw = api_token_create(actor=actor, name="load bench")
    return raw


# --- the request mix ---------------------------------------------------------------------------


def request_mix(clinic: Clinic) -> dict[str, Callable[[random.Random], str]]:
    """Request kind → a function that picks one URL of that kind."""
    ids, names, name_param = clinic.patient_ids, clinic.family_names, clinic.name_param

    def week(r: random.Random) -> str:
        start = r.choice(clinic.observation_days) - dt.timedelta(days=r.randrange(7))
        return f"date=ge{start}&date=lt{start + dt.timedelta(days=7)}"

    return {
        "Patient read": lambda r: f"Patient/{r.choice(ids)}",
        "Patient?name": lambda r: f"Patient?{name_param}={r.choice(names)}&_count=20",
        "Observation?patient&code": lambda r: (
            f"Observation?patient={r.choice(ids)}&code={PAIN_NRS}"
        ),
        "Observation?date": lambda r: f"Observation?{week(r)}&_count=20",
        "Appointment?date": lambda r: (
            f"Appointment?date={r.choice(clinic.appointment_days)}&_count=20"
        ),
        "Observation?_include": lambda r: (
            f"Observation?patient={r.choice(ids)}&_include={clinic.include}"
        ),
    }


@dataclass
class Sample:
    kind: str
    ms: float
    status: int
    url: str
    body: str = ""


async def drive(
    base: str,
    token: str,
    mix: dict[str, Callable[[random.Random], str]],
    clients: int,
    seconds: float,
) -> list[Sample]:
    """`clients` concurrent keep-alive clients, each sending one request after another."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"}
    deadline = time.perf_counter() + seconds
    kinds = list(mix)
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(headers=headers, connector=connector) as session:

        async def client(seed: int) -> list[Sample]:
            r, samples = random.Random(seed), list[Sample]()
            while time.perf_counter() < deadline:
                kind = kinds[(seed + len(samples)) % len(kinds)]
                url = f"{base}/fhir/{mix[kind](r)}"
                t0 = time.perf_counter()
                async with session.get(url) as resp:
                    body = await resp.read()
                ms = (time.perf_counter() - t0) * 1000
                bad = "" if resp.status < 300 else body[:300].decode(errors="replace")
                samples.append(Sample(kind, ms, resp.status, url, bad))
            return samples

        results = await asyncio.gather(*(client(seed) for seed in range(clients)))
    return [s for samples in results for s in samples]


async def first_answers(
    base: str, token: str, mix: dict[str, Callable[[random.Random], str]], workers: int
) -> None:
    """Every kind of request, `workers` at a time, twice: each worker imports the FHIR views
    and fills its caches before anything is timed."""
    headers = {"Authorization": f"Bearer {token}"}
    r = random.Random(0)
    async with aiohttp.ClientSession(headers=headers) as session:

        async def one(url: str) -> None:
            async with session.get(url) as resp:
                await resp.read()

        for _ in range(2):
            for pick in mix.values():
                await asyncio.gather(*(one(f"{base}/fhir/{pick(r)}") for _ in range(workers)))


def percentile(sorted_ms: list[float], q: float) -> float:
    if not sorted_ms:
        return float("nan")
    return sorted_ms[min(len(sorted_ms) - 1, round(q / 100 * (len(sorted_ms) - 1)))]


def report(samples: list[Sample], seconds: float) -> None:
    groups: dict[str, list[Sample]] = {}
    for s in samples:
        groups.setdefault(s.kind, []).append(s)
    print(
        f"\n{'request':<26} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7}"
    )
    for kind, group in [*sorted(groups.items()), ("all", samples)]:
        ms = sorted(s.ms for s in group)
        errors = sum(1 for s in group if not 200 <= s.status < 300)
        print(
            f"{kind:<26} {len(group):>9,} {len(group) / seconds:>8.1f} "
            f"{percentile(ms, 50):>8.1f} {percentile(ms, 90):>8.1f} "
            f"{percentile(ms, 99):>8.1f} {errors:>7}"
        )
    failed = [s for s in samples if not 200 <= s.status < 300]
    for s in failed[:10]:
        print(f"  error {s.status} {s.url}\n    {s.body}")
    if len(failed) > 10:
        print(f"  … and {len(failed) - 10} more errors")


# --- main --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument(
        "--only", default="", help="comma-separated request kinds to send (default: the mix)"
    )
    args = parser.parse_args()
    _only(request_mix(Clinic("", [], [], [], [], "", "")), args.only)  # a typo fails now
    # SIGTERM (a CI timeout) goes through the finally blocks too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with contextlib.ExitStack() as stack:
        postgres, given = None, os.environ.get("DATABASE_URL", "")
        if not given:
            postgres = stack.enter_context(throwaway_postgres())
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="fhir-load.")))
        (tmp / "static").mkdir()
        env = production_env(postgres.url if postgres else given, str(tmp / "static"))
        os.environ.update(env)
        clinic, env["DATABASE_URL"] = stack.enter_context(database(args.patients, bool(given)))
        server = stack.enter_context(gunicorn(env, args.workers, tmp / "gunicorn.log"))
        mix = _only(request_mix(clinic), args.only)
        print(f"gunicorn: {args.workers} sync workers at {server.base}; {args.concurrency} clients")
        started = time.monotonic()
        asyncio.run(first_answers(server.base, clinic.token, mix, args.workers))
        asyncio.run(drive(server.base, clinic.token, mix, args.concurrency, args.warmup))
        print(f"warmed up in {time.monotonic() - started:.1f} s", flush=True)
        before = _cpu(server, postgres)
        samples = asyncio.run(drive(server.base, clinic.token, mix, args.concurrency, args.seconds))
        used = [b - a for a, b in zip(before, _cpu(server, postgres), strict=True)]
        report(samples, args.seconds)
        report_cpu(used, len(samples), postgres is not None)
        errors = sum(1 for s in samples if not 200 <= s.status < 300)
        log = (tmp / "gunicorn.log").read_text().strip()
        if log:
            print(f"\ngunicorn log (tail):\n{log[-2000:]}")
    return 1 if errors else 0


def _only(
    mix: dict[str, Callable[[random.Random], str]], only: str
) -> dict[str, Callable[[random.Random], str]]:
    wanted = [kind.strip() for kind in only.split(",") if kind.strip()]
    unknown = [kind for kind in wanted if kind not in mix]
    if unknown:
        sys.exit(f"--only: unknown kind {unknown[0]!r}; kinds: {', '.join(mix)}")
    return {kind: pick for kind, pick in mix.items() if kind in wanted} if wanted else mix


def _cpu(server: Gunicorn, postgres: Postgres | None) -> tuple[float, float, float]:
    database = cpu_seconds(postgres.pids()) if postgres else 0.0
    return cpu_seconds(server.pids()), database, time.process_time()


def report_cpu(used: list[float], requests: int, measured_database: bool) -> None:
    """CPU time per request: what the figures would be on idle cores, whatever else runs."""
    if not requests:
        return
    app, database, client = (1000 * u / requests for u in used)
    cores = os.cpu_count() or 1
    server = app + database if measured_database else app
    print(
        f"\nCPU per request: gunicorn {app:.1f} ms"
        + (f", PostgreSQL {database:.1f} ms" if measured_database else " (database not measured)")
        + f", this client {client:.1f} ms"
        + f"; the server alone could answer about {cores * 1000 / server:.0f} req/s "
        + f"on {cores} idle cores"
    )


if __name__ == "__main__":
    sys.exit(main())
