"""The course summary letter: what the referring clinician reads in it (via `pdftotext`)."""

from __future__ import annotations

import subprocess
from decimal import Decimal

import pytest

from prolo.clinic.clock import clinic_today
from prolo.clinic.exports.pdf import course_letter_pdf
from prolo.clinic.services.adverse_events import adverse_event_report
from prolo.clinic.services.courses import course_set_status
from prolo.clinic.services.sessions import note_amend
from prolo.clinic.tests.outcome_data import pain, sign_session, treated_course
from prolo.clinic.tests.test_pdf_documents import pdf_info
from prolo.testing import make_course, make_evaluation

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    """The text in reading order (not `-layout`, which splits a table cell over lines)."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


@pytest.fixture
def course(alice_actor, pat):
    """Two of three sessions signed, pain 8 → 3 (improved by the MCID), one adverse event."""
    course = treated_course(alice_actor, pat, baseline=8, follow_up=None, signed=1)
    sign_session(
        alice_actor,
        course,
        2,
        site_code="knee-pes",
        side="left",
        structure="enthesis",
        dextrose_percent=Decimal("12.5"),
        anaesthetic="lidocaine",
        anaesthetic_percent=Decimal("1"),
        volume_ml=Decimal("2.5"),
    )
    pain(alice_actor, course, 3, "fu-6w")
    adverse_event_report(
        actor=alice_actor,
        patient=pat,
        session=course.sessions.get(number=1),
        event_type="vasovagal",
        onset_date=clinic_today(alice_actor.clinic),
        grade=1,
        serious=False,
        expectedness="expected",
        outcome="recovered",
    )
    return course


def test_the_letter_names_the_patient_diagnosis_sessions_solutions_and_sites(course, pat):
    text = pdf_text(course_letter_pdf(course))
    assert "To: GP referral" in text  # the evaluation's referral source
    assert "Course summary" in text
    assert f"Re: {pat.full_name}" in text
    assert pat.date_of_birth.strftime("%-d %B %Y") in text
    assert f"MRN {pat.mrn}" in text
    assert "Left MCL sprain with early medial compartment osteoarthritis" in text
    assert "MCL, pes anserine, medial joint line" in text
    assert "2 of 3 planned sessions were given and signed" in text
    # Each signed session's solutions and sites, with sides and volumes.
    assert "15% dextrose, lidocaine 0.5%, in" in text
    assert "12.5% dextrose, lidocaine 1%, in" in text
    assert "2.5 mL" in text
    # Sites with their sides.
    assert "Knee, medial collateral ligament Left" in text
    assert "Knee, pes anserine insertion Left" in text
    # The unsigned third session is listed as planned, not given.
    assert "Session 3" in text
    assert "Scheduled" in text


def test_the_letter_charts_the_outcome_and_states_the_benefit_by_the_mcid(course):
    text = pdf_text(course_letter_pdf(course))
    # The SVG chart is drawn as text a reader can select: its axis labels and points.
    assert "Pain numeric rating scale (0–10), lower is better" in text
    assert "Date answered" in text
    assert "lower is better" in text
    assert "Baseline 8" in text
    # The benefit in the course page's own words, with the MCID's source.
    assert "Improved (5 points, 63%)" in text
    assert "MCID 2 points or 30% of the baseline" in text
    assert "Farrar" in text


def test_the_letter_lists_adverse_events_status_and_signer(course, alice_actor):
    text = pdf_text(course_letter_pdf(course))
    assert "Vasovagal reaction" in text
    assert "Recovered" in text
    assert "The course is under way" in text
    assert f"Yours sincerely, {alice_actor.user.display_name()}" in text
    assert "Page 1 of" in text


def test_a_stopped_course_gives_its_reason_and_amendments_are_shown(course, alice_actor):
    session = course.sessions.get(number=1)
    note_amend(
        actor=alice_actor, note=session.note, reason="Wrong side", text="Right knee, not left."
    )
    course_set_status(actor=alice_actor, course=course, status="stopped", reason="Moved abroad")
    text = pdf_text(course_letter_pdf(course))
    assert "The course was stopped: Moved abroad" in text
    assert "Amended" in text
    assert "Right knee, not left." in text


def test_without_a_referrer_or_any_session_the_letter_still_reads(alice_actor, pat, tmp_path):
    evaluation = make_evaluation(alice_actor, pat, referral_source="")
    course = make_course(alice_actor, pat, evaluation=evaluation)
    pdf = course_letter_pdf(course)
    text = pdf_text(pdf)
    assert "To the referring clinician" in text
    assert "No session of this course has been given yet." in text
    assert "No questionnaire scores have been recorded for this course." in text
    assert "No adverse events were recorded" in text
    assert "Tagged: yes" in pdf_info(pdf, tmp_path)


def test_the_letter_is_a_tagged_pdf_whose_title_names_the_course(course, tmp_path):
    info = pdf_info(course_letter_pdf(course), tmp_path)
    assert "Tagged: yes" in info
    assert "Course summary letter" in info
    assert "Pages: " in info
