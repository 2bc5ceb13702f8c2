"""Storylines in the store: the profiles the decision reads, the candidates, the links."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from newsdesk.settings import StorylineSettings
from newsdesk.store import schema
from newsdesk.store.convert import unpack_embedding
from newsdesk.stories.storylines import StoryProfile, mean_direction

# Earlier stories compared with a new one at most (those that ended last first).
MAX_CANDIDATES = 50


def profiles(session: Session, story_ids: Collection[int]) -> dict[int, StoryProfile]:
    """The storyline profiles of stories: dates, size, entities by articles, mean embedding."""
    ids = list(story_ids)
    if not ids:
        return {}
    found = {
        row.id: StoryProfile(
            row.id, row.first_seen, row.last_seen, row.article_count, {}, None, row.storyline_id
        )
        for row in session.execute(
            select(
                schema.Story.id,
                schema.Story.first_seen,
                schema.Story.last_seen,
                schema.Story.article_count,
                schema.Story.storyline_id,
            ).where(schema.Story.id.in_(ids))
        )
    }
    for story_id, entity_id, articles in session.execute(
        select(
            schema.Membership.story_id,
            schema.Mention.entity_id,
            func.count(schema.Mention.article_id.distinct()),
        )
        .join(schema.Membership, schema.Membership.article_id == schema.Mention.article_id)
        .where(schema.Membership.story_id.in_(ids), schema.Mention.entity_id.is_not(None))
        .group_by(schema.Membership.story_id, schema.Mention.entity_id)
    ):
        found[story_id].entities[entity_id] = articles
    vectors = defaultdict(list)
    for story_id, data in session.execute(
        select(schema.Membership.story_id, schema.Article.embedding)
        .join(schema.Article, schema.Article.id == schema.Membership.article_id)
        .where(schema.Membership.story_id.in_(ids), schema.Article.embedding.is_not(None))
    ):
        vectors[story_id].append(unpack_embedding(data))
    for story_id, profile in found.items():
        profile.centroid = mean_direction(vectors.get(story_id, []))
    return found


def candidates(session: Session, story: StoryProfile, rules: StorylineSettings) -> list[int]:
    """Stories that ended in the ``lookback_days`` before ``story`` began and name one of its core
    entities, those that ended last first."""
    core = story.core(rules.core_entities)
    if not core:
        return []
    start = story.first_seen - timedelta(days=rules.lookback_days)
    rows = session.execute(
        select(schema.Story.id)
        .where(
            schema.Story.id.in_(
                select(schema.Membership.story_id)
                .join(schema.Mention, schema.Mention.article_id == schema.Membership.article_id)
                .where(schema.Mention.entity_id.in_(core))
            ),
            schema.Story.last_seen < story.first_seen,
            schema.Story.last_seen >= start,
            schema.Story.id != story.story_id,
        )
        .order_by(schema.Story.last_seen.desc(), schema.Story.id.desc())
        .limit(MAX_CANDIDATES)
    )
    return [row[0] for row in rows]


def unlinked(session: Session, story_ids: Collection[int], min_articles: int) -> list[int]:
    """Of these stories, those in no storyline yet with at least ``min_articles`` articles."""
    if not story_ids:
        return []
    return list(
        session.scalars(
            select(schema.Story.id)
            .where(
                schema.Story.id.in_(list(story_ids)),
                schema.Story.storyline_id.is_(None),
                schema.Story.article_count >= min_articles,
            )
            .order_by(schema.Story.id)
        )
    )


def link(session: Session, story_id: int, earlier: StoryProfile) -> int:
    """Put ``story_id`` in the storyline of ``earlier`` (which starts one when in none); its id."""
    line = earlier.storyline_id or earlier.story_id
    session.execute(
        update(schema.Story)
        .where(schema.Story.id.in_([story_id, earlier.story_id]))
        .values(storyline_id=line)
    )
    return line
