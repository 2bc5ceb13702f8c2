"""Online story clustering: each incoming article joins a recent story or starts one.

Similarity of an article to a story combines

* the cosine between the article's multilingual embedding and the story
  centroid (carries meaning across languages), and
* the cosine between the article's TF-IDF vector and the story's summed
  TF-IDF vector, with document frequencies accumulated online (carries the
  names, places and figures that separate two stories of the same kind).

``score = cosine + lexical_weight * lexical`` must reach the threshold. When
either side has no embedding, the lexical cosine alone is compared with a
separate threshold. Since the lexical cosine is at most 1, only stories with
``cosine >= threshold - lexical_weight`` need the (slower) lexical part.

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
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import numpy as np

from newsdesk.stories.text import BUCKETS, FeatureWeights, term_counts

DIMENSIONS = 512
# Languages the multilingual Universal Sentence Encoder was trained on. For any
# other language its vectors carry little meaning (all Czech or Hindi articles
# look alike), so those articles are matched on lexical features only.
EMBEDDING_LANGUAGES = frozenset(
    {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)
STATE_VERSION = 1


@dataclass(frozen=True)
class Tuning:
    """Constants of the similarity. Defaults were calibrated on ECB+ train only
    (``python -m newsdesk.evaluation.calibrate``)."""

    threshold: float = 0.80
    lexical_weight: float = 0.5
    lexical_threshold: float = 0.30
    semantic_floor: float = 0.30
    max_candidates: int = 16
    linkage: float = 0.0
    idf_power: float = 1.0
    doc_terms: int = 80
    story_terms: int = 400
    features: FeatureWeights = field(default_factory=FeatureWeights)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Tuning:
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


def _timestamp(when: datetime | None) -> float:
    if when is None:
        return math.nan
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def embedding_applies(language: str | None) -> bool:
    """Whether the multilingual embedding is meaningful for this language (unknown: yes)."""
    if not language:
        return True
    return language.lower().replace("_", "-").split("-")[0] in EMBEDDING_LANGUAGES


class OnlineClusterer:
    """Single-pass clustering of articles into stories, in arrival order."""

    def __init__(
        self,
        window_days: float | None = 3.0,
        threshold: float | None = None,
        tuning: Tuning | None = None,
    ) -> None:
        self.tuning = tuning or DEFAULT_TUNING
        self.window_days = window_days
        self.threshold = self.tuning.threshold if threshold is None else float(threshold)
        self._explicit_threshold = threshold is not None
        self._next_id = 1
        self._docs_seen = 0
        self._df = np.zeros(BUCKETS, dtype=np.int32)
        self._newest = math.nan
        self._last_prune = math.nan
        # Per-story columns, one row per live story, ordered by story id.
        self._capacity = 0
        self._size = 0
        self._sums = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._centroids = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._first = np.zeros(0, dtype=np.float64)
        self._last = np.zeros(0, dtype=np.float64)
        self._ids: list[int] = []
        self._counts: list[int] = []
        self._embedded: list[int] = []
        self._lex: list[dict[int, float]] = []
        self._lex_norm2: list[float] = []
        self._lex_docs: list[int] = []
        self._emb_norm = np.zeros(0, dtype=np.float64)

    # ----------------------------------------------------------------- public

    @property
    def live_stories(self) -> int:
        """How many stories are currently kept as candidates."""
        return self._size

    def add(self, doc: ClusterDoc) -> Assignment:
        """Assign one article to a story (existing or new) and update the state."""
        moment = _timestamp(doc.when)
        vector = self._lexical_vector(doc)
        embedding = None
        if doc.embedding is not None and embedding_applies(doc.language):
            embedding = np.asarray(doc.embedding, dtype=np.float32).reshape(-1)
            if embedding.shape[0] != DIMENSIONS or not np.all(np.isfinite(embedding)):
                embedding = None
        slot, score = self._best(embedding, vector, moment)
        if slot < 0:
            slot = self._new_story(moment)
            new_story, score = True, 0.0
        else:
            new_story = False
        self._join(slot, embedding, vector, moment)
        story_id = self._ids[slot]
        self._after(moment)
        return Assignment(key=doc.key, story_id=story_id, similarity=float(score), new_story=new_story)

    def add_many(self, docs: Iterable[ClusterDoc]) -> list[Assignment]:
        """Assign articles one after another, in the given order."""
        return [self.add(doc) for doc in docs]

    # -------------------------------------------------------------- features

    def _lexical_vector(self, doc: ClusterDoc) -> dict[int, float]:
        counts = term_counts(doc.title, doc.text, self.tuning.features)
        self._docs_seen += 1
        if counts:
            keys = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            self._df[keys] += 1
            df = self._df[keys].astype(np.float64)
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
            idf = np.log((1.0 + self._docs_seen) / (1.0 + df)) + 1.0
            weights = tf * idf if self.tuning.idf_power == 1.0 else tf * idf**self.tuning.idf_power
        else:
            return {}
        limit = self.tuning.doc_terms
        if len(keys) > limit:
            order = np.lexsort((keys, -weights))[:limit]
            keys, weights = keys[order], weights[order]
        norm = float(np.sqrt(np.dot(weights, weights)))
        if norm == 0.0:
            return {}
        weights = weights / norm
        return {int(k): float(w) for k, w in zip(keys.tolist(), weights.tolist(), strict=True)}

    # ------------------------------------------------------------- matching

    def _candidates(self, moment: float) -> np.ndarray:
        n = self._size
        if n == 0:
            return np.zeros(0, dtype=bool)
        if self.window_days is None or math.isnan(moment):
            return np.ones(n, dtype=bool)
        window = self.window_days * 86400.0
        first, last = self._first[:n], self._last[:n]
        untimed = np.isnan(last)
        with np.errstate(invalid="ignore"):
            inside = (last >= moment - window) & (first <= moment + window)
        return untimed | inside

    def _lexical(self, slot: int, vector: dict[int, float]) -> float:
        story = self._lex[slot]
        norm2 = self._lex_norm2[slot]
        if not story or norm2 <= 0.0:
            return 0.0
        dot = 0.0
        for key, weight in vector.items():
            value = story.get(key)
            if value is not None:
                dot += weight * value
        norm = math.sqrt(norm2)
        if self.tuning.linkage:
            norm = norm ** (1.0 - self.tuning.linkage) * self._lex_docs[slot] ** self.tuning.linkage
        return dot / norm

    def _best(self, embedding: np.ndarray | None, vector: dict[int, float], moment: float) -> tuple[int, float]:
        mask = self._candidates(moment)
        if not mask.any():
            return -1, 0.0
        t = self.tuning
        n = self._size
        embedded = np.asarray(self._embedded[:n]) > 0
        best_slot, best_margin, best_score = -1, -math.inf, 0.0
        if embedding is not None:
            semantic = mask & embedded
            if semantic.any():
                cosines = self._centroids[:n] @ embedding
                if t.linkage:
                    cohesion = self._emb_norm[:n] / np.maximum(np.asarray(self._embedded[:n]), 1)
                    cosines = cosines * cohesion.astype(np.float32) ** np.float32(t.linkage)
                floor = max(t.semantic_floor, self.threshold - t.lexical_weight)
                reachable = np.flatnonzero(semantic & (cosines >= floor))
                if len(reachable) > t.max_candidates:
                    order = np.lexsort((reachable, -cosines[reachable]))[: t.max_candidates]
                    reachable = np.sort(reachable[order])
                for slot in reachable.tolist():
                    score = float(cosines[slot]) + t.lexical_weight * self._lexical(slot, vector)
                    margin = score - self.threshold
                    if margin >= 0.0 and margin > best_margin:
                        best_slot, best_margin, best_score = slot, margin, score
            lexical_only = mask & ~embedded
        else:
            lexical_only = mask
        if vector:
            for slot in np.flatnonzero(lexical_only).tolist():
                score = self._lexical(slot, vector)
                margin = score - t.lexical_threshold
                if margin >= 0.0 and margin > best_margin:
                    best_slot, best_margin, best_score = slot, margin, score
        return best_slot, best_score

    # -------------------------------------------------------------- updates

    def _grow(self) -> None:
        capacity = max(64, self._capacity * 2)
        for name in ("_sums", "_centroids"):
            old = getattr(self, name)
            new = np.zeros((capacity, DIMENSIONS), dtype=np.float32)
            new[: self._size] = old[: self._size]
            setattr(self, name, new)
        old = self._emb_norm
        self._emb_norm = np.zeros(capacity, dtype=np.float64)
        self._emb_norm[: self._size] = old[: self._size]
        for name in ("_first", "_last"):
            old = getattr(self, name)
            new = np.full(capacity, math.nan, dtype=np.float64)
            new[: self._size] = old[: self._size]
            setattr(self, name, new)
        self._capacity = capacity

    def _new_story(self, moment: float) -> int:
        if self._size == self._capacity:
            self._grow()
        slot = self._size
        self._size += 1
        self._sums[slot] = 0.0
        self._centroids[slot] = 0.0
        self._first[slot] = moment
        self._last[slot] = moment
        self._ids.append(self._next_id)
        self._next_id += 1
        self._counts.append(0)
        self._embedded.append(0)
        self._lex.append({})
        self._lex_norm2.append(0.0)
        self._lex_docs.append(0)
        self._emb_norm[slot] = 0.0
        return slot

    def _join(self, slot: int, embedding: np.ndarray | None, vector: dict[int, float], moment: float) -> None:
        self._counts[slot] += 1
        if embedding is not None:
            self._sums[slot] += embedding
            self._embedded[slot] += 1
            total = self._sums[slot]
            norm = float(np.linalg.norm(total))
            self._centroids[slot] = total / norm if norm > 0 else 0.0
            self._emb_norm[slot] = norm
        if not math.isnan(moment):
            first, last = self._first[slot], self._last[slot]
            self._first[slot] = moment if math.isnan(first) else min(first, moment)
            self._last[slot] = moment if math.isnan(last) else max(last, moment)
        if vector:
            story = self._lex[slot]
            for key, weight in vector.items():
                story[key] = story.get(key, 0.0) + weight
            limit = self.tuning.story_terms
            if len(story) > limit:
                kept = sorted(story.items(), key=lambda item: (-item[1], item[0]))[:limit]
                story = dict(kept)
                self._lex[slot] = story
            self._lex_norm2[slot] = math.fsum(w * w for w in story.values())
            self._lex_docs[slot] += 1

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
        rows = np.flatnonzero(keep)
        self._sums[: len(rows)] = self._sums[rows]
        self._centroids[: len(rows)] = self._centroids[rows]
        self._first[: len(rows)] = self._first[rows]
        self._last[: len(rows)] = self._last[rows]
        self._first[len(rows) : n] = math.nan
        self._last[len(rows) : n] = math.nan
        picked = rows.tolist()
        self._ids = [self._ids[i] for i in picked]
        self._counts = [self._counts[i] for i in picked]
        self._embedded = [self._embedded[i] for i in picked]
        self._lex = [self._lex[i] for i in picked]
        self._lex_norm2 = [self._lex_norm2[i] for i in picked]
        self._lex_docs = [self._lex_docs[i] for i in picked]
        self._emb_norm[: len(rows)] = self._emb_norm[rows]
        self._size = len(rows)

    # ---------------------------------------------------------------- state

    def dump_state(self) -> bytes:
        """Serialise the live state (JSON header plus numpy arrays, zlib-compressed)."""
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
            "ids": self._ids,
            "counts": self._counts,
            "embedded": self._embedded,
            "lex": [[list(d.keys()), list(d.values())] for d in self._lex],
            "lex_norm2": self._lex_norm2,
        }
        buffer = io.BytesIO()
        np.savez(
            buffer,
            sums=self._sums[:n],
            first=self._first[:n],
            last=self._last[:n],
            df=self._df,
        )
        head = json.dumps(header, separators=(",", ":")).encode("utf-8")
        payload = len(head).to_bytes(8, "big") + head + buffer.getvalue()
        return b"NDCS" + zlib.compress(payload, 6)

    @classmethod
    def load_state(
        cls,
        data: bytes,
        window_days: float | None | str = "stored",
        threshold: float | None | str = "stored",
    ) -> OnlineClusterer:
        """Rebuild a clusterer from :meth:`dump_state` output.

        ``window_days`` and ``threshold`` default to the stored values; pass
        them to override (``threshold=None`` means the calibrated default).
        """
        if not data.startswith(b"NDCS"):
            raise ValueError("not a newsdesk clustering state")
        payload = zlib.decompress(data[4:])
        size = int.from_bytes(payload[:8], "big")
        header = json.loads(payload[8 : 8 + size].decode("utf-8"))
        if header.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported clustering state version {header.get('version')!r}")
        arrays = np.load(io.BytesIO(payload[8 + size :]), allow_pickle=False)
        window = header["window_days"] if window_days == "stored" else window_days
        chosen = header["threshold"] if threshold == "stored" else threshold
        self = cls(window_days=window, threshold=chosen, tuning=Tuning.from_dict(header["tuning"]))
        self._next_id = int(header["next_id"])
        self._docs_seen = int(header["docs_seen"])
        self._newest = math.nan if header["newest"] is None else float(header["newest"])
        self._last_prune = math.nan if header["last_prune"] is None else float(header["last_prune"])
        self._df = np.array(arrays["df"], dtype=np.int32)
        sums = np.asarray(arrays["sums"], dtype=np.float32)
        n = sums.shape[0]
        while self._capacity < n:
            self._grow()
        self._size = n
        self._sums[:n] = sums
        for slot in range(n):
            norm = float(np.linalg.norm(sums[slot]))
            self._centroids[slot] = sums[slot] / norm if norm > 0 else 0.0
        self._first[:n] = arrays["first"]
        self._last[:n] = arrays["last"]
        self._ids = [int(i) for i in header["ids"]]
        self._counts = [int(c) for c in header["counts"]]
        self._embedded = [int(e) for e in header["embedded"]]
        self._lex = [dict(zip(keys, values, strict=True)) for keys, values in header["lex"]]
        self._lex_norm2 = [float(v) for v in header["lex_norm2"]]
        return self
