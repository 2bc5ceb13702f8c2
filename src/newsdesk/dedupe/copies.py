"""Wire copies: an article that reprints another's text (an agency story with another intro, a cut
ending, other boilerplate, another headline) is marked a copy of the earliest article of its group.

An article's body (standfirst and text, never the headline) is cut into shingles of
``shingle_words`` words; a MinHash of them (``permutations`` values) is its signature. An LSH index
over the signatures of recent articles finds the candidates whose estimated Jaccard may reach
``candidate_jaccard``; a candidate is a copy when the share of the shorter text's shingles found in
the other (the containment, estimated from the Jaccard and both shingle counts) reaches
``containment``: a reprint with a new intro or a cut ending keeps most of the shorter text, while
two independent reports of one event share a quotation or two at most.

The copy points to the group's original: the earliest by publication time (collection time when
none), then collection time, then id. An article that turns out earlier than its group's original
(published before it, collected after) becomes the original of the whole group.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from datasketch import MinHash, MinHashLSH

from newsdesk.settings import CopySettings
from newsdesk.text.words import words

__all__ = ["CopyIndex", "CopyMatch", "Signature", "order_key", "signature"]

# Words of an article read at most: bounds the cost of a very long text (a copy shares its start).
MAX_WORDS = 3000
_HEADER = np.dtype("<u4")
# The MinHash scheme of datasketch 2 (stored signatures must all come from the same one).
SCHEME = "affine32"


@dataclass(frozen=True)
class Signature:
    """An article's MinHash values and how many distinct shingles they summarise."""

    hashes: np.ndarray
    shingles: int

    def to_bytes(self) -> bytes:
        """Stored form: the shingle count, then the values (little-endian 32-bit)."""
        return np.asarray([self.shingles], dtype=_HEADER).tobytes() + self.hashes.astype(_HEADER).tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        """Inverse of :meth:`to_bytes`."""
        values = np.frombuffer(data, dtype=_HEADER)
        return cls(values[1:].astype(np.uint64), int(values[0]))


@functools.lru_cache(maxsize=4)
def _permutations(count: int) -> tuple[np.ndarray, np.ndarray]:
    return MinHash(num_perm=count, seed=1, scheme=SCHEME).permutations


def _minhash(signature: Signature) -> MinHash:
    return MinHash(
        num_perm=len(signature.hashes),
        hashvalues=signature.hashes,
        permutations=_permutations(len(signature.hashes)),
        scheme=SCHEME,
    )


