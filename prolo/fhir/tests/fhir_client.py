"""Test helpers for the FHIR API: a Client that sends a bearer token, and R4B validation."""

from __future__ import annotations

import importlib
from typing import Any

import orjson
from django.test import Client
from django.test.client import Client as BaseClient

from prolo.clinic.permissions import Actor
from prolo.clinic.services.api_tokens import api_token_create

FHIR = "application/fhir+json"


def token_for(actor: Actor) -> str:
    return api_token_create(actor=actor, name="tests")[1]


class FhirClient:
    """GET and POST /fhir/… as one actor, answering (status, parsed JSON)."""

    def __init__(self, actor: Actor | None) -> None:
        self.client: BaseClient = Client()
        self.headers = {"Authorization": f"Bearer {token_for(actor)}"} if actor else {}

    def get(self, url: str, **params: Any) -> tuple[int, dict[str, Any]]:
        response = self.client.get(url, params or None, headers=self.headers)
        return response.status_code, orjson.loads(response.content)

    def post(
        self, url: str, body: dict[str, Any], content_type: str = FHIR
    ) -> tuple[int, dict[str, Any], str]:
        response = self.client.post(
            url, orjson.dumps(body), content_type=content_type, headers=self.headers
        )
        return response.status_code, orjson.loads(response.content), response.get("Location", "")


def validate_r4b(resource: dict[str, Any]) -> None:
    """Raises if fhir.resources' R4B model rejects the resource."""
    name = resource["resourceType"]
    module = importlib.import_module(f"fhir.resources.R4B.{name.lower()}")
    getattr(module, name).model_validate(resource)


def ids(bundle: dict[str, Any], mode: str = "match") -> list[str]:
    return [e["resource"]["id"] for e in bundle["entry"] if e["search"]["mode"] == mode]


def diagnostics(outcome: dict[str, Any]) -> str:
    assert outcome["resourceType"] == "OperationOutcome"
    return " ".join(issue["diagnostics"] for issue in outcome["issue"])
