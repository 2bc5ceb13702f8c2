"""Read XML sitemaps (indexes, url sets, Google News sitemaps, gzip, plain-text lists) and poll them.

A sitemap subscription is polled like a feed: :func:`poll_sitemap` reads the
document fetched with a conditional request, follows an index to the child
sitemaps changed since the last poll, and returns the entries dated since then
as a ParsedFeed, so the pipeline handles them as it does feed entries.
"""

from __future__ import annotations

import asyncio
import gzip
import io
import xml.etree.ElementTree as ET
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from newsdesk.ingest.textutil import absolute_http_url, clean_space, normalize_language, parse_datetime
from newsdesk.models import FeedEntry, FetchResult, ParsedFeed
from newsdesk.settings import FetchSettings

if TYPE_CHECKING:
    from newsdesk.ingest.fetcher import Fetcher

# The sitemaps protocol caps a sitemap at 50 MB uncompressed and 50,000 URLs.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
MAX_SITEMAP_URLS = 50_000
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
# A later poll also reads entries dated up to this much before the newest date already read:
# a sitemap served from a cache, or an article listed a little after its publication time,
# is not missed. Pages already collected are not fetched again.
LATE_MARGIN = timedelta(hours=1)

T = TypeVar("T")


class SitemapError(ValueError):
    """The document is not a readable sitemap."""


@dataclass
class SitemapLink:
    """A child sitemap named by a sitemap index."""

    url: str
    lastmod: datetime | None = None


@dataclass
class ParsedSitemap:
    """One sitemap document: its page entries or its child sitemaps.

    ``format`` is ``sitemap``, ``news-sitemap``, ``sitemap-index`` or ``text-sitemap``;
    ``title`` and ``language`` are the Google News publication's name and language."""

    entries: list[FeedEntry] = field(default_factory=list)
    children: list[SitemapLink] = field(default_factory=list)
    format: str = "sitemap"
    title: str | None = None
    language: str | None = None
    warning: str | None = None


