"""Questionnaires: a clinic's view of each instrument, the course schedule, and recording.

The arithmetic is pure (prolo/clinic/outcomes/); this module adds the clinic's imported text
and overrides, reads the data in a constant number of queries, and records a completed
questionnaire with its scores and the rule version in one audited transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q

from prolo.clinic.access import require
from prolo.clinic.clock import clinic_day, clinic_today
from prolo.clinic.models import (
    Clinic,
    CourseStatus,
    InstrumentSetting,
    Patient,
    QuestionnaireResponse,
    ResponseSource,
    SessionStatus,
    TreatmentCourse,
    TreatmentSession,
)
from prolo.clinic.outcomes import schedule as sched
from prolo.clinic.outcomes.benefit import Benefit, benefit
from prolo.clinic.outcomes.instruments import (
    INSTRUMENTS,
    Instrument,
    Item,
    Mcid,
    ScoreSpec,
    default_headline,
)
from prolo.clinic.outcomes.scoring import Result as ScoreResult
from prolo.clinic.outcomes.scoring import ScoringError, score, validate
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import Auditor, create_audited
from prolo.clinic.services.fields import check_plausible_date

EXTRA = "extra"
# Closed courses stay on the due list while their last follow-up can still fall due.
FOLLOW_UP_HORIZON_DAYS = 5 * 366 + 31


@dataclass(frozen=True)
class ClinicInstrument:
    """A shipped instrument with one clinic's imported text and overrides."""

    instrument: Instrument
    setting: InstrumentSetting | None

    @property
    def code(self) -> str:
        return self.instrument.code

    @property
    def name(self) -> str:
        return self.instrument.name

    def _imported(self, item: Item) -> dict[str, Any]:
        if self.setting is None:
            return {}
        entry = self.setting.item_text.get(item.id)
        return entry if isinstance(entry, dict) else {}

    def text(self, item: Item) -> str | None:
        return item.text or self._imported(item).get("text") or None

    def option_label(self, item: Item, value: int) -> str | None:
        for option in item.options:
            if option.value == value and option.label:
                return option.label
        labels = self._imported(item).get("options") or {}
        return labels.get(str(value)) or None

    @property
    def has_text(self) -> bool:
        return all(self.text(item) for item in self.instrument.items)

    @property
    def min_answered(self) -> dict[str, int]:
        return dict(self.setting.min_answered) if self.setting else {}

    @property
    def mcid(self) -> Mcid | None:
        """The clinic's MCID when it set one, else the shipped one (default headline score)."""
        return self.mcid_for(self.instrument.headline_spec)

    def mcid_for(self, spec: ScoreSpec) -> Mcid | None:
        """The MCID of one score: the clinic's own MCID is set for the instrument's default
        headline score (its settings page names it), so it applies to that score only."""
        setting = self.setting
        default = spec.key == self.instrument.headline_spec.key
        if default and setting is not None and setting.mcid_points is not None:
            return Mcid(
                points=setting.mcid_points,
                source=f"Clinic setting: {setting.mcid_source}",
                unverified=False,
                percent=setting.mcid_percent,
            )
        return spec.mcid


def clinic_instruments(clinic: Clinic) -> dict[str, ClinicInstrument]:
    """Every shipped instrument with the clinic's settings: one query."""
    settings = {s.instrument: s for s in InstrumentSetting.objects.filter(clinic=clinic)}
    return {code: ClinicInstrument(i, settings.get(code)) for code, i in INSTRUMENTS.items()}


def clinic_instrument(clinic: Clinic, code: str) -> ClinicInstrument:
    instrument = INSTRUMENTS.get(code)
    if instrument is None:
        raise ValidationError({"instrument": "Choose one of Prolo's instruments."})
    setting = InstrumentSetting.objects.filter(clinic=clinic, instrument=code).first()
    return ClinicInstrument(instrument, setting)


# --- The headline score -----------------------------------------------------------------


def headline(course: TreatmentCourse | None, code: str) -> ScoreSpec:
    """The score that stands for an instrument in a course: the course's choice, else the
    default for the instrument and the course's region.

    The one place every consumer reads it: the progress charts, the course benefit, the
    outcomes page's responder rates and the registry CSV. No query: it reads the course.
    """
    instrument = INSTRUMENTS[code]
    if course is None:
        return default_headline(instrument)
    chosen = (course.headline_scores or {}).get(code)
    if chosen in {spec.key for spec in instrument.scores}:
        return instrument.score_spec(chosen)
    return default_headline(instrument, course.target_region)


