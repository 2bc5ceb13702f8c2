"""Collection: poll due feeds, fetch the new article pages and keep them raw.

Each page is saved as soon as it arrives, so an interrupted run keeps what it
fetched. One failing feed or page is recorded with its reason and never stops
the others. A poll reads a feed's newest ``max_entries_per_poll`` entries; their
pages are fetched in rounds of ``round_pages``, taken from the feeds in turn and
fetched host by host side by side, and each round can be processed before the
next is fetched, so one big feed never holds up the others. A host that answered
429 or 503 with Retry-After is asked nothing before the time it named.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import zip_longest
from typing import TypeVar

from newsdesk.ingest.charset import decode_html
from newsdesk.ingest.feeds import FeedError, parse_subscription
from newsdesk.ingest.fetcher import Fetcher, run_interruptible
from newsdesk.ingest.retryafter import RATE_LIMIT_STATUSES, host_key
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
    pages_waiting: int = 0  # not asked: their host asked to wait (429 or 503 with Retry-After)


Progress = Callable[[str, int], None]
Job = tuple[Feed | None, FeedEntry | RawPage]
T = TypeVar("T")


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


def _record_waits(session, results: Iterable[FetchResult], now: datetime) -> None:  # noqa: ANN001
    """Keep the waits hosts asked for in these answers (429 or 503 with Retry-After)."""
    for result in results:
        if result.retry_after is not None and result.status in RATE_LIMIT_STATUSES:
            host = host_key(result.final_url or result.url)
            feed_store.record_host_wait(session, host, result.retry_after, result.status, now)


def _record_feed(
    store: Store, feed: Feed, result: FetchResult, read: FeedRead, now: datetime, settings: Settings
) -> ParsedFeed | None:
    parsed = read.parsed
    with store.session() as session:
        feed_store.log_fetch(session, now, result, "feed", feed.id)
        for child in read.fetched:
            feed_store.log_fetch(session, now, child, "sitemap", feed.id)
        _record_waits(session, [result, *read.fetched], now)
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
            retry_at=result.retry_after,
        )
    return parsed


def _published_key(entry: FeedEntry) -> datetime:
    when = entry.published or datetime.min
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def newest_entries(entries: Sequence[FeedEntry], cap: int) -> list[FeedEntry]:
    """The ``cap`` newest entries that have a URL: dated ones newest first, then undated ones
    in the feed's order."""
    with_url = [e for e in entries if e.url]
    dated = sorted((e for e in with_url if e.published), key=_published_key, reverse=True)
    return (dated + [e for e in with_url if not e.published])[:cap]


def round_robin(queues: Iterable[Sequence[T]]) -> list[T]:
    """The first item of every queue, then the second of every queue, and so on."""
    gap = object()
    return [item for row in zip_longest(*queues, fillvalue=gap) for item in row if item is not gap]


def _new_entries(store: Store, feed: Feed, parsed: ParsedFeed, cap: int) -> list[FeedEntry]:
    """The feed's newest ``cap`` entries whose pages were not fetched yet."""
    entries = newest_entries(parsed.entries, cap)
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


def _save_page(
    store: Store, feed: Feed | None, item: FeedEntry | RawPage, result: FetchResult, settings: Settings
) -> None:
    """Keep one page's answer: the page, its fetch error, or its host's wait."""
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
        _record_waits(session, [result], now)
        page_store.save_raw_page(
            session,
            page,
            now,
            fetch_error=None if result.ok else f"{item.url}: {result.error}",
            retry_minutes=settings.fetch.retry_after_minutes,
            retry_at=result.retry_after,
        )


async def _fetch_pages(
    fetcher: Fetcher,
    store: Store,
    jobs: Sequence[Job],
    settings: Settings,
    stats: CollectStats,
    progress: Progress | None,
) -> None:
    """Fetch and save the pages of ``jobs``: each host's in their order by as many fetches at a
    time as a host is allowed, the hosts side by side (so a host with many pages holds no more
    of the shared slots than one with few)."""
    by_host: dict[str, deque[Job]] = {}
    for job in jobs:
        by_host.setdefault(host_key(job[1].url), deque()).append(job)

    async def drain(queue: deque[Job]) -> None:
        while queue:
            feed, item = queue.popleft()
            result = await fetcher.fetch(item.url, kind="page")
            _save_page(store, feed, item, result, settings)
            if result.ok:
                stats.pages += 1
            elif result.retry_after is not None and result.status is None:
                stats.pages_waiting += 1  # not asked: the host is waiting (feeds list says until when)
            else:
                stats.page_errors.append(f"{item.url}: {result.error}")
            if progress:
                progress("page", 1)

    per_host = max(1, settings.fetch.per_host_concurrency)
    await asyncio.gather(*(drain(q) for q in by_host.values() for _ in range(min(per_host, len(q)))))


async def collect_async(
    store: Store,
    settings: Settings,
    feeds: list[Feed],
    progress: Progress | None = None,
    process: Callable[[], None] | None = None,
) -> CollectStats:
    """Poll the given feeds and fetch the new pages of their newest entries (and the pages due
    for another try), in rounds of ``fetch.round_pages`` taken from the feeds in turn;
    ``process`` is called after each round is saved (with nothing being fetched)."""
    stats = CollectStats()
    async with Fetcher(settings.fetch) as fetcher:
        with store.session() as session:
            for host, until in feed_store.host_waits(session, datetime.now(UTC)).items():
                fetcher.wait_for_host(host, until)

        async def poll(feed: Feed) -> tuple[Feed, FetchResult, FeedRead]:
            result = await fetcher.fetch(
                feed.url, etag=feed.etag, last_modified=feed.last_modified, kind="feed"
            )
            return feed, result, await _read_feed(fetcher, feed, result, settings)

        queues: dict[int | None, list[Job]] = {feed.id: [] for feed in feeds}
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
            # A sitemap's poll is capped already, by ``sitemap_max_urls``.
            cap = len(parsed.entries) if read.kind == "sitemap" else settings.fetch.max_entries_per_poll
            entries = _new_entries(store, feed, parsed, cap)
            queues[feed.id] = [(feed, entry) for entry in entries]
        with store.session() as session:
            retries = page_store.unfetched_due(session, datetime.now(UTC), settings.fetch.max_attempts)
        for page in retries:
            queues.setdefault(page.feed_id, []).append((None, page))
        jobs = round_robin(queues.values())
        if progress:
            progress("pages-total", len(jobs))
        size = settings.fetch.round_pages
        for start in range(0, len(jobs), size):
            await _fetch_pages(fetcher, store, jobs[start : start + size], settings, stats, progress)
            if process is not None:
                process()
    return stats


def collect(
    store: Store,
    settings: Settings,
    force: bool = False,
    progress: Progress | None = None,
    process: Callable[[], None] | None = None,
) -> CollectStats:
    """Poll every due feed once (all feeds with ``force``) and fetch their new pages; ``process``
    (e.g. processing the pending pages) is called after each round of pages is saved."""
    with store.session() as session:
        feeds = feed_store.due_feeds(session, datetime.now(UTC), force=force)
    if progress:
        progress("feeds-total", len(feeds))
    return run_interruptible(collect_async(store, settings, feeds, progress, process))
