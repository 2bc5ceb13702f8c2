"""Enrichment: language, word count, reading time, multilingual embeddings, and
named entities, quotes and keywords.

``enrich`` turns extracted pages into articles; the models are loaded once per
process and fed in batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np

from newsdesk.enrich.annotate import annotate
from newsdesk.enrich.crosslingual import crosslingual_input, embed_crosslingual
from newsdesk.enrich.crosslingual import load_model as load_crosslingual_model
from newsdesk.enrich.embeddings import embed_texts, embedding_input, load_model
from newsdesk.enrich.entities import load_models as load_entity_models
from newsdesk.enrich.language import detect_language
from newsdesk.enrich.readingtime import reading_time
from newsdesk.models import Article, Extracted, RawPage
from newsdesk.settings import EntitySettings
from newsdesk.urls import article_key_url, outlet_domain

__all__ = ["annotate", "article_vectors", "enrich", "load_models", "resolve_outlet"]


# One short report per language newsdesk reads best: enriching them once loads everything
# enrichment uses on first use (models, the language detector, rule tables, lazy imports).
_WARM_UP = {
    "en": 'Anna Berg, the mayor of Lund, said on Monday: "The harbour will reopen in May."',
    "fr": "Anna Berg, maire de Lund, a déclaré lundi : « Le port rouvrira en mai. »",
    "de": "Anna Berg, Bürgermeisterin von Lund, sagte am Montag: „Der Hafen öffnet im Mai wieder.“",
    "es": "Anna Berg, alcaldesa de Lund, dijo el lunes: «El puerto reabrirá en mayo».",
    "ru": "Анна Берг, мэр Лунда, заявила в понедельник: «Порт откроется в мае».",
    "uk": "Анна Берг, мер Лунда, заявила в понеділок: «Порт відкриється в травні».",
}


def load_models(entities: EntitySettings | None = None, crosslingual: bool = True) -> None:
    """Load what ``enrich`` uses now rather than on first use (the embedding models, and the
    entity models of every language when ``entities`` is enabled), so that processes forked
    afterwards share it all instead of each loading its own."""
    load_model()
    if crosslingual:
        load_crosslingual_model()
    if entities is not None and entities.enabled:
        load_entity_models(entities.models)
    pages = [
        (
            RawPage(url=f"https://warm-up.invalid/{lang}", html="", feed_language=lang),
            Extracted(url=f"https://warm-up.invalid/{lang}", title="Lund", paragraphs=[text]),
        )
        for lang, text in _WARM_UP.items()
    ]
    enrich(pages, entities=entities, crosslingual=crosslingual)


def resolve_outlet(page: RawPage, extracted: Extracted) -> str:
    """The outlet's domain: the feed's outlet, else the canonical URL's registered
    domain, else the fetched host."""
    return (
        page.outlet
        or outlet_domain(extracted.canonical_url)
        or outlet_domain(page.final_url or page.url)
        or "unknown"
    )


def build_articles(items: Sequence[tuple[RawPage, Extracted]]) -> list[Article]:
    """Articles from pages and their extraction: outlet, language, word count, reading time."""
    articles: list[Article] = []
    for page, extracted in items:
        body = extracted.text
        language, score = detect_language(
            " ".join(filter(None, [extracted.title, extracted.lede, body])),
            page_hint=extracted.page_language,
            feed_hint=page.feed_language,
        )
        words, minutes = reading_time([extracted.title, extracted.lede, extracted.byline, body])
        articles.append(
            Article(
                url=page.url,
                canonical_url=article_key_url(extracted.canonical_url, page.final_url or page.url),
                outlet=resolve_outlet(page, extracted),
                title=extracted.title,
                lede=extracted.lede,
                byline=extracted.byline,
                published=extracted.published,
                collected=page.collected or datetime.now(UTC),
                paragraphs=list(extracted.paragraphs),
                language=language,
                language_score=score,
                word_count=words,
                reading_time=minutes,
                feed_id=page.feed_id,
                image_url=extracted.image_url,
            )
        )
    return articles


def article_vectors(
    texts: Sequence[tuple[str | None, str | None]], crosslingual: bool = True, batch_size: int = 32
) -> np.ndarray:
    """The vectors of articles given as (title, standfirst and body): the multilingual embedding,
    followed by the cross-lingual vector of the headline and lead unless ``crosslingual`` is false."""
    vectors = embed_texts([embedding_input(title, text) for title, text in texts], batch_size)
    if not crosslingual:
        return vectors
    cross = embed_crosslingual([crosslingual_input(title, text) for title, text in texts], batch_size)
    return np.hstack([vectors, cross])


def embed_articles(articles: Sequence[Article], batch_size: int = 32, crosslingual: bool = True) -> None:
    """Set each article's vector (:func:`article_vectors` of its title, standfirst and body), in place."""
    if not articles:
        return
    vectors = article_vectors([(a.title, a.lede_and_text) for a in articles], crosslingual, batch_size)
    for article, vector in zip(articles, vectors, strict=True):
        article.embedding = vector


def enrich(
    items: Sequence[tuple[RawPage, Extracted]],
    *,
    embed: bool = True,
    batch_size: int = 32,
    entities: EntitySettings | None = None,
    crosslingual: bool = True,
) -> list[Article]:
    """Build articles from pages and their extraction: language, reading time, embedding
    (with the cross-lingual vector unless ``crosslingual`` is false); with ``entities`` (when
    enabled) also named entities, quotes and keywords."""
    articles = build_articles(items)
    if embed:
        embed_articles(articles, batch_size, crosslingual)
    if entities is not None and entities.enabled:
        annotate(articles, entities)
    return articles
