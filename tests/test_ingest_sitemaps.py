"""Sitemap parsing: url sets, indexes, Google News, gzip, text lists, errors; what a poll takes."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.ingest.sitemaps import (
    LATE_MARGIN,
    SitemapError,
    SitemapLink,
    due_children,
    new_entries,
    newest_date,
    parse_sitemap,
    window_start,
)
from newsdesk.models import FeedEntry

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.example/a</loc><lastmod>2025-12-03</lastmod></url>
  <url><loc> https://news.example/b </loc><lastmod>2025-12-03T06:15:00+01:00</lastmod></url>
  <url><loc>https://news.example/c</loc>
    <lastmod>2025-12-01T00:00:00Z</lastmod>
    <news:news><news:publication><news:name>Ex</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2025-12-04T10:00:00Z</news:publication_date><news:title>C</news:title></news:news>
  </url>
  <url><loc>https://news.example/d</loc><lastmod>not a date</lastmod></url>
  <url><loc>ftp://news.example/e</loc></url>
  <url><lastmod>2025-12-03</lastmod></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example/sitemap-news.xml</loc><lastmod>2025-12-03</lastmod></sitemap>
  <sitemap><loc>https://news.example/sitemap-2025.xml.gz</loc></sitemap>
</sitemapindex>"""


def test_urlset_with_dates_and_news() -> None:
    sitemap = parse_sitemap(URLSET)
    assert sitemap.children == [] and sitemap.format == "news-sitemap"
    assert [(e.url, e.published) for e in sitemap.entries] == [
        ("https://news.example/a", datetime(2025, 12, 3, tzinfo=UTC)),
        ("https://news.example/b", datetime(2025, 12, 3, 6, 15, tzinfo=timezone(timedelta(hours=1)))),
        ("https://news.example/c", datetime(2025, 12, 4, 10, 0, tzinfo=UTC)),
        ("https://news.example/d", None),
    ]
    news = sitemap.entries[2]
    assert (news.title, news.language) == ("C", "en")
    assert (sitemap.title, sitemap.language) == ("Ex", "en")


def test_index_lists_children_with_lastmod() -> None:
    sitemap = parse_sitemap(INDEX)
    assert sitemap.entries == [] and sitemap.format == "sitemap-index"
    assert sitemap.children == [
        SitemapLink("https://news.example/sitemap-news.xml", datetime(2025, 12, 3, tzinfo=UTC)),
        SitemapLink("https://news.example/sitemap-2025.xml.gz", None),
    ]


def test_gzip_and_text_sitemaps() -> None:
    assert parse_sitemap(gzip.compress(INDEX)).children[0].url == "https://news.example/sitemap-news.xml"
    text = parse_sitemap(b"https://news.example/1\n\nhttps://news.example/2\n")
    assert [e.url for e in text.entries] == ["https://news.example/1", "https://news.example/2"]
    assert text.format == "text-sitemap"


def test_only_the_urls_own_loc_and_the_news_title_count() -> None:
    # An image's loc and title come before the page's own in this url: they are not the page's.
    content = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><image:image><image:loc>https://cdn.example/p.jpg</image:loc><image:title>Photo</image:title>
        </image:image><loc>https://news.example/story</loc>
        <news:news><news:publication><news:name>Ex</news:name><news:language>pt-BR</news:language>
        </news:publication><news:title> Story  title </news:title></news:news></url>
    </urlset>"""
    (entry,) = parse_sitemap(content).entries
    assert (entry.url, entry.title, entry.language) == ("https://news.example/story", "Story title", "pt-BR")


def test_new_entries_are_dated_since_the_window_newest_first_and_capped() -> None:
    day = datetime(2025, 12, 4, tzinfo=UTC)
    entries = [FeedEntry(f"https://n.example/{h}", published=day + timedelta(hours=h)) for h in range(6)]
    entries.append(FeedEntry("https://n.example/undated"))
    since = day + timedelta(hours=2)
    assert [e.url[-1] for e in new_entries(entries, since, 10)] == ["5", "4", "3", "2"]
    assert [e.url[-1] for e in new_entries(entries, since, 2)] == ["5", "4"]
    undated = [FeedEntry("https://n.example/x"), FeedEntry("https://n.example/y")]
    assert new_entries(undated, since, 1) == undated[:1]  # no dates at all: document order, capped


def test_window_and_children_due() -> None:
    now = datetime(2025, 12, 4, 12, tzinfo=UTC)
    assert window_start(None, now, 48) == now - timedelta(hours=48)
    assert window_start(now - timedelta(hours=3), now, 48) == now - timedelta(hours=3) - LATE_MARGIN
    children = [
        SitemapLink("https://n.example/old.xml", now - timedelta(days=30)),
        SitemapLink("https://n.example/undated.xml"),
        SitemapLink("https://n.example/today.xml", now - timedelta(hours=1)),
    ]
    assert [c.url for c in due_children(children, now - timedelta(hours=2), 5)] == [
        "https://n.example/today.xml"
    ]
    assert newest_date([FeedEntry("https://n.example/f", published=now + timedelta(days=1))], now) == now


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty document"),
        (b"<urlset><url>", "malformed XML"),
        (b"<rss version='2.0'/>", "not a sitemap (root element is <rss>)"),
        (b"\x1f\x8b not really gzip", "broken gzip data"),
        (b"hello world", "not a sitemap"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><urlset/>', "refused unsafe XML"),
    ],
)
def test_errors(content: bytes, message: str) -> None:
    with pytest.raises(SitemapError) as info:
        parse_sitemap(content)
    assert str(info.value).startswith(message)
