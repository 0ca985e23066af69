"""Builders for search parameter filters (registry.Filter), shared by every resource module.

Each builder returns a function (queryset, modifier, values) -> queryset: the values of one
occurrence are OR-ed; the search engine calls the filter once per occurrence (AND). Bad values
raise `invalid()`; the engine adds the parameter's name to the message.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from datetime import date as date_type
from datetime import timezone as dt_timezone
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from prolo.clinic.fhir.registry import Filter
from prolo.fhir.http import invalid

DATE_PREFIXES = ("eq", "ne", "lt", "gt", "le", "ge", "sa", "eb", "ap")
_DATE_RE = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6})\d*)?)?"
    r"(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
EARLIEST = datetime(1000, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
DATE_FORMAT_HELP = (
    "use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][Z|+hh:mm], optionally after a "
    "prefix (" + ", ".join(DATE_PREFIXES) + ")"
)


def _no_modifier(modifier: str | None, allowed: tuple[str, ...] = ()) -> None:
    if modifier is not None and modifier not in allowed:
        extra = f" (allowed: {', '.join(':' + m for m in allowed)})" if allowed else ""
        raise invalid(f"the modifier ':{modifier}' is not supported here{extra}.")


def _any_of(qs: QuerySet[Any], clauses: list[Q], negate: bool = False) -> QuerySet[Any]:
    # An empty Q() means "every row"; Django drops it when OR-ing (Q(a) | Q() is Q(a)).
    if any(not clause for clause in clauses):
        return qs.none() if negate else qs
    combined = Q(pk__in=[])
    for clause in clauses:
        combined |= clause
    return qs.exclude(combined) if negate else qs.filter(combined)


# --- token -----------------------------------------------------------------------------------


def token(
    path: str,
    system_path: str | None = None,
    *,
    system: str | None = None,
    to_db: Mapping[str, Any] | None = None,
) -> Filter:
    """`code`, `system|code`, `|code` (no system) and `system|` (any code in the system).

    `system_path` is the column that holds each row's code system; `system` is the one system
    every code of a column belongs to (e.g. administrative-gender). `to_db` maps FHIR codes to
    the column's values when they differ (a code it lacks matches nothing). `:not` negates.
    """

    def clause(value: str) -> Q:
        sys, bar, code = value.partition("|")
        if not bar:
            sys, code = "", value
        q = Q()
        if bar and system_path is not None:
            q &= Q(**{system_path: sys})
        elif bar and sys and system is not None and sys != system:
            return Q(pk__in=[])
        elif bar and not sys and system is not None:
            return Q(pk__in=[])  # "|code" asks for codes with no system; ours have one
        if code:
            if to_db is not None:
                if code not in to_db:
                    return Q(pk__in=[])
                q &= Q(**{path: to_db[code]})
            else:
                q &= Q(**{path: code})
        elif not sys:
            raise invalid("a token needs a code, system|code or system|.")
        return q

    def apply(qs: QuerySet[Any], modifier: str | None, values: list[str]) -> QuerySet[Any]:
        _no_modifier(modifier, ("not",))
        return _any_of(qs, [clause(v) for v in values], negate=modifier == "not")

    return apply


# --- string ----------------------------------------------------------------------------------


def string(path: str, *more_paths: str) -> Filter:
    """Case-insensitive starts-with (FHIR default), `:exact` or `:contains`, over any path."""
    paths = (path, *more_paths)
    lookups = {None: "istartswith", "contains": "icontains", "exact": "exact"}

    def apply(qs: QuerySet[Any], modifier: str | None, values: list[str]) -> QuerySet[Any]:
        _no_modifier(modifier, ("exact", "contains"))
        lookup = lookups[modifier]
        clauses = [Q(**{f"{p}__{lookup}": v}) for v in values for p in paths]
        return _any_of(qs, clauses)

    return apply


# --- reference -------------------------------------------------------------------------------


def reference_id(value: str, target: str) -> str:
    """The id in `Target/<id>`, `<id>` or `<base>/Target/<id>`; 400 for another type."""
    parts = value.rstrip("/").split("/")
    if len(parts) == 1:
        return parts[0]
    if parts[-2] != target:
        raise invalid(f"'{value}' is not a reference to a {target} (use {target}/<id> or <id>).")
    return parts[-1]


def reference(path: str, target: str = "Patient", id_field: str = "code") -> Filter:
    """`patient=Patient/<id>` or `patient=<id>`; `path` leads from the row to the target row.

    A malformed id matches nothing rather than erroring, like a read of a missing id.
    """

    def clause(value: str) -> Q:
        rid = reference_id(value, target)
        try:
            key: Any = uuid.UUID(rid) if id_field == "code" else rid
        except ValueError:
            return Q(pk__in=[])
        return Q(**{f"{path}__{id_field}": key})

    def apply(qs: QuerySet[Any], modifier: str | None, values: list[str]) -> QuerySet[Any]:
        _no_modifier(modifier, (target,))
        return _any_of(qs, [clause(v) for v in values])

    return apply


# --- date ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateRange:
    """The instants a search date covers: [start, end) — 2024-03 is all of March."""

    start: datetime
    end: datetime


def parse_date(value: str, tz: tzinfo | None = None) -> DateRange:
    """A FHIR date/dateTime at any precision; without a zone, the server's zone."""
    # A "+" in an unescaped query string arrives as a space.
    match = _DATE_RE.match(value.strip().replace(" ", "+"))
    if match is None:
        raise invalid(f"'{value}' is not a date: {DATE_FORMAT_HELP}.")
    g = match.groupdict()
    try:
        zone = _zone(g["tz"]) if g["tz"] else (tz or timezone.get_current_timezone())
        start = datetime(
            int(g["year"]),
            int(g["month"] or 1),
            int(g["day"] or 1),
            int(g["hour"] or 0),
            int(g["minute"] or 0),
            int(g["second"] or 0),
            int((g["fraction"] or "0").ljust(6, "0")),
            tzinfo=zone,
        )
        end = _end(start, g)
    except (ValueError, OverflowError):
        raise invalid(f"'{value}' is not a real date: {DATE_FORMAT_HELP}.") from None
    # Far from datetime's limits, so zone shifts, "ap" and the database never overflow.
    if not (start >= EARLIEST and end <= LATEST):
        raise invalid(f"'{value}' is out of range: give a year from 1000 to 8999.")
    return DateRange(start, end)


