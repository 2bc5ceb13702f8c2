"""Linking the stories a batch touched to the earlier stories they continue (see ``stories.storylines``)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from newsdesk.settings import StorylineSettings
from newsdesk.store import storylines as storyline_store
from newsdesk.stories.storylines import best_continuation


def link_storylines(session: Session, story_ids: Collection[int], rules: StorylineSettings) -> int:
    """Put each of these stories that is in no storyline yet (and is big enough to tell) in the
    storyline of the earlier story it continues, if any; how many were linked."""
    if not rules.enabled:
        return 0
    linked = 0
    todo = storyline_store.unlinked(session, story_ids, rules.min_articles)
    for story in storyline_store.profiles(session, todo).values():
        story_id = story.story_id
        earlier_ids = storyline_store.candidates(session, story, rules)
        if not earlier_ids:
            continue
        earlier = storyline_store.profiles(session, earlier_ids)
        match = best_continuation(story, list(earlier.values()), rules)
        if match is not None:
            storyline_store.link(session, story_id, match.earlier)
            linked += 1
    return linked
