"""Words of a text as the dedupe stage compares them: lower-cased runs of word characters."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """The lower-cased words of ``text`` (punctuation, spacing and case do not matter)."""
    return _WORD.findall(text.lower())
