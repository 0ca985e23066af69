"""The API's schedule defaults to the clinic's today, at noon and either side of its midnight."""

from __future__ import annotations

import datetime as dt

import pytest

from prolo.clinic.services.clinics import clinic_time_zone_set
from prolo.clinic.tests.test_clinic_day import DAY, MOMENTS, NOON, at_the_boundary, frozen
from prolo.testing import make_course

pytestmark = pytest.mark.django_db


@at_the_boundary
def test_the_schedule_defaults_to_the_clinics_today(
    zone, moment, clinic, api_for, rita, alice_actor, pat
):
    clinic_time_zone_set(clinic=clinic, time_zone=zone)
    with frozen(zone, NOON, DAY - dt.timedelta(days=1)):
        course = make_course(
            alice_actor, pat, start_date=DAY - dt.timedelta(days=1), interval_days=1
        )
    with frozen(zone, MOMENTS[moment]):
        items = api_for(rita).get("/schedule").json()["items"]
    assert [(s["course"], s["number"]) for s in items] == [(str(course.code), 2)]
