"""Rate limits: when a host that answered 429 or 503 may be asked again (``Retry-After``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from newsdesk.settings import FetchSettings

RATE_LIMIT_STATUSES = {429, 503}


def host_key(url: str) -> str:
    """The host a URL is fetched from (``name:port``, lower case): the unit of the fetcher's
    per-host limits and pacing, and of rate-limit waits."""
    return (urlsplit(url).netloc or "").lower()


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """The time a ``Retry-After`` header names: delay-seconds from ``now`` or an HTTP date
    (a date without a zone is read as UTC); None when absent or unreadable."""
    text = (value or "").strip()
    if not text:
        return None
    if text.isdigit():
        longest = 10 * 365 * 86400  # beyond any bound; a longer number is not even read
        seconds = min(int(text), longest) if len(text) <= 10 else longest
        return now + timedelta(seconds=seconds)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def host_wait(
    status: int | None, header: str | None, now: datetime, settings: FetchSettings
) -> datetime | None:
    """Until when a host that answered ``status`` is not asked again, or None when it set no wait.

    429 and 503 with a ``Retry-After`` wait for it; 429 without a readable one waits
    ``retry_after_minutes``; 503 without one is an ordinary failure. The wait is bounded by
    ``rate_limit_min_seconds`` and ``rate_limit_max_hours``."""
    if status not in RATE_LIMIT_STATUSES:
        return None
    until = parse_retry_after(header, now)
    if until is None:
        if status != 429:
            return None
        until = now + timedelta(minutes=settings.retry_after_minutes)
    low = now + timedelta(seconds=settings.rate_limit_min_seconds)
    high = now + timedelta(hours=settings.rate_limit_max_hours)
    return min(max(until, low), high)


def describe_wait(until: datetime) -> str:
    """``rate-limited by host until 2026-01-05 14:05 UTC``: the wait in a fetch error."""
    return f"rate-limited by host until {until.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"
