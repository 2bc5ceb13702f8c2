"""Collection: poll due feeds, fetch the new article pages and keep them raw.

Each page is saved as soon as it arrives, so an interrupted run keeps what it
fetched. One failing feed or page is recorded with its reason and never stops
the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsdesk.ingest.charset import decode_html
from newsdesk.ingest.feeds import FeedError, parse_subscription
from newsdesk.ingest.fetcher import Fetcher, run_interruptible
from newsdesk.ingest.sitemaps import poll_sitemap
from newsdesk.models import Feed, FeedEntry, FetchResult, ParsedFeed, RawPage
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.store import feeds as feed_store
from newsdesk.store import pages as page_store
from newsdesk.urls import canonical_url, outlet_domain


@dataclass
class CollectStats:
    feeds: int = 0
    feed_errors: list[str] = field(default_factory=list)
    pages: int = 0
    page_errors: list[str] = field(default_factory=list)


Progress = Callable[[str, int], None]


@dataclass
class FeedRead:
    """A polled document read: the feed (for a sitemap, its new entries) or the error, the kind
    it turned out to be, a sitemap's newest entry date and the child sitemaps fetched."""

    parsed: ParsedFeed | None = None
    error: str | None = None
    kind: str | None = None
    seen_until: datetime | None = None
    fetched: list[FetchResult] = field(default_factory=list)


async def _read_feed(fetcher: Fetcher, feed: Feed, result: FetchResult, settings: Settings) -> FeedRead:
    """Parse what a poll fetched: a feed, or a sitemap with the child sitemaps it names."""
    if result.error or result.not_modified:
        return FeedRead(error=result.error)
    try:
        document = parse_subscription(feed.url, result.content, result.content_type, feed.kind)
        if isinstance(document, ParsedFeed):
            return FeedRead(parsed=document, kind="feed")
        poll = await poll_sitemap(
            fetcher, feed.url, document, feed.seen_until, datetime.now(UTC), settings.fetch
        )
        return FeedRead(poll.feed, kind="sitemap", seen_until=poll.seen_until, fetched=poll.fetched)
    except FeedError as exc:
        return FeedRead(error=str(exc))
    except Exception as exc:  # one bad feed never stops the others
        return FeedRead(error=f"feed could not be read: {type(exc).__name__}: {exc}")


def _record_feed(
    store: Store, feed: Feed, result: FetchResult, read: FeedRead, now: datetime, settings: Settings
) -> ParsedFeed | None:
    parsed = read.parsed
    with store.session() as session:
        feed_store.log_fetch(session, now, result, "feed", feed.id)
        for child in read.fetched:
            feed_store.log_fetch(session, now, child, "sitemap", feed.id)
        feed_store.record_feed_fetch(
            session,
            feed.id,
            now,
            read.error,
            parsed=parsed,
            etag=result.etag,
            last_modified=result.last_modified,
            not_modified=result.not_modified,
            retry_minutes=settings.fetch.retry_after_minutes,
            derived_outlet=outlet_domain(parsed.site_url) if parsed else None,
            kind=read.kind,
            seen_until=read.seen_until,
        )
    return parsed


def _new_entries(store: Store, feed: Feed, parsed: ParsedFeed) -> list[FeedEntry]:
    entries = [e for e in parsed.entries if e.url]
    with store.session() as session:
        known = page_store.known_urls(
            session, [e.url for e in entries] + [canonical_url(e.url) for e in entries]
        )
    fresh = []
    for entry in entries:
        if entry.url in known or canonical_url(entry.url) in known:
            continue
        entry.language = entry.language or parsed.language or feed.language
        fresh.append(entry)
        known.add(entry.url)
    return fresh


async def _fetch_pages(
    fetcher: Fetcher,
    store: Store,
    jobs: list[tuple[Feed | None, FeedEntry | RawPage]],
    settings: Settings,
    stats: CollectStats,
    progress: Progress | None,
) -> None:
    async def one(
        feed: Feed | None, item: FeedEntry | RawPage
    ) -> tuple[Feed | None, FeedEntry | RawPage, FetchResult]:
        return feed, item, await fetcher.fetch(item.url, kind="page")

    for future in asyncio.as_completed([one(f, i) for f, i in jobs]):
        feed, item, result = await future
        now = datetime.now(UTC)
        entry = item if isinstance(item, FeedEntry) else item.entry
        feed_id = feed.id if feed else getattr(item, "feed_id", None)
        page = RawPage(
            url=item.url,
            html=decode_html(result.content, result.content_type) if result.ok else "",
            final_url=result.final_url,
            feed_id=feed_id,
            entry=entry,
            collected=now,
        )
        with store.session() as session:
            feed_store.log_fetch(session, now, result, "page", feed_id)
            page_store.save_raw_page(
                session,
                page,
                now,
                fetch_error=None if result.ok else f"{item.url}: {result.error}",
                retry_minutes=settings.fetch.retry_after_minutes,
            )
        if result.ok:
            stats.pages += 1
        else:
            stats.page_errors.append(f"{item.url}: {result.error}")
        if progress:
            progress("page", 1)


async def collect_async(
    store: Store, settings: Settings, feeds: list[Feed], progress: Progress | None = None
) -> CollectStats:
    """Poll the given feeds and fetch every new page they list."""
    stats = CollectStats()
    async with Fetcher(settings.fetch) as fetcher:

        async def poll(feed: Feed) -> tuple[Feed, FetchResult, FeedRead]:
            result = await fetcher.fetch(
                feed.url, etag=feed.etag, last_modified=feed.last_modified, kind="feed"
            )
            return feed, result, await _read_feed(fetcher, feed, result, settings)

        jobs: list[tuple[Feed | None, FeedEntry | RawPage]] = []
        for future in asyncio.as_completed([poll(f) for f in feeds]):
            feed, result, read = await future
            parsed = _record_feed(store, feed, result, read, datetime.now(UTC), settings)
            stats.feeds += 1
            if progress:
                progress("feed", 1)
            if parsed is None:
                if result.error or not result.not_modified:
                    with store.session() as session:
                        row = feed_store.find_feed(session, str(feed.id))
                        stats.feed_errors.append(f"{feed.url}: {row.last_error if row else result.error}")
                continue
            jobs.extend((feed, entry) for entry in _new_entries(store, feed, parsed))
        with store.session() as session:
            retries = page_store.unfetched_due(session, datetime.now(UTC), settings.fetch.max_attempts)
        jobs.extend((None, page) for page in retries)
        if progress:
            progress("pages-total", len(jobs))
        await _fetch_pages(fetcher, store, jobs, settings, stats, progress)
    return stats


def collect(
    store: Store, settings: Settings, force: bool = False, progress: Progress | None = None
) -> CollectStats:
    """Poll every due feed once (all feeds with ``force``)."""
    with store.session() as session:
        feeds = feed_store.due_feeds(session, datetime.now(UTC), force=force)
    if progress:
        progress("feeds-total", len(feeds))
    return run_interruptible(collect_async(store, settings, feeds, progress))
