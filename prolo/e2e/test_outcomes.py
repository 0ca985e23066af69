"""In Chromium, a physician measures a course: a baseline pain NRS and KOOS, two later NRS,
the progress chart and its table, a diary day with pain 9 that raises a review task, and a
grade 2 adverse event. axe-core checks every page on the way."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from prolo.clinic.models import Membership, Role, TreatmentCourse, User
from prolo.clinic.services.clinics import clinic_create
from prolo.clinic.services.patients import patient_register
from prolo.clinic.services.sessions import note_sign
from prolo.testing import (
    actor,
    add_injection,
    complete_checklist,
    give_consent,
    make_course,
    make_note,
)

PASSWORD = "e2e-password-for-outcomes"
WEEKS_AGO = 8


def _course() -> TreatmentCourse:
    """A knee course that began 8 weeks ago, its first session signed then."""
    clinic = clinic_create(name="Riverside Prolotherapy")
    user = User.objects.create_user(
        username="drmoreno", password=PASSWORD, first_name="Alice", last_name="Moreno", title="Dr"
    )
    Membership.objects.create(user=user, clinic=clinic, role=Role.PHYSICIAN)
    physician = actor(user, clinic)
    patient = patient_register(
        actor=physician,
        mrn="R-5001",
        given_name="Iris",
        family_name="Vale",
        date_of_birth=dt.date(1961, 4, 12),
        sex="female",
    )
    start = timezone.localdate() - dt.timedelta(weeks=WEEKS_AGO)
    # Planned and treated on that day, as the clinic would have recorded it then.
    with time_machine.travel(dt.datetime.combine(start, dt.time(8, 0)).astimezone(), tick=False):
        course = make_course(
            physician, patient, start_date=start, outcome_instruments=["pain_nrs", "koos"]
        )
        give_consent(physician, course)
        session = course.sessions.get(number=1)
        complete_checklist(physician, session)
        note = make_note(physician, session)
        add_injection(physician, note)
        note_sign(actor=physician, note=note)
    return course


def _sign_in(page: Page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("drmoreno")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Today")).to_be_visible()


def _complete_nrs(page: Page, slot: str, day: dt.date, pain: int) -> None:
    page.get_by_label("Time point").select_option(label=slot)
    page.get_by_label("Answered on").fill(day.isoformat())
    page.get_by_label(str(pain), exact=True).check()  # 1–9 carry no words, only 0 and 10
    page.get_by_role("button", name="Save Pain numeric rating scale (0–10)").click()
    expect(page.get_by_text(f"Pain (0–10): {pain}.00.")).to_be_visible()


def test_a_course_is_measured_from_baseline_to_side_effects(
    page: Page, axe_check: Callable[[], None]
) -> None:
    course = _course()
    start = course.start_date
    _sign_in(page)

    # The due list offers the baseline questionnaires and the overdue session-2 score.
    page.get_by_role("link", name="Questionnaires due").click()
    expect(page.get_by_role("heading", name="Questionnaires due")).to_be_visible()
    axe_check()
    page.get_by_role(
        "link", name="Complete Pain numeric rating scale (0–10) for Iris Vale"
    ).first.click()
    expect(
        page.get_by_role("heading", name="Pain numeric rating scale (0–10) with Iris Vale")
    ).to_be_visible()
    axe_check()
    _complete_nrs(page, f"{course}: Baseline (due {start:%d %b %Y})", start, 7)
    axe_check()

    # KOOS: the text is the clinic's to import, so staff answer by item number.
    page.goto(f"/patients/{course.patient.code}/questionnaires/new/?instrument=koos")
    expect(page.get_by_text("is not shipped with Prolo")).to_be_visible()
    page.get_by_role(
        "button", name="Save Knee injury and Osteoarthritis Outcome Score (KOOS)"
    ).click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe_check()
    page.get_by_label("Time point").select_option(
        label=f"{course}: Baseline (due {start:%d %b %Y})"
    )
    page.get_by_label("Answered on").fill(start.isoformat())
    for group in page.get_by_role("group").all():
        group.get_by_label("2", exact=True).check()
    page.get_by_role(
        "button", name="Save Knee injury and Osteoarthritis Outcome Score (KOOS)"
    ).click()
    expect(page.get_by_role("row", name="Pain 50.00")).to_be_visible()

    # Two later pain scores: before session 2 (4 weeks in) and before session 3 (today).
    for number, weeks, pain in ((2, 4, 5), (3, 8, 3)):
        day = start + dt.timedelta(weeks=weeks)
        page.goto(f"/patients/{course.patient.code}/questionnaires/new/")
        _complete_nrs(page, f"{course}: Before session {number} (due {day:%d %b %Y})", day, pain)

    # The chart: a progress chart with its equivalent table, and the course's benefit.
    page.get_by_role("link", name="Back to Iris Vale's chart").click()
    chart = page.get_by_role("img", name=re.compile("Pain numeric rating scale"))
    expect(chart).to_be_visible()
    page.get_by_text("Data table: Pain numeric rating scale (0–10) scores").click()
    table = page.get_by_role("table", name=re.compile("Pain numeric rating scale .* scores"))
    expect(table.get_by_role("row")).to_have_count(4)  # header + three scores
    expect(page.get_by_text(re.compile(r"Improved \(4 points, 57%\)"))).to_be_visible()
    axe_check()

    # A diary day after session 1 with pain 9 opens a review task.
    page.goto(f"/sessions/{course.sessions.get(number=1).code}/")
    diary = page.get_by_role("region", name="7-day diary")
    diary.get_by_label("Day after the session").fill("2")
    diary.get_by_label("Pain (0–10)").fill("9")
    diary.get_by_label("Swelling").select_option("moderate")
    diary.get_by_label("Use of the joint").select_option("reduced")
    diary.get_by_role("button", name="Save the day").click()
    expect(page.get_by_text("This day needs review: a review task is open.")).to_be_visible()
    axe_check()
    page.get_by_role("link", name=re.compile(r"^Review tasks")).first.click()
    task = page.get_by_role("row", name=re.compile(r"^Open Iris Vale Session 1"))
    expect(task).to_contain_text("Diary day 2: Pain 8/10 or worse")
    axe_check()

    # A grade 2 adverse event, linked to the session.
    page.goto(f"/patients/{course.patient.code}/adverse-events/new/")
    axe_check()
    page.get_by_label("Session (optional)").select_option(str(course.sessions.get(number=1).pk))
    page.get_by_label("Type").select_option("severe_pain")
    page.get_by_label("Onset date").fill((start + dt.timedelta(days=2)).isoformat())
    page.get_by_label("CTCAE grade").fill("2")
    page.get_by_label("Expectedness").select_option("expected")
    page.get_by_role("button", name="Report adverse event").click()
    expect(
        page.get_by_role("heading", name=re.compile("Adverse event: Severe pain"))
    ).to_be_visible()
    expect(page.get_by_text("CTCAE grade")).to_be_visible()
    axe_check()
