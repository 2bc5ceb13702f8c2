"""Feeds and outlets: subscriptions, their schedule and their health."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from newsdesk import models
from newsdesk.ingest.retryafter import host_key
from newsdesk.store import schema
from newsdesk.store.convert import feed_from_row
from newsdesk.store.database import insert_ids
from newsdesk.text.messages import N_

# The status of a feed added on the web while its first check runs in the background, and after
# that check failed (the reason is its last error); a good check leaves it "new" until its first poll.
CHECKING = "checking"
CHECK_FAILED = "check failed"
# Every status a feed can have, as readers see it (translated where it is shown).
STATUS_LABELS = {
    "new": N_("new"),
    CHECKING: N_("checking"),
    CHECK_FAILED: N_("check failed"),
    "ok": N_("ok"),
    "ok (with warnings)": N_("ok (with warnings)"),
    "not modified": N_("not modified"),
    "error": N_("error"),
    "rate-limited": N_("rate-limited"),
}


def outlet_id(session: Session, domain: str, name: str | None = None, language: str | None = None) -> int:
    """The id of an outlet by domain, created on first use."""
    row = session.scalar(select(schema.Outlet).where(schema.Outlet.domain == domain))
    if row is None:
        row = schema.Outlet(domain=domain, name=name, language=language)
        session.add(row)
        session.flush()
    elif name and not row.name:
        row.name = name
    return row.id


def outlet_ids(session: Session, domains: Iterable[str]) -> dict[str, int]:
    """The ids of outlets by domain, those not stored yet created (in the order first met); one
    query and at most one insert, for a batch of articles."""
    wanted = list(dict.fromkeys(domains))
    table = schema.Outlet.__table__
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(
            (domain, id_)
            for id_, domain in session.execute(
                select(table.c.id, table.c.domain).where(table.c.domain.in_(chunk))
            )
        )
    missing = [d for d in wanted if d not in found]
    if missing:
        ids = insert_ids(session, table, [{"domain": d, "name": None, "language": None} for d in missing])
        found.update(zip(missing, ids, strict=True))
    return found


def _outlet_domain(session: Session, outlet_id_: int | None) -> str | None:
    if outlet_id_ is None:
        return None
    return session.scalar(select(schema.Outlet.domain).where(schema.Outlet.id == outlet_id_))


def add_feed(
    session: Session,
    url: str,
    now: datetime,
    outlet: str | None = None,
    outlet_named: bool = False,
    language: str | None = None,
    title: str | None = None,
    site_url: str | None = None,
    interval_minutes: int = 15,
    kind: str = "feed",
    status: str = "new",
    due: datetime | None = None,
) -> tuple[models.Feed, bool]:
    """Subscribe to a feed (``kind="feed"``) or a sitemap (``"sitemap"``); returns ``(feed, created)``.
    An existing subscription is kept as it is. A new feed is due at ``due`` (default: now); one
    stored before its first check has ``status=CHECKING``."""
    row = session.scalar(select(schema.Feed).where(schema.Feed.url == url))
    if row is not None:
        return feed_from_row(row, _outlet_domain(session, row.outlet_id)), False
    row = schema.Feed(
        url=url,
        outlet_id=outlet_id(session, outlet, title) if outlet else None,
        outlet_named=outlet_named,
        language=language,
        title=title,
        site_url=site_url,
        interval_minutes=interval_minutes,
        kind=kind,
        status=status,
        error_count=0,
        created=now,
        next_fetch=due or now,
    )
    session.add(row)
    session.flush()
    return feed_from_row(row, outlet), True


def record_feed_check(
    session: Session,
    feed_id: int,
    now: datetime,
    *,
    url: str,
    kind: str = "feed",
    site_url: str | None = None,
    outlet: str | None = None,
    error: str | None = None,
) -> models.Feed | None:
    """Save the first check of a feed stored with status ``CHECKING``: the URL it led to (a page's
    feed), its kind, site link and outlet, or the check's error (status ``CHECK_FAILED``). The feed
    is due at once. A feed polled meanwhile is left as the poll left it. A feed whose page led to a
    feed already subscribed is removed, the other one kept; None then, and when it was removed."""
    row = session.get(schema.Feed, feed_id)
    if row is None or row.status != CHECKING:
        return feed_from_row(row, _outlet_domain(session, row.outlet_id)) if row is not None else None
    if url != row.url:
        if session.scalar(select(schema.Feed.id).where(schema.Feed.url == url)) is not None:
            session.delete(row)
            return None
        row.url = url
    row.next_fetch = now
    if error:
        row.status, row.last_error = CHECK_FAILED, error
    else:
        row.status, row.last_error, row.kind = "new", None, kind
        row.site_url = row.site_url or site_url
        if not row.outlet_named and row.outlet_id is None and outlet:
            row.outlet_id = outlet_id(session, outlet)
    return feed_from_row(row, _outlet_domain(session, row.outlet_id))


def list_feeds(session: Session, now: datetime | None = None) -> list[models.Feed]:
    """Every feed with its article count and, given ``now``, the time its host asked to wait
    until when that is later."""
    waits = host_waits(session, now) if now is not None else {}
    counts = dict(
        session.execute(select(schema.Article.feed_id, func.count()).group_by(schema.Article.feed_id)).all()
    )
    rows = session.execute(
        select(schema.Feed, schema.Outlet.domain)
        .outerjoin(schema.Outlet, schema.Outlet.id == schema.Feed.outlet_id)
        .order_by(schema.Feed.id)
    ).all()
    feeds = [feed_from_row(row, domain, counts.get(row.id, 0)) for row, domain in rows]
    for feed in feeds:
        feed.host_wait_until = waits.get(host_key(feed.url))
    return feeds


def get_feed(session: Session, feed_id: int) -> models.Feed | None:
    """One feed with its article count, or None."""
    row = session.get(schema.Feed, feed_id)
    if row is None:
        return None
    count = session.scalar(select(func.count()).where(schema.Article.feed_id == feed_id)) or 0
    return feed_from_row(row, _outlet_domain(session, row.outlet_id), count)


def find_feed(session: Session, ref: str) -> schema.Feed | None:
    """A feed by numeric id or URL."""
    if ref.isdigit():
        return session.get(schema.Feed, int(ref))
    return session.scalar(select(schema.Feed).where(schema.Feed.url == ref))


def remove_feed(session: Session, ref: str) -> models.Feed | None:
    """Unsubscribe from a feed by id or URL (its articles stay); the feed removed, or None."""
    row = find_feed(session, ref)
    if row is None:
        return None
    removed = feed_from_row(row, _outlet_domain(session, row.outlet_id))
    session.delete(row)
    return removed


def due_feeds(session: Session, now: datetime, force: bool = False) -> list[models.Feed]:
    query = select(schema.Feed, schema.Outlet.domain).outerjoin(
        schema.Outlet, schema.Outlet.id == schema.Feed.outlet_id
    )
    if not force:
        query = query.where(or_(schema.Feed.next_fetch.is_(None), schema.Feed.next_fetch <= now))
    rows = session.execute(query.order_by(schema.Feed.id)).all()
    return [feed_from_row(row, domain) for row, domain in rows]


def waiting_feeds(session: Session, now: datetime) -> list[tuple[datetime, bool]]:
    """The feeds not due yet: when each is due, and whether it is waiting to retry after an error;
    soonest first."""
    rows = session.execute(
        select(schema.Feed.next_fetch, schema.Feed.status)
        .where(schema.Feed.next_fetch > now)
        .order_by(schema.Feed.next_fetch)
    ).all()
    return [(when, status == "error") for when, status in rows]


def record_feed_fetch(
    session: Session,
    feed_id: int,
    now: datetime,
    error: str | None,
    *,
    parsed: models.ParsedFeed | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    not_modified: bool = False,
    retry_minutes: int = 60,
    derived_outlet: str | None = None,
    kind: str | None = None,
    seen_until: datetime | None = None,
    retry_at: datetime | None = None,
) -> None:
    """Save the outcome of one poll: status, error, validators, next time due.

    ``retry_at`` (with ``error``) is when the feed's host asked to be asked again (429 or 503 with
    Retry-After): the feed is due then, and the refusal does not count as a failure.

    ``derived_outlet`` (the domain of the feed's site link) names the outlet of a
    feed whose outlet was not given when it was added. ``kind`` is the kind the document
    turned out to be (a feed added unchecked may be a sitemap); ``seen_until`` a sitemap's
    newest entry date read."""
    row = session.get(schema.Feed, feed_id)
    if row is None:
        return
    row.last_fetch = now
    if error and retry_at is not None:
        row.status = "rate-limited"
        row.last_error = error
        row.next_fetch = max(retry_at, now)
        return
    if error:
        row.status = "error"
        row.last_error = error
        row.error_count += 1
        backoff = min(retry_minutes * 2 ** min(row.error_count - 1, 4), 24 * 60)
        row.next_fetch = now + timedelta(minutes=max(row.interval_minutes, backoff))
        return
    row.status = "not modified" if not_modified else "ok"
    if parsed is not None and parsed.warning:
        row.status = "ok (with warnings)"
    row.last_error = parsed.warning if parsed is not None else None
    row.error_count = 0
    row.last_success = now
    row.next_fetch = now + timedelta(minutes=row.interval_minutes)
    row.kind = kind or row.kind
    row.seen_until = seen_until or row.seen_until
    if etag or last_modified:
        row.etag, row.last_modified = etag, last_modified
    if parsed is not None:
        row.title = row.title or parsed.title
        row.site_url = row.site_url or parsed.site_url
        row.language = row.language or parsed.language
        if not row.outlet_named and row.outlet_id is None and derived_outlet:
            row.outlet_id = outlet_id(session, derived_outlet, parsed.title, row.language)


def log_fetch(
    session: Session, now: datetime, result: models.FetchResult, kind: str, feed_id: int | None
) -> None:
    session.add(
        schema.FetchLog(
            at=now,
            url=result.url,
            kind=kind,
            feed_id=feed_id,
            status=result.status,
            error=result.error,
            elapsed=result.elapsed,
            size=len(result.content),
        )
    )


def host_waits(session: Session, now: datetime) -> dict[str, datetime]:
    """The hosts asked nothing before a time they named (429 or 503 with Retry-After), still
    waiting at ``now``: host (see ``host_key``) to the time."""
    rows = session.execute(
        select(schema.HostWait.host, schema.HostWait.until).where(schema.HostWait.until > now)
    )
    return {host: until for host, until in rows}


def record_host_wait(session: Session, host: str, until: datetime, status: int | None, now: datetime) -> None:
    """Keep that ``host`` answered ``status`` asking not to be asked before ``until``; the latest
    answer replaces an earlier one."""
    row = session.get(schema.HostWait, host)
    if row is None:
        row = schema.HostWait(host=host)
        session.add(row)
    row.until, row.status, row.recorded = until, status or 0, now
