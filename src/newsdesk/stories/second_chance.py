"""A second chance for a new story: an article that started a story is scored again later.

Arrival order decides much in an online clusterer: an article that comes before the story it
belongs to has been started (or before its story took the words it shares with it) starts a
story of its own. ``Tuning.second_chance_after`` articles later, if that story still holds
only it and no analyst has touched it, the article is scored again against the other live
stories and moves to the best one it reaches (:class:`Moved`); only the stories that took an
article since it was first scored are looked at (:class:`RecentJoins`: the others turned it
down then and are unchanged). A one-article story's row holds
exactly the article's vectors, so nothing but the story id, the article's key and when it is
due is kept while it waits (:class:`Waiting`, saved with the state's header).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from newsdesk.stories.evidence import Evidence
from newsdesk.stories.table import StoryTable
from newsdesk.stories.vectors import Vectors

PATH = "second-chance"


@dataclass(frozen=True)
class Waiting:
    """A story started by one article, scored again once ``due`` articles have been added."""

    story_id: int
    key: int | str
    due: int

    def to_json(self) -> list:
        """Plain-data form (in the state's header)."""
        return [self.story_id, self.key, self.due]

    @classmethod
    def from_json(cls, data: list) -> Waiting:
        """Inverse of :meth:`to_json`."""
        story_id, key, due = data
        return cls(int(story_id), key, int(due))


class RecentJoins:
    """Which stories took an article, by arrival, over the last arrivals only: the stories
    changed since a waiting article was scored, found without reading every live story.

    The log is complete from arrival ``start`` on (a state loaded at arrival N knows nothing of
    the joins before N)."""

    __slots__ = ("_log", "start")

    def __init__(self, start: int = 0) -> None:
        self._log: deque[tuple[int, int]] = deque()
        self.start = start

    def record(self, arrival: int, story_id: int) -> None:
        """The story took an article at this arrival (arrivals never go back)."""
        self._log.append((arrival, story_id))

    def forget_before(self, arrival: int) -> None:
        """Drop what happened before ``arrival`` (no waiting article was scored that early)."""
        log = self._log
        while log and log[0][0] < arrival:
            log.popleft()
        self.start = max(self.start, arrival)

    def since(self, arrival: int) -> set[int] | None:
        """The ids of the stories that took an article at ``arrival`` or later (None: not
        known, the log starts after it)."""
        if arrival < self.start:
            return None
        found = set()
        for when, story_id in reversed(self._log):
            if when < arrival:
                break
            found.add(story_id)
        return found


@dataclass
class Moved:
    """An article (``key``) taken out of the story it started (``source``, now gone) into
    ``target``, with the evidence of its second chance (path ``"second-chance"``)."""

    key: int | str
    source: int
    target: int
    similarity: float
    evidence: Evidence


def row_vectors(stories: StoryTable, slot: int) -> tuple[Vectors, float, str | None, str]:
    """The vectors, time, language and outlet of the one article of the story in ``slot``
    (what ``OnlineClusterer._read`` gave when it started the story)."""
    language = stories.languages[slot][0] if stories.languages[slot] else None
    lede = stories.lede[slot].get(language or "")
    vectors = Vectors(
        stories.sums[slot].copy() if stories.embedded[slot] > 0 else None,
        dict(stories.lex[slot].weights),
        dict(lede.weights) if lede is not None else {},
        frozenset(stories.quotes[slot]),
        stories.cross_sums[slot].copy() if stories.crossed(slot) else None,
        days=frozenset(stories.days[slot]),
    )
    moment = float(stories.first[slot])
    outlet = stories.outlets[slot][0] if stories.outlets[slot] else ""
    return vectors, (math.nan if math.isnan(moment) else moment), language, outlet
