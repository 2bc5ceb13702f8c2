"""Small text helpers shared by the recognisers and the linker."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from newsdesk.text.languages import base_language

__all__ = ["base_language", "fold", "is_caseless", "is_cyrillic", "is_latin", "lead_cut", "script_of"]

_WORDS = re.compile(r"\w+")
# A word of a name, with its inner hyphens and apostrophes ("Saint-Loup", "O'Neill").
NAME_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case- and accent-insensitive form, punctuation runs as single spaces (kept for the words
    that come again and again: names, function words)."""
    if text.isascii() and text.isalnum():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_WORDS.findall(text))


def lead_cut(text: str, max_chars: int | None) -> int:
    """Where to cut ``text`` so that at most ``max_chars`` are read, at a word boundary."""
    if not max_chars or len(text) <= max_chars:
        return len(text)
    space = text.rfind(" ", max_chars // 2, max_chars)
    return space if space > 0 else max_chars


def script_of(char: str) -> str:
    """The first word of the character's Unicode name: LATIN, CYRILLIC, CJK…"""
    try:
        return unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return ""


def is_latin(text: str) -> bool:
    """True when every letter of ``text`` is Latin."""
    return all(script_of(ch) == "LATIN" for ch in text if ch.isalpha())


def is_cyrillic(text: str) -> bool:
    """True when ``text`` has letters and every one is Cyrillic."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(script_of(ch) == "CYRILLIC" for ch in letters)


def is_caseless(char: str) -> bool:
    """True for letters of scripts without capitals (Chinese, Japanese, Arabic…)."""
    return char.isalpha() and not char.isupper() and not char.islower()
