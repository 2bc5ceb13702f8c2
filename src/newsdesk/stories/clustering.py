"""Online story clustering: each incoming article joins a recent story or starts one.

The similarity of an article to a story combines

* the cosine between the article's multilingual embedding and the story
  centroid (carries meaning across languages), and
* the cosine between the article's TF-IDF vector and the story's summed
  TF-IDF vector, with document frequencies accumulated online (carries the
  names, places and figures that separate two stories of the same kind).

``score = cosine + lexical_weight * lexical``; the article joins the story with
the largest margin ``score - threshold + size_discount / members`` when that
margin is not negative (small stories get a slightly lower bar, since a
centroid of few articles is noisier). When the article or the story has no
usable embedding (none given, or a language the embedding model does not
cover), the lexical cosine alone is compared with ``lexical_threshold``. When
the story has no article in the article's language, few shared words can be
expected, so the embedding cosine alone compared with ``semantic_threshold``
may carry the article in as well (this is the cross-lingual path: a
translation joins its original).

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

from newsdesk.stories.text import BUCKETS, FeatureWeights, term_counts

DIMENSIONS = 512
STATE_VERSION = 1
_MAGIC = b"NDCS"
# Languages the multilingual Universal Sentence Encoder was trained on. For any
# other language its vectors carry little meaning (all Czech or Hindi articles
# look alike to it), so those articles are matched on lexical features only.
EMBEDDING_LANGUAGES = frozenset(
    {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)

FeatureFunction = Callable[[str | None, str | None, FeatureWeights], dict[int, float]]


@dataclass(frozen=True)
class Tuning:
    """Constants of the similarity.

    The defaults were chosen on ECB+ train only by
    ``python -m newsdesk.evaluation.calibrate`` (see docs/evaluation-clustering.md).
    """

    threshold: float = 1.70
    lexical_weight: float = 4.0
    size_discount: float = 0.0
    semantic_threshold: float = 0.675
    lexical_threshold: float = 0.275
    semantic_floor: float = 0.30
    max_candidates: int = 16
    doc_terms: int = 80
    story_terms: int = 400
    features: FeatureWeights = field(default_factory=lambda: FeatureWeights())

    def to_dict(self) -> dict:
        """Plain-data form (stored with the state)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Tuning:
        """Inverse of :meth:`to_dict`."""
        values = dict(data)
        values["features"] = FeatureWeights(**values.get("features", {}))
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
        self._lex: list[dict[int, float]] = []
        self._lex_norm2: list[float] = []
        self._languages: list[list[str]] = []
        # Inverted index of the story term vectors: feature -> story ids.
        self._postings: dict[int, set[int]] = {}
        self._slot_of: dict[int, int] = {}

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
        vector = self._lexical_vector(doc, language)
        embedding = None
        if doc.embedding is not None and embedding_applies(doc.language):
            embedding = np.asarray(doc.embedding, dtype=np.float32).reshape(-1)
            if embedding.shape[0] != DIMENSIONS or not np.all(np.isfinite(embedding)):
                embedding = None
        slot, score = self._best(embedding, vector, moment, language)
        new_story = slot < 0
        if new_story:
            slot, score = self._new_story(moment), 0.0
        self._join(slot, embedding, vector, moment, language)
        story_id = self._ids[slot]
        self._after(moment)
        return Assignment(key=doc.key, story_id=story_id, similarity=float(score), new_story=new_story)

    def add_many(self, docs: Iterable[ClusterDoc]) -> list[Assignment]:
        """Assign articles one after another, in the given order."""
        return [self.add(doc) for doc in docs]

    # -------------------------------------------------------------- features

    def _lexical_vector(self, doc: ClusterDoc, language: str | None) -> dict[int, float]:
        counts = self._features(doc.title, doc.text, self.tuning.features)
        lang = language or ""
        seen = self._docs_seen[lang] = self._docs_seen.get(lang, 0) + 1
        if not counts:
            return {}
        table = self._df.get(lang)
        if table is None:
            table = self._df[lang] = np.zeros(BUCKETS, dtype=np.int32)
        keys = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        table[keys] += 1
        df = table[keys].astype(np.float64)
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

    def _lexical(self, slot: int, vector: dict[int, float]) -> float:
        story = self._lex[slot]
        norm2 = self._lex_norm2[slot]
        if norm2 <= 0.0:
            return 0.0
        dot = 0.0
        for key, weight in vector.items():
            value = story.get(key)
            if value is not None:
                dot += weight * value
        return dot / math.sqrt(norm2)

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
                    partial[slot] = partial.get(slot, 0.0) + weight * self._lex[slot][key]
        ranked = sorted(partial.items(), key=lambda item: (-item[1], item[0]))
        return [slot for slot, _ in ranked[: self.tuning.max_candidates]]

    def _best(
        self, embedding: np.ndarray | None, vector: dict[int, float], moment: float, language: str | None
    ) -> tuple[int, float]:
        n = self._size
        if n == 0:
            return -1, 0.0
        t = self.tuning
        mask = self._candidates(moment)
        embedded = self._embedded[:n] > 0
        best_slot, best_margin, best_score = -1, -math.inf, 0.0
        if embedding is not None:
            semantic = mask & embedded
            cosines = self._centroids[:n] @ embedding
            floor = max(
                t.semantic_floor,
                min(t.semantic_threshold, self.threshold - t.size_discount - t.lexical_weight),
            )
            reachable = np.flatnonzero(semantic & (cosines >= floor))
            if len(reachable) > t.max_candidates:
                order = np.lexsort((reachable, -cosines[reachable]))[: t.max_candidates]
                reachable = np.sort(reachable[order])
            for slot in reachable.tolist():
                score = float(cosines[slot]) + t.lexical_weight * self._lexical(slot, vector)
                margin = score - self.threshold + t.size_discount / float(self._members[slot])
                if language and self._languages[slot] and language not in self._languages[slot]:
                    # No shared language: few shared words to expect (names and figures at
                    # most), so meaning alone may also carry the article in.
                    semantic = float(cosines[slot])
                    if semantic - t.semantic_threshold > margin:
                        score, margin = semantic, semantic - t.semantic_threshold
                if margin >= 0.0 and margin > best_margin:
                    best_slot, best_margin, best_score = slot, margin, score
            lexical_only = mask & ~embedded
        else:
            lexical_only = mask
        if vector and lexical_only.any():
            for slot in sorted(self._lexical_probe(vector, lexical_only)):
                score = self._lexical(slot, vector)
                margin = score - t.lexical_threshold
                if margin >= 0.0 and margin > best_margin:
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
        self._lex.append({})
        self._lex_norm2.append(0.0)
        self._languages.append([])
        return slot

    def _join(
        self,
        slot: int,
        embedding: np.ndarray | None,
        vector: dict[int, float],
        moment: float,
        language: str | None,
    ) -> None:
        self._members[slot] += 1
        if language and language not in self._languages[slot]:
            self._languages[slot].append(language)
        if embedding is not None:
            self._sums[slot] += embedding
            self._embedded[slot] += 1
            self._centroids[slot] = _unit(self._sums[slot])
        if not math.isnan(moment):
            first, last = self._first[slot], self._last[slot]
            self._first[slot] = moment if math.isnan(first) else min(first, moment)
            self._last[slot] = moment if math.isnan(last) else max(last, moment)
        if vector:
            story_id = self._ids[slot]
            story = self._lex[slot]
            for key, weight in vector.items():
                if key not in story:
                    story[key] = weight
                    self._postings.setdefault(key, set()).add(story_id)
                else:
                    story[key] += weight
            if len(story) > self.tuning.story_terms:
                ranked = sorted(story.items(), key=lambda item: (-item[1], item[0]))
                for key, _ in ranked[self.tuning.story_terms :]:
                    self._unpost(key, story_id)
                story = dict(ranked[: self.tuning.story_terms])
                self._lex[slot] = story
            self._lex_norm2[slot] = math.fsum(w * w for w in story.values())

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
            for key in self._lex[slot]:
                self._unpost(key, self._ids[slot])
        rows = np.flatnonzero(keep)
        kept = len(rows)
        for array in (self._sums, self._centroids, self._first, self._last, self._members, self._embedded):
            array[:kept] = array[rows]
        picked = rows.tolist()
        self._ids = [self._ids[i] for i in picked]
        self._lex = [self._lex[i] for i in picked]
        self._lex_norm2 = [self._lex_norm2[i] for i in picked]
        self._languages = [self._languages[i] for i in picked]
        self._slot_of = {story_id: slot for slot, story_id in enumerate(self._ids)}
        self._size = kept

    # ---------------------------------------------------------------- state

    def dump_state(self) -> bytes:
        """Serialise the live state: a JSON header and numpy arrays, zlib-compressed."""
        n = self._size
        header = {
            "version": STATE_VERSION,
            "window_days": self.window_days,
            "threshold": self.threshold if self._explicit_threshold else None,
            "tuning": self.tuning.to_dict(),
            "next_id": self._next_id,
            "docs_seen": self._docs_seen,
            "newest": None if math.isnan(self._newest) else self._newest,
            "last_prune": None if math.isnan(self._last_prune) else self._last_prune,
            "df_languages": list(self._df),
            "ids": self._ids,
            "lex": [[list(d.keys()), list(d.values())] for d in self._lex],
            "languages": self._languages,
        }
        buffer = io.BytesIO()
        np.savez(
            buffer,
            sums=self._sums[:n],
            first=self._first[:n],
            last=self._last[:n],
            members=self._members[:n],
            embedded=self._embedded[:n],
            **self._df_arrays(),
        )
        head = json.dumps(header, separators=(",", ":")).encode("utf-8")
        payload = len(head).to_bytes(8, "big") + head + buffer.getvalue()
        return _MAGIC + zlib.compress(payload, 6)

    def _df_arrays(self) -> dict[str, np.ndarray]:
        arrays = {}
        for index, table in enumerate(self._df.values()):
            keys = np.flatnonzero(table).astype(np.uint32)
            arrays[f"df_keys_{index}"] = keys
            arrays[f"df_counts_{index}"] = table[keys]
        return arrays

    @classmethod
    def load_state(
        cls,
        data: bytes,
        window_days: float | None | str = "stored",
        threshold: float | None | str = "stored",
        features: FeatureFunction | None = None,
    ) -> OnlineClusterer:
        """Rebuild a clusterer from :meth:`dump_state` output.

        ``window_days`` and ``threshold`` default to the stored values; pass
        them to override (``threshold=None`` means the calibrated default).
        """
        if not data.startswith(_MAGIC):
            raise ValueError("not a newsdesk clustering state")
        payload = zlib.decompress(data[len(_MAGIC) :])
        size = int.from_bytes(payload[:8], "big")
        header = json.loads(payload[8 : 8 + size].decode("utf-8"))
        if header.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported clustering state version {header.get('version')!r}")
        arrays = np.load(io.BytesIO(payload[8 + size :]), allow_pickle=False)
        self = cls(
            window_days=header["window_days"] if window_days == "stored" else window_days,
            threshold=header["threshold"] if threshold == "stored" else threshold,
            tuning=Tuning.from_dict(header["tuning"]),
            features=features,
        )
        self._next_id = int(header["next_id"])
        self._docs_seen = {str(k): int(v) for k, v in header["docs_seen"].items()}
        self._newest = math.nan if header["newest"] is None else float(header["newest"])
        self._last_prune = math.nan if header["last_prune"] is None else float(header["last_prune"])
        for index, lang in enumerate(header["df_languages"]):
            table = np.zeros(BUCKETS, dtype=np.int32)
            table[arrays[f"df_keys_{index}"]] = arrays[f"df_counts_{index}"]
            self._df[lang] = table
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
        self._lex = [dict(zip(keys, values, strict=True)) for keys, values in header["lex"]]
        self._lex_norm2 = [math.fsum(w * w for w in story.values()) for story in self._lex]
        self._languages = [list(langs) for langs in header["languages"]]
        for story_id, story in zip(self._ids, self._lex, strict=True):
            for key in story:
                self._postings.setdefault(key, set()).add(story_id)
        return self


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else np.zeros_like(vector)
