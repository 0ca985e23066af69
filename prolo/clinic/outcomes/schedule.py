"""When a course's questionnaires fall due: baseline, before each session, and follow-ups.

    baseline     every course instrument, from planning until the first session
    session-N    the session instruments, on the day of session N (N ≥ 2: session 1's
                 "before" is the baseline), due until that session is done
    fu-6w …      every course instrument, the offset after the course's last session

The last session is the last one signed once the course is closed, otherwise the last one
still booked. The schedule is derived, never stored: moving or cancelling a session moves
or drops its questionnaires. A follow-up offset is "<n>w" (weeks) or "<n>m" (calendar months,
clamped to the month's last day). Defaults: 6 weeks, 3, 6 and 12 months [domain notes §5].
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .instruments import INSTRUMENTS

DEFAULT_INSTRUMENTS = ("pain_nrs",)
DEFAULT_SESSION_INSTRUMENTS = ("pain_nrs",)
DEFAULT_FOLLOW_UPS = ("6w", "3m", "6m", "12m")
MAX_FOLLOW_UP_WEEKS = 260
MAX_FOLLOW_UP_MONTHS = 60
DUE_SOON_DAYS = 7  # the due list also shows what falls due within a week

_OFFSET = re.compile(r"^(\d{1,3})([wm])$")


def default_instruments() -> list[str]:
    return list(DEFAULT_INSTRUMENTS)


def default_session_instruments() -> list[str]:
    return list(DEFAULT_SESSION_INSTRUMENTS)


def default_follow_ups() -> list[str]:
    return list(DEFAULT_FOLLOW_UPS)


class ScheduleError(ValueError):
    pass


def parse_offset(text: str) -> tuple[int, str]:
    """'6w' → (6, 'w'); '3m' → (3, 'm'). Raises ScheduleError naming what is allowed."""
    match = _OFFSET.match(text.strip().lower())
    if not match:
        raise ScheduleError(
            f"{text!r} is not a follow-up: write a number of weeks or months, e.g. 6w or 3m."
        )
    count, unit = int(match.group(1)), match.group(2)
    limit = MAX_FOLLOW_UP_WEEKS if unit == "w" else MAX_FOLLOW_UP_MONTHS
    if not 1 <= count <= limit:
        word = "weeks" if unit == "w" else "months"
        raise ScheduleError(f"{text!r}: a follow-up is 1 to {limit} {word} after the last session.")
    return count, unit


def clean_follow_ups(values: Iterable[str]) -> list[str]:
    """Normalised, de-duplicated and in time order ('3m' after '6w')."""
    parsed = {parse_offset(v) for v in values if v.strip()}
    ordered = sorted(parsed, key=lambda p: _approx_days(*p))
    return [f"{count}{unit}" for count, unit in ordered]


def clean_instruments(values: Iterable[str], *, field: str) -> list[str]:
    codes = []
    for value in values:
        if value not in INSTRUMENTS:
            raise ScheduleError(f"{field}: {value!r} is not one of Prolo's instruments.")
        if value not in codes:
            codes.append(value)
    return codes


def _approx_days(count: int, unit: str) -> int:
    return count * 7 if unit == "w" else count * 31


def add_offset(day: dt.date, offset: str) -> dt.date:
    count, unit = parse_offset(offset)
    if unit == "w":
        return day + dt.timedelta(weeks=count)
    month_index = day.month - 1 + count
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def offset_label(offset: str) -> str:
    count, unit = parse_offset(offset)
    if unit == "w":
        return f"{count} week{'s' if count != 1 else ''} after the last session"
    return f"{count} month{'s' if count != 1 else ''} after the last session"


def timepoint_label(timepoint: str) -> str:
    """'baseline' → 'Baseline'; 'session-3' → 'Before session 3'; 'fu-3m' → '3 months after …'."""
    if timepoint == "baseline":
        return "Baseline"
    if timepoint.startswith("session-"):
        return f"Before session {timepoint.removeprefix('session-')}"
    if timepoint.startswith("fu-"):
        return offset_label(timepoint.removeprefix("fu-")).capitalize()
    return "Extra (not scheduled)"


class State(StrEnum):
    DONE = "done"
    DUE = "due"  # due today or overdue
    UPCOMING = "upcoming"
    MISSED = "missed"  # a before-session questionnaire whose session has passed


@dataclass(frozen=True)
class SessionSlot:
    number: int
    day: dt.date
    signed: bool
    cancelled: bool


@dataclass(frozen=True)
class CoursePlan:
    start: dt.date
    closed: bool
    instruments: Sequence[str]
    session_instruments: Sequence[str]
    follow_ups: Sequence[str]
    sessions: Sequence[SessionSlot]


@dataclass(frozen=True)
class Due:
    instrument: str
    timepoint: str
    due: dt.date
    state: State

    @property
    def label(self) -> str:
        return timepoint_label(self.timepoint)


def last_session_day(plan: CoursePlan) -> dt.date | None:
    days = [s.day for s in plan.sessions if (s.signed if plan.closed else not s.cancelled)]
    return max(days, default=None)


def schedule(plan: CoursePlan, answered: set[tuple[str, str]], today: dt.date) -> list[Due]:
    """Every questionnaire of the course with its due date and state, in date order.

    `answered` holds (instrument, timepoint) pairs already recorded for the course.
    """
    booked = sorted((s for s in plan.sessions if not s.cancelled), key=lambda s: s.number)
    first = booked[0].day if booked else plan.start
    started = any(s.signed for s in booked)  # a score after treatment is no baseline
    rows: list[tuple[str, str, dt.date, bool]] = [
        (code, "baseline", min(plan.start, first), started) for code in plan.instruments
    ]
    for slot in booked:
        if slot.number == 1:
            continue
        passed = slot.signed or (plan.closed and slot.day < today)
        rows += [
            (code, f"session-{slot.number}", slot.day, passed) for code in plan.session_instruments
        ]
    last = last_session_day(plan)
    if last is not None:
        for offset in plan.follow_ups:
            rows += [
                (code, f"fu-{offset}", add_offset(last, offset), False) for code in plan.instruments
            ]
    out = [
        Due(code, tp, day, _state((code, tp) in answered, passed, day, today))
        for code, tp, day, passed in rows
    ]
    return sorted(out, key=lambda d: (d.due, d.timepoint, d.instrument))


def _state(done: bool, passed: bool, due: dt.date, today: dt.date) -> State:
    if done:
        return State.DONE
    if passed:
        return State.MISSED
    return State.DUE if due <= today else State.UPCOMING


def is_listed(due: Due, today: dt.date) -> bool:
    """On the staff due list: due now, or falling due within the week."""
    if due.state == State.DUE:
        return True
    return due.state == State.UPCOMING and (due.due - today).days <= DUE_SOON_DAYS
