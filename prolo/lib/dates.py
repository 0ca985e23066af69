from __future__ import annotations

import datetime as dt

from django.utils import timezone


def proposed_session_times(
    start: dt.date, at: dt.time, count: int, interval_days: int
) -> list[dt.datetime]:
    """Session times every `interval_days` from `start`, at local time `at`, timezone-aware."""
    tz = timezone.get_current_timezone()
    return [
        timezone.make_aware(
            dt.datetime.combine(start + dt.timedelta(days=i * interval_days), at), tz
        )
        for i in range(count)
    ]


def local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min), tz)
    return start, start + dt.timedelta(days=1)
