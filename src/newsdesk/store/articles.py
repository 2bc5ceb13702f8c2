"""Writing articles, their stories and the clusterer's state, one batch per transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from newsdesk import models
from newsdesk.store import schema
from newsdesk.store.convert import pack_embedding, unpack_embedding, utc_offset_minutes
from newsdesk.store.feeds import outlet_id


@dataclass
class StoryMember:
    article_id: int
    title: str
    language: str | None
    embedding: np.ndarray | None


def existing_keys(
    session: Session, canonical_urls: Iterable[str], hashes: Iterable[str]
) -> tuple[set[str], set[str]]:
    """Canonical URLs and content hashes already stored."""
    urls, digests = list(set(canonical_urls)), list(set(hashes))
    found_urls: set[str] = set()
    found_hashes: set[str] = set()
    for start in range(0, max(len(urls), len(digests)), 500):
        if urls[start : start + 500]:
            found_urls.update(
                session.scalars(
                    select(schema.Article.canonical_url).where(
                        schema.Article.canonical_url.in_(urls[start : start + 500])
                    )
                )
            )
        if digests[start : start + 500]:
            found_hashes.update(
                h
                for h in session.scalars(
                    select(schema.Article.content_hash).where(
                        schema.Article.content_hash.in_(digests[start : start + 500])
                    )
                )
                if h
            )
    return found_urls, found_hashes


def insert_article(session: Session, article: models.Article, raw_page_id: int | None) -> int:
    """Store one article and return its stable id."""
    row = schema.Article(
        url=article.url,
        canonical_url=article.canonical_url,
        outlet_id=outlet_id(session, article.outlet),
        feed_id=article.feed_id,
        raw_page_id=raw_page_id,
        title=article.title,
        lede=article.lede,
        byline=article.byline,
        published=article.published,
        published_offset=utc_offset_minutes(article.published),
        collected=article.collected,
        language=article.language,
        language_score=article.language_score,
        word_count=article.word_count,
        reading_time=article.reading_time,
        text=article.text,
        content_hash=article.content_hash,
        embedding=pack_embedding(article.embedding),
    )
    session.add(row)
    session.flush()
    return row.id


def add_membership(
    session: Session, article: models.Article, story_id: int, similarity: float, now: datetime
) -> None:
    """Attach an article to a story, creating the story when it is new."""
    story = session.get(schema.Story, story_id)
    when = article.when
    if story is None:
        story = schema.Story(id=story_id, first_seen=when, last_seen=when, article_count=0, outlet_count=0)
        session.add(story)
        session.flush()
    else:
        story.first_seen = min(story.first_seen, when)
        story.last_seen = max(story.last_seen, when)
    story.article_count += 1
    session.add(
        schema.Membership(article_id=article.id, story_id=story_id, similarity=similarity, joined=now)
    )
    session.flush()


def refresh_outlet_counts(session: Session, story_ids: Iterable[int]) -> None:
    for story_id in set(story_ids):
        count = session.scalar(
            select(func.count(func.distinct(schema.Article.outlet_id)))
            .join(schema.Membership, schema.Membership.article_id == schema.Article.id)
            .where(schema.Membership.story_id == story_id)
        )
        story = session.get(schema.Story, story_id)
        if story is not None:
            story.outlet_count = count or 0


def story_members(session: Session, story_id: int) -> list[StoryMember]:
    rows = session.execute(
        select(schema.Article.id, schema.Article.title, schema.Article.language, schema.Article.embedding)
        .join(schema.Membership, schema.Membership.article_id == schema.Article.id)
        .where(schema.Membership.story_id == story_id)
        .order_by(schema.Article.id)
    ).all()
    return [StoryMember(r[0], r[1] or "", r[2], unpack_embedding(r[3])) for r in rows]


def replace_headlines(session: Session, story_id: int, headlines: dict[str, tuple[str, int]]) -> None:
    """Set a story's headline per language: ``{language: (title, article id)}``."""
    for row in session.scalars(select(schema.StoryHeadline).where(schema.StoryHeadline.story_id == story_id)):
        session.delete(row)
    session.flush()
    for language, (title, article_id) in headlines.items():
        session.add(
            schema.StoryHeadline(story_id=story_id, language=language, title=title, article_id=article_id)
        )


def load_cluster_state(session: Session) -> tuple[bytes, list[bytes]] | None:
    """The clustering state: its header and the live stories' records (None before the first batch)."""
    row = session.get(schema.ClusterState, 1)
    if row is None:
        return None
    return row.data, list(
        session.scalars(select(schema.ClusterStory.data).order_by(schema.ClusterStory.story_id))
    )


def save_cluster_state(
    session: Session, header: bytes, stories: dict[int, bytes], removed: Iterable[int], now: datetime
) -> None:
    """Save what a batch changed in the clustering state: the header, the records of the
    stories it touched (written over) and the stories dropped from it (deleted)."""
    row = session.get(schema.ClusterState, 1)
    if row is None:
        session.add(schema.ClusterState(id=1, data=header, updated=now))
    else:
        row.data, row.updated = header, now
    gone = sorted(set(removed) | set(stories))
    for start in range(0, len(gone), 1000):
        chunk = gone[start : start + 1000]
        session.execute(delete(schema.ClusterStory).where(schema.ClusterStory.story_id.in_(chunk)))
    session.add_all(schema.ClusterStory(story_id=k, data=v, updated=now) for k, v in stories.items())
