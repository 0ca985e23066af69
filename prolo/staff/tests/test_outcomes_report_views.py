"""The outcomes page and the registry CSV download, as staff see them."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prolo.clinic.models import AuditEvent
from prolo.clinic.outcomes.benefit import wilson
from prolo.clinic.tests.outcome_data import another_patient, treated_course

pytestmark = pytest.mark.django_db

PAGE = "staff:outcomes-report"
CSV = "staff:registry-csv"
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
NUL = "\x00"
LONG = "x" * 5000


@pytest.fixture
def five(alice_actor):
    """3 improved, 1 unchanged, 1 worse, one patient each; plus one not followed up."""
    pairs = [(7, 3), (6, 2), (8, 4), (5, 4), (3, 6), (6, None)]
    return [
        treated_course(alice_actor, another_patient(alice_actor, i), before, after)
        for i, (before, after) in enumerate(pairs)
    ]


def text(response) -> str:
    """The page's text with tags removed and white space collapsed, as a reader hears it."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def download(client, **params) -> tuple[Any, list[dict[str, str]]]:
    response = client.get(reverse(CSV), params)
    assert response.status_code == 200, response.content
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    return response, list(csv.DictReader(io.StringIO(body, newline="")))


def test_the_page_shows_the_responder_rate_with_its_interval(five, nora, client_for):
    words = text(client_for(nora).get(reverse(PAGE)))
    interval = wilson(3, 5)
    low, high = round(interval.low * 100), round(interval.high * 100)
    assert f"60% (3 of 5) {low}–{high}%" in words
    assert "23–88%" in words
    assert "Knee Hyperosmolar dextrose 1 Pain (0–10) 5 3 1 1" in words
    assert "6 courses matched the filters; these are not counted: No follow-up yet: 1 course" in (
        words
    )
    assert "2 points or 30% of the baseline" in words


def test_the_page_explains_an_instrument_without_an_mcid(alice, nora, client_for):
    words = text(client_for(alice).get(reverse(PAGE), {"instrument": "ffi"}))
    assert "cannot be reported" in words
    assert "has no MCID" in words
    assert "Set the clinic's MCID" in words
    assert "Set the clinic's MCID" not in text(
        client_for(nora).get(reverse(PAGE), {"instrument": "ffi"})
    )


def test_the_page_offers_the_identified_csv_only_to_physicians_and_admins(
    alice, adam, nora, pete, client_for
):
    for user in (alice, adam):
        assert "Identified CSV" in text(client_for(user).get(reverse(PAGE)))
    for user in (nora, pete):
        words = text(client_for(user).get(reverse(PAGE)))
        assert "De-identified CSV" in words
        assert "Identified CSV" not in words


def test_the_main_navigation_links_to_outcomes_for_clinical_readers(nora, rita, client_for):
    assert 'href="/outcomes/"' in client_for(nora).get(reverse("staff:today")).content.decode()
    assert ">Outcomes<" not in client_for(rita).get(reverse("staff:today")).content.decode()


def test_the_de_identified_csv_holds_no_names_birth_dates_record_numbers_or_dates(
    five, pat, nora, client_for
):
    response, rows = download(client_for(nora), deidentified="1")
    assert "deidentified" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    assert len(rows) == 6
    assert "family_name" not in rows[0]
    body = "\n".join(",".join(r.values()) for r in rows)
    for course in five:
        patient = course.patient
        for secret in (patient.given_name, patient.family_name, patient.mrn, str(patient.code)):
            assert secret not in body
        assert str(course.code) not in body
    assert not ISO_DATE.search(body)
    assert {r["responder"] for r in rows} == {"improved", "unchanged", "worse", ""}
    assert [r["not_reported_because"] for r in rows].count("no follow-up yet") == 1


def test_the_de_identified_csv_is_the_default(five, nora, client_for):
    _, rows = download(client_for(nora))
    assert "family_name" not in rows[0]


def test_the_identified_csv_names_the_patients(five, adam, client_for):
    response, rows = download(client_for(adam), deidentified="0")
    assert "-identified-" in response["Content-Disposition"]
    by_mrn = {r["mrn"]: r for r in rows}
    patient = five[0].patient
    row = by_mrn[patient.mrn]
    assert (row["family_name"], row["given_name"]) == (patient.family_name, patient.given_name)
    assert row["date_of_birth"] == patient.date_of_birth.isoformat()
    assert row["course_start_date"] == five[0].start_date.isoformat()
    assert row["course_id"] == str(five[0].code)


