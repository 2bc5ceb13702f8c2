"""Dates in the reader's and the article's languages (Babel)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import (
    format_date,
    format_datetime,
    format_time,
    format_timedelta,
    get_date_format,
    get_datetime_format,
    get_time_format,
)


@lru_cache(maxsize=256)
def locale_for(language: str | None, fallback: str = "en") -> Locale:
    """A Babel locale for a language code (``fr``, ``en-US``, ``pt_BR``); unknown → fallback."""
    for candidate in (language, fallback, "en"):
        if not candidate:
            continue
        try:
            return Locale.parse(candidate.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def short_date(value: datetime, language: str | None, tz: tzinfo | None = None) -> str:
    """The locale's short date with a four-digit year: ``fr`` → 06/12/2025, ``en-US`` → 12/6/2025."""
    locale = locale_for(language)
    pattern = get_date_format("short", locale=locale).pattern
    pattern = re.sub(r"(?<!y)yy(?!y)", "y", pattern)
    return format_date(value.astimezone(tz) if tz or value.tzinfo else value, pattern, locale=locale)


def long_date(value: datetime, language: str | None) -> str:
    """The full date in a language: ``en`` → Thursday, December 4, 2025."""
    return format_date(value, "full", locale=locale_for(language))


def short_time(value: datetime, language: str | None, tz: tzinfo | None = None) -> str:
    return format_time(value.astimezone(tz) if tz else value, "short", locale=locale_for(language))


def medium_datetime(value: datetime, language: str | None, tz: tzinfo | None = None) -> str:
    """The locale's medium date with its short time, no seconds: ``fr`` → 4 déc. 2025, 09:00."""
    # Equal instants in other time zones are equal datetimes: the zone is part of the key.
    return _medium_datetime(value, value.tzinfo, language, tz)


# Pages show the same stories' times again and again (the front page two per story): remembered.
@lru_cache(maxsize=8192)
def _medium_datetime(value: datetime, zone: tzinfo | None, language: str | None, tz: tzinfo | None) -> str:
    return format_datetime(
        value.astimezone(tz) if tz else value, _medium_pattern(language), locale=locale_for(language)
    )


@lru_cache(maxsize=64)
def _medium_pattern(language: str | None) -> str:
    locale = locale_for(language)
    date = get_date_format("medium", locale=locale).pattern
    time = get_time_format("short", locale=locale).pattern
    return get_datetime_format("medium", locale=locale).replace("{1}", date).replace("{0}", time)


def relative_time(value: datetime, language: str | None, now: datetime | None = None) -> str:
    """How long ago (or from now), the locale's short units: ``fr`` → il y a 2 h, ``de`` → vor 2 Std."""
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return _relative_time(round((moment - (now or datetime.now(UTC))).total_seconds()), language)


# A list shows dozens of times per page; Babel takes some 20 µs for each: remembered by the second.
@lru_cache(maxsize=4096)
def _relative_time(seconds: int, language: str | None) -> str:
    return format_timedelta(
        timedelta(seconds=seconds), format="short", add_direction=True, locale=locale_for(language)
    )
