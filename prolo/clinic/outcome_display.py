"""The outcomes as people read them: charts, tables and benefit wording, shared by the chart,
the course page and the course summary letter (exports/pdf.py), so screen and paper agree.

Everything is built from the patient's responses read in one query, the clinic's instrument
settings in one, and the sessions the chart has already prefetched, so the page costs the
same number of queries however many questionnaires, courses and sessions there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from prolo.clinic.models import (
    Patient,
    QuestionnaireResponse,
    SessionStatus,
    TreatmentCourse,
)
from prolo.clinic.outcomes import chart
from prolo.clinic.outcomes.benefit import Change, Responder, change
from prolo.clinic.outcomes.instruments import INSTRUMENTS, Mcid, ScoreSpec
from prolo.clinic.outcomes.schedule import timepoint_label
from prolo.clinic.permissions import Actor
from prolo.clinic.services.questionnaires import (
    ClinicInstrument,
    CourseBenefit,
    benefits_of,
    clinic_instruments,
    headline,
    headline_value,
)

MINUS = "\u2212"


def signed(value: Decimal) -> str:
    text = chart.number(abs(value))
    return f"+{text}" if value > 0 else f"{MINUS}{text}" if value < 0 else "0"


def points(value: Decimal) -> str:
    text = chart.number(abs(value))
    return f"{text} point" if abs(value) == 1 else f"{text} points"


def whole_percent(value: Decimal) -> str:
    return f"{abs(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def mcid_text(mcid: Mcid | None) -> str:
    if mcid is None:
        return "No MCID shipped for this score, so no responder status."
    threshold = points(mcid.points)
    if mcid.percent is not None:
        threshold += f" or {chart.number(mcid.percent)}% of the baseline"
    unverified = " (unverified)" if mcid.unverified else ""
    return f"MCID {threshold}{unverified}. Source: {mcid.source}"


# --- The data table beside each chart -------------------------------------------------


@dataclass(frozen=True)
class ScoreRow:
    response: QuestionnaireResponse
    course: TreatmentCourse | None
    baseline: QuestionnaireResponse | None  # the same course's baseline, if any
    spec: ScoreSpec  # the course's headline score for the instrument

    @property
    def label(self) -> str:
        return timepoint_label(self.response.timepoint)

    @property
    def score(self) -> Decimal:
        return headline_value(self.response, self.spec)

    @property
    def change(self) -> str:
        """Change from the course's baseline as the scale reads, and which way that is."""
        if self.response.timepoint == "baseline":
            return "Baseline"
        if self.baseline is None:
            return "No baseline"
        direction = INSTRUMENTS[self.response.instrument].direction
        moved = change(headline_value(self.baseline, self.spec), self.score, direction)
        word = "better" if moved.improvement > 0 else "worse" if moved.improvement < 0 else ""
        return f"{signed(moved.change)} ({word})" if word else "0 (no change)"


@dataclass(frozen=True)
class InstrumentChart:
    instrument: ClinicInstrument
    spec: ScoreSpec
    svg: SafeString
    rows: list[ScoreRow]
    dom_id: str

    @property
    def name(self) -> str:
        """'KOOS: Pain' for a multi-score instrument, else its name."""
        return chart_name(self.instrument, self.spec)


def chart_name(view: ClinicInstrument, spec: ScoreSpec) -> str:
    return f"{view.name}: {spec.name}" if view.instrument.multi_score else view.name


def _baselines(
    responses: Iterable[QuestionnaireResponse],
) -> dict[tuple[int, str], QuestionnaireResponse]:
    return {
        (r.course_id, r.instrument): r
        for r in responses
        if r.course_id is not None and r.timepoint == "baseline"
    }


def _markers(courses: Iterable[TreatmentCourse]) -> list[chart.Marker]:
    """Signed sessions; reads the prefetched `course.sessions.all()`."""
    return [
        chart.Marker(timezone.localtime(s.scheduled_at).date(), f"Session {s.number}")
        for course in courses
        for s in course.sessions.all()
        if s.status == SessionStatus.COMPLETED
    ]


def _reference(
    view: ClinicInstrument, spec: ScoreSpec, baseline: ScoreRow | None
) -> dict[str, Any]:
    """The latest course's baseline line, and the band of no real change around it."""
    if baseline is None:
        return {}
    value = baseline.score
    mcid = view.mcid_for(spec)
    if mcid is None:
        return {"baseline": value}
    reach = mcid.points
    if mcid.percent is not None and value != 0:
        reach = min(reach, abs(value) * mcid.percent / 100)
    return {"baseline": value, "band": (value - reach, value + reach)}


