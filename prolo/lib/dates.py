from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone


class NonexistentLocalTime(ValueError):
    """The wall-clock time is skipped or repeated on that day (a daylight-saving change)."""


def local_datetime(day: dt.date, at: dt.time, tz: ZoneInfo | None = None) -> dt.datetime:
    """`day` at `at` in `tz` (the current time zone if not given); refuses times a clock change
    skips or repeats."""
    tz = tz or timezone.get_current_timezone()
    naive = dt.datetime.combine(day, at)
    early = naive.replace(tzinfo=tz, fold=0)
    late = naive.replace(tzinfo=tz, fold=1)
    round_trip = early.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    if round_trip != naive or early.utcoffset() != late.utcoffset():
        raise NonexistentLocalTime(f"{at:%H:%M} on {day:%d %b %Y} falls in a clock change.")
    return early


def proposed_session_times(
    start: dt.date, at: dt.time, count: int, interval_days: int, tz: ZoneInfo | None = None
) -> list[dt.datetime]:
    """Session times every `interval_days` from `start`, at local time `at`, timezone-aware."""
    days = [start + dt.timedelta(days=i * interval_days) for i in range(count)]
    return [local_datetime(day, at, tz) for day in days]


def local_day_bounds(day: dt.date, tz: ZoneInfo | None = None) -> tuple[dt.datetime, dt.datetime]:
    tz = tz or timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min), tz)
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min), tz)
    return start, end
