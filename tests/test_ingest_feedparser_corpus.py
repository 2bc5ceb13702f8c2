"""Every file of feedparser's own test corpus goes through parse_feed without an unhandled exception."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from newsdesk.ingest.feeds import FeedError, parse_feed
from newsdesk.models import ParsedFeed

NOT_FEEDS = {"README.md", "LICENSE.feedparser"}


@pytest.fixture(scope="module")
def corpus(shared_data: Path) -> Path:
    folder = shared_data / "feedparser-tests"
    if not folder.is_dir():
        pytest.skip(f"feedparser test corpus not found at {folder}")
    return folder


def _check_types(feed: ParsedFeed) -> None:
    for value in (feed.title, feed.site_url, feed.language, feed.format, feed.warning):
        assert value is None or isinstance(value, str)
    for entry in feed.entries:
        assert isinstance(entry.url, str) and entry.url.startswith(("http://", "https://"))
        for value in (entry.title, entry.summary, entry.author, entry.guid, entry.language):
            assert value is None or isinstance(value, str)
        if entry.published is not None:
            assert isinstance(entry.published, datetime) and entry.published.tzinfo is not None


def test_every_file_parses_or_raises_feed_error(corpus: Path) -> None:
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.name not in NOT_FEEDS)
    assert len(files) >= 2000
    parsed = rejected = entries = 0
    for path in files:
        rel = path.relative_to(corpus).as_posix()
        try:
            feed = parse_feed(f"http://example.org/{rel}", path.read_bytes())
        except FeedError as exc:
            assert str(exc), rel
            rejected += 1
            continue
        except Exception as exc:  # the point of the test: name the file that broke
            pytest.fail(f"{rel}: unhandled {type(exc).__name__}: {exc}")
        _check_types(feed)
        parsed += 1
        entries += len(feed.entries)
    assert parsed > 1500, (parsed, rejected)
    assert entries > 50


def test_wellformed_rss_and_atom_are_accepted(corpus: Path) -> None:
    for sub in ("wellformed/rss", "wellformed/atom10", "wellformed/rdf"):
        for path in sorted((corpus / sub).glob("*.xml")):
            feed = parse_feed("http://example.org/feed", path.read_bytes())
            assert feed.format, path.name


def test_json_feed_example(corpus: Path) -> None:
    feed = parse_feed("http://example.org/feed.json", (corpus / "json" / "example.json").read_bytes())
    assert feed.format == "json1"
    assert feed.title == "My Example Feed"
    assert feed.site_url == "https://example.org/"
    assert [e.url for e in feed.entries] == [
        "https://example.org/second-item",
        "https://example.org/initial-post",
    ]
    assert feed.entries[1].summary == "Hello, world!"
