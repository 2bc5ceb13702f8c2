"""Who said what and who is named: the quote matrix and entity lists of reviews and clippings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from newsdesk.models import Article, EntitySummary, QuoteMatrix, QuoteView

MAX_REVIEW_ENTITIES = 25


@dataclass
class QuoteCell:
    """One quote in the matrix, in its outlet's language."""

    text: str
    cue: str | None
    direct: bool
    language: str | None
    article_id: int
    start: int
    end: int


@dataclass
class SpeakerRow:
    """A speaker and their quotes per outlet (outlets that did not quote them are absent)."""

    speaker: str
    speaker_entity_id: int | None
    outlets: dict[str, list[QuoteCell]] = field(default_factory=dict)


@dataclass
class EntityRow:
    """An entity of a story or an article, with its mentions per outlet."""

    name: str
    type: str
    entity_id: int | None
    fallback: bool
    mentions: int
    aliases: list[str] = field(default_factory=list)
    outlets: dict[str, int] = field(default_factory=dict)


def _cell(quote: QuoteView) -> QuoteCell:
    return QuoteCell(
        quote.text, quote.cue, quote.direct, quote.language, quote.article_id, quote.start, quote.end
    )


def speaker_rows(quotes: list[QuoteView], outlets: list[str]) -> list[SpeakerRow]:
    """The quote matrix: speaker × outlet, speakers quoted by the most outlets first."""
    matrix = QuoteMatrix.build(quotes, outlets)
    return [
        SpeakerRow(
            row.speaker,
            row.speaker_entity_id,
            {
                outlet: [_cell(q) for q in row.outlets[outlet]]
                for outlet in matrix.outlets
                if outlet in row.outlets
            },
        )
        for row in matrix.rows
    ]


def story_entity_rows(entities: list[EntitySummary], limit: int = MAX_REVIEW_ENTITIES) -> list[EntityRow]:
    """A story's entities (those in the most articles first) with counts by outlet."""
    return [
        EntityRow(e.name, e.type, e.id, e.fallback, e.mentions, list(e.aliases), dict(e.outlets))
        for e in entities[:limit]
    ]


def article_entity_rows(article: Article) -> list[EntityRow]:
    """The entities named in one article, those a model found first, each the most mentioned
    first; an entity is marked fallback when only the fallback rules found it here."""
    groups: dict[object, list] = defaultdict(list)
    for mention in article.mentions or []:
        groups[mention.entity_id or mention.text].append(mention)
    rows = []
    for mentions in groups.values():
        first = mentions[0]
        forms = list(dict.fromkeys(m.text for m in mentions))
        rows.append(
            EntityRow(
                name=first.entity or first.text,
                type=first.type,
                entity_id=first.entity_id,
                fallback=all(m.source == "fallback" for m in mentions),
                mentions=len(mentions),
                aliases=forms,
                outlets={article.outlet: len(mentions)},
            )
        )
    return sorted(rows, key=lambda r: (r.fallback, -r.mentions, r.name))


def article_quote_dicts(article: Article) -> list[dict]:
    """The quotes of one article for JSON: speaker (the entity's name when resolved), its
    entity id, text, cue, offsets into the article's text, direct or reported."""
    return [
        {
            "speaker": q.speaker_entity or q.speaker,
            "speaker_entity_id": q.speaker_entity_id,
            "text": q.text,
            "cue": q.cue,
            "start": q.start,
            "end": q.end,
            "direct": q.direct,
        }
        for q in article.quotes or []
    ]
