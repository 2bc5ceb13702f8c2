"""Small text helpers shared by metadata and body extraction."""

from __future__ import annotations

import html
import re

_SPACE_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"\w+")
_TAG_RE = re.compile(r"<[^>]+>")


def clean_text(value: str | None) -> str | None:
    """Collapse whitespace (including no-break spaces) and strip; empty → None."""
    if value is None:
        return None
    text = _SPACE_RE.sub(" ", value).strip()
    return text or None


def strip_markup(value: str | None) -> str | None:
    """Text of a small HTML fragment (a feed summary): tags dropped, entities decoded."""
    if not value:
        return None
    return clean_text(html.unescape(_TAG_RE.sub(" ", value)))


def words(value: str | None) -> list[str]:
    """Lower-cased ``\\w+`` tokens, for comparing texts regardless of punctuation."""
    return _WORD_RE.findall((value or "").casefold())


def same_words(a: str | None, b: str | None) -> bool:
    """True when both texts have the same non-empty word sequence."""
    wa = words(a)
    return bool(wa) and wa == words(b)


def starts_with_words(text: str | None, prefix: str | None) -> bool:
    """True when ``text``'s word sequence begins with all of ``prefix``'s words."""
    wp = words(prefix)
    return bool(wp) and words(text)[: len(wp)] == wp
