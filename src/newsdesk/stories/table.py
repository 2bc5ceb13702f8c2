"""The story table: one row per live story, its columns kept in step.

Each per-story column is declared once on :class:`StoryTable`: a numpy column
(:func:`array_column`: a dtype, a width for a row of values, the fill of a new row) or a
list column (:func:`list_column`: a factory for a new row's value). Adding a row, growing,
keeping some rows (pruning) and finding a story's slot then cover every column.
Rows are ordered by story id; a story's row index is its *slot*.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsdesk.stories.vectors import CROSS_DIMENSIONS, DIMENSIONS, OutletPart, TermSum, scale_of


@dataclass(frozen=True)
class ArrayColumn:
    """A numpy column: one value (``width`` None) or ``width`` values per story."""

    dtype: type
    width: int | None = None
    fill: float = 0.0

    def empty(self, capacity: int) -> np.ndarray:
        """Storage for ``capacity`` rows, every row filled."""
        shape = (capacity,) if self.width is None else (capacity, self.width)
        return np.full(shape, self.fill, dtype=self.dtype)


@dataclass(frozen=True)
class ListColumn:
    """A Python list column; ``factory`` makes a new story's value."""

    factory: Callable[[], Any]


def array_column(dtype: type, width: int | None = None, fill: float = 0.0) -> Any:
    """Declare a numpy column of :class:`StoryTable`."""
    return ArrayColumn(dtype, width, fill)


def list_column(factory: Callable[[], Any]) -> Any:
    """Declare a list column of :class:`StoryTable`."""
    return ListColumn(factory)


def _declared(cls: type) -> type:
    """Collect the column declarations of ``cls`` into ``array_columns`` and ``list_columns``.

    The declarations leave the class: an instance attribute that a class attribute shadows
    is slower to read, and the columns are read in the innermost loops."""
    arrays, lists = [], []
    for name, value in list(vars(cls).items()):
        if isinstance(value, ArrayColumn | ListColumn):
            (arrays if isinstance(value, ArrayColumn) else lists).append((name, value))
            delattr(cls, name)
    cls.array_columns = tuple(arrays)
    cls.list_columns = tuple(lists)
    return cls


