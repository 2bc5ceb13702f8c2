"""Evaluate every rule once, then deliver: what ``newsdesk alerts run`` and each round of
``newsdesk run`` do.

Each rule is evaluated in its own transaction: its new events, their deliveries and its new cursor
are committed together, so a crash loses nothing and a rerun records nothing twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from newsdesk.alerts import detect
from newsdesk.alerts.outbox import DeliveryStats, crash_point, deliver_due
from newsdesk.alerts.quiet import release_time, zone
from newsdesk.alerts.rules import ENTITY, SEARCH, SILENCE, SPEAKER, STORY, Event, Rule
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.store import alerts as alert_store

# Silence is looked for in stories with an article this long before its wait ends: a story older
# than that would have been alerted on already, had the rules run meanwhile.
SILENCE_MARGIN = timedelta(hours=24)


@dataclass
class RunStats:
    rules: int = 0
    events: int = 0
    delivery: DeliveryStats = field(default_factory=DeliveryStats)
    errors: list[str] = field(default_factory=list)


def rule_events(session: Session, rule: Rule, upto: int, now: datetime) -> list[Event]:
    """The events of a rule among the articles with ids in (its cursor, upto], read from the store."""
    after = rule.cursor
    p = rule.params
    if rule.kind == SEARCH:
        return detect.article_events(rule, alert_store.search_matches(session, p, after, upto))
    if rule.kind == ENTITY:
        return detect.article_events(rule, alert_store.naming_articles(session, p["name"], after, upto))
    if rule.kind == SPEAKER:
        return detect.quote_events(rule, alert_store.speaker_quotes(session, p["name"], after, upto))
    story_ids = alert_store.touched_stories(session, after, upto)
    if rule.kind == STORY:
        story_ids = [s for s in story_ids if s == int(p["story_id"])]
    elif rule.kind == SILENCE:
        since = now - timedelta(hours=float(p["hours"])) - SILENCE_MARGIN
        story_ids = alert_store.covered_stories(session, int(p["outlets"]), rule.start_id, since)
    stories = alert_store.story_facts(session, story_ids, rule.language, upto)
    return detect.story_events(rule, stories, now)


def evaluate(store: Store, settings: Settings, rule: Rule, upto: int, now: datetime) -> int:
    """Evaluate one rule up to article ``upto`` and record its events; how many were new (0 when
    another process evaluated it meanwhile). Only silence looks again when no article came since."""
    if upto <= rule.cursor and rule.kind != SILENCE:
        return 0
    upto = max(upto, rule.cursor)  # never back, even if the newest articles were deleted
    release = release_time(rule.quiet_hours, zone(rule.timezone or settings.alerts.timezone), now)
    try:
        with store.session() as session:
            events = rule_events(session, rule, upto, now)
            return alert_store.record_events(session, rule, events, now, release, cursor=upto)
    except (alert_store.Conflict, IntegrityError):
        return 0


def run_alerts(store: Store, settings: Settings, now: datetime | None = None) -> RunStats:
    """Evaluate every enabled rule once, then deliver what is due."""
    stats = RunStats()
    moment = now or datetime.now(UTC)
    with store.session() as session:
        rules = alert_store.list_rules(session, enabled_only=True)
        upto = alert_store.newest_article_id(session)
    for rule in rules:
        try:
            stats.events += evaluate(store, settings, rule, upto, moment)
        except Exception as exc:  # one broken rule never stops the others
            stats.errors.append(f"{rule.name}: {exc}")
        stats.rules += 1
    crash_point("after-detection")
    stats.delivery = deliver_due(store, settings, now)
    return stats


def send_test(store: Store, settings: Settings, rule: Rule, now: datetime | None = None) -> DeliveryStats:
    """Send a test notification to each of a rule's targets now (quiet hours or not)."""
    moment = now or datetime.now(UTC)
    event = Event(
        key=f"test:{uuid.uuid4()}",
        title=f"Test of the alert rule {rule.name}",
        summary="A test notification: the rule's targets are reached.",
        details={"test": True},
    )
    with store.session() as session:
        alert_store.record_events(session, rule, [event], moment, moment)
    return deliver_due(store, settings, now, rule_id=rule.id)
