"""An approximate nearest-neighbour index over story centroids, keyed by story id.

The clusterer asks it for the stories whose centroid is nearest an article's vector, then
scores those with the exact centroids of the story table: the index only chooses which
stories are looked at, never the value a decision is made on. It is a usearch HNSW graph
built and searched on one thread, so the same operations in the same order give the same
graph and the same answers.

**Bits, not numbers.** A centroid goes into the graph as :data:`CODE_BITS` sign bits: on
which side of each of that many fixed random hyperplanes (orthogonal in blocks) it lies. Two
vectors at angle ``a`` differ in a share ``a / pi`` of such bits, so the Hamming distance
estimates the angle, hence the cosine (:func:`estimated_cosine`), within :data:`SLACK`. A
code is 128 bytes where 8-bit numbers took 512 (the semantic vectors) or 384: at 100,000 live
stories a search or an insertion is memory-bound, and the graph walks about a quarter of the
bytes, so for the same cost it searches wider (docs/benchmarks.md, "Centroid codes").

**Removals wait.** In usearch, the first insertion after a removal costs a few milliseconds
in a graph of 100,000 vectors (it takes up the removed slots), against a fraction of one for
one after other insertions; a story that takes an article would pay it every time. So a
story's new centroid goes in under a new key (the story id with a version number in the high
bits) and its old entry stays, unseen, until :data:`STALE_MOST` such entries are removed
together. Searches skip the stale entries.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from typing import Any, NamedTuple

import numpy as np

# Sign bits a centroid is indexed by, and the seed of the hyperplanes (fixed: a saved index
# holds codes made with them).
CODE_BITS = 1024
PLANES_SEED = 20261205
CODE_BLOCK = 4096  # rows projected together when many are indexed at once
# How far an estimated cosine may be from the exact one: three standard deviations of the
# estimate at its widest (a right angle: pi * sqrt(0.25 / CODE_BITS), 0.049).
SLACK = 0.15
# Graph degree, and the breadth of the search when adding and when querying. Chosen with
# ``python -m benchmarks.clustering`` (docs/benchmarks.md, "Centroid codes").
CONNECTIVITY = 16
EXPANSION_ADD = 40
EXPANSION_SEARCH = 64
# The cross-lingual path takes the nearest story and needs the two best cosines (the rival):
# its index is searched half as wide.
CROSS_EXPANSION_SEARCH = 32
# Stale entries (a story's older centroids, stories dropped) kept before they are removed
# together: at most this many, and at most one for this many live entries (a graph of 1,000
# stories removes every 10th: the first insertion after a removal costs little there, and
# removed slots taken up by other stories cost the graph's links more in a small graph).
STALE_MOST = 512
STALE_SHARE = 100
# A key is the story id (below 2**32) with the entry's version (below 2**31) above it.
_ID_BITS = 32
_ID_MASK = (1 << _ID_BITS) - 1
_VERSION_MASK = (1 << 31) - 1


class Found(NamedTuple):
    """A search's answer: the live stories' ids and approximate cosines, nearest first; how
    many entries the graph gave (stale ones included) and the approximate cosine of the last."""

    ids: np.ndarray
    cosines: np.ndarray
    fetched: int
    last: float


@cache
def planes(dimensions: int) -> np.ndarray:
    """The :data:`CODE_BITS` hyperplanes (their normals, ``dimensions`` x ``CODE_BITS``) codes are
    made with: random rotations of the axes, side by side, from a fixed seed."""
    rng = np.random.default_rng(PLANES_SEED + dimensions)
    blocks, columns = [], 0
    while columns < CODE_BITS:
        rotation, _ = np.linalg.qr(rng.standard_normal((dimensions, dimensions)))
        blocks.append(rotation)
        columns += dimensions
    normals = np.hstack(blocks)[:, :CODE_BITS].astype(np.float32)
    normals.setflags(write=False)
    return normals


def code(vectors: np.ndarray) -> np.ndarray:
    """The sign bits of one vector or of a matrix's rows, packed (``CODE_BITS / 8`` bytes each)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    return np.packbits(vectors @ planes(vectors.shape[-1]) > 0, axis=-1)


def estimated_cosine(distances: np.ndarray) -> np.ndarray:
    """The cosines that Hamming distances between codes stand for."""
    return np.cos(np.pi * np.asarray(distances, dtype=np.float64) / CODE_BITS).astype(np.float32)


@cache
def _index_class() -> Any:
    """usearch's index class, loaded on first use (a process that never needs an index, with
    fewer live stories than ``retrieval.INDEX_FROM``, does not load it).

    usearch's OpenMP runtime starts a pool of threads when it is loaded, unless told one
    thread is enough; a worker process forked after that (the pipeline forks its workers
    after loading the clustering state) deadlocks in its own OpenMP calls. The index is only
    used on one thread, so it is loaded with ``OMP_NUM_THREADS=1``, and the variable restored."""
    previous = os.environ.get("OMP_NUM_THREADS")
    os.environ["OMP_NUM_THREADS"] = "1"
    try:
        from usearch.index import Index
    finally:
        if previous is None:
            del os.environ["OMP_NUM_THREADS"]
        else:
            os.environ["OMP_NUM_THREADS"] = previous
    return Index


