"""Lexical features of an article for story clustering.

Words are transliterated to ASCII (so ``Путин`` and ``Putin`` meet), lower-cased
and cut to a fixed prefix (a crude, language-agnostic stemmer that also lets
``inflation`` / ``inflace`` / ``Inflation`` share a feature). Chinese and Japanese
write no spaces between words, so a run of Han characters or kana is read as
its overlapping pairs of characters (the bigrams of search engines' CJK
analysers), each transliterated whole. Features are
hashed into a fixed number of buckets so document frequencies fit in one
array. Capitalised words and numbers (names, places, figures, dates) weigh
more: they are what tells two stories of the same kind apart.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from anyascii import anyascii

from newsdesk.text.marks import DOUBLE_PAIRS, SINGLE_PAIRS, find_quoted, paragraphs

BUCKETS = 1 << 18
_WORD = re.compile(r"\w+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_DIGIT = re.compile(r"\d")
_WORD_WITH_DIGIT = re.compile(r"\w*\d\w*")
# Kana, CJK unified ideographs (and extension A), compatibility ideographs: scripts written
# without spaces between words. Hangul is not among them: Korean puts spaces between words.
_CJK_RUN = re.compile("([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
# A paragraph can hold a quotation only if it has a quote mark or opens with a dialogue dash.
_QUOTE_MARKS = "".join(sorted({*DOUBLE_PAIRS, *SINGLE_PAIRS}))
_MAY_QUOTE = re.compile("[" + re.escape(_QUOTE_MARKS) + "]|^\\s*[—–―]", re.MULTILINE)


@dataclass(frozen=True)
class FeatureWeights:
    """How raw tokens turn into weighted features."""

    prefix: int = 6
    capital_boost: float = 8.0
    number_boost: float = 8.0
    title_boost: float = 2.0
    max_chars: int = 600
    # Names and figures past the lead (weight per occurrence, 0 = lead only).
    tail_names: float = 0.25


def _bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("ascii", "ignore")) & (BUCKETS - 1)


def _shouting(text: str) -> bool:
    """True when most letters are capitals (an all-caps text names nothing)."""
    sample = text[:600]
    letters = sum(map(str.isalpha, sample))
    capitals = sum(map(str.isupper, sample))
    return letters > 0 and capitals > 0.6 * letters


# The features of a word, by prefix length: (buckets, kind), kind 2 for a number, 1 for a
# capitalised word, 0 otherwise. Words recur across articles, so each is worked out once.
_FEATURES: dict[int, dict[str, tuple[tuple[int, ...], int]]] = {}
_FEATURES_MAX = 200_000  # words remembered per prefix length (forgotten all at once past it)


def _pieces(raw: str) -> list[str]:
    """A word as lower-case ASCII pieces (transliterated; split where punctuation stands)."""
    if raw.isascii():
        return [raw.lower()] if raw.isalnum() else _ASCII_WORD.findall(raw.lower())
    return _ASCII_WORD.findall(anyascii(raw).lower().replace("'", ""))


def _word_features(raw: str, prefix: int) -> tuple[tuple[int, ...], int]:
    pieces = _pieces(raw)
    # A character pair does not inflect: it is not cut (two syllables may be ten letters).
    whole = _CJK_RUN.match(raw) is not None
    buckets = tuple(
        _bucket(piece if whole or piece.isdigit() else piece[:prefix])
        for piece in pieces
        if len(piece) >= 2 or piece.isdigit()
    )
    kind = 2 if not raw.isalpha() and _DIGIT.search(raw) else 1 if raw[0].isupper() else 0
    return buckets, kind


def _split_cjk(raw: str) -> list[str]:
    """A word with runs of Han characters or kana: the runs as their overlapping character
    pairs (a lone character as itself), the rest (figures, Latin letters) as it stands."""
    pieces = []
    # The split alternates: the text between runs (maybe empty), then a run.
    for index, part in enumerate(_CJK_RUN.split(raw)):
        if index % 2 and len(part) > 1:
            pieces.extend(part[start : start + 2] for start in range(len(part) - 1))
        elif part:
            pieces.append(part)
    return pieces


def _words(text: str) -> list[str]:
    """The words of a text (``\\w+``; runs of Han characters or kana in character pairs)."""
    words = _WORD.findall(text)
    if _CJK_RUN.search(text) is None:
        return words
    return [piece for raw in words for piece in _split_cjk(raw)]


def _add_tokens(
    counts: dict[int, float], text: str, boost: float, weights: FeatureWeights, names_only: bool = False
) -> None:
    capital_boost = 1.0 if weights.capital_boost == 1.0 or _shouting(text) else weights.capital_boost
    factors = (boost, boost * capital_boost, boost * weights.number_boost)
    known = _FEATURES.setdefault(weights.prefix, {})
    for raw in _words(text):
        if names_only and not (raw[0].isupper() or raw[0].isdigit()):
            continue
        found = known.get(raw)
        if found is None:
            if len(known) >= _FEATURES_MAX:
                known.clear()
            found = known[raw] = _word_features(raw, weights.prefix)
        buckets, kind = found
        factor = factors[kind]
        for key in buckets:
            counts[key] = counts.get(key, 0.0) + factor


def term_counts(title: str | None, text: str | None, weights: FeatureWeights) -> dict[int, float]:
    """Weighted counts of hashed features of one article (title and start of text)."""
    counts: dict[int, float] = {}
    if title:
        _add_tokens(counts, title, weights.title_boost, weights)
    if text:
        _add_tokens(counts, text[: weights.max_chars], 1.0, weights)
        if weights.tail_names > 0.0 and len(text) > weights.max_chars:
            _add_tokens(counts, text[weights.max_chars :], weights.tail_names, weights, names_only=True)
    return counts


def name_features(title: str | None, text: str | None, weights: FeatureWeights) -> frozenset[int]:
    """Hashed features of the capitalised words and the numbers of the title and the start of the
    text (names, places, figures): what ``term_counts`` weighs most."""
    counts: dict[int, float] = {}
    if title:
        _add_tokens(counts, title, 1.0, weights, names_only=True)
    if text:
        _add_tokens(counts, text[: weights.max_chars], 1.0, weights, names_only=True)
    return frozenset(counts)


def figure_features(title: str | None, text: str | None) -> frozenset[int]:
    """Hashed features of the figures alone (whole numbers, in any digits) of the title and the
    text: the keys of ``term_counts`` that days, years and counts make."""
    found: set[int] = set()
    for part in (title, text):
        for raw in _words(" ".join(_WORD_WITH_DIGIT.findall(part or ""))):
            found.update(_bucket(piece) for piece in _pieces(raw) if piece.isdigit())
    return frozenset(found)


def quoted_shingles(text: str | None, size: int) -> frozenset[int]:
    """Hashed runs of ``size`` consecutive words inside quotation marks.

    Two articles that quote the same run of words almost always report the
    same story: outlets quote the same statement, and different events rarely
    share a long quoted phrase. Quotations are looked for paragraph by
    paragraph (a quotation left open ends with its paragraph). Words are
    transliterated and lower-cased, so punctuation, quote-mark styles and
    scripts do not matter."""
    if not text or size <= 0:
        return frozenset()
    found: set[int] = set()
    for start, end in paragraphs(text):
        if not _MAY_QUOTE.search(text, start, end):
            continue
        for quoted in find_quoted(text, start, end):
            words = _ASCII_WORD.findall(anyascii(text[quoted.start : quoted.end]).lower())
            for first in range(len(words) - size + 1):
                found.add(zlib.crc32(" ".join(words[first : first + size]).encode("ascii")))
    return frozenset(found)
