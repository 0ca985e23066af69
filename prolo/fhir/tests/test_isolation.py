"""Another clinic's data never appears in any FHIR response or export.

Both clinics get one record of every kind; Charlie (Hilltop) then searches, reads, includes,
asks for $everything and runs Bulk exports. Every type in the registry is covered by iterating
it, so a type added later is checked too: Alice's searches give Riverside's ids, and none of
them, nor any of Riverside's markers (names, MRN, e-mail, free text), may reach Charlie.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

import prolo.clinic.fhir.resources  # noqa: F401  (registers every type)
from prolo.clinic.fhir.registry import REGISTRY
from prolo.clinic.fhir.search import type_params
from prolo.clinic.models import Patient
from prolo.clinic.permissions import Actor
from prolo.clinic.services import bulk_export
from prolo.clinic.services.adverse_events import adverse_event_report
from prolo.clinic.services.api_tokens import api_token_create, api_token_revoke
from prolo.clinic.services.diary import session_day
from prolo.clinic.services.patients import condition_add
from prolo.clinic.services.questionnaires import questionnaire_record
from prolo.clinic.services.shared_documents import shared_document_add
from prolo.testing import signed_session

# Definitions both clinics share (Questionnaire ids are the instrument keys): the same id in
# both clinics is expected there, and a leak anywhere else.
SHARED_TYPES = {"Questionnaire"}

# Text only Riverside's records hold.
RIVERSIDE_MARKERS = (
    "Fields",  # Pat's family name
    "R-0001",  # Pat's MRN
    "pat.fields@example.org",
    "01632 960001",
    "Moreno",  # Alice's family name
    "Riverside",
    "Riverbank-marker",  # the free text of the records built below
)


@dataclass
class Records:
    patient: Patient
    token: str
    client: Client = field(default_factory=Client)

    def get(self, url: str, **headers: str) -> Any:
        return self.client.get(url, headers={"Authorization": f"Bearer {self.token}", **headers})


def build_records(actor: Actor, patient: Patient, marker: str) -> Records:
    """One record of each kind for `patient`, through the services a user's action calls."""
    session = signed_session(actor, patient, injections=2)
    course = session.course
    condition_add(actor=actor, patient=patient, name=f"{marker} knee osteoarthritis")
    questionnaire_record(
        actor=actor,
        patient=patient,
        course=course,
        instrument="pain_nrs",
        timepoint="baseline",
        answers={"pain": 7},
        answered_on=course.start_date,
    )
    adverse_event_report(
        actor=actor,
        patient=patient,
        session=session,
        event_type="severe_pain",
        onset_date=session_day(session),
        grade=2,
        expectedness="expected",
        description=f"{marker} pain after the session",
    )
    shared_document_add(
        actor=actor,
        patient=patient,
        title=f"{marker} exercise sheet",
        file=SimpleUploadedFile("sheet.txt", b"Walk daily.", content_type="text/plain"),
    )
    _, raw = api_token_create(actor=actor, name="isolation test")
    records = Records(patient, raw)
    _create_observation(records, marker)
    return records


def _create_observation(records: Records, marker: str) -> None:
    """A pain score recorded through FHIR, where Observation create exists."""
    if REGISTRY["Observation"].create is None:
        return
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "72514-3"}], "text": marker},
        "subject": {"reference": f"Patient/{records.patient.code}"},
        "effectiveDateTime": timezone.now().isoformat(),
        "valueQuantity": {"value": 6, "unit": "{score}", "system": "http://unitsofmeasure.org"},
    }
    response = records.client.post(
        "/fhir/Observation",
        json.dumps(observation),
        content_type="application/fhir+json",
        headers={"Authorization": f"Bearer {records.token}"},
    )
    assert response.status_code == 201, response.content


@pytest.fixture
def riverside(alice_actor: Actor, pat: Patient, settings: Any, tmp_path: Any) -> Records:
    settings.MEDIA_ROOT = tmp_path
    return build_records(alice_actor, pat, "Riverbank-marker")


@pytest.fixture
def hilltop(charlie_actor: Actor, olga: Patient, riverside: Records) -> Records:
    return build_records(charlie_actor, olga, "Hilltop-marker")


def search_all(records: Records, type_name: str, query: str = "") -> tuple[list[str], bytes]:
    """Every id a search finds (following next links), and the entries as JSON text (the
    links echo the query, which may name a Riverside id on purpose)."""
    url: str | None = f"/fhir/{type_name}?_count=500{'&' if query else ''}{query}"
    ids, bodies = [], b""
    while url:
        response = records.get(url)
        assert response.status_code == 200, (url, response.content)
        bundle = response.json()
        bodies += json.dumps(bundle.get("entry", [])).encode()
        ids += [e["resource"]["id"] for e in bundle.get("entry", [])]
        url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
    return ids, bodies


