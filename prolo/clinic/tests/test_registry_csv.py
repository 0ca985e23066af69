"""The registry CSV writer: pure, fixed columns, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest

from prolo.clinic.exports.registry_csv import (
    COLUMNS,
    IDENTIFIED_COLUMNS,
    Identity,
    RegistryRow,
    Score,
    safe,
    stream_registry_csv,
    write_registry_csv,
)

IDENTITY = Identity(
    patient_id="p-1",
    course_id="c-1",
    mrn="R-0001",
    family_name="Fields",
    given_name="Pat",
    date_of_birth=dt.date(1961, 4, 12),
    course_start=dt.date(2026, 3, 2),
)


def row(**overrides: Any) -> RegistryRow:
    values: dict[str, Any] = {
        "course_pseudonym": "a1b2",
        "patient_pseudonym": "c3d4",
        "age_band": "60-69",
        "sex": "female",
        "course_type": "dextrose",
        "region": "knee",
        "laterality": "left",
        "condition": "Knee",
        "targets": "MCL, pes anserine",
        "status": "active",
        "planned_sessions": 3,
        "signed_sessions": 2,
        "last_session_day": 28,
        "instrument": "pain_nrs",
        "mcid": "2 points or 30% of the baseline (Farrar 2001)",
        "baseline": Score(Decimal("7.00"), -3, "pain_nrs:single/1"),
        "follow_ups": {
            "fu-6w": Score(Decimal("4.00"), 70, "pain_nrs:single/1"),
            "fu-2m": Score(Decimal("3.00"), 90, "pain_nrs:single/1"),
        },
        "compared_with": "fu-2m",
        "change": Decimal("-4.00"),
        "responder": "improved",
        "not_reported_because": "",
        "adverse_events": 1,
        "max_grade": 2,
        "dextrose_percents": [Decimal("12.5"), Decimal("15")],
        "site_codes": ["knee-mcl", "knee-pes"],
        "anaesthetics": ["lidocaine 0.5%", "lidocaine 1%"],
        "total_volume_ml": Decimal("10.0"),
        "identity": IDENTITY,
    }
    return RegistryRow(**(values | overrides))


def parse(rows, *, identified: bool) -> list[dict[str, str]]:
    out = io.StringIO(newline="")
    write_registry_csv(rows, out, identified=identified)
    return list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))


def test_a_de_identified_row_reads_back_with_days_not_dates():
    (parsed,) = parse([row()], identified=False)
    assert list(parsed) == list(COLUMNS)
    assert parsed["baseline_score"] == "7"
    assert parsed["baseline_day"] == "-3"  # a number: not escaped as a formula
    assert parsed["fu-6w_score"] == "4"
    assert parsed["fu-6w_day"] == "70"
    assert parsed["fu-3m_score"] == ""
    assert parsed["other_follow_ups"] == "fu-2m=3@90"
    assert parsed["change"] == "-4"
    assert parsed["rule_versions"] == "pain_nrs:single/1"
    assert parsed["dextrose_percents"] == "12.5; 15"
    assert parsed["site_codes"] == "knee-mcl; knee-pes"
    assert parsed["anaesthetics"] == "lidocaine 0.5%; lidocaine 1%"
    assert parsed["total_volume_ml"] == "10"
    text = ",".join(parsed.values())
    for secret in ("Fields", "Pat", "R-0001", "1961", "2026-03-02"):
        assert secret not in text


def test_an_identified_row_adds_who_and_when_first():
    (parsed,) = parse([row()], identified=True)
    assert list(parsed) == [*IDENTIFIED_COLUMNS, *COLUMNS]
    assert parsed["family_name"] == "Fields"
    assert parsed["date_of_birth"] == "1961-04-12"
    assert parsed["course_start_date"] == "2026-03-02"
    assert parsed["mrn"] == "R-0001"


def test_an_identified_file_needs_every_rows_identity():
    with pytest.raises(ValueError, match="identity"):
        parse([row(identity=None)], identified=True)


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']
)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert safe(text) == f"'{text}"
    (parsed,) = parse([row(targets=text, identity=IDENTITY)], identified=False)
    assert parsed["targets"] == f"'{text}"


def test_hostile_names_are_escaped_and_quoting_survives():
    identity = Identity(
        **(vars(IDENTITY) | {"family_name": '=cmd|"/C calc"!A0', "given_name": "a,b\nc"})
    )
    (parsed,) = parse([row(identity=identity)], identified=True)
    assert parsed["family_name"] == '\'=cmd|"/C calc"!A0'
    assert parsed["given_name"] == "a,b\nc"


def test_the_file_streams_line_by_line_header_first():
    lines = list(stream_registry_csv([row(), row()], identified=False))
    assert len(lines) == 3
    assert lines[0].startswith("course_pseudonym,patient_pseudonym,")
    assert all(line.endswith("\r\n") for line in lines)


def test_an_empty_selection_is_just_the_header():
    assert parse([], identified=False) == []
