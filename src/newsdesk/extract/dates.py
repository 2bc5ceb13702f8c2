"""Parsing of publication dates found in pages (ISO 8601, RFC 2822, Java's and JavaScript's
``Date.toString``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

_COMPACT_TZ_RE = re.compile(r"([+-]\d{2})(\d{2})$")
_MIN_YEAR = 1900  # "0001-01-01T00:00:00" and kin are a CMS's empty value, not a date

# Zone abbreviations as pages print them, in hours from UTC. Where one abbreviation has several
# meanings the one news pages use most is kept (IST: India; CST: US Central, as in RFC 2822).
ZONE_OFFSETS: dict[str, float] = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 1, "BST": 1, "IST": 5.5,
    "CET": 1, "CEST": 2, "MEZ": 1, "MESZ": 2, "EET": 2, "EEST": 3, "MSK": 3, "TRT": 3,
    "EAT": 3, "WAT": 1, "CAT": 2, "SAST": 2, "GST": 4, "PKT": 5, "WIB": 7, "ICT": 7,
    "HKT": 8, "SGT": 8, "PHT": 8, "AWST": 8, "JST": 9, "KST": 9, "ACST": 9.5, "AEST": 10,
    "AEDT": 11, "NZST": 12, "NZDT": 13, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
    "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10,
    "AST": -4, "ADT": -3, "NST": -3.5, "NDT": -2.5, "ART": -3, "BRT": -3,
}  # fmt: skip
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Java's Date.toString: "Fri Apr 28 19:20:36 CEST 2023"
_JAVA_RE = re.compile(
    r"(?:[A-Za-z]{3},?\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s+([A-Za-z]{1,5})\s+(\d{4})"
)
# JavaScript's Date.toString: "Tue Nov 19 2019 03:05:46 GMT+0000 (Coordinated Universal Time)"
_JAVASCRIPT_RE = re.compile(
    r"(?:[A-Za-z]{3},?\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s+(?:GMT|UTC)([+-]\d{2}):?(\d{2})(?:\s+\(.*\))?"
)
# RFC 2822 and kin with an abbreviation the standard library does not know: "... 19:20:36 CEST"
_TRAILING_ZONE_RE = re.compile(r"^(.*\d{1,2}:\d{2}(?::\d{2})?)\s+\(?([A-Za-z]{2,5})\)?$")


def parse_datetime(value: str | None) -> datetime | None:
    """Parse a machine-readable date into a timezone-aware datetime, else None.

    Accepts ISO 8601 (``2025-12-04T09:00:00+03:00``, ``...Z``, ``+0300``, date only),
    RFC 2822 (``Thu, 04 Dec 2025 06:00:00 +0000``) and Java's ``Fri Apr 28 19:20:36 CEST 2023``,
    zone abbreviations included. A value without a timezone is taken as UTC.
    """
    parsed = parse_local_datetime(value)
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def parse_local_datetime(value: str | None) -> datetime | None:
    """Like ``parse_datetime`` but a value without a timezone stays naive (local time, zone unknown)."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    parsed = _parse_iso(text) or _parse_java(text) or _parse_javascript(text) or _parse_rfc2822(text)
    if parsed is None or parsed.year < _MIN_YEAR:
        return None
    return parsed


def has_time(value: str | None) -> bool:
    """True when a date string gives a time of day, not only the day."""
    return bool(value and re.search(r"\d{1,2}:\d{2}", value))


def with_offset_from(local: datetime, others: Iterable[datetime]) -> datetime:
    """Give a naive ``local`` the zone the page states elsewhere, else UTC.

    ``others`` are the page's other dates, in order of trust. One showing the same wall-clock
    time gives its offset; otherwise one that is the same instant when ``local`` is read as UTC
    confirms UTC; otherwise the first offset the page states is the page's zone.
    """
    if local.tzinfo is not None:
        return local
    aware = [other for other in others if other.tzinfo is not None]
    for other in aware:
        if other.replace(tzinfo=None) == local:
            return local.replace(tzinfo=other.tzinfo)
    as_utc = local.replace(tzinfo=UTC)
    if not aware or any(other == as_utc for other in aware):
        return as_utc
    return local.replace(tzinfo=aware[0].tzinfo)


def _zone(abbreviation: str) -> timezone | None:
    hours = ZONE_OFFSETS.get(abbreviation.upper())
    return None if hours is None else timezone(timedelta(hours=hours))


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


def _parse_java(text: str) -> datetime | None:
    match = _JAVA_RE.fullmatch(text)
    if not match or match.group(1).lower() not in _MONTHS:
        return None
    month, day, hour, minute, second, zone_name, year = match.groups()
    zone = _zone(zone_name)
    return None if zone is None else _named_month_datetime(year, month, day, hour, minute, second, zone)


def _named_month_datetime(
    year: str, month: str, day: str, hour: str, minute: str, second: str | None, zone: tzinfo
) -> datetime | None:
    """The date of matched fields with an English month name; ``None`` when it is no date."""
    try:
        return datetime(
            int(year), _MONTHS.index(month.lower()) + 1, int(day), int(hour), int(minute), int(second or 0),
            tzinfo=zone,
        )  # fmt: skip
    except ValueError:
        return None


def _parse_javascript(text: str) -> datetime | None:
    match = _JAVASCRIPT_RE.fullmatch(text)
    if not match or match.group(1).lower() not in _MONTHS:
        return None
    month, day, year, hour, minute, second, offset_hours, offset_minutes = match.groups()
    sign = -1 if offset_hours.startswith("-") else 1
    zone = timezone(sign * timedelta(hours=abs(int(offset_hours)), minutes=int(offset_minutes)))
    return _named_month_datetime(year, month, day, hour, minute, second, zone)


def _parse_rfc2822(text: str) -> datetime | None:
    zone = None
    match = _TRAILING_ZONE_RE.match(text)
    if match and _zone(match.group(2)) is not None:
        text, zone = match.group(1), _zone(match.group(2))
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.replace(tzinfo=zone) if zone is not None else parsed
