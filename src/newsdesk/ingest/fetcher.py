"""Polite HTTP fetching: per-host limits and pacing, size caps, robots.txt, clear errors.

    async with Fetcher(settings.fetch) as fetcher:
        result = await fetcher.fetch(url, kind="feed", etag=previous_etag)

``fetch`` never raises for network trouble: the returned FetchResult carries
an ``error`` message meant for users ("HTTP 404 Not Found", "timed out after
20s", "too many redirects (more than 5)", ...).
"""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Coroutine, Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from newsdesk.ingest.decoding import ACCEPT_ENCODING, BoundedDecoder, DecodeError, TooLarge
from newsdesk.ingest.neterrors import describe_network_error
from newsdesk.ingest.retryafter import describe_wait, host_key, host_wait
from newsdesk.ingest.robots import RobotsCache
from newsdesk.ingest.transport import GuardedTransport, HostRefused, Resolver
from newsdesk.models import FetchResult
from newsdesk.settings import FetchSettings
from newsdesk.urls import port_problem

T = TypeVar("T")

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
MAX_CRAWL_DELAY = 30.0
# A whole exchange (connect, headers, body) may take at most this many read timeouts,
# so a server trickling bytes cannot hold a slot forever.
EXCHANGE_READ_TIMEOUTS = 4


class _Failure(Exception):
    """Internal: ends one fetch with a user-facing message."""


class _HostWaiting(_Failure):
    """Internal: the host asked not to be asked before ``until``; nothing was sent."""

    def __init__(self, until: datetime):
        super().__init__(f"not asked: {describe_wait(until)}")
        self.until = until


