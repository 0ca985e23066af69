"""Build the demo clinics from `demo_data`, through the same audited services the views call.

Acting as the demo staff means the demo has an audit trail and passes the same validation.
Past visits are recorded as of their own day (`_clock`), so dates, signatures, weights and the
audit trail agree. Dates are relative to today and nothing is random.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from unittest import mock

from django.db import transaction
from django.utils import timezone

from prolo.clinic.clock import clinic_today
from prolo.clinic.demo_data import (
    DEMO_PASSWORD,
    HILLTOP,
    HILLTOP_CASES,
    PORTAL_PATIENTS,
    RIVERSIDE,
    RIVERSIDE_CASES,
    STAFF,
    Case,
    History,
    Plan,
    Seen,
)
from prolo.clinic.models import (
    Anaesthetic,
    Antisepsis,
    Clinic,
    CourseStatus,
    Evaluation,
    MedicationClass,
    Patient,
    Pregnancy,
    ProcedureNote,
    Role,
    Sex,
    TreatmentCourse,
    TreatmentSession,
)
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.outcomes.schedule import add_offset
from prolo.clinic.permissions import Actor
from prolo.clinic.services.articles import articles_install_defaults
from prolo.clinic.services.clinics import clinic_create, membership_add, staff_user_create
from prolo.clinic.services.consent import (
    consent_defaults_install,
    consent_record_in_clinic,
    current_document,
)
from prolo.clinic.services.courses import course_plan, course_set_status
from prolo.clinic.services.evaluations import evaluation_record
from prolo.clinic.services.patients import (
    allergy_add,
    condition_add,
    medication_add,
    patient_history_update,
    patient_register,
    weight_record,
)
from prolo.clinic.services.portal_accounts import invitation_accept, invitation_send
from prolo.clinic.services.questionnaires import questionnaire_record
from prolo.clinic.services.sessions import (
    checklist_save,
    injection_add,
    note_amend,
    note_save,
    note_sign,
)

__all__ = ["DEMO_PASSWORD", "demo_logins", "demo_portal_logins", "load_demo"]

# Older than the oldest demo visit, so every consent is to a version already published.
CONSENT_DOCUMENTS_AGE_DAYS = 730


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, clinic) of every staff demo login; all share DEMO_PASSWORD."""
    return [(s.username, Role(s.role).label, s.clinic) for s in STAFF]


def demo_portal_logins() -> list[tuple[str, str, str]]:
    """(email, who, clinic) of the demo patients with a portal account (DEMO_PASSWORD)."""
    patients = Patient.objects.filter(mrn__in=PORTAL_PATIENTS, account__isnull=False)
    return [
        (p.email, f"Patient, portal /portal/ ({p.get_preferred_language_display()})", RIVERSIDE)
        for p in patients.order_by("mrn")
    ]


@dataclass(frozen=True)
class Cast:
    """Who does what: reception registers, the nurse takes history and runs checklists."""

    physician: Actor
    nurse: Actor
    physio: Actor
    reception: Actor


@contextmanager
def _clock(moment: dt.datetime) -> Iterator[None]:
    """Run the services as if it were `moment`: a past visit is dated and audited on its day.

    The services stamp dates, signatures and audit rows with timezone.now(); moving that clock
    records history as it would have happened, without past-dated entry points in the services.
    """
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def _local(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))


def _clinic_day(day: dt.date, today: dt.date) -> dt.date:
    """Move a weekend day to the nearest weekday on the same side of today."""
    step = dt.timedelta(days=-1 if day < today else 1)
    while day != today and day.weekday() >= 5:
        day += step
    return day


def _first_session_day(plan: Plan, today: dt.date) -> dt.date:
    if plan.start is None:
        return today - dt.timedelta(days=plan.signed * plan.protocol.interval_days)
    return _clinic_day(today + dt.timedelta(days=plan.start), today)


