"""MedicationAdministration: the solution given at one injection (docs/fhir-treatment.md).

One per injection of a signed note, with the injection's id, `partOf` its Procedure. Chosen
over Procedure.usedReference because the solution has a dose (volume in mL), a route, a site
and a lot, which MedicationAdministration carries in standard elements and clients that list a
patient's medications read; usedReference would only name a product. The solution is a
contained Medication: its strengths as ingredients (percent w/v as g per 100 mL) and the lot.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from prolo.clinic.fhir.refs import code_q, ref
from prolo.clinic.fhir.registry import Include, Resource, ResourceType, Source, register
from prolo.clinic.fhir.resources.procedure import (
    ANAESTHETICS,
    DILUENTS,
    GUIDANCE,
    PATIENT,
    body_site,
    common_params,
    iso,
    signed_injections,
    solution_name,
)
from prolo.clinic.models import Anaesthetic, Diluent, Injection, InjectionStructure
from prolo.clinic.permissions import Perm

UCUM = "http://unitsofmeasure.org"
MEDICATION_ID = "solution"
ROUTES: dict[str, str] = {
    InjectionStructure.JOINT.value: "Intra-articular injection",
    InjectionStructure.NERVE.value: "Perineural injection",
}


def _quantity(value: Decimal, unit: str) -> dict[str, Any]:
    return {"value": float(value), "unit": unit, "system": UCUM, "code": unit}


def _percent_wv(percent: Decimal) -> dict[str, Any]:
    """A % w/v strength as a Ratio: 15% is 15 g per 100 mL."""
    return {"numerator": _quantity(percent, "g"), "denominator": _quantity(Decimal(100), "mL")}


def _ingredients(injection: Injection) -> list[dict[str, Any]]:
    ingredients = [
        {
            "itemCodeableConcept": {"text": "Dextrose"},
            "isActive": True,
            "strength": _percent_wv(injection.dextrose_percent),
        }
    ]
    if injection.anaesthetic != Anaesthetic.NONE:
        ingredients.append(
            {
                "itemCodeableConcept": {"text": ANAESTHETICS[injection.anaesthetic]},
                "isActive": True,
                "strength": _percent_wv(injection.anaesthetic_percent),
            }
        )
    if injection.epinephrine:
        ingredients.append({"itemCodeableConcept": {"text": "Epinephrine"}, "isActive": True})
    if injection.diluent != Diluent.NONE:
        diluent = {"text": DILUENTS[injection.diluent]}
        ingredients.append({"itemCodeableConcept": diluent, "isActive": False})
    return ingredients


def medication(injection: Injection) -> Resource:
    contained: Resource = {
        "resourceType": "Medication",
        "id": MEDICATION_ID,
        "code": {"text": solution_name(injection)},
        "ingredient": _ingredients(injection),
    }
    if injection.lot.strip():
        contained["batch"] = {"lotNumber": injection.lot.strip()}
    return contained


def _dosage(injection: Injection) -> dict[str, Any]:
    route = ROUTES.get(injection.structure, "Injection")
    return {
        "site": body_site(injection),
        "route": {"text": route},
        "method": {"text": f"{GUIDANCE[injection.guidance]} guidance"},
        "dose": _quantity(injection.volume_ml, "mL"),
    }


def to_fhir(injection: Injection) -> Resource:
    note = injection.note
    session = note.session
    resource: Resource = {
        "resourceType": "MedicationAdministration",
        "id": str(injection.code),
        "contained": [medication(injection)],
        "partOf": [ref("Procedure", injection.code)],
        "status": "completed",
        "medicationReference": {
            "reference": f"#{MEDICATION_ID}",
            "display": solution_name(injection),
        },
        "subject": ref("Patient", session.course.patient.code),
        "context": ref("Encounter", session.code),
        "effectiveDateTime": iso(session.scheduled_at),
        "dosage": _dosage(injection),
    }
    if note.signed_by is not None:
        actor = ref("Practitioner", note.signed_by.code, note.signed_by.display_name())
        resource["performer"] = [{"actor": actor}]
    if injection.syringe is not None:
        resource["note"] = [{"text": f"Drawn up in syringe {injection.syringe.label}."}]
    return resource


SOURCE = Source(
    queryset=signed_injections,
    to_fhir=to_fhir,
    id_q=code_q,
    patient_path=PATIENT,
    params=common_params("effective-time"),
    # A signed injection never changes (corrections are amendments, which this omits).
    since_path="note__signed_at",
    order_by=("id",),
)

register(
    ResourceType(
        name="MedicationAdministration",
        read_perm=Perm.VIEW_CLINICAL,
        sources=(SOURCE,),
        includes=(
            Include("patient", "subject", "Patient"),
            Include("subject", "subject", "Patient"),
            Include("context", "context", "Encounter"),
        ),
    )
)