def headline_value(response: QuestionnaireResponse, spec: ScoreSpec) -> Decimal:
    return Decimal(response.scores[spec.key])


def clean_headline_scores(value: Any, instruments: Iterable[str], region: str) -> dict[str, str]:
    """{code: score key} for each multi-score instrument of the course: the choices given,
    checked, and the default for the region where none was given. Errors name the field."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise ValidationError({"headline_scores": "Give {instrument code: score key}."})
    wanted = [code for code in instruments if code in INSTRUMENTS]
    for code, key in value.items():
        if code not in wanted:
            raise ValidationError(
                {"headline_scores": f"{code!r} is not one of the course's questionnaires."}
            )
        instrument = INSTRUMENTS[code]
        keys = [spec.key for spec in instrument.scores]
        if key not in keys:
            raise ValidationError(
                {"headline_scores": f"{instrument.name}: choose one of {', '.join(keys)}."}
            )
    out = {}
    for code in wanted:
        instrument = INSTRUMENTS[code]
        if instrument.multi_score:
            out[code] = value.get(code) or default_headline(instrument, region).key
    return out


# --- The schedule ---------------------------------------------------------------------


def course_plan(course: TreatmentCourse) -> sched.CoursePlan:
    """The schedule's view of a course; reads `course.sessions.all()` (prefetch it)."""
    clinic = course.patient.clinic
    slots = [
        sched.SessionSlot(
            number=s.number,
            day=clinic_day(clinic, s.scheduled_at),
            signed=s.status == SessionStatus.COMPLETED,
            cancelled=s.status == SessionStatus.CANCELLED,
        )
        for s in course.sessions.all()
    ]
    return sched.CoursePlan(
        start=course.start_date,
        closed=not course.is_open,
        instruments=course.outcome_instruments,
        session_instruments=course.session_instruments,
        follow_ups=course.follow_ups,
        sessions=slots,
    )


def answered(course: TreatmentCourse) -> set[tuple[str, str]]:
    """(instrument, timepoint) pairs recorded; reads `course.responses.all()` (prefetch it)."""
    return {(r.instrument, r.timepoint) for r in course.responses.all()}


def course_schedule(course: TreatmentCourse, today: dt.date | None = None) -> list[sched.Due]:
    today = today or clinic_today(course.patient.clinic)
    return sched.schedule(course_plan(course), answered(course), today)


def with_schedule_data(courses: Any) -> Any:
    """Prefetch what course_schedule() reads: sessions and responses (two queries), and join
    the patient's clinic, whose day it is."""
    return courses.select_related("patient__clinic").prefetch_related(
        Prefetch("sessions", queryset=TreatmentSession.objects.order_by("number")),
        Prefetch("responses", queryset=QuestionnaireResponse.objects.order_by("answered_on", "id")),
    )


@dataclass(frozen=True)
class DueRow:
    course: TreatmentCourse
    due: sched.Due

    @property
    def patient(self) -> Patient:
        return self.course.patient

    @property
    def instrument(self) -> Instrument:
        return INSTRUMENTS[self.due.instrument]


def due_list(actor: Actor, today: dt.date | None = None) -> list[DueRow]:
    """The clinic's questionnaires due now or within the week, oldest first (3 queries)."""
    require(actor, Perm.VIEW_CLINICAL)
    today = today or clinic_today(actor.clinic)
    horizon = today - dt.timedelta(days=FOLLOW_UP_HORIZON_DAYS)
    courses = with_schedule_data(
        TreatmentCourse.objects.filter(patient__clinic=actor.clinic)
        .filter(
            Q(status__in=[CourseStatus.PLANNED, CourseStatus.ACTIVE]) | Q(start_date__gte=horizon)
        )
        .select_related("patient")
    )
    rows = [
        DueRow(course, due)
        for course in courses
        for due in course_schedule(course, today)
        if sched.is_listed(due, today)
    ]
    return sorted(rows, key=lambda r: (r.due.due, r.patient.family_name, r.due.instrument))


# --- Recording ------------------------------------------------------------------------


