"""Subscribing: add a feed or sitemap (or a site whose feed or sitemap is discovered); OPML import/export."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from newsdesk.ingest.addresses import PRIVATE_REFUSED, is_local_name, parse_ip, refusal_reason
from newsdesk.ingest.discovery import discover_feed_links
from newsdesk.ingest.feeds import FeedError, parse_subscription
from newsdesk.ingest.fetcher import Fetcher, run_interruptible
from newsdesk.ingest.opml import OpmlFeed, parse_opml, write_opml
from newsdesk.ingest.sitemaps import ParsedSitemap
from newsdesk.models import Feed, FetchResult, ParsedFeed
from newsdesk.settings import FetchSettings, Settings
from newsdesk.store import Store
from newsdesk.store import feeds as feed_store
from newsdesk.urls import article_url_problem, outlet_domain, port_problem

# robots.txt files may name many sitemaps: at most this many are tried when a home page has no feed
MAX_ROBOTS_SITEMAPS = 5
# The note of a URL added although its check failed for a reason that may pass (a 404, a timeout).
FIRST_CHECK_FAILED = "added, but the first check failed"


@dataclass
class Subscription:
    feed: Feed
    created: bool
    note: str | None = None


class FeedRefused(FeedError):
    """A URL that can never be fetched under the settings (not http(s), a refused address)."""


def address_problem(url: str, settings: FetchSettings, check_host: bool = True) -> str | None:
    """Why ``url`` can never be fetched under these settings, or None when it may be: it must be an
    absolute http(s) URL the store can keep with a valid port, and (``check_host``) its host must not
    be one the fetch rules refuse without resolving it (a loopback, private or reserved IP literal,
    ``localhost``) unless ``fetch.allow_private`` is on. Names are resolved only when fetched."""
    problem = article_url_problem(url)
    if problem:
        return problem
    problem = port_problem(url)
    if problem:
        return f"URL {url[:80]!r} refused: {problem}"
    host = urlsplit(url.strip()).hostname or ""
    if not host:
        return f"URL {url[:80]!r} refused: it names no host"
    if not check_host or settings.allow_private:
        return None
    literal = parse_ip(host)
    if is_local_name(host) or (literal is not None and refusal_reason(host, [str(literal)])):
        return f"{host}: {PRIVATE_REFUSED}"
    return None


@dataclass
class Resolved:
    """What to subscribe to for a URL the user gave: the document's URL, its kind (``feed`` or
    ``sitemap``), the feed's site link, a note for the user, and why the check failed when it
    failed for a reason that may pass."""

    url: str
    kind: str = "feed"
    site_url: str | None = None
    note: str | None = None
    error: str | None = None


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
    """What to subscribe to for ``url``: a feed, a sitemap, or what a page leads to. A fetch that
    failed for a reason that may pass (a 404, a timeout) gives the URL with a note; a refused
    address raises FeedRefused."""
    async with Fetcher(settings.fetch) as fetcher:
        result = await fetcher.fetch(url, kind="feed")
        if result.error:
            if PRIVATE_REFUSED in result.error:
                raise FeedRefused(f"{url}: {result.error}")
            return Resolved(url, note=f"{FIRST_CHECK_FAILED}: {result.error}", error=result.error)
        try:
            return _resolved(url, parse_subscription(url, result.content, result.content_type))
        except FeedError as exc:
            return await _discover(fetcher, url, result, exc)


def _refuse_impossible(url: str, settings: Settings, check_host: bool) -> None:
    problem = address_problem(url, settings.fetch, check_host)
    if problem:
        raise FeedRefused(problem)


def add_feed(
    store: Store,
    settings: Settings,
    url: str,
    outlet: str | None = None,
    language: str | None = None,
    check: bool = True,
) -> Subscription:
    """Subscribe to a feed or sitemap URL, or a site's page: its feed (``<link rel=alternate>``) is
    preferred, else a sitemap its robots.txt names. Raises FeedRefused for a URL that can never be
    fetched (``address_problem``; without ``check`` only its form is judged), FeedError when the URL
    leads to no feed. A check that failed for a reason that may pass adds the URL with a note.
    Unchecked URLs are recorded as feeds and recognised as sitemaps on their first poll."""
    url = url.strip()
    _refuse_impossible(url, settings, check_host=check)
    resolved = run_interruptible(_resolve(url, settings)) if check else Resolved(url)
    return _store(store, settings, resolved, outlet, language)


def _store(
    store: Store,
    settings: Settings,
    resolved: Resolved,
    outlet: str | None,
    language: str | None,
    checking: bool = False,
) -> Subscription:
    now = datetime.now(UTC)
    interval = settings.fetch.feed_interval_minutes
    with store.session() as session:
        feed, created = feed_store.add_feed(
            session,
            resolved.url,
            now,
            outlet=outlet or outlet_domain(resolved.site_url),
            outlet_named=bool(outlet),
            language=language,
            site_url=resolved.site_url,
            interval_minutes=interval,
            kind=resolved.kind,
            # not polled while the check runs; if the check never ends, the first poll does its work
            status=feed_store.CHECKING if checking else "new",
            due=now + timedelta(minutes=interval) if checking else now,
        )
    return Subscription(feed, created, resolved.note)


def add_feed_to_check(
    store: Store, settings: Settings, url: str, outlet: str | None = None, language: str | None = None
) -> Subscription:
    """Store a feed at once with status ``checking``, for ``check_new_feed`` to check later (the web
    interface does so in the background). Raises FeedRefused, without any network work, for a URL
    that can never be fetched; a subscription that exists already is returned as it is."""
    url = url.strip()
    _refuse_impossible(url, settings, check_host=True)
    return _store(store, settings, Resolved(url), outlet, language, checking=True)


def check_new_feed(store: Store, settings: Settings, feed_id: int, url: str) -> Feed | None:
    """The first check of a feed stored by ``add_feed_to_check``: fetch it (or the feed its page
    leads to) and save what it turned out to be, or why the check failed (status ``check failed``,
    the reason in its last error). The feed, or None when it is gone (removed meanwhile, or its page
    led to a feed already subscribed)."""
    try:
        resolved = asyncio.run(_resolve(url, settings))
        error = resolved.error
    except FeedError as exc:
        resolved, error = Resolved(url), str(exc)
    with store.session() as session:
        return feed_store.record_feed_check(
            session,
            feed_id,
            datetime.now(UTC),
            url=resolved.url,
            kind=resolved.kind,
            site_url=resolved.site_url,
            outlet=outlet_domain(resolved.site_url),
            error=error,
        )


class OpmlTooBig(ValueError):
    """An OPML document past one import's caps (``web.max_body_bytes``, ``web.max_opml_feeds``); nothing
    of it is imported. The same caps hold for the web's import and ``newsdesk feeds import``."""


