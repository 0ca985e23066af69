"""Courses with pain NRS outcomes, built through the services, for the outcomes-page tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.utils import timezone

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import Patient, TreatmentCourse
from prolo.clinic.permissions import Actor
from prolo.clinic.services.patients import patient_register
from prolo.clinic.services.questionnaires import questionnaire_record
from prolo.clinic.services.sessions import note_sign
from prolo.testing import add_injection, complete_checklist, give_consent, make_course, make_note

REASON = "Discussed with the patient; the benefit outweighs the cautions."


def pain(actor: Actor, course: TreatmentCourse, value: int, timepoint: str) -> None:
    questionnaire_record(
        actor=actor,
        patient=course.patient,
        course=course,
        instrument="pain_nrs",
        timepoint=timepoint,
        answers={"pain": value},
        answered_on=clinic_today(actor.clinic),
    )


def sign_session(actor: Actor, course: TreatmentCourse, number: int = 1, **injection: Any) -> None:
    """Check, inject and sign session `number`; a later one is signed once its time has come."""
    session = course.sessions.get(number=number)
    when = max(timezone.now(), session.scheduled_at)
    with time_machine.travel(when, tick=False):
        complete_checklist(actor, session, acknowledgement=REASON)
        note = make_note(actor, session)
        add_injection(actor, note, **injection)
        note_sign(actor=actor, note=note)


def treated_course(
    actor: Actor,
    patient: Patient,
    baseline: int | None,
    follow_up: int | None,
    *,
    signed: int = 1,
    follow_up_at: str = "fu-6w",
    **course_fields: Any,
) -> TreatmentCourse:
    """A course with (optionally) a pain NRS baseline, `signed` signed sessions, a follow-up."""
    course = make_course(actor, patient, acknowledgement=REASON, **course_fields)
    give_consent(actor, course)
    if baseline is not None:
        pain(actor, course, baseline, "baseline")
    for number in range(1, signed + 1):
        sign_session(actor, course, number)
    if follow_up is not None:
        pain(actor, course, follow_up, follow_up_at)
    return course


def another_patient(actor: Actor, n: int, **fields: Any) -> Patient:
    values: dict[str, Any] = {
        "mrn": f"R-9{n:03d}",
        "given_name": f"Given{n}",
        "family_name": f"Family{n}",
        "date_of_birth": dt.date(1950 + n, 3, 15),
        "sex": "male",
    }
    return patient_register(actor=actor, **(values | fields))
