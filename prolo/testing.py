"""Small helpers that build clinical records through the services, for any test.

Each helper goes through the same audited service a view would call, so the audit trail of a
test's data is real. Defaults describe one plausible knee case; pass keyword overrides for the
field a test is about. The named cast (alice, nora, pat …) lives in `prolo/conftest.py`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from prolo.clinic.clock import clinic_day, clinic_now, clinic_today
from prolo.clinic.models import (
    Checklist,
    Clinic,
    Consent,
    Evaluation,
    Injection,
    Membership,
    Patient,
    ProcedureNote,
    TreatmentCourse,
    TreatmentSession,
    User,
)
from prolo.clinic.permissions import Actor
from prolo.clinic.services.consent import (
    consent_defaults_install,
    consent_record_in_clinic,
    current_document,
)
from prolo.clinic.services.courses import course_plan
from prolo.clinic.services.evaluations import evaluation_record
from prolo.clinic.services.sessions import checklist_save, injection_add, note_save, note_sign
from prolo.clinic.sites import SITES_BY_CODE

NO_BASELINE_REASON = "Referred late; the baseline pain score is in the evaluation."
# Sites used, in turn, by signed_session's injections.
KNEE_SITES = ("knee-mcl", "knee-pes", "knee-coronary", "knee-ia", "knee-patellar-tendon")


def actor(user: User, clinic: Clinic) -> Actor:
    """The Actor a view would build for `user` working in `clinic`."""
    membership = Membership.objects.get(user=user, clinic=clinic)
    return Actor(user=user, clinic=clinic, role=membership.role)


def make_evaluation(actor: Actor, patient: Patient, **overrides: Any) -> Evaluation:
    fields: dict[str, Any] = {
        "evaluated_on": clinic_today(actor.clinic),
        "referral_source": "GP referral",
        "presenting_complaint": "Left medial knee pain on stairs and after walking.",
        "pain_onset": "Gradual, after a skiing fall in 2022",
        "pain_duration_months": 24,
        "baseline_pain": 6,
        "target_region": "knee",
        "laterality": "left",
        "target_structures": ["ligament", "joint"],
        "examination_findings": "Tender MCL origin, valgus laxity grade 1, small effusion.",
        "working_diagnosis": "Left MCL sprain with early medial compartment osteoarthritis",
        "eligibility": "eligible",
        "eligibility_reasons": "Chronic ligament pain, 6 months of physiotherapy without relief.",
        "alternatives_discussed": "Exercise, weight management, bracing, steroid injection.",
    }
    fields.update(overrides)
    return evaluation_record(actor=actor, patient=patient, **fields)


def make_course(
    actor: Actor, patient: Patient, evaluation: Evaluation | None = None, **overrides: Any
) -> TreatmentCourse:
    """Plan a dextrose course (3 sessions, 28 days apart, from today at 09:00).

    Before 09:00 a course starting today starts now instead: a note is never signed before
    its session's time, and tests sign the first session's note at once.
    """
    if evaluation is None:
        evaluation = make_evaluation(actor, patient)
    start = overrides.get("start_date", clinic_today(actor.clinic))
    fields: dict[str, Any] = {
        "course_type": "dextrose",
        "target_region": "knee",
        "laterality": "left",
        "targets": "MCL, pes anserine, medial joint line",
        "planned_sessions": 3,
        "interval_days": 28,
        "start_date": start,
        "first_session_time": _first_session_time(actor, start),
        "practitioner": actor.user,
        "room": "Room 1",
    }
    fields.update(overrides)
    return course_plan(actor=actor, patient=patient, evaluation=evaluation, **fields)


def _first_session_time(actor: Actor, start: dt.date) -> dt.time:
    now = clinic_now(actor.clinic)
    if start == now.date() and now.time() < dt.time(9, 0):
        return now.time().replace(second=0, microsecond=0)
    return dt.time(9, 0)


def complete_checklist(
    actor: Actor,
    session: TreatmentSession,
    weight_kg: Decimal = Decimal("72.5"),
    **screening: Any,
) -> Checklist:
    """Tick every item; `screening` passes `answers` or a physician's `acknowledgement`, or
    replaces an item.

    Anti-inflammatories were stopped a week before the session (or before today, for a later
    session), longer than the clinic's hold. A course's first session without a baseline
    questionnaire goes ahead without one, with a reason (pass `no_baseline_reason=""` to leave
    it undecided).
    """
    day = min(clinic_day(actor.clinic, session.scheduled_at), clinic_today(actor.clinic))
    items: dict[str, Any] = {
        "identity_confirmed": True,
        "consent_on_file": True,
        "nsaids_stopped_on": day - dt.timedelta(days=7),
        "protein_meal": True,
        "contraindications_rechecked": True,
        "site_marked": True,
        "no_baseline_reason": NO_BASELINE_REASON,
    }
    return checklist_save(actor=actor, session=session, weight_kg=weight_kg, **items | screening)


def make_note(actor: Actor, session: TreatmentSession, **overrides: Any) -> ProcedureNote:
    fields: dict[str, Any] = {
        "antisepsis": "chlorhexidine_alcohol",
        "numbing": "infiltration",
        "heat_pack_minutes": 10,
        "observations": "Tolerated well; no vasovagal symptoms.",
        "complications": "",
        "aftercare_given": "Avoid anti-inflammatories; walk daily; expect soreness 2-3 days.",
    }
    fields.update(overrides)
    return note_save(actor=actor, session=session, **fields)


def add_injection(actor: Actor, note: ProcedureNote, **overrides: Any) -> Injection:
    site = SITES_BY_CODE.get(overrides.get("site_code", "knee-mcl"))
    fields: dict[str, Any] = {
        "site_code": "knee-mcl",
        "side": "left",
        "structure": site.structure if site else "ligament",  # the site's own by default
        "guidance": "landmark",
        "needle_gauge": 27,
        "needle_length_mm": 38,
        "dextrose_percent": Decimal("15"),
        "anaesthetic": "lidocaine",
        "anaesthetic_percent": Decimal("0.5"),
        "diluent": "saline",
        "lot": "L123",
        "volume_ml": Decimal("1.0"),
    }
    fields.update(overrides)
    return injection_add(actor=actor, note=note, **fields)


def give_consent(actor: Actor, course: TreatmentCourse) -> Consent:
    """Record the patient's in-clinic signature on the course type's current consent.

    A course's first session cannot be signed without it; `actor` must be allowed to record
    it (a physician or nurse). The clinic's default documents are installed if needed.
    """
    consent_defaults_install(actor=actor)
    patient = course.patient
    document = current_document(actor.clinic, course.course_type, patient.preferred_language)
    assert document is not None
    return consent_record_in_clinic(
        actor=actor, course=course, document=document, typed_name=patient.full_name, confirmed=True
    )


def signed_session(actor: Actor, patient: Patient, injections: int = 3) -> TreatmentSession:
    """Plan a course, record consent and sign its first session's note; returns that session.

    `actor` must be allowed to plan, check, inject and sign: a physician.
    """
    # A patient with cautions (say, an anticoagulant) is treated with the physician's reason.
    reason = "Discussed with the patient; the benefit outweighs the cautions."
    course = make_course(actor, patient, acknowledgement=reason)
    give_consent(actor, course)
    session = course.sessions.get(number=1)
    complete_checklist(actor, session, acknowledgement=reason)
    note = make_note(actor, session)
    for i in range(injections):
        site = SITES_BY_CODE[KNEE_SITES[i % len(KNEE_SITES)]]
        add_injection(actor, note, site_code=site.code, structure=site.structure)
    note_sign(actor=actor, note=note)
    return TreatmentSession.objects.select_related("course__patient", "note").get(pk=session.pk)