def _email(given: str, family: str) -> str:
    def fold(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return text.lower().replace(" ", "")

    return f"{fold(given)}.{fold(family)}@example.com"


def _register(cast: Cast, case: Case, number: int, on: dt.date) -> Patient:
    person = case.person
    town = cast.reception.clinic.name.split()[0]
    streets = ("Willow Lane", "Ferry Road", "Mill Street", "Orchard Close", "Quayside")
    with _clock(_local(on, dt.time(9, 10))):
        return patient_register(
            actor=cast.reception,
            mrn=person.mrn,
            given_name=person.given_name,
            family_name=person.family_name,
            date_of_birth=dt.date.fromisoformat(person.born),
            sex=person.sex,
            email=_email(person.given_name, person.family_name),
            phone=f"07700 900{number:03d}",
            address=f"{number + 2} {streets[number % len(streets)]}, {town}",
            preferred_language=person.language,
        )


def _record_history(actor: Actor, patient: Patient, history: History, on: dt.date) -> None:
    if patient.sex == Sex.MALE or patient.age_on(on) >= 55:
        pregnancy = Pregnancy.NOT_APPLICABLE
    else:
        pregnancy = Pregnancy.PREGNANT if history.pregnant else Pregnancy.NOT_PREGNANT
    patient_history_update(
        actor=actor, patient=patient, diabetes=history.diabetes, pregnancy=pregnancy
    )
    for name, onset in history.conditions:
        condition_add(actor=actor, patient=patient, name=name, onset=onset)
    for name, dose, drug_class in history.medications:
        medication_add(actor=actor, patient=patient, name=name, dose=dose, drug_class=drug_class)
    for substance, category, reaction in history.allergies:
        allergy_add(
            actor=actor, patient=patient, substance=substance, category=category, reaction=reaction
        )
    if history.weight_kg:
        weight_record(actor=actor, patient=patient, weight_kg=Decimal(history.weight_kg))


def _checklist(
    cast: Cast, session: TreatmentSession, history: History, state: str, reason: str = ""
) -> None:
    """Fill in the checklist as far as `state` (see Plan.checklist).

    The nurse screens; a caution she finds is then acknowledged by the physician with `reason`.
    """
    items: dict[str, Any] = {"consent_on_file": True}
    weight = None
    if state != "consent":
        patient = session.course.patient
        day = timezone.localtime(session.scheduled_at).date()
        if patient.medications.filter(active=True, drug_class=MedicationClass.NSAID).exists():
            items["nsaids_stopped_on"] = day - dt.timedelta(days=7)
        else:
            items["takes_no_nsaids"] = True
        items["identity_confirmed"] = True
        weight = Decimal(history.weight_kg)
    if state in ("complete", "note"):
        items |= {"protein_meal": True, "contraindications_rechecked": True, "site_marked": True}
    checklist = checklist_save(actor=cast.nurse, session=session, weight_kg=weight, **items)
    if reason and items.get("contraindications_rechecked") and not checklist.is_complete:
        checklist_save(
            actor=cast.physician,
            session=session,
            contraindications_rechecked=True,
            acknowledgement=reason,
        )


def _sides(laterality: str) -> tuple[str, ...]:
    return {"bilateral": ("left", "right"), "midline": ("midline",)}.get(laterality, (laterality,))


def _write_note(cast: Cast, session: TreatmentSession, plan: Plan) -> ProcedureNote:
    protocol = plan.protocol
    observation = protocol.observations[(session.number - 1) % len(protocol.observations)]
    note = note_save(
        actor=cast.physician,
        session=session,
        antisepsis=Antisepsis.CHLORHEXIDINE,
        numbing=protocol.numbing,
        heat_pack_minutes=protocol.heat_pack_minutes,
        observations=f"{observation} {plan.observation}".strip(),
        aftercare_given=protocol.aftercare,
    )
    lot = f"DX-{timezone.localtime(session.scheduled_at):%y%m}{session.number:02d}"
    for side in _sides(session.course.laterality):
        for shot in protocol.shots:
            injection_add(
                actor=cast.physician,
                note=note,
                site_code=shot.site,
                site_detail=shot.detail,
                side=side,
                structure=shot.structure,
                guidance=shot.guidance,
                needle_gauge=shot.gauge,
                needle_length_mm=shot.length_mm,
                dextrose_percent=Decimal(shot.dextrose),
                anaesthetic=Anaesthetic.LIDOCAINE if shot.lidocaine != "0" else Anaesthetic.NONE,
                anaesthetic_percent=Decimal(shot.lidocaine),
                diluent=shot.diluent,
                lot=lot,
                volume_ml=Decimal(shot.volume),
            )
    return note


def _perform(cast: Cast, session: TreatmentSession, case: Case, plan: Plan) -> None:
    """A past visit: pain score, checklist, note and signature, each at its own time that day."""
    start = session.scheduled_at
    if session.number > 1:
        with _clock(start - dt.timedelta(minutes=20)):
            _answer(cast, session.course, "pain_nrs", f"session-{session.number}")
    with _clock(start - dt.timedelta(minutes=10)):
        _checklist(cast, session, case.history, "complete", plan.observation)
    with _clock(start + dt.timedelta(minutes=10)):
        note = _write_note(cast, session, plan)
    with _clock(start + dt.timedelta(minutes=40)):
        note = note_sign(actor=cast.physician, note=note)
    if session.number == 1 and plan.amendment:
        reason, text = plan.amendment
        with _clock(start + dt.timedelta(days=2, hours=1)):
            note_amend(actor=cast.physician, note=note, reason=reason, text=text)


def _course(cast: Cast, evaluation: Evaluation, case: Case, plan: Plan, today: dt.date) -> None:
    protocol, patient = plan.protocol, evaluation.patient
    with _clock(_local(evaluation.evaluated_on, dt.time(11, 30))):
        course = course_plan(
            actor=cast.physician,
            patient=patient,
            evaluation=evaluation,
            first_session_time=plan.time,
            practitioner=cast.physician.user,
            room=f"Room {1 + len(patient.family_name) % 2}",
            course_type=protocol.course_type,
            target_region=protocol.region,
            laterality=evaluation.laterality,
            targets=protocol.targets,
            planned_sessions=protocol.sessions,
            interval_days=protocol.interval_days,
            start_date=_first_session_day(plan, today),
            acknowledgement=plan.observation,  # the reason to go ahead despite a caution
            outcome_instruments=["pain_nrs", "koos"] if protocol.region == "knee" else ["pain_nrs"],
        )
        sessions = list(course.sessions.select_related("course__patient"))
        if plan.signed:
            _consent(cast, course)  # signed in clinic as the course was planned
        if evaluation.evaluated_on <= today:
            for code in course.outcome_instruments:
                _answer(cast, course, code, "baseline")
        if plan.status == CourseStatus.PLANNED and plan.checklist:
            _checklist(cast, sessions[0], case.history, "consent")  # consented at evaluation
    for session in sessions[: plan.signed]:
        _perform(cast, session, case, plan)
    _finish(cast, course, sessions, case.history, plan, today)
    if plan.status == CourseStatus.COMPLETED:
        _follow_ups(cast, course, sessions[-1], today)


def _consent(cast: Cast, course: TreatmentCourse) -> None:
    patient = course.patient
    document = current_document(patient.clinic, course.course_type, patient.preferred_language)
    assert document is not None, "load_demo installs the consent documents first"
    consent_record_in_clinic(
        actor=cast.nurse,
        course=course,
        document=document,
        typed_name=patient.full_name,
        confirmed=True,
    )


# How much better a course's patient gets, by the patient's family name: a clinic's mix of
# clear responders, partial ones and a non-responder, the same on every load.
IMPROVEMENT = (0.6, 0.3, -0.1)


def _share(course: TreatmentCourse) -> float:
    return IMPROVEMENT[len(course.patient.family_name) % len(IMPROVEMENT)]


def _nrs(course: TreatmentCourse, baseline: int, timepoint: str) -> int:
    """Pain at a time point: sessions move part of the way, follow-ups the whole way."""
    if timepoint == "baseline":
        return baseline
    if timepoint.startswith("session-"):
        done = int(timepoint.removeprefix("session-")) - 1
        fraction = done / (course.planned_sessions + 1)
    else:
        fraction = 1.0
    return max(0, min(10, round(baseline * (1 - _share(course) * fraction))))


def _answer(cast: Cast, course: TreatmentCourse, code: str, timepoint: str) -> None:
    """The patient answers with the nurse: the NRS on the trajectory, KOOS items to match."""
    baseline = course.evaluation.baseline_pain if course.evaluation else 6
    pain = _nrs(course, baseline if baseline is not None else 6, timepoint)
    instrument = INSTRUMENTS[code]
    if code == "pain_nrs":
        answers = {"pain": pain}
    else:  # KOOS: each item 0 (no problem) to 4 (extreme), following the pain score
        answers = {item.id: round(pain * item.high / 10) for item in instrument.items}
    questionnaire_record(
        actor=cast.nurse,
        patient=course.patient,
        course=course,
        instrument=code,
        timepoint=timepoint,
        answers=answers,
        answered_on=clinic_today(course.patient.clinic),
    )


def _follow_ups(
    cast: Cast, course: TreatmentCourse, last: TreatmentSession, today: dt.date
) -> None:
    """The follow-ups whose day has come, answered on that day."""
    last_day = timezone.localtime(last.scheduled_at).date()
    for offset in course.follow_ups:
        day = add_offset(last_day, offset)
        if day > today:
            break
        with _clock(_local(day, dt.time(14, 0))):
            for code in course.outcome_instruments:
                _answer(cast, course, code, f"fu-{offset}")


def _finish(
    cast: Cast,
    course: TreatmentCourse,
    sessions: list[TreatmentSession],
    history: History,
    plan: Plan,
    today: dt.date,
) -> None:
    """Close the course, or bring its next session's checklist to where the plan says."""
    course.refresh_from_db()  # signing the first note made it active
    if plan.status == CourseStatus.COMPLETED:
        with _clock(sessions[-1].scheduled_at + dt.timedelta(hours=1)):
            course_set_status(actor=cast.physician, course=course, status=plan.status)
    elif plan.status == CourseStatus.STOPPED:
        with _clock(_local(today + dt.timedelta(days=plan.stopped), dt.time(16, 0))):
            course_set_status(
                actor=cast.physician, course=course, status=plan.status, reason=plan.stop_reason
            )
    elif plan.checklist not in ("", "consent"):
        upcoming = sessions[plan.signed]
        _checklist(cast, upcoming, history, plan.checklist, plan.observation)
        if plan.checklist == "note":
            _write_note(cast, upcoming, plan)


def _add_case(cast: Cast, case: Case, number: int, today: dt.date) -> None:
    seen, plan = case.seen, case.plan
    if seen is None:
        _register(
            cast, case, number, _clinic_day(today + dt.timedelta(days=case.registered), today)
        )
        return
    if plan is not None:
        evaluated_on = _first_session_day(plan, today) - dt.timedelta(days=14)
    else:
        evaluated_on = today + dt.timedelta(days=seen.day)
    evaluated_on = _clinic_day(evaluated_on, today)
    registered_on = _clinic_day(evaluated_on + dt.timedelta(days=case.registered), today)
    patient = _register(cast, case, number, registered_on)
    with _clock(_local(evaluated_on, dt.time(10, 0))):
        _record_history(cast.nurse, patient, case.history, evaluated_on)
        evaluation = evaluation_record(
            actor=cast.physio if seen.by == "physio" else cast.physician,
            patient=patient,
            evaluated_on=evaluated_on,
            **_evaluation_fields(seen),
        )
    if plan is not None:
        _course(cast, evaluation, case, plan, today)


def _evaluation_fields(seen: Seen) -> dict[str, Any]:
    finding, eligible = seen.finding, seen.eligibility == "eligible"
    reasons = seen.reasons or (
        "Chronic pain despite at least 3 months of exercise therapy; no contraindication "
        "found. Wishes to proceed after discussing the risks and alternatives."
        if eligible
        else ""
    )
    alternatives = (
        "Exercise and physiotherapy, weight management, paracetamol and topical "
        "anti-inflammatories, bracing or orthoses, corticosteroid or other injections, a "
        "surgical opinion, and doing nothing. Prolotherapy is not first-line and its evidence "
        "is from small trials."
    )
    return {
        "working_diagnosis": finding.diagnosis,
        "presenting_complaint": finding.complaint,
        "examination_findings": finding.examination,
        "pain_onset": finding.onset,
        "target_region": finding.region,
        "target_structures": list(finding.structures),
        "laterality": seen.side,
        "pain_duration_months": seen.months,
        "baseline_pain": seen.pain,
        "referral_source": seen.referral,
        "eligibility": seen.eligibility,
        "eligibility_reasons": reasons,
        "alternatives_discussed": alternatives if seen.eligibility != "pending" else "",
    }


def _staff(clinic: Clinic) -> dict[str, Actor]:
    actors = {}
    for member in STAFF:
        if member.clinic != clinic.name:
            continue
        user = staff_user_create(
            username=member.username,
            password=DEMO_PASSWORD,
            first_name=member.first_name,
            last_name=member.last_name,
            title=member.title,
            email=f"{member.username}@{clinic.name.split()[0].lower()}.example",
        )
        membership_add(clinic=clinic, user=user, role=member.role)
        actors[member.role] = Actor(user=user, clinic=clinic, role=member.role)
    return actors


def _install_consent_documents(physician: Actor, today: dt.date) -> None:
    """The shipped consent documents, published well before the first demo visit."""
    with _clock(_local(today - dt.timedelta(days=CONSENT_DOCUMENTS_AGE_DAYS), dt.time(8, 0))):
        consent_defaults_install(actor=physician)


@transaction.atomic
def load_demo() -> list[Clinic]:
    """Create the two demo clinics with their staff and patients, as of today."""
    riverside = clinic_create(
        name=RIVERSIDE, address="Unit 4, Old Tannery Yard, Riverside", phone="020 7946 0123"
    )
    # Both demo clinics work in the installation's zone (settings.TIME_ZONE), the current one.
    today = clinic_today(riverside)
    staff = _staff(riverside)
    cast = Cast(
        staff[Role.PHYSICIAN], staff[Role.NURSE], staff[Role.PHYSIOTHERAPIST], staff[Role.RECEPTION]
    )
    _install_consent_documents(cast.physician, today)
    for number, case in enumerate(RIVERSIDE_CASES, start=1):
        _add_case(cast, case, number, today)

    hilltop = clinic_create(name=HILLTOP, address="2 Beacon Road, Hilltop", phone="0117 496 0418")
    doctor = _staff(hilltop)[Role.PHYSICIAN]
    _install_consent_documents(doctor, today)
    for number, case in enumerate(HILLTOP_CASES, start=101):
        _add_case(Cast(doctor, doctor, doctor, doctor), case, number, today)
    for demo_clinic in (riverside, hilltop):
        articles_install_defaults(clinic=demo_clinic)
    _portal_accounts(cast.reception)
    return [riverside, hilltop]


def _portal_accounts(reception: Actor) -> None:
    """Invite the portal patients and accept for them, without printing the emails."""
    for patient in Patient.objects.filter(clinic=reception.clinic, mrn__in=PORTAL_PATIENTS):
        with mock.patch("prolo.clinic.services.portal_accounts.send_mail"):
            issued = invitation_send(
                actor=reception, patient=patient, email=patient.email, link_base="/"
            )
        invitation_accept(token=issued.token, password=DEMO_PASSWORD)
