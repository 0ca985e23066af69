"""Read and search over the registry: parameters, paging across sources, _include, audit.

A search costs a fixed number of queries whatever the data size: one COUNT and at most one
page fetch per source, one fetch per source of each included type, and one INSERT of the
audit rows (one per patient whose data the response holds), all in one transaction. A source
that rules a criterion out (Source.rules_out) is neither counted nor paged, and costs no SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import F, Func, IntegerField, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from prolo.clinic.access import require
from prolo.clinic.fhir.params import reference
from prolo.clinic.fhir.registry import REGISTRY, Resource, ResourceType, SearchParam, Source
from prolo.clinic.models import AuditAction, AuditEvent, Clinic
from prolo.clinic.permissions import Actor
from prolo.fhir.http import FhirError, Issue, invalid

DEFAULT_COUNT = 50
MAX_COUNT = 500
# Parameters every type accepts; `_format` is the client's business (we always send JSON).
CONTROL = {"_count", "_offset", "_include", "_format", "_total"}
PATIENT_KEY = "_fhir_patient_pk"
# Each value is an OR clause in every source's query: bounded, or SQLite's expression depth
# (1000) breaks and a single request costs seconds of CPU.
MAX_VALUES = 100
MAX_CRITERIA = 20
_UNESCAPED_COMMA = re.compile(r"(?<!\\),")
# First pages of searches left with this few sources are fetched before counting (see
# _page_first): one source is never more queries that way; with two, one more when both are
# empty and one fewer when both have rows (a patient's pain scores, stored and derived).
PAGE_FIRST = 2


@dataclass(frozen=True)
class Criterion:
    name: str
    modifier: str | None
    values: list[str]


@dataclass
class Query:
    """A parsed search: criteria, page and includes."""

    criteria: list[Criterion] = field(default_factory=list)
    count: int = DEFAULT_COUNT
    offset: int = 0
    includes: list[tuple[str, str]] = field(default_factory=list)  # (element, target)


# --- parameters ------------------------------------------------------------------------------


def source_params(rtype: ResourceType, source: Source) -> dict[str, SearchParam]:
    """A source's parameters, with `patient` and `subject` for patient data by default."""
    defaults: dict[str, SearchParam] = {}
    if source.patient_path and rtype.name != "Patient":
        for name in ("patient", "subject"):
            doc = f"The patient the {rtype.name} is about (Patient/<id> or <id>)."
            defaults[name] = SearchParam(name, "reference", reference(source.patient_path), doc)
    return {**defaults, **source.params}


def type_params(rtype: ResourceType) -> dict[str, SearchParam]:
    params: dict[str, SearchParam] = {}
    for source in rtype.sources:
        for name, param in source_params(rtype, source).items():
            params.setdefault(name, param)
    return params


def split_values(raw: str) -> list[str]:
    values = [v.replace("\\,", ",").strip() for v in _UNESCAPED_COMMA.split(raw)]
    return [v for v in values if v]


def parse(rtype: ResourceType, query: Iterable[tuple[str, list[str]]]) -> Query:
    """The search as asked; 400 naming every unknown parameter or bad control value."""
    known = set(type_params(rtype)) | {"_id"}
    parsed = Query()
    unknown: list[str] = []
    for key, raws in query:
        name, _, modifier = key.partition(":")
        if name in CONTROL:
            _control(rtype, parsed, name, raws)
        elif name in known:
            for raw in raws:
                if "\x00" in raw:  # PostgreSQL cannot compare text with NUL: 500 otherwise
                    raise invalid(f"Search parameter '{key}' cannot contain NUL characters.", key)
                values = split_values(raw)
                if not values:
                    raise invalid(f"Search parameter '{key}' has no value.", key)
                if len(values) > MAX_VALUES:
                    raise invalid(f"Search parameter '{key}': at most {MAX_VALUES} values.", key)
                parsed.criteria.append(Criterion(name, modifier or None, values))
        else:
            unknown.append(key)
    if len(parsed.criteria) > MAX_CRITERIA:
        raise invalid(f"At most {MAX_CRITERIA} search parameters in one search.")
    if unknown:
        allowed = ", ".join(sorted(known | CONTROL))
        raise FhirError(
            400,
            *(
                Issue(
                    "not-supported",
                    f"Unknown search parameter '{name}' for {rtype.name}; supported: {allowed}.",
                    name,
                )
                for name in unknown
            ),
        )
    return parsed


