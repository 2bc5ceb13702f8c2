"""Small server-rendered SVG charts: a row's sparkline and a story's timeline by outlet."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from markupsafe import Markup, escape

from newsdesk.i18n import translations

PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip
BIN_HOURS = (1, 2, 3, 6, 12, 24, 48, 168, 720)
# At most this many bars in a story's timeline: sparse stories get wider bins, so that the bars show volume.
MAX_BINS = 36


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _bucket(when: datetime, start: datetime, width: timedelta, count: int) -> int:
    return min(max(int((when - start) / width), 0), count - 1)


def sparkline(
    times: Sequence[datetime], start: datetime, end: datetime, buckets: int = 24, language: str | None = None
) -> Markup:
    """Articles over time as a row of bars between ``start`` and ``end``, labelled in a reader language."""
    width = max(end - start, timedelta(minutes=1)) / buckets
    counts = Counter(_bucket(t, start, width, buckets) for t in times)
    top = max(counts.values(), default=1)
    bars = "".join(
        f'<rect x="{i * 3}" y="{16 - h:.1f}" width="2" height="{h:.1f}"/>'
        for i in range(buckets)
        if (h := 16 * counts.get(i, 0) / top) > 0
    )
    n = len(times)
    words = translations(language).ngettext("%(num)d article over time", "%(num)d articles over time", n)
    label = escape(words % {"num": n})
    return Markup(
        f'<svg class="spark" viewBox="0 0 {buckets * 3} 16" width="{buckets * 3}" height="16" '
        f'role="img" aria-label="{label}"><title>{label}</title>{bars}</svg>'
    )


def _per_bin(hours: int, language: str | None) -> tuple[str, str]:
    """The caption's and the axis's wording for bins of ``hours`` (with ``%(first)s``, ``%(last)s``)."""
    t = translations(language)
    if hours == 1:
        return t.gettext("Articles per hour by outlet, %(first)s to %(last)s"), t.gettext("articles per hour")
    if hours == 24:
        return t.gettext("Articles per day by outlet, %(first)s to %(last)s"), t.gettext("articles per day")
    caption = t.ngettext(
        "Articles per %(num)d hour by outlet, %(first)s to %(last)s",
        "Articles per %(num)d hours by outlet, %(first)s to %(last)s",
        hours,
    )
    return caption, t.ngettext("articles per %(num)d hour", "articles per %(num)d hours", hours)


def timeline(
    points: Sequence[tuple[str, datetime]],
    outlets: Sequence[str],
    label: Callable[[datetime], str],
    language: str | None = None,
) -> Markup:
    """Articles per hour (or wider bins: at most ``MAX_BINS`` over the story), stacked by outlet, with
    the unit and the highest count above the bars and the first and last bins' times below; its
    words in a reader language."""
    if not points:
        return Markup("")
    first = min(t for _, t in points).replace(minute=0, second=0, microsecond=0)
    last = max(t for _, t in points)
    hours = next((h for h in BIN_HOURS if (last - first) / timedelta(hours=h) < MAX_BINS), BIN_HOURS[-1])
    width = timedelta(hours=hours)
    bins = int((last - first) / width) + 1
    counts = Counter((outlet, _bucket(t, first, width, bins)) for outlet, t in points)
    totals = Counter(b for _, b in counts.elements())
    top = max(totals.values())
    chart_w, chart_h, head, bar_w = 720, 110, 16, 720 / bins
    parts = []
    for b in range(bins):
        y = head + chart_h
        for index, outlet in enumerate(outlets):
            n = counts.get((outlet, b), 0)
            if not n:
                continue
            h = chart_h * n / top
            y -= h
            tip = escape(f"{outlet}: {n} ({label(first + b * width)})")
            parts.append(
                f'<rect x="{b * bar_w:.1f}" y="{y:.1f}" width="{max(bar_w - 1, 1):.1f}" height="{h:.1f}" '
                f'fill="{colour(index)}"><title>{tip}</title></rect>'
            )
    caption_text, axis = _per_bin(hours, language)
    caption = escape(caption_text % {"num": hours, "first": label(first), "last": label(last)})
    highest = translations(language).gettext("highest: %(num)d") % {"num": top}
    base = head + chart_h
    return Markup(
        f'<svg class="timeline" viewBox="0 0 {chart_w} {base + 16}" role="img" aria-label="{caption}">'
        f"<title>{caption}</title>"
        f'<text x="0" y="11" font-size="11">{escape(axis % {"num": hours})}</text>'
        f'<text x="{chart_w}" y="11" font-size="11" text-anchor="end">{escape(highest)}</text>'
        f'<line x1="0" y1="{head}" x2="{chart_w}" y2="{head}" stroke="#ddd"/>'
        f"{''.join(parts)}"
        f'<line x1="0" y1="{base}" x2="{chart_w}" y2="{base}" stroke="#888"/>'
        f'<text x="0" y="{base + 13}" font-size="11">{escape(label(first))}</text>'
        f'<text x="{chart_w}" y="{base + 13}" font-size="11" text-anchor="end">{escape(label(last))}</text>'
        "</svg>"
    )


def swatch(index: int) -> Markup:
    """A small coloured square matching an outlet's colour in the timeline."""
    return Markup(
        f'<svg class="swatch" width="10" height="10">'
        f'<rect width="10" height="10" fill="{colour(index)}"/></svg>'
    )
