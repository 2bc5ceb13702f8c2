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

from newsdesk.enrich.entities import Linking, Mention, keywords, link, recognise
from newsdesk.enrich.entities.model import ArticleMentions
from newsdesk.enrich.entities.translations import Vectors
from newsdesk.enrich.quotes import extract_quotes
from newsdesk.enrich.speaker_links import (
    SPEAKERS,
    missed_name,
    organisation_named,
    speaker_mention,
    speaking_type,
)
from newsdesk.models import Article, ArticleQuote, EntityMention, Keyword
from newsdesk.settings import EntitySettings

log = logging.getLogger(__name__)
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
        article.quotes = named_quotes(article, mentions)
        words = "\n".join(filter(None, [article.title, article.lede, article.text]))
        found_keywords = keywords(words, article.language, settings.keywords)
        article.keywords = [Keyword(k.text, k.score) for k in found_keywords]


def named_quotes(article: Article, mentions: list[Mention]) -> list[ArticleQuote]:
    """The article's quotes whose speaker is a person or organisation it names; a name the
    rules only guessed (typed OTHER) that speaks is typed here, in ``article.mentions`` too."""
    try:
        # Every mention: people speak, the others mark where the name heuristic must not look.
        quotes = extract_quotes(article.text, article.language, mentions)
    except Exception as exc:  # noqa: BLE001 - one odd article never stops a batch
        log.warning("%s: quote extraction failed (%s: %s)", article.url, type(exc).__name__, exc)
        return []
    kept = []
    for quote in quotes:
        index = speaker_mention(quote, mentions)
        if index is None:
            index = organisation_named(article.text, quote, mentions)  # "the central bank said"
        if index is None and (missed := missed_name(article.text, quote, article.language)) is not None:
            index = len(mentions)  # "sagte Präfektin Anne-Sophie Lemaire": a name the recogniser missed
            mentions.append(missed)
            if article.mentions is not None:
                article.mentions.append(to_entity_mention(missed))
        if index is None:
            continue  # "officials said", "ich glaube": no one the article names
        typed = speaking_type(article.text, quote, mentions[index], mentions)
        if typed != mentions[index].type and article.mentions:
            mentions[index] = replace(mentions[index], type=typed)
            article.mentions[index] = replace(article.mentions[index], type=typed)
        if typed in SPEAKERS:
            kept.append(replace(_same_fields(quote, ArticleQuote), speaker_mention=index))
    return kept


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


def link_articles(
    items: Sequence[tuple[Sequence[EntityMention], str | None, int | None]],
    name_vectors: Vectors | None = None,
) -> Linking:
    """Link the mentions of ``(mentions, language, story id)`` articles into entities (with
    ``name_vectors``, translated names within a story too: ``link``)."""
    return link(
        [ArticleMentions([to_mention(m) for m in ms], lang, story) for ms, lang, story in items], name_vectors
    )
