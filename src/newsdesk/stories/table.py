"""The story table: one row per live story, its columns kept in step.

Each per-story column is declared once on :class:`StoryTable`: a numpy column
(:func:`array_column`: a dtype, a width for a row of values, the fill of a new row) or a
list column (:func:`list_column`: a factory for a new row's value). Adding a row, growing,
keeping some rows (pruning) and finding a story's slot then cover every column.
Rows are ordered by story id; a story's row index is its *slot*.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsdesk.stories.vectors import CROSS_DIMENSIONS, DIMENSIONS, OutletPart, TermSum


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

    # The sum of the members' embeddings, and its unit vector.
    sums: np.ndarray = array_column(np.float32, DIMENSIONS)
    centroids: np.ndarray = array_column(np.float32, DIMENSIONS)
    # The sum of the members' cross-lingual vectors, and its unit vector (zeros: none yet).
    cross_sums: np.ndarray = array_column(np.float32, CROSS_DIMENSIONS)
    cross_centroids: np.ndarray = array_column(np.float32, CROSS_DIMENSIONS)
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
    # Hashed quoted phrases of the story's articles (quote path).
    quotes: list[set[int]] = list_column(set)
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
            self.grow(max(64, 2 * self.capacity))
        slot = self.size
        self.size += 1
        for name, column in self.array_columns:
            getattr(self, name)[slot] = column.fill
        for name, column in self.list_columns:
            getattr(self, name).append(column.factory())
        self.ids.append(story_id)
        self.slot_of[story_id] = slot
        return slot

    def keep(self, rows: np.ndarray) -> None:
        """Keep only the rows at these slots (ascending), in their order."""
        kept = len(rows)
        picked = rows.tolist()
        for name, _ in self.array_columns:
            values = getattr(self, name)
            values[:kept] = values[rows]
        for name, _ in self.list_columns:
            values = getattr(self, name)
            setattr(self, name, [values[i] for i in picked])
        self.ids = [self.ids[i] for i in picked]
        self.slot_of = {story_id: slot for slot, story_id in enumerate(self.ids)}
        self.size = kept
