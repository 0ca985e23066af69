"""In Chromium: a clinic admin copies a published protocol and adjusts the safety settings; a
physician plans a course from the template, finds its planned injections and the patient's
dated aftercare plan on the session page, and opens the printable sheet. axe checks each page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from playwright.sync_api import Page, expect

from prolo.clinic.models import Clinic, Membership, Patient, Role, User
from prolo.clinic.services.clinics import clinic_create
from prolo.clinic.services.patients import patient_register
from prolo.testing import actor, make_evaluation

PASSWORD = "e2e-password-for-protocols"


def _user(
    clinic: Clinic, username: str, first: str, last: str, role: Role, title: str = ""
) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=first, last_name=last, title=title
    )
    Membership.objects.create(user=user, clinic=clinic, role=role)
    return user


def _setup() -> Patient:
    clinic = clinic_create(name="Riverside Prolotherapy", phone="01632 960100")
    physician = actor(_user(clinic, "drmoreno", "Alice", "Moreno", Role.PHYSICIAN, "Dr"), clinic)
    _user(clinic, "adam", "Adam", "Clarke", Role.CLINIC_ADMIN)
    patient = patient_register(
        actor=physician,
        mrn="R-3101",
        given_name="Lena",
        family_name="Ortiz",
        date_of_birth=dt.date(1960, 5, 17),
        sex="female",
    )
    make_evaluation(physician, patient)
    return patient


def _sign_in(page: Page, username: str, check: Callable[[], None]) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    check()


def _admin_copies_rabago_and_sets_5_days(page: Page, check: Callable[[], None]) -> None:
    _sign_in(page, "adam", check)
    page.get_by_role("link", name="Clinic", exact=True).click()
    expect(
        page.get_by_role("heading", name="Safety settings of Riverside Prolotherapy")
    ).to_be_visible()
    check()
    page.get_by_label("Stop anti-inflammatories (days before)").fill("5")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Safety settings saved.")).to_be_visible()

    page.get_by_role("link", name="Protocol templates").click()
    check()
    page.get_by_role(
        "button", name="Copy “Knee osteoarthritis (Rabago 2013)” to this clinic"
    ).click()
    expect(page.get_by_role("heading", name="Knee osteoarthritis (Rabago 2013)")).to_be_visible()
    check()
    page.get_by_role("link", name="Edit the template").click()
    check()
    page.get_by_label("Name").fill("Knee OA, Riverside")
    page.get_by_role("button", name="Save template").click()
    expect(page.get_by_text("Template saved.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()


def test_a_course_planned_from_a_template_shows_its_plan_and_prints_the_patients_sheet(
    page: Page, axe_check: Callable[[], None]
) -> None:
    patient = _setup()
    _admin_copies_rabago_and_sets_5_days(page, axe_check)

    _sign_in(page, "drmoreno", axe_check)
    page.goto(f"/patients/{patient.code}/courses/new/")
    page.get_by_label("From evaluation").select_option(index=1)
    page.get_by_label("Protocol template").select_option(label="Knee OA, Riverside")
    page.get_by_label("Laterality").select_option("left")
    page.get_by_label("Targets").fill("Joint and medial insertions")
    page.get_by_label("Time of each session").fill("10:00")
    axe_check()
    page.get_by_role("button", name="Plan course and propose sessions").click()
    expect(page.get_by_text("Course planned with 3 sessions.")).to_be_visible()

    page.get_by_role("link", name="Session 1", exact=True).click()
    expect(page.get_by_role("heading", name="Preparation and aftercare plan")).to_be_visible()
    expect(page.get_by_text("5 days before your treatment")).to_be_visible()
    expect(page.get_by_role("heading", name="Planned injections")).to_be_visible()
    axe_check()

    page.get_by_role("link", name="Printable plan").click()
    expect(page.get_by_role("heading", name="Your treatment plan")).to_be_visible()
    expect(page.get_by_text("01632 960100")).to_be_visible()
    axe_check()
