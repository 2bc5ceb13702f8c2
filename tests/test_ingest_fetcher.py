"""Fetcher behaviour against programmed routes of the local server."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gzip
import os
import signal
import threading
import time

import pytest

from newsdesk.ingest.feeds import FeedError, parse_feed
from newsdesk.ingest.fetcher import Fetcher, fetch_all, fetch_many, run_interruptible
from newsdesk.models import FetchResult
from newsdesk.settings import FetchSettings
from newsdesk.testing.httpserver import FixtureServer, Route

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>{{BASE}}/</link>
<item><title>One</title><link>{{BASE}}/one.html</link></item></channel></rss>"""


def fetch_one(url: str, settings: FetchSettings, **kwargs: object) -> FetchResult:
    async def run() -> FetchResult:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url, **kwargs)  # type: ignore[arg-type]

    return asyncio.run(run())


def test_ok_response_fields(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    url = http_server.add_route("/feed.xml", body=RSS, content_type="application/rss+xml", etag='"v1"')
    result = fetch_one(url, fetch_settings, kind="feed")
    assert result.ok and result.status == 200
    assert result.final_url == url
    assert result.content_type == "application/rss+xml"
    assert result.etag == '"v1"'
    assert http_server.url.encode() in result.content
    assert result.elapsed > 0
    sent = http_server.requests_for("/feed.xml")[0].headers
    assert sent["User-Agent"] == fetch_settings.user_agent


def test_http_404(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    result = fetch_one(http_server.url_for("missing.html"), fetch_settings)
    assert result.error == "HTTP 404 Not Found"
    assert result.status == 404 and not result.ok


def test_http_500_route(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    url = http_server.add_route("/boom", status=503)
    assert fetch_one(url, fetch_settings).error == "HTTP 503 Service Unavailable"


def test_read_timeout(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    url = http_server.add_route("/slow", Route(body="late", delay=2.0))
    settings = dataclasses.replace(fetch_settings, read_timeout=0.3)
    result = fetch_one(url, settings)
    assert result.error == "timed out after 0.3s"
    assert result.elapsed < 1.8


def test_oversized_with_content_length(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    url = http_server.add_route("/big", size=5000)
    result = fetch_one(url, dataclasses.replace(fetch_settings, max_bytes=1000))
    assert result.error == f"response from {url} larger than 1000 bytes"
    assert result.content == b""


def test_oversized_streamed_without_length(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    url = http_server.add_route("/big-stream", size=300_000, send_length=False)
    result = fetch_one(url, dataclasses.replace(fetch_settings, max_bytes=100_000))
    assert result.error == f"response from {url} larger than 100000 bytes"


def test_oversized_after_decompression(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    url = http_server.add_route("/bomb", size=2_000_000, gzip=True)
    result = fetch_one(url, dataclasses.replace(fetch_settings, max_bytes=500_000))
    assert result.error == f"response from {url} larger than 500000 bytes once decoded (gzip)"


def test_gzip_is_decoded(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    url = http_server.add_route("/gz", body="hello " * 100, gzip=True)
    result = fetch_one(url, fetch_settings)
    assert result.ok and result.content == b"hello " * 100


def test_redirect_followed(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    http_server.add_route("/target", body="here")
    url = http_server.add_route("/old", redirect_to="{{BASE}}/target", status=301)
    result = fetch_one(url, fetch_settings)
    assert result.ok and result.content == b"here"
    assert result.url == url and result.final_url == http_server.url_for("target")


def test_redirect_loop(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    url = http_server.redirect_loop("/a", "/b")
    result = fetch_one(url, dataclasses.replace(fetch_settings, max_redirects=3))
    assert result.error == "too many redirects (more than 3)"
    assert len(http_server.requests_for("/a")) + len(http_server.requests_for("/b")) == 4


def test_not_a_feed_html_page(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    url = http_server.add_route(
        "/page.html",
        body="<!doctype html><html><head><title>Home</title></head><body><p>Hi</p></body></html>",
        content_type="text/html; charset=utf-8",
    )
    result = fetch_one(url, fetch_settings, kind="feed")
    assert result.ok
    with pytest.raises(FeedError, match=r"not a feed \(HTML page without feed links\)"):
        parse_feed(result.url, result.content, result.content_type)


def test_malformed_xml(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    url = http_server.add_route(
        "/broken.xml",
        body='<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title></wrong>',
        content_type="application/rss+xml",
    )
    result = fetch_one(url, fetch_settings, kind="feed")
    with pytest.raises(FeedError, match=r"^malformed XML: mismatched tag"):
        parse_feed(result.url, result.content, result.content_type)


def test_etag_conditional_get(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    url = http_server.add_route(
        "/feed.xml", body=RSS, etag='"abc"', last_modified="Wed, 03 Dec 2025 06:15:00 GMT"
    )
    first = fetch_one(url, fetch_settings, kind="feed")
    assert first.ok and first.etag == '"abc"'
    assert first.last_modified == "Wed, 03 Dec 2025 06:15:00 GMT"
    second = fetch_one(url, fetch_settings, kind="feed", etag=first.etag)
    assert second.not_modified and second.status == 304 and second.error is None
    assert not second.ok and second.content == b""
    assert http_server.requests_for("/feed.xml")[1].headers["If-None-Match"] == '"abc"'
    third = fetch_one(url, fetch_settings, kind="feed", last_modified=first.last_modified)
    assert third.not_modified
    changed = fetch_one(url, fetch_settings, kind="feed", etag='"old"')
    assert changed.ok and not changed.not_modified


def test_per_host_delay(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    for name in ("p1", "p2", "p3"):
        http_server.add_route(f"/{name}", body=name)
    settings = dataclasses.replace(fetch_settings, per_host_delay=0.4, per_host_concurrency=2)
    results = fetch_many([http_server.url_for(n) for n in ("p1", "p2", "p3")], settings, kind="feed")
    assert all(r.ok for r in results)
    times = sorted(r.time for r in http_server.requests)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) == 2
    assert min(gaps) >= 0.35, gaps


def test_other_hosts_are_not_delayed(fetch_settings: FetchSettings) -> None:
    with FixtureServer() as one, FixtureServer() as two:
        one.add_route("/x", body="1")
        two.add_route("/x", body="2")
        settings = dataclasses.replace(fetch_settings, per_host_delay=1.5)
        results = fetch_many([one.url_for("x"), two.url_for("x")], settings, kind="feed")
        assert [r.content for r in results] == [b"1", b"2"]
        assert abs(one.requests[0].time - two.requests[0].time) < 1.0


def test_robots_disallow_pages_not_feeds(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    http_server.add_route("/robots.txt", body="User-agent: *\nDisallow: /private/\n")
    private = http_server.add_route("/private/page.html", body="secret", content_type="text/html")
    public = http_server.add_route("/public/page.html", body="hello", content_type="text/html")
    feed = http_server.add_route("/private/feed.xml", body=RSS)

    async def run() -> list[FetchResult]:
        async with Fetcher(fetch_settings) as fetcher:
            return [
                await fetcher.fetch(private, kind="page"),
                await fetcher.fetch(public, kind="page"),
                await fetcher.fetch(feed, kind="feed"),
            ]

    blocked, allowed, feed_result = asyncio.run(run())
    assert blocked.error == "disallowed by robots.txt"
    assert allowed.ok and feed_result.ok
    assert http_server.requests_for("/private/page.html") == []
    assert len(http_server.requests_for("/robots.txt")) == 1  # cached per host


def test_robots_for_our_user_agent_only(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    http_server.add_route(
        "/robots.txt", body="User-agent: newsdesk\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    )
    url = http_server.add_route("/page.html", body="x")
    assert fetch_one(url, fetch_settings).error == "disallowed by robots.txt"
    ignoring = dataclasses.replace(fetch_settings, respect_robots=False)
    assert fetch_one(url, ignoring).ok


def test_robots_missing_means_allowed(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    url = http_server.add_route("/page.html", body="x")
    assert fetch_one(url, fetch_settings).ok
    http_server.add_route("/robots.txt", status=500)
    assert fetch_one(url, fetch_settings).ok


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "10.1.2.3", "169.254.169.254"])
def test_private_addresses_refused(host: str, fetch_settings: FetchSettings) -> None:
    strict = dataclasses.replace(fetch_settings, allow_private=False)
    result = fetch_one(f"http://{host}:9/feed.xml", strict, kind="feed")
    assert result.error == "private address refused (set fetch.allow_private)"


def test_private_refused_on_the_real_server(
    http_server: FixtureServer, fetch_settings: FetchSettings
) -> None:
    url = http_server.add_route("/x", body="x")
    strict = dataclasses.replace(fetch_settings, allow_private=False)
    assert fetch_one(url, strict).error == "private address refused (set fetch.allow_private)"
    assert http_server.requests == []
    assert fetch_one(url, fetch_settings).ok


def test_connection_refused(fetch_settings: FetchSettings) -> None:
    with FixtureServer() as server:
        url = server.url_for("gone")
        port = server.url.rsplit(":", 1)[1]
    assert fetch_one(url, fetch_settings).error == f"connection refused: nothing listens on 127.0.0.1:{port}"


def test_bad_scheme(fetch_settings: FetchSettings) -> None:
    result = fetch_one("file:///etc/passwd", fetch_settings)
    assert result.error == "unsupported URL scheme 'file' (only http and https)"


def test_fetch_all_keeps_order(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    urls = [http_server.add_route(f"/n{i}", body=str(i)) for i in range(6)]
    results = asyncio.run(fetch_all(urls, fetch_settings))
    assert [r.content for r in results] == [str(i).encode() for i in range(6)]


def test_gzip_route_really_compresses(http_server: FixtureServer) -> None:
    import urllib.request

    http_server.add_route("/gz", body="abc" * 50, gzip=True)
    request = urllib.request.Request(http_server.url_for("gz"), headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.read()) == b"abc" * 50


async def _absorbs_cancellation() -> str:
    """What a careless library does: it swallows the cancellation and goes on."""
    for _ in range(60):
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.sleep(0.05)
    return "finished"


def _ctrl_c_soon() -> None:
    def send() -> None:
        time.sleep(0.3)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=send, daemon=True).start()


def test_ctrl_c_stops_a_run_even_when_a_library_absorbs_the_cancellation() -> None:
    # Plain asyncio.run answers Ctrl-C by cancelling, which this coroutine absorbs.
    _ctrl_c_soon()
    assert asyncio.run(_absorbs_cancellation()) == "finished"
    _ctrl_c_soon()
    with pytest.raises(KeyboardInterrupt):
        run_interruptible(_absorbs_cancellation())
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
