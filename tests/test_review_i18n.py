"""Press reviews and digests with their labels in the reader's language (``--lang``)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk.cli.common import out
from newsdesk.present.dates import relative_time
from newsdesk.present.render import render_review
from newsdesk.present.review import PressReview, ReviewEntry
from tests.support import Cli, write_config
from tests.web_support import copy_of, demo_db


def test_press_review_labels_follow_the_cli_language(tmp_path: Path) -> None:
    db = copy_of(demo_db(), tmp_path)
    french = Cli(db, write_config(tmp_path), lang="fr")
    story_id = re.search(r"^\W*(\d+)\W", french("stories", "--since", "all").stdout, re.M).group(1)
    text = french("review", story_id).stdout
    assert re.search(r"\d médias?, \d+ articles? \([^)]*\), langues\u00a0: ", text)
    markdown = french("review", story_id, "--format", "md").stdout
    assert "## Couverture" in markdown and "## Coupures de presse" in markdown
    assert "| date | | média | titre |" in markdown
    english = Cli(db, write_config(tmp_path), lang="en")
    assert "## Coverage" in english("review", story_id, "--format", "md").stdout


def _review(outlets: int, language: str) -> PressReview:
    return PressReview(
        story_id=1,
        headline="Headline",
        reader_language=language,
        first_seen="",
        last_seen="",
        outlets=[f"outlet{i}.example" for i in range(outlets)],
        languages=["en"],
    )


@pytest.mark.parametrize(("outlets", "shown"), [(1, "1 издание"), (2, "2 издания"), (5, "5 изданий")])
@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_review_counts_in_russian(outlets: int, shown: str, fmt: str) -> None:
    assert f"{shown}" in render_review(_review(outlets, "ru"), fmt)


def test_translated_html_labels_escape_what_they_interpolate() -> None:
    review = _review(2, "de")
    review.entries = [
        ReviewEntry(1, "4.12.2025 09:00", None, "<b>evil</b>", "", "en", "T", None, "https://x.example/")
    ]
    html = render_review(review, "html")
    assert "2 Medien · 1 Artikel" in html and "<h2>Presseausschnitte</h2>" in html
    assert "zuerst gemeldet von <strong>&lt;b&gt;evil&lt;/b&gt;</strong>" in html


def test_reading_commands_speak_the_reader_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(out, "_width", 250)  # tables unwrapped
    db = copy_of(demo_db(), tmp_path)
    german = Cli(db, write_config(tmp_path), lang="de")
    assert "Schlagzeile" in german("stories", "--since", "all").stdout
    assert "Entität" in german("entities").stdout
    assert "nichts gefunden für 'zzzzqqq'" in german("search", "zzzzqqq").stdout
    feeds = german("feeds", "list").stdout
    assert "Status" in feeds and "letzter Abruf" in feeds
    assert "Thema" in german("quotes").stdout
    english = Cli(db, write_config(tmp_path), lang="en")
    assert "headline" in english("stories", "--since", "all").stdout


@pytest.mark.parametrize(
    ("language", "ago", "ahead"),
    [
        ("fr", "il y a 2\u00a0h", "dans 3\u00a0min"),
        ("de", "vor 2 Std.", "in 3 Min."),
        ("ru", "2 ч назад", "через 3 мин."),
    ],
)
def test_relative_times_in_the_readers_language(language: str, ago: str, ahead: str) -> None:
    now = datetime(2025, 12, 4, 12, 0, tzinfo=UTC)
    assert relative_time(now - timedelta(hours=2, minutes=10), language, now) == ago
    assert relative_time(now + timedelta(minutes=3), language, now) == ahead
    assert relative_time(datetime(2025, 12, 4, 10, 0), language, now) == ago  # a naive time is UTC
