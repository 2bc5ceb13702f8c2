"""The type of a name no model typed, from its words and the words around it.

A model reading the E5 word vectors misses names it never saw as names, and the rules then add
them as capitalised runs of no known type ("Pinochet", "Mérida", "Telefónica"). The typer reads
what a reader would:

- the E5 word-piece vectors (``word_vectors``: ``▁Madrid`` and ``▁Мадрид`` lie close together
  whatever the language) of the name's words (their mean, the first, the last) and of the word
  before and the word after; a word that is no whole piece takes the mean of its pieces;
- its shape: how many words, capitals, digits, a hyphen, a lower-case connector, whether it opens
  a sentence, whether its words are common words written lower-case elsewhere (their lower-case
  form is an E5 piece);
- the last letters of its last word;
- whether it is a town's name (``cities``) and how large.

A multinomial logistic regression over those features, trained by newsdesk on the openly
licensed NER sets (``newsdesk models train-types``), gives PER, ORG, LOC, MISC or NONE (a
capitalised run that is no name). It ships as ``data/name_types.npz`` (weights only). Only the
rules' runs are typed, and only where the typer's best class has at least ``THRESHOLD``; an
acronym in running text ("PP", "EZLN") is some name, and the typer only says which kind.
"""

from __future__ import annotations

import re
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import numpy as np

from newsdesk.enrich.entities.cities import city_populations
from newsdesk.enrich.entities.cleanup import at_sentence_start
from newsdesk.enrich.entities.model import ORG, OTHER, PERSON, PLACE, Mention
from newsdesk.enrich.entities.text import is_latin
from newsdesk.enrich.entities.word_vectors import all_pieces, word_vector

CLASSES = ("PER", "ORG", "LOC", "MISC", "NONE")
NONE = "NONE"  # a capitalised run that is no name
TYPES = {"PER": PERSON, "ORG": ORG, "LOC": PLACE}
THRESHOLD = 0.5  # the best class is likelier than all the others together
TYPED = "typed"  # the label of a mention the typer typed
_SUFFIX_BINS = 256
_WIDTH = 64
_SHAPES = 15
FEATURES = 5 * _WIDTH + 5 + _SHAPES + _SUFFIX_BINS + 3
_WORD = re.compile(r"\w+(?:[-’']\w+)*")
_ACRONYM = re.compile(r"[A-ZА-ЯЁІЇЄҐ]{2,6}")
_SHIPPED = "name_types.npz"
_CACHE_SIZE = 200_000
_lock = threading.Lock()
_typer: NameTyper | None | bool = False
_cache: dict[str, tuple[np.ndarray, float]] = {}


@dataclass(frozen=True)
class NameTyper:
    """The typer's weights: one row per class, one column per feature, and the intercepts."""

    classes: tuple[str, ...]
    weights: np.ndarray
    intercepts: np.ndarray

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """One row of class probabilities per feature row."""
        scores = rows @ self.weights.T + self.intercepts
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        """Write the weights as a compressed numpy archive."""
        np.savez_compressed(
            path,
            classes=np.array(self.classes),
            weights=self.weights.astype(np.float32),
            intercepts=self.intercepts.astype(np.float32),
        )

    @classmethod
    def load(cls, path: Path | str) -> NameTyper:
        """The typer saved at ``path``."""
        with np.load(path) as data:
            typer = cls(tuple(str(c) for c in data["classes"]), data["weights"], data["intercepts"])
        if typer.weights.shape[1] != FEATURES:
            raise ValueError(f"{path}: {typer.weights.shape[1]} features, this version reads {FEATURES}")
        return typer


def shipped_typer() -> NameTyper | None:
    """The typer shipped with newsdesk, loaded once per process (``None`` when absent)."""
    global _typer
    with _lock:
        if _typer is False:
            path = resources.files("newsdesk.enrich.entities") / "data" / _SHIPPED
            _typer = NameTyper.load(str(path)) if path.is_file() else None
        return _typer  # type: ignore[return-value]


def load_typer() -> None:
    """Load the typer and what it reads (the word pieces, the towns) now, to share them with
    processes forked afterwards."""
    if shipped_typer() is not None:
        all_pieces()
        city_populations()


def with_types(
    text: str, mentions: list[Mention], runs_label: str, typer: NameTyper | None = None
) -> list[Mention]:
    """``mentions`` with the rules' untyped runs (label ``runs_label``) typed where the typer is
    sure enough, in Latin letters or acronyms in any script; they take the label ``typed``."""
    typer = typer or shipped_typer()
    chosen = [
        i
        for i, m in enumerate(mentions)
        if m.type == OTHER and m.label == runs_label and (is_latin(m.text) or _ACRONYM.fullmatch(m.text))
    ]
    if typer is None or not chosen:
        return mentions
    rows = typer.probabilities(features(text, [(mentions[i].start, mentions[i].end) for i in chosen]))
    out = list(mentions)
    for i, row in zip(chosen, rows, strict=True):
        if _acronym(text, mentions[i]) and NONE in typer.classes:
            row = row.copy()  # an acronym in running text is some name: which kind is the question
            row[typer.classes.index(NONE)] = 0.0
            row /= row.sum()
        best = int(row.argmax())
        type_ = TYPES.get(typer.classes[best])
        if type_ and row[best] >= THRESHOLD:
            out[i] = replace(out[i], type=type_, label=TYPED)
    return out


