"""GET /fhir/<type>/<id>: read, audited; 404 for missing, malformed or another clinic's."""

from __future__ import annotations

import pytest
from django.test import Client

from prolo.clinic.models import AuditAction, AuditEvent, Patient
from prolo.clinic.permissions import Actor
from prolo.fhir.tests.fhir_client import FhirClient, diagnostics


def test_it_reads_a_patient_and_audits_the_read(alice_actor: Actor, pat: Patient) -> None:
    status, patient = FhirClient(alice_actor).get(f"/fhir/Patient/{pat.code}")
    assert status == 200
    assert patient["id"] == str(pat.code)
    reads = AuditEvent.objects.filter(action=AuditAction.READ, patient=pat)
    assert [(r.actor, r.changes["resources"]) for r in reads] == [
        (alice_actor.user, [f"Patient/{pat.code}"])
    ]


@pytest.mark.parametrize("rid", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_missing_or_malformed_ids_are_not_found(alice_actor: Actor, rid: str) -> None:
    status, outcome = FhirClient(alice_actor).get(f"/fhir/Patient/{rid}")
    assert status == 404
    assert outcome["issue"][0]["code"] == "not-found"


def test_another_clinics_patient_is_not_found(alice_actor: Actor, olga: Patient) -> None:
    status, outcome = FhirClient(alice_actor).get(f"/fhir/Patient/{olga.code}")
    assert status == 404
    assert "Novak" not in diagnostics(outcome)
    assert not AuditEvent.objects.filter(action=AuditAction.READ).exists()


def test_it_needs_a_token(pat: Patient) -> None:
    response = Client().get(f"/fhir/Patient/{pat.code}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_reception_may_read_demographics_but_not_clinical_types(
    rita_actor: Actor, pat: Patient
) -> None:
    client = FhirClient(rita_actor)
    assert client.get(f"/fhir/Patient/{pat.code}")[0] == 200
    for name in ("Observation", "Condition", "Encounter", "QuestionnaireResponse"):
        status, outcome = client.get(f"/fhir/{name}")
        assert status == 403, name
        assert outcome["issue"][0]["code"] == "forbidden"
        assert client.get(f"/fhir/{name}/{pat.code}")[0] == 403


def test_an_unknown_type_is_not_found(alice_actor: Actor) -> None:
    status, outcome = FhirClient(alice_actor).get("/fhir/Spaceship/1")
    assert status == 404
    assert "Spaceship" in diagnostics(outcome)
    assert FhirClient(alice_actor).get("/fhir/Spaceship")[0] == 404


def test_other_methods_are_not_allowed(alice_actor: Actor, pat: Patient) -> None:
    client = FhirClient(alice_actor)
    response = client.client.delete(f"/fhir/Patient/{pat.code}", headers=client.headers)
    assert response.status_code == 405