def _control(rtype: ResourceType, parsed: Query, name: str, raws: list[str]) -> None:
    if name == "_count":
        parsed.count = _int(name, raws[-1], 0, MAX_COUNT)
    elif name == "_offset":
        parsed.offset = _int(name, raws[-1], 0, None)
    elif name == "_include":
        for raw in raws:
            parsed.includes.append(_include(rtype, raw))


def _int(name: str, raw: str, low: int, high: int | None) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < low or (high is not None and value > high):
        bound = f" and at most {high}" if high is not None else ""
        raise invalid(f"{name}: '{raw}' must be a whole number of at least {low}{bound}.", name)
    return value


def _include(rtype: ResourceType, raw: str) -> tuple[str, str]:
    allowed = [f"{rtype.name}:{inc.param}" for inc in rtype.includes]
    parts = raw.split(":")
    for inc in rtype.includes:
        if parts[:2] == [rtype.name, inc.param] and parts[2:] in ([], [inc.target]):
            return inc.element, inc.target
    raise invalid(
        f"_include: '{raw}' is not supported; allowed: {', '.join(allowed) or 'none'}.",
        "_include",
    )


# --- filtering -------------------------------------------------------------------------------


def id_filter(source: Source, values: Sequence[str]) -> Q:
    q = Q(pk__in=[])
    for value in values:
        found = source.id_q(value)
        if found is not None:
            q |= found
    return q


def filtered(
    rtype: ResourceType, source: Source, actor: Actor, criteria: list[Criterion]
) -> QuerySet[Any] | None:
    """The source's rows matching every criterion; None when the source lacks a parameter or
    rules a criterion out (then none of its filters run: see Source.rules_out)."""
    params = source_params(rtype, source)
    if _rules_out(source, params, criteria):
        return None
    rows = source.queryset(actor)
    for criterion in criteria:
        if criterion.name == "_id":
            if criterion.modifier:
                raise invalid("_id takes no modifier.", "_id")
            rows = rows.filter(id_filter(source, criterion.values))
            continue
        param = params.get(criterion.name)
        if param is None:
            return None
        try:
            rows = param.filter(rows, criterion.modifier, criterion.values)
        except FhirError as error:
            raise _named(error, criterion.name) from None
    return rows


def _rules_out(
    source: Source, params: Mapping[str, SearchParam], criteria: list[Criterion]
) -> bool:
    # A modifier may be one this source's filter rejects (a score's status:not is a 400):
    # run the filters then, so the answer stays the same.
    if source.rules_out is None or any(c.modifier for c in criteria):
        return False
    return any(
        c.name in params and source.rules_out(c.name, c.modifier, c.values) for c in criteria
    )


def _named(error: FhirError, name: str) -> FhirError:
    issues = [
        Issue(i.code, f"Search parameter '{name}': {i.diagnostics}", i.expression or name)
        for i in error.issues
    ]
    return FhirError(error.status, *issues)


def with_patient(source: Source, rows: QuerySet[Any]) -> QuerySet[Any]:
    """Rows annotated with their patient's pk, so the audit needs no further query."""
    if source.patient_path is None:
        return rows
    return rows.annotate(**{PATIENT_KEY: F(source.patient_path or "pk")})


# --- search ----------------------------------------------------------------------------------


@dataclass
class Page:
    resources: list[Resource]
    total: int
    # patient pk -> "Type/id" of each resource of theirs in the response
    touched: dict[int, list[str]] = field(default_factory=dict)


