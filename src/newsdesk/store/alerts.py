"""Alert rules, their events and the outbox of deliveries (see docs/alerts.md).

Detection writes a rule's events, one delivery per event and target, and the rule's new cursor in
one transaction; delivery takes due rows (``claim_due``), sends, and records each try
(``finish``). A rule evaluated by two processes at once moves its cursor once: the other's
transaction raises ``Conflict`` and records nothing.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session

from newsdesk.alerts.detect import ArticleFact, QuoteFact, StoryFacts
from newsdesk.alerts.rules import Event, Rule, RuleError, Target
from newsdesk.store import browse, queries, schema
from newsdesk.store.convert import with_offset
from newsdesk.store.entities import entities_named
from newsdesk.text.messages import N_

PENDING, SENDING, DELIVERED, FAILED = "pending", "sending", "delivered", "failed"
KEY_LENGTH = 255  # the longest event key the column holds


def stored_key(key: str) -> str:
    """An event key as stored: one longer than the column (a very long domain in it) is cut and ends
    with a digest of the whole, so that it still names one event."""
    if len(key) <= KEY_LENGTH:
        return key
    return key[: KEY_LENGTH - 17] + "#" + hashlib.sha256(key.encode()).hexdigest()[:16]


class Conflict(Exception):
    """Another process evaluated the rule meanwhile: this evaluation must be rolled back."""


@dataclass
class Job:
    """A delivery taken for sending: the event, the target and the rule it is for."""

    id: int
    uid: str
    attempts: int
    target: Target
    rule_id: int
    rule_name: str
    rule_kind: str
    rule_language: str | None
    quiet_hours: str | None
    timezone: str | None
    event_key: str
    detected: datetime
    payload: dict[str, Any]


@dataclass
class LogRow:
    """One try of a delivery, for the delivery log."""

    at: datetime
    rule: str
    target: str
    address: str
    title: str
    uid: str
    attempt: int
    ok: bool
    status: int | None
    error: str | None
    elapsed: float
    state: str


@dataclass
class EventRow:
    id: int
    rule_id: int
    key: str
    title: str
    payload: dict[str, Any]
    detected: datetime


# --- rules --------------------------------------------------------------------------------------


def newest_article_id(session: Session) -> int:
    return session.scalar(select(func.max(schema.Article.id))) or 0


def add_rule(session: Session, rule: Rule, owner_id: int | None, now: datetime) -> Rule:
    """Store a rule with its targets; it watches what is stored from now on. Raises RuleError when
    another rule has its name."""
    if rule_named(session, rule.name):
        raise RuleError(N_("there is already a rule named %(name)s"), name=repr(rule.name))
    newest = newest_article_id(session)
    row = schema.AlertRule(
        name=rule.name,
        owner_id=owner_id,
        kind=rule.kind,
        params=json.dumps(rule.params, ensure_ascii=False),
        quiet_hours=rule.quiet_hours,
        timezone=rule.timezone,
        language=rule.language,
        enabled=rule.enabled,
        created=now,
        start_id=newest,
        cursor=newest,
    )
    session.add(row)
    session.flush()
    for target in rule.targets:
        session.add(
            schema.AlertTarget(
                rule_id=row.id,
                kind=target.kind,
                address=target.address,
                secret=target.secret,
                language=target.language,
                created=now,
            )
        )
    session.flush()
    found = find_rule(session, row.id)
    assert found is not None
    return found


def rule_named(session: Session, name: str) -> bool:
    return session.scalar(select(schema.AlertRule.id).where(schema.AlertRule.name == name)) is not None


def _target(row: schema.AlertTarget) -> Target:
    return Target(row.kind, row.address, row.secret, row.language, row.id)


def _rules(session: Session, where: ColumnElement[bool] | None = None) -> list[Rule]:
    query = select(schema.AlertRule, schema.User.name).outerjoin(
        schema.User, schema.User.id == schema.AlertRule.owner_id
    )
    if where is not None:
        query = query.where(where)
    rows = session.execute(query.order_by(schema.AlertRule.name)).all()
    targets: dict[int, list[Target]] = {}
    ids = [r.id for r, _ in rows]
    for t in session.scalars(
        select(schema.AlertTarget).where(schema.AlertTarget.rule_id.in_(ids)).order_by(schema.AlertTarget.id)
    ):
        targets.setdefault(t.rule_id, []).append(_target(t))
    return [
        Rule(
            name=r.name,
            kind=r.kind,
            params=json.loads(r.params),
            targets=targets.get(r.id, []),
            quiet_hours=r.quiet_hours,
            timezone=r.timezone,
            language=r.language,
            owner=owner,
            enabled=r.enabled,
            id=r.id,
            created=r.created,
            start_id=r.start_id,
            cursor=r.cursor,
            evaluated=r.evaluated,
        )
        for r, owner in rows
    ]


def list_rules(session: Session, enabled_only: bool = False) -> list[Rule]:
    return _rules(session, schema.AlertRule.enabled.is_(True) if enabled_only else None)


def find_rule(session: Session, name_or_id: str | int) -> Rule | None:
    """A rule by id (an int), or by name or id (a string: its name first)."""
    if isinstance(name_or_id, int):
        found = _rules(session, schema.AlertRule.id == name_or_id)
        return found[0] if found else None
    text = name_or_id.strip()
    where = schema.AlertRule.name == text
    if text.isdigit() and int(text) < 2**31:
        where = or_(where, schema.AlertRule.id == int(text))
    found = sorted(_rules(session, where), key=lambda r: r.name != text)
    return found[0] if found else None


def set_enabled(session: Session, rule_id: int, enabled: bool) -> bool:
    """Pause or resume a rule; a resumed rule watches what is stored from then on (what came while it
    was paused never fires it). False when there is no such rule."""
    row = session.get(schema.AlertRule, rule_id)
    if row is None:
        return False
    if enabled and not row.enabled:
        row.cursor = max(row.cursor, newest_article_id(session))
    row.enabled = enabled
    return True


def remove_rule(session: Session, rule_id: int) -> bool:
    row = session.get(schema.AlertRule, rule_id)
    if row is None:
        return False
    session.delete(row)
    return True


# --- what rules are evaluated on ----------------------------------------------------------------


def _facts(session: Session, where: ColumnElement[bool]) -> list[ArticleFact]:
    query = (
        select(
            schema.Article.id,
            schema.Article.title,
            schema.Article.url,
            schema.Article.language,
            schema.Article.published,
            schema.Article.published_offset,
            schema.Article.collected,
            schema.Outlet.domain,
            schema.Membership.story_id,
        )
        .join(schema.Outlet, schema.Outlet.id == schema.Article.outlet_id)
        .outerjoin(schema.Membership, schema.Membership.article_id == schema.Article.id)
        .where(where)
        .order_by(schema.Article.id)
    )
    return [
        ArticleFact(
            r.id,
            r.title,
            r.url,
            r.domain,
            r.language,
            with_offset(r.published, r.published_offset) or r.collected,
            r.story_id,
        )
        for r in session.execute(query)
    ]


def _in_range(after: int, upto: int) -> ColumnElement[bool]:
    return and_(schema.Article.id > after, schema.Article.id <= upto)


def search_matches(session: Session, params: dict[str, Any], after: int, upto: int) -> list[ArticleFact]:
    """Articles with ids in (after, upto] that a saved-search rule's query and filters match."""
    hits = browse.search(
        session,
        params["query"],
        language=params.get("language"),
        outlet=params.get("outlet"),
        limit=10_000,
        id_range=(after, upto),
    )
    ids = sorted({h.article_id for h in hits})
    return _facts(session, schema.Article.id.in_(ids)) if ids else []


