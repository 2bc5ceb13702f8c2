"""spaCy's vector table for newsdesk's E5 word vectors over every word (``word_vectors.WORDS``)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import numpy as np
from spacy.vectors import BaseVectors

from newsdesk.enrich.entities.word_vectors import WORDS, vector_width, word_vector

MAX_ROWS = 300_000  # words kept at most (77 MB); then dropped and computed again as they come
_FIRST_ROWS = 4096


class WordVectors(BaseVectors):
    """Every word's vector (``word_vectors.word_vector``: its whole piece's, else the mean of its
    pieces'), computed the first time a pipeline reads it and kept. spaCy's static vectors layer
    reads it through ``get_batch``; nothing of it is written to disk: ``install`` makes it again
    when the pipeline loads."""

    def __init__(self, *, strings: Any = None) -> None:
        super().__init__(strings=strings)
        self.strings = strings
        self.name = WORDS
        self.mode = "computed"  # what spaCy's meta reports
        self._width = vector_width()
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._rows: dict[int, int] = {}
        self._data = np.zeros((_FIRST_ROWS, self._width), np.float32)  # row 0: no word, zeros
        self._used = 1

    def _row(self, key: int) -> int:
        row = self._rows.get(key)
        if row is not None:
            return row
        try:
            word = self.strings[key]
        except KeyError:  # a key the string store never saw: no word to read
            return 0
        if self._used == len(self._data):  # doubled, up to MAX_ROWS unless one batch holds more words
            size = max(min(2 * len(self._data), MAX_ROWS), self._used + 1)
            grown = np.zeros((size, self._width), np.float32)
            grown[: self._used] = self._data[: self._used]
            self._data = grown
        row, self._used = self._used, self._used + 1
        self._data[row] = word_vector(word)[0]
        self._rows[key] = row
        return row

    def get_batch(self, keys: Iterable[Any]) -> np.ndarray:
        """The vectors of the words whose string keys (ORTH) are ``keys``, one row each."""
        wanted = [int(key) for key in keys]
        with self._lock:
            if self._used + len(wanted) > MAX_ROWS:
                self._reset()
            rows = [self._row(key) for key in wanted]
            return self._data[rows]

    def __getitem__(self, key: Any) -> np.ndarray:
        key = self.strings.add(key) if isinstance(key, str) else key
        return self.get_batch([key])[0]

    def __contains__(self, key: Any) -> bool:
        return True

    def __len__(self) -> int:
        return self._used - 1

    @property
    def n_keys(self) -> int:
        return len(self)

    def is_full(self) -> bool:
        return False

    @property
    def shape(self) -> tuple[int, int]:
        return (MAX_ROWS, self._width)

    @property
    def vectors_length(self) -> int:
        return self._width

    @property
    def size(self) -> int:
        return MAX_ROWS * self._width

    def add(self, key: Any, *, vector: Any = None) -> int:
        """Unused: every word's vector is computed."""
        return -1

    def to_disk(self, path: Any, *, exclude: Any = ()) -> None:
        """Nothing is written: the vectors are made again when the pipeline loads."""

    def from_disk(self, path: Any, *, exclude: Any = ()) -> WordVectors:
        return self

    def to_bytes(self, *, exclude: Any = ()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude: Any = ()) -> WordVectors:
        return self
