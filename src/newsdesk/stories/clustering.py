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
translation joins its original). The article's vector may carry a second,
cross-lingual vector of its headline and lead after the embedding (see
:mod:`newsdesk.enrich.crosslingual`); against a story with no article in its
language, that vector's cosine with the story's cross-lingual centroid, compared
with ``crosslingual_threshold``, may carry it in too (also for languages the
embedding model does not cover).

A story that already holds an article from the article's outlet takes it only
if the article also passes the threshold against that outlet's own articles in
the story: an outlet rarely reports one event twice in different words, and a
second article of the same outlet on the same people is often the next event.

Candidates are the stories with a member within ``window_days`` of the
article's time (every story when the article or the story has no time, or when
the window is disabled). Ties go to the oldest story, so the result depends
only on the input order. Stories whose newest member is more than two windows
older than the newest article seen are dropped.

An analyst's edits (docs/steering.md) reach the clusterer through :meth:`OnlineClusterer.alias`
(a merged story's row stays live and what joins it goes to the story it was merged into) and
:meth:`OnlineClusterer.rebuild` (a story's rows made again from its members as they now are;
a locked or deleted story is left without a row, so nothing joins it).

An article that started a story may move later, once, to a story it then reaches (a second
chance, :mod:`newsdesk.stories.second_chance`); the move comes with the assignment of the
article after which it was made (``Assignment.moves``).
"""

from __future__ import annotations

import logging
import math
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from newsdesk.stories import language_centres, scoring, second_chance, state
from newsdesk.stories.evidence import Evidence
from newsdesk.stories.postings import TermPostings
from newsdesk.stories.retrieval import Candidates, Retrieval
from newsdesk.stories.second_chance import Moved, RecentJoins, Waiting
from newsdesk.stories.state import STATE_VERSION, StateChanges
from newsdesk.stories.table import StoryTable
from newsdesk.stories.text import BUCKETS, FeatureWeights, name_features, quoted_shingles, term_counts
from newsdesk.stories.tuning import DEFAULT_TUNING, LEDE_FEATURES, Tuning
from newsdesk.stories.vectors import (
    DIMENSIONS,
    OutletPart,
    TermSum,
    Vectors,
    merged,
    split_embedding,
    weighted,
)
from newsdesk.text.days import named_days
from newsdesk.text.languages import base_language

__all__ = [
    "DEFAULT_TUNING",
    "DIMENSIONS",
    "EMBEDDING_LANGUAGES",
    "LEDE_FEATURES",
    "STATE_VERSION",
    "Assignment",
    "ClusterDoc",
    "Evidence",
    "FeatureFunction",
    "Moved",
    "OnlineClusterer",
    "StateChanges",
    "Tuning",
    "embedding_applies",
]

# Languages the multilingual Universal Sentence Encoder was trained on. For any
# other language its vectors carry little meaning (all Czech or Hindi articles
# look alike to it), so those articles are matched on lexical features only.
EMBEDDING_LANGUAGES = frozenset(
    {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)

log = logging.getLogger(__name__)


def _cross_encoder(tuning: Tuning) -> str:
    """The name of the encoder the cross-lingual vectors come from, and of the language offsets
    taken from them (saved with the state)."""
    # Imported here: the enrich package is heavy, and only saving and loading need the name.
    from newsdesk.enrich.crosslingual import ENCODER

    return f"{ENCODER}/{language_centres.NAME}" if tuning.language_centres else ENCODER


FeatureFunction = Callable[[str | None, str | None, FeatureWeights], dict[int, float]]


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
    """Where an article went, and why (``evidence``)."""

    key: int | str
    story_id: int
    similarity: float
    new_story: bool
    evidence: Evidence | None = None
    # Articles that started a story before and moved to another once this one was added.
    moves: list[Moved] = field(default_factory=list)


def embedding_applies(language: str | None) -> bool:
    """Whether the multilingual embedding is meaningful for this language (unknown: yes)."""
    base = base_language(language) or None
    return base is None or base in EMBEDDING_LANGUAGES


def _timestamp(when: datetime | None) -> float:
    if when is None:
        return math.nan
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


class OnlineClusterer:
    """Single-pass clustering of articles into stories, in arrival order."""

    def __init__(
        self,
        window_days: float | None = 3.0,
        threshold: float | None = None,
        tuning: Tuning | None = None,
        features: FeatureFunction | None = None,
        retrieval: Retrieval = "auto",
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
        self._stories = StoryTable()
        # Inverted index of the story term vectors: feature -> story ids.
        self._postings = TermPostings()
        # How candidate stories are found, and the index over the centroids.
        self._candidates = Candidates(retrieval)
        # Stories changed and stories dropped since the last ``take_changes``.
        self._dirty: set[int] = set()
        self._removed: set[int] = set()
        # Rows of merged stories: row id -> the story their articles go to.
        self._aliases: dict[int, int] = {}
        # The last analyst edit (``story_actions`` id) taken into this state.
        self.edits_applied = 0
        # Articles added so far, and the new stories waiting for their second chance (by id).
        self._arrivals = 0
        self._waiting: dict[int, Waiting] = {}
        # The stories that took an article lately (what a second chance looks at).
        self._joins = RecentJoins()

    # ----------------------------------------------------------------- public

    @property
    def live_stories(self) -> int:
        """How many stories are currently kept as candidates."""
        return self._stories.size

    @property
    def retrieval(self) -> Retrieval:
        """How candidate stories are found: ``exact`` scan, ``index`` or ``auto``
        (:mod:`newsdesk.stories.retrieval`); may be changed at any time."""
        return self._candidates.mode

    @retrieval.setter
    def retrieval(self, mode: Retrieval) -> None:
        self._candidates.switch(mode)

    @property
    def index_bytes(self) -> int:
        """Memory the index over the centroids holds (0 while there is none)."""
        return self._candidates.memory_bytes()

    @property
    def next_story_id(self) -> int:
        """The id the next new story will get."""
        return self._next_id

    def add(self, doc: ClusterDoc) -> Assignment:
        """Assign one article to a story (existing or new) and update the state."""
        vectors, moment, language, outlet = self._read(doc, learn=True)
        choice = self._best(vectors, moment, language, outlet)
        new_story = choice.slot < 0
        if new_story:
            slot, score, evidence = self._new_story(moment), 0.0, Evidence("new")
        else:
            slot, score = choice.slot, choice.score
            evidence = self._evidence(slot, doc, vectors, language, choice.path)
            evidence.score, evidence.bar, evidence.margin = score, choice.bar, choice.margin
        self._join(slot, vectors, moment, language, outlet)
        row_id = self._stories.ids[slot]
        story_id = self._aliases.get(row_id, row_id)
        self._dirty.add(row_id)
        self._arrivals += 1
        after = self.tuning.second_chance_after
        if new_story and after is not None:
            self._waiting[row_id] = Waiting(row_id, doc.key, self._arrivals + after)
        moves = self._second_chances()
        if after is not None:
            # Articles waiting now were scored at ``after`` arrivals ago or since.
            self._joins.forget_before(self._arrivals - after - 1)
        self._after(moment)
        return Assignment(doc.key, story_id, float(score), new_story, evidence, moves)

    def preview(self, doc: ClusterDoc, retrieval: Retrieval | None = None) -> int | None:
        """The story the article would join now (None: it would start one), its candidates found
        the ``retrieval`` way (default: the clusterer's); nothing is changed, document
        frequencies included."""
        vectors, moment, language, outlet = self._read(doc, learn=False)
        finder, mode = self._candidates, self._candidates.mode
        finder.switch(retrieval or mode)
        try:
            choice = self._best(vectors, moment, language, outlet)
        finally:
            finder.switch(mode)
        if choice.slot < 0:
            return None
        row_id = self._stories.ids[choice.slot]
        return self._aliases.get(row_id, row_id)

    def _best(
        self,
        vectors: Vectors,
        moment: float,
        language: str | None,
        outlet: str,
        exclude: int | None = None,
        among: np.ndarray | None = None,
    ) -> scoring.Choice:
        """The story the article would join (:func:`newsdesk.stories.scoring.best` over this state)."""
        return scoring.best(
            self._stories,
            self._postings,
            vectors,
            moment,
            language,
            outlet,
            self.tuning,
            self.threshold,
            self.window_days,
            self._candidates,
            exclude=exclude,
            among=among,
        )

    def follow(self, doc: ClusterDoc, story_id: int, copy: dict | None = None) -> Assignment:
        """Put an article in a given story (a wire copy follows the article it copies), with the
        signals against that story as evidence. A story no longer live takes the article without
        its state changing."""
        vectors, moment, language, outlet = self._read(doc, learn=True)
        slot = self._stories.slot_of.get(story_id)
        if slot is None:
            return Assignment(doc.key, story_id, 0.0, False, Evidence("copy", copy=copy))
        evidence = self._evidence(slot, doc, vectors, language, "copy")
        evidence.copy = copy
        self._join(slot, vectors, moment, language, outlet)
        self._dirty.add(story_id)
        self._after(moment)
        return Assignment(doc.key, story_id, 0.0, False, evidence)

    def _evidence(
        self, slot: int, doc: ClusterDoc | None, vectors: Vectors, language: str | None, path: str
    ) -> Evidence:
        """The signals of an article against the story in ``slot``, before it joins (the names
        only with the article's ``doc``)."""
        stories = self._stories
        embedding = None
        if vectors.embedding is not None and stories.embedded[slot] > 0:
            embedding = float(stories.centroid(slot) @ vectors.embedding)
        lede_sum = stories.lede[slot].get(language or "")
        lede = lede_sum.cosine(vectors.lede) if scoring.lede_compared(lede_sum, self.tuning) else None
        evidence = Evidence(
            path,
            embedding=embedding,
            lexical=stories.lex[slot].cosine(vectors.terms),
            lede=lede,
            quotes=len(vectors.quotes.intersection(stories.quotes[slot])),
        )
        if doc is not None:
            names = name_features(doc.title, doc.text, self.tuning.features)
            held = stories.lex[slot]
            evidence.names = sum(1 for key in names if key in held)
            evidence.names_of = len(names)
        return evidence

    # ---------------------------------------------------------- second chance

    def _second_chances(self) -> list[Moved]:
        """Score again the articles whose wait is over; the moves made."""
        due = [entry for entry in self._waiting.values() if entry.due <= self._arrivals]
        moves = []
        for entry in sorted(due, key=lambda item: (item.due, item.story_id)):
            del self._waiting[entry.story_id]
            moved = self._second_chance(entry)
            if moved is not None:
                moves.append(moved)
        return moves

    def _second_chance(self, entry: Waiting) -> Moved | None:
        """Move the article of a story that still holds only it to the best other story it
        reaches, if any (the story's row is dropped)."""
        stories, row_id = self._stories, entry.story_id
        slot = stories.slot_of.get(row_id)
        if slot is None or stories.members[slot] != 1 or row_id in self._aliases:
            return None
        vectors, moment, language, outlet = second_chance.row_vectors(stories, slot)
        among = self._changed_since(entry)
        choice = self._best(vectors, moment, language, outlet, exclude=slot, among=among)
        if choice.slot < 0:
            return None
        target = stories.ids[choice.slot]
        evidence = self._evidence(choice.slot, None, vectors, language, second_chance.PATH)
        evidence.score, evidence.bar, evidence.margin = choice.score, choice.bar, choice.margin
        keep = np.ones(stories.size, dtype=bool)
        keep[slot] = False
        self._keep_rows(keep)
        self._join(stories.slot_of[target], vectors, moment, language, outlet)
        self._dirty.add(target)
        story_id = self._aliases.get(target, target)
        return Moved(entry.key, row_id, story_id, float(choice.score), evidence)

    def _changed_since(self, entry: Waiting) -> np.ndarray | None:
        """Slots of the stories that took an article since the waiting article was scored (None:
        not known, every story is looked at). The others are as the article found them then,
        when none took it: they would not now either."""
        after = self.tuning.second_chance_after
        if after is None:
            return None
        story_ids = self._joins.since(entry.due - after - 1)
        if story_ids is None:
            return None
        slot_of = self._stories.slot_of
        return np.array(sorted(slot_of[i] for i in story_ids if i in slot_of), dtype=np.int64)

    def _settle(self, story_ids: Iterable[int]) -> None:
        """An analyst's edit touched these stories: their articles stay where they are."""
        for story_id in story_ids:
            self._waiting.pop(story_id, None)

    def add_many(self, docs: Iterable[ClusterDoc]) -> list[Assignment]:
        """Assign articles one after another, in the given order."""
        return [self.add(doc) for doc in docs]

    # -------------------------------------------------------- analyst edits

    def alias(self, story_id: int, into: int) -> None:
        """Story ``story_id`` was merged into ``into``: its row (if live) stays, and an article
        that joins it goes to ``into``; rows merged into ``story_id`` before follow."""
        self._settle((story_id, into))
        for row, target in list(self._aliases.items()):
            if target == story_id:
                self._aliases[row] = into
        if story_id in self._stories.slot_of:
            self._aliases[story_id] = into

    def rebuild(self, story_id: int, docs: Iterable[ClusterDoc]) -> None:
        """Make the story's state again from its members ``docs`` (in arrival order), in place of
        its row and of the rows merged into it; no ``docs`` leave it without a row (a locked or
        deleted story: nothing joins it). Document frequencies are not counted again."""
        rows = {story_id} | {row for row, target in self._aliases.items() if target == story_id}
        self._settle(rows)
        stories = self._stories
        keep = np.array([row not in rows for row in stories.ids], dtype=bool)
        if not keep.all():
            self._keep_rows(keep)
        docs = list(docs)
        if not docs:
            return
        slot = stories.add_row(story_id)
        if slot and stories.ids[slot - 1] > story_id:
            stories.keep(np.argsort(np.asarray(stories.ids), kind="stable"))
            slot = stories.slot_of[story_id]
        for doc in docs:
            vectors, moment, language, outlet = self._read(doc, learn=False)
            self._join(slot, vectors, moment, language, outlet)
        self._next_id = max(self._next_id, story_id + 1)
        self._dirty.add(story_id)

    def keep_in_place(self, story_id: int) -> None:
        """An analyst's edit touched the story (a headline named, say): its article gets no
        second chance."""
        self._settle((story_id,))

    def reserve_ids(self, below: int) -> None:
        """Never issue a story id under ``below`` (ids the analyst's edits used)."""
        self._next_id = max(self._next_id, below)

    # -------------------------------------------------------------- features

    def _read(self, doc: ClusterDoc, learn: bool) -> tuple[Vectors, float, str | None, str]:
        """The article's vectors, time, base language and outlet (``learn``: count its terms in
        the document frequencies)."""
        moment = _timestamp(doc.when)
        language = base_language(doc.language) or None
        terms, lede = self._term_vectors(doc, language, learn)
        embedding, cross = split_embedding(doc.embedding)
        if cross is not None and self.tuning.language_centres:
            cross = language_centres.in_language(cross, language, language_centres.load_offsets())
        if not embedding_applies(doc.language):
            embedding = None
        quotes = frozenset()
        if self.tuning.quote_threshold is not None:
            quotes = quoted_shingles(doc.text, self.tuning.quote_words)
        days = frozenset()
        if self.tuning.day_tolerance is not None:
            lead = (doc.text or "")[: self.tuning.lede_features.max_chars]
            days = named_days(f"{doc.title or ''}\n{lead}", doc.language)
        vectors = Vectors(embedding, terms, lede, quotes, cross, (doc.title, doc.text), days)
        # Interned: every story of an outlet holds the one string.
        return vectors, moment, language, sys.intern((doc.outlet or "").strip().lower())

    def _term_vectors(
        self, doc: ClusterDoc, language: str | None, learn: bool = True
    ) -> tuple[dict[int, float], dict[int, float]]:
        """The article's TF-IDF vector and its lede vector (with ``learn``, document frequencies updated)."""
        counts = self._features(doc.title, doc.text, self.tuning.features)
        lang = language or ""
        if learn:
            self._docs_seen[lang] = self._docs_seen.get(lang, 0) + 1
        seen = max(1, self._docs_seen.get(lang, 0))
        if not counts:
            return {}, {}
        table = self._df.get(lang)
        if table is None:
            table = self._df[lang] = np.zeros(BUCKETS, dtype=np.int32)
        if learn:
            keys = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            table[keys] += 1
        limit = self.tuning.doc_terms
        terms = weighted(counts, table, seen, limit)
        if self.tuning.lede_weight <= 0.0:
            return terms, {}
        return terms, weighted(
            self._features(doc.title, doc.text, self.tuning.lede_features), table, seen, limit
        )

    # -------------------------------------------------------------- updates

    def _new_story(self, moment: float) -> int:
        stories = self._stories
        slot = stories.add_row(self._next_id)
        self._next_id += 1
        stories.first[slot] = moment
        stories.last[slot] = moment
        return slot

    def _join(self, slot: int, vectors: Vectors, moment: float, language: str | None, outlet: str) -> None:
        stories = self._stories
        stories.members[slot] += 1
        if self.tuning.second_chance_after is not None:
            self._joins.record(self._arrivals, stories.ids[slot])
        if language and language not in stories.languages[slot]:
            stories.languages[slot].append(language)
        self._add_outlet(slot, outlet, vectors)
        story_id = stories.ids[slot]
        if vectors.embedding is not None:
            if stories.embedded[slot] == 0:
                self._postings.embedded(story_id, stories.lex[slot].keys)
            stories.add_embedding(slot, vectors.embedding)
            stories.embedded[slot] += 1
        if vectors.crosslingual is not None:
            stories.add_crosslingual(slot, vectors.crosslingual)
        if not math.isnan(moment):
            first, last = stories.first[slot], stories.last[slot]
            stories.first[slot] = moment if math.isnan(first) else min(first, moment)
            stories.last[slot] = moment if math.isnan(last) else max(last, moment)
        terms = stories.lex[slot]
        _, dropped = terms.add(vectors.terms, self.tuning.story_terms)
        self._postings.remove(story_id, dropped)
        self._postings.hold(story_id, terms, vectors.terms, plain=stories.embedded[slot] == 0)
        if vectors.lede:
            stories.lede[slot].setdefault(language or "", TermSum()).add(
                vectors.lede, self.tuning.story_terms
            )
        stories.add_quotes(slot, vectors.quotes)
        stories.add_days(slot, vectors.days)
        self._candidates.update(
            stories, slot, vectors.embedding is not None, vectors.crosslingual is not None
        )

    def _add_outlet(self, slot: int, outlet: str, vectors: Vectors) -> None:
        """Keep the per-outlet sums (before the story's own sums take the article)."""
        stories = self._stories
        outlets, parts = stories.outlets[slot], stories.parts[slot]
        if outlet not in outlets:
            if len(outlets) == 1:
                # A second outlet: the story so far is all the first outlet's.
                embedded = stories.embedded[slot] > 0
                parts[outlets[0]] = OutletPart(
                    stories.sums[slot].copy() if embedded else None,
                    stories.lex[slot].copy(),
                    merged(stories.lede[slot].values(), self.tuning.story_terms),
                )
            outlets.append(outlet)
            if len(outlets) == 1:
                return
            parts[outlet] = OutletPart(None, TermSum(), TermSum())
        elif len(outlets) == 1:
            return
        part = parts[outlet]
        if vectors.embedding is not None:
            part.embedding = (
                vectors.embedding.copy() if part.embedding is None else part.embedding + vectors.embedding
            )
        part.terms.add(vectors.terms, self.tuning.story_terms)
        part.lede.add(vectors.lede, self.tuning.story_terms)

    def _index_terms(self) -> None:
        stories = self._stories
        n = stories.size
        self._postings.build(stories.ids, stories.lex, (stories.embedded[:n] == 0).tolist())

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
        stories = self._stories
        last = stories.last[: stories.size]
        with np.errstate(invalid="ignore"):
            keep = np.isnan(last) | (last >= horizon)
        if keep.all():
            return
        self._keep_rows(keep)

    def _keep_rows(self, keep: np.ndarray) -> None:
        """Drop the rows where ``keep`` is false: out of the index, the aliases and the saved state."""
        stories = self._stories
        dropped = [stories.ids[slot] for slot in np.flatnonzero(~keep).tolist()]
        for story_id in dropped:
            self._postings.remove(story_id, stories.lex[stories.slot_of[story_id]].keys)
            self._dirty.discard(story_id)
            self._removed.add(story_id)
            self._aliases.pop(story_id, None)
        self._candidates.drop(dropped)
        stories.keep(np.flatnonzero(keep))

    # ---------------------------------------------------------------- state
    #
    # The state is saved in pieces (see :mod:`newsdesk.stories.state`): a header and one
    # record per live story. A batch then writes the header and the stories it touched
    # (``take_changes``), not every live story.

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
        return state.dump_header(
            state.Header(
                window_days=self.window_days,
                threshold=self.threshold if self._explicit_threshold else None,
                tuning=self.tuning.to_dict(),
                next_id=self._next_id,
                docs_seen=self._docs_seen,
                newest=self._newest,
                last_prune=self._last_prune,
                df=self._df,
                aliases=self._aliases,
                edits_applied=self.edits_applied,
                crosslingual_encoder=_cross_encoder(self.tuning),
                arrivals=self._arrivals,
                waiting=[entry.to_json() for entry in self._waiting.values()],
            )
        )

    def dump_story(self, story_id: int) -> bytes:
        """One live story's record: its sums, term sums, quoted phrases, languages and outlets."""
        return state.dump_story(self._stories, story_id)

    def dump_state(self) -> bytes:
        """The whole live state in one piece: the header, then every story's record."""
        return state.dump_bundle(
            self.dump_header(), [self.dump_story(story_id) for story_id in self._stories.ids]
        )

    @classmethod
    def load_parts(
        cls,
        header: bytes,
        stories: Iterable[bytes],
        window_days: float | None | str = "stored",
        threshold: float | None | str = "stored",
        features: FeatureFunction | None = None,
        retrieval: Retrieval = "auto",
        index: bytes | None = None,
    ) -> OnlineClusterer:
        """Rebuild a clusterer from :meth:`dump_header` and :meth:`dump_story` records.

        ``window_days`` and ``threshold`` default to the stored values; pass them to
        override (``threshold=None`` means the calibrated default). A one-piece state
        (:meth:`dump_state`, or an earlier version's) in place of the header is read with
        :meth:`load_state`: a store written by an earlier version opens the same way.
        ``index``, from :meth:`index_snapshot`, is taken up in place of building the centroid
        indexes again when it was saved with these very stories (else it is ignored)."""
        if state.is_one_piece(header):
            return cls.load_state(header, window_days, threshold, features, retrieval)
        parts = state.read_parts(header, stories)
        return cls._restored(*parts, window_days, threshold, features, retrieval, index)

    def index_snapshot(self) -> bytes | None:
        """The centroid indexes as they are now, for :meth:`load_parts` (None while there are
        none). Building them again takes about 0.3 ms a live story; restoring them takes a
        fraction of that, and gives the same graph, so the same candidates."""
        indexes = self._candidates.snapshot()
        if indexes is None:
            return None
        return state.dump_index(state.fingerprint(self._stories), *indexes)

    @classmethod
    def load_state(
        cls,
        data: bytes,
        window_days: float | None | str = "stored",
        threshold: float | None | str = "stored",
        features: FeatureFunction | None = None,
        retrieval: Retrieval = "auto",
    ) -> OnlineClusterer:
        """Rebuild a clusterer from :meth:`dump_state` output, or from the one-piece state
        of earlier versions (1 and 2: a version 1 state has no lede or outlet sums; it is
        taken up with the current constants and its stories start those sums empty).

        Every story of a state loaded this way counts as changed for :meth:`take_changes`."""
        self = cls._restored(*state.read_state(data), window_days, threshold, features, retrieval)
        self._dirty.update(self._stories.ids)
        return self

    @classmethod
    def _restored(
        cls,
        header: state.Header,
        stories: StoryTable,
        window_days: float | None | str,
        threshold: float | None | str,
        features: FeatureFunction | None,
        retrieval: Retrieval,
        index: bytes | None = None,
    ) -> OnlineClusterer:
        """A clusterer with the stored settings (unless overridden), counter, frequencies and
        stories; the index over the centroids is restored from ``index`` when it matches the
        stories, else built again when it is used."""
        self = cls(
            window_days=header.window_days if window_days == "stored" else window_days,
            threshold=header.threshold if threshold == "stored" else threshold,
            tuning=Tuning.from_dict(header.tuning) if header.tuning is not None else None,
            features=features,
            retrieval=retrieval,
        )
        self._next_id = header.next_id
        self._docs_seen = header.docs_seen
        self._newest = header.newest
        self._last_prune = header.last_prune
        self._df = header.df
        self._aliases = dict(header.aliases)
        self.edits_applied = header.edits_applied
        self._arrivals = header.arrivals
        self._joins = RecentJoins(start=header.arrivals)
        self._waiting = {entry.story_id: entry for entry in map(Waiting.from_json, header.waiting)}
        self._stories = stories
        self._index_terms()
        encoder = _cross_encoder(self.tuning)
        if header.crosslingual_encoder != encoder and stories.cross_scales[: stories.size].any():
            # Sums of another cross-lingual encoder cannot meet this one's vectors: the stories
            # start them again with their next articles (and every record is written anew).
            log.warning(
                "the clustering state's cross-lingual sums were made by %s, not %s: they start again",
                header.crosslingual_encoder,
                encoder,
            )
            stories.cross_sums[:] = 0.0
            stories.cross_scales[:] = 0.0
            self._dirty.update(stories.ids)
        if index is not None:
            self._take_index(index)
        self._candidates.indexed(stories)
        return self

    def _take_index(self, data: bytes) -> None:
        """Restore the centroid indexes from a snapshot saved with these stories."""
        try:
            stamp, semantic, crosslingual = state.read_index(data)
        except ValueError as error:
            log.warning("the saved centroid index is not usable (%s): it is built again", error)
            return
        if stamp != state.fingerprint(self._stories):
            log.info("the saved centroid index is older than the clustering state: it is built again")
            return
        try:
            self._candidates.restore(semantic, crosslingual)
        except (RuntimeError, ValueError) as error:  # usearch reports damaged bytes as RuntimeError
            log.warning("the saved centroid index is damaged (%s): it is built again", error)
