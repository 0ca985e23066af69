"""A real FHIR client (fhirpy) against a live server: the issue's "done when".

It creates and searches Observations, reads `$everything`, and runs a Bulk `$export` to
completion; every Synthea sample bundle imports and exports back with its pain scores intact.
The export runs in the server's background thread, as in production, so the data must be
committed: these tests use transactional database access.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest
import requests
from django.conf import settings as django_settings
from django.utils.dateparse import parse_datetime
from fhirpy import SyncFHIRClient

from prolo.clinic.models import Patient
from prolo.clinic.permissions import Actor
from prolo.clinic.services.api_tokens import api_token_create

PAIN_NRS = "72514-3"
LOINC = "http://loinc.org"
# The sample bundles live next to the repository (../shared/data/synthea-r4, see its README).
SYNTHEA = Path(django_settings.BASE_DIR).parent / "shared" / "data" / "synthea-r4"

pytestmark = pytest.mark.django_db(transaction=True)


class Fhir:
    """fhirpy for the resource API, plain requests for the Bulk Data protocol."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"}
        self.client = SyncFHIRClient(base, authorization=self.headers["Authorization"])

    def get(self, url: str, **headers: str) -> requests.Response:
        full = url if url.startswith("http") else f"{self.base}/{url}"
        return requests.get(full, headers={**self.headers, **headers}, timeout=30)

    def post_bundle(self, bundle: bytes) -> dict[str, Any]:
        response = requests.post(
            f"{self.base}/",
            data=bundle,
            headers={**self.headers, "Content-Type": "application/fhir+json"},
            timeout=60,
        )
        assert response.status_code == 200, response.text[:2000]
        return dict(response.json())

    def export(self, url: str) -> list[dict[str, Any]]:
        """Kick off, poll the status URL until 200, and read every NDJSON line."""
        kickoff = self.get(url, Prefer="respond-async")
        assert kickoff.status_code == 202, kickoff.text
        status_url = kickoff.headers["Content-Location"]
        deadline = time.monotonic() + 60
        while (status := self.get(status_url)).status_code == 202:
            assert time.monotonic() < deadline, "the export did not finish in 60 s"
            time.sleep(0.05)
        assert status.status_code == 200, status.text
        resources = []
        for output in status.json()["output"]:
            download = self.get(output["url"], Accept="application/fhir+ndjson")
            assert download.status_code == 200
            lines = download.content.splitlines()
            assert len(lines) == output["count"]
            resources += [orjson.loads(line) for line in lines]
        return resources


@pytest.fixture
def fhir_for(live_server: Any, settings: Any, tmp_path: Path) -> Any:
    """`fhir_for(actor)`: a client of the live server signed in with a new token of `actor`."""
    settings.MEDIA_ROOT = tmp_path
    settings.FHIR_EXPORT_ROOT = str(tmp_path / "bulk")

    def build(actor: Actor) -> Fhir:
        _, raw = api_token_create(actor=actor, name="live test")
        return Fhir(f"{live_server.url}/fhir", raw)

    return build


def pain_score(patient: Patient, value: int, when: dt.datetime) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "survey",
                    }
                ]
            }
        ],
        "code": {"coding": [{"system": LOINC, "code": PAIN_NRS, "display": "Pain NRS"}]},
        "subject": {"reference": f"Patient/{patient.code}"},
        "effectiveDateTime": when.isoformat(),
        "valueQuantity": {
            "value": value,
            "unit": "{score}",
            "system": "http://unitsofmeasure.org",
            "code": "{score}",
        },
    }


