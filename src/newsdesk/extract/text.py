"""Small text helpers shared by metadata and body extraction."""

from __future__ import annotations

import html
import re

_SPACE_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"\w+")
_TAG_RE = re.compile(r"<[^>]+>")
# Scripts written without spaces between words: Chinese, Japanese, Thai, Lao, Khmer, Myanmar.
NO_SPACE_SCRIPT = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\u0e80-\u0eff\u1780-\u17ff\u1000-\u109f]"
)
# Reading speed: 200 words or 500 characters of those scripts a minute, so a character is 0.4 word.
WORDS_PER_NO_SPACE_CHAR = 200 / 500


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


def word_equivalent(value: str) -> float:
    """How many words ``value`` amounts to: its words, a character of a script written without
    spaces counting as 0.4 word (what it takes to read)."""
    dense = len(NO_SPACE_SCRIPT.findall(value))
    return len(_WORD_RE.findall(NO_SPACE_SCRIPT.sub(" ", value))) + dense * WORDS_PER_NO_SPACE_CHAR


def same_words(a: str | None, b: str | None) -> bool:
    """True when both texts have the same non-empty word sequence."""
    wa = words(a)
    return bool(wa) and wa == words(b)


def starts_with_words(text: str | None, prefix: str | None) -> bool:
    """True when ``text``'s word sequence begins with all of ``prefix``'s words."""
    wp = words(prefix)
    return bool(wp) and words(text)[: len(wp)] == wp
