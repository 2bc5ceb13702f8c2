"""Writing articles, their stories and the clusterer's state, one batch per transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from newsdesk import models
from newsdesk.store import schema
from newsdesk.store.convert import pack_embedding, unpack_embedding, utc_offset_minutes
from newsdesk.store.database import ids_among, insert_ids
from newsdesk.store.feeds import outlet_ids


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


def article_exists(session: Session, article_id: int) -> bool:
    """Whether an article with this id is stored."""
    return session.scalar(select(schema.Article.id).where(schema.Article.id == article_id)) is not None


def insert_article(session: Session, article: models.Article, raw_page_id: int | None) -> int:
    """Store one article and return its stable id."""
    return insert_articles(session, [(article, raw_page_id)])[0]


def insert_articles(session: Session, items: Sequence[tuple[models.Article, int | None]]) -> list[int]:
    """Store articles, ``(article, raw page id)``, in one statement; their stable ids, in order."""
    if not items:
        return []
    outlets = outlet_ids(session, (article.outlet for article, _ in items))
    table = schema.Article.__table__
    return insert_ids(
        session,
        table,
        [
            {
                "url": article.url,
                "canonical_url": article.canonical_url,
                "outlet_id": outlets[article.outlet],
                "feed_id": article.feed_id,
                "raw_page_id": raw_page_id,
                "title": article.title,
                "lede": article.lede,
                "byline": article.byline,
                "published": article.published,
                "published_offset": utc_offset_minutes(article.published),
                "collected": article.collected,
                "language": article.language,
                "language_score": article.language_score,
                "word_count": article.word_count,
                "reading_time": article.reading_time,
                "text": article.text,
                "content_hash": article.content_hash,
                "embedding": pack_embedding(article.embedding),
                "keywords": None,
                "annotated": None,
                "copy_of": article.copy_of,
                "copy_signature": article.copy_signature,
                "image_url": article.image_url,
            }
            for article, raw_page_id in items
        ],
    )


def add_memberships(
    session: Session, members: Sequence[tuple[models.Article, int, float, dict | None]], now: datetime
) -> None:
    """Attach stored articles to stories, ``(article, story id, similarity, evidence)``, creating the
    stories that are new and widening the others' time span; a statement per kind of row."""
    if not members:
        return
    spans: dict[int, list] = {}  # story id: [first seen, last seen, articles added]
    for article, story_id, _, _ in members:
        when = article.when
        span = spans.get(story_id)
        if span is None:
            spans[story_id] = [when, when, 1]
        else:
            span[0], span[1], span[2] = min(span[0], when), max(span[1], when), span[2] + 1
    table = schema.Story.__table__
    ids = sorted(spans)
    stored: dict[int, tuple[datetime, datetime, int]] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(table.c.id, table.c.first_seen, table.c.last_seen, table.c.article_count).where(
                table.c.id.in_(ids[start : start + 500])
            )
        )
        stored.update((row[0], (row[1], row[2], row[3])) for row in rows)
    new = [
        {
            "id": story_id,
            "first_seen": spans[story_id][0],
            "last_seen": spans[story_id][1],
            "article_count": spans[story_id][2],
            "outlet_count": 0,
            "keywords": None,
        }
        for story_id in ids
        if story_id not in stored
    ]
    changed = [
        {
            "story": story_id,
            "new_first": min(first, spans[story_id][0]),
            "new_last": max(last, spans[story_id][1]),
            "new_count": count + spans[story_id][2],
        }
        for story_id, (first, last, count) in stored.items()
    ]
    if new:
        session.execute(insert(table), new)
    if changed:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("story"))
            .values(
                first_seen=bindparam("new_first"),
                last_seen=bindparam("new_last"),
                article_count=bindparam("new_count"),
            ),
            changed,
        )
    session.execute(
        insert(schema.Membership.__table__),
        [
            {
                "article_id": article.id,
                "story_id": story_id,
                "similarity": similarity,
                "joined": now,
                "evidence": None if evidence is None else json.dumps(evidence, ensure_ascii=False),
            }
            for article, story_id, similarity, evidence in members
        ],
    )


