"""Acceptance: bad feeds and pages are recorded with a reason and never stop the others."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.testing.httpserver import FixtureServer
from tests.support import Cli

GOOD_FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Good</title>
<link>https://good.example/</link><language>en</language>
<item><title>Harbour cranes stand idle as dock workers strike for a second day</title>
<link>{{BASE}}/good/article.html</link><pubDate>Mon, 09 Mar 2026 08:00:00 +0000</pubDate>
<description>Dock workers walked out over pay.</description></item>
<item><title>Empty page</title><link>{{BASE}}/good/empty.html</link></item>
</channel></rss>"""

ARTICLE = """<!DOCTYPE html><html lang="en"><head><title>Harbour strike</title></head><body><article>
<h1>Harbour cranes stand idle as dock workers strike for a second day</h1>
<p>Container ships queued outside the port on Tuesday as dock workers stayed away for a second day,
demanding a pay rise that keeps pace with prices. The harbour authority said forty vessels were waiting.</p>
<p>Union leaders said talks with the port operators had broken down overnight and that the strike would
continue until a new offer was put on the table. Operators called the demands unaffordable.</p>
<p>Shipping lines began diverting cargo to neighbouring ports, where managers reported longer queues and
warned that the backlog could take weeks to clear once work resumed at the harbour.</p>
</article></body></html>"""


@pytest.fixture
def server():
    with FixtureServer() as srv:
        srv.add_route("/good/feed.xml", body=GOOD_FEED, content_type="application/rss+xml")
        srv.add_route("/good/article.html", body=ARTICLE, content_type="text/html; charset=utf-8")
        srv.add_route("/good/empty.html", body="<html><body></body></html>", content_type="text/html")
        srv.add_route(
            "/bad/malformed.xml", body="<rss><channel><title>Broken", content_type="application/xml"
        )
        srv.add_route("/bad/missing.xml", status=404, body="not here")
        srv.add_route("/bad/slow.xml", body=GOOD_FEED, delay=4.0, content_type="application/rss+xml")
        srv.add_route(
            "/bad/page.html", body="<html><body><p>Just a page.</p></body></html>", content_type="text/html"
        )
        srv.add_route("/bad/huge.xml", size=3_000_000, content_type="application/rss+xml")
        yield srv


def test_each_bad_feed_gets_a_reason_and_the_good_one_is_collected(server, tmp_path: Path) -> None:
    config = tmp_path / "newsdesk.toml"
    config.write_text(
        "[fetch]\nallow_private = true\nper_host_delay = 0.0\nper_host_concurrency = 8\n"
        "read_timeout = 1.0\nconnect_timeout = 1.0\nmax_bytes = 1000000\n",
        encoding="utf-8",
    )
    cli = Cli(tmp_path / "bad.db", config, lang="en")
    for path in (
        "/bad/malformed.xml",
        "/bad/missing.xml",
        "/bad/slow.xml",
        "/bad/page.html",
        "/bad/huge.xml",
        "/good/feed.xml",
    ):
        cli("feeds", "add", "--no-check", server.url + path)
    result = cli("fetch")
    assert "1 article stored" in result.stdout
    feeds = {f["url"].rsplit("/", 1)[-1]: f for f in json.loads(cli("feeds", "list", "--json").stdout)}
    assert feeds["feed.xml"]["status"].startswith("ok")
    reasons = {name: (feeds[name]["status"], feeds[name]["last_error"] or "") for name in feeds}
    assert reasons["missing.xml"][0] == "error" and "404" in reasons["missing.xml"][1]
    assert reasons["slow.xml"][0] == "error" and "timed out" in reasons["slow.xml"][1]
    assert reasons["page.html"][0] == "error" and "not a feed" in reasons["page.html"][1]
    assert reasons["huge.xml"][0] == "error" and "larger than" in reasons["huge.xml"][1]
    assert reasons["malformed.xml"][0] == "error" and reasons["malformed.xml"][1]
    listing = cli("feeds", "list").stdout
    assert "404" in listing


def test_a_page_that_fails_extraction_is_kept_and_retried(server, tmp_path: Path) -> None:
    config = tmp_path / "newsdesk.toml"
    config.write_text("[fetch]\nallow_private = true\nper_host_delay = 0.0\n", encoding="utf-8")
    cli = Cli(tmp_path / "retry.db", config, lang="en")
    cli("feeds", "add", "--no-check", server.url + "/good/feed.xml")
    result = cli("fetch")
    assert "1 failed extraction," in result.stdout
    from newsdesk.store import Store
    from newsdesk.store import pages as page_store

    store = Store(f"sqlite:///{tmp_path / 'retry.db'}")
    with store.session() as session:
        failed = page_store.failed_pages(session)
    assert [(url.rsplit("/", 1)[-1], status) for url, status, _, _ in failed] == [("empty.html", "failed")]
    assert "empty.html" in failed[0][2]
    with store.session() as session:  # the retry time has come: the page is pending again
        from newsdesk.store import schema

        row = session.query(schema.RawPage).filter_by(status="failed").one()
        row.next_attempt = row.fetched_at
        assert row.html_compressed  # the raw HTML is kept for the retry
    result = cli("fetch")
    assert "1 failed extraction," in result.stdout
