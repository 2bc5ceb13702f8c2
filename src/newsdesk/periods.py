"""Periods such as ``--since 7d``: one syntax and one meaning for the command line, the web pages and
the API.

A period starts at a time and runs to now: ``24h``, ``7d``, ``2w`` (hours, days, weeks back from
now), an ISO date or date-time (``2025-12-01``, ``2025-12-01T08:00+01:00``; UTC when no offset is
given), or ``all`` (no start). What falls in it is decided by publication time: an article's
publication date, else when it was collected when the page gives none; a story's newest article.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

SINCE_SYNTAX = "24h, 7d, 2w, an ISO date such as 2025-12-01, or all"

_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str | None, now: datetime | None = None) -> datetime | None:
    """The start of a period (see the module's docstring); ``None`` for ``all`` or no text.

    Raises ``ValueError`` naming the accepted syntax when the text is none of them."""
    value = (text or "all").strip().lower()
    if value == "all":
        return None
    now = now or datetime.now(UTC)
    if match := _LENGTH.match(value):
        return now - timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})
    try:
        start = datetime.fromisoformat(value.upper())
    except ValueError:
        raise ValueError(f"{text!r} is not a period: use {SINCE_SYNTAX}") from None
    return start if start.tzinfo else start.replace(tzinfo=UTC)