def riverside_ids(riverside: Records) -> dict[str, list[str]]:
    """What Alice sees of each type: the ids Charlie must never see."""
    return {name: search_all(riverside, name)[0] for name in REGISTRY if name not in SHARED_TYPES}


def assert_no_leak(body: bytes, ids: dict[str, list[str]], where: str) -> None:
    text = body.decode()
    leaked = [f"{name}/{rid}" for name, rids in ids.items() for rid in rids if rid in text]
    leaked += [marker for marker in RIVERSIDE_MARKERS if marker in text]
    assert not leaked, f"{where} shows Riverside's {leaked}"


def test_search_shows_no_other_clinic(riverside: Records, hilltop: Records) -> None:
    ids = riverside_ids(riverside)
    # Guards the test itself: a registered type with no records here would check nothing.
    empty = [name for name, rids in ids.items() if not rids]
    assert not empty, f"build_records makes no {empty}: extend it for the new type"
    for name, rtype in REGISTRY.items():
        found, body = search_all(hilltop, name)
        assert found, f"build_records makes no {name} for Hilltop: extend it for the new type"
        if name not in SHARED_TYPES:
            assert not set(found) & set(ids[name]), name
            assert_no_leak(body, ids, f"Charlie's {name} search")
        if "patient" in type_params(rtype):
            found, body = search_all(hilltop, name, f"patient={riverside.patient.code}")
            assert found == [], name
            assert_no_leak(body, ids, f"Charlie's {name}?patient=<Pat>")
        for include in rtype.includes:
            _, body = search_all(hilltop, name, f"_include={name}:{include.param}")
            assert_no_leak(body, ids, f"Charlie's {name}?_include={name}:{include.param}")


def test_reads_of_other_clinic_are_not_found(riverside: Records, hilltop: Records) -> None:
    ids = riverside_ids(riverside)
    assert ids["Patient"] == [str(riverside.patient.code)]
    for name, rids in ids.items():
        for rid in rids:
            response = hilltop.get(f"/fhir/{name}/{rid}")
            assert response.status_code == 404, (name, rid, response.content)
            assert response.json()["resourceType"] == "OperationOutcome"
    response = hilltop.get(f"/fhir/Patient/{riverside.patient.code}/$everything")
    assert response.status_code == 404
    assert response.json()["issue"][0]["code"] == "not-found"
    assert_no_leak(response.content, ids, "Charlie's $everything on Pat")
    # Charlie's own $everything is not empty, and holds nothing of Riverside's either.
    own = hilltop.get(f"/fhir/Patient/{hilltop.patient.code}/$everything?_count=1000")
    assert own.status_code == 200
    assert len(own.json()["entry"]) > 5
    assert_no_leak(own.content, ids, "Charlie's $everything on Olga")


def run_export(records: Records, url: str) -> bytes:
    """Kick off, run the job here (the test's transaction is never committed, so the
    background thread would not see the data), poll to 200 and download every file."""
    kickoff = records.get(url, Prefer="respond-async")
    assert kickoff.status_code == 202, kickoff.content
    status_url = kickoff["Content-Location"]
    deadline = time.monotonic() + 30
    while (status := records.get(status_url)).status_code == 202:
        bulk_export.run_next()
        assert time.monotonic() < deadline, "the export did not finish in 30 s"
    assert status.status_code == 200, status.content
    manifest = status.json()
    assert manifest["output"], "the export wrote no files"
    body = b""
    for output in manifest["output"]:
        download = records.get(output["url"])
        assert download.status_code == 200
        body += b"".join(download.streaming_content)
    return body


def test_bulk_exports_hold_no_other_clinic(
    riverside: Records, hilltop: Records, settings: Any
) -> None:
    settings.FHIR_EXPORT_THREAD = False
    ids = riverside_ids(riverside)
    for url in ("/fhir/$export", "/fhir/Patient/$export"):
        body = run_export(hilltop, url)
        assert str(hilltop.patient.code).encode() in body
        assert_no_leak(body, ids, f"Charlie's {url}")


def test_revoked_token_is_refused(alice_actor: Actor, pat: Patient) -> None:
    token, raw = api_token_create(actor=alice_actor, name="to revoke")
    client = Records(pat, raw)
    assert client.get(f"/fhir/Patient/{pat.code}").status_code == 200
    api_token_revoke(actor=alice_actor, token=token)
    for url in (f"/fhir/Patient/{pat.code}", "/fhir/Observation", "/fhir/$export"):
        response = client.get(url, Prefer="respond-async")
        assert response.status_code == 401, url
        assert response.json()["issue"][0]["code"] == "login"
        assert b"Fields" not in response.content
