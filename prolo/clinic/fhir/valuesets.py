"""The FHIR R4 value sets Prolo checks codes against (fhir.resources does not).

Only the value sets a mapper emits or a create accepts are here. `check` raises the usual
OperationOutcome naming the element and listing the allowed codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from prolo.fhir.http import invalid


@dataclass(frozen=True)
class ValueSet:
    url: str
    system: str
    codes: tuple[str, ...]

    def __contains__(self, code: object) -> bool:
        return code in self.codes


def _vs(name: str, system: str, *codes: str) -> ValueSet:
    return ValueSet(f"http://hl7.org/fhir/ValueSet/{name}", system, codes)


ADMINISTRATIVE_GENDER = _vs(
    "administrative-gender",
    "http://hl7.org/fhir/administrative-gender",
    "male",
    "female",
    "other",
    "unknown",
)
OBSERVATION_STATUS = _vs(
    "observation-status",
    "http://hl7.org/fhir/observation-status",
    "registered",
    "preliminary",
    "final",
    "amended",
    "corrected",
    "cancelled",
    "entered-in-error",
    "unknown",
)
OBSERVATION_CATEGORY = _vs(
    "observation-category",
    "http://terminology.hl7.org/CodeSystem/observation-category",
    "social-history",
    "vital-signs",
    "imaging",
    "laboratory",
    "procedure",
    "survey",
    "exam",
    "therapy",
    "activity",
)
CONDITION_CLINICAL = _vs(
    "condition-clinical",
    "http://terminology.hl7.org/CodeSystem/condition-clinical",
    "active",
    "recurrence",
    "relapse",
    "inactive",
    "remission",
    "resolved",
)
CONDITION_VERIFICATION = _vs(
    "condition-ver-status",
    "http://terminology.hl7.org/CodeSystem/condition-ver-status",
    "unconfirmed",
    "provisional",
    "differential",
    "confirmed",
    "refuted",
    "entered-in-error",
)
CONDITION_CATEGORY = _vs(
    "condition-category",
    "http://terminology.hl7.org/CodeSystem/condition-category",
    "problem-list-item",
    "encounter-diagnosis",
)
ENCOUNTER_STATUS = _vs(
    "encounter-status",
    "http://hl7.org/fhir/encounter-status",
    "planned",
    "arrived",
    "triaged",
    "in-progress",
    "onleave",
    "finished",
    "cancelled",
    "entered-in-error",
    "unknown",
)
REQUEST_STATUS = _vs(
    "request-status",
    "http://hl7.org/fhir/request-status",
    "draft",
    "active",
    "on-hold",
    "revoked",
    "completed",
    "entered-in-error",
    "unknown",
)
EVENT_STATUS = _vs(
    "event-status",
    "http://hl7.org/fhir/event-status",
    "preparation",
    "in-progress",
    "not-done",
    "on-hold",
    "stopped",
    "completed",
    "entered-in-error",
    "unknown",
)
QUESTIONNAIRE_RESPONSE_STATUS = _vs(
    "questionnaire-answers-status",
    "http://hl7.org/fhir/questionnaire-answers-status",
    "in-progress",
    "completed",
    "amended",
    "entered-in-error",
    "stopped",
)
PUBLICATION_STATUS = _vs(
    "publication-status", "http://hl7.org/fhir/publication-status", "draft", "active", "retired"
)


def check(value: object, valueset: ValueSet, element: str) -> str:
    """`value` if it is a code of `valueset`; else 422 naming `element` and the codes."""
    if not isinstance(value, str) or value not in valueset:
        allowed = ", ".join(valueset.codes)
        raise invalid(
            f"{element}: {value!r} is not in {valueset.url}; allowed codes: {allowed}.",
            element,
            status=422,
        )
    return value


def check_coding(concept: object, valueset: ValueSet, element: str) -> str:
    """The code of a CodeableConcept whose codings include one from `valueset` (422 otherwise).

    A coding of another system is allowed alongside, as FHIR allows; one of ours is required.
    """
    codings = concept.get("coding") if isinstance(concept, dict) else None
    if isinstance(codings, list):
        for coding in codings:
            if isinstance(coding, dict) and coding.get("system") == valueset.system:
                return check(coding.get("code"), valueset, f"{element}.coding.code")
    allowed = ", ".join(valueset.codes)
    raise invalid(
        f"{element}: needs a coding with system {valueset.system}; allowed codes: {allowed}.",
        element,
        status=422,
    )


def coding(valueset: ValueSet, code: str) -> dict[str, str]:
    return {"system": valueset.system, "code": code}


def concept(valueset: ValueSet, code: str) -> dict[str, list[dict[str, str]]]:
    return {"coding": [coding(valueset, code)]}
