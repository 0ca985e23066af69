from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from django.db import models
from django.db.models.fields.files import FieldFile

from prolo.clinic.models import AuditAction, AuditEvent, Clinic, Patient, User

M = TypeVar("M", bound=models.Model)


class Auditor(Protocol):
    """Who acts: a staff Actor, or a patient in the portal (portal_access.PatientActor)."""

    @property
    def user(self) -> User: ...

    @property
    def clinic(self) -> Clinic: ...


# Fields that are bookkeeping, not clinical content.
_SKIPPED = {"id", "code", "created_at", "recorded_at"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time | Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(getattr(value, "code", value.pk))
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in _SKIPPED:
            continue
        value = getattr(instance, field.attname)
        values[field.name] = _jsonable(value)
    return values


def audit_log(
    *,
    actor: Auditor,
    action: AuditAction,
    obj: models.Model,
    patient: Patient | None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    event = _event(actor, action, obj, patient, changes or {})
    event.save(force_insert=True)
    return event


def _event(
    actor: Auditor,
    action: AuditAction,
    obj: models.Model,
    patient: Patient | None,
    changes: dict[str, Any],
) -> AuditEvent:
    """The unsaved audit row for `actor` doing `action` to `obj` of `patient`."""
    return AuditEvent(
        clinic=actor.clinic,
        actor=actor.user,
        patient=patient,
        action=action,
        object_type=obj._meta.model_name or "",
        object_code=str(getattr(obj, "code", obj.pk)),
        changes=changes,
    )


def create_audited(
    *,
    actor: Auditor,
    instance: M,
    patient: Patient | None,
    action: AuditAction = AuditAction.CREATE,
) -> M:
    """Validate, insert and audit a new row. Call inside the service's transaction."""
    instance.full_clean()
    instance.save(force_insert=True)
    audit_log(
        actor=actor,
        action=action,
        obj=instance,
        patient=patient,
        changes=snapshot(instance),
    )
    return instance


def update_audited(
    *,
    actor: Auditor,
    instance: M,
    patient: Patient | None,
    changes: dict[str, Any],
    action: AuditAction = AuditAction.UPDATE,
) -> M:
    """Apply `changes`, validate, save only the changed fields, and audit old → new."""
    before = snapshot(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.full_clean()
    after = snapshot(instance)
    changed = {
        name: [before[name], after[name]]
        for name in changes
        if name in after and before.get(name) != after[name]
    }
    if changed or action != AuditAction.UPDATE:
        instance.save(update_fields=[instance._meta.get_field(n).name for n in changes])
        audit_log(actor=actor, action=action, obj=instance, patient=patient, changes=changed)
    return instance


def audit_log_each(
    *,
    actor: Auditor,
    action: AuditAction,
    entries: list[tuple[models.Model, Patient | None, dict[str, Any]]],
) -> list[AuditEvent]:
    """One audit row per (object, patient, changes), inserted together.

    For a read across many patients (an identified export): each patient's trail shows it,
    at one INSERT per batch rather than one per patient.
    """
    return AuditEvent.objects.bulk_create(
        _event(actor, action, obj, patient, changes) for obj, patient, changes in entries
    )