def _collect(page: Page, rtype_name: str, source: Source, rows: Iterable[Any]) -> list[Resource]:
    found = []
    for row in rows:
        resource = source.to_fhir(row)
        found.append(resource)
        patient_pk = getattr(row, PATIENT_KEY, None)
        if patient_pk is not None:
            page.touched.setdefault(patient_pk, []).append(f"{rtype_name}/{resource['id']}")
    return found


def count_each(actor: Actor, selections: list[QuerySet[Any]]) -> list[int]:
    """Each queryset's row count in one query, however many sources a type has (Observation
    has one per questionnaire score): a scalar subquery per source."""
    if len(selections) <= 1:
        return [rows.count() for rows in selections]
    # COUNT as a plain function, not an aggregate: no GROUP BY to build, one row per subquery.
    # Coalesce: a subquery Django knows is empty (pk__in=[]) compiles to NULL.
    counts = {
        f"n{i}": Coalesce(
            Subquery(
                rows.order_by().values(n=Func(F("pk"), function="COUNT"))[:1],
                output_field=IntegerField(),
            ),
            0,
        )
        for i, rows in enumerate(selections)
    }
    found = cast(dict[str, Any], Clinic.objects.filter(pk=actor.clinic.pk).values(**counts).get())
    return [int(found[f"n{i}"]) for i in range(len(selections))]


def run(rtype: ResourceType, actor: Actor, parsed: Query) -> Page:
    """The page of matches: offset paging across the type's sources in order."""
    require(actor, rtype.read_perm)
    candidates = []
    for source in rtype.sources:
        rows = filtered(rtype, source, actor, parsed.criteria)
        if rows is not None:
            candidates.append((source, rows))
    if parsed.offset == 0 and len(candidates) <= PAGE_FIRST:
        return _page_first(rtype, actor, candidates, parsed.count)
    counts = count_each(actor, [rows for _, rows in candidates])
    selections = [(s, rows, n) for (s, rows), n in zip(candidates, counts, strict=True)]
    page = Page([], sum(n for _, _, n in selections))
    skip, want = parsed.offset, parsed.count
    for source, rows, n in selections:
        if want <= 0:
            break
        if skip >= n:
            skip -= n
            continue
        chunk = with_patient(source, rows).order_by(*source.order_by)[skip : skip + want]
        found = _collect(page, rtype.name, source, chunk)
        page.resources.extend(found)
        want -= len(found)
        skip = 0
    return page


def _page_first(
    rtype: ResourceType,
    actor: Actor,
    candidates: list[tuple[Source, QuerySet[Any]]],
    count: int,
) -> Page:
    """The first page fetched before counting: a source that yields fewer rows than asked has
    told its count, so only sources that fill the page (or come after it) are counted."""
    page = Page([], 0)
    uncounted = []
    want = count
    for source, rows in candidates:
        if want <= 0:
            uncounted.append(rows)
            continue
        chunk = with_patient(source, rows).order_by(*source.order_by)[:want]
        found = _collect(page, rtype.name, source, chunk)
        page.resources.extend(found)
        if len(found) < want:
            page.total += len(found)
        else:
            uncounted.append(rows)
        want -= len(found)
    page.total += sum(count_each(actor, uncounted))
    return page


def includes(actor: Actor, page: Page, wanted: list[tuple[str, str]]) -> list[Resource]:
    """The resources the page references at the wanted elements, each once, clinic-scoped."""
    have = {(r["resourceType"], r["id"]) for r in page.resources}
    ids: dict[str, set[str]] = {}
    for element, target in wanted:
        for resource in page.resources:
            for rid in _referenced(resource.get(element), target):
                if (target, rid) not in have:
                    ids.setdefault(target, set()).add(rid)
    included: list[Resource] = []
    for target, target_ids in sorted(ids.items()):
        rtype = REGISTRY[target]
        require(actor, rtype.read_perm)
        for source in rtype.sources:
            rows = with_patient(
                source, source.queryset(actor).filter(id_filter(source, sorted(target_ids)))
            )
            included.extend(_collect(page, target, source, rows.order_by(*source.order_by)))
    return included


