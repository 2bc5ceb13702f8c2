"""Inverted index of the story term sums: feature -> the stories holding it, with its weight.

A second index holds only the stories with no embedding yet: for an article with an
embedding the lexical path looks at those only (the others are found by their centroid),
so the probe reads short lists instead of every story's.

Each list is one ``array('q')``, ascending, of packed entries: the story id in the high 32
bits and the feature's weight in the story's term sum, as a float32, in the low 32 bits
(8 bytes an entry, against about 60 for a set of Python numbers; the weights let the probe
score a whole list with numpy). New stories get the highest ids, so a list mostly grows at
its end, and the oldest stories, dropped first, are at its start. Story ids must be under
2**31.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from struct import Struct

import numpy as np

from newsdesk.stories.vectors import TermSum

_LOW = 0xFFFFFFFF
_FLOAT, _BITS = Struct("<f"), Struct("<I")


class TermPostings:
    """Stories by feature, for every story (``every``) and for those without an embedding (``plain``)."""

    __slots__ = ("every", "plain")

    def __init__(self) -> None:
        self.every: dict[int, array] = {}
        self.plain: dict[int, array] = {}

    def hold(self, story_id: int, terms: TermSum, keys: Iterable[int], plain: bool) -> None:
        """The story holds these features of its term sum ``terms`` (new ones, or with new
        weights; those the sum no longer holds are passed over); ``plain``: it has no embedding."""
        for key in keys:
            weight = terms.get(key)
            if weight is None:
                continue
            entry = _packed(story_id, weight)
            _put(self.every, key, entry)
            if plain:
                _put(self.plain, key, entry)

    def build(self, story_ids: Sequence[int], sums: Sequence[TermSum], plain: Sequence[bool]) -> None:
        """Hold every feature of these stories' term sums (a state being loaded; the lists
        must be empty): the same lists as :meth:`hold` story by story, made in one sort."""
        counts = np.fromiter((len(terms) for terms in sums), dtype=np.int64, count=len(sums))
        if not counts.sum():
            return
        keys = np.concatenate([np.frombuffer(terms.keys, dtype=np.int32) for terms in sums if len(terms)])
        weights = np.concatenate(
            [np.frombuffer(terms.values, dtype=np.float32) for terms in sums if len(terms)]
        )
        ids = np.repeat(np.asarray(story_ids, dtype=np.int64), counts)
        packed = (ids << 32) | weights.view(np.uint32).astype(np.int64)
        bare = np.repeat(np.asarray(plain, dtype=bool), counts)
        for postings, chosen in ((self.every, None), (self.plain, bare)):
            these_keys = keys if chosen is None else keys[chosen]
            these = packed if chosen is None else packed[chosen]
            if not len(these):
                continue
            order = np.lexsort((these, these_keys))
            these_keys, these = these_keys[order], these[order]
            starts = np.flatnonzero(np.r_[True, these_keys[1:] != these_keys[:-1]])
            for key, piece in zip(these_keys[starts].tolist(), np.split(these, starts[1:]), strict=True):
                postings[key] = array("q", piece.tobytes())

    def remove(self, story_id: int, keys: Iterable[int]) -> None:
        """The story no longer holds these features."""
        for key in keys:
            _discard(self.every, key, story_id)
            _discard(self.plain, key, story_id)

    def embedded(self, story_id: int, keys: Iterable[int]) -> None:
        """The story, holding these features, took its first embedding."""
        for key in keys:
            _discard(self.plain, key, story_id)


def entries(lists: Sequence[array]) -> tuple[np.ndarray, np.ndarray]:
    """The story ids and weights of these lists, one after the other."""
    values = np.frombuffer(b"".join(lists), dtype=np.int64)
    weights = (values & _LOW).astype(np.uint32).view(np.float32)
    return values >> 32, weights


def _packed(story_id: int, weight: float) -> int:
    return (story_id << 32) | _BITS.unpack(_FLOAT.pack(weight))[0]


def _put(postings: dict[int, array], key: int, entry: int) -> None:
    ids = postings.get(key)
    if ids is None:
        postings[key] = array("q", (entry,))
        return
    story_bits = entry & ~_LOW
    if ids[-1] < story_bits:
        ids.append(entry)
        return
    at = bisect_left(ids, story_bits)
    if at < len(ids) and ids[at] & ~_LOW == story_bits:
        ids[at] = entry
    else:
        ids.insert(at, entry)


def _discard(postings: dict[int, array], key: int, story_id: int) -> None:
    ids = postings.get(key)
    if ids is None:
        return
    story_bits = story_id << 32
    at = bisect_left(ids, story_bits)
    if at < len(ids) and ids[at] & ~_LOW == story_bits:
        if len(ids) == 1:
            del postings[key]
        else:
            del ids[at]
