"""A clinic's day runs from its own midnight to its own midnight, whatever the server's clock.

Each rule is asked at noon, one second before midnight and one second after midnight where the
clinic works, for a clinic at UTC−8 (Los Angeles in December) and one at UTC+13 (Tonga): the
answers must be those of noon. At 23:59:59 in Los Angeles the server (UTC) is already on the
next day; at 00:00:01 in Tonga it is still on the day before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from prolo.clinic.clock import clinic_day, clinic_now, clinic_today
from prolo.clinic.models import Clinic
from prolo.clinic.services.adverse_events import adverse_event_report
from prolo.clinic.services.clinics import clinic_create, clinic_time_zone_set
from prolo.clinic.services.diary import diary_entry_record
from prolo.clinic.services.patients import weight_record
from prolo.clinic.services.portal_outcomes import open_days
from prolo.clinic.services.questionnaires import due_list, questionnaire_record
from prolo.testing import make_course, make_evaluation, signed_session

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 8)
ZONES = {"America/Los_Angeles": dt.timedelta(hours=-8), "Pacific/Tongatapu": dt.timedelta(hours=13)}
MOMENTS = {"noon": dt.time(12), "23:59:59": dt.time(23, 59, 59), "00:00:01": dt.time(0, 0, 1)}
NOON = MOMENTS["noon"]
QUIET = {"pain": 3, "swelling": "mild", "joint_use": "reduced", "analgesics": ""}

at_the_boundary = pytest.mark.parametrize(
    ("zone", "moment"), [(z, m) for z in ZONES for m in MOMENTS], ids=lambda v: str(v)
)


def _instant(zone: str, day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=ZoneInfo(zone))


@contextmanager
def frozen(zone: str, at: dt.time, day: dt.date = DAY) -> Iterator[None]:
    with time_machine.travel(_instant(zone, day, at), tick=False):
        yield


@pytest.fixture
def in_zone(clinic: Clinic) -> Callable[[str], Clinic]:
    def move(zone: str) -> Clinic:
        return clinic_time_zone_set(clinic=clinic, time_zone=zone)

    return move


@pytest.mark.parametrize("zone", ZONES)
def test_the_zones_have_the_offsets_the_tests_are_about(zone):
    assert _instant(zone, DAY, NOON).utcoffset() == ZONES[zone]


@at_the_boundary
def test_the_clinic_is_on_its_own_day_while_the_server_may_not_be(zone, moment, in_zone):
    clinic = in_zone(zone)
    with frozen(zone, MOMENTS[moment]):
        assert clinic_today(clinic) == DAY
        assert clinic_now(clinic).time() == MOMENTS[moment]
    server_day = _instant(zone, DAY, MOMENTS[moment]).astimezone(dt.UTC).date()
    if (zone, moment) in {("America/Los_Angeles", "23:59:59"), ("Pacific/Tongatapu", "00:00:01")}:
        assert server_day != DAY


def _questionnaire(actor: Any, patient: Any, day: dt.date) -> None:
    questionnaire_record(
        actor=actor, patient=patient, instrument="pain_nrs", answers={"pain": 5}, answered_on=day
    )


def _weight(actor: Any, patient: Any, day: dt.date) -> None:
    weight_record(actor=actor, patient=patient, weight_kg=Decimal("70"), measured_on=day)


def _evaluation(actor: Any, patient: Any, day: dt.date) -> None:
    make_evaluation(actor, patient, evaluated_on=day)


def _adverse_event(actor: Any, patient: Any, day: dt.date) -> None:
    adverse_event_report(
        actor=actor,
        patient=patient,
        event_type="severe_pain",
        onset_date=day,
        grade=2,
        expectedness="expected",
    )


DATED = {
    "questionnaire answered on": _questionnaire,
    "weight measured on": _weight,
    "evaluation dated": _evaluation,
    "adverse event onset": _adverse_event,
}


@pytest.mark.parametrize("rule", DATED)
@at_the_boundary
def test_today_is_accepted_and_tomorrow_refused(rule, zone, moment, in_zone, alice_actor, pat):
    in_zone(zone)
    record = DATED[rule]
    with frozen(zone, MOMENTS[moment]):
        record(alice_actor, pat, DAY)
        with pytest.raises(ValidationError, match="future"):
            record(alice_actor, pat, DAY + dt.timedelta(days=1))


def _due(actor: Any) -> list[tuple[str, str, dt.date, str]]:
    return [(r.due.timepoint, r.due.instrument, r.due.due, r.due.state) for r in due_list(actor)]


@at_the_boundary
def test_a_course_planned_today_has_its_first_session_today_and_the_same_due_list(
    zone, moment, in_zone, alice_actor, pat
):
    in_zone(zone)
    with frozen(zone, MOMENTS[moment]):
        course = make_course(
            alice_actor,
            pat,
            start_date=clinic_today(alice_actor.clinic),
            first_session_time=dt.time(9, 0),
        )
        first = course.sessions.get(number=1)
        assert clinic_day(alice_actor.clinic, first.scheduled_at) == DAY
        assert clinic_now(alice_actor.clinic).replace(hour=9, minute=0, second=0) == (
            first.scheduled_at
        )
        at_the_moment = _due(alice_actor)
    with frozen(zone, NOON):
        at_noon = _due(alice_actor)
    assert at_the_moment == at_noon
    assert ("baseline", "pain_nrs", DAY, "due") in at_noon


@at_the_boundary
def test_the_diary_day_after_yesterdays_session_is_open_and_the_next_is_not(
    zone, moment, in_zone, alice_actor, pat
):
    in_zone(zone)
    with frozen(zone, NOON, DAY - dt.timedelta(days=1)):
        session = signed_session(alice_actor, pat)
    with frozen(zone, MOMENTS[moment]):
        assert open_days(session) == [1]
        with pytest.raises(ValidationError, match="has not come yet"):
            diary_entry_record(actor=alice_actor, session=session, day=2, **QUIET)
        diary_entry_record(actor=alice_actor, session=session, day=1, **QUIET)


@at_the_boundary
def test_the_staff_form_takes_today_and_refuses_tomorrow_on_the_clinics_clock(
    zone, moment, in_zone, alice, pat, client_for
):
    clinic = in_zone(zone)
    url = reverse("staff:questionnaire-new", args=[pat.code])
    form = {"slot": ":extra", "item_pain": "5"}
    with frozen(zone, MOMENTS[moment]):
        client = client_for(alice, clinic)
        blank = client.get(url).content.decode()
        tomorrow = client.post(url, form | {"answered_on": str(DAY + dt.timedelta(days=1))})
        today = client.post(url, form | {"answered_on": str(DAY)})
    assert f'value="{DAY}"' in blank  # "Answered on" starts at the clinic's today
    assert tomorrow.status_code == 400
    assert "future day" in tomorrow.content.decode()
    assert today.status_code == 302


@at_the_boundary
def test_the_today_page_lists_the_sessions_of_the_clinics_day(
    zone, moment, in_zone, alice, alice_actor, pat, client_for
):
    clinic = in_zone(zone)
    with frozen(zone, NOON, DAY - dt.timedelta(days=1)):
        make_course(alice_actor, pat, start_date=DAY, planned_sessions=1)
    with frozen(zone, MOMENTS[moment]):
        page = client_for(alice, clinic).get(reverse("staff:today"))
    assert "Fields" in page.content.decode()
    assert "09:00" in page.content.decode()


def test_a_clinic_takes_only_a_real_time_zone():
    with pytest.raises(ValidationError, match="IANA"):
        clinic_create(name="Seaside Prolotherapy", time_zone="Mars/Olympus_Mons")
    assert clinic_create(name="Seaside Prolotherapy", time_zone="Pacific/Auckland").time_zone == (
        "Pacific/Auckland"
    )


def test_a_new_clinic_works_in_the_installations_zone(settings):
    assert clinic_create(name="Seaside Prolotherapy").time_zone == settings.TIME_ZONE
