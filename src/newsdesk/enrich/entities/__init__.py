"""Named entities per article and one entity across languages and spellings; keywords.

Plain functions over the dataclasses of ``model``:

- ``recognise([(text, language), …], models=…)`` → the mentions in each text;
- ``link([ArticleMentions(mentions, language, story), …])`` → entities and each mention's entity;
- ``keywords(text, language)`` and ``story_keywords([(text, language), …])``.

Models are loaded once per process, on first use. See docs/entities.md.
"""

from __future__ import annotations

from newsdesk.enrich.entities.keywords import Keyword, combine_keywords, keywords, story_keywords
from newsdesk.enrich.entities.linking import link
from newsdesk.enrich.entities.model import (
    ORG,
    OTHER,
    PERSON,
    PLACE,
    SOURCE_FALLBACK,
    SOURCE_NATASHA,
    SOURCE_SPACY,
    TYPES,
    ArticleMentions,
    Entity,
    Linking,
    Mention,
)
from newsdesk.enrich.entities.recognise import (
    DEFAULT_MAX_CHARS,
    DEFAULT_MODELS,
    load_models,
    model_for,
    recognise,
)

__all__ = [
    "DEFAULT_MAX_CHARS",
    "DEFAULT_MODELS",
    "ORG",
    "OTHER",
    "PERSON",
    "PLACE",
    "SOURCE_FALLBACK",
    "SOURCE_NATASHA",
    "SOURCE_SPACY",
    "TYPES",
    "ArticleMentions",
    "Entity",
    "Keyword",
    "Linking",
    "Mention",
    "load_models",
    "combine_keywords",
    "keywords",
    "link",
    "model_for",
    "recognise",
    "story_keywords",
]
