"""The database schema (SQLAlchemy 2 declarative models).

Only ``newsdesk.store`` imports this module: stages exchange plain dataclasses.
Times are stored as naive UTC; ``published_offset`` keeps the publisher's UTC
offset (minutes) so the dateline can be shown in the outlet's own time.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC, returns aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:  # noqa: ANN001
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    pass


class Outlet(Base):
    __tablename__ = "outlets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    domain: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(16))


class Feed(Base):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    outlet_named: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str | None] = mapped_column(String(512))
    site_url: Mapped[str | None] = mapped_column(String(2048))
    language: Mapped[str | None] = mapped_column(String(16))
    interval_minutes: Mapped[int] = mapped_column(Integer, default=15)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(32), default="new")
    last_fetch: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    next_fetch: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16), default="feed", server_default="feed")
    seen_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RawPage(Base):
    """A fetched article page, kept compressed so it can be re-extracted."""

    __tablename__ = "raw_pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    final_url: Mapped[str | None] = mapped_column(String(2048))
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id", ondelete="SET NULL"))
    # What an imported page's record named (no feed to say it): its outlet and language.
    outlet: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(16))
    html_compressed: Mapped[bytes | None] = mapped_column(LargeBinary)  # zstd (gzip if older)
    entry_json: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_raw_pages_status", "status", "next_attempt"),)


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    canonical_url: Mapped[str] = mapped_column(String(2048), unique=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id"))
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id", ondelete="SET NULL"))
    raw_page_id: Mapped[int | None] = mapped_column(ForeignKey("raw_pages.id", ondelete="SET NULL"))
    title: Mapped[str | None] = mapped_column(Text)
    lede: Mapped[str | None] = mapped_column(Text)
    byline: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_offset: Mapped[int | None] = mapped_column(Integer)
    collected: Mapped[datetime] = mapped_column(UTCDateTime)
    language: Mapped[str | None] = mapped_column(String(16))
    language_score: Mapped[float | None] = mapped_column(Float)
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    reading_time: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    # JSON [[phrase, score], …]; null until entities, quotes and keywords are computed.
    keywords: Mapped[str | None] = mapped_column(Text)
    # When entities, quotes and keywords were last computed (null: never).
    annotated: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The earliest article of its group of wire copies when this one reprints its text (null: an
    # original, or stored before copies were looked for); the MinHash signature they are found by.
    copy_of: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    copy_signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The page's lead image address (og:image); its thumbnail, when fetched, is in article_images.
    image_url: Mapped[str | None] = mapped_column(String(2048))

    __table_args__ = (
        Index("ix_articles_collected", "collected"),
        Index("ix_articles_published", "published"),
    )


class Story(Base):
    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    outlet_count: Mapped[int] = mapped_column(Integer, default=0)
    # JSON [[phrase, score], …]: the members' keywords summed.
    keywords: Mapped[str | None] = mapped_column(Text)
    # The storyline (a developing story over weeks) it belongs to: the id of the line's first story.
    storyline_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # Locked by an analyst: the story takes no new articles and its headlines stay.
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class StoryHeadline(Base):
    __tablename__ = "story_headlines"
    # The languages the filters offer are read by skipping along this index (see browse.languages).
    __table_args__ = (Index("ix_story_headlines_language", "language"),)

    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    # Named by an analyst: the labeller leaves it as it is.
    named: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Membership(Base):
    __tablename__ = "memberships"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    similarity: Mapped[float] = mapped_column(Float, default=0.0)
    joined: Mapped[datetime] = mapped_column(UTCDateTime)
    # JSON: why the article joined the story (the signals, the bar passed and the margin, the copy it
    # is); null for memberships made before the evidence was kept.
    evidence: Mapped[str | None] = mapped_column(Text)
    # Placed by an analyst (merge, split, move): clustering never reassigns it.
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class StoryAction(Base):
    """An analyst's action on stories (merge, split, move, rename, lock, unlock, undo): the audit
    trail. ``changes`` (JSON) holds what changed, before and after, enough to undo it exactly."""

    __tablename__ = "story_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    who: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(16))
    story_id: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[str] = mapped_column(Text)
    undoes: Mapped[int | None] = mapped_column(ForeignKey("story_actions.id"))
    undone_by: Mapped[int | None] = mapped_column(ForeignKey("story_actions.id"))


class StoryMoved(Base):
    """A story removed when its only article moved to another by the clusterer's second chance:
    where that article went, so that links to the removed story still lead to it."""

    __tablename__ = "story_moves"

    story_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    # No foreign key: the target may itself be merged or emptied later (followed when read).
    target_id: Mapped[int] = mapped_column(Integer)
    moved: Mapped[datetime] = mapped_column(UTCDateTime)


class StoryActionStory(Base):
    """A story an action touched (no foreign key: merged stories are gone, their ids stay)."""

    __tablename__ = "story_action_stories"

    action_id: Mapped[int] = mapped_column(
        ForeignKey("story_actions.id", ondelete="CASCADE"), primary_key=True
    )
    story_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, index=True)


class FetchLog(Base):
    __tablename__ = "fetch_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    url: Mapped[str] = mapped_column(String(2048))
    kind: Mapped[str] = mapped_column(String(16))
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id", ondelete="SET NULL"))
    status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    elapsed: Mapped[float] = mapped_column(Float, default=0.0)
    size: Mapped[int] = mapped_column(Integer, default=0)


class HostWait(Base):
    """A host that answered 429 or 503 with a wait (``Retry-After``): nothing is asked of it,
    feed or page, before ``until``."""

    __tablename__ = "host_waits"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[int] = mapped_column(Integer)
    recorded: Mapped[datetime] = mapped_column(UTCDateTime)


class ArticleImage(Base):
    """An article's lead image as a small thumbnail, fetched and re-encoded by newsdesk (``[images]``),
    so that pages never load an image from the outlet."""

    __tablename__ = "article_images"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    # None when the image could not be used (``error`` says why): it is not asked for again.
    content_type: Mapped[str | None] = mapped_column(String(32))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    fetched: Mapped[datetime] = mapped_column(UTCDateTime)


class ClusterState(Base):
    """The online clusterer's state header (settings, id counter, document frequencies),
    saved with each batch of articles. Earlier versions kept the whole state here."""

    __tablename__ = "cluster_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    updated: Mapped[datetime] = mapped_column(UTCDateTime)


class ClusterStory(Base):
    """One live story's clustering record; a batch rewrites only the stories it touched."""

    __tablename__ = "cluster_stories"

    story_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    updated: Mapped[datetime] = mapped_column(UTCDateTime)


