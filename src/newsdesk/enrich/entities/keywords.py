"""Keywords per article and per story.

``keywords`` is a compact re-implementation of YAKE (Campos et al., 2020): unsupervised,
one text at a time, using only that text's statistics (casing, position, frequency,
context diversity, spread over sentences) and the stop-word lists of the ``yake`` package.
It is about ten times faster than the ``yake`` package itself, which stays available as
``method="yake"`` for comparison. Scripts without spaces (Chinese, Japanese) get the most
frequent character n-grams instead.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsdesk.enrich.entities.stopwords import stopwords
from newsdesk.enrich.entities.text import base_language, fold, is_caseless

MAX_NGRAM = 3
MAX_CHARS = 20_000
_SENTENCES = re.compile(r"(?<=[.!?…。！？])\s+|\n+")
_TOKENS = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")


@dataclass(frozen=True)
class Keyword:
    """A key phrase and its relevance in (0, 1], higher is more relevant."""

    text: str
    score: float


class _Term:
    """One word's statistics: frequency, capitalised and acronym uses, the sentences it is in
    (in order, repeats kept), how many distinct ones, and its neighbours' counts."""

    __slots__ = ("acronym", "distinct", "left", "right", "sentences", "tf", "upper")

    def __init__(self) -> None:
        self.tf = 0
        self.upper = 0
        self.acronym = 0
        self.distinct = 0
        self.sentences: list[int] = []
        self.left: dict[str, int] = {}
        self.right: dict[str, int] = {}


def keywords(text: str, language: str | None, top: int = 10, *, method: str = "fast") -> list[Keyword]:
    """The ``top`` key phrases of ``text`` (up to three words), most relevant first."""
    text = (text or "")[:MAX_CHARS]
    if not text.strip() or top <= 0:
        return []
    if method == "yake":
        return _reference(text, language, top)
    if " " not in text.strip()[:200]:
        letters = [c for c in text[:2000] if c.isalpha()]
        if letters and sum(map(is_caseless, letters)) / len(letters) > 0.5:
            return _char_ngrams(text, top)
    return _fast(text, base_language(language), top)


def story_keywords(items: Sequence[tuple[str, str | None]], top: int = 10) -> list[Keyword]:
    """Key phrases of a story: each article's keywords, summed over its articles."""
    return combine_keywords([keywords(text, language, top * 2) for text, language in items], top)


def combine_keywords(lists: Sequence[Sequence[Any]], top: int = 10) -> list[Keyword]:
    """Keyword lists (objects with ``text`` and ``score``) summed per phrase, compared case- and
    accent-insensitively; the best gets score 1."""
    total: dict[str, float] = defaultdict(float)
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for found in lists:
        for keyword in found:
            key = fold(keyword.text)
            total[key] += keyword.score
            forms[key][keyword.text] += 1
    ranked = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    best = max(total.values(), default=1.0)
    return [Keyword(forms[k].most_common(1)[0][0], round(v / best, 4)) for k, v in ranked]


def _fast(text: str, language: str, top: int) -> list[Keyword]:
    stops = stopwords(language)
    terms: dict[str, _Term] = {}
    chunks: list[tuple[list[str], list[str]]] = []  # runs of words with no punctuation between them
    sentences = [s for s in _SENTENCES.split(text) if s.strip()]
    for n, sentence in enumerate(sentences):
        chunk: list[str] = []
        lower: list[str] = []
        previous: _Term | None = None
        for position, token in enumerate(_TOKENS.findall(sentence)):
            first = token[0]
            if not first.isalnum() and first != "_":
                if chunk:
                    chunks.append((chunk, lower))
                chunk, lower, previous = [], [], None
                continue
            low = token.lower()
            term = terms.get(low)
            if term is None:
                term = terms[low] = _Term()
            term.tf += 1
            if not term.sentences or term.sentences[-1] != n:
                term.distinct += 1
            term.sentences.append(n)
            if token.isupper() and len(token) > 1:
                term.acronym += 1
            elif first.isupper() and position > 0:
                term.upper += 1
            if previous is not None:
                before = lower[-1]
                term.left[before] = term.left.get(before, 0) + 1
                previous.right[low] = previous.right.get(low, 0) + 1
            chunk.append(token)
            lower.append(low)
            previous = term
        if chunk:
            chunks.append((chunk, lower))
    valid = [t.tf for w, t in terms.items() if w not in stops and not w.isdigit()]
    if not valid:
        return []
    mean, spread = statistics.fmean(valid), statistics.pstdev(valid)
    max_tf = max(valid)
    scores = {w: _h(t, mean, spread, max_tf, len(sentences)) for w, t in terms.items()}
    return _candidates(chunks, scores, stops, top)


