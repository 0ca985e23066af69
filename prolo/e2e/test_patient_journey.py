"""Keyboard only, no mouse, as a patient in Chromium: accept the invitation, read the
preparation plan, add the calendar feed, answer a due pain score, record a diary day with a red
flag and see the emergency advice, and sign the consent. Then the clinic sees the review task
and the consent. axe-core checks every portal page on the way."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import time_machine
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from prolo.clinic.models import Membership, Patient, Role, TreatmentCourse, User
from prolo.clinic.services.clinics import clinic_create
from prolo.clinic.services.patients import patient_register
from prolo.clinic.services.portal_accounts import invitation_send
from prolo.clinic.services.sessions import note_sign
from prolo.e2e.axe import assert_accessible
from prolo.e2e.keyboard import press_and_wait, tab_to
from prolo.testing import (
    actor,
    add_injection,
    complete_checklist,
    give_consent,
    make_course,
    make_note,
)

STAFF_PASSWORD = "e2e-password-for-dr-moreno"
PATIENT_PASSWORD = "a long portal passphrase for Ana"
EMAIL = "ana.ruiz@example.org"


def _clinic() -> Patient:
    """Ana's knee course: session 1 two days ago (signed, consented in clinic), session 2
    today and session 3 in two days, all late in the evening so today's is still to come."""
    clinic = clinic_create(name="Riverside Prolotherapy", address="4 Old Tannery Yard")
    user = User.objects.create_user(
        username="drmoreno", password=STAFF_PASSWORD, first_name="Alice", last_name="Moreno"
    )
    Membership.objects.create(user=user, clinic=clinic, role=Role.PHYSICIAN)
    physician = actor(user, clinic)
    patient = patient_register(
        actor=physician,
        mrn="R-6001",
        given_name="Ana",
        family_name="Ruiz",
        date_of_birth=dt.date(1958, 2, 1),
        sex="female",
        email=EMAIL,
    )
    start = timezone.localdate() - dt.timedelta(days=2)
    with time_machine.travel(dt.datetime.combine(start, dt.time(8, 0)).astimezone(), tick=False):
        course = make_course(
            physician, patient, start_date=start, interval_days=2, first_session_time=dt.time(23)
        )
        session = course.sessions.get(number=1)
        give_consent(physician, course)
    # Treated that evening: a note is signed once its session's time has come.
    with time_machine.travel(dt.datetime.combine(start, dt.time(23, 30)).astimezone(), tick=False):
        complete_checklist(physician, session)
        note = make_note(physician, session)
        add_injection(physician, note)
        note_sign(actor=physician, note=note)
    return patient


def _invitation_link(live_server: LiveServer, patient: Patient) -> str:
    physician = actor(User.objects.get(username="drmoreno"), patient.clinic)
    issued = invitation_send(
        actor=physician,
        patient=patient,
        email=EMAIL,
        link_base=f"{live_server.url}/portal/invitation/",
    )
    return f"{live_server.url}/portal/invitation/{issued.token}/"


def _accept(page: Page, link: str, check: Callable[[], None]) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", name="Set your password")).to_be_visible()
    check()
    tab_to(page, "Choose a password")
    page.keyboard.type(PATIENT_PASSWORD)
    tab_to(page, "The same password again")
    page.keyboard.type(PATIENT_PASSWORD)
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Hello, Ana")).to_be_visible()
    check()


def _read_plan(page: Page) -> None:
    plan = page.get_by_role("region", name="What to do now")
    expect(plan).to_contain_text(re.compile("anti-inflammator", re.IGNORECASE))
    aftercare = page.get_by_role("region", name="After your treatment")
    expect(aftercare).to_be_visible()


def _add_calendar(page: Page, check: Callable[[], None]) -> None:
    tab_to(page, "Calendar")
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Your appointments in your calendar")).to_be_visible()
    check()
    tab_to(page, "Make my calendar link")
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Your calendar link is ready")).to_be_visible()
    check()
    feed = page.get_by_label("Link for Google Calendar, Outlook and others").input_value()
    assert feed.endswith(".ics")
    # What a calendar app does with the link: fetch it, signed out, and read the events.
    events = Calendar.from_ical(page.request.get(feed).body()).walk("VEVENT")
    assert any("Appointment at Riverside Prolotherapy" in str(e["SUMMARY"]) for e in events)


def _answer_pain(page: Page, check: Callable[[], None]) -> None:
    tab_to(page, "Questionnaires")
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Questionnaires")).to_be_visible()
    check()
    tab_to(page, "Answer now")
    press_and_wait(page)
    check()
    tab_to(page, "0")  # the first option of the pain scale; arrows move within the group
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_label("4", exact=True)).to_be_checked()
    tab_to(page, "Send my answer")
    press_and_wait(page)
    expect(page.get_by_text("You rated your pain 4 out of 10.")).to_be_visible()
    check()


def _red_flag_day(page: Page, check: Callable[[], None]) -> None:
    tab_to(page, "Diary")
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Your 7-day diary")).to_be_visible()
    check()
    tab_to(page, "Day 1")
    press_and_wait(page)
    check()
    tab_to(page, "0")  # pain, 0 to 10: arrows move along the scale
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    tab_to(page, "None")  # swelling
    page.keyboard.press("ArrowDown")
    tab_to(page, "As usual")  # use of the treated area
    page.keyboard.press("ArrowDown")
    tab_to(page, "I am short of breath or have chest pain")
    page.keyboard.press("Space")
    tab_to(page, "Save this day")
    press_and_wait(page)
    expect(page.get_by_role("alert")).to_contain_text("Seek emergency care now")
    check()


def _sign_consent(page: Page, check: Callable[[], None]) -> None:
    tab_to(page, "Consent")
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Consent", exact=True)).to_be_visible()
    check()
    tab_to(page, "Read and sign")
    press_and_wait(page)
    check()
    tab_to(page, "Type your full name")
    page.keyboard.type("Ana Ruiz")
    tab_to(page, "I have read this")
    page.keyboard.press("Space")
    tab_to(page, "Sign")
    press_and_wait(page)
    expect(page.get_by_text("You signed this")).to_be_visible()
    check()


def _clinic_sees_it(browser: Browser, live_server: LiveServer, course: TreatmentCourse) -> None:
    staff = browser.new_page(base_url=live_server.url)
    staff.goto("/accounts/login/")
    staff.get_by_label("Username").fill("drmoreno")
    staff.get_by_label("Password").fill(STAFF_PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.goto("/review-tasks/")
    task = staff.get_by_role("row", name=re.compile(r"^Open Ana Ruiz"))
    expect(task).to_contain_text("Patient (portal)")
    staff.goto(f"/courses/{course.code}/")
    expect(staff.get_by_text(re.compile("signed in the portal on"))).to_be_visible()
    staff.close()


def test_a_patient_goes_through_the_portal_with_the_keyboard_alone(
    page: Page, browser: Browser, live_server: LiveServer, axe_check: Callable[[], None]
) -> None:
    patient = _clinic()
    # A second course, planned today, waits for Ana's own signature in the portal.
    physician = actor(User.objects.get(username="drmoreno"), patient.clinic)
    second = make_course(physician, patient, target_region="shoulder", targets="Supraspinatus")
    link = _invitation_link(live_server, patient)

    _accept(page, link, axe_check)
    _read_plan(page)
    _add_calendar(page, axe_check)
    _answer_pain(page, axe_check)
    _red_flag_day(page, axe_check)
    _sign_consent(page, axe_check)
    assert_accessible(page)
    _clinic_sees_it(browser, live_server, second)
