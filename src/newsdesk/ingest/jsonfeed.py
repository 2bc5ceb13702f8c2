"""JSON Feed 1.0 / 1.1 (https://www.jsonfeed.org/version/1.1/) to ParsedFeed."""

from __future__ import annotations

import json
from typing import Any

from newsdesk.ingest.textutil import (
    absolute_http_url,
    clean_space,
    html_to_text,
    normalize_language,
    parse_datetime,
)
from newsdesk.models import FeedEntry, ParsedFeed

VERSION_PREFIX = "https://jsonfeed.org/version/"


class JsonFeedError(ValueError):
    """The document is not a usable JSON Feed."""


def _text(value: Any) -> str | None:
    return clean_space(value) if isinstance(value, str) else None


def _author(item: dict[str, Any]) -> str | None:
    authors = item.get("authors")
    names: list[str] = []
    if isinstance(authors, list):
        names = [a["name"].strip() for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)]
    elif isinstance(item.get("author"), dict) and isinstance(item["author"].get("name"), str):
        names = [item["author"]["name"].strip()]
    names = [n for n in names if n]
    return ", ".join(names) or None


def _entry(item: dict[str, Any], base: str, feed_language: str | None) -> FeedEntry | None:
    url = absolute_http_url(item.get("url"), base) or absolute_http_url(item.get("external_url"), base)
    guid = item.get("id")
    guid = str(guid) if isinstance(guid, str | int | float) and not isinstance(guid, bool) else None
    if url is None and guid:
        url = absolute_http_url(guid, None)
    if url is None:
        return None
    summary = _text(item.get("summary"))
    if summary is None:
        summary = _text(item.get("content_text")) or html_to_text(
            item.get("content_html") if isinstance(item.get("content_html"), str) else None
        )
    published = parse_datetime(item.get("date_published")) or parse_datetime(item.get("date_modified"))
    return FeedEntry(
        url=url,
        title=_text(item.get("title")),
        summary=summary,
        published=published,
        author=_author(item),
        guid=guid,
        language=normalize_language(item.get("language")) or feed_language,
    )


def looks_like_json(content: bytes, content_type: str | None) -> bool:
    """Whether the bytes should be read as JSON rather than XML."""
    if content_type and "json" in content_type.lower():
        return True
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return head in (b"{", b"[")


def parse_json_feed(url: str, content: bytes) -> ParsedFeed:
    """Parse a JSON Feed document; raises JsonFeedError with a readable reason."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise JsonFeedError(f"JSON Feed is not UTF-8: {exc.reason}") from exc
    except (json.JSONDecodeError, RecursionError) as exc:
        raise JsonFeedError(f"malformed JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise JsonFeedError("not a feed (JSON document is not an object)")
    version = data.get("version")
    if not (isinstance(version, str) and version.startswith(VERSION_PREFIX)):
        raise JsonFeedError("not a feed (JSON without a JSON Feed version)")
    items = data.get("items")
    if not isinstance(items, list):
        raise JsonFeedError("JSON Feed has no items list")
    language = normalize_language(data.get("language"))
    base = absolute_http_url(data.get("feed_url"), url) or url
    entries: list[FeedEntry] = []
    skipped = 0
    for item in items:
        entry = _entry(item, base, language) if isinstance(item, dict) else None
        if entry is None:
            skipped += 1
        else:
            entries.append(entry)
    tag = version[len(VERSION_PREFIX) :].strip("/")
    return ParsedFeed(
        url=url,
        title=_text(data.get("title")),
        site_url=absolute_http_url(data.get("home_page_url"), url),
        language=language,
        format=f"json{tag.replace('.', '')}" if tag else "json",
        entries=entries,
        warning=f"{skipped} items without a usable URL skipped" if skipped else None,
    )
