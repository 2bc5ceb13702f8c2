"""What articles and stories are compared by: embeddings, TF-IDF term vectors and their sums."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

DIMENSIONS = 512
# The cross-lingual vector (multilingual E5 of the headline and lead) that may follow the
# embedding in an article's vector: ``[embedding (512) | cross-lingual (384)]``.
CROSS_DIMENSIONS = 384


class TermSum:
    """A sum of unit term vectors, trimmed to its strongest terms."""

    __slots__ = ("weights", "norm2")

    def __init__(self, weights: dict[int, float] | None = None) -> None:
        self.weights: dict[int, float] = dict(weights or {})
        self.norm2 = math.fsum(w * w for w in self.weights.values())

    def copy(self) -> TermSum:
        """An independent copy."""
        return TermSum(self.weights)

    def add(self, vector: dict[int, float], limit: int) -> tuple[list[int], list[int]]:
        """Add a vector; return the keys that appeared and the keys trimmed away."""
        weights, added, dropped = self.weights, [], []
        for key, weight in vector.items():
            if key in weights:
                weights[key] += weight
            else:
                weights[key] = weight
                added.append(key)
        if len(weights) > limit:
            ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
            dropped = [key for key, _ in ranked[limit:]]
            self.weights = weights = dict(ranked[:limit])
        self.norm2 = math.fsum(w * w for w in weights.values())
        return added, dropped

    def cosine(self, vector: dict[int, float]) -> float:
        """Cosine with a unit vector."""
        if self.norm2 <= 0.0:
            return 0.0
        weights = self.weights
        dot = 0.0
        for key, weight in vector.items():
            value = weights.get(key)
            if value is not None:
                dot += weight * value
        return dot / math.sqrt(self.norm2)

    def to_json(self) -> list[list]:
        """Plain-data form: the keys, then their weights."""
        return [list(self.weights.keys()), list(self.weights.values())]

    @classmethod
    def from_json(cls, data: list[list]) -> TermSum:
        """Inverse of :meth:`to_json`."""
        keys, values = data
        return cls(dict(zip(keys, values, strict=True)))


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


@dataclass
class OutletPart:
    """The sums over one outlet's articles in one story."""

    embedding: np.ndarray | None
    terms: TermSum
    lede: TermSum
