"""The registry CSV: one row per treatment course, identified or de-identified.

Pure: it takes plain rows (built by services/outcome_report.py::registry_export) and writes
text, so the staff download and `manage.py registry_csv` produce the same file. The columns
are fixed whatever the data, so a registry can load every file the same way; docs/outcomes-
report.md lists them. A de-identified file carries pseudonyms, an age band and days counted
from the course start, never a name, birth date, record number or calendar date.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

# The follow-ups Prolo schedules by default each get their own columns; a clinic's other
# offsets go together in `other_follow_ups`, so the columns never depend on the data.
FOLLOW_UP_COLUMNS = ("fu-6w", "fu-3m", "fu-6m", "fu-12m")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATOR = "; "

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Identity:
    """What only the identified file carries."""

    patient_id: str
    course_id: str
    mrn: str
    family_name: str
    given_name: str
    date_of_birth: dt.date
    course_start: dt.date


@dataclass(frozen=True)
class Score:
    value: Decimal
    day: int  # days from the course start (negative: before it)
    rule_version: str


@dataclass(frozen=True)
class RegistryRow:
    """One course, as plain data; days are counted from the course's start date."""

    course_pseudonym: str
    patient_pseudonym: str
    age_band: str
    sex: str
    course_type: str
    region: str
    laterality: str
    condition: str
    targets: str
    status: str
    planned_sessions: int
    signed_sessions: int
    last_session_day: int | None
    instrument: str
    mcid: str
    baseline: Score | None
    follow_ups: Mapping[str, Score]  # by time point, "fu-6w" …
    compared_with: str  # the follow-up time point the responder status uses, or ""
    change: Decimal | None
    responder: str  # improved, unchanged, worse, or "" when not reported
    not_reported_because: str
    adverse_events: int
    max_grade: int | None
    dextrose_percents: Sequence[Decimal] = field(default_factory=tuple)
    site_codes: Sequence[str] = field(default_factory=tuple)
    anaesthetics: Sequence[str] = field(default_factory=tuple)  # "lidocaine 0.5%"
    total_volume_ml: Decimal | None = None  # every injection of the signed sessions
    headline_score: str = ""  # the score key the course chose for the instrument ("pain")
    identity: Identity | None = None


IDENTIFIED_COLUMNS = (
    "patient_id",
    "course_id",
    "mrn",
    "family_name",
    "given_name",
    "date_of_birth",
    "course_start_date",
)
COLUMNS = (
    "course_pseudonym",
    "patient_pseudonym",
    "age_band",
    "sex",
    "course_type",
    "region",
    "laterality",
    "condition",
    "targets",
    "course_status",
    "planned_sessions",
    "signed_sessions",
    "last_session_day",
    "instrument",
    "mcid",
    "baseline_score",
    "baseline_day",
    *(f"{tp}_{part}" for tp in FOLLOW_UP_COLUMNS for part in ("score", "day")),
    "other_follow_ups",
    "compared_with",
    "change",
    "responder",
    "not_reported_because",
    "rule_versions",
    "adverse_events",
    "max_adverse_event_grade",
    "dextrose_percents",
    "site_codes",
    # Added after the first release: at the end, so a loader reading by position still works.
    "anaesthetics",
    "total_volume_ml",
    # The course's headline score for the instrument: every score column is on it.
    "headline_score",
)


def header(*, identified: bool) -> list[str]:
    return [*IDENTIFIED_COLUMNS, *COLUMNS] if identified else list(COLUMNS)


def safe(value: Cell) -> str:
    """The cell's text; text a spreadsheet would run as a formula gets a leading apostrophe.

    Numbers are ours, never typed by a user, so a negative number stays a number.
    """
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, int):
        return str(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _identity_cells(identity: Identity | None) -> list[Cell]:
    if identity is None:
        raise ValueError("An identified export needs every row's identity.")
    return [
        identity.patient_id,
        identity.course_id,
        identity.mrn,
        identity.family_name,
        identity.given_name,
        identity.date_of_birth.isoformat(),
        identity.course_start.isoformat(),
    ]


def _score_cells(score: Score | None) -> list[Cell]:
    return [None, None] if score is None else [score.value, score.day]


def _other_follow_ups(follow_ups: Mapping[str, Score]) -> str:
    others = [(tp, s) for tp, s in follow_ups.items() if tp not in FOLLOW_UP_COLUMNS]
    return SEPARATOR.join(f"{tp}={safe(s.value)}@{s.day}" for tp, s in others)


def _rule_versions(row: RegistryRow) -> str:
    scores = [row.baseline, *row.follow_ups.values()]
    return SEPARATOR.join(sorted({s.rule_version for s in scores if s is not None}))


def cells(row: RegistryRow, *, identified: bool) -> list[Cell]:
    out: list[Cell] = _identity_cells(row.identity) if identified else []
    out += [
        row.course_pseudonym,
        row.patient_pseudonym,
        row.age_band,
        row.sex,
        row.course_type,
        row.region,
        row.laterality,
        row.condition,
        row.targets,
        row.status,
        row.planned_sessions,
        row.signed_sessions,
        row.last_session_day,
        row.instrument,
        row.mcid,
        *_score_cells(row.baseline),
    ]
    for timepoint in FOLLOW_UP_COLUMNS:
        out += _score_cells(row.follow_ups.get(timepoint))
    out += [
        _other_follow_ups(row.follow_ups),
        row.compared_with,
        row.change,
        row.responder,
        row.not_reported_because,
        _rule_versions(row),
        row.adverse_events,
        row.max_grade,
        SEPARATOR.join(safe(p) for p in row.dextrose_percents),
        SEPARATOR.join(row.site_codes),
        SEPARATOR.join(row.anaesthetics),
        row.total_volume_ml,
        row.headline_score,
    ]
    return out


class TextSink(Protocol):
    def write(self, text: str, /) -> object: ...


class _Echo:
    """A file-like object whose write() hands back the line, for streaming."""

    def write(self, value: str) -> str:
        return value


def stream_registry_csv(rows: Iterable[RegistryRow], *, identified: bool) -> Iterator[str]:
    """The file line by line (header first), for a streaming HTTP response."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header(identified=identified))
    for row in rows:
        yield writer.writerow([safe(c) for c in cells(row, identified=identified)])


def write_registry_csv(rows: Iterable[RegistryRow], out: TextSink, *, identified: bool) -> None:
    """Write the file to a text stream (open files with newline="")."""
    for line in stream_registry_csv(rows, identified=identified):
        out.write(line)