def naming_articles(session: Session, name: str, after: int, upto: int) -> list[ArticleFact]:
    """Articles with ids in (after, upto] that name an entity called ``name`` (see
    ``entities_named``)."""
    entity_ids = entities_named(session, name)
    if not entity_ids:
        return []
    named = (
        select(schema.Mention.article_id)
        .where(schema.Mention.entity_id.in_(entity_ids))
        .where(schema.Mention.article_id > after, schema.Mention.article_id <= upto)
    )
    return _facts(session, schema.Article.id.in_(named))


def speaker_quotes(session: Session, name: str, after: int, upto: int) -> list[QuoteFact]:
    """Quotes in articles with ids in (after, upto] whose speaker is an entity called ``name``, or an
    unresolved speaker whose name holds it."""
    entity_ids = entities_named(session, name)
    loose = schema.Quote.speaker_entity_id.is_(None) & schema.Quote.speaker.ilike(f"%{name.strip()}%")
    who = or_(schema.Quote.speaker_entity_id.in_(entity_ids), loose) if entity_ids else loose
    rows = session.execute(
        select(schema.Quote.id, schema.Quote.speaker, schema.Quote.text, schema.Quote.article_id)
        .where(who, schema.Quote.article_id > after, schema.Quote.article_id <= upto)
        .order_by(schema.Quote.article_id, schema.Quote.start)
    ).all()
    articles = {a.id: a for a in _facts(session, schema.Article.id.in_({r.article_id for r in rows}))}
    return [
        QuoteFact(r.id, r.speaker, r.text, articles[r.article_id]) for r in rows if r.article_id in articles
    ]


