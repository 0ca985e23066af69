"""The API against its own OpenAPI schema, fuzzed in-process by schemathesis.

Every operation gets generated requests (valid and invalid) with a real token; each response
must be no server error, carry a status the schema declares, and match the schema's body.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.core.result import Ok
from schemathesis.specs.openapi import checks

from prolo.api.api import api
from prolo.api.tests.conftest import make_event
from prolo.clinic.clock import clinic_today
from prolo.clinic.services.api_tokens import api_token_create
from prolo.clinic.services.questionnaires import questionnaire_record
from prolo.testing import make_course


@pytest.fixture(scope="module", autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """WSGI calls would close the test transaction's connection (it matters on PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def records(alice_actor, nora_actor, pat, olga, charlie_actor) -> dict[str, str]:
    """One record of each kind in Riverside (and an event in Hilltop, never to be seen)."""
    course = make_course(alice_actor, pat)
    response = questionnaire_record(
        actor=nora_actor,
        patient=pat,
        instrument="pain_nrs",
        answers={"pain": 5},
        answered_on=clinic_today(alice_actor.clinic),
    )
    make_event(charlie_actor, olga)
    return {
        "patients": str(pat.code),
        "courses": str(course.code),
        "responses": str(response.code),
        "adverse-events": str(make_event(alice_actor, pat).code),
    }


@pytest.fixture
def token(records, alice_actor) -> str:
    """Alice's token (a physician: every operation is open to her)."""
    return api_token_create(actor=alice_actor, name="fuzz")[1]


# Loaded when the tests are collected (schemathesis' lazy fixture loader does not run on
# pytest 9); test_the_served_schema_is_the_one_fuzzed checks it is what /api/v1/ serves.
PREFIX = "/api/v1/"
SCHEMA = json.loads(json.dumps(api.get_openapi_schema(path_prefix=PREFIX)))  # "200", not 200
schema = schemathesis.openapi.from_dict(SCHEMA)
schema.app = get_wsgi_application()


def test_the_served_schema_is_the_one_fuzzed(client):
    served = client.get(f"{PREFIX}openapi.json").json()
    assert served == SCHEMA


@schema.parametrize()
@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_to_the_schema(case, token):
    # Every check but "valid data is accepted": the services refuse schema-valid input the
    # schema cannot express (a taken MRN, a date of birth 200 years ago) with a 422 naming
    # the field, which is right.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        excluded_checks=[checks.positive_data_acceptance],
    )


def test_real_records_conform_to_the_schema(records, token):
    """The fuzzing mostly meets unknown codes (404); here every read finds its record."""
    headers = {"Authorization": f"Bearer {token}"}
    operations = list(_operations_with_a_code())
    assert len(operations) == 6
    for path, operation in operations:
        code = records[path.split("/")[3]]
        case = operation.Case(path_parameters={"code": code})
        response = case.call_and_validate(headers=headers)
        assert response.status_code == 200, (path, response.text)


def _operations_with_a_code():
    for result in schema.get_all_operations():
        assert isinstance(result, Ok)
        operation = result.ok()
        if "{code}" in operation.path and operation.method.upper() == "GET":
            yield operation.path, operation
