"""The calendar: the pure iCalendar writer, and a patient's feed built from the record.

The feed must parse with the `icalendar` library, carry alarms, and say nothing clinical: the
test reads the patient's diagnoses, conditions, solutions, stock names and injection sites
from the record and looks for each in the feed's text.
"""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest
from django.utils import translation

from prolo.clinic.exports.ical import Alarm, Event, calendar_bytes
from prolo.clinic.models import (
    ClinicSettings,
    Condition,
    Evaluation,
    Injection,
    StockProduct,
    TreatmentCourse,
)
from prolo.clinic.services.calendar_feed import dates_for, feed_ics, session_ics
from prolo.clinic.services.catalogue import clinic_safety_install
from prolo.clinic.services.courses import course_set_status
from prolo.clinic.services.diary import session_day
from prolo.clinic.services.patients import condition_add
from prolo.clinic.sites import SITES_BY_CODE
from prolo.testing import make_course, signed_session

STAMP = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
# Words of the solutions Prolo knows, whatever the stock names say.
SOLUTION_WORDS = {
    "dextrose",
    "glucose",
    "lidocaine",
    "lignocaine",
    "procaine",
    "bupivacaine",
    "ropivacaine",
    "saline",
    "sodium",
    "morrhuate",
    "phenol",
    "glycerin",
    "platelet",
    "plasma",
    "prp",
    "sarapin",
    "ozone",
    "prolotherapy injection",
}
GENERIC = {"with", "left", "right", "after", "before", "early", "other"}


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def unfolded(data: bytes) -> str:
    """The feed's text as a reader sees it: folded lines joined, escapes removed."""
    text = data.decode().replace("\r\n ", "")
    return text.replace("\\,", ",").replace("\\;", ";").replace("\\n", " ").lower()


def clinical_terms(patient) -> set[str]:
    """Every diagnosis, condition, solution, stock and site phrase in the patient's record,
    and their distinctive words."""
    phrases: set[str] = set(SOLUTION_WORDS)
    for evaluation in Evaluation.objects.filter(patient=patient):
        phrases |= {evaluation.working_diagnosis, evaluation.presenting_complaint}
    phrases |= set(Condition.objects.filter(patient=patient).values_list("name", flat=True))
    phrases |= set(StockProduct.objects.values_list("name", flat=True))
    for injection in Injection.objects.filter(note__session__course__patient=patient):
        phrases |= {injection.site_label, injection.solution_summary(), injection.structure}
        phrases.add(SITES_BY_CODE[injection.site_code].label)
    for course in TreatmentCourse.objects.filter(patient=patient):
        phrases |= {course.targets, course.get_target_region_display(), course.course_type}
        phrases.add(course.get_course_type_display())
    words = {w for p in phrases for w in re.findall(r"[a-z]{3,}", p.lower())}
    # Short all-capital words in the record (MCL, PRP) are abbreviations of structures.
    words = {w for w in words if len(w) >= 5 or w.upper() in " ".join(phrases)} - GENERIC
    # The clinic's own name is on its door ("Riverside Prolotherapy"): the feed may say it.
    words -= set(patient.clinic.name.lower().split())
    return {p.lower() for p in phrases if p} | words


def assert_nothing_clinical(data: bytes, patient) -> None:
    text = unfolded(data)
    terms = clinical_terms(patient)
    assert len(terms) > 20  # the record really has diagnoses, sites and solutions
    found = sorted(t for t in terms if re.search(rf"\b{re.escape(t)}\b", text))
    assert found == [], f"clinical terms in the calendar: {found}"


# --- The pure writer ------------------------------------------------------------------------


def test_the_writer_makes_a_calendar_that_parses_with_alarms_and_stable_uids():
    start = dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC)
    events = [
        Event(
            uid="session-abc@prolo",
            summary="Appointment at Riverside",
            start=start,
            end=start + dt.timedelta(hours=1),
            location="Room 1, Riverside, 1 High Street",
            alarms=(Alarm(-dt.timedelta(days=1), "Appointment at Riverside"),),
        ),
        Event(
            uid="stop-nsaids-abc@prolo",
            summary="Stop",
            start=dt.date(2026, 2, 28),
            alarms=(Alarm(dt.timedelta(hours=9), "Stop"),),
        ),
    ]
    cal = parse(calendar_bytes(events, name="Riverside appointments", stamp=STAMP))
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "Riverside appointments"
    session, stop = cal.walk("VEVENT")
    assert str(session["UID"]) == "session-abc@prolo"
    assert session.decoded("DTSTART") == start
    assert str(session["LOCATION"]) == "Room 1, Riverside, 1 High Street"
    (alarm,) = session.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -dt.timedelta(days=1)
    assert stop.decoded("DTSTART") == dt.date(2026, 2, 28)
    assert stop.decoded("DTEND") == dt.date(2026, 3, 1)


