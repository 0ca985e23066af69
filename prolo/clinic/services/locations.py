"""The clinic's locations and rooms, each location's opening hours and closures.

Every change is audited without a patient. A location or room is deactivated, never deleted:
sessions and, later, appointments may name it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from prolo.clinic.access import require
from prolo.clinic.models import AuditAction, Closure, Location, OpeningHours, Room
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import audit_log, create_audited, snapshot, update_audited
from prolo.clinic.services.fields import pick

LOCATION_FIELDS = ("name", "address", "active")
ROOM_FIELDS = ("name", "location", "active")
CLOSURE_MAX_DAYS = 366


@transaction.atomic
def location_create(*, actor: Actor, **fields: Any) -> Location:
    require(actor, Perm.MANAGE_CLINIC)
    location = Location(clinic=actor.clinic, **pick(fields, LOCATION_FIELDS))
    return create_audited(actor=actor, instance=location, patient=None)


@transaction.atomic
def location_update(*, actor: Actor, location: Location, **fields: Any) -> Location:
    require(actor, Perm.MANAGE_CLINIC)
    changes = pick(fields, LOCATION_FIELDS)
    return update_audited(actor=actor, instance=location, patient=None, changes=changes)


def _check_room_location(actor: Actor, location: Location | None) -> None:
    if location is not None and location.clinic_id != actor.clinic.pk:
        raise ValidationError({"location": "Choose one of this clinic's locations."})


@transaction.atomic
def room_create(*, actor: Actor, **fields: Any) -> Room:
    require(actor, Perm.MANAGE_CLINIC)
    values = pick(fields, ROOM_FIELDS)
    _check_room_location(actor, values.get("location"))
    return create_audited(actor=actor, instance=Room(**values), patient=None)


@transaction.atomic
def room_update(*, actor: Actor, room: Room, **fields: Any) -> Room:
    require(actor, Perm.MANAGE_CLINIC)
    changes = pick(fields, ROOM_FIELDS)
    _check_room_location(actor, changes.get("location"))
    return update_audited(actor=actor, instance=room, patient=None, changes=changes)


@transaction.atomic
def opening_hours_add(
    *, actor: Actor, location: Location, weekday: int, opens: dt.time, closes: dt.time
) -> OpeningHours:
    """Open `location` from `opens` to `closes` on `weekday`, beside its other ranges that day."""
    require(actor, Perm.MANAGE_CLINIC)
    Location.objects.select_for_update().filter(pk=location.pk).first()  # one writer at a time
    hours = OpeningHours(location=location, weekday=weekday, opens=opens, closes=closes)
    hours.full_clean()
    clash = location.hours.filter(weekday=weekday, opens__lt=closes, closes__gt=opens).first()
    if clash is not None:
        raise ValidationError(
            {"opens": f"This overlaps the opening hours {clash}; change or remove those first."}
        )
    return create_audited(actor=actor, instance=hours, patient=None)


@transaction.atomic
def opening_hours_remove(*, actor: Actor, hours: OpeningHours) -> None:
    require(actor, Perm.MANAGE_CLINIC)
    _delete_audited(actor, hours)


@transaction.atomic
def closure_add(
    *, actor: Actor, location: Location, starts_on: dt.date, ends_on: dt.date, reason: str
) -> Closure:
    """Close `location` from `starts_on` to `ends_on`, both included, e.g. a public holiday."""
    require(actor, Perm.MANAGE_CLINIC)
    if starts_on and ends_on and (ends_on - starts_on).days >= CLOSURE_MAX_DAYS:
        raise ValidationError(
            {"ends_on": f"A closure can last at most {CLOSURE_MAX_DAYS} days; add another."}
        )
    values = pick({"reason": reason}, ["reason"])
    closure = Closure(location=location, starts_on=starts_on, ends_on=ends_on, **values)
    return create_audited(actor=actor, instance=closure, patient=None)


@transaction.atomic
def closure_remove(*, actor: Actor, closure: Closure) -> None:
    require(actor, Perm.MANAGE_CLINIC)
    _delete_audited(actor, closure)


def _delete_audited(actor: Actor, instance: OpeningHours | Closure) -> None:
    # The audit row names the location: the removed row's own id means nothing afterwards.
    changes = {**snapshot(instance), "location": str(instance.location.code)}
    audit_log(actor=actor, action=AuditAction.DELETE, obj=instance, patient=None, changes=changes)
    instance.delete()
