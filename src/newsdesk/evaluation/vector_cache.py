"""The evaluation sets' vectors, kept between runs in the user's cache folder.

Embedding is most of an evaluation's time (the cross-lingual encoder reads about ten texts a
second), and a set's texts do not change between runs. Each encoder's vector of each input text is
kept in one SQLite file, keyed by a hash of the encoder's name and version and the exact input, so
a changed text, input length or encoder version is embedded anew. The cross-lingual vectors are
kept before centring: the centre is applied on reading, so a new centre needs no new embedding.

The folder is ``NEWSDESK_EVAL_CACHE`` if set, else ``newsdesk-eval`` in the user's cache folder
(``~/.cache/newsdesk-eval`` on Linux). Only the evaluation uses it; the pipeline never does.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
from platformdirs import user_cache_dir

Encode = Callable[[list[str]], np.ndarray]


def cache_dir() -> Path:
    """Where the evaluation's vectors are kept."""
    root = os.environ.get("NEWSDESK_EVAL_CACHE")
    return Path(root) if root else Path(user_cache_dir("newsdesk-eval"))


def package_version(name: str) -> str:
    """A package's installed version ("?" when it is not installed)."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


class VectorCache:
    """Vectors of input texts by encoder, in one SQLite file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or cache_dir() / "vectors.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    @staticmethod
    def key(encoder: str, text: str) -> bytes:
        """The key of one encoder's vector of one input text."""
        return hashlib.sha256(f"{encoder}\0{text}".encode()).digest()

    def vectors(self, encoder: str, texts: Sequence[str], encode: Encode, dimensions: int) -> np.ndarray:
        """The float32 vectors (N, ``dimensions``) of ``texts``: kept ones read, the others computed
        by ``encode`` (one call, on the missing texts only) and kept."""
        keys = [self.key(encoder, text) for text in texts]
        found: dict[bytes, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in self._db.execute(
                f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk
            ):
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.shape == (dimensions,):
                    found[bytes(key)] = vector
        missing = [key for key in unique if key not in found]
        if missing:
            text_of = dict(zip(keys, texts, strict=True))
            computed = np.asarray(encode([text_of[key] for key in missing]), dtype=np.float32)
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                    [(key, row.tobytes()) for key, row in zip(missing, computed, strict=True)],
                )
            found.update(zip(missing, computed, strict=True))
        out = np.zeros((len(texts), dimensions), dtype=np.float32)
        for row, key in enumerate(keys):
            out[row] = found[key]
        return out
