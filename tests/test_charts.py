"""The story timeline: volume per bin, stacked by outlet, with its unit and highest count."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from newsdesk.present.charts import MAX_BINS, timeline

T0 = datetime(2025, 12, 3, 6, 10, tzinfo=UTC)


def _bars(svg: str) -> list[tuple[float, float]]:
    return [
        (float(x), float(h))
        for x, h in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="[\d.]+" height="([\d.]+)"', svg)
    ]


def test_articles_of_one_hour_stack_into_one_bar_of_their_volume() -> None:
    points = [
        ("a.example", T0),
        ("a.example", T0 + timedelta(minutes=5)),
        ("b.example", T0 + timedelta(minutes=9)),
    ]
    points.append(("b.example", T0 + timedelta(hours=5)))
    svg = str(timeline(points, ["a.example", "b.example"], lambda t: t.isoformat()))
    bars = _bars(svg)
    first_hour = [h for x, h in bars if x == 0.0]
    assert len(first_hour) == 2 and abs(sum(first_hour) - 110) < 0.5  # the highest bin fills the chart
    later = [h for x, h in bars if x > 0]
    assert len(later) == 1 and abs(later[0] - 110 / 3) < 0.5  # one article: a third of the highest
    assert "articles per hour" in svg and "highest: 3" in svg


def test_a_sparse_story_gets_wider_bins() -> None:
    points = [("a.example", T0 + timedelta(days=d)) for d in range(0, 20, 3)]
    svg = str(timeline(points, ["a.example"], lambda t: t.isoformat()))
    assert "articles per day" in svg
    assert len(_bars(svg)) == len(points)
    assert len(re.findall(r"<rect", svg)) <= MAX_BINS
