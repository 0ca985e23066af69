"""Hostile or careless input under /fhir/ answers a 4xx OperationOutcome, never a 500 page."""

from __future__ import annotations

import pytest
from django.test import Client

from prolo.clinic.models import Patient
from prolo.clinic.permissions import Actor
from prolo.clinic.services.api_tokens import api_token_create


@pytest.fixture
def fhir(alice_actor: Actor) -> Client:
    _, raw = api_token_create(actor=alice_actor, name="hostile")
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {raw}")


def issue_text(response) -> str:
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    return " ".join(i["diagnostics"] for i in body["issue"])


@pytest.mark.parametrize(
    "query",
    [
        "Patient?birthdate=9999",
        "Patient?birthdate=ap0001",
        "Observation?date=9999-12",
        "Observation?date=2024-01-01T00:00%2B99:00",
        "Patient?birthdate=0001-01-01T00:00%2B14:00",
        "Appointment?date=ap9999",
    ],
)
def test_dates_out_of_range_are_a_400_naming_the_range(fhir: Client, query: str) -> None:
    response = fhir.get(f"/fhir/{query}")
    assert response.status_code == 400
    assert "date" in issue_text(response)


def test_an_observation_dated_year_9999_is_refused(fhir: Client, pat: Patient) -> None:
    body = {
        "resourceType": "Observation",
        "status": "final",
        "subject": {"reference": f"Patient/{pat.code}"},
        "code": {"coding": [{"system": "http://loinc.org", "code": "72514-3"}]},
        "valueQuantity": {"value": 3},
        "effectiveDateTime": "9999-12",
    }
    response = fhir.post("/fhir/Observation", body, content_type="application/fhir+json")
    assert response.status_code in (400, 422)
    assert "9999-12" in issue_text(response)


def test_nul_in_a_search_value_is_refused(fhir: Client) -> None:
    response = fhir.get("/fhir/Patient?name=%00x")
    assert response.status_code == 400
    assert "NUL" in issue_text(response)


def test_too_many_values_or_criteria_are_refused(fhir: Client) -> None:
    many = ",".join(["ab"] * 101)
    response = fhir.get(f"/fhir/Patient?name={many}")
    assert response.status_code == 400
    assert "at most 100 values" in issue_text(response)
    repeated = "&".join(["name=ab"] * 21)
    response = fhir.get(f"/fhir/Patient?{repeated}")
    assert response.status_code == 400
    assert "At most 20" in issue_text(response)


def test_a_bundle_sent_as_text_is_refused(fhir: Client) -> None:
    response = fhir.post("/fhir/", '{"resourceType": "Bundle"}', content_type="text/plain")
    assert response.status_code == 415
    assert "application/fhir+json" in issue_text(response)


@pytest.mark.parametrize(
    "url",
    [
        "/fhir/Patient/{pat}/$everything?_since=0001-01-01T00:00:00%2B14:00",
        "/fhir/$export?_since=9999-12-31T23:59:59-14:00",
    ],
)
def test_since_at_the_edge_of_the_calendar_is_a_400(fhir: Client, pat: Patient, url: str) -> None:
    response = fhir.get(url.format(pat=pat.code), HTTP_PREFER="respond-async")
    assert response.status_code == 400
    assert "_since" in issue_text(response)
