"""In Chromium: a new clinic's admin fills in the profile with a logo, adds a location with a
room, opening hours and a closure, and sees them on the profile. axe checks each page, and the
set-up pages never scroll sideways at 320 px.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import Page, expect

PASSWORD = "e2e-password-for-clinic-setup"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 80), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def _narrow_and_wide(page: Page, check: Callable[[], None]) -> None:
    check()
    page.set_viewport_size({"width": 320, "height": 900})
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_admin_sets_the_clinic_up_from_the_browser(
    page: Page, axe_check: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROLO_ADMIN_PASSWORD", PASSWORD)
    call_command(
        "createclinic",
        "--no-input",
        "--name=Lakeside Prolotherapy",
        "--time-zone=Europe/London",
        "--admin-username=dana",
        stdout=io.StringIO(),
    )
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Clinic", exact=True).click()
    page.get_by_role("link", name="Profile", exact=True).click()
    expect(page.get_by_role("heading", name="Profile of Lakeside Prolotherapy")).to_be_visible()
    _narrow_and_wide(page, axe_check)
    page.get_by_label("Phone").fill("01632 960555")
    page.get_by_label("Letterhead logo").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": _png()}
    )
    page.get_by_role("button", name="Save the profile").click()
    expect(page.get_by_text("The clinic's profile is saved.")).to_be_visible()
    expect(page.get_by_role("img", name="Lakeside Prolotherapy logo")).to_be_visible()
    axe_check()

    page.get_by_role("link", name="Locations and rooms").first.click()
    page.get_by_role("link", name="Add a location").click()
    page.get_by_label("Name").fill("Main site")
    page.get_by_role("button", name="Add the location").click()
    expect(page.get_by_role("heading", name="Main site", exact=True)).to_be_visible()
    page.get_by_label("Room name").fill("Room 1")
    page.get_by_role("button", name="Add the room").click()
    page.get_by_label("Day (required)", exact=True).select_option(label="Monday")
    page.get_by_label("Opens at").fill("09:00")
    page.get_by_label("Closes at").fill("08:00")
    page.get_by_role("button", name="Add the hours").click()
    expect(
        page.get_by_role("link", name="Closes at: The closing time must be after")
    ).to_be_visible()
    _narrow_and_wide(page, axe_check)
    page.get_by_label("Closes at").fill("17:00")
    page.get_by_role("button", name="Add the hours").click()
    page.get_by_label("First day").fill("2099-12-25")
    page.get_by_label("Last day").fill("2099-12-25")
    page.get_by_label("Reason").fill("Christmas Day")
    page.get_by_role("button", name="Add the closure").click()
    expect(page.get_by_role("button", name="Remove the closure for Christmas Day")).to_be_visible()
    _narrow_and_wide(page, axe_check)

    page.get_by_role("link", name="Back to locations and rooms").click()
    expect(page.get_by_role("cell", name="Room 1")).to_be_visible()
    _narrow_and_wide(page, axe_check)
    page.get_by_role("link", name="Profile", exact=True).click()
    expect(page.get_by_role("cell", name="09:00–17:00")).to_be_visible()
    expect(page.get_by_text("Christmas Day")).to_be_visible()
