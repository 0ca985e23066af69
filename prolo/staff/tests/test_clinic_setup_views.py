from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prolo.clinic.models import Clinic, Closure, Location, OpeningHours, Room
from prolo.clinic.services.locations import (
    closure_add,
    location_create,
    opening_hours_add,
    room_create,
)
from prolo.clinic.tests.test_clinic_profile_services import image_upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def main(adam_actor) -> Location:
    return location_create(actor=adam_actor, name="Main site", address="1 River Road")


def _profile(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Riverside Prolotherapy",
        "address": "1 River Road",
        "phone": "020 7946 0000",
        "email": "desk@riverside.example",
        "time_zone": "Europe/London",
        **overrides,
    }


def test_the_admin_saves_the_profile_with_a_logo(adam, client_for):
    client = client_for(adam)
    response = client.post(reverse("staff:clinic-profile"), _profile(logo=image_upload()))
    assert response.status_code == 302
    clinic = Clinic.objects.get(name="Riverside Prolotherapy")
    assert clinic.email == "desk@riverside.example"
    page = client.get(reverse("staff:clinic-profile")).content.decode()
    assert 'src="data:image/png;base64,' in page
    assert "Remove the current logo" in page


def test_a_bad_time_zone_is_refused_beside_its_field_and_nothing_is_saved(adam, client_for):
    response = client_for(adam).post(
        reverse("staff:clinic-profile"), _profile(time_zone="Mars/Olympus", phone="1")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "IANA name" in form.errors["time_zone"][0]
    assert Clinic.objects.get(name="Riverside Prolotherapy").phone == ""
    assert 'aria-describedby="id_time_zone' in response.content.decode()


def test_a_fake_logo_alone_is_refused_naming_the_logo(adam, client_for):
    fake = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\nnot really", content_type="image/png")
    response = client_for(adam).post(reverse("staff:clinic-profile"), _profile(logo=fake))
    assert response.status_code == 400
    assert "PNG or JPEG" in response.context["form"].errors["logo"][0]
    assert not Clinic.objects.get(name="Riverside Prolotherapy").logo


def test_the_profile_shows_each_locations_hours_and_closures(adam, adam_actor, main, client_for):
    opening_hours_add(
        actor=adam_actor, location=main, weekday=0, opens=dt.time(9), closes=dt.time(17)
    )
    closure_add(
        actor=adam_actor,
        location=main,
        starts_on=dt.date(2099, 12, 25),
        ends_on=dt.date(2099, 12, 25),
        reason="Christmas Day",
    )
    page = client_for(adam).get(reverse("staff:clinic-profile")).content.decode()
    assert "09:00–17:00" in page
    assert "Christmas Day" in page
    assert "<caption>Opening hours of Main site</caption>" in page


def test_the_nurse_gets_no_profile_and_no_link_to_it(nora, client_for):
    client = client_for(nora)
    assert client.get(reverse("staff:clinic-profile")).status_code == 403
    page = client.get(reverse("staff:clinic-settings")).content.decode()
    assert reverse("staff:clinic-profile") not in page


def test_the_admin_adds_a_location_then_a_room_hours_and_a_closure(adam, client_for):
    client = client_for(adam)
    response = client.post(
        reverse("staff:location-new"), {"name": "Annex", "address": "2 Mill Lane", "active": "on"}
    )
    location = Location.objects.get(name="Annex")
    edit = reverse("staff:location-edit", args=[location.code])
    assert response["Location"] == edit

    client.post(reverse("staff:room-new", args=[location.code]), {"room-name": "Room 1"})
    client.post(
        reverse("staff:opening-hours-add", args=[location.code]),
        {"hours-weekday": "2", "hours-opens": "08:30", "hours-closes": "12:30"},
    )
    client.post(
        reverse("staff:closure-add", args=[location.code]),
        {
            "closure-starts_on": "2099-05-01",
            "closure-ends_on": "2099-05-02",
            "closure-reason": "Bank holiday",
        },
    )
    page = client.get(edit).content.decode()
    assert "Room 1" in page
    assert "08:30–12:30" in page
    assert "Bank holiday" in page


def test_overlapping_hours_are_refused_with_the_clash_named(adam, adam_actor, main, client_for):
    opening_hours_add(
        actor=adam_actor, location=main, weekday=0, opens=dt.time(9), closes=dt.time(13)
    )
    response = client_for(adam).post(
        reverse("staff:opening-hours-add", args=[main.code]),
        {"hours-weekday": "0", "hours-opens": "12:00", "hours-closes": "14:00"},
    )
    assert response.status_code == 400
    assert "overlaps the opening hours Monday 09:00–13:00" in response.content.decode()
    assert OpeningHours.objects.count() == 1


def test_closing_before_opening_is_refused_beside_the_closing_time(adam, main, client_for):
    response = client_for(adam).post(
        reverse("staff:opening-hours-add", args=[main.code]),
        {"hours-weekday": "0", "hours-opens": "17:00", "hours-closes": "09:00"},
    )
    assert response.status_code == 400
    assert "closing time must be after" in response.context["forms"]["hours"].errors["closes"][0]


def test_hours_and_closures_can_be_removed(adam, adam_actor, main, client_for):
    hours = opening_hours_add(
        actor=adam_actor, location=main, weekday=0, opens=dt.time(9), closes=dt.time(13)
    )
    closure = closure_add(
        actor=adam_actor,
        location=main,
        starts_on=dt.date(2099, 1, 1),
        ends_on=dt.date(2099, 1, 1),
        reason="New Year",
    )
    client = client_for(adam)
    client.post(reverse("staff:opening-hours-remove", args=[main.code, hours.pk]))
    client.post(reverse("staff:closure-remove", args=[closure.code]))
    assert not OpeningHours.objects.exists()
    assert not Closure.objects.exists()


def test_a_room_is_moved_and_deactivated(adam, adam_actor, main, client_for):
    annex = location_create(actor=adam_actor, name="Annex")
    room = room_create(actor=adam_actor, location=main, name="Room 1")
    response = client_for(adam).post(
        reverse("staff:room-edit", args=[room.code]), {"name": "Room 1", "location": annex.code}
    )
    assert response.status_code == 302
    room.refresh_from_db()
    assert (room.location, room.active) == (annex, False)


def test_another_clinics_location_is_not_offered_for_a_room(
    adam, adam_actor, charlie_actor, main, client_for
):
    theirs = location_create(actor=charlie_actor, name="Hilltop")
    room = room_create(actor=adam_actor, location=main, name="Room 1")
    response = client_for(adam).post(
        reverse("staff:room-edit", args=[room.code]), {"name": "Room 1", "location": theirs.code}
    )
    assert response.status_code == 400
    assert "location" in response.context["form"].errors
    assert Room.objects.get().location == main


def test_another_clinics_location_answers_404(charlie, charlie_actor, main, client_for):
    assert (
        client_for(charlie).get(reverse("staff:location-edit", args=[main.code])).status_code == 404
    )


@pytest.mark.parametrize("page", ["staff:location-list", "staff:clinic-profile"])
@pytest.mark.parametrize("count", [1, 4])
def test_the_pages_listing_locations_run_a_constant_number_of_queries(
    page, count, adam, adam_actor, client_for, django_assert_num_queries
):
    for n in range(count):
        location = location_create(actor=adam_actor, name=f"Site {n}")
        room_create(actor=adam_actor, location=location, name="Room 1")
        opening_hours_add(
            actor=adam_actor, location=location, weekday=n, opens=dt.time(9), closes=dt.time(17)
        )
    client = client_for(adam)
    client.get(reverse(page))  # warm the session
    # The signed-in request's own queries, then one each: locations, rooms, hours, closures.
    with django_assert_num_queries(11):
        response = client.get(reverse(page))
    assert response.content.decode().count("09:00–17:00") == count
