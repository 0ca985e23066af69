"""Reads about where and when a clinic works: its locations with their rooms, hours, closures.

`open_at` is pure, so the appointment book can ask it about many instants with one read of
the hours and closures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet

from prolo.clinic.clock import clinic_zone
from prolo.clinic.models import Clinic, Closure, Location, OpeningHours, Room, Weekday


def clinic_locations(clinic: Clinic) -> QuerySet[Location]:
    """Every location of `clinic`, active first, each with its rooms, hours and closures."""
    return (
        Location.objects.filter(clinic=clinic)
        .order_by("-active", "name", "id")
        .prefetch_related(
            Prefetch("rooms", queryset=Room.objects.order_by("-active", "name", "id")),
            "hours",
            "closures",
        )
    )


def upcoming_closures(location: Location, today: dt.date) -> list[Closure]:
    """The closures not yet over on `today`, from prefetched `location.closures`."""
    return [c for c in location.closures.all() if c.ends_on >= today]


def week_hours(location: Location) -> list[tuple[str, list[OpeningHours]]]:
    """Each weekday, Monday first, with its opening ranges (none: closed that day)."""
    ranges = list(location.hours.all())
    return [(day.label, [h for h in ranges if h.weekday == day.value]) for day in Weekday]


def open_at(
    zone: ZoneInfo,
    hours: Iterable[OpeningHours],
    closures: Iterable[Closure],
    instant: dt.datetime,
) -> bool:
    """Whether a location with these hours and closures is open at `instant` (aware).

    The hours are wall-clock times in the clinic's zone, so 09:00 stays 09:00 across a change
    of daylight-saving time.
    """
    local = instant.astimezone(zone)
    day, time = local.date(), local.time().replace(tzinfo=None)
    if any(c.starts_on <= day <= c.ends_on for c in closures):
        return False
    return any(h.weekday == day.weekday() and h.opens <= time < h.closes for h in hours)


def is_open(location: Location, instant: dt.datetime) -> bool:
    """Whether `location` is open at `instant`, by its hours and closures (two queries)."""
    if not location.active:
        return False
    day = instant.astimezone(clinic_zone(location.clinic)).date()
    return open_at(
        clinic_zone(location.clinic),
        location.hours.filter(weekday=day.weekday()),
        location.closures.filter(starts_on__lte=day, ends_on__gte=day),
        instant,
    )
