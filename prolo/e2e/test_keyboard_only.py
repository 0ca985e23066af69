"""Keyboard only, no mouse: sign in, skip to content, find a patient and record a weight.

Each step tabs to a control the way a keyboard user would; a control that cannot be reached
by Tab, or that does not show focus, fails the test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from playwright.sync_api import Page, expect

from prolo.clinic.models import Clinic, Membership, Patient, Role, User
from prolo.e2e.keyboard import tab_to

PASSWORD = "e2e-password-for-nurse-quinn"


def _setup() -> Patient:
    clinic = Clinic.objects.create(name="Riverside Prolotherapy")
    nurse = User.objects.create_user(
        username="nquinn", password=PASSWORD, first_name="Nora", last_name="Quinn", title="RN"
    )
    Membership.objects.create(user=nurse, clinic=clinic, role=Role.NURSE)
    return Patient.objects.create(
        clinic=clinic,
        mrn="R-3001",
        given_name="Tomás",
        family_name="Herrera",
        date_of_birth=dt.date(1949, 11, 2),
        sex="male",
    )


def test_a_nurse_records_a_weight_with_the_keyboard_alone(
    page: Page, axe_check: Callable[[], None]
) -> None:
    patient = _setup()
    page.goto("/")
    tab_to(page, "Skip to main content")
    tab_to(page, "Username")
    page.keyboard.type("nquinn")
    tab_to(page, "Password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Today")).to_be_visible()

    tab_to(page, "Patients")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    tab_to(page, "Search by name")
    page.keyboard.type("Herrera")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Patients matching “Herrera”")).to_be_visible()
    tab_to(page, "Herrera, Tomás")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Tomás Herrera")).to_be_visible()

    tab_to(page, "Update medical history")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Medical history of Tomás Herrera")).to_be_visible()
    tab_to(page, "Weight (kg)")
    page.keyboard.type("400")  # out of range: the error must be announced and reachable
    tab_to(page, "Record weight")
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Weight (kg)")
    expect(summary).to_be_focused()
    axe_check()
    tab_to(page, "Weight (kg): Ensure this value")  # the summary links to the field
    page.keyboard.press("Enter")
    expect(page.get_by_label("Weight (kg)")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("81.2")
    tab_to(page, "Record weight")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Weight recorded.")).to_be_visible()
    expect(page.get_by_text("81.2 kg on")).to_be_visible()
    axe_check()
    assert str(patient.weights.get().weight_kg) == "81.2"