@pytest.mark.parametrize("user", ["nora", "pete"])
def test_nurses_and_physios_may_not_download_identified_data(user, five, request, client_for):
    response = client_for(request.getfixturevalue(user)).get(reverse(CSV), {"deidentified": "0"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(changes__export="registry_csv").exists()


def test_a_download_is_audited(five, nora, client_for):
    download(client_for(nora), course_type="dextrose")
    event = AuditEvent.objects.get(changes__export="registry_csv")
    assert event.actor == nora
    assert event.changes["filters"] == {"instrument": "pain_nrs", "course_type": "dextrose"}


def test_an_identified_download_shows_in_each_patients_audit_trail(five, adam, client_for):
    client = client_for(adam)
    download(client, deidentified="0")
    patient = five[0].patient
    words = text(client.get(reverse("staff:patient-audit", args=[patient.code])))
    assert "Exported Patient" in words
    assert "export : registry_csv" in words
    assert str(five[0].code) in words


def test_another_clinics_courses_are_never_exported(five, charlie, client_for, charlie_actor, olga):
    treated_course(charlie_actor, olga, 8, 1)
    _, rows = download(client_for(charlie), deidentified="0")
    assert [r["family_name"] for r in rows] == ["Novak"]
    words = text(client_for(charlie).get(reverse(PAGE)))
    assert "100% (1 of 1)" in words


def test_a_formula_in_free_text_is_defused(alice_actor, pat, adam, client_for):
    treated_course(alice_actor, pat, 7, 3, targets='=HYPERLINK("http://evil","MCL")')
    _, rows = download(client_for(adam), deidentified="0")
    assert rows[0]["targets"] == '\'=HYPERLINK("http://evil","MCL")'


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"deidentified": "yes"}, "deidentified"),
        ({"deidentified": NUL}, "deidentified"),
        ({"instrument": "nope"}, "Instrument"),
        ({"instrument": NUL}, "Instrument"),
        ({"course_type": "' OR 1=1 --"}, "Course type"),
        ({"start_from": "yesterday"}, "Courses starting from"),
        ({"start_from": LONG}, "Courses starting from"),
        ({"start_to": "0000-00-00"}, "Courses starting up to"),
        ({"start_from": "2026-02-02", "start_to": "2026-02-01"}, "Courses starting up to"),
    ],
)
def test_bad_query_values_are_refused_naming_the_field(params, field, nora, client_for):
    response = client_for(nora).get(reverse(CSV), params)
    assert response.status_code == 400
    assert response.content.decode().startswith(f"{field}:")
    assert not AuditEvent.objects.filter(changes__export="registry_csv").exists()
    if "deidentified" not in params:
        page = client_for(nora).get(reverse(PAGE), params)
        assert page.status_code == 400
        assert f"{field}: " in text(page)


def test_unknown_parameters_are_ignored(five, nora, client_for):
    response = client_for(nora).get(reverse(PAGE), {"page": "2", "x": NUL})
    assert response.status_code == 200
    assert "60% (3 of 5)" in text(response)


# Pinned: a change that adds a query per course shows up here, not in production.
# Session, user, membership; the clinic's instrument settings, the courses with their signed
# session counts, their responses; the open review tasks (nav); saving the session (3).
PAGE_QUERIES = 10
# Session, user, membership; in the export's transaction (2 savepoint statements): instrument
# settings, adverse-event counts, courses, responses, signed sessions with notes, injections,
# the audit rows in one insert; saving the session (3).
CSV_QUERIES = 15


def _queries(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
        assert response.status_code == 200
        if response.streaming:  # the rows are read before the first line is sent
            b"".join(response.streaming_content)
    return len(ctx.captured_queries)


def _grow(actor, start: int, count: int) -> None:
    for i in range(start, start + count):
        treated_course(actor, another_patient(actor, i), 7, i % 8, signed=1 + i % 2)


@pytest.mark.parametrize(
    ("name", "params", "pinned"),
    [
        (PAGE, {}, PAGE_QUERIES),
        (CSV, {"deidentified": "1"}, CSV_QUERIES),
        (CSV, {"deidentified": "0"}, CSV_QUERIES),
    ],
)
def test_the_outcomes_page_and_csv_run_a_constant_number_of_queries(
    name, params, pinned, alice_actor, adam, client_for
):
    client = client_for(adam)
    _grow(alice_actor, 0, 2)
    small = _queries(client, reverse(name), **params)
    _grow(alice_actor, 2, 5)
    assert _queries(client, reverse(name), **params) == small == pinned