def _referenced(value: Any, target: str) -> list[str]:
    """Ids of `target` referenced by an element: a Reference, a list of them, or objects
    holding one (Encounter.participant.individual, Appointment.participant.actor)."""
    values = value if isinstance(value, list) else [value]
    found = []
    for item in values:
        if not isinstance(item, dict):
            continue
        refs = [item] if "reference" in item else [v for v in item.values() if isinstance(v, dict)]
        for holder in refs:
            text = holder.get("reference")
            if isinstance(text, str) and text.startswith(f"{target}/"):
                found.append(text[len(target) + 1 :])
    return found


def search(
    rtype: ResourceType,
    actor: Actor,
    query: Iterable[tuple[str, list[str]]],
    base_url: str,
) -> Resource:
    """A searchset Bundle for the query; `base_url` is the absolute URL of /fhir/."""
    pairs = [(k, list(v)) for k, v in query]
    parsed = parse(rtype, pairs)
    with transaction.atomic():
        page = run(rtype, actor, parsed)
        included = includes(actor, page, parsed.includes) if parsed.includes else []
        audit_reads(actor, page.touched, "search")
    entries = [_entry(base_url, r, "match") for r in page.resources]
    entries += [_entry(base_url, r, "include") for r in included]
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": page.total,
        "link": _links(base_url, rtype.name, pairs, parsed, page.total),
        "entry": entries,
    }


def _entry(base_url: str, resource: Resource, mode: str) -> Resource:
    return {
        "fullUrl": f"{base_url}{resource['resourceType']}/{resource['id']}",
        "resource": resource,
        "search": {"mode": mode},
    }


def _links(
    base_url: str, name: str, pairs: list[tuple[str, list[str]]], parsed: Query, total: int
) -> list[dict[str, str]]:
    kept = [(k, v) for k, vs in pairs if k not in ("_count", "_offset") for v in vs]

    def url(offset: int) -> str:
        page = [("_count", str(parsed.count)), ("_offset", str(offset))]
        return f"{base_url}{name}?{urlencode(kept + page)}"

    links = [{"relation": "self", "url": url(parsed.offset)}]
    if parsed.count and parsed.offset + parsed.count < total:
        links.append({"relation": "next", "url": url(parsed.offset + parsed.count)})
    if parsed.offset > 0:
        previous = max(parsed.offset - max(parsed.count, 1), 0)
        links.append({"relation": "previous", "url": url(previous)})
    return links


# --- read ------------------------------------------------------------------------------------


def read(rtype: ResourceType, actor: Actor, resource_id: str) -> Resource:
    """One resource by id, audited; 404 when missing, malformed or another clinic's."""
    require(actor, rtype.read_perm)
    with transaction.atomic():
        page = Page([], 1)
        resource = _find(rtype, actor, resource_id, page)
        audit_reads(actor, page.touched, "read")
    return resource


def fetch(rtype: ResourceType, actor: Actor, resource_id: str) -> Resource:
    """One resource by id, not audited: for answering a create with what was written."""
    return _find(rtype, actor, resource_id, Page([], 1))


def _find(rtype: ResourceType, actor: Actor, resource_id: str, page: Page) -> Resource:
    for source in rtype.sources:
        q = source.id_q(resource_id)
        if q is None:
            continue
        row = with_patient(source, source.queryset(actor).filter(q)).first()
        if row is not None:
            return _collect(page, rtype.name, source, [row])[0]
    raise Http404


# --- audit -----------------------------------------------------------------------------------


def audit_reads(actor: Actor, touched: Mapping[int, list[str]], interaction: str) -> None:
    """One READ row per patient whose data a response holds, in one INSERT."""
    if not touched:
        return
    AuditEvent.objects.bulk_create(
        AuditEvent(
            clinic=actor.clinic,
            actor=actor.user,
            patient_id=patient_pk,
            action=AuditAction.READ,
            object_type="fhir",
            object_code=resources[0].split("/", 1)[0][:40],
            changes={"interaction": interaction, "resources": resources},
        )
        for patient_pk, resources in sorted(touched.items())
    )
