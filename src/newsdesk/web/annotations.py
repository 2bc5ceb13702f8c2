"""Entities and quotes of a story, shown when the store holds them.

ENTITIES AND QUOTES — the hook for named entities ("who is in the story") and the quote
matrix ("who said what"). The enrichment that finds them is being built; until the store
offers them, ``story_annotations`` returns empty lists and the story page, the API and the
front page's entity filter show nothing of them. Fill ``story_annotations`` from the store's
entity and quote queries when they land; the templates need no change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session


@dataclass
class Entity:
    name: str
    kind: str  # person, organisation, place …
    mentions: int
    outlets: list[str] = field(default_factory=list)


@dataclass
class Quote:
    speaker: str
    text: str
    outlet: str
    article_id: int
    language: str | None = None


@dataclass
class Annotations:
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    def quote_matrix(self) -> tuple[list[str], list[str], dict[tuple[str, str], list[Quote]]]:
        """Speakers (rows) × outlets (columns) → the quotes each outlet attributes to each speaker."""
        speakers = list(dict.fromkeys(q.speaker for q in self.quotes))
        outlets = list(dict.fromkeys(q.outlet for q in self.quotes))
        cells: dict[tuple[str, str], list[Quote]] = {}
        for quote in self.quotes:
            cells.setdefault((quote.speaker, quote.outlet), []).append(quote)
        return speakers, outlets, cells


def story_annotations(session: Session, story_id: int) -> Annotations:
    """The entities and quotes of a story (none until the store holds them)."""
    return Annotations()
