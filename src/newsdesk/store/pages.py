"""Raw pages: everything fetched is kept (compressed) before it is processed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, bindparam, or_, select, update
from sqlalchemy.orm import Session

from newsdesk import models
from newsdesk.store import schema
from newsdesk.store.convert import compress_html, decompress_html, entry_from_json, entry_to_json

PENDING, DONE, FAILED, DUPLICATE = "pending", "done", "failed", "duplicate"
SKIPPED = "skipped"  # not an article (a home page, a section front): the reason is kept, never retried
UNFETCHED = "unfetched"  # the page itself could not be fetched yet


def known_urls(session: Session, urls: Iterable[str]) -> set[str]:
    """Which of these URLs were already fetched or stored as articles."""
    wanted = list(dict.fromkeys(urls))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(session.scalars(select(schema.RawPage.url).where(schema.RawPage.url.in_(chunk))))
        found.update(session.scalars(select(schema.Article.url).where(schema.Article.url.in_(chunk))))
        found.update(
            session.scalars(
                select(schema.Article.canonical_url).where(schema.Article.canonical_url.in_(chunk))
            )
        )
    return found


def save_raw_page(
    session: Session,
    page: models.RawPage,
    now: datetime,
    fetch_error: str | None = None,
    retry_minutes: int = 60,
    retry_at: datetime | None = None,
) -> int | None:
    """Keep a fetched page for processing; returns its id (None if already there).

    A page that could not be fetched is kept with its error (status ``unfetched``)
    and fetched again later: at ``retry_at`` when its host asked to wait until then (429 or
    503 with Retry-After), which does not count as an attempt."""
    existing = session.scalar(select(schema.RawPage).where(schema.RawPage.url == page.url))
    if existing is not None and existing.status != UNFETCHED:
        return None
    row = existing or schema.RawPage(url=page.url, attempts=0)
    row.final_url = page.final_url
    row.feed_id = page.feed_id
    if page.feed_id is None:  # an imported page: what its record said (a feed's page has its feed's)
        row.outlet, row.language = page.outlet, page.feed_language
    row.entry_json = entry_to_json(page.entry) or row.entry_json
    row.fetched_at = page.collected or now
    if fetch_error and retry_at is not None:
        row.status, row.error, row.html_compressed = UNFETCHED, fetch_error, None
        row.next_attempt = max(retry_at, now)
    elif fetch_error:
        row.status, row.error, row.html_compressed = UNFETCHED, fetch_error, None
        row.attempts += 1
        row.next_attempt = now + timedelta(minutes=retry_minutes * 2 ** min(row.attempts - 1, 5))
    else:
        row.status, row.error, row.html_compressed = PENDING, None, compress_html(page.html)
    if existing is None:
        session.add(row)
    session.flush()
    return row.id


def unfetched_due(session: Session, now: datetime, max_attempts: int) -> list[models.RawPage]:
    """Pages whose fetch failed and whose retry time has come."""
    rows = session.scalars(
        select(schema.RawPage)
        .where(
            (schema.RawPage.status == UNFETCHED)
            & (schema.RawPage.attempts < max_attempts)
            & (schema.RawPage.next_attempt <= now)
        )
        .order_by(schema.RawPage.id)
    ).all()
    return [
        models.RawPage(url=r.url, html="", feed_id=r.feed_id, entry=entry_from_json(r.entry_json))
        for r in rows
    ]


def _waiting(now: datetime, max_attempts: int) -> ColumnElement[bool]:
    """Pages waiting for extraction, and failed ones whose retry time has come."""
    return or_(
        schema.RawPage.status == PENDING,
        (schema.RawPage.status == FAILED)
        & (schema.RawPage.attempts < max_attempts)
        & (schema.RawPage.next_attempt <= now),
    )


def pending_order(session: Session, now: datetime, max_attempts: int) -> list[int]:
    """The ids of the pages waiting for extraction (and failed ones due for a retry) in the
    order they are to be processed: by publication time (the feed entry's, else the fetch
    time), then URL. The stories then depend on what was collected, not on which response
    came back first, and they grow in the order events were reported."""
    rows = session.execute(
        select(
            schema.RawPage.id, schema.RawPage.url, schema.RawPage.fetched_at, schema.RawPage.entry_json
        ).where(_waiting(now, max_attempts))
    ).all()

    def key(row: tuple) -> tuple[datetime, str]:
        entry = entry_from_json(row.entry_json)
        when = (entry.published if entry else None) or row.fetched_at
        return (when if when.tzinfo else when.replace(tzinfo=UTC)), row.url

    return [row.id for row in sorted(rows, key=key)]


def pages_by_id(session: Session, ids: list[int]) -> list[tuple[int, models.RawPage]]:
    """The stored pages of ``ids``, in that order, with their outlet and language: those its
    import record named, else its feed's (the entry's own language when the feed or sitemap
    gave one, else the feed's)."""
    rows = session.execute(
        select(schema.RawPage, schema.Feed.language, schema.Outlet.domain)
        .outerjoin(schema.Feed, schema.Feed.id == schema.RawPage.feed_id)
        .outerjoin(schema.Outlet, schema.Outlet.id == schema.Feed.outlet_id)
        .where(schema.RawPage.id.in_(ids))
    ).all()
    found = {
        row.id: models.RawPage(
            url=row.url,
            html=decompress_html(row.html_compressed),
            final_url=row.final_url,
            outlet=row.outlet or outlet,
            feed_id=row.feed_id,
            feed_language=row.language or (entry.language if entry else None) or feed_language,
            entry=entry,
            collected=row.fetched_at,
        )
        for row, feed_language, outlet in rows
        for entry in [entry_from_json(row.entry_json)]
    }
    return [(page_id, found[page_id]) for page_id in ids if page_id in found]


def mark_failed(session: Session, page_id: int, error: str, now: datetime, retry_minutes: int) -> None:
    row = session.get(schema.RawPage, page_id)
    if row is None:
        return
    row.status = FAILED
    row.error = error
    row.attempts += 1
    row.next_attempt = now + timedelta(minutes=retry_minutes * 2 ** min(row.attempts - 1, 5))


def mark_statuses(session: Session, statuses: Iterable[tuple[int, str, str | None]]) -> None:
    """Set pages' status and reason, ``(page id, status, error)``, each counted as an attempt;
    in one statement."""
    table = schema.RawPage.__table__
    rows = [
        {"page": page_id, "new_status": status, "new_error": error} for page_id, status, error in statuses
    ]
    if rows:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("page"))
            .values(
                status=bindparam("new_status"), error=bindparam("new_error"), attempts=table.c.attempts + 1
            ),
            rows,
        )


def failed_pages(session: Session) -> list[tuple[str, str, str | None, int]]:
    """Pages that could not be fetched or extracted: url, status, error, attempts."""
    return list(
        session.execute(
            select(schema.RawPage.url, schema.RawPage.status, schema.RawPage.error, schema.RawPage.attempts)
            .where(schema.RawPage.status.in_([FAILED, UNFETCHED]))
            .order_by(schema.RawPage.id)
        ).all()
    )
