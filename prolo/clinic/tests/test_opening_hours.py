"""`is_open`: the clinic's wall clock decides, across daylight-saving changes and closures."""

from __future__ import annotations

import datetime as dt

import pytest

from prolo.clinic.models import Clinic
from prolo.clinic.selectors.locations import is_open
from prolo.clinic.services.locations import (
    closure_add,
    location_create,
    location_update,
    opening_hours_add,
)

UTC = dt.UTC


@pytest.fixture
def london(adam_actor):
    Clinic.objects.filter(pk=adam_actor.clinic.pk).update(time_zone="Europe/London")
    adam_actor.clinic.refresh_from_db()
    location = location_create(actor=adam_actor, name="Main site")
    for weekday in range(7):
        opening_hours_add(
            actor=adam_actor,
            location=location,
            weekday=weekday,
            opens=dt.time(9),
            closes=dt.time(17),
        )
    return location


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # Winter: London is on UTC.
        (dt.datetime(2026, 1, 14, 8, 59, tzinfo=UTC), False),
        (dt.datetime(2026, 1, 14, 9, 0, tzinfo=UTC), True),
        (dt.datetime(2026, 1, 14, 16, 59, tzinfo=UTC), True),
        (dt.datetime(2026, 1, 14, 17, 0, tzinfo=UTC), False),
        # Sunday 29 March 2026, the clocks go forward at 01:00 UTC: 08:30 UTC is 09:30 BST.
        (dt.datetime(2026, 3, 29, 8, 30, tzinfo=UTC), True),
        (dt.datetime(2026, 3, 29, 16, 30, tzinfo=UTC), False),
        # The day before, still on GMT.
        (dt.datetime(2026, 3, 28, 8, 30, tzinfo=UTC), False),
    ],
)
def test_the_hours_are_the_clinics_wall_clock(london, instant, expected):
    assert is_open(london, instant) is expected


def test_a_day_with_no_hours_is_closed(adam_actor):
    location = location_create(actor=adam_actor, name="Annex")
    assert not is_open(location, dt.datetime(2026, 1, 14, 12, tzinfo=UTC))


def test_a_closure_closes_whole_days_of_the_clinics_calendar(london, adam_actor):
    closure_add(
        actor=adam_actor,
        location=london,
        starts_on=dt.date(2026, 12, 25),
        ends_on=dt.date(2026, 12, 26),
        reason="Christmas",
    )
    assert not is_open(london, dt.datetime(2026, 12, 25, 12, tzinfo=UTC))
    assert not is_open(london, dt.datetime(2026, 12, 26, 12, tzinfo=UTC))
    assert is_open(london, dt.datetime(2026, 12, 27, 12, tzinfo=UTC))


def test_the_day_is_the_clinics_not_utcs(adam_actor):
    """In Los Angeles, 02:00 UTC on the 26th is still the 25th, 18:00, and a closure there."""
    Clinic.objects.filter(pk=adam_actor.clinic.pk).update(time_zone="America/Los_Angeles")
    adam_actor.clinic.refresh_from_db()
    location = location_create(actor=adam_actor, name="West")
    opening_hours_add(
        actor=adam_actor, location=location, weekday=4, opens=dt.time(8), closes=dt.time(20)
    )  # Friday 25 December 2026
    closure_add(
        actor=adam_actor,
        location=location,
        starts_on=dt.date(2026, 12, 25),
        ends_on=dt.date(2026, 12, 25),
        reason="Christmas Day",
    )
    assert not is_open(location, dt.datetime(2026, 12, 26, 2, tzinfo=UTC))
    assert is_open(location, dt.datetime(2027, 1, 2, 2, tzinfo=UTC))  # Friday 1 January, 18:00


def test_a_location_not_in_use_is_never_open(london, adam_actor):
    location_update(actor=adam_actor, location=london, active=False)
    assert not is_open(london, dt.datetime(2026, 1, 14, 12, tzinfo=UTC))
