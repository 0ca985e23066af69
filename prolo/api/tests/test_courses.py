"""A patient's courses, a course with its sessions, and the clinic's schedule."""

from __future__ import annotations

import datetime as dt

import pytest

from prolo.api.tests.conftest import fields_of
from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AuditAction, AuditEvent
from prolo.testing import make_course


def test_it_lists_a_patients_courses(api_for, nora, alice_actor, pat):
    course = make_course(alice_actor, pat)
    response = api_for(nora).get(f"/patients/{pat.code}/courses")
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert (item["code"], item["patient"], item["status"]) == (
        str(course.code),
        str(pat.code),
        "planned",
    )


def test_a_course_comes_with_its_sessions_in_order(api_for, nora, alice_actor, pat):
    course = make_course(alice_actor, pat)
    response = api_for(nora).get(f"/courses/{course.code}")
    assert response.status_code == 200
    sessions = response.json()["sessions"]
    assert [s["number"] for s in sessions] == [1, 2, 3]
    assert sessions[0]["practitioner"] == "Dr Alice Moreno"
    read = AuditEvent.objects.get(action=AuditAction.READ)
    assert (read.patient, read.object_code) == (pat, str(course.code))


def test_reception_may_not_read_clinical_records(api_for, rita, alice_actor, pat):
    course = make_course(alice_actor, pat)
    api = api_for(rita)
    assert api.get(f"/courses/{course.code}").status_code == 403
    assert api.get(f"/patients/{pat.code}/courses").status_code == 403


def test_another_clinics_course_is_404(api_for, charlie, alice_actor, pat):
    course = make_course(alice_actor, pat)
    assert api_for(charlie).get(f"/courses/{course.code}").status_code == 404
    assert api_for(charlie).get(f"/patients/{pat.code}/courses").status_code == 404


def test_the_schedule_lists_sessions_in_the_range(api_for, rita, alice_actor, pat):
    course = make_course(alice_actor, pat)
    today = clinic_today(alice_actor.clinic)
    body = (
        api_for(rita)
        .get("/schedule", start=today.isoformat(), end=(today + dt.timedelta(days=30)).isoformat())
        .json()
    )
    assert body["count"] == 2  # sessions 1 and 2 (28 days apart), not 3
    first = body["items"][0]
    assert (first["course"], first["number"]) == (str(course.code), 1)
    assert first["patient"] == {"code": str(pat.code), "mrn": "R-0001", "name": "Pat Fields"}
    assert AuditEvent.objects.filter(action=AuditAction.READ, patient=pat).count() == 2


def test_the_schedule_defaults_to_today(api_for, rita, alice_actor, pat):
    make_course(alice_actor, pat)
    assert [s["number"] for s in api_for(rita).get("/schedule").json()["items"]] == [1]


def test_the_schedule_never_shows_another_clinics_sessions(api_for, charlie, alice_actor, pat):
    make_course(alice_actor, pat)
    assert api_for(charlie).get("/schedule").json()["count"] == 0


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [("2026-01-10", "2026-01-01", "end"), ("1900-01-01", None, "start"), ("x", None, "start")],
)
def test_a_bad_range_is_422_naming_the_field(api_for, rita, start, end, field):
    params = {"start": start} | ({"end": end} if end else {})
    with_range = api_for(rita).get("/schedule", **params)
    assert with_range.status_code == 422
    assert fields_of(with_range) == [field]


def test_the_range_is_at_most_92_days(api_for, rita, clinic):
    today = clinic_today(clinic)
    response = api_for(rita).get(
        "/schedule", start=today.isoformat(), end=(today + dt.timedelta(days=92)).isoformat()
    )
    assert fields_of(response) == ["end"]


@pytest.mark.parametrize("courses", [1, 4])
def test_the_schedule_runs_a_constant_number_of_queries(
    api_for, rita, alice_actor, pat, django_assert_num_queries, courses
):
    for _ in range(courses):
        make_course(alice_actor, pat)
    api = api_for(rita)
    api.get("/me")
    with django_assert_num_queries(5):
        assert api.get("/schedule").json()["count"] == courses
