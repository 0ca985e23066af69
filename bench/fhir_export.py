"""Bulk $export throughput and memory on synthetic clinics of growing size.

    .venv/bin/python bench/fhir_export.py                 # 2,500 and 10,000 patients
    .venv/bin/python bench/fhir_export.py --sizes 1000,5000 --profile

Uses DATABASE_URL if set; otherwise starts a throwaway PostgreSQL (the recipe in
/work/shared/TOOLCHAIN.md, as bin/test does) and removes it afterwards. Each size is its own
clinic in one database. The export runs through `bulk_export.run_job`, the same code the
kick-off's thread and the worker run, twice: once for speed (resources/s, ru_maxrss growth) and
once under tracemalloc for the peak of Python allocations, which stays flat as data grows when
the runner streams. See bench/README.md for results.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.postgres import throwaway_postgres  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2500,10000", help="patients per clinic, comma list")
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile")
    parser.add_argument(
        "--by-type", action="store_true", help="also time each type's mapper on its own"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with database() as url, tempfile.TemporaryDirectory(prefix="bulk-bench-") as out:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DEBUG", "1")  # dev settings (no SECRET_KEY needed)
        os.environ["MEDIA_ROOT"] = out
        run(sizes, profile=args.profile, by_type=args.by_type)


def run(sizes: list[int], *, profile: bool, by_type: bool) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prolo.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # no query log growing in memory
    settings.FHIR_EXPORT_THREAD = False  # the bench runs the job itself
    call_command("migrate", verbosity=0)
    from django.urls import reverse

    reverse("fhir:metadata")  # load the URLconf now, as a web process has (mappers reverse)
    from django.db import connection

    print(f"database: {connection.vendor}")
    print(
        f"{'patients':>9} {'build s':>8} {'resources':>10} {'export s':>9} {'res/s':>8} "
        f"{'cpu s':>6} {'res/cpu-s':>9} {'tracemalloc peak':>17} {'maxrss +':>9}"
    )
    for size in sizes:
        synthetic = measure(size, profile=profile)
        if by_type:
            time_types(synthetic)


def measure(size: int, *, profile: bool) -> Any:
    from bench.synthetic import build_clinic

    started = time.perf_counter()
    synthetic = build_clinic(size, name=f"Synthetic {size}")
    built = time.perf_counter() - started
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu_before = cpu_seconds()
    resources, seconds = export_once(synthetic, profile=profile)
    cpu = cpu_seconds() - cpu_before
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    print(
        f"{size:>9,} {built:>8.1f} {resources:>10,} {seconds:>9.2f} {resources / seconds:>8,.0f} "
        f"{cpu:>6.1f} {resources / cpu:>9,.0f}",
        end="",
        flush=True,
    )
    tracemalloc.start()
    export_once(synthetic, profile=False)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f" {peak / 2**20:>14.1f} MB {rss_growth / 1024:>6.0f} MB", flush=True)
    return synthetic


def cpu_seconds() -> float:
    """CPU used by this process and by its PostgreSQL backend (when local): the time the
    export costs whatever else the machine is doing."""
    from django.db import connection

    total = time.process_time()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a remote server: count this process only
            return total
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def time_types(synthetic: Any) -> None:
    """Each type's rows through its mapper and orjson, on their own: who is the bottleneck."""
    from prolo.clinic.services import bulk_export
    from prolo.testing import actor

    doctor = actor(synthetic.physician, synthetic.clinic)
    for rt in bulk_export.exportable_types(doctor, "system"):
        started = time.perf_counter()
        count = sum(
            1 for source in rt.sources for _ in bulk_export.source_lines(doctor, source, None, None)
        )
        seconds = time.perf_counter() - started
        print(f"    {rt.name:<26} {count:>9,} {seconds:>7.2f} s {count / seconds:>9,.0f}/s")


def export_once(synthetic: Any, *, profile: bool) -> tuple[int, float]:
    from prolo.clinic.models import ExportJob
    from prolo.clinic.services import bulk_export
    from prolo.testing import actor

    doctor = actor(synthetic.physician, synthetic.clinic)
    job = bulk_export.export_kickoff(
        actor=doctor, level="system", types=[], since=None, request_url="bench"
    )
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    assert bulk_export.run_job(job.pk)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    job = ExportJob.objects.get(pk=job.pk)
    total = sum(entry["count"] for entry in job.output)
    if profiler:
        per_type = ", ".join(f"{e['type']} {e['count']}" for e in job.output)
        print(f"  types: {per_type}")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    bulk_export.export_cancel(job=job)  # deletes the files
    return total, seconds


@contextmanager
def database() -> Iterator[str]:
    """DATABASE_URL, or a throwaway PostgreSQL on a free port for the length of the run."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    with throwaway_postgres("-c synchronous_commit=off -c shared_buffers=256MB") as postgres:
        yield postgres.url


if __name__ == "__main__":
    main()
