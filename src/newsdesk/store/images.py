"""Articles' lead images: which are still to fetch, the thumbnails kept, one read back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from newsdesk.ingest.images import Thumbnail
from newsdesk.store import schema
from newsdesk.store.database import ids_among


def to_fetch(session: Session, limit: int) -> list[tuple[int, str]]:
    """Articles with a lead image address and no thumbnail (nor a failed try) yet, newest first."""
    tried = select(schema.ArticleImage.article_id).where(schema.ArticleImage.article_id == schema.Article.id)
    rows = session.execute(
        select(schema.Article.id, schema.Article.image_url)
        .where(schema.Article.image_url.is_not(None), ~tried.exists())
        .order_by(schema.Article.id.desc())
        .limit(limit)
    )
    return [(article_id, url) for article_id, url in rows]


def save(session: Session, found: Sequence[tuple[int, Thumbnail]], when: datetime) -> None:
    """Keep each article's thumbnail, or why there is none (it is not tried again)."""
    if found:
        session.execute(
            insert(schema.ArticleImage),
            [
                {
                    "article_id": article_id,
                    "content_type": thumb.content_type,
                    "data": thumb.data,
                    "width": thumb.width,
                    "height": thumb.height,
                    "error": thumb.error,
                    "fetched": when,
                }
                for article_id, thumb in found
            ],
        )


def thumbnail(session: Session, article_id: int) -> tuple[str, bytes] | None:
    """An article's thumbnail (content type, bytes), when it has one."""
    row = session.execute(
        select(schema.ArticleImage.content_type, schema.ArticleImage.data).where(
            schema.ArticleImage.article_id == article_id, schema.ArticleImage.data.is_not(None)
        )
    ).first()
    return (row[0], row[1]) if row and row[0] else None


def with_thumbnails(session: Session, article_ids: Iterable[int]) -> set[int]:
    """Of these articles, those with a thumbnail."""
    return ids_among(
        session, schema.ArticleImage.article_id, article_ids, schema.ArticleImage.data.is_not(None)
    )
