"""A physician, in real Chromium, from a new patient to an amended signed note.

axe-core audits every page the journey visits, including pages re-rendered with errors.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from prolo.clinic.models import Clinic, Membership, Patient, Role, User
from prolo.clinic.permissions import Actor
from prolo.clinic.services.consent import consent_defaults_install

PASSWORD = "e2e-password-for-dr-moreno"


def _field(page: Page | Locator, label: str) -> Locator:
    """The field labelled exactly `label` (required fields add " (required)")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(required\))?$"))


def _physician() -> None:
    clinic = Clinic.objects.create(name="Riverside Prolotherapy")
    user = User.objects.create_user(
        username="drmoreno", password=PASSWORD, first_name="Alice", last_name="Moreno", title="Dr"
    )
    Membership.objects.create(user=user, clinic=clinic, role=Role.PHYSICIAN)
    consent_defaults_install(actor=Actor(user=user, clinic=clinic, role=Role.PHYSICIAN))


def _sign_in(page: Page, check: Callable[[], None]) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in to Prolo")).to_be_visible()
    check()
    page.get_by_label("Username").fill("drmoreno")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    check()


def _register(page: Page, check: Callable[[], None]) -> None:
    page.get_by_role("link", name="Patients").click()
    check()
    page.get_by_role("link", name="Register a new patient").click()
    page.get_by_role("button", name="Register patient").click()  # empty: errors first
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check()
    page.get_by_label("Given name").fill("Inés")
    page.get_by_label("Family name").fill("Álvarez")
    page.get_by_label("Date of birth").fill("1957-06-30")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("MRN").fill("R-2001")
    page.get_by_label("Preferred language").select_option("es")
    page.get_by_role("button", name="Register patient").click()
    expect(page.get_by_role("heading", name="Inés Álvarez")).to_be_visible()
    check()


def _evaluate(page: Page, check: Callable[[], None]) -> None:
    page.get_by_role("link", name="Record an evaluation").click()
    check()
    page.get_by_label("Presenting complaint").fill("Medial left knee pain for two years")
    page.get_by_label("Pain duration (months)").fill("24")
    page.get_by_label("Baseline pain (0–10)").fill("7")
    page.get_by_label("Target region").select_option("knee")
    page.get_by_label("Laterality").select_option("left")
    page.get_by_label("Ligament").check()
    page.get_by_label("Joint").check()
    page.get_by_label("Working diagnosis").fill("Left knee osteoarthritis with MCL enthesopathy")
    _field(page, "Eligibility").select_option("eligible")
    page.get_by_label("Eligibility reasons").fill("Chronic pain despite 6 months of exercise")
    page.get_by_label("Alternatives discussed").fill("Exercise, weight loss, steroid, surgery")
    page.get_by_role("button", name="Save evaluation").click()
    expect(page.get_by_role("heading", name="Evaluation of Inés Álvarez")).to_be_visible()
    check()
    page.get_by_label("Modality").select_option("ultrasound")
    page.get_by_label("Performed on").fill(timezone.localdate().isoformat())
    page.get_by_label("Findings").fill("Thickened MCL origin, small effusion")
    page.get_by_label("Attach a file").set_input_files(
        {"name": "scan.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n"}
    )
    page.get_by_role("button", name="Add imaging study").click()
    expect(page.get_by_role("cell", name="Thickened MCL origin, small effusion")).to_be_visible()
    check()


def _plan(page: Page, check: Callable[[], None]) -> None:
    page.get_by_role("link", name="Plan a course from this evaluation").click()
    check()
    page.get_by_label("Type").select_option("dextrose")
    page.get_by_label("Targets").fill("MCL, pes anserine, joint")
    page.get_by_label("Planned sessions").fill("3")
    page.get_by_label("Time of each session").fill(_session_time())
    page.get_by_role("button", name="Plan course and propose sessions").click()
    expect(page.get_by_role("link", name="Session 3", exact=True)).to_be_visible()
    check()
    # The first note cannot be signed without consent: the patient signs in clinic.
    page.get_by_label("Patient's full name, as they signed it").fill("Inés Álvarez")
    page.get_by_label("signed it in front of me").check()
    page.get_by_role("button", name="Record the signature").click()
    expect(page.get_by_text("In-clinic consent recorded.")).to_be_visible()
    check()
    page.get_by_role("link", name="Session 1", exact=True).click()
    check()