def set_evidence(session: Session, article_id: int, similarity: float, evidence: dict | None) -> None:
    """Say again why an article is in its story (its membership's similarity and evidence)."""
    table = schema.Membership.__table__
    session.execute(
        update(table)
        .where(table.c.article_id == article_id)
        .values(
            similarity=similarity,
            evidence=None if evidence is None else json.dumps(evidence, ensure_ascii=False),
        )
    )


@dataclass
class CopyRow:
    """A stored article as the wire-copy index takes it up."""

    article_id: int
    signature: bytes
    published: datetime | None
    collected: datetime
    copy_of: int | None


def copy_rows(session: Session, since: datetime) -> list[CopyRow]:
    """The signed articles collected since a time, in id order, for the wire-copy index."""
    table = schema.Article
    rows = session.execute(
        select(table.id, table.copy_signature, table.published, table.collected, table.copy_of)
        .where((table.collected >= since) & table.copy_signature.is_not(None))
        .order_by(table.id)
    )
    return [CopyRow(*row) for row in rows]


def article_times(session: Session, ids: Iterable[int]) -> dict[int, tuple[datetime | None, datetime]]:
    """Articles' publication and collection times, by id."""
    wanted = sorted(set(ids))
    found: dict[int, tuple[datetime | None, datetime]] = {}
    table = schema.Article
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(table.id, table.published, table.collected).where(
                table.id.in_(wanted[start : start + 500])
            )
        )
        found.update((row[0], (row[1], row[2])) for row in rows)
    return found


def stories_of(session: Session, article_ids: Iterable[int]) -> dict[int, int]:
    """The stories of stored articles, by article id (articles in none are left out)."""
    wanted = sorted(set(article_ids))
    found: dict[int, int] = {}
    table = schema.Membership
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(table.article_id, table.story_id).where(table.article_id.in_(wanted[start : start + 500]))
        )
        found.update((article_id, story_id) for article_id, story_id in rows)
    return found


def locked_stories(session: Session, story_ids: Iterable[int]) -> set[int]:
    """Those of these stories an analyst locked (they take no new article)."""
    return ids_among(session, schema.Story.id, story_ids, schema.Story.locked.is_(True))


def set_copy_of(session: Session, article_id: int, original: int | None) -> None:
    """Mark an article a copy of ``original`` (None: an original)."""
    table = schema.Article.__table__
    session.execute(update(table).where(table.c.id == article_id).values(copy_of=original))


def replace_original(session: Session, former: int, original: int) -> None:
    """Make ``original`` the original of ``former``'s group: ``former`` and its copies point to it."""
    table = schema.Article.__table__
    session.execute(
        update(table).where((table.c.id == former) | (table.c.copy_of == former)).values(copy_of=original)
    )


def refresh_outlet_counts(session: Session, story_ids: Iterable[int]) -> None:
    """Count again the outlets of these stories' members; one query and one update."""
    ids = sorted(set(story_ids))
    counts: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(schema.Membership.story_id, func.count(func.distinct(schema.Article.outlet_id)))
            .join(schema.Membership, schema.Membership.article_id == schema.Article.id)
            .where(schema.Membership.story_id.in_(ids[start : start + 500]))
            .group_by(schema.Membership.story_id)
        )
        counts.update((story_id, count) for story_id, count in rows)
    if ids:
        table = schema.Story.__table__
        session.execute(
            update(table).where(table.c.id == bindparam("story")).values(outlet_count=bindparam("count")),
            [{"story": story_id, "count": counts.get(story_id, 0)} for story_id in ids],
        )


