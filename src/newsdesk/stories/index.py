"""An approximate nearest-neighbour index over story centroids, keyed by story id.

The clusterer asks it for the stories whose centroid is nearest an article's vector, then
scores those with the exact centroids of the story table: the index only chooses which
stories are looked at, never the value a decision is made on. It is a usearch HNSW graph
with 8-bit vectors (a quarter of the memory of float32; the exact cosines come from the
table), built and searched on one thread, so the same operations in the same order give
the same graph and the same answers.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

# Graph degree, and the breadth of the search when adding and when querying. Chosen with
# ``python -m benchmarks.clustering`` (docs/benchmarks.md, "Candidate stories at volume").
CONNECTIVITY = 16
EXPANSION_ADD = 40
EXPANSION_SEARCH = 48


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
    """Unit-normalised vectors by story id, searched by cosine."""

    def __init__(self, dimensions: int) -> None:
        Index = _index_class()
        self.dimensions = dimensions
        self._index = Index(
            ndim=dimensions,
            metric="cos",
            dtype="i8",
            connectivity=CONNECTIVITY,
            expansion_add=EXPANSION_ADD,
            expansion_search=EXPANSION_SEARCH,
        )

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, story_id: int) -> bool:
        return story_id in self._index

    def memory_bytes(self) -> int:
        """Memory the index holds."""
        return int(self._index.memory_usage)

    def ids(self) -> set[int]:
        """The story ids indexed."""
        return {int(key) for key in self._index.keys}

    def put(self, story_id: int, vector: np.ndarray) -> None:
        """Index ``vector`` (any length but zero) for the story, in place of its previous one."""
        if story_id in self._index:
            self._index.remove(story_id)
        self._index.add(story_id, np.asarray(vector, dtype=np.float32), threads=1)

    def put_many(self, story_ids: Sequence[int], vectors: np.ndarray) -> None:
        """Index several stories at once (none of them indexed yet), in the given order."""
        if len(story_ids):
            keys = np.asarray(story_ids, dtype=np.uint64)
            self._index.add(keys, np.asarray(vectors, dtype=np.float32), threads=1)

    def drop(self, story_id: int) -> None:
        """Forget the story (nothing happens when it is not indexed)."""
        if story_id in self._index:
            self._index.remove(story_id)

    def to_bytes(self) -> bytes:
        """The index as it is (graph and vectors), for :meth:`from_bytes`."""
        return bytes(self._index.save())

    @classmethod
    def from_bytes(cls, dimensions: int, data: bytes) -> CentroidIndex:
        """An index saved by :meth:`to_bytes`: the same graph, so the same answers."""
        index = cls(dimensions)
        index._index.load(data)
        if index._index.ndim != dimensions:
            raise ValueError(f"a saved index of {index._index.ndim} dimensions, not {dimensions}")
        return index

    def nearest(self, vector: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        """Ids of (about) the ``count`` stories nearest ``vector``, nearest first, and their
        approximate cosines."""
        count = min(count, len(self._index))
        if count <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        found = self._index.search(np.asarray(vector, dtype=np.float32), count, threads=1)
        return found.keys.astype(np.int64), 1.0 - found.distances
