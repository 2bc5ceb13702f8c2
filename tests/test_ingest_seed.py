"""The seed site end to end: OPML → fetch each feed from the local server → parse."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newsdesk.ingest.feeds import parse_feed
from newsdesk.ingest.fetcher import fetch_many
from newsdesk.ingest.opml import OpmlFeed, parse_opml, write_opml
from newsdesk.settings import FetchSettings
from newsdesk.testing.httpserver import FixtureServer


def _opml(server: FixtureServer) -> list[OpmlFeed]:
    settings = FetchSettings(allow_private=True, per_host_delay=0)
    result = fetch_many([server.url_for("feeds.opml")], settings, kind="feed")[0]
    assert result.ok, result.error
    return parse_opml(result.content, source="feeds.opml")


def test_opml_lists_three_feeds_on_the_server(seed_server: FixtureServer) -> None:
    feeds = _opml(seed_server)
    assert [f.title for f in feeds] == ["InfoBRICS", "La Presse d'Exemple", "Wire Example"]
    assert all(f.xml_url.startswith(seed_server.url + "/") for f in feeds)
    assert [f.html_url for f in feeds] == [
        "https://infobrics.org/",
        "https://presse-exemple.fr/",
        "https://wire-example.com/",
    ]


def test_opml_round_trip(seed_server: FixtureServer) -> None:
    feeds = _opml(seed_server)
    feeds[0].category = "World/Analysis"
    feeds[1].language = "fr"
    again = parse_opml(write_opml(feeds, title="seed").encode("utf-8"), source="written")
    assert again == feeds


def test_fetch_and_parse_the_three_feeds(seed_server: FixtureServer) -> None:
    feeds = _opml(seed_server)
    results = fetch_many([f.xml_url for f in feeds], FetchSettings(allow_private=True, per_host_delay=0))
    assert [r.error for r in results] == [None, None, None]
    parsed = {r.url.rsplit("/", 2)[1]: parse_feed(r.url, r.content, r.content_type) for r in results}
    assert {k: p.language for k, p in parsed.items()} == {"infobrics": "en", "presse": "fr", "wire": "en"}
    assert {k: p.format for k, p in parsed.items()} == {
        "infobrics": "rss20",
        "presse": "rss20",
        "wire": "rss20",
    }
    assert parsed["presse"].title == "La Presse d'Exemple — International"
    assert parsed["wire"].site_url == "https://wire-example.com/"

    wire = parsed["wire"].entries
    assert [e.title for e in wire] == [
        "Putin holds five-hour Kremlin talks with Witkoff and Kushner on Ukraine plan",
        "Late penalty settles the city derby",
    ]
    assert [e.url for e in wire] == [
        seed_server.url_for("wire/world/kremlin-talks.html"),
        seed_server.url_for("wire/sport/derby.html"),
    ]
    assert wire[0].published == datetime(2025, 12, 3, 6, 15, tzinfo=UTC)
    assert wire[0].guid == "wire-1"
    assert wire[0].summary == "Territory still the main sticking point."
    assert all(e.language == "en" for e in wire)

    presse = parsed["presse"].entries
    assert len(presse) == 1 and presse[0].language == "fr"
    assert presse[0].published == datetime(2025, 12, 3, 7, 30, tzinfo=UTC)
    assert presse[0].summary == "Réunion de près de cinq heures au Kremlin."

    info = parsed["infobrics"].entries[0]
    assert info.summary is not None and info.summary.startswith(
        'President Trump called the situation a "mess'
    )

    # every entry links to a page the server really serves
    pages = fetch_many(
        [e.url for p in parsed.values() for e in p.entries],
        FetchSettings(allow_private=True, per_host_delay=0),
    )
    assert all(page.ok and b"<html" in page.content for page in pages)


def test_served_text_has_base_substituted(seed_server: FixtureServer, seed_site: Path) -> None:
    assert "{{BASE}}" in (seed_site / "wire" / "feed.xml").read_text(encoding="utf-8")
    result = fetch_many(
        [seed_server.url_for("wire/feed.xml")], FetchSettings(allow_private=True), kind="feed"
    )[0]
    assert b"{{BASE}}" not in result.content
    assert seed_server.url.encode() in result.content
