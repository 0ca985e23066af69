"""Patient/$everything: the patient's whole record as a searchset Bundle, paged, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle

from prolo.clinic.fhir.registry import REGISTRY
from prolo.clinic.models import AuditAction, AuditEvent, Patient, User
from prolo.clinic.permissions import Actor
from prolo.fhir.tests import test_bulk_export as bulk
from prolo.fhir.tests.test_bulk_export import HILLTOP_MARKERS, Fhir

# The export tests' fixtures: the API-token client and the two clinics' patients.
fhir = bulk.fhir
riverside = bulk.riverside
hilltop = bulk.hilltop


def everything(client: Client, patient: Patient, **params: str) -> dict[str, Any]:
    response = client.get(f"/fhir/Patient/{patient.code}/$everything", params)
    assert response.status_code == 200, response.content
    bundle: dict[str, Any] = response.json()
    return bundle


def all_pages(client: Client, patient: Patient, **params: str) -> list[dict[str, Any]]:
    bundle = everything(client, patient, **params)
    entries = list(bundle["entry"])
    while nxt := [link["url"] for link in bundle["link"] if link["relation"] == "next"]:
        response = client.get(nxt[0])
        assert response.status_code == 200
        bundle = response.json()
        entries.extend(bundle["entry"])
    return entries


def test_the_patient_and_everything_about_them(
    fhir: Fhir, alice_actor: Actor, alice: User, riverside: Patient, hilltop: Patient
) -> None:
    client = fhir(alice_actor)
    bundle = everything(client, riverside)
    Bundle.model_validate(bundle)
    assert bundle["type"] == "searchset"
    resources = [entry["resource"] for entry in bundle["entry"]]
    types = {r["resourceType"] for r in resources}
    if "Patient" in REGISTRY:
        assert (resources[0]["resourceType"], resources[0]["id"]) == (
            "Patient",
            str(riverside.code),
        )
    for expected in ("Procedure", "Condition", "CarePlan", "Practitioner"):
        if expected in REGISTRY:
            assert expected in types
    matches = [e for e in bundle["entry"] if e["search"]["mode"] == "match"]
    assert bundle["total"] == len(matches)
    practitioners = [r for r in resources if r["resourceType"] == "Practitioner"]
    assert [p["id"] for p in practitioners] == ([str(alice.code)] if practitioners else [])
    text = str(bundle)
    for marker in (*HILLTOP_MARKERS, str(hilltop.code)):
        assert marker not in text
    event = AuditEvent.objects.get(action=AuditAction.READ, patient=riverside)
    assert event.changes == {"operation": "$everything"}


def test_paging_with_count(fhir: Fhir, alice_actor: Actor, riverside: Patient) -> None:
    client = fhir(alice_actor)
    whole = everything(client, riverside)["entry"]
    paged = all_pages(client, riverside, _count="2")
    assert [e["fullUrl"] for e in paged] == [e["fullUrl"] for e in whole]
    first = everything(client, riverside, _count="2")
    assert len(first["entry"]) == min(2, len(whole))


def test_type_limits_the_bundle(fhir: Fhir, alice_actor: Actor, riverside: Patient) -> None:
    if "Condition" not in REGISTRY:
        pytest.skip("Condition is not registered yet")
    bundle = everything(fhir(alice_actor), riverside, _type="Condition")
    assert {e["resource"]["resourceType"] for e in bundle["entry"]} == {"Condition"}


def test_bad_parameters_are_400(fhir: Fhir, alice_actor: Actor, riverside: Patient) -> None:
    client = fhir(alice_actor)
    url = f"/fhir/Patient/{riverside.code}/$everything"
    for params in ({"_count": "0"}, {"_count": "many"}, {"_since": "soon"}, {"_type": "Ship"}):
        response = client.get(url, params)
        assert response.status_code == 400, params
        assert response.json()["resourceType"] == "OperationOutcome"


def test_another_clinics_patient_is_404(
    fhir: Fhir, alice_actor: Actor, hilltop: Patient, riverside: Patient
) -> None:
    client = fhir(alice_actor)
    assert client.get(f"/fhir/Patient/{hilltop.code}/$everything").status_code == 404
    assert client.get("/fhir/Patient/not-a-uuid/$everything").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.READ).exists()


def test_reception_may_not(fhir: Fhir, rita_actor: Actor, riverside: Patient) -> None:
    response = fhir(rita_actor).get(f"/fhir/Patient/{riverside.code}/$everything")
    assert response.status_code == 403
