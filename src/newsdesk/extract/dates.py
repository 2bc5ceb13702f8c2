"""Parsing of publication dates found in pages (ISO 8601, RFC 2822)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_COMPACT_TZ_RE = re.compile(r"([+-]\d{2})(\d{2})$")


def parse_datetime(value: str | None) -> datetime | None:
    """Parse a machine-readable date into a timezone-aware datetime, else None.

    Accepts ISO 8601 (``2025-12-04T09:00:00+03:00``, ``...Z``, ``+0300``, date only)
    and RFC 2822 (``Thu, 04 Dec 2025 06:00:00 +0000``). A value without a timezone
    is taken as UTC.
    """
    if not value:
        return None
    text = value.strip()
    if not text:
        return None
    parsed = _parse_iso(text)
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _parse_iso(text: str) -> datetime | None:
    candidate = text.replace(" ", "T", 1) if re.match(r"\d{4}-\d{2}-\d{2} \d", text) else text
    candidate = _COMPACT_TZ_RE.sub(r"\1:\2", candidate) if "T" in candidate else candidate
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        pass
    match = re.match(r"(\d{4}-\d{2}-\d{2})", candidate)
    if match and len(candidate) > 10:
        # a time part Python cannot read (e.g. odd fractions): keep the day
        try:
            return datetime.fromisoformat(match.group(1))
        except ValueError:
            return None
    return None
