"""Conversions between stored rows and the stages' dataclasses."""

from __future__ import annotations

import gzip
import json
from dataclasses import asdict
from datetime import datetime, timedelta, timezone

import numpy as np
import zstandard

from newsdesk import models
from newsdesk.store import schema

ZSTD_LEVEL = 3
GZIP_MAGIC = b"\x1f\x8b"


def pack_embedding(vector: np.ndarray | None) -> bytes | None:
    """Embeddings are stored as float16 (1 KiB for 512 dimensions)."""
    return None if vector is None else np.asarray(vector, dtype=np.float16).tobytes()


def unpack_embedding(data: bytes | None) -> np.ndarray | None:
    return None if data is None else np.frombuffer(data, dtype=np.float16).astype(np.float32)


def utc_offset_minutes(value: datetime | None) -> int | None:
    if value is None or value.utcoffset() is None:
        return None
    return int(value.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]


def with_offset(value: datetime | None, minutes: int | None) -> datetime | None:
    """Restore the publisher's own UTC offset on a stored UTC time."""
    if value is None or minutes is None:
        return value
    return value.astimezone(timezone(timedelta(minutes=minutes)))


def compress_html(html: str) -> bytes:
    """A page's HTML as stored: UTF-8, Zstandard level 3 (smaller than gzip -6, five times faster)."""
    return zstandard.compress(html.encode("utf-8"), ZSTD_LEVEL)


def decompress_html(data: bytes | None) -> str:
    """The HTML back from :func:`compress_html`; pages stored by earlier releases are gzip."""
    if not data:
        return ""
    raw = gzip.decompress(data) if data[:2] == GZIP_MAGIC else zstandard.decompress(data)
    return raw.decode("utf-8")


def entry_to_json(entry: models.FeedEntry | None) -> str | None:
    if entry is None:
        return None
    data = asdict(entry)
    data["published"] = entry.published.isoformat() if entry.published else None
    return json.dumps(data, ensure_ascii=False)


def entry_from_json(text: str | None) -> models.FeedEntry | None:
    if not text:
        return None
    data = json.loads(text)
    if data.get("published"):
        data["published"] = datetime.fromisoformat(data["published"])
    return models.FeedEntry(**data)


def article_from_row(
    row: schema.Article, outlet: str, story_id: int | None, evidence: str | None = None
) -> models.Article:
    """An article from its row, with its membership's evidence when given (JSON)."""
    return models.Article(
        id=row.id,
        url=row.url,
        canonical_url=row.canonical_url,
        outlet=outlet,
        title=row.title,
        lede=row.lede,
        byline=row.byline,
        published=with_offset(row.published, row.published_offset),
        collected=row.collected,
        paragraphs=row.text.split("\n") if row.text else [],
        language=row.language,
        language_score=row.language_score,
        word_count=row.word_count,
        reading_time=row.reading_time,
        content_hash=row.content_hash,
        embedding=unpack_embedding(row.embedding),
        feed_id=row.feed_id,
        story_id=story_id,
        copy_signature=row.copy_signature,
        copy_of=row.copy_of,
        image_url=row.image_url,
        evidence=json.loads(evidence) if evidence else None,
    )


def feed_from_row(row: schema.Feed, outlet: str | None, article_count: int = 0) -> models.Feed:
    return models.Feed(
        id=row.id,
        url=row.url,
        outlet=outlet,
        title=row.title,
        site_url=row.site_url,
        language=row.language,
        interval_minutes=row.interval_minutes,
        etag=row.etag,
        last_modified=row.last_modified,
        status=row.status,
        last_fetch=row.last_fetch,
        last_success=row.last_success,
        last_error=row.last_error,
        error_count=row.error_count,
        next_fetch=row.next_fetch,
        article_count=article_count,
        kind=row.kind or "feed",
        seen_until=row.seen_until,
    )