def _chart(
    view: ClinicInstrument,
    spec: ScoreSpec,
    rows: list[ScoreRow],
    markers: Sequence[chart.Marker],
    dom_id: str,
) -> InstrumentChart:
    latest_baseline = next(
        (row for row in reversed(rows) if row.response.timepoint == "baseline"), None
    )
    series = chart.Series(
        name=chart_name(view, spec),
        low=spec.low,
        high=spec.high,
        direction=view.instrument.direction,
        points=[
            chart.Point(
                row.response.answered_on,
                row.score,
                row.label,
                baseline=row.response.timepoint == "baseline",
            )
            for row in rows
        ],
        markers=markers,
        **_reference(view, spec, latest_baseline),
    )
    svg = mark_safe(chart.render(series, dom_id))
    return InstrumentChart(view, spec, svg, rows, dom_id)


def instrument_charts(
    responses: Sequence[QuestionnaireResponse],
    courses: Sequence[TreatmentCourse],
    instruments: dict[str, ClinicInstrument],
) -> list[InstrumentChart]:
    """One chart and table per instrument the patient has scores for, in Prolo's order; a
    multi-score instrument gets one per headline score its courses chose (KOOS pain in one
    course, symptoms in another), since the two scales cannot share a line."""
    by_course = {c.pk: c for c in courses}
    baselines = _baselines(responses)
    markers = _markers(courses)
    charts = []
    for code in INSTRUMENTS:
        by_score: dict[str, list[ScoreRow]] = {}
        for r in responses:
            if r.instrument != code:
                continue
            course = by_course.get(r.course_id or 0)
            spec = headline(course, code)
            baseline = baselines.get((r.course_id or 0, code))
            by_score.setdefault(spec.key, []).append(ScoreRow(r, course, baseline, spec))
        for n, (key, rows) in enumerate(by_score.items()):
            dom_id = f"outcome-{code}" if n == 0 else f"outcome-{code}-{key}"
            charts.append(_chart(instruments[code], rows[0].spec, rows, markers, dom_id))
    return charts


# --- The per-course benefit summary ---------------------------------------------------


@dataclass(frozen=True)
class BenefitRow:
    item: CourseBenefit

    @property
    def name(self) -> str:
        return chart_name(self.item.instrument, self.item.spec)

    @property
    def moved(self) -> Change:
        direction = self.item.instrument.instrument.direction
        return change(self.item.baseline_value, self.item.latest_value, direction)

    @property
    def change(self) -> str:
        return signed(self.moved.change)

    @property
    def improvement(self) -> str:
        """Improvement as % of the baseline, direction-aware; none when the baseline is 0."""
        percent = self.moved.improvement_percent
        if percent is None:
            return "Not computed (baseline 0)"
        if percent == 0:
            return "0%"
        return f"{whole_percent(percent)} {'better' if percent > 0 else 'worse'}"

    @property
    def status(self) -> str:
        result = self.item.result
        if result is None:
            return "No responder status"
        if result.responder == Responder.UNCHANGED:
            return "Unchanged (less than the MCID)"
        moved = result.change
        size = points(moved.improvement)
        if moved.improvement_percent is not None:
            size += f", {whole_percent(moved.improvement_percent)}"
        word = "Improved" if result.responder == Responder.IMPROVED else "Worse"
        return f"{word} ({size})"

    @property
    def mcid(self) -> str:
        return mcid_text(self.item.mcid)


@dataclass(frozen=True)
class CourseSummary:
    course: TreatmentCourse
    rows: list[BenefitRow]


def course_summary(
    course: TreatmentCourse,
    responses: Iterable[QuestionnaireResponse],
    instruments: dict[str, ClinicInstrument],
) -> CourseSummary:
    """Baseline against the latest later score, per instrument; `responses` of this course."""
    items = benefits_of(course, responses, instruments)
    order = list(INSTRUMENTS)
    items.sort(key=lambda b: order.index(b.instrument.code))
    return CourseSummary(course, [BenefitRow(item) for item in items])


def outcomes_context(
    actor: Actor, patient: Patient, courses: Sequence[TreatmentCourse]
) -> dict[str, Any]:
    """The chart's Outcomes section: two queries (responses, the clinic's settings)."""
    responses = list(
        QuestionnaireResponse.objects.filter(patient=patient).order_by("answered_on", "id")
    )
    instruments = clinic_instruments(actor.clinic)
    summaries = [
        course_summary(course, [r for r in responses if r.course_id == course.pk], instruments)
        for course in courses
    ]
    return {
        "outcome_charts": instrument_charts(responses, courses, instruments),
        "course_benefits": [s for s in summaries if s.rows],
    }
