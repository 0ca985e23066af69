"""What the patient chart shows, fetched in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import (
    Allergy,
    Diabetes,
    Evaluation,
    Medication,
    Patient,
    Pregnancy,
    TreatmentCourse,
    TreatmentSession,
)
from prolo.clinic.outcome_display import outcomes_context
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.screening import latest_results


def alerts_for(
    patient: Patient, allergies: list[Allergy], medications: list[Medication]
) -> list[str]:
    """Safety-relevant facts a clinician must see before injecting."""
    alerts = [
        f"Allergy: {a.substance} ({a.get_category_display()})" for a in allergies if a.flagged
    ]
    alerts += [
        f"{m.get_drug_class_display()}: {m.name}" for m in medications if m.active and m.flagged
    ]
    if patient.bleeding_disorder:
        alerts.append("Bleeding disorder")
    if patient.pregnancy == Pregnancy.PREGNANT:
        alerts.append("Pregnant")
    if patient.diabetes == Diabetes.UNCONTROLLED:
        alerts.append("Diabetes, uncontrolled")
    if patient.immunosuppressed:
        alerts.append("Immunosuppressed")
    return alerts


def _courses(patient: Patient) -> list[TreatmentCourse]:
    sessions = TreatmentSession.objects.select_related("practitioner", "checklist", "note")
    return list(
        patient.courses.select_related("evaluation").prefetch_related(
            Prefetch("sessions", queryset=sessions.order_by("number"))
        )
    )


def chart_context(actor: Actor, patient: Patient) -> dict[str, Any]:
    courses = _courses(patient)
    now = timezone.now()
    upcoming = [
        s
        for c in courses
        for s in c.sessions.all()
        if s.status == "scheduled" and s.scheduled_at >= now
    ]
    context: dict[str, Any] = {
        "patient": patient,
        "age": patient.age_on(clinic_today(actor.clinic)),
        "courses": courses,
        "next_session": min(upcoming, key=lambda s: s.scheduled_at, default=None),
        "can_clinical": actor.can(Perm.VIEW_CLINICAL),
        "can_edit_demographics": actor.can(Perm.EDIT_DEMOGRAPHICS),
        "can_edit_history": actor.can(Perm.EDIT_HISTORY),
        "can_evaluate": actor.can(Perm.RECORD_EVALUATION),
        "can_plan": actor.can(Perm.PLAN_COURSE),
        "can_audit": actor.can(Perm.VIEW_AUDIT),
        "can_report_adverse_event": actor.can(Perm.REPORT_ADVERSE_EVENT),
        "can_record_outcome": actor.can(Perm.RECORD_OUTCOME),
    }
    if not context["can_clinical"]:
        return context
    allergies = list(patient.allergies.all())
    medications = [m for m in patient.medications.all() if m.active]
    context.update(
        allergies=allergies,
        medications=medications,
        conditions=list(patient.conditions.all()),
        latest_weight=patient.weights.first(),
        evaluations=list(
            Evaluation.objects.filter(patient=patient)
            .select_related("clinician")
            .prefetch_related("imaging")
        ),
        alerts=alerts_for(patient, allergies, medications),
        screenings=latest_results(c for c in courses if c.is_open),
        **outcomes_context(actor, patient, courses),
    )
    return context
