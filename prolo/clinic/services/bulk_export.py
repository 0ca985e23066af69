"""FHIR Bulk Data $export: kick-off, the runner that writes NDJSON files, claim and cancel.

docs/fhir-bulk.md explains the design. In short: a kick-off stores an ExportJob (the row is the
queue) and, once committed, starts a daemon thread in the web process that claims and runs it.
The worker (`manage.py reminders`) also claims jobs nobody holds: accepted ones whose thread
never started, and running ones whose lease ran out because their process died. A claim is a
conditional UPDATE, so one runner holds a job at a time; the runner renews its lease as it
writes and stops as soon as a renewal finds the job cancelled or taken over.

Each attempt writes into its own directory (bulk/<job>/<attempt>/), so a runner that lost its
lease never overwrites the files of the runner that took over; the manifest names the
attempt's files and the download view serves only those.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, connection, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from prolo.clinic.access import patients_for, require
from prolo.clinic.clock import clinic_clock
from prolo.clinic.fhir.registry import REGISTRY, ResourceType, Source
from prolo.clinic.models import (
    AuditAction,
    CourseType,
    ExportJob,
    ExportStatus,
    Membership,
    Patient,
)
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import audit_log

log = logging.getLogger("prolo.bulk_export")

EXPORT_PERM = Perm.VIEW_CLINICAL
LEASE = dt.timedelta(minutes=2)
# Renew the lease (and notice a cancel) after this many rows or seconds, whichever first.
RENEW_EVERY_ROWS = 20_000
RENEW_EVERY_SECONDS = 15.0
CHUNK_SIZE = 2_000
WRITE_BUFFER = 1 << 20
LEVELS = ("system", "patient", "group")
COURSE_GROUP_PREFIX = "course-"
_ORJSON = orjson.OPT_APPEND_NEWLINE


def export_root() -> Path:
    return Path(settings.FHIR_EXPORT_ROOT)


def job_dir(job: ExportJob) -> Path:
    return export_root() / str(job.code)


# --- What an export covers -------------------------------------------------------------------


def exportable_types(actor: Actor, level: str) -> list[ResourceType]:
    """The types a level exports, in registry order: patient and group levels only the
    types that are patient data; types the actor's role may not read are left out."""
    import_module("prolo.clinic.fhir.resources")  # registers every type (a worker has no URLs)
    return [
        rt
        for rt in REGISTRY.values()
        if actor.can(rt.read_perm)
        and (level == "system" or any(s.patient_path is not None for s in rt.sources))
    ]


def group_ids(actor: Actor) -> dict[str, str]:
    """The Groups a clinic has: id → what it holds (docs/fhir-bulk.md)."""
    groups = {str(actor.clinic.code): f"Every patient of {actor.clinic.name}"}
    for value, label in CourseType.choices:
        groups[f"{COURSE_GROUP_PREFIX}{value}"] = f"Patients with a {label} course"
    return groups


def group_patients(actor: Actor, group_id: str) -> QuerySet[Patient]:
    """The patients of a Group of the actor's clinic; 404 for any other id."""
    patients = patients_for(actor)
    if group_id == str(actor.clinic.code):
        return patients
    course_type = group_id.removeprefix(COURSE_GROUP_PREFIX)
    if group_id.startswith(COURSE_GROUP_PREFIX) and course_type in CourseType.values:
        return patients.filter(courses__course_type=course_type).distinct()
    raise Http404("No such Group in this clinic.")


# --- Kick-off, cancel --------------------------------------------------------------------------


@transaction.atomic
def export_kickoff(
    *,
    actor: Actor,
    level: str,
    types: list[str],
    since: dt.datetime | None,
    request_url: str,
    group_id: str = "",
) -> ExportJob:
    """Store an export job (audited) and start running it once the transaction commits.

    `types` are already checked against `exportable_types`; empty means all of them."""
    require(actor, EXPORT_PERM)
    if level == "group":
        group_patients(actor, group_id)  # 404 for an unknown Group
    job = ExportJob(
        clinic=actor.clinic,
        requested_by=actor.user,
        level=level,
        group_id=group_id,
        types=types,
        since=since,
        request_url=request_url,
    )
    job.full_clean()
    job.save(force_insert=True)
    changes = {"level": level, "types": types, "since": since and since.isoformat()}
    if group_id:
        changes["group"] = group_id
    audit_log(actor=actor, action=AuditAction.EXPORT, obj=job, patient=None, changes=changes)
    if settings.FHIR_EXPORT_THREAD:
        transaction.on_commit(lambda: start_thread(job.pk))
    return job


def export_cancel(*, job: ExportJob) -> None:
    """Cancel a job (running or finished) and delete its files. A runner still writing
    notices at its next lease renewal, stops, and removes its own directory."""
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.CANCELLED, claimed_until=None, finished_at=timezone.now()
    )
    shutil.rmtree(job_dir(job), ignore_errors=True)