def touched_stories(session: Session, after: int, upto: int) -> list[int]:
    """Stories that articles with ids in (after, upto] joined."""
    return list(
        session.scalars(
            select(schema.Membership.story_id)
            .where(schema.Membership.article_id > after, schema.Membership.article_id <= upto)
            .distinct()
            .order_by(schema.Membership.story_id)
        )
    )


def covered_stories(session: Session, min_outlets: int, after: int, seen_since: datetime) -> list[int]:
    """Stories with at least ``min_outlets`` outlets, an article since ``seen_since`` and one with an id
    above ``after``."""
    newer = select(schema.Membership.story_id).where(schema.Membership.article_id > after)
    return list(
        session.scalars(
            select(schema.Story.id)
            .where(
                schema.Story.outlet_count >= min_outlets,
                schema.Story.last_seen >= seen_since,
                schema.Story.id.in_(newer),
            )
            .order_by(schema.Story.id)
        )
    )


def story_facts(session: Session, story_ids: list[int], language: str | None, upto: int) -> list[StoryFacts]:
    """Stories with their members up to article ``upto`` and a headline (in ``language`` when there
    is one)."""
    result = []
    for start in range(0, len(story_ids), 500):
        chunk = story_ids[start : start + 500]
        titles = queries.headlines(session, chunk)
        members: dict[int, list[ArticleFact]] = {}
        for fact in _facts(session, schema.Membership.story_id.in_(chunk) & (schema.Article.id <= upto)):
            members.setdefault(fact.story_id or 0, []).append(fact)
        for story_id in chunk:
            names = titles.get(story_id, {})
            headline = names.get(language or "") or names.get("*") or next(iter(names.values()), "")
            result.append(StoryFacts(story_id, headline, members.get(story_id, [])))
    return result


# --- events and the outbox ----------------------------------------------------------------------


