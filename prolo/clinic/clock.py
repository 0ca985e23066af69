"""The clinic's clock: what day and time it is where a clinic works.

Every rule that compares with "today" or turns an instant into a day asks here, with the
clinic the record belongs to, never `timezone.localdate()` or `date.today()`: the server runs
in UTC and a clinic in California is already on "tomorrow" in UTC every afternoon.
Instants (`timezone.now()`, stored datetimes) need no zone; only days do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.utils import timezone

from prolo.clinic.models import Clinic


def clinic_zone(clinic: Clinic) -> ZoneInfo:
    return ZoneInfo(clinic.time_zone)


def clinic_now(clinic: Clinic) -> dt.datetime:
    """Now, as an aware datetime on the clinic's wall clock."""
    return timezone.now().astimezone(clinic_zone(clinic))


def clinic_today(clinic: Clinic) -> dt.date:
    return clinic_now(clinic).date()


def clinic_day(clinic: Clinic, moment: dt.datetime) -> dt.date:
    """The clinic's date of an instant, e.g. the day a session takes place."""
    return moment.astimezone(clinic_zone(clinic)).date()


def clinic_time(clinic: Clinic, moment: dt.datetime) -> dt.datetime:
    """An instant on the clinic's wall clock, for text that shows a time."""
    return moment.astimezone(clinic_zone(clinic))


@contextmanager
def clinic_clock(clinic: Clinic) -> Iterator[None]:
    """Make the clinic's zone the current one, so templates and forms show and parse its times."""
    with timezone.override(clinic_zone(clinic)):
        yield
