"""What articles and stories are compared by: embeddings, TF-IDF term vectors and their sums."""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from newsdesk.stories.text import figure_features

DIMENSIONS = 512
# The cross-lingual vector (multilingual E5 of the headline and lead) that may follow the
# embedding in an article's vector: ``[embedding (512) | cross-lingual (384)]``.
CROSS_DIMENSIONS = 384


class TermSum:
    """A sum of unit term vectors, trimmed to its strongest terms.

    Held compactly, as the live stories hold hundreds of thousands of them: the keys ascending
    in an ``array('i')`` and their weights beside them, as float32, in an ``array('f')`` (8 bytes
    a term, against about 100 in a dict of Python numbers). Sums are added in float64."""

    __slots__ = ("keys", "values", "norm2")

    def __init__(self, weights: dict[int, float] | None = None) -> None:
        self.keys = array("i")
        self.values = array("f")
        self.norm2 = 0.0
        if weights:
            self._set(*arrays_of(weights))

    def __len__(self) -> int:
        return len(self.keys)

    def __contains__(self, key: int) -> bool:
        keys = self.keys
        at = bisect_left(keys, key)
        return at < len(keys) and keys[at] == key

    def get(self, key: int, default: float | None = None) -> float | None:
        """The weight of ``key`` (``default`` when the sum does not hold it)."""
        keys = self.keys
        at = bisect_left(keys, key)
        if at < len(keys) and keys[at] == key:
            return self.values[at]
        return default

    @property
    def weights(self) -> dict[int, float]:
        """The terms and their weights, strongest first (ties: the lower key)."""
        keys, values = self._arrays()
        order = np.lexsort((keys, -values))
        return dict(zip(keys[order].tolist(), values[order].tolist(), strict=True))

    def _arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Numpy views of the keys (int32, read-only) and the weights (float64)."""
        return (
            np.frombuffer(self.keys, dtype=np.int32) if self.keys else _NO_KEYS,
            np.frombuffer(self.values, dtype=np.float32).astype(np.float64) if self.values else _NO_VALUES,
        )

    def _set(self, keys: np.ndarray, values: np.ndarray) -> None:
        """Hold these terms (any order; keys distinct)."""
        order = np.argsort(keys, kind="stable")
        self.keys = array("i", keys[order].astype(np.int32).tobytes())
        kept = values[order].astype(np.float32)
        self.values = array("f", kept.tobytes())
        squares = kept.astype(np.float64)
        self.norm2 = math.fsum((squares * squares).tolist())

    def copy(self) -> TermSum:
        """An independent copy."""
        twin = TermSum()
        twin.keys, twin.values, twin.norm2 = array("i", self.keys), array("f", self.values), self.norm2
        return twin

    def add(self, vector: dict[int, float], limit: int) -> tuple[list[int], list[int]]:
        """Add a vector; return the keys that appeared and the keys trimmed away."""
        if not vector:
            return [], []
        keys, values = self._arrays()
        new_keys, new_values = arrays_of(vector)
        at, held = _found(keys, new_keys)
        values[at[held]] += new_values[held]
        fresh = ~held
        keys = np.concatenate((keys.astype(np.int64), new_keys[fresh]))
        values = np.concatenate((values, new_values[fresh]))
        dropped: list[int] = []
        if len(keys) > limit:
            ranked = np.lexsort((keys, -values))
            dropped = keys[ranked[limit:]].tolist()
            keys, values = keys[ranked[:limit]], values[ranked[:limit]]
        self._set(keys, values)
        return new_keys[fresh].tolist(), dropped

    def cosine(self, vector: dict[int, float]) -> float:
        """Cosine with a unit vector."""
        return self.cosine_of(arrays_of(vector))

    def cosine_of(self, vector: tuple[np.ndarray, np.ndarray]) -> float:
        """Cosine with a unit vector given as :func:`arrays_of` gives it."""
        wanted, weights = vector
        if self.norm2 <= 0.0 or not len(wanted):
            return 0.0
        keys, values = self._arrays()
        at, held = _found(keys, wanted)
        if not held.any():
            return 0.0
        return float(np.dot(weights[held], values[at[held]])) / math.sqrt(self.norm2)

    def to_json(self) -> list[list]:
        """Plain-data form: the keys, then their weights."""
        return [self.keys.tolist(), self.values.tolist()]

    @classmethod
    def from_json(cls, data: list[list]) -> TermSum:
        """Inverse of :meth:`to_json`."""
        keys, values = data
        terms = cls()
        if keys:
            terms._set(np.asarray(keys, dtype=np.int64), np.asarray(values, dtype=np.float64))
        return terms


_NO_KEYS = np.zeros(0, dtype=np.int32)
_NO_VALUES = np.zeros(0, dtype=np.float64)


def _found(keys: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``wanted`` sits in the ascending ``keys``, and whether it is there."""
    at = np.searchsorted(keys, wanted)
    held = at < len(keys)
    held[held] = keys[at[held]] == wanted[held]
    return at, held


