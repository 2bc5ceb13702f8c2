"""Inverted index of the story term sums: feature -> ids of the stories holding it.

A second index holds only the stories with no embedding yet: for an article with an
embedding the lexical path looks at those only (the others are found by their centroid),
so the probe reads short lists instead of every story's.
"""

from __future__ import annotations

from collections.abc import Iterable


class TermPostings:
    """Story ids by feature, for every story (``every``) and for those without an embedding (``plain``)."""

    __slots__ = ("every", "plain")

    def __init__(self) -> None:
        self.every: dict[int, set[int]] = {}
        self.plain: dict[int, set[int]] = {}

    def add(self, story_id: int, keys: Iterable[int], plain: bool) -> None:
        """The story holds these features now (``plain``: it has no embedding)."""
        for key in keys:
            self.every.setdefault(key, set()).add(story_id)
            if plain:
                self.plain.setdefault(key, set()).add(story_id)

    def remove(self, story_id: int, keys: Iterable[int]) -> None:
        """The story no longer holds these features."""
        for key in keys:
            _discard(self.every, key, story_id)
            _discard(self.plain, key, story_id)

    def embedded(self, story_id: int, keys: Iterable[int]) -> None:
        """The story, holding these features, took its first embedding."""
        for key in keys:
            _discard(self.plain, key, story_id)


def _discard(postings: dict[int, set[int]], key: int, story_id: int) -> None:
    ids = postings.get(key)
    if ids is not None:
        ids.discard(story_id)
        if not ids:
            del postings[key]
