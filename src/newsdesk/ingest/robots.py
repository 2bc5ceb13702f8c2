"""robots.txt rules, fetched once per site and kept for the fetcher's lifetime."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from newsdesk.ingest.textutil import absolute_http_url
from newsdesk.models import FetchResult

MAX_ROBOTS_BYTES = 512 * 1024


def robots_url(url: str) -> str:
    """The robots.txt URL of the site serving ``url``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def parse_robots(text: str) -> RobotFileParser:
    """A RobotFileParser loaded from robots.txt text."""
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    return parser


class RobotsCache:
    """Per-site robots.txt rules.

    ``download`` fetches one URL (the fetcher's own fetch, without the
    robots check). A missing robots.txt, an HTTP error or a network failure
    all mean "everything allowed".
    """

    def __init__(self, user_agent: str, download: Callable[[str], Awaitable[FetchResult]]):
        self.user_agent = user_agent
        self._download = download
        self._rules: dict[str, RobotFileParser | None] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules(self, url: str) -> RobotFileParser | None:
        """The parsed rules for the site of ``url`` (None when it has none)."""
        key = robots_url(url)
        if key in self._rules:
            return self._rules[key]
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key not in self._rules:
                self._rules[key] = await self._load(key)
        return self._rules[key]

    async def _load(self, url: str) -> RobotFileParser | None:
        result = await self._download(url)
        if not result.ok or not result.content:
            return None
        text = result.content[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
        return parse_robots(text)

    async def allowed(self, url: str) -> bool:
        """Whether the robots.txt of the site lets this user agent fetch ``url``."""
        rules = await self.rules(url)
        return rules is None or rules.can_fetch(self.user_agent, url)

    async def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay the site asks of this user agent, if any."""
        rules = await self.rules(url)
        if rules is None:
            return None
        delay = rules.crawl_delay(self.user_agent)
        return float(delay) if delay is not None else None

    async def sitemaps(self, url: str) -> list[str]:
        """The sitemaps the robots.txt of the site of ``url`` names (``Sitemap:`` lines), in order."""
        rules = await self.rules(url)
        found: list[str] = []
        for line in (rules.site_maps() if rules else None) or []:
            sitemap = absolute_http_url(line, robots_url(url))
            if sitemap and sitemap not in found:
                found.append(sitemap)
        return found