def arrays_of(vector: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
    """A term vector's keys and weights as numpy arrays (in the vector's order)."""
    return (
        np.fromiter(vector.keys(), dtype=np.int64, count=len(vector)),
        np.fromiter(vector.values(), dtype=np.float64, count=len(vector)),
    )


def merged(sums: Iterable[TermSum], limit: int) -> TermSum:
    """One sum of several (the lede sums of a story's languages)."""
    total = TermSum()
    for item in sums:
        total.add(item.weights, limit)
    return total


def weighted(counts: dict[int, float], table: np.ndarray, seen: int, limit: int) -> dict[int, float]:
    """Unit TF-IDF vector of the strongest ``limit`` features, strongest first.

    ``table`` holds the document frequency of each feature among ``seen`` documents."""
    if not counts:
        return {}
    keys = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    df = np.maximum(table[keys], 1).astype(np.float64)
    tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
    weights = tf * (np.log((1.0 + seen) / (1.0 + df)) + 1.0)
    # Strongest terms first (the inverted-index probe reads the head).
    order = np.lexsort((keys, -weights))[:limit]
    keys, weights = keys[order], weights[order]
    norm = float(np.sqrt(np.dot(weights, weights)))
    if norm == 0.0:
        return {}
    weights = weights / norm
    return dict(zip(keys.tolist(), weights.tolist(), strict=True))


def split_embedding(vector: np.ndarray | None) -> tuple[np.ndarray | None, np.ndarray | None]:
    """An article's embedding and its cross-lingual vector (None where absent or not finite)."""
    if vector is None:
        return None, None
    vector = np.asarray(vector, dtype=np.float32).reshape(-1)
    parts = [vector[:DIMENSIONS], vector[DIMENSIONS:]] if vector.shape[0] > DIMENSIONS else [vector]
    embedding = parts[0] if parts[0].shape[0] == DIMENSIONS and np.all(np.isfinite(parts[0])) else None
    cross = parts[1] if len(parts) > 1 else None
    if cross is not None and (cross.shape[0] != CROSS_DIMENSIONS or not np.all(np.isfinite(cross))):
        cross = None
    return embedding, cross


def scale_of(vector: np.ndarray) -> np.float32:
    """One over the vector's length (0 for zeros): ``vector * scale_of(vector)`` is its unit vector."""
    norm = np.linalg.norm(vector)
    return np.float32(1.0 / norm) if norm > 0 else np.float32(0.0)


def unit(vector: np.ndarray) -> np.ndarray:
    """The vector scaled to length 1 (zeros stay zeros)."""
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else np.zeros_like(vector)


@dataclass
class Vectors:
    """What an article brings to a story."""

    embedding: np.ndarray | None
    terms: dict[int, float]
    lede: dict[int, float]
    quotes: frozenset[int] = frozenset()
    crosslingual: np.ndarray | None = None
    # The title and text ``terms`` were counted from (read again only for the figures).
    source: tuple[str | None, str | None] = (None, None)
    # The days of the year the headline and lead name (newsdesk.text.days).
    days: frozenset[int] = frozenset()

    @cached_property
    def term_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """``terms`` as :func:`arrays_of` gives it (made once, read by every candidate)."""
        return arrays_of(self.terms)

    @cached_property
    def word_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """``terms`` without the keys of the source's figures (days, years, counts), as
        :func:`arrays_of` gives it (worked out when first asked: only the lexical path asks)."""
        figures = figure_features(*self.source)
        return arrays_of({key: value for key, value in self.terms.items() if key not in figures})

    @cached_property
    def lede_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """``lede`` as :func:`arrays_of` gives it."""
        return arrays_of(self.lede)


@dataclass
class OutletPart:
    """The sums over one outlet's articles in one story."""

    embedding: np.ndarray | None
    terms: TermSum
    lede: TermSum
