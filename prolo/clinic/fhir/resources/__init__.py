"""Every FHIR type Prolo serves: importing this package registers them all (registry.py)."""

from prolo.clinic.fhir.resources import (  # noqa: F401
    adverse_event,
    appointment,
    careplan,
    condition,
    consent,
    document_reference,
    encounter,
    medication_administration,
    observation,
    organization,
    patient,
    practitioner,
    procedure,
    questionnaire,
    questionnaire_response,
)
