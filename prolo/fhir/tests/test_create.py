"""POST /fhir/<type>: create where Prolo owns the data; 422 naming each bad element."""

from __future__ import annotations

from typing import Any

import pytest

from prolo.clinic.models import AuditAction, AuditEvent, Condition, Observation, Patient
from prolo.clinic.permissions import Actor
from prolo.fhir.tests.fhir_client import FhirClient, diagnostics, ids, validate_r4b

LOINC = "http://loinc.org"
CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"


def pain_score(patient: Patient, **changes: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
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
        "code": {"coding": [{"system": LOINC, "code": "72514-3", "display": "Pain severity"}]},
        "subject": {"reference": f"Patient/{patient.code}"},
        "effectiveDateTime": "2026-03-02T09:30:00+01:00",
        "valueQuantity": {
            "value": 4,
            "unit": "{score}",
            "system": "http://unitsofmeasure.org",
            "code": "{score}",
        },
    }
    resource.update(changes)
    return {k: v for k, v in resource.items() if v is not None}


def test_it_creates_an_observation_that_is_then_searchable(
    alice_actor: Actor, pat: Patient
) -> None:
    client = FhirClient(alice_actor)
    status, created, location = client.post("/fhir/Observation", pain_score(pat))
    assert status == 201
    validate_r4b(created)
    assert location == f"http://testserver/fhir/Observation/{created['id']}"
    assert created["valueQuantity"]["value"] == 4
    assert created["effectiveDateTime"].startswith("2026-03-02T")
    row = Observation.objects.get(code=created["id"])
    assert row.source == "api"
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_code=created["id"]).exists()
    _, found = client.get(
        "/fhir/Observation", patient=str(pat.code), code=f"{LOINC}|72514-3", date="2026-03-02"
    )
    assert ids(found) == [created["id"]]
    assert client.get(location)[1] == created


@pytest.mark.parametrize(
    ("changes", "element", "mentions"),
    [
        ({"status": "done"}, "Observation.status", "final"),
        ({"status": None}, "Observation.status", "required"),
        (
            {
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                "code": "x",
                            }
                        ]
                    }
                ]
            },
            "Observation.category[0]",
            "vital-signs",
        ),
        ({"code": {"text": "pain"}}, "Observation.code", "system"),
        ({"code": None}, "Observation.code", "required"),
        ({"subject": {"reference": "Patient/nobody"}}, "Observation.subject", "Patient"),
        (
            {"valueQuantity": None, "valueBoolean": True},
            "Observation.valueBoolean",
            "valueQuantity",
        ),
        ({"effectiveDateTime": "March"}, "Observation.effectiveDateTime", "March"),
        ({"valueQuantity": {"value": "four"}}, "Observation.valueQuantity.value", "four"),
    ],
)
def test_invalid_observations_answer_422_naming_the_element(
    alice_actor: Actor, pat: Patient, changes: dict[str, Any], element: str, mentions: str
) -> None:
    status, outcome, _ = FhirClient(alice_actor).post(
        "/fhir/Observation", pain_score(pat, **changes)
    )
    assert status == 422, outcome
    assert any(element in issue.get("expression", [""])[0] for issue in outcome["issue"]), outcome
    assert mentions in diagnostics(outcome)
    assert not Observation.objects.exists()


def test_another_clinics_patient_cannot_be_the_subject(alice_actor: Actor, olga: Patient) -> None:
    status, outcome, _ = FhirClient(alice_actor).post("/fhir/Observation", pain_score(olga))
    assert status == 422
    assert "Novak" not in diagnostics(outcome)


def test_reception_may_not_create_observations(rita_actor: Actor, pat: Patient) -> None:
    status, outcome, _ = FhirClient(rita_actor).post("/fhir/Observation", pain_score(pat))
    assert status == 403
    assert outcome["issue"][0]["code"] == "forbidden"


def test_types_prolo_does_not_own_cannot_be_created(alice_actor: Actor) -> None:
    status, outcome, _ = FhirClient(alice_actor).post(
        "/fhir/Practitioner", {"resourceType": "Practitioner"}
    )
    assert status == 405
    assert outcome["issue"][0]["code"] == "not-supported"


