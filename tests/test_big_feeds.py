"""A huge feed never starves the others: a poll reads a feed's newest entries only, pages are fetched
in rounds taken from the feeds in turn and each round is processed before the next is fetched. A host
that answers 429 or 503 with Retry-After (seconds or an HTTP date) is asked nothing, feed or page,
before the time it named; the wait is shown in ``feeds list``."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from newsdesk.cli.collect import _clock, fetch_once
from newsdesk.cli.common import out
from newsdesk.ingest.retryafter import host_wait, parse_retry_after
from newsdesk.models import FeedEntry
from newsdesk.pipeline.collect import collect, newest_entries, round_robin
from newsdesk.pipeline.process import process_pending
from newsdesk.settings import FetchSettings, load_settings
from newsdesk.store import Store, queries
from newsdesk.store import feeds as feed_store
from newsdesk.store import pages as page_store
from newsdesk.testing.httpserver import FixtureServer, Route
from tests.support import Cli, write_config

NOW = datetime.now(UTC).replace(microsecond=0)
BIG_ENTRIES = 3000
CAP = 30
ROUND = 10
TOPICS = [
    "the harbour authority reopened the northern dock after repairs to two cranes",
    "the city council voted the school budget after a long debate on canteens",
    "farmers in the valley counted the damage left by the late spring frost",
    "the regional rail operator announced new night trains to the coast",
    "a museum in the old town returned three paintings to their first owners",
    "the hospital opened a new wing for children with a garden on its roof",
]


def _article(title: str, n: int) -> str:
    topic = TOPICS[n % len(TOPICS)]
    body = "".join(
        f"<p>On Monday {topic}, officials said in a statement that item {n} was settled, and that "
        f"the work would go on through the summer with money from the regional fund ({n}.{k}).</p>"
        for k in range(4)
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body><article>'
        f"<h1>{title}</h1>{body}</article></body></html>"
    )


def _rss(items: list[tuple[str, str, datetime]]) -> str:
    """An RSS feed of (title, link, publication time) items, in the order given."""
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><pubDate>{format_datetime(when)}</pubDate></item>"
        for title, link, when in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>'
        f"<link>https://news.example/</link>{body}</channel></rss>"
    )


def _serve_big_feed(server: FixtureServer) -> list[str]:
    """A feed of BIG_ENTRIES items in shuffled order; the paths of its CAP newest pages, newest first."""
    items, newest = [], []
    for i in range(BIG_ENTRIES):
        path = f"/big/{i}.html"
        when = NOW - timedelta(minutes=i)
        items.append((f"Big story number {i}", server.url + path, when))
        if i < CAP:
            newest.append(path)
            server.add_route(path, body=_article(f"Big story number {i}", i), content_type="text/html")
    random.Random(7).shuffle(items)
    server.add_route("/big.xml", body=_rss(items), content_type="application/rss+xml")
    return newest


def _serve_small_feed(server: FixtureServer) -> list[str]:
    paths = [f"/small/{i}.html" for i in range(3)]
    items = [(f"Small story {i}", server.url + p, NOW - timedelta(hours=i)) for i, p in enumerate(paths)]
    for i, path in enumerate(paths):
        server.add_route(path, body=_article(f"Small story {i}", 100 + i), content_type="text/html")
    server.add_route("/small.xml", body=_rss(items), content_type="application/rss+xml")
    return paths


def _config(folder: Path, per_host: int = 8, **fetch: int) -> Path:
    """The loopback test settings, with ``per_host`` fetches at a time to a host and ``fetch``
    settings of this test."""
    config = write_config(folder)
    text = config.read_text("utf-8").replace("per_host_concurrency = 8", f"per_host_concurrency = {per_host}")
    config.write_text(text + "".join(f"{key} = {value}\n" for key, value in fetch.items()), "utf-8")
    return config


def _page_requests(server: FixtureServer, prefix: str) -> list[str]:
    return [r.path for r in server.requests if r.path.startswith(prefix)]


def _stored_urls(store: Store) -> set[str]:
    with store.session() as session:
        return {a.url for a in queries.iter_articles(session, None)}


def test_newest_entries_first_and_capped() -> None:
    dated = [FeedEntry(url=f"https://x.example/{i}", published=NOW - timedelta(hours=i)) for i in range(5)]
    undated = [FeedEntry(url="https://x.example/u1"), FeedEntry(url="https://x.example/u2")]
    entries = [dated[3], undated[0], dated[0], FeedEntry(url=""), dated[4], undated[1], dated[1], dated[2]]
    assert [e.url for e in newest_entries(entries, 3)] == [e.url for e in dated[:3]]
    assert [e.url for e in newest_entries(entries, 100)] == [e.url for e in dated + undated]


def test_round_robin_takes_one_of_each_queue_in_turn() -> None:
    assert round_robin([[1, 2, 3, 4], ["a"], [], ["b", "c"]]) == [1, "a", "b", 2, "c", 3, 4]
    assert round_robin([]) == []


def test_big_feed_is_capped_and_processed_in_rounds_beside_a_small_feed(tmp_path: Path) -> None:
    config = _config(tmp_path, per_host=2, max_entries_per_poll=CAP, round_pages=ROUND)
    settings = replace(load_settings(config=config, db=str(tmp_path / "s.db")), extract_workers=0)
    store = Store(settings.db_url)
    with FixtureServer() as big, FixtureServer() as small:
        newest = _serve_big_feed(big)
        small_paths = _serve_small_feed(small)
        with store.session() as session:
            feed_store.add_feed(session, big.url + "/big.xml", NOW)
            feed_store.add_feed(session, small.url + "/small.xml", NOW)

        rounds: list[tuple[int, set[str]]] = []

        def process() -> None:
            process_pending(store, settings)
            fetched = len(_page_requests(big, "/big/")) + len(_page_requests(small, "/small/"))
            rounds.append((fetched, _stored_urls(store)))

        stats = collect(store, settings, process=process)

        assert stats.feeds == 2 and not stats.feed_errors and not stats.page_errors
        assert stats.pages == CAP + len(small_paths)
        # Only the newest CAP entries of the big feed were asked for, each once.
        assert sorted(_page_requests(big, "/big/")) == sorted(newest)
        # Rounds of ROUND pages, each processed before the next was fetched; the small feed's pages
        # came in the first round, taken in turn with the big feed's.
        assert [fetched for fetched, _ in rounds] == [10, 20, 30, 33]
        first_stored = rounds[0][1]
        assert {small.url + p for p in small_paths} <= first_stored
        assert {big.url + p for p in newest[: ROUND - len(small_paths)]} <= first_stored
        assert len(first_stored) == ROUND
        assert len(rounds[-1][1]) == CAP + len(small_paths)

        # The next poll finds nothing new: the older entries are left where they are.
        again = collect(store, settings, force=True)
        assert again.pages == 0 and len(_page_requests(big, "/big/")) == CAP


def test_fetch_command_processes_each_round(tmp_path: Path) -> None:
    """``newsdesk fetch`` (``fetch_once``) hands the rounds to processing and counts every article."""
    config = _config(tmp_path, max_entries_per_poll=CAP, round_pages=ROUND)
    settings = replace(load_settings(config=config, db=str(tmp_path / "s.db")), extract_workers=0)
    store = Store(settings.db_url)
    with FixtureServer() as big, FixtureServer() as small:
        _serve_big_feed(big)
        small_paths = _serve_small_feed(small)
        with store.session() as session:
            feed_store.add_feed(session, big.url + "/big.xml", NOW)
            feed_store.add_feed(session, small.url + "/small.xml", NOW)
        collected, processed = fetch_once(store, settings, transient=True)
    assert collected.pages == CAP + len(small_paths)
    assert processed.stored + processed.duplicates == CAP + len(small_paths)
    assert len(_stored_urls(store)) == processed.stored


# Retry-After ---------------------------------------------------------------------------------------


def _retry_after(kind: str, wait: timedelta) -> str:
    return str(int(wait.total_seconds())) if kind == "seconds" else format_datetime(NOW + wait, usegmt=True)


def _feeds(cli: Cli) -> dict[str, dict]:
    return {f["url"]: f for f in json.loads(cli("feeds", "list", "--json").stdout)}


def _near(value: str | datetime | None, expected: datetime, slack: timedelta = timedelta(minutes=2)) -> bool:
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return when is not None and abs(when - expected) <= slack


@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize("kind", ["seconds", "date"])
def test_feed_retry_after_is_honoured_and_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, status: int, kind: str
) -> None:
    monkeypatch.setattr(out, "_width", 250)  # the table's status column unwrapped
    cli = Cli(tmp_path / "s.db", write_config(tmp_path), lang="en")
    wait = timedelta(hours=2)
    with FixtureServer() as server:
        server.add_route(
            "/feed.xml",
            Route(body="slow down", status=status, headers={"Retry-After": _retry_after(kind, wait)}),
        )
        url = server.url + "/feed.xml"
        cli("feeds", "add", "--no-check", url)
        first = cli("fetch", ok=False)
        assert f"HTTP {status}" in first.output
        assert "rate-limited by host until" in " ".join(first.output.split())
        assert len(server.requests_for("/feed.xml")) == 1

        feed = _feeds(cli)[url]
        assert feed["status"] == "rate-limited" and feed["error_count"] == 0
        assert _near(feed["next_fetch"], NOW + wait) and _near(feed["host_wait_until"], NOW + wait)

        # Polled again (even with --all) before the time named: the host is not asked.
        cli("fetch", "--all", ok=False)
        assert len(server.requests_for("/feed.xml")) == 1
        table = cli("feeds", "list").output
        assert (
            f"rate-limited by host until {_clock(datetime.fromisoformat(feed['host_wait_until']))}" in table
        )


@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize("kind", ["seconds", "date"])
def test_page_retry_after_holds_the_pages_host(tmp_path: Path, status: int, kind: str) -> None:
    """A page's host that asks to wait is asked nothing more, its pages wait without counting an
    attempt, and the feeds of other hosts are polled as usual."""
    # One page at a time to a host: the first answer decides.
    cli = Cli(tmp_path / "s.db", _config(tmp_path, per_host=1), lang="en")
    wait = timedelta(minutes=20)
    with FixtureServer() as feeds, FixtureServer() as pages:
        links = [(f"Story {i}", f"{pages.url}/p/{i}.html", NOW - timedelta(hours=i)) for i in range(3)]
        feeds.add_route("/feed.xml", body=_rss(links), content_type="application/rss+xml")
        for i in range(3):
            pages.add_route(
                f"/p/{i}.html",
                Route(body="busy", status=status, headers={"Retry-After": _retry_after(kind, wait)}),
            )
        pages.add_route("/other.xml", body=_rss([]), content_type="application/rss+xml")
        cli("feeds", "add", "--no-check", feeds.url + "/feed.xml")
        cli("feeds", "add", "--no-check", pages.url + "/other.xml")
        cli("fetch")
        # The first page refused asked for a wait; nothing more was asked of that host.
        asked = [r.path for r in pages.requests if r.path.startswith("/p/")]
        assert len(asked) == 1

        store = Store(f"sqlite:///{tmp_path / 's.db'}")
        with store.session() as session:
            waits = feed_store.host_waits(session, datetime.now(UTC))
            rows = {
                url: (status_, attempts) for url, status_, _, attempts in page_store.failed_pages(session)
            }
            due = page_store.unfetched_due(session, NOW + timedelta(minutes=5), max_attempts=5)
        host = pages.url.split("://")[1]
        assert _near(waits[host], NOW + wait)
        assert {url for _, url, _ in links} == set(rows)
        assert all(attempts == 0 for _, attempts in rows.values())  # a wait is not a failed attempt
        assert due == []  # they wait for the host's time, not the retry back-off

        cli("fetch", "--all")
        assert [r.path for r in pages.requests if r.path.startswith("/p/")] == asked
        assert len(pages.requests_for("/other.xml")) == 1  # the waiting host's feed is not polled
        assert len(feeds.requests_for("/feed.xml")) == 2  # the other host's feed is
        listed = _feeds(cli)
        assert _near(listed[pages.url + "/other.xml"]["host_wait_until"], NOW + wait)
        assert listed[feeds.url + "/feed.xml"]["host_wait_until"] is None


def test_retry_after_is_read_and_bounded() -> None:
    settings = FetchSettings(rate_limit_min_seconds=60, rate_limit_max_hours=24, retry_after_minutes=30)
    assert parse_retry_after("120", NOW) == NOW + timedelta(seconds=120)
    assert parse_retry_after(format_datetime(NOW + timedelta(hours=2), usegmt=True), NOW) == NOW + timedelta(
        hours=2
    )
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00", NOW) == datetime(2015, 10, 21, 7, 28, tzinfo=UTC)
    for junk in (None, "", "soon", "-5", "1.5"):
        assert parse_retry_after(junk, NOW) is None
    assert host_wait(429, "7200", NOW, settings) == NOW + timedelta(hours=2)
    assert host_wait(503, "120", NOW, settings) == NOW + timedelta(seconds=120)
    assert host_wait(429, "0", NOW, settings) == NOW + timedelta(seconds=60)  # at least the minimum
    assert host_wait(503, "Wed, 21 Oct 2015 07:28:00 GMT", NOW, settings) == NOW + timedelta(seconds=60)
    assert host_wait(429, "9" * 5000, NOW, settings) == NOW + timedelta(hours=24)  # at most the maximum
    assert host_wait(429, str(30 * 86400), NOW, settings) == NOW + timedelta(hours=24)
    assert host_wait(429, None, NOW, settings) == NOW + timedelta(minutes=30)  # 429 without: the retry wait
    assert host_wait(503, None, NOW, settings) is None  # 503 without: an ordinary failure
    assert host_wait(500, "60", NOW, settings) is None