def test_observations_everything_and_export(fhir_for: Any, alice_actor: Actor, pat: Patient):
    fhir = fhir_for(alice_actor)
    client = fhir.client
    times = [dt.datetime(2025, 3, d, 9, 30, tzinfo=dt.UTC) for d in (3, 17, 31)]
    created = []
    for value, when in zip((7, 5, 2), times, strict=True):
        observation = client.resource("Observation", **pain_score(pat, value, when))
        observation.save()
        assert observation.id, "the server gave the new Observation no id"
        created.append(observation.id)

    found = (
        client.resources("Observation")
        .search(patient=str(pat.code), code=f"{LOINC}|{PAIN_NRS}", date="ge2025-03-10")
        .fetch_all()
    )
    assert {o.id for o in found} == set(created[1:])
    assert sorted(o["valueQuantity"]["value"] for o in found) == [2, 5]
    before = client.resources("Observation").search(
        subject=f"Patient/{pat.code}", date="lt2025-03-10"
    )
    assert [o.id for o in before.fetch_all()] == [created[0]]

    everything = client.execute(f"Patient/{pat.code}/$everything", method="get")
    ids = {(e["resource"]["resourceType"], e["resource"]["id"]) for e in everything["entry"]}
    assert ("Patient", str(pat.code)) in ids
    assert {("Observation", i) for i in created} <= ids

    exported = fhir.export("$export?_type=Patient,Observation")
    observations = {r["id"]: r for r in exported if r["resourceType"] == "Observation"}
    assert set(created) <= set(observations)
    assert observations[created[0]]["valueQuantity"]["value"] == 7
    assert any(r["resourceType"] == "Patient" and r["id"] == str(pat.code) for r in exported)


# --- Synthea round trip ---------------------------------------------------------------------------


def bundles() -> list[Path]:
    return sorted(SYNTHEA.glob("*.json"))


def pain_scores(resources: list[dict[str, Any]]) -> list[tuple[Decimal, str, dt.datetime]]:
    """(value, unit, effective instant) of each pain NRS Observation, sorted."""
    found = []
    for r in resources:
        codings = r.get("code", {}).get("coding", [])
        if r.get("resourceType") == "Observation" and any(
            c.get("code") == PAIN_NRS for c in codings
        ):
            quantity = r["valueQuantity"]
            effective = parse_datetime(r["effectiveDateTime"])
            assert effective is not None, r["effectiveDateTime"]
            assert effective.tzinfo is not None, r["effectiveDateTime"]
            found.append((Decimal(str(quantity["value"])), quantity["unit"], effective))
    return sorted(found)


def imported_patient(bundle: dict[str, Any], response: dict[str, Any]) -> str:
    """The id the server gave the bundle's Patient, from the transaction-response."""
    for entry, answer in zip(bundle["entry"], response["entry"], strict=True):
        if entry["resource"]["resourceType"] == "Patient":
            location = answer["response"]["location"]
            return str(location.split("Patient/", 1)[1].split("/")[0])
    raise AssertionError("the bundle has no Patient")


@pytest.mark.skipif(not SYNTHEA.is_dir(), reason=f"the Synthea sample bundles are not at {SYNTHEA}")
def test_synthea_bundles_import_and_export_with_pain_scores(fhir_for: Any, alice_actor: Actor):
    assert len(bundles()) == 10
    fhir = fhir_for(alice_actor)
    expected: dict[str, list[tuple[Decimal, str, dt.datetime]]] = {}
    for path in bundles():
        raw = path.read_bytes()
        bundle = orjson.loads(raw)
        response = fhir.post_bundle(raw)
        assert response["type"] == "transaction-response"
        expected[imported_patient(bundle, response)] = pain_scores(
            [e["resource"] for e in bundle["entry"]]
        )
    assert all(expected.values()), "every sample has pain scores"

    exported = fhir.export("Patient/$export?_type=Patient,Observation")
    by_patient: dict[str, list[dict[str, Any]]] = {}
    for resource in exported:
        if resource["resourceType"] == "Observation":
            subject = resource["subject"]["reference"].removeprefix("Patient/")
            by_patient.setdefault(subject, []).append(resource)
    assert {r["id"] for r in exported if r["resourceType"] == "Patient"} == set(expected)
    for patient_id, scores in expected.items():
        assert pain_scores(by_patient.get(patient_id, [])) == scores, patient_id
