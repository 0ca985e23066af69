"""Import a FHIR R4 Bundle (transaction or collection): Patients, Conditions and Observations.

docs/fhir-import.md explains the rules. In short: every entry is checked by hand against the
elements Prolo keeps (fhir.resources would parse each resource into pydantic models, which is
several times slower than the import itself), references are resolved inside the bundle and
then against earlier imports, and the ledger (ImportedResource) makes a re-import create
nothing. A transaction writes everything or nothing; a collection writes every entry that
passes and reports the others. Writes are bulk inserts, one audit row per patient touched.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.db import connection, transaction
from django.db.models import JSONField, Model
from django.db.models.functions import Upper
from django.utils import timezone

from prolo.clinic.access import require
from prolo.clinic.models import (
    AuditAction,
    Clinic,
    Condition,
    ImportedResource,
    Observation,
    Patient,
)
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import audit_log_each
from prolo.clinic.services.fhir_import_resources import CHECKERS, Checked, EntryError

BUNDLE_TYPES = ("transaction", "collection")
IMPORTED_TYPES = ("Patient", "Condition", "Observation")
ENTRY_METHODS = ("POST", "PUT")
BATCH = 1000
LOOKUP_CHUNK = 500
KEY_MAX = 255  # ImportedResource.source_key
# Ledger keys per query: few round trips, under SQLite's 32,766 parameters.
LEDGER_CHUNK = 5000
PROGRESS_EVERY = 500
# The Type/id at the end of an absolute fullUrl (http://ehr.example/fhir/Patient/123).
RELATIVE_REF = re.compile(r"([A-Za-z]+/[A-Za-z0-9.-]+)$")

Progress = Callable[[str, int, int], None]


class BundleInvalid(Exception):
    """The bundle itself is unusable (not a Bundle, wrong type, no entries list)."""

    def __init__(self, expression: str, message: str) -> None:
        super().__init__(message)
        self.expression = expression
        self.message = message


@dataclass
class EntryProblem:
    expression: str  # FHIRPath from the bundle, e.g. Bundle.entry[3].resource.status
    message: str


@dataclass
class EntryResult:
    """What became of one bundle entry: created, existing (imported before), skipped, failed."""

    index: int
    resource_type: str
    key: str
    outcome: str = "failed"
    object_code: uuid.UUID | None = None
    problems: list[EntryProblem] = field(default_factory=list)
    note: str = ""

    @property
    def location(self) -> str:
        return f"{self.resource_type}/{self.object_code}" if self.object_code else ""


@dataclass
class ImportReport:
    bundle_type: str
    entries: list[EntryResult]
    written: bool

    @property
    def failed(self) -> list[EntryResult]:
        return [e for e in self.entries if e.outcome == "failed"]

    def counts(self) -> Counter[tuple[str, str]]:
        """(outcome, resource type) → number of entries."""
        return Counter((e.outcome, e.resource_type) for e in self.entries)


@dataclass
class _Pending:
    """A checked entry waiting to be written: the new row's fields and its patient."""

    result: EntryResult
    checked: Checked
    # The subject's reference until resolved; then a pending Patient or an existing patient's pk.
    subject: _Pending | int | str | None = None
    pk: int | None = None  # a Patient's, once inserted


