from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prolo.clinic.models import AuditAction, AuditEvent, Closure, Location, OpeningHours, Room
from prolo.clinic.services.locations import (
    closure_add,
    closure_remove,
    location_create,
    location_update,
    opening_hours_add,
    opening_hours_remove,
    room_create,
    room_update,
)

T = dt.time


@pytest.fixture
def main(adam_actor) -> Location:
    return location_create(actor=adam_actor, name="Main site", address="1 River Road")


def test_a_location_is_created_and_audited(main, adam_actor):
    assert main.clinic == adam_actor.clinic
    assert AuditEvent.objects.get(object_type="location").changes["name"] == "Main site"


def test_two_locations_of_a_clinic_cannot_share_a_name(main, adam_actor):
    with pytest.raises(ValidationError) as exc:
        location_create(actor=adam_actor, name="Main site")
    assert "already has a location" in str(exc.value)
    assert Location.objects.count() == 1


def test_another_clinic_may_use_the_same_name(main, charlie_actor):
    assert location_create(actor=charlie_actor, name="Main site").pk


def test_a_location_is_deactivated_not_deleted(main, adam_actor):
    location_update(actor=adam_actor, location=main, active=False)
    main.refresh_from_db()
    assert not main.active
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).get().changes == {
        "active": [True, False]
    }


def test_rooms_belong_to_a_location_of_the_clinic(main, adam_actor, charlie_actor):
    room = room_create(actor=adam_actor, location=main, name="Room 1")
    room_update(actor=adam_actor, room=room, active=False)
    assert not Room.objects.get().active
    theirs = location_create(actor=charlie_actor, name="Hilltop")
    with pytest.raises(ValidationError) as exc:
        room_create(actor=adam_actor, location=theirs, name="Room 2")
    assert "location" in exc.value.message_dict


def test_a_nurse_may_not_add_a_location(nora_actor):
    with pytest.raises(PermissionDenied):
        location_create(actor=nora_actor, name="Annex")


def test_opening_hours_close_after_they_open(main, adam_actor):
    with pytest.raises(ValidationError) as exc:
        opening_hours_add(actor=adam_actor, location=main, weekday=0, opens=T(17), closes=T(9))
    assert "closing time must be after" in str(exc.value)
    assert not OpeningHours.objects.exists()


def test_overlapping_ranges_on_one_day_are_refused(main, adam_actor):
    opening_hours_add(actor=adam_actor, location=main, weekday=0, opens=T(9), closes=T(13))
    opening_hours_add(actor=adam_actor, location=main, weekday=0, opens=T(14), closes=T(18))
    opening_hours_add(actor=adam_actor, location=main, weekday=1, opens=T(12), closes=T(15))
    with pytest.raises(ValidationError) as exc:
        opening_hours_add(actor=adam_actor, location=main, weekday=0, opens=T(12), closes=T(15))
    assert "overlaps the opening hours Monday 09:00–13:00" in str(exc.value)
    assert OpeningHours.objects.count() == 3


def test_removing_hours_is_audited_naming_the_location(main, adam_actor):
    hours = opening_hours_add(actor=adam_actor, location=main, weekday=0, opens=T(9), closes=T(13))
    opening_hours_remove(actor=adam_actor, hours=hours)
    assert not OpeningHours.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert event.changes["location"] == str(main.code)


def test_a_closure_ends_on_or_after_its_first_day(main, adam_actor):
    day = dt.date(2026, 12, 25)
    closure = closure_add(
        actor=adam_actor, location=main, starts_on=day, ends_on=day, reason="Christmas Day"
    )
    with pytest.raises(ValidationError):
        closure_add(
            actor=adam_actor,
            location=main,
            starts_on=day,
            ends_on=day - dt.timedelta(days=1),
            reason="Backwards",
        )
    with pytest.raises(ValidationError):
        closure_add(
            actor=adam_actor,
            location=main,
            starts_on=day,
            ends_on=day + dt.timedelta(days=400),
            reason="Too long",
        )
    closure_remove(actor=adam_actor, closure=closure)
    assert not Closure.objects.exists()
