"""In Chromium: a nurse works out a syringe in the calculator, is refused one that cannot fit,
reads a recipe, reads the catalogue, and draws the syringe up in the session. axe checks every
page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from playwright.sync_api import Page, expect

from prolo.clinic.models import Membership, Role, Syringe, TreatmentSession, User
from prolo.clinic.services.clinics import clinic_create
from prolo.clinic.services.patients import patient_register
from prolo.testing import actor, make_course

PASSWORD = "e2e-password-for-compounding"


def _session() -> TreatmentSession:
    clinic = clinic_create(name="Riverside Prolotherapy")
    for username, first, role in (
        ("drmoreno", "Alice", Role.PHYSICIAN),
        ("nora", "Nora", Role.NURSE),
    ):
        user = User.objects.create_user(
            username=username, password=PASSWORD, first_name=first, last_name="Test"
        )
        Membership.objects.create(user=user, clinic=clinic, role=role)
    physician = actor(User.objects.get(username="drmoreno"), clinic)
    patient = patient_register(
        actor=physician,
        mrn="R-4001",
        given_name="Iris",
        family_name="Vale",
        date_of_birth=dt.date(1970, 3, 2),
        sex="female",
    )
    return make_course(physician, patient).sessions.get(number=1)


def test_a_nurse_calculates_is_refused_and_draws_up_a_syringe(
    page: Page, axe_check: Callable[[], None]
) -> None:
    session = _session()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("nora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Today")).to_be_visible()

    page.goto("/tools/compound/")
    expect(page.get_by_role("heading", name="Compounding calculator")).to_be_visible()
    axe_check()
    page.get_by_label("Dextrose (%)").fill("30")
    page.get_by_label("Anaesthetic (%)", exact=False).first.fill("0.8")
    page.get_by_role("button", name="Calculate").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_text("Lidocaine 2% (MPF) instead of Lidocaine 1% (MPF)")).to_be_visible()
    axe_check()

    page.get_by_label("Dextrose (%)").fill("15")
    page.get_by_label("Anaesthetic (%)", exact=False).first.fill("0.5")
    page.get_by_role("button", name="Calculate").click()
    draw_up = page.get_by_role("table", name="Volume of each stock, rounded to 0.1 mL")
    expect(draw_up.get_by_role("row", name="Dextrose 50% (D50) 3.0 mL")).to_be_visible()
    expect(page.get_by_text("50 mg")).to_be_visible()
    axe_check()

    # The inverse: the recipe form starts from the same mix, written as mL of stocks.
    page.get_by_label("Ingredient 2 amount").fill("0")
    page.get_by_role("button", name="Read the recipe").click()
    expect(
        page.get_by_role("link", name="Ingredient 2 amount: Must be more than 0.")
    ).to_be_visible()
    axe_check()
    page.get_by_label("Ingredient 2 amount").fill("5")
    page.get_by_role("button", name="Read the recipe").click()
    contains = page.get_by_role("table", name="Strength of each ingredient of the recipe")
    expect(contains.get_by_role("row", name="Dextrose 15% 1.5 g")).to_be_visible()
    expect(contains.get_by_role("row", name="Lidocaine 0.5% 50 mg")).to_be_visible()
    axe_check()

    page.get_by_role("link", name="catalogue").click()
    expect(page.get_by_role("heading", name="Stock catalogue")).to_be_visible()
    expect(page.get_by_role("row", name="Sodium morrhuate 5%")).to_contain_text("High risk")
    axe_check()

    page.goto(f"/sessions/{session.code}/")
    form = page.locator("form[action$='/syringes/']")
    expect(form.get_by_label("Label")).to_have_value("A")
    form.get_by_label("Dextrose lot").fill("D50-0425")
    form.get_by_role("button", name="Draw up the syringe").click()
    expect(page.get_by_text("Syringe A is drawn up.")).to_be_visible()
    syringes = page.get_by_role("table", name="Syringes drawn up in this session")
    expect(syringes).to_contain_text("3.0 mL Dextrose 50% (D50), lot D50-0425")
    expect(syringes).to_contain_text("lidocaine 0.5% (50 mg)")
    axe_check()
    assert Syringe.objects.get(session=session).created_by.username == "nora"
