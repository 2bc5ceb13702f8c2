"""Feed discovery from <link rel="alternate"> in HTML pages."""

from __future__ import annotations

from newsdesk.ingest.discovery import discover_feed_links
from newsdesk.ingest.feeds import parse_feed
from newsdesk.ingest.fetcher import fetch_many
from newsdesk.settings import FetchSettings
from newsdesk.testing.httpserver import FixtureServer

PAGE = """<!DOCTYPE html><html><head>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="All news" href="/rss.xml">
<link rel="alternate" type="application/atom+xml" href="https://cdn.example.net/atom.xml">
<link rel="alternate" type="application/rss+xml" href="/rss.xml">
<link rel="alternate" hreflang="fr" href="/fr/">
<link rel="ALTERNATE feed" type="application/feed+json; charset=utf-8" href="feed.json">
<link rel="alternate" type="application/json" href="data.json">
<link rel="alternate" type="application/rss+xml" href="javascript:void(0)">
<link rel="alternate" type="application/rss+xml">
</head><body>
<a href="/other.xml" rel="alternate" type="application/rss+xml">not a link element</a></body></html>"""


def test_links_absolute_ordered_unique() -> None:
    assert discover_feed_links(PAGE, "https://site.example/section/page.html") == [
        "https://site.example/rss.xml",
        "https://cdn.example.net/atom.xml",
        "https://site.example/section/feed.json",
        "https://site.example/section/data.json",
    ]


def test_base_href_and_bytes_input() -> None:
    html = '<html><head><base href="https://base.example/x/"><link rel="alternate" '
    html += 'type="application/atom+xml" href="atom"></head></html>'
    assert discover_feed_links(html.encode(), "https://site.example/") == ["https://base.example/x/atom"]


def test_nothing_found() -> None:
    assert discover_feed_links("", "https://site.example/") == []
    assert discover_feed_links("<html><body>plain</body></html>", "https://site.example/") == []
    assert discover_feed_links(b"\x00\xff garbage", "https://site.example/") == []
    assert discover_feed_links('<?xml version="1.0" encoding="utf-8"?><html/>', "https://s.example/") == []


def test_discovered_feed_fetches_and_parses(http_server: FixtureServer) -> None:
    http_server.add_route(
        "/",
        body='<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head></html>',
        content_type="text/html",
    )
    http_server.add_route(
        "/feed.xml",
        body='<rss version="2.0"><channel><title>Found</title>'
        "<item><title>i</title><link>{{BASE}}/i.html</link></item></channel></rss>",
        content_type="application/rss+xml",
    )
    settings = FetchSettings(allow_private=True, per_host_delay=0)
    page = fetch_many([http_server.url + "/"], settings)[0]
    links = discover_feed_links(page.content, page.final_url or page.url)
    assert links == [http_server.url_for("feed.xml")]
    feed_result = fetch_many(links, settings, kind="feed")[0]
    feed = parse_feed(feed_result.url, feed_result.content, feed_result.content_type)
    assert feed.title == "Found" and feed.entries[0].url == http_server.url_for("i.html")
