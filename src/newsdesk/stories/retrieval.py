"""Which live stories an article is scored against: its candidates.

Two ways, the same candidates up to the index's approximation:

* **exact scan**: the article's cosine with every live story's centroid, one matrix-vector
  product over the story table (its cost grows with the live stories);
* **index**: the nearest centroids from an approximate nearest-neighbour index
  (:class:`~newsdesk.stories.index.CentroidIndex`), filtered by the time window, then
  ranked by their exact cosines from the table (its cost grows with the logarithm of the
  live stories).

``auto`` (the default) scans while there are fewer than :data:`INDEX_FROM` live stories, where
the scan is cheaper than keeping an index, and builds the index when there are more.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal

import numpy as np

from newsdesk.stories.index import CROSS_EXPANSION_SEARCH, EXPANSION_SEARCH, SLACK, CentroidIndex, Found
from newsdesk.stories.table import StoryTable
from newsdesk.stories.vectors import CROSS_DIMENSIONS, DIMENSIONS

Retrieval = Literal["auto", "exact", "index"]
RETRIEVALS: tuple[Retrieval, ...] = ("auto", "exact", "index")

# Live stories from which ``auto`` uses the index (docs/benchmarks.md: below it the scan is cheaper).
INDEX_FROM = 10_000
# Stories first asked of the index, and the most it is asked for (the time window and the
# language filter may reject many of the nearest). A search walks as wide as its breadth
# whatever it is asked for, so the first ask takes all it walks.
FIRST_FETCH = EXPANSION_SEARCH
FIRST_CROSS_FETCH = CROSS_EXPANSION_SEARCH
MOST_FETCHED = 3072


class Window:
    """The time window around an article: the stories it may join by time (the story in slot
    ``exclude``, if any, never: a story is not its own article's second chance)."""

    def __init__(
        self, stories: StoryTable, moment: float, window_days: float | None, exclude: int | None = None
    ) -> None:
        self.stories = stories
        self.exclude = -1 if exclude is None else exclude
        self.open = window_days is None or math.isnan(moment)
        span = 0.0 if window_days is None else window_days * 86400.0
        self.low, self.high = moment - span, moment + span

    def mask(self) -> np.ndarray:
        """Which live stories are within the window (a story with no time is)."""
        n = self.stories.size
        inside = self._inside(slice(0, n), n)
        if 0 <= self.exclude < n:
            inside[self.exclude] = False
        return inside

    def holds_many(self, slots: np.ndarray) -> np.ndarray:
        """Which of the stories in ``slots`` are within the window."""
        inside = self._inside(slots, len(slots))
        return inside & (slots != self.exclude)

    def _inside(self, slots: np.ndarray | slice, count: int) -> np.ndarray:
        if self.open:
            return np.ones(count, dtype=bool)
        first, last = self.stories.first[slots], self.stories.last[slots]
        with np.errstate(invalid="ignore"):
            return np.isnan(last) | ((last >= self.low) & (first <= self.high))


class LexicalOnly:
    """The stories the lexical path may take, by slot: those within the window that have no
    embedding (``every``: with or without one, for an article without an embedding), and only
    those of ``among`` (ascending slots) when it is given."""

    def __init__(self, window: Window, every: bool, among: np.ndarray | None = None) -> None:
        self.window = window
        self.every = every
        self.among = among

    def mask(self, slots: np.ndarray) -> np.ndarray:
        """Which of the stories in ``slots`` (live ones) the lexical path may take."""
        keep = self.window.holds_many(slots)
        if not self.every:
            keep &= self.window.stories.embedded[slots] == 0
        return keep

    def slots_of(self, story_ids: np.ndarray) -> np.ndarray:
        """The slots of these live stories' ids (ascending), -1 for those not of ``among``:
        with ``among``, its few hundred ids are searched, not every live story's."""
        stories = self.window.stories
        if self.among is None:
            return stories.slots_of(story_ids)
        if not len(self.among):
            return np.full(len(story_ids), -1, dtype=np.int64)
        among_ids = stories.row_ids[self.among]
        at = np.minimum(np.searchsorted(among_ids, story_ids), len(among_ids) - 1)
        return np.where(among_ids[at] == story_ids, self.among[at], -1)


class Candidates:
    """Finds the candidate stories; keeps the indexes over the story centroids up to date."""

    def __init__(self, mode: Retrieval = "auto") -> None:
        self.mode: Retrieval = "auto"
        self.switch(mode)
        self.semantic: CentroidIndex | None = None
        self.crosslingual: CentroidIndex | None = None

    def switch(self, mode: Retrieval) -> None:
        """Find candidates another way from now on (a built index is kept up to date)."""
        if mode not in RETRIEVALS:
            raise ValueError(f"retrieval must be one of {RETRIEVALS}, not {mode!r}")
        self.mode = mode

    @property
    def built(self) -> bool:
        """Whether the indexes exist (and are kept up to date)."""
        return self.semantic is not None

    def indexed(self, stories: StoryTable) -> bool:
        """Whether candidates come from the index now (building it when it is time)."""
        if self.mode == "exact" or (self.mode == "auto" and stories.size < INDEX_FROM):
            return False
        if not self.built:
            self.build(stories)
        return True

    def memory_bytes(self) -> int:
        """Memory the indexes hold (0 while there are none)."""
        return sum(part.memory_bytes() for part in (self.semantic, self.crosslingual) if part is not None)

    # ------------------------------------------------------------- upkeep

    def build(self, stories: StoryTable) -> None:
        """Make the indexes from the table's sums (story id order)."""
        self.semantic = CentroidIndex(DIMENSIONS)
        self.crosslingual = CentroidIndex(CROSS_DIMENSIONS, breadth=CROSS_EXPANSION_SEARCH)
        n = stories.size
        ids = np.asarray(stories.ids, dtype=np.int64)
        embedded = np.flatnonzero(stories.embedded[:n] > 0)
        self.semantic.put_many(ids[embedded].tolist(), stories.sums[embedded])
        crossed = np.flatnonzero(stories.cross_scales[:n] > 0.0)
        self.crosslingual.put_many(ids[crossed].tolist(), stories.cross_sums[crossed])

    def snapshot(self) -> tuple[bytes, bytes] | None:
        """Both indexes as bytes (None while they are not built)."""
        if self.semantic is None or self.crosslingual is None:
            return None
        return self.semantic.to_bytes(), self.crosslingual.to_bytes()

    def restore(self, semantic: bytes, crosslingual: bytes) -> None:
        """Take up indexes saved by :meth:`snapshot` (of the same stories) instead of building them;
        bytes that are not such indexes raise ``ValueError`` or ``RuntimeError`` and leave none."""
        both = (
            CentroidIndex.from_bytes(DIMENSIONS, semantic),
            CentroidIndex.from_bytes(CROSS_DIMENSIONS, crosslingual, CROSS_EXPANSION_SEARCH),
        )
        self.semantic, self.crosslingual = both

    def update(self, stories: StoryTable, slot: int, semantic: bool, crosslingual: bool) -> None:
        """The story in ``slot`` took an article: index its new centroids (those that moved)."""
        if self.semantic is None or self.crosslingual is None:
            return
        story_id = stories.ids[slot]
        # A sum's code is its centroid's (the signs do not change with the length).
        if semantic:
            self.semantic.put(story_id, stories.sums[slot])
        if crosslingual:
            self.crosslingual.put(story_id, stories.cross_sums[slot])

    def drop(self, story_ids: Iterable[int]) -> None:
        """Forget stories that left the table."""
        if self.semantic is None or self.crosslingual is None:
            return
        for story_id in story_ids:
            self.semantic.drop(story_id)
            self.crosslingual.drop(story_id)

    # ------------------------------------------------------------ queries

    def semantic_candidates(
        self,
        stories: StoryTable,
        window: Window,
        embedding: np.ndarray,
        floor: float,
        limit: int,
        among: np.ndarray | None = None,
    ) -> list[tuple[int, float]]:
        """The (at most ``limit``) embedded stories in the window whose centroid is nearest the
        article's embedding, with a cosine of at least ``floor``: (slot, cosine) by slot.
        Ties in cosine go to the older story. ``among`` (ascending slots): only those stories
        are looked at, by their exact cosines (no index)."""
        if among is not None:
            slots = among[window.holds_many(among)]
            slots = slots[stories.embedded[slots] > 0]
            cosines = stories.cosines(slots, embedding)
            passing = cosines >= floor
            return _best(slots[passing], cosines[passing], limit)
        if not self.indexed(stories):
            n = stories.size
            cosines = stories.cosines(slice(0, n), embedding)
            slots = np.flatnonzero(window.mask() & (stories.embedded[:n] > 0) & (cosines >= floor))
            return _best(slots, cosines[slots], limit)
        assert self.semantic is not None
        count = FIRST_FETCH
        while True:
            found = self.semantic.nearest(embedding, count)
            slots = stories.slots_of(found.ids)
            slots = slots[window.holds_many(slots)]
            cosines = stories.cosines(slots, embedding)
            passing = cosines >= floor
            slots, cosines = slots[passing], cosines[passing]
            if _enough(found, count, len(self.semantic), floor, cosines, limit):
                return _best(slots, cosines, limit)
            count *= 4

    def crosslingual_candidates(
        self,
        stories: StoryTable,
        window: Window,
        vector: np.ndarray,
        language: str,
        threshold: float,
        rival_weight: float = 0.0,
        among: np.ndarray | None = None,
    ) -> list[tuple[int, float]]:
        """The stories in the window with no article in ``language`` whose score reaches
        ``threshold``: (slot, score) by slot. The score is the cosine of the story's cross-lingual
        centroid with the article's cross-lingual vector, less ``rival_weight`` times the best
        such cosine among the other stories in the window (any language; none under 0). From
        the index, the nearest stories are read until the best candidate and the two best
        cosines in the window are among them (the best score is what decides).

        ``among`` (ascending slots): none but those stories may be taken. When none of them
        reaches ``threshold`` by its cosine alone, there is none (the rival only lowers a
        score); otherwise every story in the window is looked at, as without ``among``, for
        the rivals."""
        if among is not None and not self._any_reaches(stories, window, vector, language, threshold, among):
            return []
        if not self.indexed(stories):
            cosines = stories.cross_cosines(slice(0, stories.size), vector)
            mask = window.mask()
            if rival_weight and stories.size > 1:
                cosines = cosines - rival_weight * rivals(cosines, mask)
            passing = np.flatnonzero(mask & (cosines >= threshold))
            passing = passing[in_another_language(stories, passing, language)]
            return [(slot, float(cosines[slot])) for slot in passing.tolist()]
        assert self.crosslingual is not None
        count = FIRST_CROSS_FETCH
        while True:
            found = self.crosslingual.nearest(vector, count)
            inside = stories.slots_of(found.ids)
            inside = inside[window.holds_many(inside)]
            cosines = stories.cross_cosines(inside, vector)
            scores = cosines
            if rival_weight and len(inside) > 1:
                scores = cosines - rival_weight * rivals(cosines, np.ones(len(inside), dtype=bool))
            eligible = in_another_language(stories, inside, language)
            passing = eligible & (cosines >= threshold)
            if _enough(found, count, len(self.crosslingual), threshold, cosines[passing], 1) and (
                len(inside) >= 2 or found.fetched < count or count >= MOST_FETCHED
            ):
                passing &= scores >= threshold
                picked, kept = inside[passing], scores[passing]
                order = np.argsort(picked, kind="stable")
                return [(int(s), float(c)) for s, c in zip(picked[order], kept[order], strict=True)]
            count *= 4

    @staticmethod
    def _any_reaches(
        stories: StoryTable,
        window: Window,
        vector: np.ndarray,
        language: str,
        threshold: float,
        among: np.ndarray,
    ) -> bool:
        """Whether a story of ``among`` in the window, with no article in ``language``, has a
        cross-lingual cosine of at least ``threshold``."""
        slots = among[window.holds_many(among)]
        reaching = slots[stories.cross_cosines(slots, vector) >= threshold]
        return bool(in_another_language(stories, reaching, language).any())


def in_another_language(stories: StoryTable, slots: np.ndarray, language: str) -> np.ndarray:
    """Which of the stories in ``slots`` have articles, none of them in ``language`` (those the
    cross-lingual path may take)."""
    languages = stories.languages
    return np.fromiter(
        (bool(languages[slot]) and language not in languages[slot] for slot in slots.tolist()),
        dtype=bool,
        count=len(slots),
    )


def rivals(cosines: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """For each story, the best of the other allowed stories' cosines (not under 0)."""
    live = np.where(allowed, cosines, 0.0)
    if len(live) < 2:
        return np.zeros_like(live)
    second, first = np.partition(live, -2)[-2:]
    return np.maximum(np.where(live >= first, second, first), 0.0)


def _enough(
    found: Found,
    count: int,
    indexed: int,
    floor: float,
    cosines: np.ndarray,
    limit: int,
) -> bool:
    """Whether the stories fetched so far hold the best ``limit`` that reach ``floor``: the index
    has no more, or the next ones are too far (below the floor, or below the ``limit``-th best
    found), or the most allowed was fetched."""
    if found.fetched < count or count >= indexed or count >= MOST_FETCHED:
        return True
    last = found.last
    if last < floor - SLACK:
        return True
    if len(cosines) >= limit:
        kth = float(np.partition(cosines, len(cosines) - limit)[len(cosines) - limit])
        return last < kth - SLACK
    return False


def _best(slots: np.ndarray, cosines: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` highest cosines (ties: the lower slot), as (slot, cosine) by slot."""
    if len(slots) > limit:
        order = np.lexsort((slots, -cosines))[:limit]
        slots, cosines = slots[order], cosines[order]
    order = np.argsort(slots, kind="stable")
    return [(int(s), float(c)) for s, c in zip(slots[order], cosines[order], strict=True)]
