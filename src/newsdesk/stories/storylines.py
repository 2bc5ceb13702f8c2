"""Storylines: a story that goes quiet and a later one on the same subject are one developing story.

The clusterer keeps a story live for its window only; a follow-up weeks later (the December talks, then
the January round) starts a new story. A new story continues an earlier one when, taken together,
they name the same core entities and read alike: most of the smaller story's core entities (its most
widespread linked people, organisations and places, whatever the language or spelling) are shared, and
the mean embeddings of their articles are close. Plain functions over plain data: the pipeline reads
the profiles from the store and saves the link."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from newsdesk.settings import StorylineSettings
from newsdesk.stories.vectors import unit


@dataclass
class StoryProfile:
    """What the storyline decision reads of a story."""

    story_id: int
    first_seen: datetime
    last_seen: datetime
    articles: int
    # Linked entity id → articles of the story that name it.
    entities: dict[int, int]
    # The normalised mean of the articles' embeddings (None: no article has one).
    centroid: np.ndarray | None
    storyline_id: int | None = None

    def core(self, size: int) -> set[int]:
        """The story's ``size`` most widespread entities (ties: the lower id)."""
        ranked = sorted(self.entities.items(), key=lambda item: (-item[1], item[0]))
        return {entity for entity, _ in ranked[:size]}


@dataclass
class StorylineMatch:
    """An earlier story that a new one continues, and why."""

    earlier: StoryProfile
    shared: int
    overlap: float
    cosine: float


def continues(new: StoryProfile, earlier: StoryProfile, rules: StorylineSettings) -> StorylineMatch | None:
    """Whether ``new`` continues ``earlier`` (which ended before ``new`` began), with the evidence."""
    if earlier.last_seen >= new.first_seen or earlier.story_id == new.story_id:
        return None
    if (new.first_seen - earlier.last_seen).total_seconds() > rules.lookback_days * 86400:
        return None
    mine, theirs = new.core(rules.core_entities), earlier.core(rules.core_entities)
    shared = len(mine & theirs)
    smaller = min(len(mine), len(theirs))
    if shared < rules.min_shared or smaller == 0 or shared / smaller < rules.min_overlap:
        return None
    if new.centroid is None or earlier.centroid is None:
        return None
    cosine = float(new.centroid @ earlier.centroid)
    if cosine < rules.min_cosine:
        return None
    return StorylineMatch(earlier, shared, shared / smaller, cosine)


def best_continuation(
    new: StoryProfile, candidates: Sequence[StoryProfile], rules: StorylineSettings
) -> StorylineMatch | None:
    """The earlier story ``new`` continues best (most shared entities, then closest, then latest)."""
    matches = [m for m in (continues(new, c, rules) for c in candidates) if m is not None]
    if not matches:
        return None
    return max(matches, key=lambda m: (m.overlap, m.cosine, m.earlier.last_seen, m.earlier.story_id))


def mean_direction(vectors: Sequence[np.ndarray]) -> np.ndarray | None:
    """The unit vector of the vectors' sum (None when there are none or they cancel out)."""
    if not vectors:
        return None
    direction = unit(np.sum(np.stack(vectors), axis=0))
    return direction if direction.any() else None
