"""Observation: stored observations (recorded through FHIR or imported) and the scores of
questionnaire responses.

Scores are not stored as observations: each (instrument, score) is its own Source over the
responses that have that score, so one response yields one Observation per score, with id
"<response id>.<score key>", derived from the QuestionnaireResponse. Each score carries a
Prolo code "<instrument>.<score>" and, where the instrument data names one, its LOINC code.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from fhir.resources.R4B.observation import Observation as FhirObservation

from prolo.clinic.access import observations_for
from prolo.clinic.fhir import params, validate
from prolo.clinic.fhir.refs import code_q, instant, ref
from prolo.clinic.fhir.registry import (
    Include,
    Resource,
    ResourceType,
    RulesOut,
    SearchParam,
    Source,
    register,
)
from prolo.clinic.fhir.valuesets import (
    OBSERVATION_CATEGORY,
    OBSERVATION_STATUS,
    check,
    concept,
)
from prolo.clinic.models import Observation, QuestionnaireResponse
from prolo.clinic.outcomes.fhir_questionnaire import CANONICAL_BASE, LOINC
from prolo.clinic.outcomes.instruments import INSTRUMENTS, Instrument, ScoreSpec
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.observations import observation_record
from prolo.fhir.http import invalid

SCORE_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/score"
UCUM = "http://unitsofmeasure.org"
NOTHING = Q(pk__in=[])
VALUE_ELEMENTS = ("valueQuantity", "valueCodeableConcept", "valueString")
ELEMENTS = {
    "status": "Observation.status",
    "category": "Observation.category",
    "system": "Observation.code.coding.system",
    "concept": "Observation.code.coding.code",
    "display": "Observation.code.coding.display",
    "effective_at": "Observation.effectiveDateTime",
    "issued_at": "Observation.issued",
    "value_quantity": "Observation.valueQuantity.value",
    "value_unit": "Observation.valueQuantity.unit",
    "value_ucum": "Observation.valueQuantity.code",
    "value_concept": "Observation.valueCodeableConcept",
    "value_text": "Observation.valueString",
    "components": "Observation.component",
}


def number(value: Decimal) -> int | float:
    """A stored decimal as the JSON number it was sent as (7, not 7.000000)."""
    normal = value.normalize()
    if normal == normal.to_integral_value():
        return int(normal)
    return float(normal)


# --- stored observations ---------------------------------------------------------------------


def stored_to_fhir(row: Observation) -> Resource:
    patient = row.patient
    coding = {"system": row.system, "code": row.concept}
    if row.display:
        coding["display"] = row.display
    resource: Resource = {
        "resourceType": "Observation",
        "id": str(row.code),
        "status": row.status,
        "code": {"coding": [coding]},
        "subject": ref("Patient", patient.code, patient.full_name),
    }
    if row.category:
        resource["category"] = [concept(OBSERVATION_CATEGORY, row.category)]
    if row.effective_at:
        resource["effectiveDateTime"] = instant(row.effective_at)
    if row.issued_at:
        resource["issued"] = instant(row.issued_at)
    _set_value(resource, row)
    if row.components:
        resource["component"] = row.components
    return resource


def _set_value(resource: Resource, row: Observation) -> None:
    if row.value_quantity is not None:
        quantity: Resource = {"value": number(row.value_quantity)}
        if row.value_unit:
            quantity["unit"] = row.value_unit
        if row.value_ucum:
            quantity["system"] = UCUM
            quantity["code"] = row.value_ucum
        resource["valueQuantity"] = quantity
    elif row.value_concept:
        resource["valueCodeableConcept"] = row.value_concept
    elif row.value_text:
        resource["valueString"] = row.value_text


STORED_PARAMS = {
    "code": SearchParam("code", "token", params.token("concept", "system"), "system|code or code."),
    "date": SearchParam("date", "date", params.date("effective_at"), "effective[x]."),
    "status": SearchParam(
        "status",
        "token",
        params.token("status", system=OBSERVATION_STATUS.system),
        "observation-status.",
    ),
    "category": SearchParam(
        "category",
        "token",
        params.token("category", system=OBSERVATION_CATEGORY.system),
        "observation-category (e.g. vital-signs, survey).",
    ),
}

STORED = Source(
    queryset=observations_for,
    to_fhir=stored_to_fhir,
    id_q=code_q,
    patient_path="patient",
    params=STORED_PARAMS,
    since_path="created_at",
    order_by=("effective_at", "id"),
)


# --- questionnaire scores --------------------------------------------------------------------


def score_codings(instrument: Instrument, spec: ScoreSpec) -> list[dict[str, str]]:
    display = f"{instrument.name}: {spec.name}"
    codings = [
        {"system": SCORE_SYSTEM, "code": f"{instrument.code}.{spec.key}", "display": display}
    ]
    if spec.loinc:
        codings.insert(0, {"system": LOINC, "code": spec.loinc, "display": display})
    return codings


def _score_mapper(instrument: Instrument, spec: ScoreSpec) -> Callable[[Any], Resource]:
    codings = score_codings(instrument, spec)
    text = f"{instrument.name}: {spec.name}"

    def to_fhir(response: QuestionnaireResponse) -> Resource:
        patient = response.patient
        resource: Resource = {
            "resourceType": "Observation",
            "id": f"{response.code}.{spec.key}",
            "status": "final",
            "category": [concept(OBSERVATION_CATEGORY, "survey")],
            "code": {"coding": codings, "text": text},
            "subject": ref("Patient", patient.code, patient.full_name),
            "effectiveDateTime": response.answered_on.isoformat(),
            "derivedFrom": [ref("QuestionnaireResponse", response.code)],
        }
        value = response.scores.get(spec.key)
        if value is None:
            resource["dataAbsentReason"] = {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                        "code": "not-performed",
                    }
                ],
                "text": "Too few items answered to score.",
            }
        else:
            quantity = {"value": number(Decimal(str(value))), "system": UCUM, "code": "{score}"}
            resource["valueQuantity"] = {**quantity, "unit": "score"}
        return resource

    return to_fhir


def _names_one_of(codings: list[dict[str, str]], value: str) -> bool:
    """Whether a token (code, system|code, system|) names one of these fixed codings."""
    system, bar, code = value.partition("|")
    if not bar:
        system, code = "", value
    return any(
        (not bar or system == coding["system"]) and (not code or code == coding["code"])
        for coding in codings
    )


def _token_matches(codings: list[dict[str, str]]) -> Callable[[str], Q]:
    def clause(value: str) -> Q:
        return Q() if _names_one_of(codings, value) else NOTHING

    return clause


def _constant(system: str, code: str) -> Callable[[str], Q]:
    return _token_matches([{"system": system, "code": code}])


def _rules_out(codings: list[dict[str, str]]) -> RulesOut:
    """A score's code, status and category are fixed, so a value naming none of them rules
    the whole source out without SQL. Values with a modifier are left to the filters."""
    fixed = {
        "code": codings,
        "status": [{"system": OBSERVATION_STATUS.system, "code": "final"}],
        "category": [{"system": OBSERVATION_CATEGORY.system, "code": "survey"}],
    }

    def rules_out(name: str, modifier: str | None, values: list[str]) -> bool:
        known = fixed.get(name)
        if known is None or modifier is not None:
            return False
        return not any(_names_one_of(known, value) for value in values)

    return rules_out


def _score_id(key: str) -> Callable[[str], Q | None]:
    def id_q(resource_id: str) -> Q | None:
        code, dot, score_key = resource_id.rpartition(".")
        return code_q(code) if dot and score_key == key else None

    return id_q


def _score_queryset(instrument: Instrument, spec: ScoreSpec) -> Callable[[Actor], QuerySet[Any]]:
    def queryset(actor: Actor) -> QuerySet[QuestionnaireResponse]:
        return QuestionnaireResponse.objects.filter(
            patient__clinic=actor.clinic, instrument=instrument.code, scores__has_key=spec.key
        ).select_related("patient")

    return queryset


def score_source(instrument: Instrument, spec: ScoreSpec) -> Source:
    codings = score_codings(instrument, spec)
    return Source(
        queryset=_score_queryset(instrument, spec),
        to_fhir=_score_mapper(instrument, spec),
        id_q=_score_id(spec.key),
        patient_path="patient",
        params={
            "code": SearchParam("code", "token", params.each(_token_matches(codings), ("not",))),
            "date": SearchParam("date", "date", params.date("answered_on")),
            "status": SearchParam(
                "status", "token", params.each(_constant(OBSERVATION_STATUS.system, "final"))
            ),
            "category": SearchParam(
                "category",
                "token",
                params.each(_constant(OBSERVATION_CATEGORY.system, "survey")),
            ),
        },
        since_path="created_at",
        order_by=("answered_on", "id"),
        rules_out=_rules_out(codings),
    )


SCORES = tuple(
    score_source(instrument, spec)
    for instrument in INSTRUMENTS.values()
    for spec in instrument.scores
)


# --- create ----------------------------------------------------------------------------------


def _code(resource: Resource) -> dict[str, str]:
    code = validate.required(resource, "code", "Observation")
    for coding in code.get("coding", []):
        if coding.get("system") and coding.get("code"):
            return {
                "system": coding["system"],
                "concept": coding["code"],
                "display": coding.get("display") or code.get("text") or "",
            }
    raise invalid(
        "Observation.code: needs a coding with a system and a code (e.g. http://loinc.org|72514-3).",
        "Observation.code",
        422,
    )


def _category(resource: Resource) -> str:
    found = ""
    for i, category in enumerate(resource.get("category", [])):
        for coding in category.get("coding", []):
            if coding.get("system") == OBSERVATION_CATEGORY.system:
                code = check(coding.get("code"), OBSERVATION_CATEGORY, f"Observation.category[{i}]")
                found = found or code
    return found


def _value(resource: Resource) -> dict[str, Any]:
    given = [k for k in resource if k.startswith("value")]
    unsupported = [k for k in given if k not in VALUE_ELEMENTS]
    if unsupported:
        raise invalid(
            f"Observation.{unsupported[0]}: not supported; use one of {', '.join(VALUE_ELEMENTS)}.",
            f"Observation.{unsupported[0]}",
            422,
        )
    if "valueQuantity" in resource:
        quantity = resource["valueQuantity"]
        if "value" not in quantity:
            raise invalid(
                "Observation.valueQuantity.value is required.", "Observation.valueQuantity", 422
            )
        return {
            "value_quantity": Decimal(str(quantity["value"])),
            "value_unit": quantity.get("unit", ""),
            "value_ucum": quantity.get("code", "")
            if quantity.get("system") in (None, UCUM)
            else "",
        }
    if "valueCodeableConcept" in resource:
        return {"value_concept": resource["valueCodeableConcept"]}
    if "valueString" in resource:
        return {"value_text": resource["valueString"]}
    return {}


def _effective(resource: Resource) -> Any:
    if "effectiveDateTime" in resource:
        return validate.fhir_datetime(
            resource["effectiveDateTime"], "Observation.effectiveDateTime"
        )
    if "effectiveInstant" in resource:
        return validate.fhir_datetime(resource["effectiveInstant"], "Observation.effectiveInstant")
    if "effectivePeriod" in resource and resource["effectivePeriod"].get("start"):
        start = resource["effectivePeriod"]["start"]
        return validate.fhir_datetime(start, "Observation.effectivePeriod.start")
    return None


def fields_from(resource: Resource) -> dict[str, Any]:
    validate.structure(resource, FhirObservation, "Observation")
    status = check(
        validate.required(resource, "status", "Observation"),
        OBSERVATION_STATUS,
        "Observation.status",
    )
    fields: dict[str, Any] = {
        "status": status,
        "category": _category(resource),
        **_code(resource),
        "effective_at": _effective(resource),
        **_value(resource),
        "components": resource.get("component", []),
    }
    if "issued" in resource:
        fields["issued_at"] = validate.fhir_datetime(resource["issued"], "Observation.issued")
    return fields


def create(actor: Actor, resource: Resource) -> Observation:
    fields = fields_from(resource)
    patient = validate.subject_patient(actor, resource, "subject", "Observation")
    try:
        return observation_record(actor=actor, patient=patient, **fields)
    except ValidationError as error:
        raise validate.model_errors(error, ELEMENTS) from None


register(
    ResourceType(
        name="Observation",
        read_perm=Perm.VIEW_CLINICAL,
        sources=(STORED, *SCORES),
        includes=(
            Include("patient", "subject", "Patient"),
            Include("subject", "subject", "Patient"),
            Include("derived-from", "derivedFrom", "QuestionnaireResponse"),
        ),
        create=create,
        create_perm=Perm.RECORD_OUTCOME,
    )
)
