"""Sitemap parsing: url sets, indexes, Google News, gzip, text lists, errors."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.ingest.sitemaps import SitemapError, parse_sitemap

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
    pages, children = parse_sitemap(URLSET)
    assert children == []
    assert pages == [
        ("https://news.example/a", datetime(2025, 12, 3, tzinfo=UTC)),
        ("https://news.example/b", datetime(2025, 12, 3, 6, 15, tzinfo=timezone(timedelta(hours=1)))),
        ("https://news.example/c", datetime(2025, 12, 4, 10, 0, tzinfo=UTC)),
        ("https://news.example/d", None),
    ]


def test_index_lists_children() -> None:
    assert parse_sitemap(INDEX) == (
        [],
        ["https://news.example/sitemap-news.xml", "https://news.example/sitemap-2025.xml.gz"],
    )


def test_gzip_and_text_sitemaps() -> None:
    assert parse_sitemap(gzip.compress(INDEX))[1][0] == "https://news.example/sitemap-news.xml"
    text = b"https://news.example/1\n\nhttps://news.example/2\n"
    assert parse_sitemap(text) == ([("https://news.example/1", None), ("https://news.example/2", None)], [])


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
