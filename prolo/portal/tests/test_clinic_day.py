"""The portal keeps the patient's clinic's day, at noon and either side of its midnight."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from prolo.clinic.services.clinics import clinic_time_zone_set
from prolo.clinic.tests.test_clinic_day import DAY, MOMENTS, NOON, at_the_boundary, frozen
from prolo.testing import signed_session

pytestmark = pytest.mark.django_db


@at_the_boundary
def test_the_diary_opens_the_day_after_yesterdays_session_and_not_the_next(
    zone, moment, clinic, alice_actor, pat, patient_client
):
    clinic_time_zone_set(clinic=clinic, time_zone=zone)
    with frozen(zone, NOON, DAY - dt.timedelta(days=1)):
        session = signed_session(alice_actor, pat)
    day_1 = reverse("portal:diary-day", args=[session.code, 1])
    day_2 = reverse("portal:diary-day", args=[session.code, 2])
    with frozen(zone, MOMENTS[moment]):
        patient_client.force_login(pat.account.user)
        diary = patient_client.get(reverse("portal:diary")).content.decode()
        assert patient_client.get(day_1).status_code == 200
        assert patient_client.get(day_2).status_code == 404
    assert day_1 in diary
    assert day_2 not in diary
