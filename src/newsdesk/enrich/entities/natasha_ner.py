"""Russian NER with natasha (slovnet's news model), loaded once per process on first use.

Each mention carries its lemma (``Кремле`` → ``Кремль``, ``Стива Уиткоффа`` → ``Стив Уиткофф``)
from natasha's pymorphy2 vocabulary, so that case endings do not split an entity.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from newsdesk.enrich.entities.labels import normalise_label
from newsdesk.enrich.entities.model import SOURCE_NATASHA, Mention

log = logging.getLogger(__name__)

NATASHA_CONFIDENCE = 0.8
NATASHA = "natasha"

_lock = threading.Lock()
_state: dict[str, Any] = {}


def load_natasha() -> tuple[Any, Any] | None:
    """natasha's NER tagger and morphology vocabulary, or ``None`` when natasha is unusable."""
    with _lock:
        if "tagger" not in _state:
            try:
                from natasha import MorphVocab, NewsEmbedding, NewsNERTagger

                _state["tagger"] = (NewsNERTagger(NewsEmbedding()), MorphVocab())
            except Exception as exc:  # noqa: BLE001 - a broken install falls back, never stops a run
                log.warning("natasha is unusable (%s); using the fallback recogniser for Russian", exc)
                _state["tagger"] = None
        return _state["tagger"]


def natasha_mentions(loaded: tuple[Any, Any], texts: Sequence[str]) -> Iterator[list[Mention]]:
    """The entities natasha finds in each text (PER, LOC, ORG → PERSON, PLACE, ORG)."""
    tagger, vocab = loaded
    for text in texts:
        found = []
        if text.strip():
            for span in tagger(text).spans:
                type_ = normalise_label(span.type) or "OTHER"
                surface = text[span.start : span.stop]
                found.append(
                    Mention(
                        surface,
                        span.start,
                        span.stop,
                        type_,
                        SOURCE_NATASHA,
                        NATASHA_CONFIDENCE,
                        span.type,
                        _lemma(vocab, surface),
                    )
                )
        yield found


def _lemma(vocab: Any, surface: str) -> str:
    """Each word in its dictionary form, capitalised as written."""
    words = []
    for word in surface.split():
        parses = vocab.parse(word)
        lemma = parses[0].normal_form if parses else word
        words.append(lemma.capitalize() if word[:1].isupper() else lemma)
    return " ".join(words)
