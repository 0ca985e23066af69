"""Report, update and close adverse events; and the clinic's adverse-event rates."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prolo.clinic.access import require
from prolo.clinic.clock import clinic_day, clinic_today
from prolo.clinic.models import (
    AdverseEvent,
    AdverseEventType,
    AdverseOutcome,
    Clinic,
    Injection,
    NoteStatus,
    Patient,
    Seriousness,
    TreatmentSession,
)
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import create_audited, update_audited
from prolo.clinic.services.fields import pick

ADVERSE_EVENT_FIELDS = (
    "session",
    "injection",
    "event_type",
    "description",
    "onset_date",
    "grade",
    "serious",
    "seriousness_criteria",
    "expectedness",
    "actions_taken",
    "outcome",
    "follow_up_notes",
)


def _check(event: AdverseEvent, clinic: Clinic) -> None:
    """The rules across fields; each error names the field it is about."""
    errors: dict[str, str] = {}
    session, injection = event.session, event.injection
    if session is not None and session.course.patient_id != event.patient_id:
        errors["session"] = "Choose a session of this patient."
    if injection is not None:
        if session is None:
            errors["injection"] = "Choose the session of the injection too."
        elif injection.note.session_id != session.pk:
            errors["injection"] = "Choose an injection given in the chosen session."
    onset = event.onset_date
    if onset is not None:
        if onset > clinic_today(clinic):
            errors["onset_date"] = "The onset date cannot be in the future."
        elif session is not None and onset < clinic_day(clinic, session.scheduled_at):
            errors["onset_date"] = "The onset date cannot be before the session's date."
    if event.event_type == AdverseEventType.OTHER and not event.description.strip():
        errors["description"] = "Describe the event when its type is 'Other'."
    criteria = event.seriousness_criteria
    unknown = [c for c in criteria if c not in Seriousness.values]
    if unknown:
        errors["seriousness_criteria"] = "Choose seriousness criteria from the list."
    elif event.serious and not criteria:
        errors["seriousness_criteria"] = "A serious event needs at least one seriousness criterion."
    elif criteria and not event.serious:
        errors["serious"] = "Tick 'serious' when a seriousness criterion applies."
    fatal = event.outcome == AdverseOutcome.FATAL
    if event.grade == 5:
        if Seriousness.DEATH not in criteria:
            errors.setdefault(
                "seriousness_criteria",
                "A grade 5 event is a death: tick 'serious' and 'Resulted in death'.",
            )
        if not fatal:
            errors["outcome"] = "A grade 5 event is a death: the outcome is 'Fatal'."
    elif fatal or Seriousness.DEATH in criteria:
        errors["grade"] = "An event that resulted in death is CTCAE grade 5."
    if errors:
        raise ValidationError(errors)


def _refuse_if_closed(event: AdverseEvent) -> None:
    if event.is_closed:
        raise ValidationError("This adverse event is closed and can no longer be changed.")


@transaction.atomic
def adverse_event_report(*, actor: Actor, patient: Patient, **fields: Any) -> AdverseEvent:
    require(actor, Perm.REPORT_ADVERSE_EVENT)
    fields = pick(fields, ADVERSE_EVENT_FIELDS)
    event = AdverseEvent(patient=patient, reported_by=actor.user, **fields)
    _check(event, actor.clinic)
    return create_audited(actor=actor, instance=event, patient=patient)


@transaction.atomic
def adverse_event_update(*, actor: Actor, event: AdverseEvent, **fields: Any) -> AdverseEvent:
    require(actor, Perm.REPORT_ADVERSE_EVENT)
    event = AdverseEvent.objects.select_for_update().get(pk=event.pk)
    _refuse_if_closed(event)
    fields = pick(fields, ADVERSE_EVENT_FIELDS)
    for name, value in fields.items():
        setattr(event, name, value)
    _check(event, actor.clinic)
    # update_audited compares against the stored row, so start from a fresh copy.
    stored = AdverseEvent.objects.get(pk=event.pk)
    return update_audited(actor=actor, instance=stored, patient=stored.patient, changes=fields)


@transaction.atomic
def adverse_event_close(*, actor: Actor, event: AdverseEvent) -> AdverseEvent:
    require(actor, Perm.SIGN_NOTE)
    event = AdverseEvent.objects.select_for_update().get(pk=event.pk)
    _refuse_if_closed(event)
    if event.outcome == AdverseOutcome.UNKNOWN:
        raise ValidationError(
            {"outcome": "Record an outcome other than 'Unknown' before closing the event."}
        )
    changes = {"closed_at": timezone.now(), "closed_by": actor.user}
    return update_audited(actor=actor, instance=event, patient=event.patient, changes=changes)


@dataclass(frozen=True)
class AdverseEventRates:
    """Events over the clinic's signed sessions and the injections of those sessions."""

    events: int
    sessions: int
    injections: int

    @staticmethod
    def _rate(events: int, denominator: int) -> Decimal | None:
        if not denominator:
            return None
        return (Decimal(events) / Decimal(denominator)).quantize(Decimal("0.001"))

    @property
    def per_session(self) -> Decimal | None:
        return self._rate(self.events, self.sessions)

    @property
    def per_injection(self) -> Decimal | None:
        return self._rate(self.events, self.injections)


def adverse_event_rates(clinic: Clinic) -> AdverseEventRates:
    """Numerator: events linked to a signed session of the clinic; three COUNT queries."""
    signed = {"note__status": NoteStatus.SIGNED, "course__patient__clinic": clinic}
    return AdverseEventRates(
        events=AdverseEvent.objects.filter(
            patient__clinic=clinic, session__note__status=NoteStatus.SIGNED
        ).count(),
        sessions=TreatmentSession.objects.filter(**signed).count(),
        injections=Injection.objects.filter(
            note__status=NoteStatus.SIGNED, note__session__course__patient__clinic=clinic
        ).count(),
    )