def stories_members(session: Session, story_ids: Iterable[int]) -> dict[int, list[StoryMember]]:
    """The members of these stories (those with any), in order of article id; one query per 500."""
    ids = sorted(set(story_ids))
    found: dict[int, list[StoryMember]] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(
                schema.Membership.story_id,
                schema.Article.id,
                schema.Article.title,
                schema.Article.language,
                schema.Article.embedding,
            )
            .join(schema.Membership, schema.Membership.article_id == schema.Article.id)
            .where(schema.Membership.story_id.in_(ids[start : start + 500]))
            .order_by(schema.Article.id)
        )
        for story_id, article_id, title, language, embedding in rows:
            found.setdefault(story_id, []).append(
                StoryMember(article_id, title or "", language, unpack_embedding(embedding))
            )
    return found


def replace_all_headlines(session: Session, headlines: dict[int, dict[str, tuple[str, int]]]) -> None:
    """Set stories' headlines per language: ``{story id: {language: (title, article id)}}``. A
    headline an analyst named stays as it is."""
    table = schema.StoryHeadline.__table__
    ids = sorted(headlines)
    for start in range(0, len(ids), 500):
        session.execute(
            delete(table).where(table.c.story_id.in_(ids[start : start + 500]), table.c.named.is_(False))
        )
    named = named_languages(session, ids)
    rows = [
        {"story_id": story_id, "language": language, "title": title, "article_id": article_id}
        for story_id in ids
        for language, (title, article_id) in headlines[story_id].items()
        if (story_id, language) not in named
    ]
    if rows:
        session.execute(insert(table), rows)


def named_languages(session: Session, story_ids: Sequence[int]) -> set[tuple[int, str]]:
    """The (story, language) headlines an analyst named, which the labeller leaves alone."""
    found: set[tuple[int, str]] = set()
    for start in range(0, len(story_ids), 500):
        rows = session.execute(
            select(schema.StoryHeadline.story_id, schema.StoryHeadline.language).where(
                schema.StoryHeadline.story_id.in_(story_ids[start : start + 500]),
                schema.StoryHeadline.named.is_(True),
            )
        )
        found.update((story_id, language) for story_id, language in rows)
    return found


def load_cluster_state(session: Session) -> tuple[bytes, list[bytes]] | None:
    """The clustering state: its header and the live stories' records (None before the first batch)."""
    header = load_cluster_header(session)
    if header is None:
        return None
    return header, list(
        session.scalars(select(schema.ClusterStory.data).order_by(schema.ClusterStory.story_id))
    )


def load_cluster_header(session: Session) -> bytes | None:
    """The clustering state's header alone (None before the first batch)."""
    row = session.get(schema.ClusterState, 1)
    return None if row is None else row.data


def load_cluster_index(session: Session) -> bytes | None:
    """The centroid indexes saved by :func:`save_cluster_index` (None: none saved)."""
    row = session.get(schema.ClusterIndex, 1)
    return None if row is None else row.data


def save_cluster_index(session: Session, data: bytes, now: datetime) -> None:
    """Keep the clusterer's centroid indexes (in place of those saved before)."""
    _put_single_row(session, schema.ClusterIndex.__table__, data, now)


def _put_single_row(session: Session, table: Table, data: bytes, now: datetime) -> None:
    """Write ``data`` into the one row (id 1) of a single-row table, made if missing."""
    saved = session.execute(update(table).where(table.c.id == 1).values(data=data, updated=now)).rowcount
    if not saved:
        session.execute(insert(table).values(id=1, data=data, updated=now))


def save_cluster_state(
    session: Session, header: bytes, stories: dict[int, bytes], removed: Iterable[int], now: datetime
) -> None:
    """Save what a batch changed in the clustering state: the header, the records of the
    stories it touched (written over) and the stories dropped from it (deleted)."""
    _put_single_row(session, schema.ClusterState.__table__, header, now)
    table = schema.ClusterStory.__table__
    gone = sorted(set(removed) | set(stories))
    for start in range(0, len(gone), 1000):
        chunk = gone[start : start + 1000]
        session.execute(delete(table).where(table.c.story_id.in_(chunk)))
    if stories:
        session.execute(
            insert(table), [{"story_id": k, "data": v, "updated": now} for k, v in stories.items()]
        )