def record_events(
    session: Session,
    rule: Rule,
    events: list[Event],
    now: datetime,
    release: datetime,
    cursor: int | None = None,
) -> int:
    """Record a rule's new events (those whose key it has not recorded yet) with a delivery for each
    of its targets, due at ``release``, and move the rule's cursor to ``cursor``; how many events were
    new. Raises Conflict when the rule's cursor moved since ``rule`` was read."""
    assert rule.id is not None
    if cursor is not None:
        moved = session.execute(
            update(schema.AlertRule)
            .where(schema.AlertRule.id == rule.id, schema.AlertRule.cursor == rule.cursor)
            .values(cursor=cursor, evaluated=now)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(f"alert rule {rule.name!r} was evaluated by another process")
    keys = [stored_key(e.key) for e in events]
    known: set[str] = set()
    for start in range(0, len(keys), 500):
        known.update(
            session.scalars(
                select(schema.AlertEvent.key).where(
                    schema.AlertEvent.rule_id == rule.id, schema.AlertEvent.key.in_(keys[start : start + 500])
                )
            )
        )
    new = 0
    for event, key in zip(events, keys, strict=True):
        if key in known:
            continue
        known.add(key)
        row = schema.AlertEvent(
            rule_id=rule.id,
            key=key,
            title=event.title,
            payload=json.dumps(event.payload(), ensure_ascii=False),
            detected=now,
        )
        session.add(row)
        session.flush()
        for target in rule.targets:
            session.add(
                schema.AlertDelivery(
                    uid=str(uuid.uuid4()),
                    event_id=row.id,
                    target_id=target.id,
                    status=PENDING,
                    attempts=0,
                    next_attempt=release,
                )
            )
        new += 1
    session.flush()
    return new


def _due(now: datetime) -> ColumnElement[bool]:
    # A delivery being sent is taken until its next_attempt: past that, its sender is presumed dead.
    return and_(schema.AlertDelivery.status.in_((PENDING, SENDING)), schema.AlertDelivery.next_attempt <= now)


def claim_due(
    session: Session, now: datetime, lease_until: datetime, limit: int = 50, rule_id: int | None = None
) -> list[Job]:
    """Take up to ``limit`` due deliveries for sending until ``lease_until``; a row another process
    took meanwhile is left to it."""
    query = select(schema.AlertDelivery.id, schema.AlertDelivery.status, schema.AlertDelivery.next_attempt)
    query = query.where(_due(now))
    if rule_id is not None:
        query = query.join(schema.AlertEvent).where(schema.AlertEvent.rule_id == rule_id)
    candidates = session.execute(query.order_by(schema.AlertDelivery.id).limit(limit)).all()
    taken = []
    for delivery_id, status, next_attempt in candidates:
        claimed = session.execute(
            update(schema.AlertDelivery)
            .where(
                schema.AlertDelivery.id == delivery_id,
                schema.AlertDelivery.status == status,
                schema.AlertDelivery.next_attempt == next_attempt,
            )
            .values(status=SENDING, next_attempt=lease_until)
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            taken.append(delivery_id)
    if not taken:
        return []
    rows = session.execute(
        select(schema.AlertDelivery, schema.AlertEvent, schema.AlertTarget, schema.AlertRule)
        .join(schema.AlertEvent, schema.AlertEvent.id == schema.AlertDelivery.event_id)
        .join(schema.AlertTarget, schema.AlertTarget.id == schema.AlertDelivery.target_id)
        .join(schema.AlertRule, schema.AlertRule.id == schema.AlertEvent.rule_id)
        .where(schema.AlertDelivery.id.in_(taken))
        .order_by(schema.AlertDelivery.id)
    ).all()
    return [
        Job(
            id=d.id,
            uid=d.uid,
            attempts=d.attempts,
            target=_target(t),
            rule_id=r.id,
            rule_name=r.name,
            rule_kind=r.kind,
            rule_language=r.language,
            quiet_hours=r.quiet_hours,
            timezone=r.timezone,
            event_key=e.key,
            detected=e.detected,
            payload=json.loads(e.payload),
        )
        for d, e, t, r in rows
    ]


def finish(
    session: Session,
    job: Job,
    now: datetime,
    *,
    ok: bool,
    status: int | None,
    error: str | None,
    elapsed: float,
    retry_at: datetime | None,
) -> str:
    """Record one try of a delivery: delivered when ``ok``; else pending again until ``retry_at``, or
    failed for good when that is None. The delivery's new state."""
    attempt = job.attempts + 1
    state = DELIVERED if ok else (PENDING if retry_at is not None else FAILED)
    session.add(
        schema.AlertAttempt(
            delivery_id=job.id, at=now, attempt=attempt, ok=ok, status=status, error=error, elapsed=elapsed
        )
    )
    session.execute(
        update(schema.AlertDelivery)
        .where(schema.AlertDelivery.id == job.id)
        .values(
            status=state,
            attempts=attempt,
            next_attempt=retry_at or now,
            delivered=now if ok else None,
            last_error=None if ok else error,
        )
    )
    return state


def delivery_log(session: Session, rule_id: int | None = None, limit: int = 50) -> list[LogRow]:
    """The latest tries of deliveries (of one rule), newest first."""
    query = (
        select(
            schema.AlertAttempt,
            schema.AlertDelivery,
            schema.AlertEvent.title,
            schema.AlertTarget,
            schema.AlertRule.name,
        )
        .join(schema.AlertDelivery, schema.AlertDelivery.id == schema.AlertAttempt.delivery_id)
        .join(schema.AlertEvent, schema.AlertEvent.id == schema.AlertDelivery.event_id)
        .join(schema.AlertTarget, schema.AlertTarget.id == schema.AlertDelivery.target_id)
        .join(schema.AlertRule, schema.AlertRule.id == schema.AlertEvent.rule_id)
    )
    if rule_id is not None:
        query = query.where(schema.AlertRule.id == rule_id)
    rows = session.execute(
        query.order_by(schema.AlertAttempt.at.desc(), schema.AlertAttempt.id.desc()).limit(limit)
    )
    return [
        LogRow(
            a.at,
            name,
            t.kind,
            t.address,
            title,
            d.uid,
            a.attempt,
            a.ok,
            a.status,
            a.error,
            a.elapsed,
            d.status,
        )
        for a, d, title, t, name in rows
    ]


def delivery_counts(session: Session, rule_id: int) -> dict[str, int]:
    """How many of a rule's deliveries are in each state."""
    rows = session.execute(
        select(schema.AlertDelivery.status, func.count())
        .join(schema.AlertEvent, schema.AlertEvent.id == schema.AlertDelivery.event_id)
        .where(schema.AlertEvent.rule_id == rule_id)
        .group_by(schema.AlertDelivery.status)
    )
    return {status: count for status, count in rows}


def rule_events(session: Session, rule_id: int, limit: int = 50) -> list[EventRow]:
    """A rule's latest events, newest first."""
    rows = session.scalars(
        select(schema.AlertEvent)
        .where(schema.AlertEvent.rule_id == rule_id)
        .order_by(schema.AlertEvent.detected.desc(), schema.AlertEvent.id.desc())
        .limit(limit)
    )
    return [EventRow(r.id, r.rule_id, r.key, r.title, json.loads(r.payload), r.detected) for r in rows]