@_declared
class StoryTable:
    """The live stories, one row each; every column below is one declaration."""

    # The declared columns (name, declaration), in declaration order; set by ``_declared``.
    array_columns: tuple[tuple[str, ArrayColumn], ...]
    list_columns: tuple[tuple[str, ListColumn], ...]

    # The sum of the members' embeddings, and one over its length (0: no embedding yet). The
    # centroid (the sum's unit vector) is not stored: cosines with it are the sum's, scaled.
    sums: np.ndarray = array_column(np.float32, DIMENSIONS)
    scales: np.ndarray = array_column(np.float32)
    # The sum of the members' cross-lingual vectors, and one over its length (zeros: none yet).
    cross_sums: np.ndarray = array_column(np.float32, CROSS_DIMENSIONS)
    cross_scales: np.ndarray = array_column(np.float32)
    # The story's id (the same as ``ids``, for lookups by numpy; ascending like the slots).
    row_ids: np.ndarray = array_column(np.int64)
    # Times (seconds since the epoch) of the oldest and newest member; NaN while unknown.
    first: np.ndarray = array_column(np.float64, fill=math.nan)
    last: np.ndarray = array_column(np.float64, fill=math.nan)
    # Members, and members that brought an embedding.
    members: np.ndarray = array_column(np.int64)
    embedded: np.ndarray = array_column(np.int64)
    # The story's TF-IDF sum.
    lex: list[TermSum] = list_column(TermSum)
    # Lede sums per language ("" = unknown): lede words only meet their own language.
    lede: list[dict[str, TermSum]] = list_column(dict)
    # Hashed quoted phrases of the story's articles (quote path), ascending.
    quotes: list[array] = list_column(lambda: array("q"))
    # Days of the year the story's articles name in their leads (newsdesk.text.days), ascending.
    days: list[array] = list_column(lambda: array("h"))
    languages: list[list[str]] = list_column(list)
    # Outlets ("" = unknown). While a story has one outlet its own sums are that outlet's;
    # per-outlet parts exist from the second on.
    outlets: list[list[str]] = list_column(list)
    parts: list[dict[str, OutletPart]] = list_column(dict)

    def __init__(self) -> None:
        self.size = 0
        self.ids: list[int] = []
        self.slot_of: dict[int, int] = {}
        for name, column in self.array_columns:
            setattr(self, name, column.empty(0))
        for name, _ in self.list_columns:
            setattr(self, name, [])

    # ------------------------------------------------------------ vectors

    def add_embedding(self, slot: int, embedding: np.ndarray) -> None:
        """The story in ``slot`` took an article with this embedding."""
        self.sums[slot] += embedding
        self.scales[slot] = scale_of(self.sums[slot])

    def add_crosslingual(self, slot: int, vector: np.ndarray) -> None:
        """The story in ``slot`` took an article with this cross-lingual vector."""
        self.cross_sums[slot] += vector
        self.cross_scales[slot] = scale_of(self.cross_sums[slot])

    def set_sums(self, slot: int, embedding: np.ndarray, crosslingual: np.ndarray | None = None) -> None:
        """Give the story in ``slot`` these sums (a restored story)."""
        self.sums[slot] = embedding
        self.scales[slot] = scale_of(self.sums[slot])
        if crosslingual is not None:
            self.cross_sums[slot] = crosslingual
            self.cross_scales[slot] = scale_of(self.cross_sums[slot])

    def centroid(self, slots: int | np.ndarray) -> np.ndarray:
        """The unit vector of the embedding sum of the story in ``slots`` (zeros: none), or one
        row of them for each of several slots."""
        return self.sums[slots] * np.asarray(self.scales[slots])[..., None]

    def cross_centroid(self, slots: int | np.ndarray) -> np.ndarray:
        """The unit vector of the cross-lingual sum, as :meth:`centroid`."""
        return self.cross_sums[slots] * np.asarray(self.cross_scales[slots])[..., None]

    def cosines(self, slots: np.ndarray | slice, vector: np.ndarray) -> np.ndarray:
        """Cosines of the centroids of the stories in ``slots`` with a unit ``vector``."""
        return (self.sums[slots] @ vector) * self.scales[slots]

    def cross_cosines(self, slots: np.ndarray | slice, vector: np.ndarray) -> np.ndarray:
        """Cosines of the cross-lingual centroids of the stories in ``slots`` with a unit ``vector``."""
        return (self.cross_sums[slots] @ vector) * self.cross_scales[slots]

    def crossed(self, slot: int) -> bool:
        """Whether the story has a cross-lingual centroid."""
        return bool(self.cross_scales[slot] > 0.0)

    def add_quotes(self, slot: int, quotes: frozenset[int]) -> None:
        """The story's articles quote these phrases too."""
        self.quotes[slot] = _with(self.quotes[slot], quotes)

    def add_days(self, slot: int, days: frozenset[int]) -> None:
        """The story's articles name these days of the year too."""
        self.days[slot] = _with(self.days[slot], days)

    # ------------------------------------------------------------- upkeep

    @property
    def capacity(self) -> int:
        """Rows the numpy columns hold (live or free)."""
        return self.sums.shape[0]

    def grow(self, capacity: int) -> None:
        """Make room for ``capacity`` rows (the live rows are kept)."""
        size = self.size
        for name, column in self.array_columns:
            new = column.empty(capacity)
            new[:size] = getattr(self, name)[:size]
            setattr(self, name, new)

    def add_row(self, story_id: int) -> int:
        """Append a story with every column's new value; return its slot."""
        if self.size >= self.capacity:
            self.grow(_grown(self.capacity))
        slot = self.size
        self.size += 1
        for name, column in self.array_columns:
            getattr(self, name)[slot] = column.fill
        for name, column in self.list_columns:
            getattr(self, name).append(column.factory())
        self.ids.append(story_id)
        self.row_ids[slot] = story_id
        self.slot_of[story_id] = slot
        return slot

    def slots_of(self, story_ids: np.ndarray) -> np.ndarray:
        """The slots of these live stories (ids ascending by slot, so a binary search)."""
        return np.searchsorted(self.row_ids[: self.size], story_ids)

    def keep(self, rows: np.ndarray) -> None:
        """Keep only the rows at these slots (ascending), in their order.

        The rows before the first one dropped stay where they are; only those after it move
        (a second chance drops a story about a hundred articles old, near the table's end)."""
        kept = len(rows)
        unmoved = np.flatnonzero(rows != np.arange(kept))
        start = int(unmoved[0]) if len(unmoved) else kept
        tail = rows[start:]
        picked = tail.tolist()
        gone = set(self.ids[start:]).difference(self.ids[i] for i in picked)
        for name, _ in self.array_columns:
            values = getattr(self, name)
            values[start:kept] = values[tail]
        for name, _ in self.list_columns:
            values = getattr(self, name)
            values[start:] = [values[i] for i in picked]
        self.ids[start:] = [self.ids[i] for i in picked]
        for story_id in gone:
            del self.slot_of[story_id]
        for slot in range(start, kept):
            self.slot_of[self.ids[slot]] = slot
        self.size = kept


def _grown(capacity: int) -> int:
    """The next capacity of the numpy columns: doubled while small, then an eighth more (a
    table of 100,000 stories is given 12,500 free rows, not 100,000)."""
    if capacity < 16_384:
        return max(64, 2 * capacity)
    return capacity + capacity // 8


def _with(held: array, values: frozenset[int]) -> array:
    """A sorted set column's value with ``values`` added (the same array when it holds them)."""
    if not values or values.issubset(held):
        return held
    return array(held.typecode, sorted(values.union(held)))
