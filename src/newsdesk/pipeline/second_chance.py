"""The clusterer's second chances, made in the store: an article that started a story of its own
moves to the story it reaches later (``newsdesk.stories.second_chance``).

A move is made in the batch's transaction, with the rows an analyst's move uses
(``newsdesk.store.steering.apply_changes``): the article and its copies in its story go to the
target, the story they leave empty is removed (and where its article went is kept, for links to
it: ``story_moves``). It is the clusterer's own placement, not an
analyst's action: it is not pinned, the audit trail does not record it, and the membership's
evidence says how it came (path ``"second-chance"``). A story the store holds otherwise than the
clusterer expects (an article pinned or added since, a story locked) is left as it is.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from newsdesk.store import articles as article_store
from newsdesk.store import steering as steering_store
from newsdesk.store.steering import Changes, Move, UnknownStory
from newsdesk.stories.clustering import Moved

log = logging.getLogger(__name__)


@dataclass
class Shifted:
    """What the moves changed: the article moved to each target, and the stories removed."""

    placed: dict[int, int] = field(default_factory=dict)
    removed: set[int] = field(default_factory=set)

    @property
    def targets(self) -> set[int]:
        """The stories that took an article."""
        return set(self.placed.values())


def apply_moves(session: Session, moves: Sequence[Moved]) -> Shifted:
    """Make the moves in the store (inside the batch's transaction, after its memberships)."""
    shifted = Shifted()
    for moved in moves:
        if _apply(session, moved):
            shifted.placed[int(moved.key)] = moved.target
            shifted.removed.add(moved.source)
    return shifted


def _apply(session: Session, moved: Moved) -> bool:
    """Move one article (and its copies in its story); False when the store disagrees."""
    article_id = int(moved.key)
    try:
        source = steering_store.story_state(session, moved.source)
        target = steering_store.story_state(session, moved.target)
    except UnknownStory:
        log.warning(
            "second chance of article #%d: story #%d or #%d is gone", article_id, moved.source, moved.target
        )
        return False
    copies = steering_store.stories_of(session, steering_store.copies_of(session, [article_id]))
    moving = {article_id} | {copy for copy, (story, _) in copies.items() if story == moved.source}
    pins = steering_store.stories_of(session, moving)
    if (
        source.locked
        or target.locked
        or article_id not in source.members
        or not set(source.members) <= moving
        or any(pinned for _, pinned in pins.values())
    ):
        log.warning(
            "second chance of article #%d: story #%d is no longer its alone; it stays",
            article_id,
            moved.source,
        )
        return False
    changes = Changes(
        moves=[Move(a, moved.source, moved.target, False, False) for a in sorted(moving)],
        removed=[steering_store.snapshot(session, moved.source)],
    )
    steering_store.apply_changes(session, changes)
    steering_store.record_moved(session, moved.source, moved.target, datetime.now(UTC))
    article_store.set_evidence(session, article_id, moved.similarity, moved.evidence.to_dict())
    return True
