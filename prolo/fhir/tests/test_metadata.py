"""GET /fhir/metadata: a valid CapabilityStatement generated from the registry."""

from __future__ import annotations

from typing import Any

import orjson
from django.test import Client
from fhir.resources.R4B.capabilitystatement import CapabilityStatement


def _statement() -> dict[str, Any]:
    response = Client().get("/fhir/metadata")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    return dict(orjson.loads(response.content))


def test_it_is_served_without_a_token_and_validates(db: None) -> None:
    statement = _statement()
    CapabilityStatement.model_validate(statement)
    assert statement["fhirVersion"] == "4.0.1"
    assert "Bearer" in statement["rest"][0]["security"]["description"]


def test_it_lists_interactions_params_includes_and_operations(db: None) -> None:
    resources = {r["type"]: r for r in _statement()["rest"][0]["resource"]}
    observation = resources["Observation"]
    assert {i["code"] for i in observation["interaction"]} == {"read", "search-type", "create"}
    params = {p["name"]: p["type"] for p in observation["searchParam"]}
    assert params["date"] == "date"
    assert params["code"] == "token"
    assert params["patient"] == "reference"
    assert params["_count"] == "number"
    assert "Observation:patient" in observation["searchInclude"]
    assert {i["code"] for i in resources["Practitioner"]["interaction"]} == {
        "read",
        "search-type",
    }
    assert {o["name"] for o in resources["Patient"]["operation"]} == {"everything", "export"}
    assert resources["Group"]["operation"][0]["name"] == "export"


def test_post_is_not_allowed(db: None) -> None:
    response = Client().post("/fhir/metadata")
    assert response.status_code == 405
    assert orjson.loads(response.content)["resourceType"] == "OperationOutcome"
