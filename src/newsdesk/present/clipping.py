"""The clipping: how one article is shown (see docs/clipping-format.md).

``build_clipping`` gathers the fields; the renderers in ``render`` lay them out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import tzinfo

from newsdesk.models import Article
from newsdesk.present.dates import long_date, short_date
from newsdesk.present.flags import language_flag
from newsdesk.present.whosaid import EntityRow, article_entity_rows, article_quote_dicts

NNBSP = "\u202f"  # narrow no-break space, before the reading time and the story headline


@dataclass
class Clipping:
    article_id: int
    date: str
    outlet: str
    reading_time: int
    flag: str
    language: str | None
    headline: str | None
    title: str | None
    lede: str | None
    dateline: str | None
    byline: str | None
    paragraphs: list[str] = field(default_factory=list)
    url: str = ""
    published: str | None = None
    collected: str | None = None
    story_id: int | None = None
    # Who is named and who said what (offsets into the article's text, paragraphs joined by "\n");
    # carried by the JSON, not by the text rendering.
    entities: list[dict] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)

    def header(self) -> str:
        """``06/12/2025 infobrics.org ␣6min 🇬🇧 #298230``"""
        return f"{self.date} {self.outlet} {NNBSP}{self.reading_time}min {self.flag} #{self.article_id}"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["header"] = self.header()
        return data


def _entity_dict(row: EntityRow) -> dict:
    """``asdict(row)`` without its deep copy (the row's fields are strings, numbers, a list of strings
    and a dict of numbers): a story page turns hundreds of them into dictionaries."""
    return {**vars(row), "aliases": list(row.aliases), "outlets": dict(row.outlets)}


def build_clipping(
    article: Article,
    story_headline: str | None,
    reader_language: str,
    flags: dict[str, str] | None = None,
    tz: tzinfo | None = None,
) -> Clipping:
    """The clipping of an article for a reader: collection date in the reader's
    locale, dateline in the article's language, the story's headline in the reader's."""
    local_collected = article.collected.astimezone(tz)
    return Clipping(
        article_id=article.id or 0,
        date=short_date(local_collected, reader_language),
        outlet=article.outlet,
        reading_time=article.reading_time,
        flag=language_flag(article.language, flags),
        language=article.language,
        headline=story_headline or None,
        title=article.title or None,
        lede=article.lede or None,
        dateline=long_date(article.published, article.language) if article.published else None,
        byline=article.byline or None,
        paragraphs=[p for p in article.paragraphs if p.strip()],
        url=article.canonical_url or article.url,
        published=article.published.isoformat() if article.published else None,
        collected=article.collected.isoformat(),
        story_id=article.story_id,
        entities=[_entity_dict(row) for row in article_entity_rows(article)],
        quotes=article_quote_dicts(article),
        keywords=[k.text for k in article.keywords or []],
    )
