"""Observations recorded through the FHIR API (imported ones come from fhir_import)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from prolo.clinic.access import require
from prolo.clinic.models import Observation, ObservationSource, Patient
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import create_audited
from prolo.clinic.services.fields import pick

OBSERVATION_FIELDS = (
    "status",
    "category",
    "system",
    "concept",
    "display",
    "effective_at",
    "issued_at",
    "value_quantity",
    "value_unit",
    "value_ucum",
    "value_concept",
    "value_text",
    "components",
)


@transaction.atomic
def observation_record(*, actor: Actor, patient: Patient, **fields: Any) -> Observation:
    """Store an observation a client sent (e.g. a pain score from a device or an app).

    Recording outcomes is the permission it needs: the same people who record scores.
    """
    require(actor, Perm.RECORD_OUTCOME)
    observation = Observation(
        patient=patient,
        source=ObservationSource.API,
        created_by=actor.user,
        **pick(fields, OBSERVATION_FIELDS),
    )
    return create_audited(actor=actor, instance=observation, patient=patient)
