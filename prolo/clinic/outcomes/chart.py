"""A progress chart for one instrument as an accessible SVG string (pure: no Django).

The SVG carries role="img" with a <title> and a <desc> that says in words what the chart
shows, so a screen reader gets the same story; the page adds the equivalent data table.
Every text is escaped, because instrument names and labels can hold < & and quotes.
Nothing depends on colour alone: the baseline point is a square, every point is labelled
with its value, and session markers are dashed lines labelled "Session N".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from .instruments import Direction

WIDTH, HEIGHT = 640, 330
LEFT, RIGHT, TOP, BOTTOM = 80, 24, 48, 62  # margins: y tick labels, marker labels, x ticks
PLOT_X0, PLOT_X1 = LEFT, WIDTH - RIGHT
PLOT_Y0, PLOT_Y1 = TOP, HEIGHT - BOTTOM
MAX_X_TICKS = 5
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Point:
    day: dt.date
    value: Decimal
    label: str  # the time point, e.g. "Baseline", "Before session 2"
    baseline: bool = False


@dataclass(frozen=True)
class Marker:
    day: dt.date
    label: str  # "Session 2"


@dataclass(frozen=True)
class Series:
    name: str
    low: Decimal
    high: Decimal
    direction: Direction
    points: Sequence[Point]
    markers: Sequence[Marker] = ()
    baseline: Decimal | None = None  # drawn as a dashed horizontal line
    band: tuple[Decimal, Decimal] | None = None  # e.g. baseline ± MCID: "no real change"


def number(value: Decimal) -> str:
    """7.00 → '7', 42.50 → '42.5', 70 → '70' (never '7E+1')."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def day_text(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def better_end(direction: Direction) -> str:
    return "higher is better" if direction == Direction.HIGHER_IS_BETTER else "lower is better"


def describe(series: Series) -> str:
    """The chart in words, for <desc>: first and last score, direction, sessions."""
    points = sorted(series.points, key=lambda p: p.day)
    range_text = f"scale {number(series.low)} to {number(series.high)}"
    if not points:
        text = f"{series.name}: no scores recorded; {range_text}, {better_end(series.direction)}"
    elif len(points) == 1:
        only = points[0]
        text = (
            f"{series.name}: one score, {_spoken(only)}; {range_text}, "
            f"{better_end(series.direction)}"
        )
    else:
        first, last = points[0], points[-1]
        text = (
            f"{series.name} from {_spoken(first)} to {_spoken(last)}, {len(points)} scores; "
            f"{range_text}, {better_end(series.direction)}"
        )
    if series.baseline is not None:
        text += f"; dashed line: baseline {number(series.baseline)}"
    if series.band is not None:
        low, high = sorted(series.band)
        text += f"; shaded band: within the MCID of baseline ({number(low)} to {number(high)})"
    if series.markers:
        sessions = ", ".join(f"{m.label} on {day_text(m.day)}" for m in _by_day(series.markers))
        text += f"; sessions: {sessions}"
    return text + "."


def _spoken(point: Point) -> str:
    """'7 on 3 Mar 2026 (baseline)'; a label's own brackets become a comma."""
    label = point.label.lower().replace(" (", ", ").replace("(", "").replace(")", "")
    return f"{number(point.value)} on {day_text(point.day)} ({label})"


def _by_day(markers: Sequence[Marker]) -> list[Marker]:
    return sorted(markers, key=lambda m: m.day)


@dataclass(frozen=True)
class _Scale:
    """Maps dates and scores to SVG coordinates inside the plot area."""

    first: int  # date ordinals
    last: int
    low: Decimal
    high: Decimal
    single_day: bool = False  # padded by a day either side to centre one date

    def x(self, day: dt.date) -> float:
        share = (day.toordinal() - self.first) / (self.last - self.first)
        return round(PLOT_X0 + share * (PLOT_X1 - PLOT_X0), 1)

    def y(self, value: Decimal) -> float:
        clamped = min(max(value, self.low), self.high)
        share = float((clamped - self.low) / (self.high - self.low))
        return round(PLOT_Y1 - share * (PLOT_Y1 - PLOT_Y0), 1)


def _scale(series: Series) -> _Scale:
    days = [p.day.toordinal() for p in series.points] + [m.day.toordinal() for m in series.markers]
    first, last = (min(days), max(days)) if days else (0, 0)
    single_day = first == last
    if single_day:  # centre the one date
        first, last = first - 1, last + 1
    high = series.high if series.high > series.low else series.low + 1
    return _Scale(first, last, series.low, high, single_day)


def _x_ticks(scale: _Scale) -> list[dt.date]:
    if scale.first < 1:  # no dates at all: an empty chart has no date axis
        return []
    if scale.single_day:
        return [dt.date.fromordinal(scale.first + 1)]
    span = scale.last - scale.first
    count = min(MAX_X_TICKS, span + 1)
    ordinals = sorted({scale.first + round(i * span / (count - 1)) for i in range(count)})
    return [dt.date.fromordinal(o) for o in ordinals]


def _y_ticks(series: Series, scale: _Scale) -> list[str]:
    best_is_high = series.direction == Direction.HIGHER_IS_BETTER
    out = []
    for i in range(5):
        value = scale.low + (scale.high - scale.low) * Decimal(i) / 4
        text = number(value.quantize(Decimal("0.1")))
        if i == 0:
            text += " (worst)" if best_is_high else " (best)"
        if i == 4:
            text += " (best)" if best_is_high else " (worst)"
        y = scale.y(value)
        out.append(
            f'<line class="grid" x1="{PLOT_X0}" y1="{y}" x2="{PLOT_X1}" y2="{y}"/>'
            f'<text class="tick" x="{PLOT_X0 - 6}" y="{y + 4}" text-anchor="end">'
            f"{escape(text)}</text>"
        )
    return out