def _check_timepoint(
    course: TreatmentCourse | None, instrument: str, timepoint: str, answered_on: dt.date
) -> None:
    if course is None:
        if timepoint != EXTRA:
            raise ValidationError({"timepoint": "Without a course, record an extra questionnaire."})
        return
    if timepoint == EXTRA:
        return
    fresh = with_schedule_data(TreatmentCourse.objects.filter(pk=course.pk)).get()
    for due in course_schedule(fresh):
        if (due.instrument, due.timepoint) != (instrument, timepoint):
            continue
        if due.state == sched.State.DONE:
            raise ValidationError(
                {"timepoint": f"{due.label}: this questionnaire is already recorded."}
            )
        # A paper form filled in on time may be entered later; answers given after the
        # session (or, for the baseline, after treatment began) are not that time point.
        if due.state == sched.State.MISSED and answered_on > due.due:
            raise ValidationError(
                {
                    "timepoint": f"{due.label} was due by {due.due:%d %b %Y}: answers given "
                    "after that day cannot count for it. Record them as an extra questionnaire."
                }
            )
        return
    raise ValidationError(
        {"timepoint": "Choose one of the course's scheduled time points, or 'extra'."}
    )


def _clean_answers(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, int | None]:
    """Every item of the instrument, in order: its answer, or None when left blank."""
    unknown = sorted(set(answers) - {item.id for item in instrument.items})
    if unknown:
        raise ValidationError({"answers": f"{instrument.name} has no item {unknown[0]!r}."})
    return {item.id: answers.get(item.id) for item in instrument.items}


def answers_score(
    instrument: ClinicInstrument, answers: Mapping[str, Any]
) -> tuple[dict[str, int | None], ScoreResult]:
    """Every item of the instrument in order (None when blank) and its scores, under the
    clinic's missing-item minimums: the one scoring path for saved responses, the API's
    score endpoint and `manage.py score`. Raises ScoringError naming the item or subscale."""
    validate(instrument.instrument, answers)  # an unknown item is refused, not dropped
    cleaned = {item.id: answers.get(item.id) for item in instrument.instrument.items}
    return cleaned, score(instrument.instrument, cleaned, min_answered=instrument.min_answered)


@transaction.atomic
def questionnaire_record(
    *,
    actor: Actor,
    patient: Patient,
    instrument: str,
    answers: Mapping[str, int | None],
    answered_on: dt.date,
    course: TreatmentCourse | None = None,
    timepoint: str = EXTRA,
    source: ResponseSource = ResponseSource.STAFF,
) -> QuestionnaireResponse:
    """Score and store one completed questionnaire with the rule version used.

    Raises ValidationError naming the field (an item, the time point, the date) for anything
    that cannot be scored or does not belong to the patient's schedule; nothing is saved.
    """
    require(actor, Perm.RECORD_OUTCOME)
    if patient.clinic_id != actor.clinic.pk:
        raise ValidationError({"patient": "Choose a patient of this clinic."})
    return _record(
        auditor=actor,
        patient=patient,
        instrument=instrument,
        answers=answers,
        answered_on=answered_on,
        course=course,
        timepoint=timepoint,
        source=source,
    )


def _record(
    *,
    auditor: Auditor,
    patient: Patient,
    instrument: str,
    answers: Mapping[str, int | None],
    answered_on: dt.date,
    course: TreatmentCourse | None,
    timepoint: str,
    source: ResponseSource,
) -> QuestionnaireResponse:
    """questionnaire_record() after its permission check; the portal's entry point shares it
    (services/portal_outcomes.py). Call inside a transaction, `patient` of auditor's clinic."""
    if course is not None and course.patient_id != patient.pk:
        raise ValidationError({"course": "Choose a course of this patient."})
    check_plausible_date("answered_on", answered_on, auditor.clinic)
    if answered_on > clinic_today(auditor.clinic):
        raise ValidationError({"answered_on": "The answers cannot be from a future day."})
    clinic_view = clinic_instrument(auditor.clinic, instrument)
    _clean_answers(clinic_view.instrument, answers)  # an unknown item, before the time point
    _check_timepoint(course, instrument, timepoint, answered_on)
    try:
        cleaned, result = answers_score(clinic_view, answers)
    except ScoringError as exc:
        raise ValidationError({"answers": str(exc)}) from None
    response = QuestionnaireResponse(
        patient=patient,
        course=course,
        instrument=instrument,
        timepoint=timepoint,
        answered_on=answered_on,
        answers=cleaned,
        scores={key: str(value) for key, value in result.as_dict().items()},
        score=result.scores[0].value,
        rule_version=result.rule_version,
        missing=list(result.missing),
        min_answered=clinic_view.min_answered,
        source=source,
        entered_by=auditor.user,
    )
    try:
        with transaction.atomic():
            return create_audited(actor=auditor, instance=response, patient=patient)
    except IntegrityError:  # a concurrent save of the same time point
        raise ValidationError(
            {"timepoint": "This questionnaire has already been recorded for this time point."}
        ) from None


