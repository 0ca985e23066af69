"""The progress chart SVG: escaped, labelled for screen readers, and every point in the plot."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from prolo.clinic.outcomes.chart import Marker, Point, Series, describe, plot_area, render
from prolo.clinic.outcomes.instruments import Direction

SVG = "{http://www.w3.org/2000/svg}"
D = Decimal


def nrs(points, markers=(), **kwargs) -> Series:
    return Series(
        name="Pain NRS",
        low=D(0),
        high=D(10),
        direction=Direction.HIGHER_IS_WORSE,
        points=points,
        markers=markers,
        **kwargs,
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def child(root: ET.Element, tag: str) -> ET.Element:
    found = root.find(f"{SVG}{tag}")
    assert found is not None, tag
    return found


def num(element: ET.Element, name: str) -> float:
    return float(element.get(name, "nan"))


def point_centres(root: ET.Element) -> list[tuple[float, float]]:
    centres = [(num(c, "cx"), num(c, "cy")) for c in root.iter(f"{SVG}circle")]
    centres += [
        (num(r, "x") + 5, num(r, "y") + 5)
        for r in root.iter(f"{SVG}rect")
        if r.get("class") == "point"
    ]
    return centres


COURSE = [
    Point(dt.date(2026, 3, 3), D(7), "Baseline", baseline=True),
    Point(dt.date(2026, 4, 1), D(5), "Before session 2"),
    Point(dt.date(2026, 5, 12), D(3), "6 weeks after the last session"),
]
SESSIONS = [Marker(dt.date(2026, 3, 5), "Session 1"), Marker(dt.date(2026, 4, 1), "Session 2")]


def test_title_and_desc_are_linked_by_ids_unique_to_the_prefix():
    root = parse(render(nrs(COURSE), "outcome-pain_nrs"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "outcome-pain_nrs-title outcome-pain_nrs-desc"
    assert child(root, "title").get("id") == "outcome-pain_nrs-title"
    assert child(root, "desc").get("id") == "outcome-pain_nrs-desc"
    other = parse(render(nrs(COURSE), "outcome-koos"))
    assert child(other, "title").get("id") != child(root, "title").get("id")


def test_it_scales_to_the_width_of_a_phone():
    root = parse(render(nrs(COURSE), "c"))
    assert root.get("width") == "100%"
    assert root.get("viewBox") == "0 0 640 330"


def test_desc_tells_the_story_in_words():
    text = describe(nrs(COURSE, SESSIONS))
    assert text.startswith(
        "Pain NRS from 7 on 3 Mar 2026 (baseline) to 3 on 12 May 2026 "
        "(6 weeks after the last session), 3 scores"
    )
    assert "lower is better" in text
    assert "Session 1 on 5 Mar 2026, Session 2 on 1 Apr 2026" in text


def test_direction_text_follows_the_instrument():
    koos = Series("KOOS", D(0), D(100), Direction.HIGHER_IS_BETTER, COURSE)
    svg = render(koos, "k")
    assert "higher is better" in svg
    assert "100 (best)" in svg
    assert "0 (worst)" in svg
    assert "10 (worst)" in render(nrs(COURSE), "n")


def test_names_and_labels_are_escaped():
    series = Series(
        name='<script>alert("x")</script> & Co',
        low=D(0),
        high=D(10),
        direction=Direction.HIGHER_IS_WORSE,
        points=[Point(dt.date(2026, 1, 1), D(4), 'Extra <"b"> & more')],
        markers=[Marker(dt.date(2026, 1, 2), 'Session <1> & "2"')],
    )
    svg = render(series, 'bad id "><x')
    root = parse(svg)  # escaped, or it would not parse
    assert "<script>" not in svg
    assert str(child(root, "title").text).startswith('<script>alert("x")</script> & Co')
    assert child(root, "title").get("id") == "bad-id----x-title"
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "marker-label"]
    assert labels == ['Session <1> & "2"']


def test_one_point_is_drawn_in_the_middle():
    root = parse(render(nrs([Point(dt.date(2026, 3, 3), D(6), "Extra (not scheduled)")]), "o"))
    x0, _, x1, _ = plot_area()
    [(x, _y)] = point_centres(root)
    assert x == (x0 + x1) / 2
    assert "one score, 6 on 3 Mar 2026 (extra, not scheduled)" in describe(
        nrs([Point(dt.date(2026, 3, 3), D(6), "Extra (not scheduled)")])
    )


def test_scores_at_the_ends_of_the_range_sit_on_the_plot_edges():
    points = [Point(dt.date(2026, 3, 3), D(10), "Baseline"), Point(dt.date(2026, 3, 3), D(0), "x")]
    _, y0, _, y1 = plot_area()
    ys = sorted(y for _x, y in point_centres(parse(render(nrs(points), "e"))))
    assert ys == [y0, y1]


def test_sessions_are_dashed_labelled_lines_and_the_baseline_a_square():
    root = parse(render(nrs(COURSE, SESSIONS, baseline=D(7), band=(D(5), D(9))), "m"))
    lines = [ln for ln in root.iter(f"{SVG}line") if ln.get("class") == "marker"]
    assert len(lines) == 2
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "marker-label"]
    assert labels == ["Session 1", "Session 2"]
    squares = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "point"]
    assert len(squares) == 1
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "value"]
    assert values == ["7", "5", "3"]
    assert "Baseline 7" in render(nrs(COURSE, baseline=D(7)), "b")


def test_an_empty_series_still_renders():
    root = parse(render(nrs([]), "z"))
    assert "no scores recorded" in str(child(root, "desc").text)


days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))


@st.composite
def series(draw):
    low = draw(st.integers(min_value=-50, max_value=50))
    high = low + draw(st.integers(min_value=1, max_value=200))
    values = st.decimals(min_value=low, max_value=high, places=2, allow_nan=False)
    points = draw(
        st.lists(st.builds(Point, days, values, st.text(max_size=20)), min_size=1, max_size=30)
    )
    markers = draw(st.lists(st.builds(Marker, days, st.text(max_size=12)), max_size=10))
    direction = draw(st.sampled_from(list(Direction)))
    return Series(draw(st.text(max_size=40)), D(low), D(high), direction, points, markers)


def _xml_safe(s: Series) -> bool:
    """XML 1.0 cannot hold control characters at all, escaped or not: skip those texts."""
    texts = [s.name] + [p.label for p in s.points] + [m.label for m in s.markers]
    return all(ch in "\t\n\r" or ord(ch) >= 0x20 for t in texts for ch in t) and all(
        not 0xD800 <= ord(ch) <= 0xDFFF and ord(ch) not in (0xFFFE, 0xFFFF)
        for t in texts
        for ch in t
    )


@settings(max_examples=60, deadline=None)
@given(series())
def test_any_series_in_range_parses_and_stays_inside_the_plot(s):
    if not _xml_safe(s):
        return
    root = parse(render(s, "h"))
    x0, y0, x1, y1 = plot_area()
    centres = point_centres(root)
    assert len(centres) == len(s.points)
    for x, y in centres:
        assert x0 <= x <= x1
        assert y0 <= y <= y1
