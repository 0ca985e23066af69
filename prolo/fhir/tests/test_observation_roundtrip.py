"""An imported observation exports back exactly: status, code, effective, value and unit.

The rows are stored as the bundle import stores them (services/fhir_import_resources.py):
the first coding, the category code, the instant in UTC, the decimal value and the unit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils.dateparse import parse_datetime

from prolo.clinic.models import Observation, ObservationSource, Patient
from prolo.clinic.permissions import Actor
from prolo.fhir.tests.fhir_client import FhirClient, validate_r4b

IMPORTED: list[dict[str, Any]] = [
    {
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
        "code": {
            "coding": [
                {
                    "system": "http://loinc.org",
                    "code": "72514-3",
                    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
                }
            ]
        },
        "effectiveDateTime": "2019-05-03T14:22:10-04:00",
        "valueQuantity": {
            "value": 3,
            "unit": "{score}",
            "system": "http://unitsofmeasure.org",
            "code": "{score}",
        },
    },
    {
        "resourceType": "Observation",
        "status": "amended",
        "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
        "effectiveDateTime": "2020-01-31T08:00:00Z",
        "valueQuantity": {
            "value": 72.35,
            "unit": "kg",
            "system": "http://unitsofmeasure.org",
            "code": "kg",
        },
    },
]


@pytest.mark.parametrize("resource", IMPORTED)
def test_imported_observation_exports_back_exactly(
    alice_actor: Actor, pat: Patient, resource: dict[str, Any]
) -> None:
    sent = {**resource, "subject": {"reference": f"Patient/{pat.code}"}}
    coding, quantity = sent["code"]["coding"][0], sent["valueQuantity"]
    row = Observation.objects.create(
        patient=pat,
        status=sent["status"],
        category=sent["category"][0]["coding"][0]["code"] if "category" in sent else "",
        system=coding["system"],
        concept=coding["code"],
        display=coding.get("display", ""),
        effective_at=parse_datetime(sent["effectiveDateTime"]),
        value_quantity=Decimal(repr(quantity["value"])).quantize(Decimal("0.000001")),
        value_unit=quantity["unit"],
        value_ucum=quantity["code"],
        source=ObservationSource.IMPORT,
        created_by=alice_actor.user,
    )
    status, served = FhirClient(alice_actor).get(f"/fhir/Observation/{row.code}")
    assert status == 200
    validate_r4b(served)
    assert served["status"] == sent["status"]
    assert served["code"]["coding"] == sent["code"]["coding"]
    assert served["valueQuantity"] == sent["valueQuantity"]
    assert served.get("category") == sent.get("category")
    assert parse_datetime(served["effectiveDateTime"]) == parse_datetime(sent["effectiveDateTime"])
