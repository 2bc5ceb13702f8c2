"""Subscribing: add a feed (or a site whose feed is discovered) and OPML import/export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.ingest.discovery import discover_feed_links
from newsdesk.ingest.feeds import FeedError, parse_feed
from newsdesk.ingest.fetcher import Fetcher, run_interruptible
from newsdesk.ingest.opml import OpmlFeed, parse_opml, write_opml
from newsdesk.models import Feed
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.store import feeds as feed_store
from newsdesk.urls import outlet_domain


@dataclass
class Subscription:
    feed: Feed
    created: bool
    note: str | None = None


async def _resolve(url: str, settings: Settings) -> tuple[str, str | None, str | None]:
    """The feed URL for what the user gave (a feed, or a page linking to one),
    its site link, and a note when the URL could not be checked."""
    async with Fetcher(settings.fetch) as fetcher:
        result = await fetcher.fetch(url, kind="feed")
    if result.error:
        return url, None, f"not checked: {result.error}"
    try:
        parsed = parse_feed(url, result.content, result.content_type)
        return url, parsed.site_url, None
    except FeedError as exc:
        links = discover_feed_links(result.content, result.final_url or url)
        if links:
            return links[0], url, f"feed discovered on the page: {links[0]}"
        raise FeedError(f"{url}: {exc}") from exc


def add_feed(
    store: Store,
    settings: Settings,
    url: str,
    outlet: str | None = None,
    language: str | None = None,
    check: bool = True,
) -> Subscription:
    """Subscribe to a feed URL or a site's page (its feed is discovered from
    ``<link rel=alternate>``). Raises FeedError when the URL is neither."""
    feed_url, site_url, note = run_interruptible(_resolve(url, settings)) if check else (url, None, None)
    with store.session() as session:
        feed, created = feed_store.add_feed(
            session,
            feed_url,
            datetime.now(UTC),
            outlet=outlet or outlet_domain(site_url),
            outlet_named=bool(outlet),
            language=language,
            site_url=site_url,
            interval_minutes=settings.fetch.feed_interval_minutes,
        )
    return Subscription(feed, created, note)


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
