"""How well an article fits the live stories, and which story it joins.

``score = cosine + lexical_weight * lexical + lede_weight * lede`` against a story's
centroid, term sum and lede sum in the article's language; the bars and the other paths
(quotation, cross-lingual, lexical only, the outlet check) are described in
:mod:`newsdesk.stories.clustering`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from newsdesk.stories.postings import TermPostings, entries
from newsdesk.stories.retrieval import Candidates, LexicalOnly, Window
from newsdesk.stories.table import StoryTable
from newsdesk.stories.tuning import Tuning
from newsdesk.stories.vectors import TermSum, Vectors, unit
from newsdesk.text.days import days_apart

# The lexical probe reads the article's strongest terms, skipping terms that more than
# ``LEXICAL_PROBE_POSTINGS`` live stories hold: such a term does not tell a story apart, and the
# probe reads at most 20 lists of 100 entries however many stories are live.
LEXICAL_PROBE_TERMS = 20
LEXICAL_PROBE_POSTINGS = 100
# The most a cosine can be, float32 rounding included.
MOST_COSINE = 1.0 + 1e-5


class Choice(NamedTuple):
    """The story an article joins (slot -1: none), the score that decided, how it passed (a path of
    ``newsdesk.stories.evidence.PATHS``), the bar and the margin over it."""

    slot: int
    score: float
    path: str = "new"
    bar: float = 0.0
    margin: float = 0.0


NO_CHOICE = Choice(-1, 0.0)


def lexical_probe(
    postings: TermPostings, vector: dict[int, float], allowed: LexicalOnly, limit: int
) -> list[int]:
    """Slots of the (at most ``limit``) allowed stories sharing the article's strongest terms,
    best first (only stories without an embedding, unless ``allowed.every``): ranked by the
    dot product over those terms of the article's weights and the stories' (ties: the lower
    slot)."""
    held = postings.every if allowed.every else postings.plain
    lists, weights = [], []
    for key in list(vector)[:LEXICAL_PROBE_TERMS]:
        every = postings.every.get(key)
        if not every or len(every) > LEXICAL_PROBE_POSTINGS:
            continue
        packed = held.get(key)
        if packed:
            lists.append(packed)
            weights.append(vector[key])
    if not lists:
        return []
    # Every list at once: one score per story (summed in list order), then one lookup of the
    # slots and of the window per story, not per entry.
    ids, story_weights = entries(lists)
    term_weights = np.repeat(np.asarray(weights, dtype=np.float32), [len(packed) for packed in lists])
    story_ids, inverse = np.unique(ids, return_inverse=True)
    scores = np.bincount(inverse, weights=story_weights * term_weights, minlength=len(story_ids))
    slots = allowed.slots_of(story_ids)
    known = slots >= 0
    slots, scores = slots[known], scores[known]
    keep = allowed.mask(slots)
    slots, scores = slots[keep], scores[keep]
    return slots[np.lexsort((slots, -scores))[:limit]].tolist()


def lede_compared(lede: TermSum | None, tuning: Tuning) -> bool:
    """Whether the score takes the lede term (there is a lede sum to compare with)."""
    return tuning.lede_weight > 0.0 and lede is not None and lede.norm2 > 0.0


def scored(
    cosine: float,
    terms: TermSum,
    lede: TermSum | None,
    vectors: Vectors,
    tuning: Tuning,
    threshold: float,
) -> tuple[float, float]:
    """The score and the bar it must reach (the plain bar when there is no lede to compare)."""
    score = cosine + tuning.lexical_weight * terms.cosine_of(vectors.term_arrays)
    if tuning.lede_weight <= 0.0:
        return score, threshold
    if not lede_compared(lede, tuning):
        return score, tuning.plain_threshold
    return score + tuning.lede_weight * lede.cosine_of(vectors.lede_arrays), threshold  # type: ignore[union-attr]


def headline_disagrees(
    stories: StoryTable, slot: int, vector: np.ndarray | None, floor: float | None
) -> bool:
    """Whether the cross-lingual vector says the article is about something else than the story
    (its cosine with the story's cross-lingual centroid is under ``floor``; no vector on either
    side, or no floor: it says nothing)."""
    if floor is None or vector is None:
        return False
    return stories.crossed(slot) and float(stories.cross_centroid(slot) @ vector) < floor


def shares_words(terms: TermSum, vectors: Vectors) -> bool:
    """Whether the story shares a word with the article, not only figures: a day of the month, a
    year or a count in common is no reason on its own to join a story on words alone. (Vectors
    without a source text, as the second chance rebuilds them, count every shared term.)"""
    return terms.cosine_of(vectors.word_arrays) > 0.0


def days_differ(vectors: Vectors, stories: StoryTable, slot: int, tuning: Tuning) -> bool:
    """Whether the article is about another day than the story: its headline and lead name days
    of the year, the story's leads name only days more than ``tuning.day_tolerance`` days away,
    and the two share no word (figures aside) that would say otherwise."""
    return (
        tuning.day_tolerance is not None
        and days_apart(vectors.days, stories.days[slot], tuning.day_tolerance)
        and not shares_words(stories.lex[slot], vectors)
    )


def fits_outlet(
    stories: StoryTable,
    slot: int,
    outlet: str,
    vectors: Vectors,
    crosslingual: bool,
    tuning: Tuning,
    threshold: float,
) -> bool:
    """Whether the article also passes against its own outlet's articles in the story."""
    part = stories.parts[slot].get(outlet) if outlet else None
    if part is None:
        return True
    if vectors.embedding is None or part.embedding is None:
        return part.terms.cosine_of(vectors.term_arrays) >= tuning.lexical_threshold
    cosine = float(unit(part.embedding) @ vectors.embedding)
    if crosslingual and cosine >= tuning.semantic_threshold:
        return True
    score, bar = scored(cosine, part.terms, part.lede, vectors, tuning, threshold)
    return score >= bar