def _zone(text: str) -> tzinfo:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    return dt_timezone(sign * timedelta(hours=hours, minutes=minutes))


def _end(start: datetime, g: dict[str, str | None]) -> datetime:
    if g["month"] is None:
        return start.replace(year=start.year + 1)
    if g["day"] is None:
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    if g["hour"] is None:
        return start + timedelta(days=1)
    if g["second"] is None:
        return start + timedelta(minutes=1)
    if g["fraction"] is None:
        return start + timedelta(seconds=1)
    return start + timedelta(microseconds=1)


def split_prefix(value: str) -> tuple[str, str]:
    if value[:2] in DATE_PREFIXES:
        return value[:2], value[2:]
    return "eq", value


def _approx(rng: DateRange) -> DateRange:
    # FHIR leaves "ap" to the server: 10% of the distance from now, at least a day.
    gap = abs(timezone.now() - rng.start) / 10
    slack = max(gap, timedelta(days=1))
    return DateRange(rng.start - slack, rng.end + slack)


def _date_clause(path: str, prefix: str, rng: DateRange, is_date: bool) -> Q:
    lo: date_type | datetime = rng.start
    hi: date_type | datetime = rng.end
    if is_date:
        lo, hi = _as_dates(rng)
    if prefix == "ap":
        approx = _approx(rng)
        lo, hi = _as_dates(approx) if is_date else (approx.start, approx.end)
    within = Q(**{f"{path}__gte": lo, f"{path}__lt": hi})
    clauses = {
        "eq": within,
        "ap": within,
        "ne": ~within & Q(**{f"{path}__isnull": False}),
        "lt": Q(**{f"{path}__lt": lo}),
        "eb": Q(**{f"{path}__lt": lo}),
        "le": Q(**{f"{path}__lt": hi}),
        "gt": Q(**{f"{path}__gte": hi}),
        "sa": Q(**{f"{path}__gte": hi}),
        "ge": Q(**{f"{path}__gte": lo}),
    }
    return clauses[prefix]


def _as_dates(rng: DateRange) -> tuple[date_type, date_type]:
    """A date column holds whole days: the days the range touches, in the server's zone."""
    zone = timezone.get_current_timezone()
    first = rng.start.astimezone(zone).date()
    last = (rng.end - timedelta(microseconds=1)).astimezone(zone).date()
    return first, last + timedelta(days=1)


def _field_is_date(model: type[models.Model], path: str) -> bool:
    field: Any = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)


def date(path: str) -> Filter:
    """A date or datetime column searched with eq/ne/lt/gt/le/ge/sa/eb/ap prefixes."""

    def apply(qs: QuerySet[Any], modifier: str | None, values: list[str]) -> QuerySet[Any]:
        _no_modifier(modifier)
        is_date = _field_is_date(qs.model, path)
        clauses = []
        for value in values:
            prefix, rest = split_prefix(value)
            clauses.append(_date_clause(path, prefix, parse_date(rest), is_date))
        return _any_of(qs, clauses)

    return apply


def start_of_day(day: date_type) -> datetime:
    """A date column's value as an aware datetime (e.g. to map it into a FHIR dateTime)."""
    return timezone.make_aware(datetime.combine(day, time.min))


# --- custom ----------------------------------------------------------------------------------


def each(clause: Callable[[str], Q], modifiers: tuple[str, ...] = ()) -> Filter:
    """A filter from a per-value Q builder, for parameters the builders above don't fit.
    If `modifiers` allows ":not", it negates, as it does for tokens."""

    def apply(qs: QuerySet[Any], modifier: str | None, values: list[str]) -> QuerySet[Any]:
        _no_modifier(modifier, modifiers)
        return _any_of(qs, [clause(v) for v in values], negate=modifier == "not")

    return apply
