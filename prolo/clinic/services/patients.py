from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from prolo.clinic.access import require
from prolo.clinic.clock import clinic_today
from prolo.clinic.models import (
    Allergy,
    AuditAction,
    Clinic,
    Condition,
    Medication,
    Patient,
    WeightMeasurement,
)
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import audit_log, create_audited, snapshot, update_audited
from prolo.clinic.services.fields import pick

OLDEST_PLAUSIBLE_AGE_YEARS = 130
DEMOGRAPHIC_FIELDS = (
    "mrn",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "email",
    "phone",
    "address",
    "preferred_language",
)
HISTORY_FLAG_FIELDS = (
    "pregnancy",
    "diabetes",
    "immunosuppressed",
    "bleeding_disorder",
    "hepatic_disease",
    "cardiac_disease",
)
# The coded fields arrive through FHIR (create or import); the staff form sets the first four.
CONDITION_FIELDS = (
    "name",
    "onset",
    "active",
    "notes",
    "system",
    "concept",
    "onset_date",
    "abatement_date",
)
MEDICATION_FIELDS = ("name", "dose", "drug_class", "active")
ALLERGY_FIELDS = ("substance", "category", "reaction")


def _check_date_of_birth(born: dt.date, clinic: Clinic) -> None:
    today = clinic_today(clinic)
    if born > today:
        raise ValidationError({"date_of_birth": "Date of birth cannot be in the future."})
    if today.year - born.year > OLDEST_PLAUSIBLE_AGE_YEARS:
        raise ValidationError(
            {"date_of_birth": f"Date of birth is more than {OLDEST_PLAUSIBLE_AGE_YEARS} years ago."}
        )


def _check_mrn_free(actor: Actor, mrn: str, exclude_pk: int | None = None) -> None:
    taken = Patient.objects.filter(clinic=actor.clinic, mrn__iexact=mrn)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"mrn": f"MRN {mrn} is already used by another patient."})


@transaction.atomic
def patient_register(*, actor: Actor, **fields: Any) -> Patient:
    require(actor, Perm.EDIT_DEMOGRAPHICS)
    fields = pick(fields, DEMOGRAPHIC_FIELDS)
    _check_date_of_birth(fields["date_of_birth"], actor.clinic)
    _check_mrn_free(actor, fields["mrn"])
    patient = Patient(clinic=actor.clinic, **fields)
    return create_audited(actor=actor, instance=patient, patient=patient)


@transaction.atomic
def patient_update(*, actor: Actor, patient: Patient, **fields: Any) -> Patient:
    require(actor, Perm.EDIT_DEMOGRAPHICS)
    fields = pick(fields, DEMOGRAPHIC_FIELDS)
    if "date_of_birth" in fields:
        _check_date_of_birth(fields["date_of_birth"], actor.clinic)
    if "mrn" in fields:
        _check_mrn_free(actor, fields["mrn"], exclude_pk=patient.pk)
    return update_audited(actor=actor, instance=patient, patient=patient, changes=fields)


@transaction.atomic
def patient_history_update(*, actor: Actor, patient: Patient, **flags: Any) -> Patient:
    require(actor, Perm.EDIT_HISTORY)
    changes = pick(flags, HISTORY_FLAG_FIELDS)
    return update_audited(actor=actor, instance=patient, patient=patient, changes=changes)


@transaction.atomic
def weight_record(
    *,
    actor: Actor,
    patient: Patient,
    weight_kg: Decimal,
    measured_on: dt.date | None = None,
    height_cm: Decimal | None = None,
) -> WeightMeasurement:
    """A dated weight, and the height with it when measured (for ideal-weight dosing)."""
    require(actor, Perm.EDIT_HISTORY)
    today = clinic_today(actor.clinic)
    measured_on = measured_on or today
    if measured_on > today:
        raise ValidationError({"measured_on": "A weight cannot be measured in the future."})
    weight = WeightMeasurement(
        patient=patient,
        weight_kg=weight_kg,
        measured_on=measured_on,
        height_cm=height_cm,
        recorded_by=actor.user,
    )
    return create_audited(actor=actor, instance=weight, patient=patient)


@transaction.atomic
def condition_add(*, actor: Actor, patient: Patient, **fields: Any) -> Condition:
    require(actor, Perm.EDIT_HISTORY)
    condition = Condition(patient=patient, **pick(fields, CONDITION_FIELDS))
    return create_audited(actor=actor, instance=condition, patient=patient)


@transaction.atomic
def medication_add(*, actor: Actor, patient: Patient, **fields: Any) -> Medication:
    require(actor, Perm.EDIT_HISTORY)
    medication = Medication(patient=patient, **pick(fields, MEDICATION_FIELDS))
    return create_audited(actor=actor, instance=medication, patient=patient)


@transaction.atomic
def allergy_add(*, actor: Actor, patient: Patient, **fields: Any) -> Allergy:
    require(actor, Perm.EDIT_HISTORY)
    allergy = Allergy(patient=patient, **pick(fields, ALLERGY_FIELDS))
    return create_audited(actor=actor, instance=allergy, patient=patient)


@transaction.atomic
def allergy_remove(*, actor: Actor, allergy: Allergy) -> None:
    """Remove an allergy entered in error; the audit row keeps what it said."""
    require(actor, Perm.EDIT_HISTORY)
    audit_log(
        actor=actor,
        action=AuditAction.DELETE,
        obj=allergy,
        patient=allergy.patient,
        changes=snapshot(allergy),
    )
    allergy.delete()


@transaction.atomic
def history_item_set_active(
    *, actor: Actor, item: Condition | Medication, active: bool
) -> Condition | Medication:
    """Mark a condition resolved or a medication stopped; the entry stays in the history."""
    require(actor, Perm.EDIT_HISTORY)
    return update_audited(
        actor=actor, instance=item, patient=item.patient, changes={"active": active}
    )


@transaction.atomic
def chart_open(*, actor: Actor, patient: Patient, part: Model | None = None) -> None:
    """Every opening of a patient's chart, or a page of it (`part`), is audited."""
    require(actor, Perm.VIEW_DEMOGRAPHICS)
    audit_log(actor=actor, action=AuditAction.VIEW_CHART, obj=part or patient, patient=patient)