def expire_finished(now: dt.datetime | None = None) -> int:
    """Cancel finished jobs older than FHIR_EXPORT_KEEP_HOURS and delete their files: export
    files are patient data and should not outlive their use. Returns how many expired."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.FHIR_EXPORT_KEEP_HOURS)
    old = ExportJob.objects.filter(
        status__in=[ExportStatus.COMPLETE, ExportStatus.FAILED], finished_at__lt=cutoff
    )
    expired = 0
    for job in old.only("pk", "code"):
        export_cancel(job=job)
        expired += 1
    return expired


def output_path(job: ExportJob, name: str) -> Path | None:
    """The file behind a manifest entry's name; None unless the manifest lists it, so no
    name a client sends can reach any other path."""
    for entry in job.output:
        if entry.get("name") == name:
            return job_dir(job) / entry["file"]
    return None


# --- Claim and lease ---------------------------------------------------------------------------


def _claimable(now: dt.datetime) -> Q:
    abandoned = Q(status=ExportStatus.RUNNING, claimed_until__lt=now)
    return Q(status=ExportStatus.ACCEPTED) | abandoned


def claim(job_id: int, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """Take the job if nobody holds it; returns our lease (the fence for later updates)."""
    now = now or timezone.now()
    lease = now + LEASE
    taken = ExportJob.objects.filter(_claimable(now), pk=job_id).update(
        status=ExportStatus.RUNNING, claimed_until=lease, started_at=now, error=""
    )
    return lease if taken else None


def next_claimable(now: dt.datetime | None = None) -> int | None:
    """The oldest job a runner could claim now, if any (the worker's cheap poll)."""
    return (
        ExportJob.objects.filter(_claimable(now or timezone.now()))
        .order_by("created_at", "id")
        .values_list("id", flat=True)
        .first()
    )


class LeaseLost(Exception):
    """The job was cancelled or another runner took it over: stop writing."""


@dataclass
class Lease:
    job_id: int
    until: dt.datetime
    rows_at_renewal: int = 0
    renewed_at: float = 0.0

    def mine(self) -> QuerySet[ExportJob]:
        return ExportJob.objects.filter(
            pk=self.job_id, status=ExportStatus.RUNNING, claimed_until=self.until
        )

    def maybe_renew(self, rows: int) -> None:
        due = rows - self.rows_at_renewal >= RENEW_EVERY_ROWS
        if not due and time.monotonic() - self.renewed_at < RENEW_EVERY_SECONDS:
            return
        new = timezone.now() + LEASE
        if not self.mine().update(claimed_until=new):
            raise LeaseLost
        self.until, self.rows_at_renewal, self.renewed_at = new, rows, time.monotonic()


# --- The runner ---------------------------------------------------------------------------------


def run_job(job_id: int) -> bool:
    """Claim and run one job to the end; False if someone else holds it or it stopped."""
    until = claim(job_id)
    if until is None:
        return False
    lease = Lease(job_id, until, renewed_at=time.monotonic())
    job = ExportJob.objects.select_related("clinic", "requested_by").get(pk=job_id)
    attempt = job_dir(job) / uuid.uuid4().hex[:12]
    try:
        with clinic_clock(job.clinic):  # times in the files on the clinic's clock, as on reads
            output = write_files(job, attempt, lease)
    except LeaseLost:
        shutil.rmtree(attempt, ignore_errors=True)
        return False
    except Exception as exc:  # any failure ends the job as failed, reported in the status
        log.exception("export %s failed", job.code)
        shutil.rmtree(attempt, ignore_errors=True)
        lease.mine().update(
            status=ExportStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
            claimed_until=None,
        )
        return False
    done = lease.mine().update(
        status=ExportStatus.COMPLETE, output=output, finished_at=timezone.now(), claimed_until=None
    )
    if not done:
        shutil.rmtree(attempt, ignore_errors=True)
    return bool(done)


def run_next() -> bool:
    """Run the oldest claimable job, if any (the worker's pass)."""
    job_id = next_claimable()
    return job_id is not None and run_job(job_id)


def job_actor(job: ExportJob) -> Actor:
    """The requester as they are now: an ended membership or a changed role stops the job."""
    membership = Membership.objects.filter(
        user=job.requested_by, clinic=job.clinic, active=True
    ).first()
    if membership is None:
        raise PermissionDenied("The user who asked for this export no longer works here.")
    actor = Actor(user=job.requested_by, clinic=job.clinic, role=membership.role)
    require(actor, EXPORT_PERM)
    return actor


def write_files(job: ExportJob, directory: Path, lease: Lease) -> list[dict[str, Any]]:
    """One NDJSON file per type with resources; returns the manifest's output entries."""
    actor = job_actor(job)
    patients = export_patients(actor, job)
    directory.mkdir(parents=True, exist_ok=True)
    output: list[dict[str, Any]] = []
    rows = 0
    for rt in selected_types(actor, job):
        name = f"{rt.name}.ndjson"
        path = directory / name
        count = 0
        with path.open("wb", buffering=WRITE_BUFFER) as out:
            for source in rt.sources:
                for line in source_lines(actor, source, patients, job.since):
                    out.write(line)
                    count += 1
                    if count % 1000 == 0:
                        lease.maybe_renew(rows + count)
                lease.maybe_renew(rows + count)  # also notices a cancel between sources
        rows += count
        if count:
            output.append(
                {"type": rt.name, "count": count, "name": name, "file": f"{directory.name}/{name}"}
            )
        else:
            path.unlink()
    return output


def selected_types(actor: Actor, job: ExportJob) -> list[ResourceType]:
    types = exportable_types(actor, job.level)
    return [rt for rt in types if rt.name in job.types] if job.types else types


def export_patients(actor: Actor, job: ExportJob) -> QuerySet[Patient] | None:
    """The patients a job is restricted to; None for a system export (everything)."""
    if job.level == "group":
        return group_patients(actor, job.group_id)
    if job.level == "patient":
        return patients_for(actor)
    return None


def restrict(
    source: Source, actor: Actor, patients: QuerySet[Patient] | None, since: dt.datetime | None
) -> QuerySet[Any] | None:
    """The source's clinic-scoped rows, narrowed to the patients and _since; None when the
    source has no rows for a patient-restricted export."""
    rows = source.queryset(actor)
    if patients is not None:
        if source.patient_path is None:
            return None
        lookup = f"{source.patient_path}__in" if source.patient_path else "pk__in"
        rows = rows.filter(**{lookup: patients.values("pk")})
    if since is not None and source.since_path:
        rows = rows.filter(**{f"{source.since_path}__gt": since})
    return rows.order_by(*source.order_by)


def source_lines(
    actor: Actor, source: Source, patients: QuerySet[Patient] | None, since: dt.datetime | None
) -> Iterator[bytes]:
    """The source's resources as NDJSON lines, streamed a chunk at a time."""
    rows = restrict(source, actor, patients, since)
    if rows is None:
        return
    to_fhir = source.to_fhir
    dumps = orjson.dumps
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield dumps(to_fhir(row), option=_ORJSON)


# --- Running in the background -----------------------------------------------------------------


def start_thread(job_id: int) -> threading.Thread:
    """Run the job in a daemon thread of this process; the worker retries it if we die."""
    thread = threading.Thread(
        target=_thread_main, args=(job_id,), name=f"export-{job_id}", daemon=True
    )
    thread.start()
    return thread


def _thread_main(job_id: int) -> None:
    try:
        run_job(job_id)
    except Exception:  # a thread has nobody to raise to; the lease lets the worker retry
        log.exception("export thread for job %s stopped", job_id)
    finally:
        # The thread's own connection: close it, or it lingers until the process ends.
        close_old_connections()
        connection.close()


# --- Patient/$everything -------------------------------------------------------------------------

Resource = dict[str, Any]


def everything_resources(
    actor: Actor, patient: Patient, *, types: list[str] | None, since: dt.datetime | None
) -> list[tuple[str, Resource]]:
    """(search mode, resource) for the patient and every resource about them, then ("include")
    the practitioners and organization they reference. One patient's record fits in memory."""
    one = Patient.objects.filter(pk=patient.pk)
    found: list[tuple[str, Resource]] = []
    # The Patient first, as clients reading the bundle expect.
    ordered = sorted(exportable_types(actor, "patient"), key=lambda rt: rt.name != "Patient")
    for rt in ordered:
        if types is not None and rt.name not in types:
            continue
        for source in rt.sources:
            rows = restrict(source, actor, one, since)
            if rows is not None:
                found.extend(("match", source.to_fhir(row)) for row in rows)
    if types is None:
        found.extend(("include", r) for r in _referenced(actor, [r for _, r in found]))
    return found


def _referenced(actor: Actor, resources: list[Resource]) -> list[Resource]:
    """The resources of non-patient types (Practitioner, Organization) that `resources` refer
    to, each once."""
    wanted: dict[str, set[str]] = {}
    for resource in resources:
        for reference in _references(resource):
            kind, _, rid = reference.partition("/")
            rt = REGISTRY.get(kind)
            if rt and rid and all(s.patient_path is None for s in rt.sources):
                wanted.setdefault(kind, set()).add(rid)
    out: list[Resource] = []
    for kind, ids in wanted.items():
        rt = REGISTRY[kind]
        if not actor.can(rt.read_perm):
            continue
        for source in rt.sources:
            queries = [q for q in map(source.id_q, sorted(ids)) if q is not None]
            if queries:
                matches = Q()
                for q in queries:
                    matches |= q
                out.extend(source.to_fhir(row) for row in source.queryset(actor).filter(matches))
    return out


def _references(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        reference = value.get("reference")
        if isinstance(reference, str):
            yield reference
        for item in value.values():
            if isinstance(item, dict | list):
                yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)
