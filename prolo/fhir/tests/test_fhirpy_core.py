"""fhirpy against a live server: create an Observation, find it, read the Patient."""

from __future__ import annotations

from typing import Any

import pytest
from fhirpy import SyncFHIRClient

from prolo.clinic.models import Patient
from prolo.clinic.permissions import Actor
from prolo.fhir.tests.fhir_client import token_for, validate_r4b

LOINC = "http://loinc.org"


@pytest.mark.django_db(transaction=True)
def test_fhirpy_creates_searches_and_reads(
    live_server: Any, alice_actor: Actor, pat: Patient
) -> None:
    client = SyncFHIRClient(
        f"{live_server.url}/fhir", authorization=f"Bearer {token_for(alice_actor)}"
    )
    observation = client.resource(
        "Observation",
        status="final",
        code={"coding": [{"system": LOINC, "code": "72514-3"}]},
        subject={"reference": f"Patient/{pat.code}"},
        effectiveDateTime="2026-03-02T09:30:00Z",
        valueQuantity={"value": 7, "unit": "{score}"},
    )
    observation.save()
    assert observation.id

    found = (
        client.resources("Observation")
        .search(patient=str(pat.code), code=f"{LOINC}|72514-3", date="ge2026-03-01")
        .fetch_all()
    )
    assert [o.id for o in found] == [observation.id]
    assert found[0]["valueQuantity"]["value"] == 7
    assert not client.resources("Observation").search(date="lt2026-03-01").fetch_all()

    patient = client.reference("Patient", str(pat.code)).to_resource()
    assert patient["name"][0]["family"] == "Fields"
    validate_r4b(patient.serialize())
