"""Online story clustering: each incoming article joins a recent story or starts one.

The similarity of an article to a story combines

* the cosine between the article's multilingual embedding and the story
  centroid (carries meaning across languages), and
* the cosine between the article's TF-IDF vector and the story's summed
  TF-IDF vector, with document frequencies accumulated online (carries the
  names, places and figures that separate two stories of the same kind), and
* the same cosine over the headline and the start of the lead only, without
  the weight on names, against the story's lede sum in the article's language
  (carries what happened: *sworn in*, *reopens*, *declares an emergency*,
  which separates two stories with the same cast).

``score = cosine + lexical_weight * lexical + lede_weight * lede``; the article joins the story with
the largest margin ``score - threshold + size_discount / members`` when that
margin is not negative (small stories get a slightly lower bar, since a
centroid of few articles is noisier). When the story has no lede in the
article's language, the lede term is left out and ``plain_threshold`` is the
bar. When the story quotes the same ``quote_words`` words in a row as the
article, ``quote_threshold`` is the bar (outlets quote the same statement).
When the article or the story has no usable embedding (none given, or a language the embedding model does not
cover), the lexical cosine alone is compared with ``lexical_threshold``. When
the story has no article in the article's language, few shared words can be
expected, so the embedding cosine alone compared with ``semantic_threshold``
may carry the article in as well (this is the cross-lingual path: a
translation joins its original).

A story that already holds an article from the article's outlet takes it only
if the article also passes the threshold against that outlet's own articles in
the story: an outlet rarely reports one event twice in different words, and a
second article of the same outlet on the same people is often the next event.

Candidates are the stories with a member within ``window_days`` of the
article's time (every story when the article or the story has no time, or when
the window is disabled). Ties go to the oldest story, so the result depends
only on the input order. Stories whose newest member is more than two windows
older than the newest article seen are dropped.
"""

from __future__ import annotations

import io
import json
import math
import zlib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import numpy as np

from newsdesk.stories.text import BUCKETS, FeatureWeights, quoted_shingles, term_counts