class Fetcher:
    """Async context manager over one httpx.AsyncClient, shared by many fetches.

    Every connection goes through :class:`GuardedTransport`: the name is resolved once and
    the checked address is the one connected to. ``resolver`` and ``connector`` replace
    the system resolver and the TCP connector (tests answer names and reach loopback).
    """

    def __init__(
        self,
        settings: FetchSettings,
        *,
        resolver: Resolver | None = None,
        connector: httpcore.AsyncNetworkBackend | None = None,
    ):
        self.settings = settings
        self._resolver = resolver
        self._connector = connector
        self._client: httpx.AsyncClient | None = None
        self._global = asyncio.Semaphore(max(1, settings.total_concurrency))
        self._host_slots: dict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(max(1, settings.per_host_concurrency))
        )
        self._pace_locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._next_start: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}
        self._waits: dict[str, datetime] = {}
        self.robots = RobotsCache(settings.user_agent, lambda url: self.fetch(url, kind="robots"))

    async def __aenter__(self) -> Fetcher:
        self._ensure_client()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the underlying HTTP client."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _ensure_client(self) -> httpx.AsyncClient:
        if self._client is None:
            s = self.settings
            self._client = httpx.AsyncClient(
                headers={"User-Agent": s.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
                timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout, pool=None),
                follow_redirects=False,
                transport=GuardedTransport(s, self._resolver, self._connector),
            )
        return self._client

    def wait_for_host(self, host: str, until: datetime) -> None:
        """Ask nothing of ``host`` (see :func:`host_key`) before ``until``: fetches of its URLs
        end at once with ``retry_after`` set. A 429 or 503 answer with ``Retry-After`` sets
        this too."""
        self._waits[host] = max(until, self._waits.get(host, until))

    def _check_waiting(self, host: str) -> None:
        until = self._waits.get(host)
        if until is not None and until > datetime.now(UTC):
            raise _HostWaiting(until)

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        kind: str = "page",
    ) -> FetchResult:
        """Fetch ``url``; ``kind="page"`` honours robots.txt, feeds and others do not.

        ``etag``/``last_modified`` make a conditional request: a 304 answer
        gives ``not_modified=True`` and no content. A host waiting after a 429 or 503 is not
        asked: the result's ``retry_after`` says until when.
        """
        started = time.monotonic()
        try:
            result = await self._fetch(url, etag, last_modified, kind)
        except _HostWaiting as waiting:
            result = FetchResult(url=url, error=str(waiting), retry_after=waiting.until)
        except _Failure as failure:
            result = FetchResult(url=url, error=str(failure))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # never let one URL break a whole run
            result = FetchResult(url=url, error=describe_network_error(exc, self.settings, url))
        result.elapsed = time.monotonic() - started
        return result

    async def _fetch(self, url: str, etag: str | None, last_modified: str | None, kind: str) -> FetchResult:
        s = self.settings
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _hop in range(s.max_redirects + 1):
            self._check_waiting(host_key(current))
            await self._check_allowed(current, kind)
            outcome = await self._exchange(url, current, headers)
            if isinstance(outcome, str):
                current = outcome
                continue
            return outcome
        raise _Failure(f"too many redirects (more than {s.max_redirects})")

    async def _check_allowed(self, url: str, kind: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise _Failure(f"unsupported URL scheme {parts.scheme or '(none)'!r} (only http and https)")
        if not parts.hostname:
            raise _Failure("URL has no host")
        problem = port_problem(url)
        if problem:
            raise _Failure(problem)
        # The address is checked when connecting (GuardedTransport), on the very address used.
        if kind == "page" and self.settings.respect_robots:
            if not await self.robots.allowed(url):
                raise _Failure("disallowed by robots.txt")
            delay = await self.robots.crawl_delay(url)
            if delay:
                self._host_delay[host_key(url)] = min(delay, MAX_CRAWL_DELAY)

    async def _pace(self, host: str) -> None:
        """Wait so that request starts to one host are at least the host's delay apart."""
        delay = max(self.settings.per_host_delay, self._host_delay.get(host, 0.0))
        async with self._pace_locks[host]:
            wait = self._next_start.get(host, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._next_start[host] = time.monotonic() + delay

    async def _exchange(self, original: str, url: str, headers: dict[str, str]) -> FetchResult | str:
        """One request; returns the result, or the next URL when redirected."""
        client = self._ensure_client()
        host = host_key(url)
        s = self.settings
        deadline = s.connect_timeout + EXCHANGE_READ_TIMEOUTS * s.read_timeout
        async with self._global, self._host_slots[host]:
            self._check_waiting(host)  # a fetch before this one may have been told to wait
            await self._pace(host)
            try:
                async with asyncio.timeout(deadline):
                    request = client.build_request("GET", url, headers=headers)
                    response = await client.send(request, stream=True)
                    try:
                        return await self._read(original, url, response)
                    finally:
                        await response.aclose()
            except TimeoutError:
                raise _Failure(f"timed out after {deadline:g}s (whole exchange)") from None
            except HostRefused as exc:
                raise _Failure(str(exc)) from None
            except httpx.HTTPError as exc:
                raise _Failure(describe_network_error(exc, s, url)) from exc
            except OSError as exc:
                raise _Failure(describe_network_error(exc, s, url)) from exc

    async def _read(self, original: str, url: str, response: httpx.Response) -> FetchResult | str:
        s = self.settings
        status = response.status_code
        if status in REDIRECT_STATUSES:
            location = response.headers.get("location")
            if location:
                return urljoin(url, location.strip())
        result = FetchResult(
            url=original,
            final_url=url,
            status=status,
            content_type=response.headers.get("content-type"),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )
        if status == 304:
            result.not_modified = True
            return result
        if not 200 <= status < 300:
            reason = response.reason_phrase or ""
            result.error = f"HTTP {status} {reason}".rstrip()
            until = host_wait(status, response.headers.get("retry-after"), datetime.now(UTC), s)
            if until is not None:
                self.wait_for_host(host_key(url), until)
                result.retry_after = until
                result.error += f": {describe_wait(until)}"
            return result
        decoder = BoundedDecoder(response.headers.get("content-encoding"), s.max_bytes)
        declared = response.headers.get("content-length")
        try:
            if declared and declared.strip().isdigit() and int(declared) > s.max_bytes:
                raise TooLarge(declared)
            # Raw bytes, decoded here: httpx would decode a whole network read at once.
            chunks = [decoder.feed(chunk) async for chunk in response.aiter_raw()]
            chunks.append(decoder.finish())
        except TooLarge:
            result.error = _too_large(url, s.max_bytes, decoder.encodings)
            return result
        except DecodeError:
            raise _Failure("could not decode the response (bad compressed data)") from None
        result.content = b"".join(chunks)
        return result


def _too_large(url: str, cap: int, encodings: list[str]) -> str:
    """The user-facing message for a response stopped at the size cap."""
    decoded = f" once decoded ({', '.join(encodings)})" if encodings else ""
    return f"response from {url} larger than {cap} bytes{decoded}"


async def fetch_all(urls: Iterable[str], settings: FetchSettings, kind: str = "page") -> list[FetchResult]:
    """Fetch many URLs concurrently with one Fetcher; results in input order."""
    async with Fetcher(settings) as fetcher:
        return list(await asyncio.gather(*(fetcher.fetch(u, kind=kind) for u in urls)))


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_interruptible(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run``, with Ctrl-C raising ``KeyboardInterrupt`` where the loop stands.

    ``asyncio.run`` answers SIGINT by cancelling its main task, and a cancellation that
    some library absorbs lets the run finish as if nothing had happened (``newsdesk run``
    would then poll on). Here the run stops, and the caller reports what was kept."""
    previous = signal.getsignal(signal.SIGINT)
    main = threading.current_thread() is threading.main_thread()
    if not main or previous is not signal.default_int_handler:
        # Not ours to change: another thread, or SIGINT ignored (a background job) or handled.
        return asyncio.run(coroutine)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        return asyncio.run(coroutine)
    finally:
        signal.signal(signal.SIGINT, previous)


def fetch_many(urls: Iterable[str], settings: FetchSettings, kind: str = "page") -> list[FetchResult]:
    """Synchronous wrapper around :func:`fetch_all` (not for use inside a running event loop)."""
    return run_interruptible(fetch_all(list(urls), settings, kind))
