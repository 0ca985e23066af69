"""In Chromium: the third syringe of a session crosses a 50 kg patient's lidocaine ceiling.

Each syringe is 1% lidocaine (from the 2% stock) with 15% dextrose. 9 + 9 mL is 180 mg, 80% of
the 225 mg ceiling (4.5 mg/kg × 50 kg): the page warns. The third, 6 mL, makes 240 mg, 106.7%:
signing is blocked until the physician records an override reason, which then signs the note,
and the clinic admin finds the override in the patient's audit trail. axe checks every page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

from playwright.sync_api import Locator, Page, expect

from prolo.clinic.models import Clinic, Membership, Role, TreatmentSession, User
from prolo.clinic.services.clinics import clinic_create
from prolo.clinic.services.patients import patient_register
from prolo.testing import actor, complete_checklist, give_consent, make_course, make_note

PASSWORD = "e2e-password-for-the-ceiling"
REASON = "Bilateral knees in one visit; observed 30 minutes, no signs of toxicity"


def _user(
    clinic: Clinic, username: str, first: str, last: str, role: Role, title: str = ""
) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=first, last_name=last, title=title
    )
    Membership.objects.create(user=user, clinic=clinic, role=role)
    return user


def _session_of_a_50_kg_patient() -> TreatmentSession:
    """A clinic with its default catalogue, a physician, an admin, and a session ready to inject."""
    clinic = clinic_create(name="Riverside Prolotherapy")
    physician = actor(_user(clinic, "drmoreno", "Alice", "Moreno", Role.PHYSICIAN, "Dr"), clinic)
    _user(clinic, "adam", "Adam", "Clarke", Role.CLINIC_ADMIN)
    patient = patient_register(
        actor=physician,
        mrn="R-3001",
        given_name="Lena",
        family_name="Ortiz",
        date_of_birth=dt.date(1980, 5, 17),
        sex="female",
    )
    course = make_course(physician, patient)
    give_consent(physician, course)
    session = course.sessions.get(number=1)
    complete_checklist(physician, session, weight_kg=Decimal(50))
    make_note(physician, session)
    return session


def _sign_in(page: Page, username: str, check: Callable[[], None]) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    check()


def _form(page: Page, action_end: str) -> Locator:
    return page.locator(f"form[action$='{action_end}']")


def _draw_up_and_inject(page: Page, label: str, ml: str, site: str) -> None:
    syringe = _form(page, "/syringes/")
    syringe.get_by_label("Label").fill(label)
    syringe.get_by_label("Final volume (mL)").fill(ml)
    syringe.get_by_label("Dextrose (%)").fill("15")
    syringe.get_by_label("Dextrose stock").select_option(label="Dextrose 50% (D50)")
    syringe.get_by_label("Anaesthetic (%)").fill("1")
    syringe.get_by_label("Anaesthetic stock").select_option(label="Lidocaine 2% (MPF)")
    syringe.get_by_label("Diluent", exact=True).select_option(label="0.9% sodium chloride")
    syringe.get_by_role("button", name="Draw up the syringe").click()
    expect(page.get_by_text(f"Syringe {label} is drawn up.")).to_be_visible()

    injection = _form(page, "/injections/")
    injection.get_by_label("From syringe").select_option(label=label)
    injection.get_by_label(re.compile(r"^Site( \(required\))?$")).select_option(site)
    injection.get_by_label("Side").select_option("left")
    injection.get_by_label("Target structure").select_option("joint")
    injection.get_by_label("Volume (mL)").fill(ml)
    injection.get_by_role("button", name="Add injection").click()
    expect(page.get_by_text("Injection added.")).to_be_visible()


def _dose_row(page: Page) -> Locator:
    table = page.get_by_role("table", name="Anaesthetic given in this session")
    return table.get_by_role("row", name=re.compile("^Lidocaine"))


def test_the_third_syringe_crosses_the_ceiling_and_only_an_override_signs_the_note(
    page: Page, axe_check: Callable[[], None]
) -> None:
    session = _session_of_a_50_kg_patient()
    _sign_in(page, "drmoreno", axe_check)
    page.goto(f"/sessions/{session.code}/")
    expect(page.get_by_text("Weight 50.0 kg, measured")).to_be_visible()
    axe_check()

    _draw_up_and_inject(page, "A", "9", "knee-ia")
    expect(_dose_row(page)).to_contain_text("90 mg")
    expect(_dose_row(page)).to_contain_text("40%")
    expect(_dose_row(page)).to_contain_text("Within the ceiling")
    axe_check()

    _draw_up_and_inject(page, "B", "9", "knee-ia")
    expect(_dose_row(page)).to_contain_text("180 mg")
    expect(page.get_by_text("Warning: 80% of the ceiling.")).to_be_visible()
    axe_check()

    _draw_up_and_inject(page, "C", "6", "knee-ia")
    expect(_dose_row(page)).to_contain_text("240 mg")
    expect(_dose_row(page)).to_contain_text("225 mg")
    expect(_dose_row(page)).to_contain_text("Over the ceiling")
    expect(page.get_by_role("heading", name="Over the ceiling: 106.7%")).to_be_visible()
    axe_check()

    page.get_by_role("button", name="Sign and lock the note").click()
    expect(page.get_by_role("heading", name="The note cannot be signed yet")).to_be_visible()
    expect(
        page.get_by_text(
            "Lidocaine is over the ceiling (106.7% combined): record an override reason to sign."
        )
    ).to_be_visible()
    axe_check()

    override = _form(page, "/dose-override/")
    override.get_by_role("button", name="Record the override").click()  # no reason: refused
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe_check()
    _form(page, "/dose-override/").get_by_label("Reason for going over the ceiling").fill(REASON)
    _form(page, "/dose-override/").get_by_role("button", name="Record the override").click()
    expect(page.get_by_text("Override recorded: the note can be signed")).to_be_visible()
    expect(page.get_by_text(f"Reason: {REASON}")).to_be_visible()
    axe_check()

    page.get_by_role("button", name="Sign and lock the note").click()
    expect(page.get_by_text("Signed by Dr Alice Moreno")).to_be_visible()
    axe_check()

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, "adam", axe_check)
    page.goto(f"/patients/{session.course.patient.code}/audit/")
    trail = page.get_by_role("table", name="Every opening of the chart and every change")
    expect(trail.get_by_text(REASON)).to_be_visible()
    # The override records the share of the ceiling it was given for: 240 of 225 mg.
    expect(trail.locator("li", has_text="106.667")).to_contain_text("dose_override_percent")
    axe_check()

    note = TreatmentSession.objects.get(pk=session.pk).note
    assert note.is_signed
    assert note.dose_override_reason == REASON
    assert note.injections.filter(syringe__isnull=False).count() == 3
