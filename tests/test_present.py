"""Clipping fields: flags, dates, reading time, layout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from newsdesk.enrich.readingtime import reading_time
from newsdesk.models import Article
from newsdesk.present.clipping import NNBSP, build_clipping
from newsdesk.present.dates import long_date, short_date
from newsdesk.present.flags import UNKNOWN_FLAG, language_flag
from newsdesk.present.render import render_clipping


def test_flags() -> None:
    assert language_flag("en") == "🇬🇧"
    assert language_flag("fr") == "🇫🇷"
    assert language_flag("uk") == "🇺🇦"
    assert language_flag("xx") == UNKNOWN_FLAG
    assert language_flag(None) == UNKNOWN_FLAG
    assert language_flag("en", {"en": "🇺🇸"}) == "🇺🇸"


def test_dates_follow_the_locale() -> None:
    day = datetime(2025, 12, 6, 10, 0, tzinfo=UTC)
    assert short_date(day, "fr") == "06/12/2025"
    assert short_date(day, "en-US") == "12/6/2025"
    assert long_date(datetime(2025, 12, 4, 9, 0, tzinfo=timezone(timedelta(hours=3))), "en") == (
        "Thursday, December 4, 2025"
    )
    assert long_date(day, "fr") == "samedi 6 décembre 2025"


def test_reading_time() -> None:
    assert reading_time(["word " * 1008]) == (1008, 6)
    assert reading_time(["word " * 200]) == (200, 1)
    assert reading_time(["word " * 201]) == (201, 2)
    words, minutes = reading_time(["中" * 1000])  # no spaces: characters at 500 a minute
    assert (words, minutes) == (1000, 2)
    assert reading_time([None, ""]) == (0, 0)


def _article(**changes) -> Article:
    base = dict(
        id=7,
        url="https://example.org/a",
        canonical_url="https://example.org/a",
        outlet="example.org",
        title="Title",
        lede=None,
        byline=None,
        published=None,
        collected=datetime(2025, 12, 6, 10, 0, tzinfo=UTC),
        paragraphs=["One.", "Two."],
        language="de",
        reading_time=1,
    )
    base.update(changes)
    return Article(**base)


def test_missing_fields_leave_their_line_out() -> None:
    text = render_clipping(build_clipping(_article(), None, "en"), "text")
    assert text == f"12/6/2025 example.org {NNBSP}1min 🇩🇪 #7\n\nTitle\n\nOne.\n\nTwo.\n\nexample.org\n"


def test_html_clipping_escapes_content() -> None:
    html = render_clipping(build_clipping(_article(title="<script>alert(1)</script>"), None, "en"), "html")
    assert "<script>" not in html and "&lt;script&gt;" in html