DIMENSIONS = 512
STATE_VERSION = 3
_MAGIC = b"NDCS"  # versions 1 and 2: the whole state in one zlib payload (still read)
_HEADER_MAGIC = b"NDCH"  # version 3: the header; each story is a record of its own
_BUNDLE_MAGIC = b"NDC3"  # version 3 in one piece: the header, then every story's record
# Languages the multilingual Universal Sentence Encoder was trained on. For any
# other language its vectors carry little meaning (all Czech or Hindi articles
# look alike to it), so those articles are matched on lexical features only.
EMBEDDING_LANGUAGES = frozenset(
    {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)

# The headline and the first characters of the lead, every word alike.
LEDE_FEATURES = FeatureWeights(
    capital_boost=1.0, number_boost=1.0, title_boost=1.0, max_chars=250, tail_names=0.0
)

FeatureFunction = Callable[[str | None, str | None, FeatureWeights], dict[int, float]]


@dataclass(frozen=True)
class Tuning:
    """Constants of the similarity.

    The defaults were chosen on ECB+ train only by
    ``python -m newsdesk.evaluation.calibrate`` (see docs/evaluation-clustering.md).
    """

    threshold: float = 2.05
    lexical_weight: float = 4.0
    lede_weight: float = 1.0
    # The bar when the story has no article in the article's language: lede
    # words cannot match across languages, so the lede term is left out.
    plain_threshold: float = 1.80
    # A story quoting the same words as the article (``quote_words`` in a row)
    # takes it at this lower bar; ``None`` switches the quote path off.
    quote_threshold: float | None = 1.1
    quote_words: int = 7
    size_discount: float = 0.0
    semantic_threshold: float = 0.675
    lexical_threshold: float = 0.275
    semantic_floor: float = 0.30
    max_candidates: int = 16
    doc_terms: int = 80
    story_terms: int = 400
    features: FeatureWeights = field(default_factory=lambda: FeatureWeights())
    lede_features: FeatureWeights = field(default_factory=lambda: LEDE_FEATURES)

    def to_dict(self) -> dict:
        """Plain-data form (stored with the state)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Tuning:
        """Inverse of :meth:`to_dict`."""
        values = dict(data)
        values["features"] = FeatureWeights(**values.get("features", {}))
        if "lede_features" in values:
            values["lede_features"] = FeatureWeights(**values["lede_features"])
        return cls(**values)


DEFAULT_TUNING = Tuning()


@dataclass
class ClusterDoc:
    """One article as the clusterer sees it."""

    key: int | str
    title: str
    text: str
    language: str | None
    when: datetime | None
    outlet: str | None
    embedding: np.ndarray | None


@dataclass
class Assignment:
    """Where an article went."""

    key: int | str
    story_id: int
    similarity: float
    new_story: bool


def _base_language(language: str | None) -> str | None:
    if not language:
        return None
    return language.strip().lower().replace("_", "-").split("-")[0] or None


def embedding_applies(language: str | None) -> bool:
    """Whether the multilingual embedding is meaningful for this language (unknown: yes)."""
    base = _base_language(language)
    return base is None or base in EMBEDDING_LANGUAGES


def _timestamp(when: datetime | None) -> float:
    if when is None:
        return math.nan
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


class _TermSum:
    """A sum of unit term vectors, trimmed to its strongest terms."""

    __slots__ = ("weights", "norm2")

    def __init__(self, weights: dict[int, float] | None = None) -> None:
        self.weights: dict[int, float] = dict(weights or {})
        self.norm2 = math.fsum(w * w for w in self.weights.values())

    def copy(self) -> _TermSum:
        return _TermSum(self.weights)

    def add(self, vector: dict[int, float], limit: int) -> tuple[list[int], list[int]]:
        """Add a vector; return the keys that appeared and the keys trimmed away."""
        weights, added, dropped = self.weights, [], []
        for key, weight in vector.items():
            if key in weights:
                weights[key] += weight
            else:
                weights[key] = weight
                added.append(key)
        if len(weights) > limit:
            ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
            dropped = [key for key, _ in ranked[limit:]]
            self.weights = weights = dict(ranked[:limit])
        self.norm2 = math.fsum(w * w for w in weights.values())
        return added, dropped

    def cosine(self, vector: dict[int, float]) -> float:
        """Cosine with a unit vector."""
        if self.norm2 <= 0.0:
            return 0.0
        weights = self.weights
        dot = 0.0
        for key, weight in vector.items():
            value = weights.get(key)
            if value is not None:
                dot += weight * value
        return dot / math.sqrt(self.norm2)

    def to_json(self) -> list[list]:
        return [list(self.weights.keys()), list(self.weights.values())]

    @classmethod
    def from_json(cls, data: list[list]) -> _TermSum:
        keys, values = data
        return cls(dict(zip(keys, values, strict=True)))


def _merged(sums: Iterable[_TermSum], limit: int) -> _TermSum:
    """One sum of several (the lede sums of a story's languages)."""
    merged = _TermSum()
    for item in sums:
        merged.add(item.weights, limit)
    return merged


@dataclass
class _Vectors:
    """What an article brings to a story (and a story or outlet part sums)."""

    embedding: np.ndarray | None
    terms: dict[int, float]
    lede: dict[int, float]
    quotes: frozenset[int] = frozenset()


@dataclass
class _OutletPart:
    """The sums over one outlet's articles in one story."""

    embedding: np.ndarray | None
    terms: _TermSum
    lede: _TermSum


class OnlineClusterer:
    """Single-pass clustering of articles into stories, in arrival order."""

    _LEXICAL_PROBE_TERMS = 20
    _LEXICAL_PROBE_POSTINGS = 1000

    def __init__(
        self,
        window_days: float | None = 3.0,
        threshold: float | None = None,
        tuning: Tuning | None = None,
        features: FeatureFunction | None = None,
    ) -> None:
        self.tuning = tuning or DEFAULT_TUNING
        self.window_days = window_days
        self.threshold = self.tuning.threshold if threshold is None else float(threshold)
        self._explicit_threshold = threshold is not None
        self._features = features or term_counts
        self._next_id = 1
        # Document frequencies per language ("" = unknown): a minority
        # language's function words must not look rare next to English.
        self._docs_seen: dict[str, int] = {}
        self._df: dict[str, np.ndarray] = {}
        self._newest = math.nan
        self._last_prune = math.nan
        # One row per live story, ordered by story id.
        self._size = 0
        self._sums = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._centroids = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._first = np.zeros(0, dtype=np.float64)
        self._last = np.zeros(0, dtype=np.float64)
        self._members = np.zeros(0, dtype=np.int64)
        self._embedded = np.zeros(0, dtype=np.int64)
        self._ids: list[int] = []
        self._lex: list[_TermSum] = []
        # Lede sums per language ("" = unknown): lede words only meet their own language.
        self._lede: list[dict[str, _TermSum]] = []
        # Hashed quoted phrases of each story's articles (quote path).
        self._quotes: list[set[int]] = []
        self._languages: list[list[str]] = []
        # Outlets of each story ("" = unknown). While a story has one outlet its
        # own sums are that outlet's; per-outlet parts exist from the second on.
        self._outlets: list[list[str]] = []
        self._parts: list[dict[str, _OutletPart]] = []
        # Inverted index of the story term vectors: feature -> story ids.
        self._postings: dict[int, set[int]] = {}
        self._slot_of: dict[int, int] = {}
        # Stories changed and stories dropped since the last ``take_changes``.
        self._dirty: set[int] = set()
        self._removed: set[int] = set()

    # ----------------------------------------------------------------- public

    @property
    def live_stories(self) -> int:
        """How many stories are currently kept as candidates."""
        return self._size

    @property
    def next_story_id(self) -> int:
        """The id the next new story will get."""
        return self._next_id

    def add(self, doc: ClusterDoc) -> Assignment:
        """Assign one article to a story (existing or new) and update the state."""
        moment = _timestamp(doc.when)
        language = _base_language(doc.language)
        terms, lede = self._term_vectors(doc, language)
        embedding = None
        if doc.embedding is not None and embedding_applies(doc.language):
            embedding = np.asarray(doc.embedding, dtype=np.float32).reshape(-1)
            if embedding.shape[0] != DIMENSIONS or not np.all(np.isfinite(embedding)):
                embedding = None
        quotes = frozenset()
        if self.tuning.quote_threshold is not None:
            quotes = quoted_shingles(doc.text, self.tuning.quote_words)
        vectors = _Vectors(embedding, terms, lede, quotes)
        outlet = (doc.outlet or "").strip().lower()
        slot, score = self._best(vectors, moment, language, outlet)
        new_story = slot < 0
        if new_story:
            slot, score = self._new_story(moment), 0.0
        self._join(slot, vectors, moment, language, outlet)
        story_id = self._ids[slot]
        self._dirty.add(story_id)
        self._after(moment)
        return Assignment(key=doc.key, story_id=story_id, similarity=float(score), new_story=new_story)

    def add_many(self, docs: Iterable[ClusterDoc]) -> list[Assignment]:
        """Assign articles one after another, in the given order."""
        return [self.add(doc) for doc in docs]

    # -------------------------------------------------------------- features

    def _term_vectors(
        self, doc: ClusterDoc, language: str | None
    ) -> tuple[dict[int, float], dict[int, float]]:
        """The article's TF-IDF vector and its lede vector (document frequencies updated)."""
        counts = self._features(doc.title, doc.text, self.tuning.features)
        lang = language or ""
        seen = self._docs_seen[lang] = self._docs_seen.get(lang, 0) + 1
        if not counts:
            return {}, {}
        table = self._df.get(lang)
        if table is None:
            table = self._df[lang] = np.zeros(BUCKETS, dtype=np.int32)
        keys = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        table[keys] += 1
        terms = self._weighted(counts, table, seen)
        if self.tuning.lede_weight <= 0.0:
            return terms, {}
        return terms, self._weighted(
            self._features(doc.title, doc.text, self.tuning.lede_features), table, seen
        )

    def _weighted(self, counts: dict[int, float], table: np.ndarray, seen: int) -> dict[int, float]:
        """Unit TF-IDF vector of the strongest ``doc_terms`` features, strongest first."""
        if not counts:
            return {}
        keys = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        df = np.maximum(table[keys], 1).astype(np.float64)
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        weights = tf * (np.log((1.0 + seen) / (1.0 + df)) + 1.0)
        # Strongest terms first (the inverted-index probe reads the head).
        order = np.lexsort((keys, -weights))[: self.tuning.doc_terms]
        keys, weights = keys[order], weights[order]
        norm = float(np.sqrt(np.dot(weights, weights)))
        if norm == 0.0:
            return {}
        weights = weights / norm
        return dict(zip(keys.tolist(), weights.tolist(), strict=True))

    # ------------------------------------------------------------- matching

    def _candidates(self, moment: float) -> np.ndarray:
        n = self._size
        if self.window_days is None or math.isnan(moment):
            return np.ones(n, dtype=bool)
        window = self.window_days * 86400.0
        first, last = self._first[:n], self._last[:n]
        with np.errstate(invalid="ignore"):
            inside = (last >= moment - window) & (first <= moment + window)
        return np.isnan(last) | inside

    def _lexical_probe(self, vector: dict[int, float], allowed: np.ndarray) -> list[int]:
        """Slots of the stories sharing the article's strongest terms, best first."""
        partial: dict[int, float] = {}
        for key in list(vector)[: self._LEXICAL_PROBE_TERMS]:
            ids = self._postings.get(key)
            if not ids or len(ids) > self._LEXICAL_PROBE_POSTINGS:
                continue
            weight = vector[key]
            for story_id in ids:
                slot = self._slot_of[story_id]
                if allowed[slot]:
                    partial[slot] = partial.get(slot, 0.0) + weight * self._lex[slot].weights[key]
        ranked = sorted(partial.items(), key=lambda item: (-item[1], item[0]))
        return [slot for slot, _ in ranked[: self.tuning.max_candidates]]

    def _scored(
        self, cosine: float, terms: _TermSum, lede: _TermSum | None, vectors: _Vectors
    ) -> tuple[float, float]:
        """The score and the bar it must reach (the plain bar when there is no lede to compare)."""
        t = self.tuning
        score = cosine + t.lexical_weight * terms.cosine(vectors.terms)
        if t.lede_weight <= 0.0:
            return score, self.threshold
        if lede is None or lede.norm2 <= 0.0:
            return score, t.plain_threshold
        return score + t.lede_weight * lede.cosine(vectors.lede), self.threshold

    def _fits_outlet(self, slot: int, outlet: str, vectors: _Vectors, crosslingual: bool) -> bool:
        """Whether the article also passes against its own outlet's articles in the story."""
        part = self._parts[slot].get(outlet) if outlet else None
        if part is None:
            return True
        t = self.tuning
        if vectors.embedding is None or part.embedding is None:
            return part.terms.cosine(vectors.terms) >= t.lexical_threshold
        cosine = float(_unit(part.embedding) @ vectors.embedding)
        if crosslingual and cosine >= t.semantic_threshold:
            return True
        score, bar = self._scored(cosine, part.terms, part.lede, vectors)
        return score >= bar

    def _best(self, vectors: _Vectors, moment: float, language: str | None, outlet: str) -> tuple[int, float]:
        n = self._size
        if n == 0:
            return -1, 0.0
        t = self.tuning
        embedding = vectors.embedding
        mask = self._candidates(moment)
        embedded = self._embedded[:n] > 0
        best_slot, best_margin, best_score = -1, -math.inf, 0.0
        if embedding is not None:
            semantic = mask & embedded
            cosines = self._centroids[:n] @ embedding
            lowest = min(self.threshold, t.plain_threshold) - t.size_discount
            if t.quote_threshold is not None and vectors.quotes:
                lowest = min(lowest, t.quote_threshold)
            floor = max(
                t.semantic_floor,
                min(t.semantic_threshold, lowest - t.lexical_weight - max(t.lede_weight, 0.0)),
            )
            reachable = np.flatnonzero(semantic & (cosines >= floor))
            if len(reachable) > t.max_candidates:
                order = np.lexsort((reachable, -cosines[reachable]))[: t.max_candidates]
                reachable = np.sort(reachable[order])
            for slot in reachable.tolist():
                lede = self._lede[slot].get(language or "")
                score, bar = self._scored(float(cosines[slot]), self._lex[slot], lede, vectors)
                margin = score - bar + t.size_discount / float(self._members[slot])
                crosslingual = bool(
                    language and self._languages[slot] and language not in self._languages[slot]
                )
                if (
                    vectors.quotes
                    and t.quote_threshold is not None
                    and not vectors.quotes.isdisjoint(self._quotes[slot])
                ):
                    margin = max(margin, score - t.quote_threshold)
                if crosslingual:
                    # No shared language: few shared words to expect (names and figures at
                    # most), so meaning alone may also carry the article in.
                    semantic = float(cosines[slot])
                    if semantic - t.semantic_threshold > margin:
                        score, margin = semantic, semantic - t.semantic_threshold
                if (
                    margin >= 0.0
                    and margin > best_margin
                    and self._fits_outlet(slot, outlet, vectors, crosslingual)
                ):
                    best_slot, best_margin, best_score = slot, margin, score
            lexical_only = mask & ~embedded
        else:
            lexical_only = mask
        if vectors.terms and lexical_only.any():
            for slot in sorted(self._lexical_probe(vectors.terms, lexical_only)):
                score = self._lex[slot].cosine(vectors.terms)
                margin = score - t.lexical_threshold
                if (
                    margin >= 0.0
                    and margin > best_margin
                    and self._fits_outlet(slot, outlet, _Vectors(None, vectors.terms, {}), False)
                ):
                    best_slot, best_margin, best_score = slot, margin, score
        return best_slot, best_score

    # -------------------------------------------------------------- updates

    def _resize(self, capacity: int) -> None:
        size = self._size

        def grown(old: np.ndarray, fill: float) -> np.ndarray:
            new = np.full((capacity, *old.shape[1:]), fill, dtype=old.dtype)
            new[:size] = old[:size]
            return new

        self._sums = grown(self._sums, 0.0)
        self._centroids = grown(self._centroids, 0.0)
        self._first = grown(self._first, math.nan)
        self._last = grown(self._last, math.nan)
        self._members = grown(self._members, 0)
        self._embedded = grown(self._embedded, 0)

    def _new_story(self, moment: float) -> int:
        if self._size >= self._sums.shape[0]:
            self._resize(max(64, 2 * self._sums.shape[0]))
        slot = self._size
        self._size += 1
        self._sums[slot] = 0.0
        self._centroids[slot] = 0.0
        self._first[slot] = moment
        self._last[slot] = moment
        self._members[slot] = 0
        self._embedded[slot] = 0
        self._ids.append(self._next_id)
        self._slot_of[self._next_id] = slot
        self._next_id += 1
        self._lex.append(_TermSum())
        self._lede.append({})
        self._quotes.append(set())
        self._languages.append([])
        self._outlets.append([])
        self._parts.append({})
        return slot

    def _join(self, slot: int, vectors: _Vectors, moment: float, language: str | None, outlet: str) -> None:
        self._members[slot] += 1
        if language and language not in self._languages[slot]:
            self._languages[slot].append(language)
        self._add_outlet(slot, outlet, vectors)
        if vectors.embedding is not None:
            self._sums[slot] += vectors.embedding
            self._embedded[slot] += 1
            self._centroids[slot] = _unit(self._sums[slot])
        if not math.isnan(moment):
            first, last = self._first[slot], self._last[slot]
            self._first[slot] = moment if math.isnan(first) else min(first, moment)
            self._last[slot] = moment if math.isnan(last) else max(last, moment)
        story_id = self._ids[slot]
        added, dropped = self._lex[slot].add(vectors.terms, self.tuning.story_terms)
        for key in added:
            self._postings.setdefault(key, set()).add(story_id)
        for key in dropped:
            self._unpost(key, story_id)
        if vectors.lede:
            self._lede[slot].setdefault(language or "", _TermSum()).add(vectors.lede, self.tuning.story_terms)
        self._quotes[slot].update(vectors.quotes)

    def _add_outlet(self, slot: int, outlet: str, vectors: _Vectors) -> None:
        """Keep the per-outlet sums (before the story's own sums take the article)."""
        outlets, parts = self._outlets[slot], self._parts[slot]
        if outlet not in outlets:
            if len(outlets) == 1:
                # A second outlet: the story so far is all the first outlet's.
                embedded = self._embedded[slot] > 0
                parts[outlets[0]] = _OutletPart(
                    self._sums[slot].copy() if embedded else None,
                    self._lex[slot].copy(),
                    _merged(self._lede[slot].values(), self.tuning.story_terms),
                )
            outlets.append(outlet)
            if len(outlets) == 1:
                return
            parts[outlet] = _OutletPart(None, _TermSum(), _TermSum())
        elif len(outlets) == 1:
            return
        part = parts[outlet]
        if vectors.embedding is not None:
            part.embedding = (
                vectors.embedding.copy() if part.embedding is None else part.embedding + vectors.embedding
            )
        part.terms.add(vectors.terms, self.tuning.story_terms)
        part.lede.add(vectors.lede, self.tuning.story_terms)

    def _unpost(self, key: int, story_id: int) -> None:
        ids = self._postings.get(key)
        if ids is not None:
            ids.discard(story_id)
            if not ids:
                del self._postings[key]

    def _after(self, moment: float) -> None:
        if math.isnan(moment):
            return
        if math.isnan(self._newest) or moment > self._newest:
            self._newest = moment
        if self.window_days is None:
            return
        window = self.window_days * 86400.0
        if not math.isnan(self._last_prune) and self._newest - self._last_prune < window / 4:
            return
        self._last_prune = self._newest
        self._prune(self._newest - 2 * window)

    def _prune(self, horizon: float) -> None:
        n = self._size
        last = self._last[:n]
        with np.errstate(invalid="ignore"):
            keep = np.isnan(last) | (last >= horizon)
        if keep.all():
            return
        for slot in np.flatnonzero(~keep).tolist():
            for key in self._lex[slot].weights:
                self._unpost(key, self._ids[slot])
            self._dirty.discard(self._ids[slot])
            self._removed.add(self._ids[slot])
        rows = np.flatnonzero(keep)
        kept = len(rows)
        for array in (self._sums, self._centroids, self._first, self._last, self._members, self._embedded):
            array[:kept] = array[rows]
        picked = rows.tolist()
        self._ids = [self._ids[i] for i in picked]
        self._lex = [self._lex[i] for i in picked]
        self._lede = [self._lede[i] for i in picked]
        self._quotes = [self._quotes[i] for i in picked]
        self._languages = [self._languages[i] for i in picked]
        self._outlets = [self._outlets[i] for i in picked]
        self._parts = [self._parts[i] for i in picked]
        self._slot_of = {story_id: slot for slot, story_id in enumerate(self._ids)}
        self._size = kept

    # ---------------------------------------------------------------- state
    #
    # The state is saved in pieces: a header (the settings, the id counter and the
    # document frequencies) and one record per live story. A batch then writes the
    # header and the stories it touched (``take_changes``), not every live story.

    def take_changes(self) -> StateChanges:
        """The header, the stories changed and the stories dropped since the last call."""
        changes = StateChanges(
            header=self.dump_header(),
            stories={story_id: self.dump_story(story_id) for story_id in sorted(self._dirty)},
            removed=sorted(self._removed),
        )
        self._dirty.clear()
        self._removed.clear()
        return changes

    def dump_header(self) -> bytes:
        """The state that is not one story's: settings, id counter, document frequencies."""
        header = {
            "version": STATE_VERSION,
            "window_days": self.window_days,
            "threshold": self.threshold if self._explicit_threshold else None,
            "tuning": self.tuning.to_dict(),
            "next_id": self._next_id,
            "docs_seen": self._docs_seen,
            "newest": _finite_or_none(self._newest),
            "last_prune": _finite_or_none(self._last_prune),
            "df_languages": list(self._df),
        }
        buffer = io.BytesIO()
        np.savez(buffer, **self._df_arrays())
        return _HEADER_MAGIC + zlib.compress(_framed(header, buffer.getvalue(), 8), 6)

    def dump_story(self, story_id: int) -> bytes:
        """One live story's record: its sums, term sums, quoted phrases, languages and outlets."""
        slot = self._slot_of[story_id]
        vectors = [self._sums[slot]]
        parts = []
        for outlet, part in self._parts[slot].items():
            row = -1
            if part.embedding is not None:
                row = len(vectors) - 1
                vectors.append(part.embedding)
            parts.append([outlet, row, part.terms.to_json(), part.lede.to_json()])
        record = {
            "id": story_id,
            "first": _finite_or_none(self._first[slot]),
            "last": _finite_or_none(self._last[slot]),
            "members": int(self._members[slot]),
            "embedded": int(self._embedded[slot]),
            "lex": self._lex[slot].to_json(),
            "lede": {lang: lede.to_json() for lang, lede in self._lede[slot].items()},
            "quotes": sorted(self._quotes[slot]),
            "languages": self._languages[slot],
            "outlets": self._outlets[slot],
            "parts": parts,
        }
        arrays = np.vstack(vectors).astype(np.float32).tobytes()
        return zlib.compress(_framed(record, arrays, 4), 6)

    def dump_state(self) -> bytes:
        """The whole live state in one piece: the header, then every story's record."""
        pieces = [self.dump_header()] + [self.dump_story(story_id) for story_id in self._ids]
        return _BUNDLE_MAGIC + b"".join(len(piece).to_bytes(8, "big") + piece for piece in pieces)

    def _df_arrays(self) -> dict[str, np.ndarray]:
        arrays = {}
        for index, table in enumerate(self._df.values()):
            keys = np.flatnonzero(table).astype(np.uint32)
            arrays[f"df_keys_{index}"] = keys
            arrays[f"df_counts_{index}"] = table[keys]
        return arrays

    @classmethod
    def load_parts(
        cls,
        header: bytes,
        stories: Iterable[bytes],
        window_days: float | None | str = "stored",
        threshold: float | None | str = "stored",
        features: FeatureFunction | None = None,
    ) -> OnlineClusterer:
        """Rebuild a clusterer from :meth:`dump_header` and :meth:`dump_story` records.

        ``window_days`` and ``threshold`` default to the stored values; pass them to
        override (``threshold=None`` means the calibrated default). A one-piece state
        (:meth:`dump_state`, or an earlier version's) in place of the header is read with
        :meth:`load_state`: a store written by an earlier version opens the same way."""
        if header.startswith((_MAGIC, _BUNDLE_MAGIC)):
            return cls.load_state(header, window_days, threshold, features)
        if not header.startswith(_HEADER_MAGIC):
            raise ValueError("not a newsdesk clustering state header")
        meta, rest = _unframed(zlib.decompress(header[len(_HEADER_MAGIC) :]), 8)
        if meta.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported clustering state version {meta.get('version')!r}")
        self = cls._with_globals(
            meta, np.load(io.BytesIO(rest), allow_pickle=False), window_days, threshold, features
        )
        records = [_unframed(zlib.decompress(blob), 4) for blob in stories]
        records.sort(key=lambda item: item[0]["id"])
        self._resize(max(64, len(records)))
        for record, arrays in records:
            self._restore_story(record, np.frombuffer(arrays, dtype=np.float32).reshape(-1, DIMENSIONS))
        self._index_terms()
        return self

    @classmethod
    def load_state(
        cls,
        data: bytes,
        window_days: float | None | str = "stored",
        threshold: float | None | str = "stored",
        features: FeatureFunction | None = None,
    ) -> OnlineClusterer:
        """Rebuild a clusterer from :meth:`dump_state` output, or from the one-piece state
        of earlier versions (1 and 2: a version 1 state has no lede or outlet sums; it is
        taken up with the current constants and its stories start those sums empty).

        Every story of a state loaded this way counts as changed for :meth:`take_changes`."""
        if data.startswith(_BUNDLE_MAGIC):
            pieces, pos = [], len(_BUNDLE_MAGIC)
            while pos < len(data):
                size = int.from_bytes(data[pos : pos + 8], "big")
                pieces.append(data[pos + 8 : pos + 8 + size])
                pos += 8 + size
            if not pieces:
                raise ValueError("an empty newsdesk clustering state")
            self = cls.load_parts(pieces[0], pieces[1:], window_days, threshold, features)
        elif data.startswith(_MAGIC):
            self = cls._load_one_piece(data, window_days, threshold, features)
        else:
            raise ValueError("not a newsdesk clustering state")
        self._dirty.update(self._ids)
        return self

    @classmethod
    def _with_globals(
        cls,
        meta: dict,
        arrays: np.lib.npyio.NpzFile,
        window_days: float | None | str,
        threshold: float | None | str,
        features: FeatureFunction | None,
    ) -> OnlineClusterer:
        """A clusterer with no story yet, and the stored settings, counter and frequencies."""
        self = cls(
            window_days=meta["window_days"] if window_days == "stored" else window_days,
            threshold=meta["threshold"] if threshold == "stored" else threshold,
            tuning=Tuning.from_dict(meta["tuning"]) if meta["version"] >= 2 else None,
            features=features,
        )
        self._next_id = int(meta["next_id"])
        self._docs_seen = {str(k): int(v) for k, v in meta["docs_seen"].items()}
        self._newest = math.nan if meta["newest"] is None else float(meta["newest"])
        self._last_prune = math.nan if meta["last_prune"] is None else float(meta["last_prune"])
        for index, lang in enumerate(meta["df_languages"]):
            table = np.zeros(BUCKETS, dtype=np.int32)
            table[arrays[f"df_keys_{index}"]] = arrays[f"df_counts_{index}"]
            self._df[lang] = table
        return self

    def _restore_story(self, record: dict, vectors: np.ndarray) -> None:
        """Append one story from its record (stories come in id order)."""
        slot = self._size
        self._size += 1
        story_id = int(record["id"])
        self._sums[slot] = vectors[0]
        self._centroids[slot] = _unit(vectors[0])
        self._first[slot] = math.nan if record["first"] is None else record["first"]
        self._last[slot] = math.nan if record["last"] is None else record["last"]
        self._members[slot] = record["members"]
        self._embedded[slot] = record["embedded"]
        self._ids.append(story_id)
        self._slot_of[story_id] = slot
        self._lex.append(_TermSum.from_json(record["lex"]))
        self._lede.append({lang: _TermSum.from_json(item) for lang, item in record["lede"].items()})
        self._quotes.append(set(record["quotes"]))
        self._languages.append(list(record["languages"]))
        self._outlets.append(list(record["outlets"]))
        self._parts.append(_outlet_parts(record["parts"], vectors[1:]))

    def _index_terms(self) -> None:
        for story_id, story in zip(self._ids, self._lex, strict=True):
            for key in story.weights:
                self._postings.setdefault(key, set()).add(story_id)

    @classmethod
    def _load_one_piece(
        cls,
        data: bytes,
        window_days: float | None | str,
        threshold: float | None | str,
        features: FeatureFunction | None,
    ) -> OnlineClusterer:
        """A state of version 1 or 2: one JSON header with every story, one set of arrays."""
        header, rest = _unframed(zlib.decompress(data[len(_MAGIC) :]), 8)
        version = header.get("version")
        if version not in (1, 2):
            raise ValueError(f"unsupported clustering state version {version!r}")
        arrays = np.load(io.BytesIO(rest), allow_pickle=False)
        self = cls._with_globals(header, arrays, window_days, threshold, features)
        sums = np.asarray(arrays["sums"], dtype=np.float32)
        n = sums.shape[0]
        self._resize(max(64, n))
        self._size = n
        self._sums[:n] = sums
        for slot in range(n):
            self._centroids[slot] = _unit(self._sums[slot])
        self._first[:n] = arrays["first"]
        self._last[:n] = arrays["last"]
        self._members[:n] = arrays["members"]
        self._embedded[:n] = arrays["embedded"]
        self._ids = [int(i) for i in header["ids"]]
        self._slot_of = {story_id: slot for slot, story_id in enumerate(self._ids)}
        self._lex = [_TermSum.from_json(item) for item in header["lex"]]
        self._languages = [list(langs) for langs in header["languages"]]
        if version == 2:
            self._lede = [
                {lang: _TermSum.from_json(item) for lang, item in ledes.items()} for ledes in header["lede"]
            ]
            self._quotes = [set(quotes) for quotes in header["quotes"]]
            self._outlets = [list(outlets) for outlets in header["outlets"]]
            part_sums = np.asarray(arrays["part_sums"], dtype=np.float32)
            self._parts = [_outlet_parts(rows, part_sums) for rows in header["parts"]]
        else:
            # Outlets unknown: the check starts with the next outlet each story takes.
            self._lede = [{} for _ in range(n)]
            self._quotes = [set() for _ in range(n)]
            self._outlets = [[] for _ in range(n)]
            self._parts = [{} for _ in range(n)]
        self._index_terms()
        return self


@dataclass
class StateChanges:
    """What a batch changed in the clustering state: the header (always), the records of the
    stories it created or extended (by story id) and the ids of the stories it dropped."""

    header: bytes
    stories: dict[int, bytes]
    removed: list[int]


def _outlet_parts(rows: list[list], sums: np.ndarray) -> dict[str, _OutletPart]:
    """A story's per-outlet parts from their saved rows ``[outlet, row of sums or -1, terms, lede]``."""
    return {
        outlet: _OutletPart(
            sums[row].copy() if row >= 0 else None, _TermSum.from_json(terms), _TermSum.from_json(lede)
        )
        for outlet, row, terms, lede in rows
    }


def _finite_or_none(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _framed(meta: dict, rest: bytes, width: int) -> bytes:
    """JSON ``meta`` (its length in ``width`` bytes first), then ``rest``."""
    head = json.dumps(meta, separators=(",", ":")).encode("utf-8")
    return len(head).to_bytes(width, "big") + head + rest


def _unframed(payload: bytes, width: int) -> tuple[dict, bytes]:
    size = int.from_bytes(payload[:width], "big")
    return json.loads(payload[width : width + size].decode("utf-8")), payload[width + size :]


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else np.zeros_like(vector)
