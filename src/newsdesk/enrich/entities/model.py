"""The dataclasses of entity recognition and linking."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from newsdesk.models import Mention

PERSON, ORG, PLACE, OTHER = "PERSON", "ORG", "PLACE", "OTHER"
TYPES = (PERSON, ORG, PLACE, OTHER)

# Where a mention comes from. Model mentions carry the model's source; the names a
# model found in the lead that are matched again further on keep that source too.
SOURCE_SPACY, SOURCE_NATASHA, SOURCE_FALLBACK = "spacy", "natasha", "fallback"
GAZETTEER = "gazetteer"  # the label of a known name (the alias table, the countries) found in a text


@dataclass
class ArticleMentions:
    """The mentions of one article with what linking needs to know of it."""

    mentions: Sequence[Mention]
    language: str | None = None
    story: int | str | None = None


@dataclass
class Entity:
    """One real-world entity across articles, languages and spellings."""

    key: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0
    articles: int = 0


@dataclass
class Linking:
    """The entities found and, per article and per mention, the key of its entity
    (``None`` for a mention that names nothing once titles and punctuation are dropped)."""

    entities: list[Entity]
    links: list[list[str | None]]

    def entity(self, key: str) -> Entity:
        """The entity with this key."""
        for entity in self.entities:
            if entity.key == key:
                return entity
        raise KeyError(key)
