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
    # When the host may be asked again: a 429 or 503 answer's Retry-After (bounded), or the wait
    # the host was already under, in which case nothing was asked.
    retry_after: datetime | None = None

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
    image_url: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class Mention:
    """One named entity in one text: character offsets into that text, a normalised type.

    ``type`` is PERSON, ORG, PLACE or OTHER; ``source`` the recogniser (``spacy``,
    ``natasha``, ``fallback``); ``label`` the recogniser's own label (``GPE``, ``PER``,
    ``gazetteer``…); ``lemma`` the base form when the recogniser knows it (Russian case
    endings removed)."""

    text: str
    start: int
    end: int
    type: str
    source: str
    confidence: float
    label: str = ""
    lemma: str | None = None


@dataclass(frozen=True)
class EntityMention(Mention):
    """A mention as stored with an article (offsets into ``Article.text``), with the stored
    entity and its canonical name once linked."""

    entity_id: int | None = None
    entity: str | None = None


@dataclass
class Quote:
    """One attributed statement found in a text.

    ``start``/``end`` are character offsets of the quote's content in the text (without the
    quote marks); ``speaker`` is the speaker's name as resolved in the text (``None`` when
    unknown) and ``speaker_start``/``speaker_end`` the offsets of the mention next to the cue
    (a name, a pronoun or a role noun such as "the Kremlin aide"). ``direct`` is true for text
    between quote marks or after a dialogue dash, false for reported speech."""

    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    direct: bool = False


@dataclass
class ArticleQuote(Quote):
    """Who said what in an article: offsets into ``Article.text``.

    ``speaker_mention`` is the index, among the article's mentions, of the mention that
    names the speaker (``None`` when no recognised name does); through it the speaker is
    resolved to a stored entity (``speaker_entity_id``, canonical name ``speaker_entity``)."""

    speaker_mention: int | None = None
    speaker_entity_id: int | None = None
    speaker_entity: str | None = None


@dataclass
class Keyword:
    """A key phrase of an article or a story; ``score`` in (0, 1], higher is more relevant."""

    text: str
    score: float


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
    # Named entities, quotes and keywords; ``None`` when not computed (entities switched off).
    mentions: list[EntityMention] | None = None
    quotes: list[ArticleQuote] | None = None
    keywords: list[Keyword] | None = None
    # Wire copies (docs/copies.md): the MinHash signature of the body (stored form; None when too
    # short or not computed) and the earliest article whose text this one reprints (None: original).
    copy_signature: bytes | None = None
    copy_of: int | None = None
    # The page's lead image (og:image); shown as a thumbnail only when ``[images]`` is on.
    image_url: str | None = None
    # Why the article joined its story (newsdesk.stories.evidence.Evidence as plain data); None for
    # articles placed before the evidence was kept.
    evidence: dict | None = None

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
    kind: str = "feed"  # "feed" (RSS, Atom, JSON Feed) or "sitemap"
    seen_until: datetime | None = None  # a sitemap's newest entry date read so far
    host_wait_until: datetime | None = None  # the feed's host asked not to be asked before then


@dataclass
class EntitySummary:
    """One stored entity with its counts: mentions, articles, mentions per outlet.

    ``fallback`` is true when no model found it (only the fallback rules did)."""

    id: int
    key: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    fallback: bool = False
    mentions: int = 0
    articles: int = 0
    outlets: dict[str, int] = field(default_factory=dict)


@dataclass
class QuoteView:
    """A stored quote with the article it comes from."""

    speaker: str | None
    speaker_entity_id: int | None
    article_id: int
    outlet: str
    language: str | None
    text: str
    cue: str | None
    start: int
    end: int
    direct: bool
    story_id: int | None = None
    speaker_entity: str | None = None

    @property
    def speaker_name(self) -> str | None:
        """The speaker's canonical name when resolved to an entity, else as written."""
        return self.speaker_entity or self.speaker

    def to_dict(self) -> dict:
        """The fields of ``newsdesk quotes --json``."""
        return {
            "speaker": self.speaker_name,
            "speaker_entity_id": self.speaker_entity_id,
            "article_id": self.article_id,
            "outlet": self.outlet,
            "language": self.language,
            "text": self.text,
            "cue": self.cue,
            "start": self.start,
            "end": self.end,
            "direct": self.direct,
        }


@dataclass
class SpeakerQuotes:
    """One row of a quote matrix: a speaker's quotes per outlet, each in its outlet's language."""

    speaker: str
    speaker_entity_id: int | None
    outlets: dict[str, list[QuoteView]] = field(default_factory=dict)


@dataclass
class QuoteMatrix:
    """Who said what in a story: speaker × outlet."""

    outlets: list[str] = field(default_factory=list)
    rows: list[SpeakerQuotes] = field(default_factory=list)

    @classmethod
    def build(cls, quotes: list[QuoteView], outlets: list[str] | None = None) -> QuoteMatrix:
        """Group quotes with a speaker by speaker (entity, else name as written) and outlet;
        speakers quoted by the most outlets first, then the most quoted."""
        rows: dict[object, SpeakerQuotes] = {}
        order = list(outlets or [])
        for quote in quotes:
            name = quote.speaker_name
            if not name:
                continue
            key = quote.speaker_entity_id or name.casefold()
            row = rows.setdefault(key, SpeakerQuotes(name, quote.speaker_entity_id))
            row.outlets.setdefault(quote.outlet, []).append(quote)
            if quote.outlet not in order:
                order.append(quote.outlet)
        ranked = sorted(
            rows.values(), key=lambda r: (-len(r.outlets), -sum(map(len, r.outlets.values())), r.speaker)
        )
        return cls(order, ranked)


@dataclass
class StorylineEntry:
    """One story of a storyline, as its other stories list it."""

    story_id: int
    headlines: dict[str, str]
    first_seen: datetime
    last_seen: datetime
    articles: int
    outlets: int

    def headline(self, language: str) -> str:
        return self.headlines.get(language) or self.headlines.get("*") or ""


@dataclass
class StoryView:
    """A story as the presentation layer sees it."""

    id: int
    headlines: dict[str, str]
    first_seen: datetime
    last_seen: datetime
    articles: list[Article] = field(default_factory=list)
    entities: list[EntitySummary] = field(default_factory=list)
    quotes: list[QuoteView] = field(default_factory=list)
    keywords: list[Keyword] = field(default_factory=list)
    # The stories of its storyline in order (itself included); empty when it belongs to none.
    storyline: list[StorylineEntry] = field(default_factory=list)

    def headline(self, language: str) -> str:
        """The headline for a reader's language, else the most central title overall."""
        return self.headlines.get(language) or self.headlines.get("*") or ""
