"""A synthetic clinic for benchmarks: N patients with a plausible prolotherapy record each.

Per patient: an evaluation, a dextrose (or PRP/saline) course with a signed consent, 3
sessions with signed procedure notes of 3 injections each, pain NRS questionnaire responses
(baseline and before sessions 2 and 3), 2 imported Observations, 1 Condition. Rows go in with
bulk_create a batch of patients at a time, so building 10,000 patients takes seconds and
memory stays flat. No audit rows: this is load, not clinical history.

    import django; django.setup()
    from bench.synthetic import build_clinic
    clinic = build_clinic(2_500)            # -> Synthetic(clinic, physician, nurse, patients)

Reusable by any bench (export, read/search load, import).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from prolo.clinic.models import (
    Clinic,
    Condition,
    Consent,
    ConsentDocument,
    Evaluation,
    Injection,
    Membership,
    Observation,
    Patient,
    ProcedureNote,
    QuestionnaireResponse,
    Role,
    TreatmentCourse,
    TreatmentSession,
    User,
)

BATCH = 500
SESSIONS = 3
INJECTIONS = 3
SITES = ("knee-mcl", "knee-pes", "knee-coronary")
GIVEN = ("Ana", "Ben", "Cleo", "Dev", "Ema", "Finn", "Gia", "Hal", "Ines", "Jon", "Kai", "Lea")
FAMILY = ("Abbott", "Baker", "Cruz", "Dunn", "Ellis", "Ford", "Gray", "Hart", "Ito", "Jones")
COURSE_TYPES = ("dextrose", "dextrose", "dextrose", "prp", "saline")


@dataclass
class Synthetic:
    clinic: Clinic
    physician: User
    nurse: User
    patients: int


def build_clinic(patients: int, *, name: str = "Synthetic Clinic", seed: int = 1) -> Synthetic:
    """Create a clinic with `patients` patients and their records; returns it."""
    rng = random.Random(seed)
    clinic = Clinic.objects.create(name=name)
    tag = str(clinic.code)[:8]
    physician = _staff(clinic, f"doc-{tag}", Role.PHYSICIAN)
    nurse = _staff(clinic, f"nurse-{tag}", Role.NURSE)
    documents = _consent_documents(clinic, physician)
    for start in range(0, patients, BATCH):
        with transaction.atomic():
            _batch(clinic, physician, nurse, documents, start, min(BATCH, patients - start), rng)
    return Synthetic(clinic, physician, nurse, patients)


def _staff(clinic: Clinic, username: str, role: Role) -> User:
    user = User.objects.create_user(
        username=username, password=None, first_name="Sam", last_name=role.label, title="Dr"
    )
    Membership.objects.create(user=user, clinic=clinic, role=role)
    return user


def _consent_documents(clinic: Clinic, author: User) -> dict[str, ConsentDocument]:
    return {
        kind: ConsentDocument.objects.create(
            clinic=clinic,
            course_type=kind,
            version=1,
            title=f"Consent to {kind} prolotherapy",
            body="# What it is\nSynthetic consent text.",
            published_at=timezone.now(),
            created_by=author,
        )
        for kind in set(COURSE_TYPES)
    }


def _batch(
    clinic: Clinic,
    physician: User,
    nurse: User,
    documents: dict[str, ConsentDocument],
    start: int,
    size: int,
    rng: random.Random,
) -> None:
    today = timezone.localdate()
    patients = Patient.objects.bulk_create(_patient(clinic, start + i, rng) for i in range(size))
    evaluations = Evaluation.objects.bulk_create(
        _evaluation(p, physician, today, rng) for p in patients
    )
    courses = TreatmentCourse.objects.bulk_create(
        _course(p, e, physician, today, rng) for p, e in zip(patients, evaluations, strict=True)
    )
    Consent.objects.bulk_create(_consent(c, documents, physician) for c in courses)
    sessions = TreatmentSession.objects.bulk_create(
        _session(c, n, physician) for c in courses for n in range(1, SESSIONS + 1)
    )
    notes = ProcedureNote.objects.bulk_create(_note(s, physician) for s in sessions)
    Injection.objects.bulk_create(
        _injection(note, i, rng) for note in notes for i in range(INJECTIONS)
    )
    QuestionnaireResponse.objects.bulk_create(_responses(courses, nurse, rng))
    Observation.objects.bulk_create(o for p in patients for o in _observations(p, nurse, rng))
    Condition.objects.bulk_create(_condition(p) for p in patients)


def _patient(clinic: Clinic, index: int, rng: random.Random) -> Patient:
    return Patient(
        clinic=clinic,
        mrn=f"S-{index:07d}",
        given_name=rng.choice(GIVEN),
        family_name=rng.choice(FAMILY),
        date_of_birth=dt.date(1940 + rng.randrange(60), rng.randrange(1, 13), rng.randrange(1, 29)),
        sex=rng.choice(("female", "male")),
        email=f"patient{index}@example.org",
        phone=f"01632 {index % 1_000_000:06d}",
        address=f"{index} High Street\nRivertown",
    )


def _evaluation(p: Patient, clinician: User, today: dt.date, rng: random.Random) -> Evaluation:
    return Evaluation(
        patient=p,
        clinician=clinician,
        evaluated_on=today - dt.timedelta(days=120),
        referral_source="GP referral",
        presenting_complaint="Medial knee pain on stairs.",
        pain_duration_months=rng.randrange(6, 60),
        baseline_pain=rng.randrange(4, 10),
        target_region="knee",
        laterality="left",
        target_structures=["ligament"],
        working_diagnosis="MCL sprain with early osteoarthritis",
        eligibility="eligible",
        eligibility_reasons="Chronic ligament pain despite physiotherapy.",
        alternatives_discussed="Exercise, bracing, steroid injection.",
    )


def _course(
    p: Patient, e: Evaluation, author: User, today: dt.date, rng: random.Random
) -> TreatmentCourse:
    return TreatmentCourse(
        patient=p,
        evaluation=e,
        course_type=rng.choice(COURSE_TYPES),
        target_region="knee",
        laterality="left",
        targets="MCL, pes anserine",
        planned_sessions=SESSIONS,
        interval_days=28,
        start_date=today - dt.timedelta(days=100),
        status="active",
        created_by=author,
    )


def _consent(
    course: TreatmentCourse, documents: dict[str, ConsentDocument], physician: User
) -> Consent:
    return Consent(
        patient=course.patient,
        course=course,
        document=documents[course.course_type],
        typed_name=course.patient.full_name,
        confirmed=True,
        method="in_clinic",
        signed_at=_at(course.start_date, 8),
        recorded_by=physician,
    )


def _session(course: TreatmentCourse, number: int, physician: User) -> TreatmentSession:
    day = course.start_date + dt.timedelta(days=28 * (number - 1))
    return TreatmentSession(
        course=course,
        number=number,
        scheduled_at=_at(day, 9),
        practitioner=physician,
        room="Room 1",
        status="completed",
    )


def _note(session: TreatmentSession, physician: User) -> ProcedureNote:
    return ProcedureNote(
        session=session,
        antisepsis="chlorhexidine_alcohol",
        numbing="infiltration",
        heat_pack_minutes=10,
        observations="Tolerated well.",
        aftercare_given="Avoid anti-inflammatories.",
        status="signed",
        signed_at=session.scheduled_at + dt.timedelta(minutes=40),
        signed_by=physician,
    )


def _injection(note: ProcedureNote, index: int, rng: random.Random) -> Injection:
    return Injection(
        note=note,
        site_code=SITES[index % len(SITES)],
        side="left",
        structure="ligament",
        guidance="landmark",
        needle_gauge=27,
        needle_length_mm=38,
        dextrose_percent=Decimal(rng.choice(("12.5", "15", "20"))),
        anaesthetic="lidocaine",
        anaesthetic_percent=Decimal("0.5"),
        diluent="saline",
        lot="L123",
        volume_ml=Decimal("1.0"),
    )


def _responses(
    courses: list[TreatmentCourse], nurse: User, rng: random.Random
) -> list[QuestionnaireResponse]:
    rows = []
    for course in courses:
        pain = rng.randrange(5, 10)
        for number, timepoint in enumerate(("baseline", "session-2", "session-3")):
            pain = max(pain - rng.randrange(0, 3), 0)
            rows.append(_nrs(course, timepoint, number, pain, nurse))
    return rows


def _nrs(
    course: TreatmentCourse, timepoint: str, number: int, pain: int, nurse: User
) -> QuestionnaireResponse:
    return QuestionnaireResponse(
        patient=course.patient,
        course=course,
        instrument="pain_nrs",
        timepoint=timepoint,
        answered_on=course.start_date + dt.timedelta(days=28 * number),
        answers={"pain": pain},
        scores={"pain": f"{pain}.00"},
        score=Decimal(pain),
        rule_version="pain_nrs:single/1",
        source="staff",
        entered_by=nurse,
    )


def _observations(p: Patient, nurse: User, rng: random.Random) -> list[Observation]:
    when = timezone.now() - dt.timedelta(days=150)
    common: dict[str, Any] = {"patient": p, "status": "final", "source": "import"}
    return [
        Observation(
            **common,
            category="vital-signs",
            system="http://loinc.org",
            concept="29463-7",
            display="Body weight",
            effective_at=when,
            value_quantity=Decimal(rng.randrange(550, 1100)) / 10,
            value_unit="kg",
            value_ucum="kg",
            created_by=nurse,
        ),
        Observation(
            **common,
            category="survey",
            system="http://loinc.org",
            concept="72514-3",
            display="Pain severity - 0-10 verbal numeric rating [Score] - Reported",
            effective_at=when,
            value_quantity=Decimal(rng.randrange(3, 10)),
            value_unit="{score}",
            value_ucum="{score}",
            created_by=nurse,
        ),
    ]


def _condition(p: Patient) -> Condition:
    return Condition(
        patient=p,
        name="Osteoarthritis of knee",
        onset="2019",
        system="http://snomed.info/sct",
        concept="239873007",
        onset_date=dt.date(2019, 1, 1),
    )


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
