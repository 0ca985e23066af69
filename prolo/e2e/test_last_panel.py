"""In Chromium, keyboard only: a physician opens the LAST panel from the session of a 60 kg
patient with its access key, reads the lipid emulsion bolus (90 mL) and infusion (15 mL/min)
while the timer runs, and records the toxicity as an adverse event. axe checks the panel at
1280, 768 and 320 px, which must never scroll sideways.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

from playwright.sync_api import Page, expect

from prolo.clinic.models import AdverseEvent, Membership, Role, TreatmentSession, User
from prolo.clinic.services.clinics import clinic_create
from prolo.clinic.services.patients import patient_register
from prolo.e2e.keyboard import press_and_wait, tab_to
from prolo.testing import (
    actor,
    add_injection,
    complete_checklist,
    give_consent,
    make_course,
    make_note,
)

PASSWORD = "e2e-password-for-the-last-panel"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
WIDTHS = (1280, 768, 320)


def _session_of_a_60_kg_patient() -> TreatmentSession:
    clinic = clinic_create(name="Riverside Prolotherapy")
    user = User.objects.create_user(
        username="drmoreno", password=PASSWORD, first_name="Alice", last_name="Moreno", title="Dr"
    )
    Membership.objects.create(user=user, clinic=clinic, role=Role.PHYSICIAN)
    physician = actor(user, clinic)
    patient = patient_register(
        actor=physician,
        mrn="R-4001",
        given_name="Mina",
        family_name="Okafor",
        date_of_birth=dt.date(1984, 2, 9),
        sex="female",
    )
    course = make_course(physician, patient)
    give_consent(physician, course)
    session = course.sessions.get(number=1)
    complete_checklist(physician, session, weight_kg=Decimal(60))
    note = make_note(physician, session)
    add_injection(physician, note, anaesthetic_percent=Decimal(1), volume_ml=Decimal(8))
    return session


def _sign_in_with_the_keyboard(page: Page) -> None:
    page.goto("/accounts/login/")
    tab_to(page, "Username")
    page.keyboard.type("drmoreno")
    tab_to(page, "Password")
    page.keyboard.type(PASSWORD)
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Today")).to_be_visible()


def _press_access_key(page: Page, key: str) -> None:
    """Alt+`key`, as Chromium on Linux receives it from a keyboard.

    Playwright's keyboard.press("Alt+l") sends no character event with the modifier, and
    Chromium matches access keys on that event, so send it through the DevTools protocol.
    """
    cdp = page.context.new_cdp_session(page)
    alt = 1
    event = {"modifiers": alt, "key": key, "code": f"Key{key.upper()}"}
    event["windowsVirtualKeyCode"] = event["nativeVirtualKeyCode"] = ord(key.upper())
    cdp.send(
        "Input.dispatchKeyEvent", {"type": "keyDown", "text": key, "unmodifiedText": key, **event}
    )
    cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", **event})
    cdp.detach()


def _check_every_width(page: Page, axe_check: Callable[[], None]) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        axe_check()
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"the panel scrolls sideways at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_physician_opens_the_last_panel_by_keyboard_and_records_the_event(
    page: Page, axe_check: Callable[[], None]
) -> None:
    session = _session_of_a_60_kg_patient()
    _sign_in_with_the_keyboard(page)
    page.goto(f"/sessions/{session.code}/")
    expect(page.get_by_text("Keyboard: Alt+L")).to_be_visible()
    axe_check()  # the session page with its panel button

    with page.expect_navigation():
        _press_access_key(page, "l")
    expect(
        page.get_by_role("heading", name=re.compile("^Local anaesthetic systemic"))
    ).to_be_visible()
    expect(page.get_by_text("Bolus 90 mL over 2–3 minutes")).to_be_visible()
    expect(page.get_by_text("Then an infusion of 15 mL/min")).to_be_visible()
    expect(page.get_by_text("Upper limit about 720 mL in total")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Lidocaine"))).to_contain_text("80 mg")

    timer = page.get_by_role("timer")
    expect(timer).to_be_visible()
    expect(timer).to_have_text(re.compile(r"^00:0[1-9]$"), timeout=5000)  # it counts
    assert "opened=" in page.url  # a reload keeps the time the panel was opened
    _check_every_width(page, axe_check)

    tab_to(page, "Record the adverse event and close")  # no grade yet: refused, named
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("CTCAE grade (1–5): This field is required.")
    expect(summary).to_be_focused()
    _check_every_width(page, axe_check)

    tab_to(page, "CTCAE grade (1–5): This field is required.")  # the summary links to the field
    page.keyboard.press("Enter")
    expect(page.get_by_label("CTCAE grade (1–5)")).to_be_focused()
    page.keyboard.type("3")
    tab_to(page, "Record the adverse event and close")
    press_and_wait(page)
    expect(page.get_by_role("heading", name=re.compile("^Session 1 of 3"))).to_be_visible()
    expect(
        page.get_by_text(
            re.compile(
                r"Adverse event recorded: local anaesthetic systemic toxicity, CTCAE grade 3\. "
                r"LAST panel opened \d\d:\d\d:\d\d; recorded \d\d:\d\d:\d\d"
            )
        )
    ).to_be_visible()
    axe_check()

    event = AdverseEvent.objects.get()
    assert event.event_type == "last"
    assert event.session_id == session.pk
    assert event.grade == 3
