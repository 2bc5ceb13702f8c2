"""Subscribing: add a feed or sitemap (or a site whose feed or sitemap is discovered); OPML import/export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.ingest.discovery import discover_feed_links
from newsdesk.ingest.feeds import FeedError, parse_subscription
from newsdesk.ingest.fetcher import Fetcher, run_interruptible
from newsdesk.ingest.opml import OpmlFeed, parse_opml, write_opml
from newsdesk.ingest.sitemaps import ParsedSitemap
from newsdesk.models import Feed, FetchResult, ParsedFeed
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.store import feeds as feed_store
from newsdesk.urls import outlet_domain

# robots.txt files may name many sitemaps: at most this many are tried when a home page has no feed
MAX_ROBOTS_SITEMAPS = 5


@dataclass
class Subscription:
    feed: Feed
    created: bool
    note: str | None = None


@dataclass
class Resolved:
    """What to subscribe to for a URL the user gave: the document's URL, its kind (``feed`` or
    ``sitemap``), the feed's site link and a note for the user."""

    url: str
    kind: str = "feed"
    site_url: str | None = None
    note: str | None = None


def _resolved(url: str, document: ParsedFeed | ParsedSitemap, note: str | None = None) -> Resolved:
    if isinstance(document, ParsedSitemap):
        return Resolved(url, "sitemap", None, note)
    return Resolved(url, "feed", document.site_url, note)


async def _read(fetcher: Fetcher, url: str, kind: str = "feed") -> ParsedFeed | ParsedSitemap:
    result = await fetcher.fetch(url, kind="feed")
    if result.error:
        raise FeedError(result.error)
    return parse_subscription(result.final_url or url, result.content, result.content_type, kind)


async def _robots_sitemap(fetcher: Fetcher, page_url: str) -> Resolved | None:
    """The sitemap the site's robots.txt names, a Google News sitemap first; None when none is readable."""
    named = (await fetcher.robots.sitemaps(page_url))[:MAX_ROBOTS_SITEMAPS]
    found: list[tuple[str, ParsedSitemap]] = []
    for url in named:
        try:
            sitemap = await _read(fetcher, url, kind="sitemap")
        except FeedError:
            continue
        if isinstance(sitemap, ParsedSitemap):
            found.append((url, sitemap))
    if not found:
        return None
    url, sitemap = next(((u, s) for u, s in found if s.format == "news-sitemap"), found[0])
    others = [u for u in named if u != url]
    note = f"no feed on the page; sitemap named by its robots.txt: {url}"
    return _resolved(url, sitemap, note + (f" (also named: {', '.join(others)})" if others else ""))


async def _discover(fetcher: Fetcher, url: str, page: FetchResult, error: FeedError) -> Resolved:
    """For a page that is no feed: the feed it links to (preferred: a feed gives every entry a title,
    summary and date), else a sitemap named by the site's robots.txt. The outlet then follows the
    feed's own site link, never the host the page was fetched from."""
    page_url = page.final_url or url
    links = discover_feed_links(page.content, page_url)
    for link in links:
        try:
            return _resolved(link, await _read(fetcher, link), f"feed discovered on the page: {link}")
        except FeedError:
            continue
    if links:
        return Resolved(links[0], note=f"feed discovered on the page: {links[0]} (could not be read yet)")
    sitemap = await _robots_sitemap(fetcher, page_url)
    if sitemap is None:
        raise FeedError(f"{url}: {error}") from error
    return sitemap


async def _resolve(url: str, settings: Settings) -> Resolved:
    """What to subscribe to for ``url``: a feed, a sitemap, or what a page leads to."""
    async with Fetcher(settings.fetch) as fetcher:
        result = await fetcher.fetch(url, kind="feed")
        if result.error:
            return Resolved(url, note=f"not checked: {result.error}")
        try:
            return _resolved(url, parse_subscription(url, result.content, result.content_type))
        except FeedError as exc:
            return await _discover(fetcher, url, result, exc)


def add_feed(
    store: Store,
    settings: Settings,
    url: str,
    outlet: str | None = None,
    language: str | None = None,
    check: bool = True,
) -> Subscription:
    """Subscribe to a feed or sitemap URL, or a site's page: its feed (``<link rel=alternate>``) is
    preferred, else a sitemap its robots.txt names. Raises FeedError when the URL leads to neither.
    Unchecked URLs are recorded as feeds and recognised as sitemaps on their first poll."""
    resolved = run_interruptible(_resolve(url, settings)) if check else Resolved(url)
    with store.session() as session:
        feed, created = feed_store.add_feed(
            session,
            resolved.url,
            datetime.now(UTC),
            outlet=outlet or outlet_domain(resolved.site_url),
            outlet_named=bool(outlet),
            language=language,
            site_url=resolved.site_url,
            interval_minutes=settings.fetch.feed_interval_minutes,
            kind=resolved.kind,
        )
    return Subscription(feed, created, resolved.note)


def import_opml(store: Store, settings: Settings, path: Path) -> list[Subscription]:
    """Subscribe to every feed of an OPML file; the outlet is the domain of its ``htmlUrl``."""
    outlines = parse_opml(path.read_bytes(), source=str(path))
    result = []
    with store.session() as session:
        for outline in outlines:
            feed, created = feed_store.add_feed(
                session,
                outline.xml_url,
                datetime.now(UTC),
                outlet=outlet_domain(outline.html_url),
                language=outline.language,
                title=outline.title,
                site_url=outline.html_url,
                interval_minutes=settings.fetch.feed_interval_minutes,
            )
            result.append(Subscription(feed, created))
    return result


def export_opml(store: Store) -> str:
    with store.session() as session:
        feeds = feed_store.list_feeds(session)
    return write_opml(
        OpmlFeed(
            title=f.title or f.outlet, xml_url=f.url, html_url=f.site_url, language=f.language, category=None
        )
        for f in feeds
    )
