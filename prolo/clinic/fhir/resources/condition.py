"""Condition: the patient's history (problem-list items) and each evaluation's working
diagnosis (an encounter-diagnosis, provisional, id = the evaluation's id).

A history row is coded when it has a system and concept, else it carries its name as text.
Prolo keeps only "active" or not: an inactive row with an abatement date is "resolved",
without one "inactive". Create adds a history row through `condition_add`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from fhir.resources.R4B.condition import Condition as FhirCondition

from prolo.clinic.access import conditions_for
from prolo.clinic.fhir import params, validate
from prolo.clinic.fhir.refs import code_q, ref
from prolo.clinic.fhir.registry import (
    Include,
    Resource,
    ResourceType,
    SearchParam,
    Source,
    register,
)
from prolo.clinic.fhir.valuesets import (
    CONDITION_CATEGORY,
    CONDITION_CLINICAL,
    CONDITION_VERIFICATION,
    check,
    check_coding,
    concept,
)
from prolo.clinic.models import Condition, Evaluation
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.patients import condition_add
from prolo.fhir.http import invalid

NOTHING = Q(pk__in=[])
ACTIVE_CODES = ("active", "recurrence", "relapse")
ELEMENTS = {
    "name": "Condition.code",
    "onset": "Condition.onsetString",
    "onset_date": "Condition.onsetDateTime",
    "abatement_date": "Condition.abatementDateTime",
    "notes": "Condition.note",
    "system": "Condition.code.coding.system",
    "concept": "Condition.code.coding.code",
}


def clinical_status(condition: Condition) -> str:
    if condition.active:
        return "active"
    return "resolved" if condition.abatement_date else "inactive"


def condition_to_fhir(condition: Condition) -> Resource:
    patient = condition.patient
    code: Resource = {"text": condition.name}
    if condition.system and condition.concept:
        code["coding"] = [
            {"system": condition.system, "code": condition.concept, "display": condition.name}
        ]
    resource: Resource = {
        "resourceType": "Condition",
        "id": str(condition.code),
        "clinicalStatus": concept(CONDITION_CLINICAL, clinical_status(condition)),
        "category": [concept(CONDITION_CATEGORY, "problem-list-item")],
        "code": code,
        "subject": ref("Patient", patient.code, patient.full_name),
    }
    if condition.onset_date:
        resource["onsetDateTime"] = condition.onset_date.isoformat()
    elif condition.onset:
        resource["onsetString"] = condition.onset
    # An abatement on a condition still marked active would break FHIR's con-4 rule.
    if condition.abatement_date and not condition.active:
        resource["abatementDateTime"] = condition.abatement_date.isoformat()
    if condition.notes:
        resource["note"] = [{"text": condition.notes}]
    return resource


def diagnosis_to_fhir(evaluation: Evaluation) -> Resource:
    patient = evaluation.patient
    site = f"{evaluation.get_laterality_display()} {evaluation.get_target_region_display()}"
    resource: Resource = {
        "resourceType": "Condition",
        "id": str(evaluation.code),
        "clinicalStatus": concept(CONDITION_CLINICAL, "active"),
        "verificationStatus": concept(CONDITION_VERIFICATION, "provisional"),
        "category": [concept(CONDITION_CATEGORY, "encounter-diagnosis")],
        "code": {"text": evaluation.working_diagnosis},
        "bodySite": [{"text": site}],
        "subject": ref("Patient", patient.code, patient.full_name),
        "encounter": ref("Encounter", evaluation.code),
        "recordedDate": evaluation.evaluated_on.isoformat(),
        "recorder": ref(
            "Practitioner", evaluation.clinician.code, evaluation.clinician.display_name()
        ),
    }
    if evaluation.pain_onset:
        resource["onsetString"] = evaluation.pain_onset
    return resource


def _diagnoses(actor: Actor) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(patient__clinic=actor.clinic).select_related(
        "patient", "clinician"
    )


# --- search ----------------------------------------------------------------------------------


def _clinical_status(value: str) -> Q:
    if value == "active":
        return Q(active=True)
    if value == "resolved":
        return Q(active=False, abatement_date__isnull=False)
    if value == "inactive":
        return Q(active=False, abatement_date__isnull=True)
    return NOTHING


def _constant(code: str) -> Any:
    return params.each(lambda value: Q() if value.rpartition("|")[2] == code else NOTHING)


def _category(code: str) -> Any:
    def clause(value: str) -> Q:
        system, bar, wanted = value.rpartition("|")
        if bar and system != CONDITION_CATEGORY.system:
            return NOTHING
        return Q() if wanted == code else NOTHING

    return params.each(clause)


def _encounter(value: str) -> Q:
    return code_q(params.reference_id(value, "Encounter")) or NOTHING


CLINICAL_DOC = "active, inactive or resolved (condition-clinical)."
HISTORY_PARAMS = {
    "code": SearchParam("code", "token", params.token("concept", "system"), "system|code or code."),
    "clinical-status": SearchParam(
        "clinical-status", "token", params.each(_clinical_status), CLINICAL_DOC
    ),
    "onset-date": SearchParam("onset-date", "date", params.date("onset_date")),
    "category": SearchParam("category", "token", _category("problem-list-item")),
}
DIAGNOSIS_PARAMS = {
    "clinical-status": SearchParam("clinical-status", "token", _constant("active")),
    "category": SearchParam("category", "token", _category("encounter-diagnosis")),
    "verification-status": SearchParam("verification-status", "token", _constant("provisional")),
    "encounter": SearchParam("encounter", "reference", params.each(_encounter)),
    "recorded-date": SearchParam("recorded-date", "date", params.date("evaluated_on")),
}


# --- create ----------------------------------------------------------------------------------


def _code_fields(resource: Resource) -> dict[str, Any]:
    code = validate.required(resource, "code", "Condition")
    codings = [c for c in code.get("coding", []) if c.get("code")]
    name = code.get("text") or next((c["display"] for c in codings if c.get("display")), "")
    first = next((c for c in codings if c.get("system")), None)
    if not name and first is None:
        raise invalid("Condition.code: give text or a coding.", "Condition.code", 422)
    if first is None:
        return {"name": name, "system": "", "concept": ""}
    return {"name": name or first["code"], "system": first["system"], "concept": first["code"]}


def _statuses(resource: Resource) -> bool:
    """Checks the status elements; whether the condition is active."""
    active = True
    if "clinicalStatus" in resource:
        status = check_coding(
            resource["clinicalStatus"], CONDITION_CLINICAL, "Condition.clinicalStatus"
        )
        active = status in ACTIVE_CODES
    if "verificationStatus" in resource:
        check_coding(
            resource["verificationStatus"], CONDITION_VERIFICATION, "Condition.verificationStatus"
        )
    for i, category in enumerate(resource.get("category", [])):
        for coding in category.get("coding", []):
            if coding.get("system") == CONDITION_CATEGORY.system:
                check(coding.get("code"), CONDITION_CATEGORY, f"Condition.category[{i}]")
    return active


def fields_from(resource: Resource) -> dict[str, Any]:
    validate.structure(resource, FhirCondition, "Condition")
    fields = {**_code_fields(resource), "active": _statuses(resource)}
    if "onsetDateTime" in resource:
        fields["onset_date"] = validate.fhir_date(
            resource["onsetDateTime"], "Condition.onsetDateTime"
        )
    onset_day = fields.get("onset_date")
    # The day also goes in the text, as the import does: the text is what the chart shows.
    fields["onset"] = str(
        resource.get("onsetString") or (onset_day.isoformat() if onset_day else "")
    )
    if "abatementDateTime" in resource:
        if fields["active"]:
            raise invalid(
                "Condition.clinicalStatus: an abated condition must be inactive, remission or "
                "resolved.",
                "Condition.clinicalStatus",
                422,
            )
        fields["abatement_date"] = validate.fhir_date(
            resource["abatementDateTime"], "Condition.abatementDateTime"
        )
    fields["notes"] = "\n\n".join(n.get("text", "") for n in resource.get("note", []))
    return fields


def create(actor: Actor, resource: Resource) -> Condition:
    fields = fields_from(resource)
    patient = validate.subject_patient(actor, resource, "subject", "Condition")
    try:
        return condition_add(actor=actor, patient=patient, **fields)
    except ValidationError as error:
        raise validate.model_errors(error, ELEMENTS) from None


HISTORY = Source(
    queryset=conditions_for,
    to_fhir=condition_to_fhir,
    id_q=code_q,
    patient_path="patient",
    params=HISTORY_PARAMS,
    order_by=("id",),
)

DIAGNOSES = Source(
    queryset=_diagnoses,
    to_fhir=diagnosis_to_fhir,
    id_q=code_q,
    patient_path="patient",
    params=DIAGNOSIS_PARAMS,
    order_by=("evaluated_on", "id"),
)

register(
    ResourceType(
        name="Condition",
        read_perm=Perm.VIEW_CLINICAL,
        sources=(HISTORY, DIAGNOSES),
        includes=(
            Include("patient", "subject", "Patient"),
            Include("subject", "subject", "Patient"),
            Include("encounter", "encounter", "Encounter"),
        ),
        create=create,
        create_perm=Perm.EDIT_HISTORY,
    )
)
