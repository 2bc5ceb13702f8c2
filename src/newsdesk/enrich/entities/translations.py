"""Translated names within a story: the same organisation, place or person named in two languages,
often with no spelling in common (Justice Department / Justizministerium, Competition Commission /
Commission de la concurrence, Erde / Terre), paired by their cross-lingual vectors.

Within one story and one type, for each pair of languages, the entities named in articles of one
language and in none of the other are compared with those named in the other and none of the
first: two are one when each is the other's most similar name and their vectors' cosine is at
least ``MIN_COSINE``. The vectors are those the clusterer uses for headlines (multilingual E5,
centred: unrelated short texts score about 0.2), made once per name and kept (``NameVectors``).

``MIN_COSINE`` was read off the gazetteer's own names, not off any evaluation set: over pairs of
forms of one known entity in two languages (the countries' names in seven languages, the alias
table) and pairs of forms of two known entities of one type, 0.6 keeps 59 % of the first and
0.23 % of the second (``newsdesk eval name-pairs``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping, Sequence

import numpy as np

MIN_COSINE = 0.6
# Names whose vectors are kept per process (384 floats each: 30 MB); the oldest half is dropped
# when it is full.
CACHE_SIZE = 20_000

Vectors = Callable[[Sequence[str]], np.ndarray]


def translated_pairs(
    named: Mapping[Hashable, Mapping[str, str]],
    vectors: Vectors,
    may_pair: Callable[[Hashable, Hashable], bool] | None = None,
    min_cosine: float = MIN_COSINE,
) -> list[tuple[Hashable, Hashable]]:
    """The pairs of entities of one story and one type that are one (see the module's
    docstring): ``named`` gives each entity's name in each language it is named in; two that
    ``may_pair`` rules out are never paired, nor taken as each other's best."""
    languages = sorted({language for names in named.values() for language in names})
    if len(languages) < 2:
        return []
    pairs = []
    for k, first in enumerate(languages):
        for second in languages[k + 1 :]:
            only_first = [e for e, names in named.items() if first in names and second not in names]
            only_second = [e for e, names in named.items() if second in names and first not in names]
            if not only_first or not only_second:
                continue
            left = vectors([named[e][first] for e in only_first])
            right = vectors([named[e][second] for e in only_second])
            scores = left @ right.T
            if may_pair is not None:
                for i, a in enumerate(only_first):
                    for j, b in enumerate(only_second):
                        if not may_pair(a, b):
                            scores[i, j] = -1.0
            for i, j in _mutual_best(scores, min_cosine):
                pairs.append((only_first[i], only_second[j]))
    return pairs


def _mutual_best(scores: np.ndarray, min_cosine: float) -> list[tuple[int, int]]:
    """The (row, column) pairs that are each other's best at ``min_cosine`` or more."""
    best_column = scores.argmax(axis=1)
    best_row = scores.argmax(axis=0)
    return [(i, int(j)) for i, j in enumerate(best_column) if best_row[j] == i and scores[i, j] >= min_cosine]


class NameVectors:
    """Cross-lingual vectors of names, each made once per process (thread-safe)."""

    def __init__(self, encode: Vectors | None = None, size: int = CACHE_SIZE) -> None:
        self._encode = encode
        self._size = size
        self._kept: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def __call__(self, names: Sequence[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(n for n in names if n not in self._kept))
            fresh = dict(zip(missing, self._encoder()(missing), strict=True)) if missing else {}
            out = np.stack([fresh[n] if n in fresh else self._kept[n] for n in names]) if names else None
            if len(self._kept) + len(fresh) > self._size:
                for name in list(self._kept)[: len(self._kept) // 2]:
                    del self._kept[name]
            self._kept.update(fresh)
            return out if out is not None else np.zeros((0, 0), np.float32)

    def _encoder(self) -> Vectors:
        if self._encode is None:
            from newsdesk.enrich.crosslingual import embed_crosslingual

            self._encode = embed_crosslingual
        return self._encode


_shared: NameVectors | None = None
_shared_lock = threading.Lock()


def name_vectors() -> NameVectors:
    """The process's name vectors (the cross-lingual encoder, loaded on first use)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = NameVectors()
        return _shared
