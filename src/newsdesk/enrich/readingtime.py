"""Word counts and reading time.

``ceil(words / 200)`` minutes over what the clipping gives to read: title,
lede, byline and body. Words are whitespace-separated tokens, as in the
reference clipping (whose 1,008 words also count its 4-word dateline: newsdesk
leaves the dateline out, as it depends on the language it is shown in). Scripts
written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Myanmar) count
characters at 500 per minute.
"""

from __future__ import annotations

import math
import re

from newsdesk.extract.text import NO_SPACE_SCRIPT as _NO_SPACE_SCRIPT
from newsdesk.extract.text import WORDS_PER_NO_SPACE_CHAR

WORDS_PER_MINUTE = 200
CHARS_PER_MINUTE = WORDS_PER_MINUTE / WORDS_PER_NO_SPACE_CHAR

_WORD = re.compile(r"\S+")


def count_words(text: str) -> int:
    """Whitespace-separated words."""
    return len(_WORD.findall(text))


def reading_time(parts: list[str | None]) -> tuple[int, int]:
    """Return ``(word_count, minutes)`` for the given texts (title, lede, byline, body)."""
    text = "\n".join(p for p in parts if p)
    if not text.strip():
        return 0, 0
    dense = len(_NO_SPACE_SCRIPT.findall(text))
    words = count_words(_NO_SPACE_SCRIPT.sub(" ", text))
    minutes = words / WORDS_PER_MINUTE + dense / CHARS_PER_MINUTE
    return words + dense, max(1, math.ceil(minutes))