def _axes(series: Series, scale: _Scale) -> list[str]:
    parts = [
        f'<rect class="plot" x="{PLOT_X0}" y="{PLOT_Y0}" width="{PLOT_X1 - PLOT_X0}" '
        f'height="{PLOT_Y1 - PLOT_Y0}"/>',
        *_y_ticks(series, scale),
        f'<text class="axis-label" x="{PLOT_X0}" y="16">'
        f"{escape(f'{series.name}, {better_end(series.direction)}')}</text>",
    ]
    for day in _x_ticks(scale):
        x = scale.x(day)
        # The end labels are anchored inwards so they never run off the chart.
        anchor = "start" if x == PLOT_X0 else "end" if x == PLOT_X1 else "middle"
        parts.append(
            f'<line class="tick-mark" x1="{x}" y1="{PLOT_Y1}" x2="{x}" y2="{PLOT_Y1 + 5}"/>'
            f'<text class="tick" x="{x}" y="{PLOT_Y1 + 20}" text-anchor="{anchor}">'
            f"{escape(day_text(day))}</text>"
        )
    parts.append(
        f'<text class="axis-label" x="{(PLOT_X0 + PLOT_X1) / 2}" y="{HEIGHT - 10}" '
        f'text-anchor="middle">Date answered</text>'
    )
    return parts


def _reference(series: Series, scale: _Scale) -> list[str]:
    parts = []
    if series.band is not None:
        low, high = sorted(series.band)
        top, bottom = scale.y(high), scale.y(low)
        parts.append(
            f'<rect class="band" x="{PLOT_X0}" y="{top}" width="{PLOT_X1 - PLOT_X0}" '
            f'height="{round(bottom - top, 1)}"/>'
            f'<text class="band-label" x="{PLOT_X1 - 4}" y="{bottom - 4}" text-anchor="end">'
            f"Within the MCID of baseline</text>"
        )
    if series.baseline is not None:
        y = scale.y(series.baseline)
        parts.append(
            f'<line class="baseline" x1="{PLOT_X0}" y1="{y}" x2="{PLOT_X1}" y2="{y}"/>'
            f'<text class="band-label" x="{PLOT_X1 - 4}" y="{y - 4}" text-anchor="end">'
            f"{escape(f'Baseline {number(series.baseline)}')}</text>"
        )
    return parts


def _markers(series: Series, scale: _Scale) -> list[str]:
    parts = []
    for i, marker in enumerate(_by_day(series.markers)):
        x = scale.x(marker.day)
        label_y = PLOT_Y0 - 20 + (i % 2) * 12  # alternate rows so close sessions stay legible
        parts.append(
            f'<line class="marker" x1="{x}" y1="{PLOT_Y0}" x2="{x}" y2="{PLOT_Y1}"/>'
            f'<text class="marker-label" x="{x}" y="{label_y}" text-anchor="middle">'
            f"{escape(marker.label)}</text>"
        )
    return parts


def _points(series: Series, scale: _Scale) -> list[str]:
    ordered = sorted(series.points, key=lambda p: p.day)
    coords = [(scale.x(p.day), scale.y(p.value)) for p in ordered]
    parts = []
    if len(coords) > 1:
        path = " ".join(f"{x},{y}" for x, y in coords)
        parts.append(f'<polyline class="line" points="{path}"/>')
    for point, (x, y) in zip(ordered, coords, strict=True):
        tip = escape(f"{point.label}, {day_text(point.day)}: {number(point.value)}")
        if point.baseline:
            shape = f'<rect class="point" x="{x - 5}" y="{y - 5}" width="10" height="10">'
        else:
            shape = f'<circle class="point" cx="{x}" cy="{y}" r="5">'
        closing = "</rect>" if point.baseline else "</circle>"
        parts.append(
            f"{shape}<title>{tip}</title>{closing}"
            f'<text class="value" x="{x}" y="{_value_y(y)}" text-anchor="middle">'
            f"{escape(number(point.value))}</text>"
        )
    return parts


def _value_y(y: float) -> float:
    """Above the point, or below it at the top of the plot (clear of the session labels)."""
    return y + 18 if y - 9 < PLOT_Y0 + 10 else y - 9


def render(series: Series, id_prefix: str) -> str:
    """The chart as an SVG string; `id_prefix` makes the title/desc ids unique on the page."""
    prefix = _UNSAFE_ID.sub("-", id_prefix)
    if not prefix[:1].isalpha():  # an XML id starts with a letter
        prefix = f"chart-{prefix}"
    title_id, desc_id = f"{prefix}-title", f"{prefix}-desc"
    scale = _scale(series)
    body = (
        _axes(series, scale)
        + _reference(series, scale)
        + _markers(series, scale)
        + _points(series, scale)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="outcome-chart" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'role="img" aria-labelledby="{title_id} {desc_id}">'
        f'<title id="{title_id}">{escape(f"{series.name}: progress chart")}</title>'
        f'<desc id="{desc_id}">{escape(describe(series))}</desc>' + "".join(body) + "</svg>"
    )


def plot_area() -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of the plot area, for tests and callers that overlay it."""
    return PLOT_X0, PLOT_Y0, PLOT_X1, PLOT_Y1
