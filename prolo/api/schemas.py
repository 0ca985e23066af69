"""What the API reads and writes, as pydantic schemas. Codes (UUIDs) name records; integer
ids never leave the server. Inputs carry the model's length limits so the schema tells a
client what is allowed before it asks."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, StrictInt

from prolo.clinic.models import (
    AdverseEvent,
    Language,
    Patient,
    QuestionnaireResponse,
    Sex,
    TreatmentCourse,
    TreatmentSession,
    User,
)
from prolo.clinic.services.questionnaires import EXTRA

# PostgreSQL cannot store NUL in text: every text input refuses it (errors.py words the reason).
NO_NUL = r"^[^\x00]*$"
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


def text(max_length: int, min_length: int = 0) -> object:
    return Field(max_length=max_length, min_length=min_length, pattern=NO_NUL)


def _date_text(value: object) -> object:
    # pydantic would take a number as seconds since 1970; a JSON date is a YYYY-MM-DD string.
    if not isinstance(value, str):
        raise ValueError("Give a date as YYYY-MM-DD.")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_date_text)]
SexCode = Literal["female", "male", "other", "unknown"]
LanguageCode = Literal["en", "es", "other"]
assert set(SexCode.__args__) == set(Sex.values)  # type: ignore[attr-defined]
assert set(LanguageCode.__args__) == set(Language.values)  # type: ignore[attr-defined]


def name_of(user: User | None) -> str | None:
    return user.display_name() if user is not None else None


# --- Who am I ---------------------------------------------------------------------------


class UserOut(Schema):
    code: uuid.UUID
    username: str
    name: str


class ClinicOut(Schema):
    code: uuid.UUID
    name: str


class MeOut(Schema):
    user: UserOut
    clinic: ClinicOut
    role: str
    role_label: str
    permissions: list[str]


# --- Patients ---------------------------------------------------------------------------


class Input(Schema):
    """A request body: a misspelt field is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class PatientIn(Input):
    mrn: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9-]+$")]
    given_name: Annotated[str, text(100, 1)]
    family_name: Annotated[str, text(100, 1)]
    date_of_birth: IsoDate
    sex: SexCode
    email: Annotated[str, text(254)] = ""
    phone: Annotated[str, text(40)] = ""
    address: Annotated[str, text(2000)] = ""
    preferred_language: LanguageCode = "en"


class PatientPatch(Input):
    """Only the fields sent change; leave a field out to keep it."""

    mrn: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9-]+$")] | None = (
        None
    )
    given_name: Annotated[str, text(100, 1)] | None = None
    family_name: Annotated[str, text(100, 1)] | None = None
    date_of_birth: IsoDate | None = None
    sex: SexCode | None = None
    email: Annotated[str, text(254)] | None = None
    phone: Annotated[str, text(40)] | None = None
    address: Annotated[str, text(2000)] | None = None
    preferred_language: LanguageCode | None = None


class PatientOut(Schema):
    code: uuid.UUID
    mrn: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    sex: str
    email: str
    phone: str
    address: str
    preferred_language: str
    created_at: dt.datetime

    @staticmethod
    def of(patient: Patient) -> PatientOut:
        return PatientOut.model_validate(patient, from_attributes=True)


class PatientPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PatientOut]


class PatientRef(Schema):
    code: uuid.UUID
    mrn: str
    name: str


def patient_ref(patient: Patient) -> PatientRef:
    return PatientRef(code=patient.code, mrn=patient.mrn, name=patient.full_name)


# --- Courses and sessions ---------------------------------------------------------------


class SessionOut(Schema):
    code: uuid.UUID
    number: int
    scheduled_at: dt.datetime
    status: str
    room: str
    practitioner: str | None

    @staticmethod
    def of(session: TreatmentSession) -> SessionOut:
        return SessionOut(
            code=session.code,
            number=session.number,
            scheduled_at=session.scheduled_at,
            status=session.status,
            room=session.room,
            practitioner=name_of(session.practitioner),
        )


