"""The JSON API's documented shapes (they make the OpenAPI schema at ``/openapi.json``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from newsdesk.ids import MAX_ID
from newsdesk.models import EntitySummary, Keyword, QuoteMatrix
from newsdesk.pipeline.steering import MAX_HEADLINE, MAX_NOTE
from newsdesk.present.clipping import Clipping
from newsdesk.present.review import ReviewEntry, StorylineItem
from newsdesk.store.browse import ArticleRow, Hit
from newsdesk.store.searches import SavedSearch


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class StorySummary(Model):
    id: int
    headline: str = Field(description="The story's headline in the reader's language")
    headlines: dict[str, str] = Field(description="Headline per language; '*' is the most central overall")
    article_count: int
    outlet_count: int
    language_count: int
    languages: list[str]
    outlets: list[str] = Field(description="Outlets in order of first publication")
    first_seen: datetime
    last_seen: datetime


class StoryList(Model):
    period: str = Field(description="The period shown, as asked (24h, 7d, 2w, an ISO date) or all")
    widened: bool = Field(description="True when no period was asked and the last 24 h were empty")
    reader_language: str
    total: int
    offset: int
    limit: int
    stories: list[StorySummary]


@dataclass
class ClippingOut(Clipping):
    """A clipping's fields and its header line, as docs/clipping-format describes them."""

    header: str = ""


class CopyGroupOut(Model):
    original_id: int = Field(description="The earliest article of the text")
    outlet: str | None = Field(description="The original's outlet (None when it is not in this story)")
    title: str | None
    copies: list[int] = Field(description="The articles reprinting its text (wire copies)")
    outlets: list[str] = Field(description="Every outlet carrying the text, the original's first")
    carried_by: int = Field(description="How many outlets carry the text")


class ReviewOut(Model):
    story_id: int
    headline: str
    reader_language: str
    first_seen: str
    last_seen: str
    outlets: list[str]
    languages: list[str]
    first_reported_by: str | None = Field(description="The outlet of the earliest original (never a copy)")
    independent_reports: int = Field(0, description="How many articles are not wire copies of another")
    copies: list[CopyGroupOut] = Field(
        default_factory=list, description="Texts carried by several outlets: each original with its copies"
    )
    entries: list[ReviewEntry] = Field(
        description="Articles in order of publication; each with copy_of (the original it reprints) and "
        "evidence (why it is in the story: signals, the bar passed and the margin; null when placed "
        "before evidence was kept)"
    )
    clippings: list[ClippingOut]
    entities: list[EntitySummary] = Field(
        default_factory=list,
        description="Who is named: the story's linked entities, those in the most articles first, with "
        "their aliases, mentions per outlet, and fallback (found only by the fallback rules)",
    )
    quote_matrix: QuoteMatrix = Field(
        default_factory=QuoteMatrix,
        description="Who said what: one row per speaker (quoted by the most outlets first), each with the "
        "quotes per outlet in the outlet's language; outlets in order of publication",
    )
    storyline: list[StorylineItem] = Field(
        default_factory=list,
        description="The developing story it is part of: its stories in order, this one marked current "
        "(empty when it is part of none; see docs/storylines.md)",
    )
    keywords: list[Keyword] = Field(default_factory=list, description="The story's key phrases, best first")


class ArticleList(Model):
    offset: int
    limit: int
    articles: list[ArticleRow]


@dataclass
class ArticleDetail(ArticleRow):
    """An article with its metadata and text, and its story's headline in the reader's language."""

    canonical_url: str = ""
    byline: str | None = None
    language_score: float | None = None
    word_count: int = 0
    content_hash: str | None = None
    feed_id: int | None = None
    paragraphs: list[str] = field(default_factory=list)
    story_headline: str | None = None


@dataclass
class SearchHitOut(Hit):
    """A search result: ``snippet`` is plain text; ``snippet_html`` is escaped, matches in ``<mark>``."""

    snippet_html: str = ""


class SearchResults(Model):
    query: str
    offset: int
    limit: int
    next_offset: int | None = Field(description="The offset of the next page, null on the last")
    hits: list[SearchHitOut]