# --- Benefit --------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseBenefit:
    """One instrument's change over one course: baseline against the latest later score,
    on the course's headline score for the instrument."""

    instrument: ClinicInstrument
    spec: ScoreSpec
    baseline: QuestionnaireResponse
    latest: QuestionnaireResponse
    result: Benefit | None  # None: no MCID for this score, so no responder status

    @property
    def baseline_value(self) -> Decimal:
        return headline_value(self.baseline, self.spec)

    @property
    def latest_value(self) -> Decimal:
        return headline_value(self.latest, self.spec)

    @property
    def mcid(self) -> Mcid | None:
        return self.instrument.mcid_for(self.spec)


def course_benefits(
    course: TreatmentCourse,
    instruments: Mapping[str, ClinicInstrument],
    *,
    follow_up_only: bool = False,
) -> list[CourseBenefit]:
    """Per instrument with a baseline and a later score; reads `course.responses.all()`.

    `follow_up_only` compares with the latest follow-up after the last session (the outcomes
    page), otherwise with the latest score of any kind (the chart's running summary).
    """
    return benefits_of(course, course.responses.all(), instruments, follow_up_only=follow_up_only)


def benefits_of(
    course: TreatmentCourse,
    responses: Iterable[QuestionnaireResponse],
    instruments: Mapping[str, ClinicInstrument],
    *,
    follow_up_only: bool = False,
) -> list[CourseBenefit]:
    """course_benefits() over one course's responses already fetched (the chart reads the
    patient's responses in one query and groups them by course)."""
    by_instrument: dict[str, list[QuestionnaireResponse]] = {}
    for response in responses:
        by_instrument.setdefault(response.instrument, []).append(response)
    out = []
    for code, responses in by_instrument.items():
        baseline = next((r for r in responses if r.timepoint == "baseline"), None)
        later = [
            r
            for r in responses
            if r.timepoint != "baseline" and (r.timepoint.startswith("fu-") or not follow_up_only)
        ]
        if baseline is None or not later:
            continue
        latest = max(later, key=lambda r: (r.answered_on, r.pk))
        view, spec = instruments[code], headline(course, code)
        mcid = view.mcid_for(spec)
        result = (
            None
            if mcid is None
            else benefit(
                view.instrument,
                headline_value(baseline, spec),
                headline_value(latest, spec),
                score_key=spec.key,
                mcid=mcid,
            )
        )
        out.append(CourseBenefit(view, spec, baseline, latest, result))
    return out


def scores_of(response: QuestionnaireResponse) -> list[tuple[str, Decimal]]:
    """(score name, value) in the instrument's order, for display."""
    instrument = INSTRUMENTS[response.instrument]
    return [(spec.name, Decimal(response.scores[spec.key])) for spec in instrument.scores]


def instrument_choices(codes: Iterable[str] | None = None) -> list[tuple[str, str]]:
    wanted = INSTRUMENTS if codes is None else codes
    return [(code, INSTRUMENTS[code].name) for code in wanted]


# --- The schedule's settings (course and protocol template) -----------------------------

SCHEDULE_FIELDS = ("outcome_instruments", "session_instruments", "follow_ups")


def clean_schedule_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Check the outcome-schedule fields present in `fields`; errors name the field."""
    out = dict(fields)
    for name in SCHEDULE_FIELDS:
        if name not in out:
            continue
        values = out[name] or []
        if isinstance(values, str) or not isinstance(values, list | tuple):
            raise ValidationError({name: "Give a list."})
        try:
            if name == "follow_ups":
                out[name] = sched.clean_follow_ups([str(v) for v in values])
            else:
                out[name] = sched.clean_instruments([str(v) for v in values], field=name)
        except sched.ScheduleError as exc:
            raise ValidationError({name: str(exc)}) from None
    if "outcome_instruments" in out and not out["outcome_instruments"]:
        raise ValidationError(
            {"outcome_instruments": "Choose at least one instrument to measure the course with."}
        )
    return out
