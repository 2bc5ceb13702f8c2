"""parse_feed on small hand-written documents: formats, URLs, dates, text, errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.ingest.feeds import FeedError, parse_feed

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de" xml:base="https://news.example.de/">
  <title>Beispiel</title>
  <link rel="alternate" href="/"/>
  <link rel="self" href="/atom.xml"/>
  <entry>
    <title type="html">Erste &lt;b&gt;Meldung&lt;/b&gt;</title>
    <link rel="alternate" href="politik/erste"/>
    <id>tag:example.de,2025:1</id>
    <updated>2025-12-03T08:00:00+01:00</updated>
    <author><name>Anna Muster</name></author>
    <summary type="html">&lt;p&gt;Ein &lt;em&gt;kurzer&lt;/em&gt; Text.&lt;/p&gt;
      &lt;script&gt;alert(1)&lt;/script&gt;</summary>
  </entry>
  <entry xml:lang="fr">
    <title>Deuxième</title>
    <link href="https://news.example.de/fr/deux"/>
    <id>tag:example.de,2025:2</id>
    <published>2025-12-04T10:00:00Z</published>
  </entry>
</feed>""".encode()

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://example.org/"><title>RDF site</title><link>http://example.org/</link>
    <dc:language>es</dc:language></channel>
  <item rdf:about="http://example.org/a"><title>A</title><link>http://example.org/a</link>
    <dc:date>2025-12-01T12:00:00</dc:date><dc:creator>Luis</dc:creator></item>
</rdf:RDF>"""


def test_atom_feed() -> None:
    feed = parse_feed("https://news.example.de/atom.xml", ATOM, "application/atom+xml")
    assert feed.format == "atom10"
    assert feed.title == "Beispiel"
    assert feed.site_url == "https://news.example.de/"
    assert feed.language == "de"
    first, second = feed.entries
    assert first.url == "https://news.example.de/politik/erste"
    assert first.title == "Erste Meldung"
    assert first.summary == "Ein kurzer Text."
    assert first.author == "Anna Muster"
    assert first.guid == "tag:example.de,2025:1"
    assert first.published == datetime(2025, 12, 3, 7, 0, tzinfo=UTC)
    assert first.language == "de"
    assert second.language == "fr"
    assert second.published == datetime(2025, 12, 4, 10, 0, tzinfo=UTC)
    assert feed.warning is None


def test_rss10_rdf_feed_without_timezone_is_utc() -> None:
    feed = parse_feed("http://example.org/index.rdf", RDF)
    assert feed.format == "rss10"
    assert feed.language == "es"
    (entry,) = feed.entries
    assert entry.author == "Luis"
    assert entry.published == datetime(2025, 12, 1, 12, 0, tzinfo=UTC)
    assert entry.language == "es"


def test_relative_links_are_made_absolute_against_the_feed_url() -> None:
    rss = b"""<rss version="2.0"><channel><title>R</title><link>/</link>
      <item><title>x</title><link>/news/1.html</link><pubDate>Tue, 02 Dec 2025 10:00:00 +0200</pubDate></item>
      <item><title>no link</title><guid>urn:x</guid></item>
      <item><title>guid link</title><guid>https://other.example/2</guid></item>
      <item><title>bad scheme</title><link>javascript:alert(1)</link></item>
    </channel></rss>"""
    feed = parse_feed("https://site.example/feeds/main.xml", rss)
    assert feed.site_url == "https://site.example/"
    assert [e.url for e in feed.entries] == ["https://site.example/news/1.html", "https://other.example/2"]
    assert feed.entries[0].published == datetime(2025, 12, 2, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    assert feed.warning == "2 entries without a usable link skipped"


def test_bozo_feed_with_entries_is_accepted_with_warning() -> None:
    rss = b"""<rss version="2.0"><channel><title>Loose &amp; broken</title>
      <item><title>Caf&eacute; news</title><link>http://example.org/1</link></item>
      <item><title>Second</title><link>http://example.org/2</link></item>
    </channel>"""
    feed = parse_feed("http://example.org/rss", rss)
    assert [e.title for e in feed.entries] == ["Café news", "Second"]
    assert feed.warning is not None and feed.warning.startswith("not well-formed:")


def test_json_feed_11() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON news",
        "home_page_url": "https://json.example/",
        "language": "pt-BR",
        "items": [
            {
                "id": "1",
                "url": "/a",
                "title": "Primeira",
                "content_html": "<p>Olá <b>mundo</b></p>",
                "date_published": "2025-12-05T09:30:00-03:00",
                "authors": [{"name": "Ana"}, {"name": "Rui"}],
            },
            {"id": "2", "external_url": "https://elsewhere.example/b", "content_text": "x", "language": "en"},
            {"id": "3", "content_text": "no url"},
            "not an object",
        ],
    }
    feed = parse_feed("https://json.example/feed.json", json.dumps(doc).encode(), "application/feed+json")
    assert feed.format == "json11"
    assert feed.language == "pt-BR" and feed.site_url == "https://json.example/"
    first, second = feed.entries
    assert first.url == "https://json.example/a"
    assert first.summary == "Olá mundo"
    assert first.author == "Ana, Rui"
    assert first.published == datetime(2025, 12, 5, 12, 30, tzinfo=UTC)
    assert first.language == "pt-BR"
    assert second.url == "https://elsewhere.example/b" and second.language == "en"
    assert feed.warning == "2 items without a usable URL skipped"


@pytest.mark.parametrize(
    ("content", "content_type", "message"),
    [
        (b"", None, "empty document"),
        (b"   \n ", None, "empty document"),
        (b"<html><head><title>x</title></head><body>hi</body></html>", "text/html", "not a feed (HTML page"),
        (b"<rss><channel><title>x</title><item>", None, "malformed XML"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": ', "application/json", "malformed JSON"),
        (b'{"hello": "world"}', None, "not a feed (JSON without a JSON Feed version)"),
        (b"[1, 2]", None, "not a feed (JSON document is not an object)"),
        (b"<foo><bar/></foo>", None, "not a feed (no RSS, Atom or JSON Feed structure found)"),
        (b"\x00\x01\x02 binary", None, "not a feed"),
        (b"<" * 5000, None, ""),
        (b"[" * 100_000, None, "malformed JSON"),
    ],
)
def test_bad_documents_raise_feed_error(content: bytes, content_type: str | None, message: str) -> None:
    with pytest.raises(FeedError) as info:
        parse_feed("http://example.org/x", content, content_type)
    assert str(info.value).startswith(message)


def test_html_page_with_feed_links_reports_them() -> None:
    html = b"""<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head>
      <body>Home</body></html>"""
    with pytest.raises(FeedError) as info:
        parse_feed("https://site.example/", html, "text/html; charset=utf-8")
    assert info.value.feed_links == ["https://site.example/rss.xml"]
    assert "https://site.example/rss.xml" in str(info.value)


def test_parse_feed_never_reads_a_local_path(tmp_path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(b'<rss version="2.0"><channel><title>secret</title></channel></rss>')
    with pytest.raises(FeedError):
        parse_feed("http://example.org/x", str(secret).encode())


def test_declared_charset_is_honoured() -> None:
    doc = '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Été</title>'
    doc += "<item><title>Ça va</title><link>http://example.org/1</link></item></channel></rss>"
    feed = parse_feed("http://example.org/x", doc.encode("iso-8859-1"))
    assert feed.title == "Été" and feed.entries[0].title == "Ça va"