class FeedOut(Model):
    id: int
    url: str
    outlet: str | None
    title: str | None
    site_url: str | None
    language: str | None
    interval_minutes: int
    status: str
    last_fetch: datetime | None
    last_success: datetime | None
    last_error: str | None
    error_count: int
    next_fetch: datetime | None
    article_count: int


class FeedIn(BaseModel):
    url: str = Field(description="A feed URL (RSS, Atom, JSON Feed) or a page linking to one")
    outlet: str | None = Field(None, description="The outlet's domain, e.g. lemonde.fr")
    language: str | None = Field(None, description="The feed's language when it does not say")
    check: bool = Field(True, description="Fetch the URL first (and discover the feed of a page)")


class FeedCreated(Model):
    created: bool
    note: str | None
    feed: FeedOut


class OpmlImported(Model):
    feeds: int
    created: int


class AlertTargetOut(Model):
    kind: str = Field(description="webhook or email")
    address: str
    language: str | None = Field(description="The e-mails' language")
    secret: str | None = Field(None, description="The webhook's signing secret: only when the rule is made")


class AlertRuleOut(Model):
    id: int
    name: str
    kind: str
    description: str
    params: dict[str, Any]
    owner: str | None
    quiet_hours: str | None
    timezone: str | None
    enabled: bool
    created: datetime
    evaluated: datetime | None
    targets: list[AlertTargetOut]
    atom: str = Field(description="The path of the rule's Atom feed")


class AlertRuleIn(BaseModel):
    name: str = Field(min_length=1, max_length=255)
    kind: str = Field(description="search, entity, speaker, story, coverage, breaking or silence")
    params: dict[str, Any] = Field(
        default_factory=dict, description="The kind's parameters (docs/alerts.md#rule-kinds)"
    )
    webhooks: list[str] = Field(default_factory=list, max_length=20)
    emails: list[str] = Field(default_factory=list, max_length=20)
    secret: str | None = Field(None, max_length=128, description="The webhooks' secret (default: a new one)")
    email_language: str | None = None
    quiet_hours: str | None = Field(None, description="HH:MM-HH:MM")
    timezone: str | None = Field(None, description="The quiet hours' time zone, e.g. Europe/Paris")


class DeliveryOut(Model):
    at: datetime
    rule: str
    target: str
    address: str
    title: str
    uid: str = Field(description="The notification's id (X-Newsdesk-Delivery)")
    attempt: int
    ok: bool
    status: int | None
    error: str | None
    elapsed: float
    state: str = Field(description="The delivery's state now: pending, sending, delivered or failed")


class SavedSearchIn(BaseModel):
    name: str = Field(min_length=1, max_length=255)
    query: str = Field(min_length=1)
    language: str | None = None
    outlet: str | None = None


@dataclass
class SavedSearchOut(SavedSearch):
    """A saved search and the path of its Atom feed."""

    atom: str = ""


# ----------------------------------------------------------------- steering (docs/steering.md)

BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]
NOTE = Field(None, max_length=MAX_NOTE, description="Why, for the audit trail")


class NoteIn(BaseModel):
    note: str | None = NOTE


class MergeIn(NoteIn):
    stories: list[BodyId] = Field(
        min_length=1, max_length=500, description="The stories merged into this one"
    )


class SplitIn(NoteIn):
    articles: list[BodyId] = Field(
        min_length=1, max_length=5000, description="The articles that leave for a new story"
    )


class MoveIn(NoteIn):
    article: BodyId = Field(description="The article that joins this story")


class RenameIn(NoteIn):
    title: str = Field(min_length=1, max_length=MAX_HEADLINE)
    language: str | None = Field(
        None, description="The headline's language, * for any (default: the reader's)"
    )


class UndoIn(NoteIn):
    action: BodyId | None = Field(
        None, description="The action to undo (default: the last one on this story)"
    )


class ActionOut(Model):
    id: int
    at: datetime
    who: str = Field(description="The user, or 'local' on loopback without one, or the command line's user")
    action: str = Field(description="merge, split, move, rename, lock, unlock or undo")
    story_id: int = Field(description="The story the action is about")
    stories: list[int] = Field(description="Every story it touched")
    summary: str
    note: str | None
    undoes: int | None
    undone_by: int | None
    changes: dict[str, Any] = Field(
        description="What changed, before and after: created, moves, headlines, locks, removed"
    )