def test_it_wants_fhir_json(alice_actor: Actor, pat: Patient) -> None:
    client = FhirClient(alice_actor)
    assert client.post("/fhir/Observation", pain_score(pat), "application/json")[0] == 201
    assert client.post("/fhir/Observation", pain_score(pat), "text/plain")[0] == 415
    response = client.client.post(
        "/fhir/Observation",
        b"{not json",
        content_type="application/fhir+json",
        headers=client.headers,
    )
    assert response.status_code == 400


def test_it_registers_a_patient(rita_actor: Actor) -> None:
    body = {
        "resourceType": "Patient",
        "identifier": [{"system": "urn:other", "value": "R-0099"}],
        "name": [{"family": "Okafor", "given": ["Ada"]}],
        "gender": "female",
        "birthDate": "1988-07-01",
        "telecom": [{"system": "email", "value": "ada@example.org"}],
        "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "es"}]}}],
    }
    status, created, _location = FhirClient(rita_actor).post("/fhir/Patient", body)
    assert status == 201, created
    patient = Patient.objects.get(code=created["id"])
    assert (patient.mrn, patient.family_name, patient.preferred_language) == (
        "R-0099",
        "Okafor",
        "es",
    )
    assert created["identifier"][0]["value"] == "R-0099"


def test_a_patient_with_a_bad_gender_or_taken_mrn_is_refused(
    rita_actor: Actor, pat: Patient
) -> None:
    body = {
        "resourceType": "Patient",
        "identifier": [{"value": "R-0001"}],
        "name": [{"family": "Okafor", "given": ["Ada"]}],
        "gender": "woman",
        "birthDate": "1988-07-01",
    }
    client = FhirClient(rita_actor)
    status, outcome, _ = client.post("/fhir/Patient", body)
    assert status == 422
    assert "Patient.gender" in diagnostics(outcome)
    assert "female" in diagnostics(outcome)
    status, outcome, _ = client.post("/fhir/Patient", {**body, "gender": "female"})
    assert status == 422
    assert outcome["issue"][0]["expression"] == ["Patient.identifier"]


def test_it_adds_a_condition(alice_actor: Actor, pat: Patient) -> None:
    body: dict[str, Any] = {
        "resourceType": "Condition",
        "clinicalStatus": {
            "coding": [
                {
                    "system": CLINICAL,
                    "code": "resolved",
                }
            ]
        },
        "code": {"text": "Plantar fasciitis"},
        "subject": {"reference": f"Patient/{pat.code}"},
        "onsetString": "2019",
    }
    client = FhirClient(alice_actor)
    status, created, _ = client.post("/fhir/Condition", body)
    assert status == 201, created
    condition = Condition.objects.get(code=created["id"])
    assert (condition.name, condition.active, condition.onset) == (
        "Plantar fasciitis",
        False,
        "2019",
    )
    bad = {
        **body,
        "clinicalStatus": {"coding": [{"system": CLINICAL, "code": "cured"}]},
    }
    status, outcome, _ = client.post("/fhir/Condition", bad)
    assert status == 422
    assert "Condition.clinicalStatus" in diagnostics(outcome)
    assert "remission" in diagnostics(outcome)


def test_a_coded_condition_keeps_its_coding_and_dates(alice_actor: Actor, pat: Patient) -> None:
    system = "http://example.org/condition-codes"  # any coding system round-trips
    body: dict[str, Any] = {
        "resourceType": "Condition",
        "clinicalStatus": {"coding": [{"system": CLINICAL, "code": "active"}]},
        "code": {"coding": [{"system": system, "code": "C-42", "display": "Lateral elbow pain"}]},
        "subject": {"reference": f"Patient/{pat.code}"},
        "onsetDateTime": "2024-05-01",
    }
    client = FhirClient(alice_actor)
    status, created, _ = client.post("/fhir/Condition", body)
    assert status == 201, created
    status, read = client.get(f"/fhir/Condition/{created['id']}")
    assert status == 200
    assert read["code"]["coding"][0]["system"] == system
    assert read["code"]["coding"][0]["code"] == "C-42"
    assert read["onsetDateTime"].startswith("2024-05-01")