class CourseOut(Schema):
    code: uuid.UUID
    patient: uuid.UUID
    course_type: str
    target_region: str
    laterality: str
    targets: str
    planned_sessions: int
    interval_days: int
    start_date: dt.date
    status: str
    stop_reason: str
    created_at: dt.datetime

    @staticmethod
    def fields(course: TreatmentCourse) -> dict[str, Any]:
        return {
            "code": course.code,
            "patient": course.patient.code,
            "course_type": course.course_type,
            "target_region": course.target_region,
            "laterality": course.laterality,
            "targets": course.targets,
            "planned_sessions": course.planned_sessions,
            "interval_days": course.interval_days,
            "start_date": course.start_date,
            "status": course.status,
            "stop_reason": course.stop_reason,
            "created_at": course.created_at,
        }

    @staticmethod
    def of(course: TreatmentCourse) -> CourseOut:
        return CourseOut.model_validate(CourseOut.fields(course))


class CourseDetailOut(CourseOut):
    sessions: list[SessionOut]


class CourseList(Schema):
    items: list[CourseOut]


class ScheduleItem(SessionOut):
    course: uuid.UUID
    patient: PatientRef


class SchedulePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ScheduleItem]


# --- Questionnaires ---------------------------------------------------------------------


class ResponseIn(Input):
    instrument: Annotated[str, text(20, 1)]
    answers: dict[
        Annotated[str, text(40, 1)], Annotated[StrictInt, Field(ge=-1000, le=1000)] | None
    ]
    answered_on: IsoDate
    course: uuid.UUID | None = None
    timepoint: Annotated[str, text(20, 1)] = EXTRA


class ResponseOut(Schema):
    code: uuid.UUID
    patient: uuid.UUID
    course: uuid.UUID | None
    instrument: str
    timepoint: str
    answered_on: dt.date
    answers: dict[str, int | None]
    score: str
    scores: dict[str, str]
    rule_version: str
    missing: list[str]
    source: str
    entered_by: str | None
    created_at: dt.datetime

    @staticmethod
    def of(response: QuestionnaireResponse) -> ResponseOut:
        return ResponseOut(
            code=response.code,
            patient=response.patient.code,
            course=response.course.code if response.course else None,
            instrument=response.instrument,
            timepoint=response.timepoint,
            answered_on=response.answered_on,
            answers=response.answers,
            score=str(response.score),
            scores=response.scores,
            rule_version=response.rule_version,
            missing=response.missing,
            source=response.source,
            entered_by=name_of(response.entered_by),
            created_at=response.created_at,
        )


class ResponsePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ResponseOut]


# --- Adverse events ---------------------------------------------------------------------


class AdverseEventOut(Schema):
    code: uuid.UUID
    patient: uuid.UUID
    session: uuid.UUID | None
    event_type: str
    description: str
    onset_date: dt.date
    grade: int
    serious: bool
    seriousness_criteria: list[str]
    expectedness: str
    actions_taken: str
    outcome: str
    follow_up_notes: str
    closed_at: dt.datetime | None
    reported_by: str | None
    created_at: dt.datetime

    @staticmethod
    def of(event: AdverseEvent) -> AdverseEventOut:
        return AdverseEventOut(
            code=event.code,
            patient=event.patient.code,
            session=event.session.code if event.session else None,
            event_type=event.event_type,
            description=event.description,
            onset_date=event.onset_date,
            grade=event.grade,
            serious=event.serious,
            seriousness_criteria=event.seriousness_criteria,
            expectedness=event.expectedness,
            actions_taken=event.actions_taken,
            outcome=event.outcome,
            follow_up_notes=event.follow_up_notes,
            closed_at=event.closed_at,
            reported_by=name_of(event.reported_by),
            created_at=event.created_at,
        )


class AdverseEventPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AdverseEventOut]