def without_no_names(
    text: str, mentions: list[Mention], runs_label: str, typer: NameTyper | None = None
) -> list[Mention]:
    """``mentions`` without the rules' untyped runs (label ``runs_label``) that the typer holds
    no name: NONE its best class, at ``THRESHOLD`` at least ("Menge Romantik", "Millionen
    Einwohner", "Art von Verhalten"). An acronym in running text is kept: it is some name."""
    typer = typer or shipped_typer()
    chosen = [
        i
        for i, m in enumerate(mentions)
        if m.type == OTHER and m.label == runs_label and not _acronym(text, m) and " " in m.text
    ]
    if typer is None or NONE not in typer.classes or not chosen:
        return mentions
    rows = typer.probabilities(features(text, [(mentions[i].start, mentions[i].end) for i in chosen]))
    none = typer.classes.index(NONE)
    dropped = {
        i for i, row in zip(chosen, rows, strict=True) if row.argmax() == none and row[none] >= THRESHOLD
    }
    return [m for i, m in enumerate(mentions) if i not in dropped]


def _acronym(text: str, mention: Mention) -> bool:
    """Whether the mention is an acronym ("PP", "EZLN") in running text, not a word of a
    headline in capitals ("FINAL", "PLENO")."""
    if not _ACRONYM.fullmatch(mention.text):
        return False
    before = _WORD.findall(text[max(0, mention.start - 40) : mention.start])[-1:]
    after = _WORD.findall(text[mention.end : mention.end + 40])[:1]
    return not any(w.isupper() and len(w) > 1 for w in before + after)


def features(text: str, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """One feature row per ``(start, end)`` span of ``text``."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    rows = [_row(text, start, end, words) for start, end in spans]
    return np.vstack(rows) if rows else np.zeros((0, FEATURES), dtype=np.float32)


def _row(text: str, start: int, end: int, words: list[tuple[int, int, str]]) -> np.ndarray:
    inside = [w for s, e, w in words if s >= start and e <= end] or [text[start:end]]
    before = next((w for s, e, w in reversed(words) if e <= start), None)
    after = next((w for s, e, w in words if s >= end), None)
    found = [_word_vector(w) for w in inside]
    first, first_whole = found[0]
    last, last_whole = found[-1]
    previous, previous_whole = _word_vector(before)
    following, following_whole = _word_vector(after)
    whole = sum(k for _, k in found) / len(found)
    flags = np.array([first_whole, last_whole, previous_whole, following_whole, whole], np.float32)
    suffix = np.zeros(_SUFFIX_BINS, dtype=np.float32)
    for part in (inside[-1][-2:].lower(), inside[-1][-3:].lower(), "^" + inside[0][:2].lower()):
        suffix[zlib.crc32(part.encode()) % _SUFFIX_BINS] = 1.0
    town = np.array([_town(text[start:end]), _town(inside[-1]), _town(inside[0])], np.float32)
    mean = np.mean([v for v, _ in found], axis=0)
    shape = _shape(inside, text[start:end], at_sentence_start(text, start))
    return np.concatenate([mean, first, last, previous, following, flags, shape, suffix, town]).astype(
        np.float32
    )


def _word_vector(word: str | None) -> tuple[np.ndarray, float]:
    """A word's vector: its whole piece's (and 1.0), else the mean of its pieces' (and 0.0)."""
    if not word:
        return np.zeros(_WIDTH, np.float32), 0.0
    cached = _cache.get(word)
    if cached is not None:
        return cached
    vector, whole = word_vector(word)
    found = (vector, float(whole))
    if len(_cache) < _CACHE_SIZE:
        _cache[word] = found
    return found


def _town(name: str) -> float:
    """A town of that name: log10 of its population over 7 (0: none)."""
    population = city_populations().get(name, 0)
    return float(np.log10(population) / 7) if population else 0.0


def _shape(words: list[str], span: str, opens: bool) -> np.ndarray:
    index = all_pieces()[0]
    n = len(words)
    # a common word: written lower-case elsewhere, its lower-case form is an E5 piece
    common = [("\u2581" + w.lower()) in index and w.lower() != w for w in words]
    return np.array(
        [
            common[0],
            common[-1],
            all(common),
            opens and n == 1,
            opens and common[0],
            opens and n == 1 and common[0],
            n == 1,
            n == 2,
            n >= 3,
            span.isupper() and len(span) > 1,
            any(c.isdigit() for c in span),
            "-" in span,
            any(w[:1].islower() for w in words),  # a connector: "de", "von", "of"
            opens,
            all(len(w) <= 4 and w.isupper() for w in words),  # an acronym
        ],
        dtype=np.float32,
    )
