"""In Chromium, a clinic admin reads the outcomes page, filters it, and finds both CSVs.
axe-core checks the page with its table, with an instrument that has no MCID, and with an
error in the filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from prolo.clinic.models import Membership, Role, User
from prolo.clinic.services.clinics import clinic_create
from prolo.clinic.tests.outcome_data import another_patient, treated_course
from prolo.testing import actor

PASSWORD = "e2e-password-for-the-outcomes-page"


def _clinic() -> None:
    """Five treated courses: 3 improved, 1 unchanged, 1 worse; one not followed up yet."""
    clinic = clinic_create(name="Riverside Prolotherapy")
    doctor = User.objects.create_user(username="drmoreno", password=PASSWORD, title="Dr")
    admin = User.objects.create_user(username="adam", password=PASSWORD)
    Membership.objects.create(user=doctor, clinic=clinic, role=Role.PHYSICIAN)
    Membership.objects.create(user=admin, clinic=clinic, role=Role.CLINIC_ADMIN)
    physician = actor(doctor, clinic)
    pairs = [(7, 3), (6, 2), (8, 4), (5, 4), (3, 6), (6, None)]
    for i, (before, after) in enumerate(pairs):
        treated_course(physician, another_patient(physician, i), before, after)


def _sign_in(page: Page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("adam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Today")).to_be_visible()


def test_the_outcomes_page_reads_and_filters(page: Page, axe_check: Callable[[], None]) -> None:
    _clinic()
    _sign_in(page)
    page.get_by_role("link", name="Outcomes").click()
    expect(page.get_by_role("heading", name="Outcomes", exact=True)).to_be_visible()
    overall = page.get_by_role("row", name="All courses")
    expect(overall).to_contain_text("60% (3 of 5)")
    expect(overall).to_contain_text("23–88%")
    expect(page.get_by_text("No follow-up yet: 1 course")).to_be_visible()
    expect(page.get_by_role("link", name="De-identified CSV")).to_be_visible()
    expect(page.get_by_role("link", name="Identified CSV", exact=True)).to_be_visible()
    axe_check()

    page.get_by_label("Instrument").select_option("ffi")
    page.get_by_role("button", name="Show outcomes").click()
    expect(page.get_by_role("heading", name="cannot be reported")).to_be_visible()
    axe_check()

    today = timezone.localdate()
    page.get_by_label("Courses starting from").fill(today.isoformat())
    page.get_by_label("Courses starting up to").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Show outcomes").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe_check()