def _session_time() -> str:
    """09:30, or now if earlier: a note is never signed before its session's time."""
    now = timezone.localtime().time()
    return min(now, dt.time(9, 30)).strftime("%H:%M")


def _checklist(page: Page, check: Callable[[], None]) -> None:
    for label in (
        "Identity confirmed",
        "Consent on file",
        "Takes no anti-inflammatories",
        "Protein-rich meal eaten",
        "Contraindications rechecked",
        "Site marked",
    ):
        page.get_by_label(label).check()
    page.get_by_label("Today's weight (kg)").fill("68.4")
    # No baseline questionnaire was recorded: going ahead without one is a decision.
    expect(page.get_by_text("No baseline questionnaire yet")).to_be_visible()
    page.get_by_label("Reason for going ahead without a baseline questionnaire").fill(
        "Referred for one session only; outcomes followed by the GP."
    )
    page.get_by_role("button", name="Save checklist").click()
    expect(page.get_by_text("Checklist saved.")).to_be_visible()
    check()


def _note(page: Page, check: Callable[[], None]) -> None:
    page.get_by_label("Skin antisepsis").select_option("chlorhexidine_alcohol")
    page.get_by_label("Numbing").select_option("infiltration")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_role("heading", name="Add an injection")).to_be_visible()
    check()
    sites = [
        ("knee-mcl", "ligament", "0.5"),
        ("knee-pes", "enthesis", "0.5"),
        ("knee-ia", "joint", "6"),
    ]
    # The page also has a "draw up a syringe" form with a dextrose field: stay in this one.
    form = page.locator('form[action$="/injections/"]')
    for site, structure, volume in sites:
        _field(form, "Site").select_option(site)
        form.get_by_label("Side").select_option("left")
        form.get_by_label("Target structure").select_option(structure)
        form.get_by_label("Dextrose (%)").fill("15" if structure != "joint" else "25")
        form.get_by_label("Anaesthetic (%)").fill("0.5")
        form.get_by_label("Lot number").fill("DX-4471")
        form.get_by_label("Volume (mL)").fill(volume)
        form.get_by_role("button", name="Add injection").click()
        expect(page.get_by_text("Injection added.")).to_be_visible()
    injections = page.get_by_role("table", name="Injections given")
    expect(injections.get_by_role("row")).to_have_count(1 + 3 + 1)  # header, 3 rows, total
    check()


def _sign_and_amend(page: Page, check: Callable[[], None]) -> None:
    page.get_by_role("button", name="Sign and lock the note").click()
    expect(page.get_by_text("Signed by Dr Alice Moreno")).to_be_visible()
    expect(page.get_by_role("button", name="Add injection")).to_have_count(0)
    check()
    page.get_by_label("Reason").fill("Lot number mistyped")
    page.get_by_label("Correction").fill("Lot for all three syringes was DX-4477.")
    page.get_by_role("button", name="Add amendment").click()
    expect(page.get_by_text("Lot number mistyped")).to_be_visible()
    expect(page.get_by_role("cell", name="DX-4471").first).to_be_visible()  # original kept
    check()


def test_physician_registers_evaluates_plans_injects_signs_and_amends(
    page: Page, axe_check: Callable[[], None]
) -> None:
    _physician()
    _sign_in(page, axe_check)
    _register(page, axe_check)
    _evaluate(page, axe_check)
    _plan(page, axe_check)
    _checklist(page, axe_check)
    _note(page, axe_check)
    _sign_and_amend(page, axe_check)

    patient = Patient.objects.get(mrn="R-2001")
    note = patient.courses.get().sessions.get(number=1).note
    assert note.is_signed
    assert note.injections.count() == 3
    assert note.amendments.get().reason == "Lot number mistyped"
