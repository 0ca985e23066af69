"""Every core type maps to valid R4B JSON with the choices docs/fhir.md describes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from prolo.clinic.models import Patient
from prolo.clinic.permissions import Actor
from prolo.clinic.services.patients import condition_add
from prolo.clinic.services.questionnaires import questionnaire_record
from prolo.fhir.tests.fhir_client import FhirClient, ids, validate_r4b
from prolo.testing import make_evaluation, signed_session

CORE_TYPES = (
    "Patient",
    "Practitioner",
    "Organization",
    "Encounter",
    "Condition",
    "Observation",
    "Questionnaire",
    "QuestionnaireResponse",
)


@pytest.fixture
def chart(alice_actor: Actor, pat: Patient) -> dict[str, Any]:
    evaluation = make_evaluation(alice_actor, pat, evaluated_on=dt.date(2026, 3, 2))
    session = signed_session(alice_actor, pat)
    condition = condition_add(
        actor=alice_actor, patient=pat, name="Type 2 diabetes", onset="2015", active=True
    )
    nrs = questionnaire_record(
        actor=alice_actor,
        patient=pat,
        instrument="pain_nrs",
        answers={"pain": 6},
        answered_on=dt.date(2026, 3, 2),
    )
    odi = questionnaire_record(
        actor=alice_actor,
        patient=pat,
        instrument="odi",
        answers={f"S{i}": 2 for i in range(1, 11)},
        answered_on=dt.date(2026, 3, 3),
    )
    return {
        "evaluation": evaluation,
        "session": session,
        "condition": condition,
        "nrs": nrs,
        "odi": odi,
    }


@pytest.mark.parametrize("name", CORE_TYPES)
def test_every_resource_validates_as_r4b(
    alice_actor: Actor, chart: dict[str, Any], name: str
) -> None:
    status, bundle = FhirClient(alice_actor).get(f"/fhir/{name}", _count="500")
    assert status == 200
    assert bundle["entry"], name
    validate_r4b(bundle)
    for entry in bundle["entry"]:
        validate_r4b(entry["resource"])


def test_patient_carries_mrn_gender_and_organization(alice_actor: Actor, pat: Patient) -> None:
    status, patient = FhirClient(alice_actor).get(f"/fhir/Patient/{pat.code}")
    assert status == 200
    assert patient["identifier"][0]["value"] == "R-0001"
    assert patient["identifier"][0]["system"].endswith(f"/clinic/{pat.clinic.code}/mrn")
    assert patient["gender"] == "female"
    assert patient["birthDate"] == "1961-04-12"
    assert patient["managingOrganization"]["reference"] == f"Organization/{pat.clinic.code}"
    assert {"system": "email", "value": "pat.fields@example.org"} in patient["telecom"]


def test_encounters_are_evaluations_and_signed_visits(
    alice_actor: Actor, chart: dict[str, Any]
) -> None:
    _status, bundle = FhirClient(alice_actor).get("/fhir/Encounter")
    by_id = {e["resource"]["id"]: e["resource"] for e in bundle["entry"]}
    evaluation = by_id[str(chart["evaluation"].code)]
    assert evaluation["class"]["code"] == "AMB"
    assert evaluation["type"][0]["coding"][0]["code"] == "evaluation"
    assert evaluation["period"]["start"] == "2026-03-02"
    visit = by_id[str(chart["session"].code)]
    assert visit["status"] == "finished"
    assert visit["appointment"] == [{"reference": f"Appointment/{chart['session'].code}"}]
    # Sessions still only booked are Appointments, not Encounters.
    assert len([r for r in by_id.values() if r["type"][0]["coding"][0]["code"] == "treatment"]) == 1


def test_conditions_include_history_and_working_diagnosis(
    alice_actor: Actor, chart: dict[str, Any]
) -> None:
    client = FhirClient(alice_actor)
    _, history = client.get(f"/fhir/Condition/{chart['condition'].code}")
    assert history["code"] == {"text": "Type 2 diabetes"}
    assert history["clinicalStatus"]["coding"][0]["code"] == "active"
    assert history["onsetString"] == "2015"
    _, diagnosis = client.get(f"/fhir/Condition/{chart['evaluation'].code}")
    assert diagnosis["category"][0]["coding"][0]["code"] == "encounter-diagnosis"
    assert diagnosis["verificationStatus"]["coding"][0]["code"] == "provisional"
    assert diagnosis["encounter"]["reference"] == f"Encounter/{chart['evaluation'].code}"
    _, found = client.get("/fhir/Condition", category="encounter-diagnosis")
    assert str(chart["evaluation"].code) in ids(found)
    assert str(chart["condition"].code) not in ids(found)


def test_scores_are_observations_with_loinc_derived_from_the_response(
    alice_actor: Actor, chart: dict[str, Any]
) -> None:
    client = FhirClient(alice_actor)
    nrs = chart["nrs"]
    status, score = client.get(f"/fhir/Observation/{nrs.code}.pain")
    assert status == 200
    assert score["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "72514-3",
        "display": score["code"]["coding"][0]["display"],
    }
    assert score["valueQuantity"]["value"] == 6
    assert score["effectiveDateTime"] == "2026-03-02"
    assert score["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{nrs.code}"}]
    assert score["category"][0]["coding"][0]["code"] == "survey"
    _, odi = client.get("/fhir/Observation", code="http://loinc.org|97909-6")
    assert ids(odi) == [f"{chart['odi'].code}.percent"]
    assert odi["entry"][0]["resource"]["valueQuantity"]["value"] == 40


def test_questionnaire_response_groups_answers_like_the_questionnaire(
    alice_actor: Actor, chart: dict[str, Any]
) -> None:
    client = FhirClient(alice_actor)
    _, response = client.get(f"/fhir/QuestionnaireResponse/{chart['nrs'].code}")
    assert response["status"] == "completed"
    assert response["questionnaire"].endswith("/Questionnaire/pain_nrs")
    assert response["item"][0]["item"][0] == {
        "linkId": "pain",
        "answer": [{"valueCoding": {"code": "6"}}],
    }
    _, questionnaire = client.get("/fhir/Questionnaire/pain-nrs")
    assert questionnaire["url"] == response["questionnaire"]
    _, found = client.get("/fhir/QuestionnaireResponse", questionnaire=response["questionnaire"])
    assert ids(found) == [str(chart["nrs"].code)]


def test_practitioners_are_clinical_staff_and_organization_is_own_clinic(
    alice_actor: Actor, nora: Any, rita: Any, charlie: Any
) -> None:
    client = FhirClient(alice_actor)
    _, staff = client.get("/fhir/Practitioner")
    names = sorted(e["resource"]["name"][0]["family"] for e in staff["entry"])
    assert names == ["Moreno", "Quinn"]  # not Rita (reception), not Charlie (Hilltop)
    roles = {e["resource"]["qualification"][0]["code"]["coding"][0]["code"] for e in staff["entry"]}
    assert roles == {"physician", "nurse"}
    _, orgs = client.get("/fhir/Organization")
    assert [e["resource"]["name"] for e in orgs["entry"]] == ["Riverside Prolotherapy"]


def test_encounter_and_condition_search_parameters(
    alice_actor: Actor, pat: Patient, chart: dict[str, Any]
) -> None:
    client = FhirClient(alice_actor)
    evaluation = str(chart["evaluation"].code)
    _, found = client.get("/fhir/Encounter", patient=str(pat.code), date="2026-03-02")
    assert ids(found) == [evaluation]
    _, found = client.get("/fhir/Encounter", status="finished", type="evaluation")
    assert evaluation in ids(found)
    assert str(chart["session"].code) not in ids(found)
    assert client.get("/fhir/Encounter", status="in-progress")[1]["total"] == 0
    condition_add(actor=alice_actor, patient=pat, name="Old fracture", onset="2001", active=False)
    _, found = client.get("/fhir/Condition", **{"clinical-status": "inactive"})
    assert [e["resource"]["code"]["text"] for e in found["entry"]] == ["Old fracture"]
    _, found = client.get(
        "/fhir/Condition", **{"clinical-status": "active", "category": "problem-list-item"}
    )
    assert ids(found) == [str(chart["condition"].code)]