def _h(term: _Term, mean: float, spread: float, max_tf: int, sentences: int) -> float:
    """YAKE's score of one word: lower is more important."""
    tf = term.tf
    case = max(term.upper, term.acronym) / (1.0 + math.log(tf))
    # The sentence numbers are in order: their median without sorting them again.
    seen = term.sentences
    middle = len(seen) // 2
    median = seen[middle] if len(seen) % 2 else (seen[middle - 1] + seen[middle]) / 2
    position = math.log(math.log(3.0 + median))
    frequency = tf / (mean + spread)
    left = len(term.left) / sum(term.left.values()) if term.left else 0.0
    right = len(term.right) / sum(term.right.values()) if term.right else 0.0
    relatedness = 1.0 + (left + right) * tf / max_tf
    different = term.distinct / max(sentences, 1)
    return (position * relatedness) / (case + frequency / relatedness + different / relatedness)


def _candidates(
    chunks: list[tuple[list[str], list[str]]], h: dict[str, float], stops: frozenset[str], top: int
) -> list[Keyword]:
    # Each candidate phrase (lower case) with the forms it is written in, one per occurrence.
    forms: dict[str, list[str]] = {}
    usable: dict[str, bool] = {}
    for chunk, lower in chunks:
        ok = []
        for word in lower:
            good = usable.get(word)
            if good is None:
                good = usable[word] = _usable(word, stops)
            ok.append(good)
        size = len(chunk)
        for i in range(size):
            if not ok[i]:
                continue
            for n in range(1, min(MAX_NGRAM, size - i) + 1):
                if not ok[i + n - 1]:
                    continue
                key = " ".join(lower[i : i + n])
                form = " ".join(chunk[i : i + n])
                found = forms.get(key)
                if found is None:
                    forms[key] = [form]
                else:
                    found.append(form)
    scored = []
    for key, written in forms.items():
        product, total = 1.0, 0.0
        for word in key.split(" "):
            if word in stops:
                continue
            product *= h[word]
            total += h[word]
        scored.append((product / (len(written) * (1.0 + total)), key))
    scored.sort()
    chosen: list[tuple[float, set[str], str]] = []
    for score, key in scored:
        words = set(key.split(" "))
        if any(len(words & other) / len(words | other) >= 0.5 for _, other, _ in chosen):
            continue
        chosen.append((score, words, Counter(forms[key]).most_common(1)[0][0]))
        if len(chosen) == top:
            break
    return [Keyword(form, round(1.0 / (1.0 + score), 4)) for score, _, form in chosen]


def _usable(word: str, stops: frozenset[str]) -> bool:
    return len(word) > 1 and word not in stops and not word.replace(".", "").replace(",", "").isdigit()


def _char_ngrams(text: str, top: int) -> list[Keyword]:
    """The most frequent 2–4 character sequences of text written without spaces."""
    counts: Counter[str] = Counter()
    for run in re.findall(r"[^\W\d_]+", text):
        for n in (2, 3, 4):
            for i in range(len(run) - n + 1):
                counts[run[i : i + n]] += 1
    ranked = sorted(
        ((c * len(g), g) for g, c in counts.items() if c > 1 and all(map(is_caseless, g))), reverse=True
    )
    chosen: list[str] = []
    for _, gram in ranked:
        if any(gram in other or other in gram for other in chosen):
            continue
        chosen.append(gram)
        if len(chosen) == top:
            break
    best = ranked[0][0] if ranked else 1
    weight = {g: s for s, g in ranked}
    return [Keyword(g, round(weight[g] / best, 4)) for g in chosen]


def _reference(text: str, language: str | None, top: int) -> list[Keyword]:
    """The ``yake`` package's own extractor, for comparison."""
    import yake

    code = base_language(language) or "en"
    if not stopwords(code):
        code = "en"
    extractor = yake.KeywordExtractor(lan=code, n=MAX_NGRAM, top=top)
    return [Keyword(k, round(1.0 / (1.0 + float(s)), 4)) for k, s in extractor.extract_keywords(text)]