class ClusterIndex(Base):
    """The clusterer's centroid indexes as a run left them (one row), so that loading the state
    need not build them again; ignored when a batch changed the stories after it was saved."""

    __tablename__ = "cluster_index"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    updated: Mapped[datetime] = mapped_column(UTCDateTime)


class User(Base):
    """Someone who may change things through the web application (see ``newsdesk user``)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime)


class Token(Base):
    """A log-in session or an API token; only a hash of the secret is kept."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(128))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SavedSearch(Base):
    """A named full-text search with its filters; each has an Atom feed."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    query: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    outlet: Mapped[str | None] = mapped_column(String(255))
    created: Mapped[datetime] = mapped_column(UTCDateTime)


class Entity(Base):
    """One real-world entity across articles, languages and spellings (see docs/entities.md)."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(512))
    type: Mapped[str] = mapped_column(String(16))
    aliases: Mapped[str] = mapped_column(Text, default="[]")  # JSON list, most frequent first
    fallback: Mapped[bool] = mapped_column(Boolean, default=True)


class Mention(Base):
    """A named entity in an article: offsets into the article's stored text."""

    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(String(512))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    label: Mapped[str | None] = mapped_column(String(32))
    lemma: Mapped[str | None] = mapped_column(String(512))


class Quote(Base):
    """Who said what: a quote in an article, offsets into the article's stored text."""

    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    speaker: Mapped[str | None] = mapped_column(String(512))
    speaker_mention_id: Mapped[int | None] = mapped_column(ForeignKey("mentions.id", ondelete="SET NULL"))
    speaker_entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    cue: Mapped[str | None] = mapped_column(String(128))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    direct: Mapped[bool] = mapped_column(Boolean, default=False)
    speaker_start: Mapped[int | None] = mapped_column(Integer)
    speaker_end: Mapped[int | None] = mapped_column(Integer)


class AlertRule(Base):
    """A follow-and-alert rule (see docs/alerts.md): what to watch (``kind`` and its JSON ``params``),
    its quiet hours, and how far it has looked: ``cursor``, the newest article id evaluated (its
    events were recorded in the same transaction that moved it); ``start_id``, the newest at creation
    (older articles never fire it)."""

    __tablename__ = "alert_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    params: Mapped[str] = mapped_column(Text, default="{}")
    quiet_hours: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(16))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime)
    start_id: Mapped[int] = mapped_column(Integer, default=0)
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    evaluated: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AlertTarget(Base):
    """Where a rule's notifications go: a webhook URL (signed with ``secret``) or an e-mail address
    (written in ``language``)."""

    __tablename__ = "alert_targets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("alert_rules.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(2048))
    secret: Mapped[str | None] = mapped_column(String(128))
    language: Mapped[str | None] = mapped_column(String(16))
    created: Mapped[datetime] = mapped_column(UTCDateTime)


class AlertEvent(Base):
    """What a rule detected, once: ``key`` names the event (``article:812``, ``story:41:outlet:x.fr``)
    and is unique per rule, so evaluating again records nothing twice."""

    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("alert_rules.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)  # JSON
    detected: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    __table_args__ = (UniqueConstraint("rule_id", "key", name="uq_alert_events_rule_key"),)


class AlertDelivery(Base):
    """The outbox: one event to one target, written with the event. ``uid`` is sent with every try
    (``X-Newsdesk-Delivery``) so that a receiver can drop a repeat."""

    __tablename__ = "alert_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("alert_events.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("alert_targets.id", ondelete="CASCADE"), index=True)
    # pending, sending (taken until ``next_attempt``), delivered or failed (no more tries)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("event_id", "target_id", name="uq_alert_deliveries_event_target"),
        Index("ix_alert_deliveries_due", "status", "next_attempt"),
    )


class AlertAttempt(Base):
    """The delivery log: one row per try."""

    __tablename__ = "alert_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("alert_deliveries.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    ok: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    elapsed: Mapped[float] = mapped_column(Float, default=0.0)
