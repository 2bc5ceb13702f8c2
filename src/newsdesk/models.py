"""Plain dataclasses that flow between the stages.

ingest → extract → enrich → dedupe → stories → store → present

Every stage takes and returns these objects; none of them knows about the
database, the command line or the web.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np


@dataclass
class FeedEntry:
    """One item of a feed, as the feed describes it (fallback metadata)."""

    url: str
    title: str | None = None
    summary: str | None = None
    published: datetime | None = None
    author: str | None = None
    guid: str | None = None
    language: str | None = None


@dataclass
class ParsedFeed:
    """A feed document after parsing: channel metadata and entries."""

    url: str
    title: str | None = None
    site_url: str | None = None
    language: str | None = None
    format: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)
    warning: str | None = None


@dataclass
class FetchResult:
    """What came back for one URL. ``error`` is set when nothing usable came."""

    url: str
    final_url: str | None = None
    status: int | None = None
    content: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    not_modified: bool = False
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and not self.not_modified


@dataclass
class RawPage:
    """An article page as collected: HTML plus whatever the feed said of it."""

    url: str
    html: str
    final_url: str | None = None
    outlet: str | None = None
    feed_id: int | None = None
    feed_language: str | None = None
    entry: FeedEntry | None = None
    collected: datetime | None = None


@dataclass
class Extracted:
    """Clean text and metadata of one page."""

    url: str
    canonical_url: str | None = None
    title: str | None = None
    lede: str | None = None
    byline: str | None = None
    published: datetime | None = None
    paragraphs: list[str] = field(default_factory=list)
    site_name: str | None = None
    page_language: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class Article:
    """An article ready to cluster and store: extraction plus enrichment."""

    url: str
    canonical_url: str
    outlet: str
    title: str | None
    lede: str | None
    byline: str | None
    published: datetime | None
    collected: datetime
    paragraphs: list[str]
    language: str | None = None
    language_score: float | None = None
    word_count: int = 0
    reading_time: int = 0
    content_hash: str | None = None
    embedding: np.ndarray | None = None
    feed_id: int | None = None
    id: int | None = None
    story_id: int | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def lede_and_text(self) -> str:
        """The standfirst, then the body: what story matching and embeddings read."""
        return f"{self.lede}\n{self.text}" if self.lede else self.text

    @property
    def when(self) -> datetime:
        """The article's time for clustering windows: published, else collected."""
        return self.published or self.collected


@dataclass
class Feed:
    """A subscribed feed and its health."""

    id: int
    url: str
    outlet: str | None = None
    title: str | None = None
    site_url: str | None = None
    language: str | None = None
    interval_minutes: int = 15
    etag: str | None = None
    last_modified: str | None = None
    status: str = "new"
    last_fetch: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    error_count: int = 0
    next_fetch: datetime | None = None
    article_count: int = 0


@dataclass
class StoryView:
    """A story as the presentation layer sees it."""

    id: int
    headlines: dict[str, str]
    first_seen: datetime
    last_seen: datetime
    articles: list[Article] = field(default_factory=list)

    def headline(self, language: str) -> str:
        """The headline for a reader's language, else the most central title overall."""
        return self.headlines.get(language) or self.headlines.get("*") or ""


@dataclass
class SearchHit:
    article_id: int
    title: str | None
    outlet: str
    language: str | None
    published: datetime | None
    snippet: str
    score: float
    story_id: int | None = None
