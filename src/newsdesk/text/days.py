"""Days of the year a text names: "4 octobre", "October 4", "4 أكتوبر", "10월 4일", "10月4日".

A news lead often says on which day its event happened. Two reports naming days far apart are
most likely about two events of the same kind (the Nobel prize in physics on 4 October, in
chemistry on 5 October); the story clusterer reads these days
(:mod:`newsdesk.stories.scoring`). Month names come from the Unicode CLDR through Babel, in
the text's own language (every form it lists: wide and abbreviated, in a date and standing
alone, so Russian "октября" and "октябрь" both count); a month name counts only next to a day
number (1–31), in any digits. Chinese, Japanese and Korean dates are read by their month and
day signs. No year is read: the day of the year is enough to tell two events apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import get_month_names

from newsdesk.text.languages import base_language

# Days are numbered through a leap year (1 January = 1, 31 December = 366), so that the
# day before 1 November is 31 October.
_YEAR_DAYS = 366
_FIRST_OF_MONTH = (0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335)
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_WORD = re.compile(r"\w+")
_LEADING_DAY = re.compile(r"(\d{1,2})(?!\d)")
# 10月4日 (Chinese, Japanese; 号 and 號 in speech and in Cantonese), 10월 4일 (Korean).
_SIGNED = re.compile(r"(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日号號일]")
_SHORTEST_NAME = 3


@lru_cache(maxsize=128)
def month_names(language: str) -> dict[str, tuple[int, bool]]:
    """Every lower-cased month name CLDR gives for ``language`` (at least three letters), with its
    month number and whether the language writes it with a capital (English "May", not the verb
    "may"); empty for a language CLDR does not know."""
    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return {}
    names: dict[str, tuple[int, bool]] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for month, name in get_month_names(width, context=context, locale=language).items():
                key = name.lower().rstrip(".")
                if len(key) >= _SHORTEST_NAME and key.isalpha():
                    names.setdefault(key, (month, name[0].isupper()))
    return names


def _ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of any script written 0–9."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def day_key(month: int, day: int) -> int:
    """The day of the (leap) year of a month (1–12) and a day of it."""
    return _FIRST_OF_MONTH[month - 1] + day


def named_days(text: str | None, language: str | None) -> frozenset[int]:
    """Keys (:func:`day_key`) of the days of the year ``text`` names: a month name of
    ``language`` with a day number just before or after it, or a CJK month-and-day date."""
    if not text:
        return frozenset()
    plain = _ascii_digits(text)
    found: set[int] = set()
    for match in _SIGNED.finditer(plain):
        _add(found, int(match[1]), int(match[2]))
    names = month_names(base_language(language)) if language else {}
    if names:
        written = _WORD.findall(plain)
        words = [word.lower() for word in written]
        for position, word in enumerate(words):
            month, capital = names.get(word, (0, False))
            if not month or (capital and not written[position][0].isupper()):
                continue
            for near in (position - 1, position + 1):
                day = _LEADING_DAY.match(words[near]) if 0 <= near < len(words) else None
                if day is not None and _add(found, month, int(day[1])):
                    break
    return frozenset(found)


def _add(found: set[int], month: int, day: int) -> bool:
    """Add the day if it can be one; whether it was."""
    if 1 <= month <= 12 and 1 <= day <= _MONTH_DAYS[month - 1]:
        found.add(day_key(month, day))
        return True
    return False


def days_apart(ours: frozenset[int], theirs: Iterable[int], within: int) -> bool:
    """Whether both sides name days and none of ``ours`` is within ``within`` days of one of
    ``theirs`` (a report written the next day, or across a time zone, gives the day after; a
    developing story names the days of its developments)."""
    if not ours:
        return False
    held = set(theirs)
    if not held:
        return False
    return all(
        (key - 1 - step) % _YEAR_DAYS + 1 not in held for key in ours for step in range(-within, within + 1)
    )
