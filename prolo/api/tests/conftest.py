"""Fixtures for the API's tests: tokens for the named cast and a client that sends one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
import pytest
from django.test import Client

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AdverseEvent, Patient, User
from prolo.clinic.permissions import Actor
from prolo.clinic.services.adverse_events import adverse_event_report
from prolo.clinic.services.api_tokens import api_token_create
from prolo.testing import actor


class Api:
    """A test client sending `Authorization: Bearer <token>` (or nothing, token="")."""

    def __init__(self, token: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def send(self, method: str, path: str, body: Any) -> Any:
        data = body if isinstance(body, str | bytes) else orjson.dumps(body)
        call = getattr(self.client, method)
        return call(f"/api/v1{path}", data, content_type="application/json", headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.send("post", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self.send("patch", path, body)


@pytest.fixture
def token_for(db: None) -> Callable[..., str]:
    """`token_for(user, clinic=None, **kwargs)`: a fresh token's secret."""

    def make(user: User, clinic: Any = None, **kwargs: Any) -> str:
        clinic = clinic or user.memberships.get().clinic
        _, raw = api_token_create(actor=actor(user, clinic), name="test", **kwargs)
        return raw

    return make


@pytest.fixture
def api_for(token_for: Callable[..., str]) -> Callable[..., Api]:
    def make(user: User, clinic: Any = None) -> Api:
        return Api(token_for(user, clinic))

    return make


def fields_of(response: Any) -> list[str | None]:
    """The `field` of every error in an error response."""
    return [e["field"] for e in response.json()["errors"]]


def make_event(actor: Actor, patient: Patient, **overrides: Any) -> AdverseEvent:
    fields: dict[str, Any] = {
        "event_type": "severe_pain",
        "onset_date": clinic_today(actor.clinic),
        "grade": 2,
        "expectedness": "expected",
    }
    fields.update(overrides)
    return adverse_event_report(actor=actor, patient=patient, **fields)