class OpmlTooLarge(OpmlTooBig):
    """An OPML document of more bytes than one import takes."""


class TooManyFeeds(OpmlTooBig):
    """An OPML document listing more feeds than one import takes."""


def _named(source: str) -> str:
    return source or "the OPML document"


def check_opml_size(size: int, settings: Settings, source: str = "") -> None:
    """Raise OpmlTooLarge when an OPML document of ``size`` bytes is past ``web.max_body_bytes``."""
    limit = settings.web.max_body_bytes
    if size > limit:
        raise OpmlTooLarge(
            f"{_named(source)} is larger than the {limit} bytes one import takes (web.max_body_bytes): "
            "nothing was imported; split it into smaller files"
        )


def check_opml_feeds(count: int, settings: Settings, source: str = "") -> None:
    """Raise TooManyFeeds when an OPML document listing ``count`` feeds is past ``web.max_opml_feeds``."""
    limit = settings.web.max_opml_feeds
    if count > limit:
        raise TooManyFeeds(
            f"{_named(source)} lists {count} feeds, more than the {limit} one import takes "
            "(web.max_opml_feeds): nothing was imported; split it into smaller files"
        )


def read_opml(path: Path, settings: Settings) -> bytes:
    """The bytes of an OPML file, reading no more than one past ``web.max_body_bytes``: a larger file
    raises OpmlTooLarge."""
    with path.open("rb") as handle:
        content = handle.read(settings.web.max_body_bytes + 1)
    check_opml_size(len(content), settings, str(path))
    return content


def import_opml(store: Store, settings: Settings, path: Path) -> list[Subscription]:
    """Subscribe to every feed of an OPML file (see ``import_opml_document``)."""
    return import_opml_document(store, settings, read_opml(path, settings), str(path))


def import_opml_document(
    store: Store, settings: Settings, content: bytes, source: str = ""
) -> list[Subscription]:
    """Subscribe to every feed of an OPML document; the outlet is the domain of its ``htmlUrl``.
    A document past ``web.max_body_bytes`` or listing more than ``web.max_opml_feeds`` feeds raises
    OpmlTooBig, and nothing is imported."""
    check_opml_size(len(content), settings, source)
    outlines = parse_opml(content, source=source)
    check_opml_feeds(len(outlines), settings, source)
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
