"""`manage.py instrument`: export an instrument's Questionnaire (with a clinic's text) and
import licensed text from a file, with the errors a user can act on."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from prolo.clinic.models import AuditEvent, InstrumentSetting
from prolo.clinic.outcomes.fhir_questionnaire import PLACEHOLDER, to_questionnaire
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.tests.test_fhir_questionnaire import full_text

WOMAC = INSTRUMENTS["womac"]
LICENCE = "WOMAC licence 2026-114"

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("instrument", *args, stdout=out)
    return out.getvalue()


def _file(tmp_path, data) -> str:
    path = tmp_path / "womac.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def _import(tmp_path, clinic, user="alice", data=None) -> str:
    data = data if data is not None else to_questionnaire(WOMAC, full_text(WOMAC))
    return _run(
        "import",
        _file(tmp_path, data),
        "--clinic",
        str(clinic.code),
        "--user",
        user,
        "--licence",
        LICENCE,
    )


def test_export_prints_the_questionnaire():
    data = json.loads(_run("export", "womac"))
    assert data["resourceType"] == "Questionnaire"
    assert data["url"].endswith("/Questionnaire/womac")
    assert data["item"][0]["item"][0]["text"] == PLACEHOLDER


def test_import_stores_the_text_audited(tmp_path, clinic, alice):
    assert _import(tmp_path, clinic) == "Imported the text of 24 items of the WOMAC LK3.1.\n"
    setting = InstrumentSetting.objects.get(clinic=clinic, instrument="womac")
    assert setting.licence_note == LICENCE
    assert setting.imported_by == alice
    assert AuditEvent.objects.filter(object_type="instrumentsetting", actor=alice).exists()


def test_export_for_a_clinic_includes_its_text(tmp_path, clinic, alice):
    _import(tmp_path, clinic)
    data = json.loads(_run("export", "womac", "--clinic", str(clinic.code)))
    assert data["item"][0]["item"][0]["text"] == "Official wording of P1"


def test_a_nurse_cannot_import(tmp_path, clinic, nora):
    with pytest.raises(CommandError, match=r"--user: Your role \(Nurse\) may not do this."):
        _import(tmp_path, clinic, user="nora")
    assert not InstrumentSetting.objects.exists()


def test_a_user_of_another_clinic_cannot_import(tmp_path, clinic, charlie):
    with pytest.raises(CommandError, match="'charlie' is not an active member of"):
        _import(tmp_path, clinic, user="charlie")


def test_an_unknown_clinic_is_refused(tmp_path):
    with pytest.raises(CommandError, match="--clinic: no clinic has the code 'nowhere'"):
        _run("import", _file(tmp_path, {}), "--clinic", "nowhere", "--user", "a", "--licence", "x")


def test_a_bad_file_is_refused_naming_the_item(tmp_path, clinic, alice):
    data = to_questionnaire(WOMAC, full_text(WOMAC))
    data["item"][0]["item"][0]["linkId"] = "P9"
    with pytest.raises(CommandError, match=r"Item 'P9': the WOMAC LK3\.1 has no such item"):
        _import(tmp_path, clinic, data=data)


def test_a_file_that_is_not_json_is_refused(tmp_path, clinic, alice):
    path = tmp_path / "x.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        _run("import", str(path), "--clinic", str(clinic.code), "--user", "alice", "--licence", "x")


def test_a_missing_file_is_refused(tmp_path, clinic, alice):
    missing = str(tmp_path / "none.json")
    with pytest.raises(CommandError, match="cannot read it"):
        _run("import", missing, "--clinic", str(clinic.code), "--user", "alice", "--licence", "x")
