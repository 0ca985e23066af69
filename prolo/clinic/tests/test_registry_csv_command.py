"""`manage.py registry_csv`: the same file as the staff download, as a named staff member."""

from __future__ import annotations

import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from prolo.clinic.models import AuditEvent
from prolo.clinic.tests.outcome_data import treated_course

pytestmark = pytest.mark.django_db


def _run(*args: str) -> list[dict[str, str]]:
    out = StringIO()
    call_command("registry_csv", *args, stdout=out)
    return list(csv.DictReader(StringIO(out.getvalue(), newline="")))


@pytest.fixture
def course(alice_actor, pat):
    return treated_course(alice_actor, pat, 7, 3)


def test_it_writes_the_de_identified_file_by_default(course, clinic, nora):
    (row,) = _run("--clinic", str(clinic.code), "--user", "nora")
    assert row["responder"] == "improved"
    # The treatment: sessions, solutions (dextrose, anaesthetic, volume) and sites.
    assert (row["planned_sessions"], row["signed_sessions"]) == ("3", "1")
    assert (row["dextrose_percents"], row["anaesthetics"]) == ("15", "lidocaine 0.5%")
    assert (row["total_volume_ml"], row["site_codes"]) == ("1", "knee-mcl")
    assert "family_name" not in row
    assert "Fields" not in ",".join(row.values())
    event = AuditEvent.objects.get(changes__export="registry_csv")
    assert event.actor.username == "nora"


def test_identified_names_the_patient_for_a_physician(course, clinic, tmp_path):
    target = tmp_path / "registry.csv"
    call_command(
        "registry_csv",
        "--clinic",
        str(clinic.code),
        "--user",
        "alice",
        "--identified",
        "-o",
        str(target),
        stderr=StringIO(),
    )
    with target.open(newline="", encoding="utf-8") as f:
        (row,) = list(csv.DictReader(f))
    assert (row["family_name"], row["mrn"]) == ("Fields", "R-0001")
    assert AuditEvent.objects.filter(
        changes__export="registry_csv", patient=course.patient
    ).exists()


def test_filters_apply(course, clinic, nora):
    assert _run("--clinic", str(clinic.code), "--user", "nora", "--course-type", "prp") == []
    args = ("--clinic", str(clinic.code), "--user", "nora", "--start-from", "2999-01-01")
    assert _run(*args) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "pete", "--identified"], "may not do this"),
        (["--user", "charlie"], "--user: 'charlie' is not an active member"),
        (["--user", "nobody"], "--user: 'nobody' is not an active member"),
        (["--user", "nora", "--start-from", "soon"], "--start-from: 'soon' is not a date"),
        (
            ["--user", "nora", "--start-from", "2026-02-02", "--start-to", "2026-02-01"],
            "start_to: The end of the date range is before its start.",
        ),
    ],
)
def test_it_refuses_clearly(args, message, clinic, nora, pete, charlie):
    with pytest.raises(CommandError, match=message):
        _run("--clinic", str(clinic.code), *args)
    assert not AuditEvent.objects.filter(changes__export="registry_csv").exists()


@pytest.mark.parametrize("code", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_clinic_is_refused(code, alice):
    with pytest.raises(CommandError, match="--clinic: no clinic"):
        _run("--clinic", code, "--user", "alice")
