"""The clinic's set-up: its profile and logo, locations, rooms, opening hours and closures.

The location page holds a location's forms together (its details, rooms, hours, closures); each
posts to its own URL and, refused, re-renders the page with that form bound.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from prolo.clinic.access import get_closure, get_location, get_opening_hours, get_room
from prolo.clinic.clock import clinic_today
from prolo.clinic.models import Location
from prolo.clinic.permissions import Perm
from prolo.clinic.selectors.locations import clinic_locations, upcoming_closures, week_hours
from prolo.clinic.services import clinic_profile, locations
from prolo.lib.forms import submit
from prolo.lib.http import StaffRequest
from prolo.lib.images import data_uri
from prolo.staff.decorators import staff_view
from prolo.staff.setup_forms import (
    ClinicProfileForm,
    ClosureForm,
    LocationForm,
    OpeningHoursForm,
    RoomEditForm,
    RoomForm,
)


def _schedules(request: StaffRequest) -> list[dict[str, Any]]:
    """Each location with its week of hours and its closures still to come."""
    today = clinic_today(request.actor.clinic)
    return [
        {"location": loc, "week": week_hours(loc), "closures": upcoming_closures(loc, today)}
        for loc in clinic_locations(request.actor.clinic)
    ]


@staff_view(Perm.MANAGE_CLINIC)
def clinic_profile_edit(request: StaffRequest) -> HttpResponse:
    clinic = request.actor.clinic
    initial = model_to_dict(clinic, ClinicProfileForm.Meta.fields)
    form = ClinicProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if submit(request, form, clinic_profile.clinic_profile_update, actor=request.actor):
        messages.success(request, "The clinic's profile is saved.")
        return redirect("staff:clinic-profile")
    context = {
        "form": form,
        "clinic": clinic,
        "logo": data_uri(clinic.logo),
        "schedules": _schedules(request),
        "nav": "clinic",
    }
    return render(request, "staff/clinic_profile.html", context, status=400 if form.errors else 200)


@staff_view(Perm.MANAGE_CLINIC)
def location_list(request: StaffRequest) -> HttpResponse:
    context = {"schedules": _schedules(request), "nav": "clinic"}
    return render(request, "staff/location_list.html", context)


@staff_view(Perm.MANAGE_CLINIC)
def location_new(request: StaffRequest) -> HttpResponse:
    form = LocationForm(request.POST or None, initial={"active": True})
    location = submit(request, form, locations.location_create, actor=request.actor)
    if location:
        messages.success(request, f"{location.name} is added. Add its rooms and opening hours.")
        return redirect("staff:location-edit", code=location.code)
    status = 400 if form.errors else 200
    return render(
        request, "staff/location_new.html", {"form": form, "nav": "clinic"}, status=status
    )


def _location_page(
    request: StaffRequest, location: Location, bound: dict[str, forms.BaseForm] | None = None
) -> HttpResponse:
    details = LocationForm(initial=model_to_dict(location, locations.LOCATION_FIELDS))
    blank = {
        "location": details,
        "room": RoomForm(prefix="room"),
        "hours": OpeningHoursForm(prefix="hours"),
        "closure": ClosureForm(prefix="closure"),
    }
    context = {
        "location": location,
        "rooms": list(location.rooms.order_by("-active", "name", "id")),
        "week": week_hours(location),
        "closures": upcoming_closures(location, clinic_today(request.actor.clinic)),
        "forms": {**blank, **(bound or {})},
        "nav": "clinic",
    }
    return render(request, "staff/location_detail.html", context, status=400 if bound else 200)


@staff_view()
def location_edit(request: StaffRequest, code: str) -> HttpResponse:
    location = get_location(request.actor, code, Perm.MANAGE_CLINIC)
    if request.method != "POST":
        return _location_page(request, location)
    form = LocationForm(request.POST)
    if submit(request, form, locations.location_update, actor=request.actor, location=location):
        messages.success(request, f"{location.name} is saved.")
        return redirect("staff:location-edit", code=location.code)
    return _location_page(request, location, {"location": form})


@require_POST
@staff_view()
def room_new(request: StaffRequest, code: str) -> HttpResponse:
    location = get_location(request.actor, code, Perm.MANAGE_CLINIC)
    form = RoomForm(request.POST, prefix="room")
    room = submit(request, form, locations.room_create, actor=request.actor, location=location)
    if room:
        messages.success(request, f"{room.name} is added to {location.name}.")
        return redirect("staff:location-edit", code=location.code)
    return _location_page(request, location, {"room": form})


@staff_view()
def room_edit(request: StaffRequest, code: str) -> HttpResponse:
    room = get_room(request.actor, code, Perm.MANAGE_CLINIC)
    initial = {"name": room.name, "active": room.active, "location": room.location.code}
    form = RoomEditForm(request.POST or None, initial=initial, clinic=request.actor.clinic)
    if submit(request, form, locations.room_update, actor=request.actor, room=room):
        messages.success(request, f"{room.name} is saved.")
        return redirect("staff:location-edit", code=room.location.code)
    context = {"form": form, "room": room, "nav": "clinic"}
    return render(request, "staff/room_form.html", context, status=400 if form.errors else 200)


@require_POST
@staff_view()
def opening_hours_add(request: StaffRequest, code: str) -> HttpResponse:
    location = get_location(request.actor, code, Perm.MANAGE_CLINIC)
    form = OpeningHoursForm(request.POST, prefix="hours")
    hours = submit(
        request, form, locations.opening_hours_add, actor=request.actor, location=location
    )
    if hours:
        messages.success(request, f"{location.name} opens {hours}.")
        return redirect("staff:location-edit", code=location.code)
    return _location_page(request, location, {"hours": form})


@require_POST
@staff_view()
def opening_hours_remove(request: StaffRequest, code: str, pk: int) -> HttpResponse:
    location = get_location(request.actor, code, Perm.MANAGE_CLINIC)
    hours = get_opening_hours(location, pk)
    locations.opening_hours_remove(actor=request.actor, hours=hours)
    messages.success(request, f"The opening hours {hours} are removed.")
    return redirect("staff:location-edit", code=location.code)


@require_POST
@staff_view()
def closure_add(request: StaffRequest, code: str) -> HttpResponse:
    location = get_location(request.actor, code, Perm.MANAGE_CLINIC)
    form = ClosureForm(request.POST, prefix="closure")
    closure = submit(request, form, locations.closure_add, actor=request.actor, location=location)
    if closure:
        messages.success(request, f"{location.name} is closed for {closure.reason}.")
        return redirect("staff:location-edit", code=location.code)
    return _location_page(request, location, {"closure": form})


@require_POST
@staff_view()
def closure_remove(request: StaffRequest, code: str) -> HttpResponse:
    closure = get_closure(request.actor, code, Perm.MANAGE_CLINIC)
    locations.closure_remove(actor=request.actor, closure=closure)
    messages.success(request, f"The closure for {closure.reason} is removed.")
    return redirect("staff:location-edit", code=closure.location.code)
