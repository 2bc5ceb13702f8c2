"""Pages and feeds are decoded by one rule, served from loopback with exact bytes."""

from __future__ import annotations

import asyncio

import pytest

from newsdesk.ingest.charset import decode_html
from newsdesk.ingest.feeds import parse_subscription
from newsdesk.ingest.fetcher import Fetcher
from newsdesk.models import FetchResult
from newsdesk.settings import FetchSettings
from newsdesk.testing.httpserver import FixtureServer, Route

FRENCH = "Arrêté municipal n°0 : la mairie précise"
RUSSIAN_TITLE = "Новости Москвы"
RUSSIAN_ITEM = "Погода в Москве: снег и гололёд"


def fetch(url: str, settings: FetchSettings, kind: str = "page") -> FetchResult:
    async def run() -> FetchResult:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url, kind=kind)

    result = asyncio.run(run())
    assert result.ok, result.error
    return result


def page(text: str, meta: str | None) -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return (
        f"<!doctype html><html><head>{head}<title>{text[:9]}</title></head><body><p>{text}</p></body></html>"
    )


@pytest.mark.parametrize(
    ("content_type", "meta"),
    [
        ("text/html; charset=utf-8", "utf-8"),
        ("text/html; charset=utf-8", None),
        ("text/html", "utf-8"),
    ],
)
def test_cp1252_page_declared_utf8_is_read_as_cp1252(
    http_server: FixtureServer, fetch_settings: FetchSettings, content_type: str, meta: str | None
) -> None:
    body = page(FRENCH, meta).encode("cp1252")
    url = http_server.add_route("/fr.html", Route(body=body, content_type=content_type))
    result = fetch(url, fetch_settings)
    assert result.content == body
    text = decode_html(result.content, result.content_type)
    assert FRENCH in text
    assert "\ufffd" not in text


def test_a_wrong_header_charset_gives_way_to_the_meta_charset() -> None:
    body = page(RUSSIAN_ITEM, "windows-1251").encode("cp1251")
    assert RUSSIAN_ITEM in decode_html(body, "text/html; charset=utf-8")


def test_cp1251_feed_without_charset_reads_as_its_pages_do(
    http_server: FixtureServer, fetch_settings: FetchSettings
) -> None:
    feed = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{RUSSIAN_TITLE}</title>'
        f"<link>{http_server.url}/</link><item><title>{RUSSIAN_ITEM}</title>"
        f"<link>{http_server.url}/one.html</link></item></channel></rss>"
    ).encode("cp1251")
    body = page(RUSSIAN_ITEM, None).encode("cp1251")
    feed_url = http_server.add_route("/feed.rss", Route(body=feed, content_type="application/rss+xml"))
    page_url = http_server.add_route("/one.html", Route(body=body, content_type="text/html"))

    fetched = fetch(feed_url, fetch_settings, kind="feed")
    assert fetched.content == feed
    parsed = parse_subscription(feed_url, fetched.content, fetched.content_type)
    assert parsed.title == RUSSIAN_TITLE
    assert [entry.title for entry in parsed.entries] == [RUSSIAN_ITEM]
    assert parsed.warning is None

    fetched_page = fetch(page_url, fetch_settings)
    assert RUSSIAN_ITEM in decode_html(fetched_page.content, fetched_page.content_type)


def test_feed_declared_utf8_but_sent_in_cp1252() -> None:
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Actualités</title>'
        f"<item><title>{FRENCH}</title><link>https://news.example/1</link></item></channel></rss>"
    ).encode("cp1252")
    parsed = parse_subscription("https://news.example/feed", feed, "application/rss+xml; charset=utf-8")
    assert parsed.title == "Actualités"
    assert parsed.entries[0].title == FRENCH


@pytest.mark.parametrize(
    ("charset", "text"),
    [
        ("koi8-r", "Правительство утвердило бюджет на следующий год"),
        ("shift_jis", "東京の天気は晴れ、気温は二十度です。"),
    ],
)
def test_page_with_a_correct_meta_charset_stays_right(
    http_server: FixtureServer, fetch_settings: FetchSettings, charset: str, text: str
) -> None:
    body = page(text, charset).encode(charset)
    url = http_server.add_route(f"/{charset}.html", Route(body=body, content_type="text/html"))
    result = fetch(url, fetch_settings)
    assert text in decode_html(result.content, result.content_type)


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "text/html"])
def test_utf8_page_with_one_stray_byte_keeps_its_utf8_text(
    http_server: FixtureServer, fetch_settings: FetchSettings, content_type: str
) -> None:
    body = page(FRENCH, "utf-8").encode("utf-8").replace(b"<p>", b"<p>\xff", 1)
    url = http_server.add_route("/stray.html", Route(body=body, content_type=content_type))
    text = decode_html(fetch(url, fetch_settings).content, content_type)
    assert f"<p>\ufffd{FRENCH}</p>" in text


def test_utf16_xml_without_bom_is_read_from_its_first_bytes() -> None:
    feed = (
        '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>Été</title>'
        "<item><title>Un</title><link>https://news.example/1</link></item></channel></rss>"
    ).encode("utf-16-le")
    assert parse_subscription("https://news.example/feed", feed).title == "Été"
