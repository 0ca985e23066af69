"""POST /fhir/: Bundle import over HTTP (prolo/fhir/imports.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
import pytest
from django.test import Client

from prolo.clinic.models import Observation, Patient
from prolo.clinic.permissions import Actor
from prolo.clinic.services.api_tokens import api_token_create
from prolo.clinic.tests.test_fhir_import import bundle, encounter, pain, patient

URL = "/fhir/"
Post = Callable[..., Any]


@pytest.fixture
def post_as(client: Client) -> Callable[[Actor | None], Post]:
    """`post_as(actor)(body)`: POST a JSON body with the actor's API token (None: no token)."""

    def for_actor(actor: Actor | None) -> Post:
        headers = {}
        if actor is not None:
            _, raw = api_token_create(actor=actor, name="import")
            headers["Authorization"] = f"Bearer {raw}"

        def post(body: Any) -> Any:
            data = body if isinstance(body, bytes) else orjson.dumps(body)
            return client.post(URL, data, content_type="application/fhir+json", headers=headers)

        return post

    return for_actor


def test_a_transaction_answers_a_transaction_response(
    post_as: Callable[[Actor], Post], nora_actor: Actor
) -> None:
    response = post_as(nora_actor)(bundle(patient(), pain(1), encounter()))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    body = response.json()
    assert body["type"] == "transaction-response"
    person, score = Patient.objects.get(), Observation.objects.get()
    statuses = [e["response"] for e in body["entry"]]
    assert statuses[:2] == [
        {"status": "201 Created", "location": f"Patient/{person.code}"},
        {"status": "201 Created", "location": f"Observation/{score.code}"},
    ]
    assert statuses[2]["status"] == "200 OK"
    assert statuses[2]["outcome"]["issue"][0]["diagnostics"] == (
        "Prolo does not import Encounter resources."
    )


def test_reimporting_answers_200_ok_per_entry(
    post_as: Callable[[Actor], Post], nora_actor: Actor
) -> None:
    post = post_as(nora_actor)
    post(bundle(patient(), pain(1)))

    body = post(bundle(patient(), pain(1))).json()

    assert [e["response"]["status"] for e in body["entry"]] == ["200 OK", "200 OK"]
    assert Patient.objects.count() == Observation.objects.count() == 1


def test_a_failing_transaction_answers_an_outcome_per_bad_entry_and_writes_nothing(
    post_as: Callable[[Actor], Post], nora_actor: Actor
) -> None:
    response = post_as(nora_actor)(bundle(patient(gender="bogus"), pain(1), pain(2, status="done")))

    assert response.status_code == 400
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert [i["expression"] for i in body["issue"]] == [
        ["Bundle.entry[0].resource.gender"],
        ["Bundle.entry[1].resource.subject"],
        ["Bundle.entry[2].resource.status"],
    ]
    assert "female, male, other, unknown" in body["issue"][0]["diagnostics"]
    assert not Patient.objects.exists()


def test_a_collection_imports_the_rest_and_reports_the_bad_entry(
    post_as: Callable[[Actor], Post], nora_actor: Actor
) -> None:
    payload = bundle(patient(), pain(1, status="done"), pain(2), kind="collection")

    body = post_as(nora_actor)(payload).json()

    assert body["type"] == "batch-response"
    bad = body["entry"][1]["response"]
    assert bad["status"] == "400 Bad Request"
    assert bad["outcome"]["issue"][0]["expression"] == ["Bundle.entry[1].resource.status"]
    assert [e["response"]["status"] for e in body["entry"]] == [
        "201 Created",
        "400 Bad Request",
        "201 Created",
    ]
    assert Observation.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "diagnostics"),
    [
        (b"{not json", "The body is not JSON"),
        ({"resourceType": "Bundle", "type": "batch"}, "use one of transaction, collection"),
        ({"resourceType": "Patient"}, "Send a FHIR Bundle"),
    ],
)
def test_it_answers_400_for_what_is_not_an_importable_bundle(
    post_as: Callable[[Actor], Post], nora_actor: Actor, body: Any, diagnostics: str
) -> None:
    response = post_as(nora_actor)(body)

    assert response.status_code == 400
    assert diagnostics in response.json()["issue"][0]["diagnostics"]


def test_it_needs_a_token(post_as: Callable[[Actor | None], Post], db: None) -> None:
    response = post_as(None)(bundle(patient()))

    assert response.status_code == 401
    assert response.json()["issue"][0]["code"] == "login"


def test_reception_may_not_import(post_as: Callable[[Actor], Post], rita_actor: Actor) -> None:
    response = post_as(rita_actor)(bundle(patient()))

    assert response.status_code == 403
    assert response.json()["issue"][0]["code"] == "forbidden"
    assert not Patient.objects.exists()


def test_it_imports_into_the_tokens_clinic_only(
    post_as: Callable[[Actor], Post], nora_actor: Actor, charlie_actor: Actor
) -> None:
    post_as(nora_actor)(bundle(patient()))
    post_as(charlie_actor)(bundle(patient()))

    assert Patient.objects.filter(clinic=nora_actor.clinic).count() == 1
    assert Patient.objects.filter(clinic=charlie_actor.clinic).count() == 1


def test_get_is_not_allowed(client: Client, nora_actor: Actor) -> None:
    _, raw = api_token_create(actor=nora_actor, name="import")

    response = client.get(URL, headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_a_bundle_too_large_for_http_is_sent_to_the_command(
    post_as: Callable[[Actor], Post], nora_actor: Actor, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100

    response = post_as(nora_actor)(bundle(patient()))

    assert response.status_code == 413
    assert "manage.py fhir_import" in response.json()["issue"][0]["diagnostics"]