def test_the_writer_refuses_a_time_without_a_time_zone():
    naive = Event(uid="x@prolo", summary="x", start=dt.datetime(2026, 3, 3, 9))  # noqa: DTZ001
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar_bytes([naive], name="x", stamp=STAMP)


def test_a_download_of_one_session_is_not_a_subscription():
    data = calendar_bytes([], name="x", stamp=STAMP, publish=False)
    assert "METHOD" not in parse(data)


# --- A patient's feed from the record ---------------------------------------------------------


@pytest.fixture
def treated_pat(alice_actor, pat):
    """Pat with a signed first session (three knee injections), two booked, and history."""
    clinic_safety_install(clinic=alice_actor.clinic)
    condition_add(actor=alice_actor, patient=pat, name="Osteoarthritis of the knee")
    condition_add(actor=alice_actor, patient=pat, name="Type 2 diabetes mellitus")
    signed_session(alice_actor, pat)
    return pat


def events_by_uid(data: bytes) -> dict[str, icalendar.Component]:
    return {str(e["UID"]): e for e in parse(data).walk("VEVENT")}


def test_the_feed_has_the_sessions_the_stop_days_and_the_questionnaires_with_alarms(treated_pat):
    dates = dates_for(treated_pat)
    data = feed_ics(dates)
    events = events_by_uid(data)
    course = TreatmentCourse.objects.get(patient=treated_pat)
    sessions = list(course.sessions.order_by("number"))
    for session in sessions:
        event = events[f"session-{session.code}@prolo"]
        assert str(event["SUMMARY"]) == "Appointment at Riverside Prolotherapy"
        assert str(event["LOCATION"]).startswith("Room 1, Riverside Prolotherapy")
        assert event.decoded("DTSTART") == session.scheduled_at
    # Booked sessions get a stop day, 3 days before by the clinic's default settings.
    for session in sessions[1:]:
        stop = events[f"stop-nsaids-{session.code}@prolo"]
        local_day = session_day(session)
        assert stop.decoded("DTSTART") == local_day - dt.timedelta(days=3)
        assert "stop anti-inflammatory medicines today" in str(stop["SUMMARY"])
    assert f"stop-nsaids-{sessions[0].code}@prolo" not in events  # done: no stop day
    questionnaires = [uid for uid in events if uid.startswith("questionnaire-")]
    assert f"questionnaire-{course.code}-session-2@prolo" in questionnaires
    assert all(event.walk("VALARM") for event in events.values())
    assert_nothing_clinical(data, treated_pat)


def test_the_stop_day_follows_the_clinics_setting(treated_pat, clinic):
    ClinicSettings.objects.update_or_create(clinic=clinic, defaults={"nsaid_stop_days_before": 7})
    session = TreatmentCourse.objects.get().sessions.get(number=2)
    stop = events_by_uid(feed_ics(dates_for(treated_pat)))[f"stop-nsaids-{session.code}@prolo"]
    local_day = session_day(session)
    assert stop.decoded("DTSTART") == local_day - dt.timedelta(days=7)


def test_cancelled_sessions_leave_the_feed(alice_actor, pat):
    course = make_course(alice_actor, pat)
    course_set_status(actor=alice_actor, course=course, status="stopped", reason="Moved away")
    uids = events_by_uid(feed_ics(dates_for(pat)))
    assert not [uid for uid in uids if uid.startswith(("session-", "stop-nsaids-"))]


def test_a_prp_course_says_nothing_of_blood_or_platelets(alice_actor, pat):
    make_course(alice_actor, pat, course_type="prp", acknowledgement="Counts taken elsewhere.")
    data = feed_ics(dates_for(pat))
    assert "platelet" not in unfolded(data)
    assert "prp" not in unfolded(data)


def test_a_sessions_file_has_the_appointment_and_its_stop_day(treated_pat):
    session = TreatmentCourse.objects.get().sessions.get(number=2)
    data = session_ics(session, session.course.patient.clinic)
    assert set(events_by_uid(data)) == {
        f"session-{session.code}@prolo",
        f"stop-nsaids-{session.code}@prolo",
    }
    assert_nothing_clinical(data, treated_pat)


def test_the_feed_speaks_the_patients_language(treated_pat):
    with translation.override("es"):
        data = feed_ics(dates_for(treated_pat))
    assert_nothing_clinical(data, treated_pat)
    assert parse(data).walk("VEVENT")