class CentroidIndex:
    """Vectors by story id, held as their codes and searched by estimated cosine."""

    def __init__(
        self, dimensions: int, stale_most: int | None = None, breadth: int = EXPANSION_SEARCH
    ) -> None:
        Index = _index_class()
        self.dimensions = dimensions
        # At most this many stale entries wait (1: each is removed at once).
        self.stale_most = STALE_MOST if stale_most is None else stale_most
        self._index = Index(
            ndim=CODE_BITS,
            metric="hamming",
            dtype="b1",
            connectivity=CONNECTIVITY,
            expansion_add=EXPANSION_ADD,
            expansion_search=breadth,
        )
        # Each indexed story's key in the graph, and the keys of stale entries not removed yet
        # (in the order they went stale).
        self._keys: dict[int, int] = {}
        self._stale: dict[int, None] = {}
        # The vector last searched for (its bytes) and its code.
        self._asked: tuple[bytes, np.ndarray] = (b"", np.zeros(0, dtype=np.uint8))

    def __len__(self) -> int:
        """Entries in the graph, stale ones included (what a search may go through)."""
        return len(self._index)

    def __contains__(self, story_id: int) -> bool:
        return story_id in self._keys

    def memory_bytes(self) -> int:
        """Memory the index holds."""
        return int(self._index.memory_usage)

    def ids(self) -> set[int]:
        """The story ids indexed."""
        return set(self._keys)

    def put(self, story_id: int, vector: np.ndarray) -> None:
        """Index ``vector`` (any length but zero) for the story, in place of its previous one."""
        old = self._keys.get(story_id)
        key = story_id if old is None else old
        if old is not None:
            self._retire(old)
        while key in self._index:  # a stale entry of the story holds the key: the next version
            key = ((((key >> _ID_BITS) + 1) & _VERSION_MASK) << _ID_BITS) | story_id
        self._index.add(key, self._code_of(vector), threads=1)
        self._keys[story_id] = key

    def _code_of(self, vector: np.ndarray) -> np.ndarray:
        """The code of ``vector``: the last one searched for, when it is the same (a new story's
        sum is its article's vector, searched for just before), else made afresh."""
        data = np.asarray(vector, dtype=np.float32).tobytes()
        if data == self._asked[0]:
            return self._asked[1]
        return code(vector)

    def put_many(self, story_ids: Sequence[int], vectors: np.ndarray) -> None:
        """Index several stories at once (none of them indexed yet), in the given order."""
        if len(story_ids):
            keys = np.asarray(story_ids, dtype=np.uint64)
            # Coded a block at a time: the projections of 100,000 rows at once would take 400 MB.
            codes = [code(vectors[at : at + CODE_BLOCK]) for at in range(0, len(keys), CODE_BLOCK)]
            self._index.add(keys, np.concatenate(codes), threads=1)
            self._keys.update((int(story_id), int(story_id)) for story_id in story_ids)

    def drop(self, story_id: int) -> None:
        """Forget the story (nothing happens when it is not indexed)."""
        old = self._keys.pop(story_id, None)
        if old is not None:
            self._retire(old)

    def _retire(self, key: int) -> None:
        """The entry under ``key`` is stale: removed with the others once there are enough."""
        self._stale[key] = None
        if len(self._stale) >= min(self.stale_most, max(1, len(self._keys) // STALE_SHARE)):
            self.flush()

    def flush(self) -> None:
        """Remove the stale entries from the graph now."""
        if self._stale:
            self._index.remove(np.fromiter(self._stale, dtype=np.uint64, count=len(self._stale)))
            self._stale.clear()

    def to_bytes(self) -> bytes:
        """The index as it is (graph and vectors; stale entries removed first), for
        :meth:`from_bytes`."""
        self.flush()
        return bytes(self._index.save())

    @classmethod
    def from_bytes(cls, dimensions: int, data: bytes, breadth: int = EXPANSION_SEARCH) -> CentroidIndex:
        """An index saved by :meth:`to_bytes`: the same graph, so the same answers (searched
        ``breadth`` wide, whatever it was saved with)."""
        index = cls(dimensions, breadth=breadth)
        index._index.load(data)
        index._index.expansion_search = breadth
        form = f"{index._index.ndim} x {str(index._index.dtype).rsplit('.', 1)[-1].lower()}"
        if form != f"{CODE_BITS} x b1":
            raise ValueError(f"a saved index of {form}, not of codes of {CODE_BITS} bits")
        index._keys = {int(key) & _ID_MASK: int(key) for key in index._index.keys}
        return index

    def nearest(self, vector: np.ndarray, count: int) -> Found:
        """The live stories among the (about) ``count`` entries nearest ``vector``."""
        count = min(count, len(self._index))
        if count <= 0:
            return Found(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), 0, 1.0)
        vector = np.asarray(vector, dtype=np.float32)
        asked = code(vector)
        self._asked = (vector.tobytes(), asked)
        found = self._index.search(asked, count, threads=1)
        keys = found.keys.astype(np.int64)
        cosines = estimated_cosine(found.distances)
        fetched = len(keys)
        last = float(cosines[-1]) if fetched else 1.0
        ids = keys & _ID_MASK
        if self._stale:
            stale = self._stale
            live = np.fromiter((key not in stale for key in keys.tolist()), dtype=bool, count=fetched)
            ids, cosines = ids[live], cosines[live]
        return Found(ids, cosines, fetched, last)
