"""Who said what: named entities, quotes and keywords of articles, and linking their entities.

``annotate`` fills ``Article.mentions``, ``Article.quotes`` and ``Article.keywords`` for a batch
(one ``recognise`` call for the whole batch; models loaded once per process). Offsets are into
``Article.text``, the stored body (paragraphs joined by "\\n"). ``link_articles`` links the
mentions of many articles (with their story ids) into entities.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import fields, replace
from typing import TypeVar

from newsdesk.enrich.entities import PERSON, Linking, Mention, keywords, link, recognise
from newsdesk.enrich.entities.model import ArticleMentions
from newsdesk.enrich.entities.text import fold
from newsdesk.enrich.quotes import Quote, extract_quotes
from newsdesk.models import Article, ArticleQuote, EntityMention, Keyword
from newsdesk.settings import EntitySettings

log = logging.getLogger(__name__)
# Recogniser labels of names that never speak: nationalities, religious and political groups
# (spaCy's NORP) and languages.
NOT_SPEAKERS = frozenset({"NORP", "LANGUAGE"})
T = TypeVar("T")


def recognise_articles(articles: Sequence[Article], settings: EntitySettings) -> None:
    """Set each article's named-entity mentions, in place (one batch through the models)."""
    if not articles:
        return
    found = recognise(
        [(a.text, a.language) for a in articles],
        settings.models,
        max_chars=settings.max_chars or None,
        batch_size=settings.batch_size,
    )
    for article, mentions in zip(articles, found, strict=True):
        article.mentions = [to_entity_mention(m) for m in mentions]


def annotate(articles: Sequence[Article], settings: EntitySettings) -> None:
    """Set each article's mentions, quotes (speakers tied to mentions) and keywords, in place."""
    recognise_articles(articles, settings)
    for article in articles:
        mentions = [to_mention(m) for m in article.mentions or []]
        article.quotes = _quotes(article, mentions)
        words = "\n".join(filter(None, [article.title, article.lede, article.text]))
        found_keywords = keywords(words, article.language, settings.keywords)
        article.keywords = [Keyword(k.text, k.score) for k in found_keywords]


def _quotes(article: Article, mentions: list[Mention]) -> list[ArticleQuote]:
    try:
        # Every mention: people speak, the others mark where the name heuristic must not look.
        quotes = extract_quotes(article.text, article.language, mentions)
    except Exception as exc:  # noqa: BLE001 - one odd article never stops a batch
        log.warning("%s: quote extraction failed (%s: %s)", article.url, type(exc).__name__, exc)
        return []
    return [
        replace(_same_fields(q, ArticleQuote), speaker_mention=speaker_mention(q, mentions)) for q in quotes
    ]


def speaker_mention(quote: Quote, mentions: Sequence[Mention | EntityMention]) -> int | None:
    """The index of the mention naming the quote's speaker, or ``None``.

    First a mention overlapping the speaker's words that shares a word with the resolved name
    ("Ushakov himself" → "Ushakov"; not "Kremlin" in "the Kremlin aide" resolved to a person);
    else, for a pronoun or role noun, the resolved name as a mention, the last one before the
    quote preferred; else a person mention with the same surname."""
    if not quote.speaker:
        return None
    words = set(fold(quote.speaker).split())
    if quote.speaker_start is not None and quote.speaker_end is not None:
        for i, m in enumerate(mentions):
            overlaps = m.start < quote.speaker_end and quote.speaker_start < m.end
            # A nationality inside a longer phrase ("Russian" in "the Russian side") names
            # no speaker.
            named = m.label not in NOT_SPEAKERS or fold(m.text) == fold(quote.speaker)
            if overlaps and named and words & set(fold(m.text).split()):
                return i
    name = fold(quote.speaker)
    same = [i for i, m in enumerate(mentions) if fold(m.text) == name]
    if not same:
        surname = name.split()[-1] if name else ""
        same = [
            i for i, m in enumerate(mentions) if m.type == PERSON and fold(m.text).split()[-1:] == [surname]
        ]
    before = [i for i in same if mentions[i].start < quote.start]
    return (before or same or [None])[-1 if before else 0]


def _same_fields(source: object, target: type[T]) -> T:
    """A ``target`` dataclass made of the fields of ``source`` it shares."""
    shared = {f.name: getattr(source, f.name) for f in fields(target) if hasattr(source, f.name)}
    return target(**shared)


def to_entity_mention(mention: Mention) -> EntityMention:
    """A recogniser's mention as the dataclass stored with an article."""
    return _same_fields(mention, EntityMention)


def to_mention(mention: EntityMention) -> Mention:
    """A stored mention as the linker reads it (an empty label where none was stored)."""
    return mention if mention.label is not None else replace(mention, label="")


def link_articles(items: Sequence[tuple[Sequence[EntityMention], str | None, int | None]]) -> Linking:
    """Link the mentions of ``(mentions, language, story id)`` articles into entities."""
    return link([ArticleMentions([to_mention(m) for m in ms], lang, story) for ms, lang, story in items])