@dataclass
class SitemapPoll:
    """The outcome of one poll: the new entries (as a feed), the child sitemaps fetched
    (for the fetch log) and the newest entry date now read (None: unchanged)."""

    feed: ParsedFeed
    fetched: list[FetchResult] = field(default_factory=list)
    seen_until: datetime | None = None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _gunzip(content: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(content)) as stream:
            data = stream.read(MAX_SITEMAP_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise SitemapError(f"broken gzip data: {exc}") from exc
    if len(data) > MAX_SITEMAP_BYTES:
        raise SitemapError(f"sitemap larger than {MAX_SITEMAP_BYTES} bytes uncompressed")
    return data


def _own_text(element: ET.Element, name: str) -> str | None:
    """Text of a direct child (``loc``, ``lastmod``; not an image:loc deeper down)."""
    for child in element:
        if _local(child.tag) == name:
            return clean_space(child.text)
    return None


def _news_text(element: ET.Element | None, path: str) -> str | None:
    if element is None:
        return None
    found = element.find("/".join(NEWS_NS + step for step in path.split("/")))
    return clean_space(found.text) if found is not None else None


def _text_sitemap(content: bytes, base: str | None) -> ParsedSitemap:
    text = content.decode("utf-8", errors="replace")
    urls = [absolute_http_url(line.strip(), base) for line in text.splitlines() if line.strip()]
    if not urls or any(u is None for u in urls):
        raise SitemapError("not a sitemap (neither XML nor a list of URLs)")
    entries = [FeedEntry(url=u) for u in urls[:MAX_SITEMAP_URLS] if u]
    return ParsedSitemap(entries=entries, format="text-sitemap")


def _url_entry(item: ET.Element, base: str | None) -> tuple[FeedEntry | None, str | None, str | None]:
    """A page entry, with the news publication's name and language when it has them."""
    url = absolute_http_url(_own_text(item, "loc"), base)
    if url is None:
        return None, None, None
    news = item.find(NEWS_NS + "news")
    language = normalize_language(_news_text(news, "publication/language"))
    published = parse_datetime(_news_text(news, "publication_date")) or parse_datetime(
        _own_text(item, "lastmod")
    )
    entry = FeedEntry(url=url, title=_news_text(news, "title"), published=published, language=language)
    return entry, _news_text(news, "publication/name"), language


def parse_sitemap(content: bytes, url: str | None = None) -> ParsedSitemap:
    """The page entries, or the child sitemaps, of one sitemap document fetched from ``url``.

    A page's date (``FeedEntry.published``) is its Google News ``publication_date`` when
    present, else its ``lastmod``; its title and language come from ``news:title`` and
    ``news:publication/news:language``. Gzip input is decompressed. Entity declarations are
    refused and sizes capped (50 MB, 50,000 URLs). Raises SitemapError on anything unreadable.
    """
    if content[:2] == b"\x1f\x8b":
        content = _gunzip(content)
    if not content.strip():
        raise SitemapError("empty document")
    if not content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return _text_sitemap(content, url)
    try:
        root = SafeET.fromstring(content)
    except DefusedXmlException as exc:
        raise SitemapError(f"refused unsafe XML ({type(exc).__name__})") from exc
    except (ET.ParseError, ValueError, RecursionError) as exc:
        raise SitemapError(f"malformed XML: {exc}") from exc
    kind = _local(root.tag)
    items = [item for item in root if _local(item.tag) == ("sitemap" if kind == "sitemapindex" else "url")]
    warning = None
    if len(items) > MAX_SITEMAP_URLS:
        warning = f"{len(items)} entries, only the first {MAX_SITEMAP_URLS} read"
        items = items[:MAX_SITEMAP_URLS]
    if kind == "sitemapindex":
        children = []
        for item in items:
            child = absolute_http_url(_own_text(item, "loc"), url)
            if child:
                children.append(SitemapLink(child, parse_datetime(_own_text(item, "lastmod"))))
        return ParsedSitemap(children=children, format="sitemap-index", warning=warning)
    if kind != "urlset":
        raise SitemapError(f"not a sitemap (root element is <{kind}>)")
    entries: list[FeedEntry] = []
    names: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    for item in items:
        entry, name, language = _url_entry(item, url)
        if entry is not None:
            entries.append(entry)
            names.update([name] if name else [])
            languages.update([language] if language else [])
    return ParsedSitemap(
        entries=entries,
        format="news-sitemap" if names or languages else "sitemap",
        title=names.most_common(1)[0][0] if names else None,
        language=languages.most_common(1)[0][0] if len(languages) == 1 else None,
        warning=warning,
    )


def window_start(seen_until: datetime | None, now: datetime, first_hours: float) -> datetime:
    """Entries dated before this are not new: the newest date read by the last poll less
    :data:`LATE_MARGIN`, or on the first poll ``first_hours`` before now."""
    return seen_until - LATE_MARGIN if seen_until else now - timedelta(hours=first_hours)


def _newest_first(
    items: list[T], date: Callable[[T], datetime | None], since: datetime, limit: int
) -> list[T]:
    """The items dated since ``since``, newest first; undated ones only when none has a date."""
    if not any(date(item) for item in items):
        return items[: max(limit, 0)]
    dated = [(when, item) for item in items if (when := date(item)) is not None and when >= since]
    dated.sort(key=lambda pair: pair[0], reverse=True)
    return [item for _, item in dated[: max(limit, 0)]]


def new_entries(entries: list[FeedEntry], since: datetime, limit: int) -> list[FeedEntry]:
    """The entries dated since ``since``, newest first, at most ``limit``. Undated entries are
    taken only from a sitemap where no entry has a date (in document order)."""
    return _newest_first(entries, lambda e: e.published, since, limit)


def due_children(children: list[SitemapLink], since: datetime, limit: int) -> list[SitemapLink]:
    """The child sitemaps changed since ``since`` (by ``lastmod``), newest first, at most ``limit``;
    when no child has a ``lastmod``, the first ``limit`` of them."""
    return _newest_first(children, lambda c: c.lastmod, since, limit)


def newest_date(entries: list[FeedEntry], now: datetime) -> datetime | None:
    """The newest entry date, no later than ``now`` (a date in the future is not believed)."""
    dates = [min(e.published, now) for e in entries if e.published is not None]
    return max(dates, default=None)


async def poll_sitemap(
    fetcher: Fetcher,
    url: str,
    sitemap: ParsedSitemap,
    seen_until: datetime | None,
    now: datetime,
    settings: FetchSettings,
) -> SitemapPoll:
    """Read a fetched sitemap (or index and its children changed since the last poll) and
    return the entries dated since then. ``seen_until`` only advances when every child due
    was read, so an entry of a child that failed is read on a later poll."""
    since = window_start(seen_until, now, settings.sitemap_first_hours)
    entries = list(sitemap.entries)
    warnings = [sitemap.warning] if sitemap.warning else []
    children = due_children(sitemap.children, since, settings.sitemap_max_children)
    fetched = list(await asyncio.gather(*(fetcher.fetch(c.url, kind="sitemap") for c in children)))
    complete = True
    parts = [sitemap]
    for result in fetched:
        try:
            if result.error:
                raise SitemapError(result.error)
            child = parse_sitemap(result.content, result.final_url or result.url)
        except SitemapError as exc:
            warnings.append(f"child sitemap {result.url}: {exc}")
            complete = False
            continue
        if child.children:
            warnings.append(f"child sitemap {result.url} is itself an index: not followed")
        entries.extend(child.entries)
        parts.append(child)
    names = [p.title for p in parts if p.title]
    languages = {p.language for p in parts if p.language}
    newest = newest_date(entries, now) if complete else None
    feed = ParsedFeed(
        url=url,
        title=names[0] if names else None,
        language=languages.pop() if len(languages) == 1 else None,
        format=sitemap.format,
        entries=new_entries(entries, since, settings.sitemap_max_urls),
        warning="; ".join(warnings) or None,
    )
    return SitemapPoll(feed, fetched, max(filter(None, [newest, seen_until]), default=None))
