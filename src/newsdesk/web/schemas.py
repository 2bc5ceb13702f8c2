"""The JSON API's documented shapes (they make the OpenAPI schema at ``/openapi.json``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from newsdesk.models import EntitySummary, Keyword, QuoteMatrix
from newsdesk.present.clipping import Clipping
from newsdesk.present.review import ReviewEntry
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


class SavedSearchIn(BaseModel):
    name: str = Field(min_length=1, max_length=255)
    query: str = Field(min_length=1)
    language: str | None = None
    outlet: str | None = None


@dataclass
class SavedSearchOut(SavedSearch):
    """A saved search and the path of its Atom feed."""

    atom: str = ""