def best(
    stories: StoryTable,
    postings: TermPostings,
    vectors: Vectors,
    moment: float,
    language: str | None,
    outlet: str,
    tuning: Tuning,
    threshold: float,
    window_days: float | None,
    finder: Candidates,
    exclude: int | None = None,
    among: np.ndarray | None = None,
) -> Choice:
    """The story the article joins (slot -1: none), its score, and the bar it passed; the story
    in slot ``exclude`` is no candidate (nor anyone's rival).

    The story with the largest margin over its bar wins; ties go to the oldest story. The
    stories looked at are the ``finder``'s candidates (:mod:`newsdesk.stories.retrieval`),
    or only those of ``among`` (ascending slots) when it is given."""
    if stories.size == 0:
        return NO_CHOICE
    t = tuning
    embedding = vectors.embedding
    window = Window(stories, moment, window_days, exclude)
    chosen, best_margin = NO_CHOICE, -math.inf
    lex, ledes, quotes = stories.lex, stories.lede, stories.quotes
    members, story_languages = stories.members, stories.languages
    if embedding is not None:
        lowest = min(threshold, t.plain_threshold) - t.size_discount
        if t.quote_threshold is not None and vectors.quotes:
            lowest = min(lowest, t.quote_threshold)
        floor = max(
            t.semantic_floor,
            min(t.semantic_threshold, lowest - t.lexical_weight - max(t.lede_weight, 0.0)),
        )
        reachable = finder.semantic_candidates(stories, window, embedding, floor, t.max_candidates, among)
        for slot, cosine in reachable:
            if days_differ(vectors, stories, slot, t):
                continue
            lede = ledes[slot].get(language or "")
            score, bar = scored(cosine, lex[slot], lede, vectors, t, threshold)
            margin = score - bar + t.size_discount / float(members[slot])
            path = "lede" if lede_compared(lede, t) else "plain"
            languages = story_languages[slot]
            crosslingual = bool(language and languages and language not in languages)
            if (
                vectors.quotes
                and t.quote_threshold is not None
                and not vectors.quotes.isdisjoint(quotes[slot])
                and score - t.quote_threshold > margin
            ):
                margin, path, bar = score - t.quote_threshold, "quote", t.quote_threshold
            if crosslingual:
                # No shared language: few shared words to expect (names and figures at
                # most), so meaning alone may also carry the article in.
                semantic = cosine
                if semantic - t.semantic_threshold > margin:
                    score, margin = semantic, semantic - t.semantic_threshold
                    path, bar = "crosslingual", t.semantic_threshold
            if (
                margin >= 0.0
                and margin > best_margin
                and fits_outlet(stories, slot, outlet, vectors, crosslingual, t, threshold)
            ):
                chosen, best_margin = Choice(slot, score, path, bar, margin), margin
    cross_threshold = t.crosslingual_threshold
    # The embedding's cosine (a second encoder) adds at most ``most_added`` to that path's score,
    # or takes some away, for the stories its own score passes (looking at those under the bar
    # too would make the search several times wider).
    weight = t.crosslingual_embedding_weight if embedding is not None else 0.0
    most_added = max(0.0, weight * (MOST_COSINE - t.crosslingual_embedding_centre))
    # A path whose score is one cosine (and that addition) cannot beat a larger margin: its
    # candidates are not looked for then (an article that fits a story well on meaning and
    # words skips the cross-lingual search and the lexical probe, with the same outcome).
    if (
        vectors.crosslingual is not None
        and language
        and cross_threshold is not None
        and best_margin < MOST_COSINE + most_added - cross_threshold
    ):
        # Headline and lead across languages (the cross-lingual vector): a story with no
        # article in the article's language takes it on this cosine (with the embedding's
        # when both have one), unless it holds the article's outlet already.
        for slot, cosine in finder.crosslingual_candidates(
            stories, window, vectors.crosslingual, language, cross_threshold, t.crosslingual_rival, among
        ):
            if days_differ(vectors, stories, slot, t):
                continue
            score = cosine
            if weight and stories.embedded[slot] > 0:
                agreement = float(stories.centroid(slot) @ embedding) - t.crosslingual_embedding_centre
                score += weight * agreement
            margin = score - cross_threshold
            if margin >= 0.0 and margin > best_margin and not (outlet and outlet in stories.outlets[slot]):
                chosen, best_margin = Choice(slot, score, "headline", cross_threshold, margin), margin
    if vectors.terms and best_margin < MOST_COSINE - t.lexical_threshold:
        terms_only = Vectors(None, vectors.terms, {})
        allowed = LexicalOnly(window, every=embedding is None, among=among)
        for slot in sorted(lexical_probe(postings, vectors.terms, allowed, t.max_candidates)):
            score = lex[slot].cosine_of(vectors.term_arrays)
            margin = score - t.lexical_threshold
            if (
                margin >= 0.0
                and margin > best_margin
                and shares_words(lex[slot], vectors)
                and not headline_disagrees(stories, slot, vectors.crosslingual, t.lexical_crosslingual_floor)
                and fits_outlet(stories, slot, outlet, terms_only, False, t, threshold)
            ):
                chosen = Choice(slot, score, "lexical", t.lexical_threshold, margin)
                best_margin = margin
    return chosen