def signature(text: str, settings: CopySettings) -> Signature | None:
    """The signature of a body text; None when it has fewer than ``min_shingles`` shingles."""
    tokens = words(text)[:MAX_WORDS]
    size = settings.shingle_words
    shingles = {" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}
    if len(shingles) < max(1, settings.min_shingles):
        return None
    minhash = MinHash(
        num_perm=settings.permutations, permutations=_permutations(settings.permutations), scheme=SCHEME
    )
    minhash.update_batch(list(shingles))
    return Signature(minhash.hashvalues.copy(), len(shingles))


def resemblance(a: Signature, b: Signature) -> tuple[float, float]:
    """Estimated Jaccard of two signatures' shingle sets and the containment of the smaller in the
    larger (shared shingles over the smaller set's)."""
    jaccard = float(np.mean(a.hashes == b.hashes))
    shared = jaccard * (a.shingles + b.shingles) / (1.0 + jaccard)
    return jaccard, min(1.0, shared / max(1, min(a.shingles, b.shingles)))


def _timestamp(when: datetime | None) -> float:
    if when is None:
        return math.inf
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def order_key(published: datetime | None, collected: datetime | None, key: int) -> tuple[float, float, int]:
    """Which article of a group came first: published (else collected), then collected, then id."""
    return (_timestamp(published or collected), _timestamp(collected), key)


@dataclass(frozen=True)
class CopyMatch:
    """Where a new article stands among the copies: the original it copies (None when it is an
    original), the article whose text matched best and how well, and the group's former original
    when the new article turned out earlier and took its place."""

    copy_of: int | None
    matched: int
    jaccard: float
    containment: float
    replaced: int | None = None

    def to_dict(self) -> dict:
        """What a membership's evidence keeps of it."""
        return {
            "copy_of": self.copy_of,
            "matched": self.matched,
            "jaccard": round(self.jaccard, 4),
            "containment": round(self.containment, 4),
        }


@dataclass
class _Entry:
    signature: Signature
    collected: float
    root: int


@dataclass
class CopyIndex:
    """The signatures of recent articles with their groups, in an LSH index (in memory; the pipeline
    fills it from the stored signatures when a run starts, ``load_copy_index``)."""

    settings: CopySettings
    _entries: dict[int, _Entry] = field(default_factory=dict)
    _groups: dict[int, set[int]] = field(default_factory=dict)  # original: its members in the index
    _orders: dict[int, tuple[float, float, int]] = field(default_factory=dict)  # originals' order keys
    _lsh: MinHashLSH | None = None

    def __post_init__(self) -> None:
        self._lsh = MinHashLSH(threshold=self.settings.candidate_jaccard, num_perm=self.settings.permutations)

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, key: int, sig: Signature, collected: datetime | None, original: int | None = None) -> None:
        """Index a stored article; ``original``: the original its group points to (None: itself)."""
        root = key if original is None else original
        self._entries[key] = _Entry(sig, _timestamp(collected), root)
        self._groups.setdefault(root, set()).add(key)
        self._lsh.insert(key, _minhash(sig), check_duplication=False)  # type: ignore[union-attr]

    def know_original(self, key: int, order: tuple[float, float, int]) -> None:
        """Record an original's order key (needed to tell whether a new article is earlier)."""
        self._orders[key] = order

    def candidates(self, sig: Signature) -> dict[int, tuple[float, float]]:
        """The indexed articles the LSH index returns for a signature, with the estimated Jaccard
        and containment of each."""
        found = self._lsh.query(_minhash(sig))  # type: ignore[union-attr]
        return {key: resemblance(sig, self._entries[key].signature) for key in found}

    def best_match(self, sig: Signature) -> tuple[int, float, float] | None:
        """The indexed article whose text the signature's contains or is contained in the most, with
        the Jaccard and containment, when the containment reaches the bar; ties go to the lowest id."""
        found: tuple[int, float, float] | None = None
        for key, (jaccard, contained) in sorted(self.candidates(sig).items()):
            if contained >= self.settings.containment and (found is None or contained > found[2]):
                found = (key, jaccard, contained)
        return found

    def place(
        self,
        key: int,
        sig: Signature,
        published: datetime | None,
        collected: datetime | None,
    ) -> CopyMatch | None:
        """Compare a new article with the index, then index it. None when it copies nothing;
        else where it stands (``copy_of`` None when it is earlier than the group's original, whose
        members then all point to it: ``replaced`` names the former original)."""
        order = order_key(published, collected, key)
        best = self.best_match(sig)
        if best is None:
            self.add(key, sig, collected)
            self.know_original(key, order)
            return None
        matched, jaccard, contained = best
        root = self._entries[matched].root
        known = self._orders.get(root)  # an original whose time is unknown stays the original
        if known is not None and order < known:
            members = self._groups.pop(root, set())
            for member in members:
                self._entries[member].root = key
            self._groups[key] = members
            self._orders.pop(root, None)
            self.add(key, sig, collected)
            self.know_original(key, order)
            return CopyMatch(None, matched, jaccard, contained, replaced=root)
        self.add(key, sig, collected, original=root)
        return CopyMatch(root, matched, jaccard, contained)

    def prune(self, before: datetime) -> None:
        """Forget the articles collected before a time (originals' order keys stay while their
        group has members left)."""
        horizon = _timestamp(before)
        for key in [k for k, entry in self._entries.items() if entry.collected < horizon]:
            entry = self._entries.pop(key)
            self._lsh.remove(key)  # type: ignore[union-attr]
            members = self._groups.get(entry.root)
            if members is not None:
                members.discard(key)
                if not members:
                    del self._groups[entry.root]
                    self._orders.pop(entry.root, None)