@dataclass
class _Bundle:
    actor: Actor
    entries: list[dict[str, Any]]
    results: list[EntryResult]
    pending: dict[int, _Pending] = field(default_factory=dict)
    by_ref: dict[str, int] = field(default_factory=dict)
    known: dict[tuple[str, str], uuid.UUID] = field(default_factory=dict)  # from the ledger
    patient_pks: dict[uuid.UUID, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# The service


@transaction.atomic
def bundle_import(*, actor: Actor, bundle: Any, progress: Progress | None = None) -> ImportReport:
    """Import `bundle` (parsed JSON) into the actor's clinic; see the module docstring."""
    require_import(actor)
    bundle_type, entries = _envelope(bundle)
    # One import at a time per clinic: the ledger and MRN checks below then stay true until
    # the insert, and two uploads of the same bundle cannot both create its patients.
    Clinic.objects.select_for_update().get(pk=actor.clinic.pk)
    ctx = _Bundle(
        actor=actor, entries=entries, results=[_identify(i, e) for i, e in enumerate(entries)]
    )
    _load_ledger(ctx)
    _check_entries(ctx, progress)
    _check_mrns(ctx)
    _resolve_subjects(ctx)
    report = ImportReport(bundle_type, ctx.results, written=False)
    if bundle_type == "transaction" and report.failed:
        return report  # all or nothing: nothing has been written
    _write(ctx, progress)
    report.written = True
    return report


def require_import(actor: Actor) -> None:
    """Importing registers patients and writes their history: both permissions are needed."""
    require(actor, Perm.EDIT_DEMOGRAPHICS)
    require(actor, Perm.EDIT_HISTORY)


def _envelope(bundle: Any) -> tuple[str, list[dict[str, Any]]]:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise BundleInvalid("Bundle", "Send a FHIR Bundle: resourceType must be 'Bundle'.")
    bundle_type = bundle.get("type")
    if bundle_type not in BUNDLE_TYPES:
        raise BundleInvalid(
            "Bundle.type",
            f"Bundle.type {bundle_type!r} cannot be imported: use one of {', '.join(BUNDLE_TYPES)}.",
        )
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        raise BundleInvalid("Bundle.entry", "Bundle.entry must be a list of entries.")
    return bundle_type, entries


def _identify(index: int, entry: Any) -> EntryResult:
    """The entry's type and ledger key (fullUrl, else type/id), without checking its content."""
    resource = entry.get("resource") if isinstance(entry, dict) else None
    rtype = resource.get("resourceType") if isinstance(resource, dict) else None
    if not isinstance(resource, dict) or not isinstance(rtype, str):
        return _failed(
            index, "", "", "resource", "Each entry needs a resource with a resourceType."
        )
    full_url = entry.get("fullUrl")
    rid = resource.get("id")
    key = full_url if isinstance(full_url, str) and full_url else ""
    if not key and isinstance(rid, str) and rid:
        key = f"{rtype}/{rid}"
    return EntryResult(index=index, resource_type=rtype, key=key)


def _failed(index: int, rtype: str, key: str, element: str, message: str) -> EntryResult:
    result = EntryResult(index=index, resource_type=rtype, key=key)
    _fail(result, element, message)
    return result


def _fail(result: EntryResult, element: str, message: str) -> None:
    result.outcome = "failed"
    path = f"Bundle.entry[{result.index}]"
    result.problems.append(EntryProblem(f"{path}.{element}" if element else path, message))


def _chunks(items: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _load_ledger(ctx: _Bundle) -> None:
    """What this clinic imported before: those entries are answered '200 OK', not re-created."""
    for rtype in IMPORTED_TYPES:
        keys = sorted({r.key for r in ctx.results if r.resource_type == rtype and r.key})
        for chunk in _chunks(keys, LEDGER_CHUNK):
            rows = ImportedResource.objects.filter(
                clinic=ctx.actor.clinic, resource_type=rtype, source_key__in=chunk
            ).values_list("source_key", "object_code")
            ctx.known.update({(rtype, key): code for key, code in rows})
    patient_codes = [code for (rtype, _), code in ctx.known.items() if rtype == "Patient"]
    for chunk in _chunks(patient_codes):
        patients = Patient.objects.filter(clinic=ctx.actor.clinic, code__in=chunk)
        ctx.patient_pks.update(dict(patients.values_list("code", "pk")))


# ---------------------------------------------------------------------------------------------
# Checking each entry


def _check_entries(ctx: _Bundle, progress: Progress | None) -> None:
    seen: set[str] = set()
    total = len(ctx.entries)
    for result, entry in zip(ctx.results, ctx.entries, strict=True):
        if not result.problems:
            _check_entry(ctx, result, entry, seen)
        if progress and (result.index + 1) % PROGRESS_EVERY == 0:
            progress("checking", result.index + 1, total)
    if progress:
        progress("checking", total, total)


def _check_entry(ctx: _Bundle, result: EntryResult, entry: dict[str, Any], seen: set[str]) -> None:
    resource = entry["resource"]
    _index_reference(ctx, result, resource)
    if result.resource_type not in IMPORTED_TYPES:
        result.outcome = "skipped"
        result.note = f"Prolo does not import {result.resource_type} resources."
        return
    try:
        _check_request(entry)
        if not result.key:
            raise EntryError(
                "", "Give the entry a fullUrl or its resource an id: a re-import needs it."
            )
        if len(result.key) > KEY_MAX or "\x00" in result.key:
            raise EntryError("", f"fullUrl must be at most {KEY_MAX} characters, without NUL.")
        if result.key in seen:
            raise EntryError("", f"fullUrl {result.key} appears twice in this bundle.")
        seen.add(result.key)
        code = ctx.known.get((result.resource_type, result.key))
        if code is not None:
            _mark_existing(ctx, result, code)
            return
        checked = CHECKERS[result.resource_type](ctx.actor, resource)
        ctx.pending[result.index] = _Pending(result, checked, subject=checked.subject or None)
        result.outcome = "created"
    except EntryError as error:
        _fail(result, _element(error.element), error.message)


def _element(element: str) -> str:
    # Request problems name Bundle.entry[i].request…; the rest are inside the resource.
    if not element or element.startswith("request"):
        return element
    return f"resource.{element}"


def _index_reference(ctx: _Bundle, result: EntryResult, resource: dict[str, Any]) -> None:
    """Let `urn:uuid:…`, the fullUrl and `Patient/id` find a Patient entry (only patients
    are referenced: a subject naming anything else is reported as not found)."""
    if result.resource_type != "Patient":
        return
    if result.key:
        ctx.by_ref.setdefault(result.key, result.index)
    rid = resource.get("id")
    if isinstance(rid, str) and rid:
        ctx.by_ref.setdefault(f"{result.resource_type}/{rid}", result.index)
    match = RELATIVE_REF.search(result.key)
    if match and not result.key.startswith("urn:"):
        ctx.by_ref.setdefault(match.group(1), result.index)


def _check_request(entry: dict[str, Any]) -> None:
    request = entry.get("request")
    if request is None:
        return
    method = request.get("method") if isinstance(request, dict) else None
    if method not in ENTRY_METHODS:
        raise EntryError(
            "request.method",
            f"request.method {method!r} is not imported: use {' or '.join(ENTRY_METHODS)}.",
        )


def _mark_existing(ctx: _Bundle, result: EntryResult, code: uuid.UUID) -> None:
    if result.resource_type == "Patient" and code not in ctx.patient_pks:
        raise EntryError("", "This patient was imported before but is no longer in the clinic.")
    result.outcome = "existing"
    result.object_code = code


def _check_mrns(ctx: _Bundle) -> None:
    """A new patient's MRN must be free in the clinic and in the bundle: an MRN already used
    by a different record is an error, never a silent merge of two patients."""
    patients = [p for p in ctx.pending.values() if p.checked.model is Patient]
    taken: set[str] = set()
    for chunk in _chunks(sorted({p.checked.fields["mrn"].upper() for p in patients})):
        rows = (
            Patient.objects.filter(clinic=ctx.actor.clinic)
            .annotate(mrn_upper=Upper("mrn"))
            .filter(mrn_upper__in=chunk)
        )
        taken.update(rows.values_list("mrn_upper", flat=True))
    for pending in patients:
        mrn = pending.checked.fields["mrn"]
        if mrn.upper() in taken:
            element = "" if pending.checked.mrn_generated else "identifier"
            _unpend(ctx, pending, element, f"MRN {mrn} is already used by another patient.")
        taken.add(mrn.upper())


def _unpend(ctx: _Bundle, pending: _Pending, element: str, message: str) -> None:
    del ctx.pending[pending.result.index]
    _fail(pending.result, _element(element), message)


# ---------------------------------------------------------------------------------------------
# Subjects


def _resolve_subjects(ctx: _Bundle) -> None:
    """Point each pending Condition/Observation at a pending or an existing patient."""
    refs = {p.subject for p in ctx.pending.values() if isinstance(p.subject, str)}
    outside = sorted(r for r in refs if r not in ctx.by_ref)
    earlier = _earlier_patients(ctx, outside)
    for pending in list(ctx.pending.values()):
        if isinstance(pending.subject, str):
            try:
                pending.subject = _target(ctx, pending.subject, earlier)
            except EntryError as error:
                _unpend(ctx, pending, error.element, error.message)


def _earlier_patients(ctx: _Bundle, refs: list[str]) -> dict[str, int]:
    """Patients a previous import brought in, by the reference (fullUrl) they came with."""
    found: dict[str, int] = {}
    for chunk in _chunks(refs):
        ledger = ImportedResource.objects.filter(
            clinic=ctx.actor.clinic, resource_type="Patient", source_key__in=chunk
        ).values_list("source_key", "object_code")
        codes = dict(ledger)
        pks = dict(
            Patient.objects.filter(clinic=ctx.actor.clinic, code__in=codes.values()).values_list(
                "code", "pk"
            )
        )
        found.update({key: pks[code] for key, code in codes.items() if code in pks})
    return found


def _target(ctx: _Bundle, reference: str, earlier: dict[str, int]) -> _Pending | int:
    if reference in earlier:
        return earlier[reference]
    index = ctx.by_ref.get(reference)
    if index is None:
        raise EntryError(
            "subject",
            f"subject {reference} is not a Patient in this bundle nor one imported before.",
        )
    target = ctx.results[index]
    if target.outcome == "existing" and target.object_code is not None:
        return ctx.patient_pks[target.object_code]
    if index in ctx.pending:
        return ctx.pending[index]
    raise EntryError(
        "subject", f"subject {reference} (entry {index}) could not be imported; see its error."
    )


# ---------------------------------------------------------------------------------------------
# Writing


def _write(ctx: _Bundle, progress: Progress | None) -> None:
    pending = list(ctx.pending.values())
    total, done = len(pending), 0
    for model in (Patient, Condition, Observation):
        rows = [p for p in pending if p.checked.model is model]
        for batch in _chunks(rows, BATCH):
            if model is Patient:
                _insert_patients(batch)
            else:
                insert_rows(model, [_with_patient(p) for p in batch])
            done += len(batch)
            if progress:
                progress("writing", done, total)
    ledger = [
        {
            "clinic_id": ctx.actor.clinic.pk,
            "resource_type": p.result.resource_type,
            "source_key": p.result.key,
            "object_code": p.checked.code,
        }
        for p in pending
    ]
    for batch in _chunks(ledger, BATCH):
        insert_rows(ImportedResource, batch)
    for p in pending:
        p.result.object_code = p.checked.code
    _audit(ctx, pending)


def _insert_patients(batch: Sequence[_Pending]) -> None:
    """Through the ORM: patients are few, and their new keys are needed for the rest."""
    created = Patient.objects.bulk_create([Patient(**p.checked.fields) for p in batch])
    pks = {row.code: row.pk for row in created}
    if None in pks.values():  # a database that cannot return keys from a bulk insert
        codes = [row.code for row in created]
        pks = dict(Patient.objects.filter(code__in=codes).values_list("code", "pk"))
    for p in batch:
        p.pk = pks[p.checked.code]


def _with_patient(p: _Pending) -> dict[str, Any]:
    patient = p.subject.pk if isinstance(p.subject, _Pending) else p.subject
    p.checked.fields["patient_id"] = patient
    return p.checked.fields


def insert_rows(model: type[Model], rows: Sequence[dict[str, Any]]) -> None:
    """INSERT rows given as field → value dicts (unset fields take their defaults).

    PostgreSQL gets COPY: building a model instance per row and compiling bulk_create's SQL
    costs several times more than the insert itself at tens of thousands of rows.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**row) for row in rows])
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults = [(f.attname, _default(f, now)) for f in fields]
    json_at = [i for i, f in enumerate(fields) if isinstance(f, JSONField)]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            values = [row.get(name, default) for name, default in defaults]
            for i in json_at:
                if values[i] is not None:
                    values[i] = orjson.dumps(values[i]).decode()
            copy.write_row(values)


def _default(field: Any, now: dt.datetime) -> Any:
    if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
        return now
    return field.get_default()  # "" for text fields without a default, None if nullable


def _audit(ctx: _Bundle, pending: list[_Pending]) -> None:
    """One IMPORT row per patient touched (new, or existing with new records), with counts."""
    counts: dict[int, Counter[str]] = {}
    for p in pending:
        if p.checked.model is Patient and p.pk is not None:
            counts.setdefault(p.pk, Counter())["patient"] += 1
        else:
            pk = p.checked.fields["patient_id"]
            counts.setdefault(pk, Counter())[p.result.resource_type.lower() + "s"] += 1
    patients = Patient.objects.in_bulk(list(counts))
    audit_log_each(
        actor=ctx.actor,
        action=AuditAction.IMPORT,
        entries=[
            (patients[pk], patients[pk], {"source": "FHIR bundle", **counts[pk]}) for pk in counts
        ],
    )
