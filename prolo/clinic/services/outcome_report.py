"""The clinic's outcomes: responder rates by condition, course type and sessions; registry rows.

A course counts when it has a signed session, a baseline and at least one follow-up ("fu-…")
on the chosen instrument; its responder status is services/questionnaires.py::course_benefits
(baseline against the latest follow-up, by the clinic's MCID). Every other course of the
selection is counted under the reason it was left out, never dropped silently. Reads run in a
constant number of queries whatever the number of courses. docs/outcomes-report.md explains
the grouping, the interval and the CSV columns.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from prolo.clinic.access import require
from prolo.clinic.clock import clinic_day
from prolo.clinic.exports.registry_csv import Identity, RegistryRow, Score
from prolo.clinic.models import (
    AdverseEvent,
    Anaesthetic,
    AuditAction,
    Clinic,
    CourseType,
    Injection,
    Patient,
    QuestionnaireResponse,
    SessionStatus,
    TreatmentCourse,
    TreatmentSession,
)
from prolo.clinic.outcomes.benefit import Interval, Responder, wilson
from prolo.clinic.outcomes.instruments import INSTRUMENTS, Mcid
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import audit_log_each
from prolo.clinic.services.questionnaires import (
    ClinicInstrument,
    CourseBenefit,
    clinic_instruments,
    course_benefits,
    headline,
    headline_value,
)

DEFAULT_INSTRUMENT = "pain_nrs"
# Names, birth dates and record numbers leave Prolo only with the roles that manage the
# clinic (physician, clinic admin): the same rule as the clinic's settings (docs/roles.md).
IDENTIFIED_EXPORT_PERM = Perm.MANAGE_SAFETY
# A download is audited as an export, with {"export": "registry_csv", …} in its changes.
EXPORT_ACTION = AuditAction.EXPORT
EXPORT_NAME = "registry_csv"
PSEUDONYM_LENGTH = 20


class Exclusion(StrEnum):
    """Why a course of the selection has no responder status, in the order checked."""

    NOT_TREATED = "no signed session"
    NOT_MEASURED = "not measured with this instrument"
    NO_BASELINE = "no baseline"
    NO_FOLLOW_UP = "no follow-up yet"
    NO_MCID = "no MCID for this score"


@dataclass(frozen=True)
class ReportFilters:
    instrument: str = DEFAULT_INSTRUMENT
    course_type: str = ""  # "" for every type
    start_from: dt.date | None = None
    start_to: dt.date | None = None

    def check(self) -> None:
        """Raise ValidationError naming the filter that is not allowed."""
        if self.instrument not in INSTRUMENTS:
            raise ValidationError({"instrument": "Choose one of Prolo's instruments."})
        if self.course_type and self.course_type not in CourseType.values:
            raise ValidationError({"course_type": "Choose one of the course types, or all."})
        if self.start_from and self.start_to and self.start_from > self.start_to:
            raise ValidationError({"start_to": "The end of the date range is before its start."})

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in vars(self).items() if v not in ("", None)}


# --- One course ------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseOutcome:
    course: TreatmentCourse
    signed_sessions: int
    compared: CourseBenefit | None  # baseline against the latest follow-up
    excluded: Exclusion | None

    @property
    def responder(self) -> Responder | None:
        result = self.compared.result if self.compared else None
        return None if result is None or self.excluded else result.responder


def _exclusion(
    course: TreatmentCourse, signed: int, code: str, compared: CourseBenefit | None
) -> Exclusion | None:
    if signed == 0:
        return Exclusion.NOT_TREATED
    if compared is not None:
        return Exclusion.NO_MCID if compared.result is None else None
    if not any(r.timepoint == "baseline" for r in course.responses.all()):
        measured = code in course.outcome_instruments
        return Exclusion.NO_BASELINE if measured else Exclusion.NOT_MEASURED
    return Exclusion.NO_FOLLOW_UP


def course_outcome(
    course: TreatmentCourse, signed: int, instruments: dict[str, ClinicInstrument], code: str
) -> CourseOutcome:
    """Reads `course.responses.all()`: prefetch it (only the instrument's responses)."""
    benefits = course_benefits(course, instruments, follow_up_only=True)
    compared = next((b for b in benefits if b.instrument.code == code), None)
    return CourseOutcome(course, signed, compared, _exclusion(course, signed, code, compared))


def condition_of(course: TreatmentCourse) -> str:
    """The region treated, with the protocol template's condition when planned from one."""
    region = course.get_target_region_display()
    protocol = course.protocol
    return f"{region}: {protocol.condition}" if protocol is not None else region


# --- The selection ---------------------------------------------------------------------


def _courses(actor: Actor, filters: ReportFilters) -> QuerySet[TreatmentCourse]:
    courses = TreatmentCourse.objects.filter(patient__clinic=actor.clinic)
    if filters.course_type:
        courses = courses.filter(course_type=filters.course_type)
    if filters.start_from:
        courses = courses.filter(start_date__gte=filters.start_from)
    if filters.start_to:
        courses = courses.filter(start_date__lte=filters.start_to)
    responses = QuestionnaireResponse.objects.filter(instrument=filters.instrument)
    return courses.order_by("start_date", "id").prefetch_related(
        Prefetch("responses", queryset=responses.order_by("answered_on", "id"))
    )


# --- The report ------------------------------------------------------------------------


def _percent(fraction: Decimal) -> int:
    return int((fraction * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Group:
    condition: str
    course_type: str
    sessions: int | None  # None on the overall row
    score: str  # the headline score its courses chose ("Pain"), or "" on the overall row
    improved: int
    unchanged: int
    worse: int

    @property
    def n(self) -> int:
        return self.improved + self.unchanged + self.worse

    @property
    def interval(self) -> Interval:
        return wilson(self.improved, self.n)

    @property
    def rate_label(self) -> str:
        return f"{_percent(self.interval.rate)}%"

    @property
    def ci_label(self) -> str:
        interval = self.interval
        return f"{_percent(interval.low)}–{_percent(interval.high)}%"


@dataclass(frozen=True)
class Report:
    instrument: ClinicInstrument
    filters: ReportFilters
    groups: list[Group]
    overall: Group | None  # None when no course could be reported
    excluded: list[tuple[Exclusion, int]]
    considered: int  # courses matching the filters
    unavailable: str  # why the instrument cannot be reported, or ""

    @property
    def mcid(self) -> Mcid | None:
        return self.instrument.mcid


def mcid_label(mcid: Mcid | None) -> str:
    if mcid is None:
        return ""
    points = f"{mcid.points.normalize():f} points"
    percent = f" or {mcid.percent.normalize():f}% of the baseline" if mcid.percent else ""
    return f"{points}{percent} ({mcid.source})"


def no_mcid_reason(instrument: ClinicInstrument) -> str:
    return (
        f"{instrument.name} has no MCID for its {instrument.instrument.headline_spec.name} "
        "score, so no course can be called improved or worse. A physician or clinic admin can "
        "set the clinic's MCID, with its source, in the clinic's instrument settings."
    )


def has_any_mcid(view: ClinicInstrument) -> bool:
    """Whether any score a course could choose as headline has an MCID."""
    return any(view.mcid_for(spec) is not None for spec in view.instrument.scores)


GroupKey = tuple[str, str, int | None, str]


def _group(key: GroupKey, outcomes: list[CourseOutcome]) -> Group:
    counts = Counter(o.responder for o in outcomes)
    return Group(
        *key,
        improved=counts[Responder.IMPROVED],
        unchanged=counts[Responder.UNCHANGED],
        worse=counts[Responder.WORSE],
    )


def _score_name(outcome: CourseOutcome) -> str:
    return outcome.compared.spec.name if outcome.compared else ""


def _groups(outcomes: list[CourseOutcome]) -> list[Group]:
    """By condition, course type, signed sessions and headline score: courses that chose
    different scores of one instrument are never pooled into one row."""
    by_key: dict[GroupKey, list[CourseOutcome]] = {}
    for o in outcomes:
        course = o.course
        key = (
            condition_of(course),
            course.get_course_type_display(),
            o.signed_sessions,
            _score_name(o),
        )
        by_key.setdefault(key, []).append(o)
    ordered = sorted(by_key, key=lambda k: (k[0], k[1], k[2] or 0, k[3]))
    return [_group(key, by_key[key]) for key in ordered]


def _excluded(outcomes: Iterable[CourseOutcome]) -> list[tuple[Exclusion, int]]:
    counts = Counter(o.excluded for o in outcomes if o.excluded)
    return [(reason, counts[reason]) for reason in Exclusion if counts[reason]]


def outcome_report(
    actor: Actor,
    instrument: str = DEFAULT_INSTRUMENT,
    *,
    course_type: str = "",
    start_from: dt.date | None = None,
    start_to: dt.date | None = None,
    instruments: dict[str, ClinicInstrument] | None = None,
) -> Report:
    """Responder rates with Wilson 95% intervals, by group and overall (three queries).

    `instruments`: the clinic's, when the caller has already read them (clinic_instruments).
    """
    require(actor, Perm.VIEW_CLINICAL)
    filters = ReportFilters(instrument, course_type, start_from, start_to)
    filters.check()
    instruments = instruments or clinic_instruments(actor.clinic)
    view = instruments[instrument]
    if not has_any_mcid(view):
        return Report(view, filters, [], None, [], 0, no_mcid_reason(view))
    signed = Count("sessions", filter=Q(sessions__status=SessionStatus.COMPLETED))
    courses = _courses(actor, filters).select_related("protocol").annotate(signed_count=signed)
    outcomes = [course_outcome(c, c.signed_count, instruments, instrument) for c in courses]
    included = [o for o in outcomes if o.excluded is None]
    overall = _group(("All courses", "All types", None, ""), included) if included else None
    return Report(view, filters, _groups(included), overall, _excluded(outcomes), len(outcomes), "")


# --- The registry export ---------------------------------------------------------------


def pseudonym(clinic: Clinic, kind: str, code: uuid.UUID) -> str:
    """Stable for the clinic while SECRET_KEY stays the same; reveals nothing of the code."""
    value = f"{clinic.code}:{code}"
    digest = salted_hmac(f"prolo.registry.{kind}", value, algorithm="sha256").hexdigest()
    return digest[:PSEUDONYM_LENGTH]


def age_band(age: int) -> str:
    """Ten-year bands; the youngest and oldest grouped, as a birth date would stand out."""
    if age < 18:
        return "under 18"
    if age >= 90:
        return "90 and over"
    if age < 30:
        return "18-29"
    low = age // 10 * 10
    return f"{low}-{low + 9}"


def _score(response: QuestionnaireResponse, course: TreatmentCourse) -> Score:
    """The response's value on the course's headline score, days from the course start."""
    value = headline_value(response, headline(course, response.instrument))
    return Score(value, (response.answered_on - course.start_date).days, response.rule_version)


def _follow_ups(course: TreatmentCourse) -> dict[str, Score]:
    return {
        r.timepoint: _score(r, course)
        for r in course.responses.all()
        if r.timepoint.startswith("fu-")
    }


def _signed_sessions(course: TreatmentCourse) -> list[TreatmentSession]:
    return course.signed_sessions  # type: ignore[attr-defined]  # prefetched


def _treatment(course: TreatmentCourse) -> dict[str, Any]:
    """Reads `course.signed_sessions` (prefetched with notes and injections)."""
    sessions = _signed_sessions(course)
    injections = [i for s in sessions for i in s.note.injections.all()]
    days = [clinic_day(course.patient.clinic, s.scheduled_at) for s in sessions]
    return {
        "signed_sessions": len(sessions),
        "last_session_day": (max(days) - course.start_date).days if days else None,
        "dextrose_percents": sorted({i.dextrose_percent.normalize() for i in injections}),
        "site_codes": sorted({i.site_code for i in injections}),
        "anaesthetics": sorted({_anaesthetic(i) for i in injections} - {""}),
        "total_volume_ml": _total_volume(injections),
    }


def _total_volume(injections: list[Injection]) -> Decimal | None:
    return sum((i.volume_ml for i in injections), Decimal(0)) if injections else None


def _anaesthetic(injection: Injection) -> str:
    """'lidocaine 0.5%' (the agent's code and strength), or "" when none was mixed in."""
    if injection.anaesthetic == Anaesthetic.NONE:
        return ""
    return f"{injection.anaesthetic} {injection.anaesthetic_percent.normalize():f}%"


def _identity(course: TreatmentCourse) -> Identity:
    patient = course.patient
    return Identity(
        patient_id=str(patient.code),
        course_id=str(course.code),
        mrn=patient.mrn,
        family_name=patient.family_name,
        given_name=patient.given_name,
        date_of_birth=patient.date_of_birth,
        course_start=course.start_date,
    )


def _result_fields(outcome: CourseOutcome) -> dict[str, Any]:
    compared, responder = outcome.compared, outcome.responder
    result = compared.result if compared else None
    return {
        "baseline": _score(compared.baseline, outcome.course) if compared else None,
        "compared_with": compared.latest.timepoint if compared else "",
        "change": result.change.change if result else None,
        "responder": responder.value if responder else "",
        "not_reported_because": outcome.excluded.value if outcome.excluded else "",
    }


def _baseline(course: TreatmentCourse) -> Score | None:
    first = next((r for r in course.responses.all() if r.timepoint == "baseline"), None)
    return _score(first, course) if first else None


def registry_row(
    outcome: CourseOutcome,
    view: ClinicInstrument,
    events: dict[int, tuple[int, int | None]],
    *,
    identified: bool,
) -> RegistryRow:
    course, patient = outcome.course, outcome.course.patient
    fields = _result_fields(outcome) | _treatment(course)
    fields["baseline"] = fields["baseline"] or _baseline(course)
    count, grade = events.get(course.pk, (0, None))
    return RegistryRow(
        course_pseudonym=pseudonym(patient.clinic, "course", course.code),
        patient_pseudonym=pseudonym(patient.clinic, "patient", patient.code),
        age_band=age_band(patient.age_on(course.start_date)),
        sex=patient.sex,
        course_type=course.course_type,
        region=course.target_region,
        laterality=course.laterality,
        condition=condition_of(course),
        targets=course.targets,
        status=course.status,
        planned_sessions=course.planned_sessions,
        instrument=view.code,
        headline_score=headline(course, view.code).key,
        mcid=mcid_label(view.mcid_for(headline(course, view.code))),
        follow_ups=_follow_ups(course),
        adverse_events=count,
        max_grade=grade,
        identity=_identity(course) if identified else None,
        **fields,
    )


def _adverse_events(courses: QuerySet[TreatmentCourse]) -> dict[int, tuple[int, int | None]]:
    """{course id: (events, highest CTCAE grade)} over the courses' sessions: one query."""
    rows = (
        AdverseEvent.objects.filter(session__course__in=courses.values("pk"))
        .values("session__course")
        .annotate(n=Count("id"), top=Max("grade"))
    )
    return {r["session__course"]: (r["n"], r["top"]) for r in rows}


def _registry_courses(actor: Actor, filters: ReportFilters) -> QuerySet[TreatmentCourse]:
    signed = TreatmentSession.objects.filter(status=SessionStatus.COMPLETED)
    return (
        _courses(actor, filters)
        .select_related("patient__clinic", "protocol")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=signed.select_related("note").prefetch_related("note__injections"),
                to_attr="signed_sessions",
            )
        )
    )


def _audit_export(
    actor: Actor, filters: ReportFilters, courses: list[TreatmentCourse], identified: bool
) -> None:
    summary = {"export": EXPORT_NAME, "identified": identified, "courses": len(courses)}
    entries: list[tuple[Any, Patient | None, dict[str, Any]]] = [
        (actor.clinic, None, summary | {"filters": filters.as_dict()})
    ]
    if identified:  # each patient's own trail shows that their record left Prolo
        by_patient: dict[int, tuple[Patient, list[str]]] = {}
        for course in courses:
            patient = course.patient
            by_patient.setdefault(patient.pk, (patient, []))[1].append(str(course.code))
        entries += [
            (patient, patient, {"export": EXPORT_NAME, "identified": True, "courses": codes})
            for patient, codes in by_patient.values()
        ]
    audit_log_each(actor=actor, action=EXPORT_ACTION, entries=entries)


@dataclass(frozen=True)
class RegistryExport:
    rows: list[RegistryRow]
    identified: bool
    filters: ReportFilters

    @property
    def filename(self) -> str:
        kind = "identified" if self.identified else "deidentified"
        return f"registry-{self.filters.instrument}-{kind}-{timezone.localdate():%Y%m%d}.csv"


@transaction.atomic
def registry_export(
    *,
    actor: Actor,
    identified: bool,
    instrument: str = DEFAULT_INSTRUMENT,
    course_type: str = "",
    start_from: dt.date | None = None,
    start_to: dt.date | None = None,
) -> RegistryExport:
    """One row per course of the selection, excluded ones too, and the audit of the download.

    Identified rows need IDENTIFIED_EXPORT_PERM; every patient in them gets an audit row.
    """
    require(actor, Perm.VIEW_CLINICAL)
    if identified:
        require(actor, IDENTIFIED_EXPORT_PERM)
    filters = ReportFilters(instrument, course_type, start_from, start_to)
    filters.check()
    instruments = clinic_instruments(actor.clinic)
    queryset = _registry_courses(actor, filters)
    events = _adverse_events(queryset)
    courses = list(queryset)
    rows = [
        registry_row(
            course_outcome(c, len(_signed_sessions(c)), instruments, instrument),
            instruments[instrument],
            events,
            identified=identified,
        )
        for c in courses
    ]
    _audit_export(actor, filters, courses, identified)
    return RegistryExport(rows, identified, filters)
