"""Keyboard only: a physician makes an API token, a program uses it, the physician revokes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from playwright.sync_api import Page, expect

from prolo.clinic.models import Clinic, Membership, Patient, Role, User
from prolo.e2e.keyboard import tab_to

PASSWORD = "e2e-password-for-dr-okafor"


def _setup() -> Patient:
    clinic = Clinic.objects.create(name="Riverside Prolotherapy")
    doctor = User.objects.create_user(
        username="dokafor", password=PASSWORD, first_name="Ada", last_name="Okafor", title="Dr"
    )
    Membership.objects.create(user=doctor, clinic=clinic, role=Role.PHYSICIAN)
    return Patient.objects.create(
        clinic=clinic,
        mrn="R-4001",
        given_name="Maren",
        family_name="Lindqvist",
        date_of_birth=dt.date(1971, 4, 9),
        sex="female",
    )


def test_a_physician_makes_uses_and_revokes_a_token_with_the_keyboard(
    page: Page, axe_check: Callable[[], None]
) -> None:
    patient = _setup()
    page.goto("/")
    tab_to(page, "Username")
    page.keyboard.type("dokafor")
    tab_to(page, "Password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Today")).to_be_visible()

    tab_to(page, "API tokens")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    axe_check()
    tab_to(page, "Make the token")  # without a name: the error is announced and linked
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Name")
    axe_check()
    tab_to(page, "Name (required)")  # past the summary's link to the field
    page.keyboard.type("Registry upload")
    tab_to(page, "Make the token")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your new token")).to_be_visible()
    expect(page.get_by_text("it will not be shown again")).to_be_visible()
    axe_check()
    secret = page.get_by_label("Token", exact=True).input_value()
    assert secret.startswith("prolo_")

    # A program uses it: FHIR search by name finds the patient.
    headers = {"Authorization": f"Bearer {secret}"}
    found = page.request.get("/fhir/Patient?family=Lindqvist", headers=headers)
    assert found.status == 200
    assert found.json()["entry"][0]["resource"]["id"] == str(patient.code)

    tab_to(page, "Revoke")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Revoked", exact=False).first).to_be_visible()
    expect(page.get_by_role("heading", name="Your new token")).to_have_count(0)
    axe_check()
    assert page.request.get("/fhir/Patient", headers=headers).status == 401
