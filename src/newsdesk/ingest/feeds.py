"""Parse feed documents (RSS 0.9x/1.0/2.0, Atom, CDF, JSON Feed) into ParsedFeed.

feedparser does the XML formats and only ever sees bytes (wrapped in a
stream, so it never opens a file or the network): the document decoded by the
rule pages are decoded by (``ingest.charset``), re-encoded as UTF-8, so that
feedparser does not guess the charset on its own; JSON Feed is read with
``json``. Anything that is not a feed raises FeedError with a readable
message; nothing else escapes.
"""

from __future__ import annotations

import io
import re
import xml.sax
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser

from newsdesk.ingest.charset import decode_html
from newsdesk.ingest.discovery import discover_feed_links
from newsdesk.ingest.jsonfeed import JsonFeedError, looks_like_json, parse_json_feed
from newsdesk.ingest.sitemaps import ParsedSitemap, SitemapError, parse_sitemap
from newsdesk.ingest.textutil import absolute_http_url, clean_space, html_to_text, normalize_language
from newsdesk.models import FeedEntry, ParsedFeed

_HTML_HINT = re.compile(rb"<\s*(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
_WARNING_LIMIT = 300
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


class FeedError(Exception):
    """The document is not a usable feed; the message says why.

    ``feed_links`` lists the feeds an HTML page advertises, when the
    document was such a page.
    """

    def __init__(self, message: str, feed_links: list[str] | None = None):
        super().__init__(message)
        self.feed_links = feed_links or []


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown problem"
    # feedparser re-encodes the document first, so parse positions may be off: keep the message only
    text = exc.getMessage() if isinstance(exc, xml.sax.SAXParseException) else str(exc)
    text = clean_space(text) or type(exc).__name__
    return text[:_WARNING_LIMIT]


def _is_malformed(exc: BaseException | None) -> bool:
    """Whether a bozo exception means broken XML (rather than a charset or type mismatch)."""
    benign = (
        feedparser.CharacterEncodingOverride,
        feedparser.NonXMLContentType,
        feedparser.UndeclaredNamespace,
    )
    return not isinstance(exc, benign)


def _looks_like_html(content: bytes, content_type: str | None) -> bool:
    if content_type and content_type.split(";")[0].strip().lower() in ("text/html", "application/xhtml+xml"):
        return not content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml")
    return bool(_HTML_HINT.search(content[:4096]))


def _detail_text(value: Any, detail: Any) -> str | None:
    """Text of a feedparser value, stripping HTML when its detail says it is HTML."""
    if not isinstance(value, str):
        return None
    kind = detail.get("type", "") if isinstance(detail, Mapping) else ""
    if "html" in str(kind):
        return html_to_text(value)
    return clean_space(value)


def _struct_to_datetime(value: Any) -> datetime | None:
    try:
        year, month, day, hour, minute, second = (int(v) for v in tuple(value)[:6])
        return datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _entry_url(entry: Mapping[str, Any], base: str) -> str | None:
    url = absolute_http_url(entry.get("link"), base)
    if url:
        return url
    for link in entry.get("links") or []:
        if isinstance(link, Mapping) and link.get("rel", "alternate") == "alternate":
            url = absolute_http_url(link.get("href"), base)
            if url:
                return url
    guid = entry.get("id")
    if isinstance(guid, str) and guid.lower().startswith(("http://", "https://")):
        return absolute_http_url(guid, None)
    return None


def _entry_language(entry: Mapping[str, Any]) -> str | None:
    for key in ("title_detail", "summary_detail"):
        detail = entry.get(key)
        if isinstance(detail, Mapping) and detail.get("language"):
            return normalize_language(detail.get("language"))
    for content in entry.get("content") or []:
        if isinstance(content, Mapping) and content.get("language"):
            return normalize_language(content.get("language"))
    return None


def _entry_summary(entry: Mapping[str, Any]) -> str | None:
    summary = _detail_text(entry.get("summary"), entry.get("summary_detail"))
    if summary:
        return summary
    for content in entry.get("content") or []:
        if isinstance(content, Mapping):
            text = _detail_text(content.get("value"), content)
            if text:
                return text
    return None


def _entry_author(entry: Mapping[str, Any]) -> str | None:
    detail = entry.get("author_detail")
    if isinstance(detail, Mapping) and isinstance(detail.get("name"), str):
        name = clean_space(detail["name"])
        if name:
            return name
    author = entry.get("author")
    return clean_space(author) if isinstance(author, str) else None


def _entry_published(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            parsed = _struct_to_datetime(value)
            if parsed:
                return parsed
    return None


def _make_entry(entry: Mapping[str, Any], base: str, feed_language: str | None) -> FeedEntry | None:
    url = _entry_url(entry, base)
    if url is None:
        return None
    guid = entry.get("id")
    return FeedEntry(
        url=url,
        title=_detail_text(entry.get("title"), entry.get("title_detail")),
        summary=_entry_summary(entry),
        published=_entry_published(entry),
        author=_entry_author(entry),
        guid=clean_space(guid) if isinstance(guid, str) else None,
        language=_entry_language(entry) or feed_language,
    )


def _as_utf8(content: bytes, content_type: str | None) -> bytes:
    """The document decoded as pages are, re-encoded as UTF-8 with a declaration that says so."""
    text = decode_html(content, content_type).lstrip("\ufeff")
    text = _XML_DECLARATION.sub('<?xml version="1.0" encoding="utf-8"?>', text, count=1)
    return text.encode("utf-8")


def _run_feedparser(url: str, content: bytes, headers: dict[str, str]) -> Any:
    response_headers = dict(headers)
    response_headers.setdefault("content-location", url)
    try:
        return feedparser.parse(io.BytesIO(content), response_headers=response_headers)
    except RecursionError as exc:
        raise FeedError("malformed XML: nesting too deep") from exc
    except Exception as exc:  # feedparser on hostile input
        raise FeedError(f"could not parse feed: {_describe(exc)}") from exc


def parse_feed(
    url: str,
    content: bytes,
    content_type: str | None = None,
    headers: Mapping[str, Any] | None = None,
) -> ParsedFeed:
    """Parse a feed document fetched from ``url``.

    Entry URLs are made absolute against the document (``xml:base``, then
    ``url``); dates are aware (UTC); summaries are plain text. A feed that is
    not well-formed but still yields entries is returned with ``warning`` set.
    Raises FeedError for anything that is not a feed.
    """
    if isinstance(content, str):
        content = content.encode("utf-8")
    if not isinstance(content, bytes | bytearray) or not content.strip():
        raise FeedError("empty document")
    content = bytes(content)
    if looks_like_json(content, content_type) and not content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        try:
            return parse_json_feed(url, content)
        except JsonFeedError as exc:
            raise FeedError(str(exc)) from exc
        except RecursionError as exc:
            raise FeedError("malformed JSON: nesting too deep") from exc
    response_headers = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
    if content_type:
        response_headers["content-type"] = content_type
    # Without a declared type feedparser flags the document; XML is what we expect here.
    declared_type = response_headers.get("content-type")
    media_type = (declared_type or "").split(";")[0].strip() or "application/xml"
    response_headers["content-type"] = f"{media_type}; charset=utf-8"
    result = _run_feedparser(url, _as_utf8(content, declared_type), response_headers)
    version = result.get("version") or ""
    raw_entries = result.get("entries") or []
    exc = result.get("bozo_exception") if result.get("bozo") else None
    if isinstance(exc, feedparser.NonXMLContentType):
        exc = None  # feeds served as text/plain or text/html are common and harmless
    channel = result.get("feed") or {}
    if not raw_entries and not version and _looks_like_html(content, content_type):
        links = discover_feed_links(content, url)
        if links:
            raise FeedError(f"not a feed (HTML page linking to feeds: {', '.join(links[:3])})", links)
        raise FeedError("not a feed (HTML page without feed links)")

    language = (
        normalize_language(channel.get("language"))
        or _entry_language(channel)
        or normalize_language(response_headers.get("content-language"))
    )
    entries: list[FeedEntry] = []
    skipped = 0
    for raw in raw_entries:
        entry = _make_entry(raw, url, language) if isinstance(raw, Mapping) else None
        if entry is None:
            skipped += 1
        else:
            entries.append(entry)

    malformed = exc is not None and _is_malformed(exc)
    if not entries:
        if malformed and not version and b"<" not in content[:1024].replace(b"\x00", b""):
            raise FeedError("not a feed (neither XML nor JSON)")
        if malformed:
            raise FeedError(f"malformed XML: {_describe(exc)}")
        if not raw_entries and not version and not channel.get("title"):
            raise FeedError("not a feed (no RSS, Atom or JSON Feed structure found)")
    warnings = []
    if exc is not None:
        warnings.append(f"{'not well-formed' if malformed else 'feed problem'}: {_describe(exc)}")
    if skipped:
        warnings.append(f"{skipped} entries without a usable link skipped")
    return ParsedFeed(
        url=url,
        title=_detail_text(channel.get("title"), channel.get("title_detail")),
        site_url=absolute_http_url(channel.get("link"), url),
        language=language,
        format=version or None,
        entries=entries,
        warning="; ".join(warnings) or None,
    )


def parse_subscription(
    url: str, content: bytes, content_type: str | None = None, kind: str = "feed"
) -> ParsedFeed | ParsedSitemap:
    """A subscribed document: a feed, or a sitemap (``kind="sitemap"``).

    A document of a ``feed`` subscription that is neither a feed nor an HTML page is read
    as a sitemap, so a sitemap added without checking is recognised on its first poll.
    Raises FeedError (with the feed's own message when the document is not a sitemap either).
    """
    if kind == "sitemap":
        try:
            return parse_sitemap(content, url)
        except SitemapError as exc:
            raise FeedError(str(exc)) from exc
    try:
        return parse_feed(url, content, content_type)
    except FeedError as exc:
        if exc.feed_links or str(exc).startswith("not a feed (HTML page"):
            raise
        try:
            return parse_sitemap(content, url)
        except SitemapError:
            raise exc from None
