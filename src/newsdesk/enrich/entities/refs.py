"""A mention as the linker sees it: its article, language and story, its cleaned name and the
spelling-tolerant keys of the name's words, and what the linker has learnt of it so far."""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.enrich.entities.gazetteer import Known
from newsdesk.enrich.entities.model import PERSON


@dataclass
class NameRef:
    """One mention as the linker sees it."""

    article: int
    index: int
    language: str
    story: object
    type: str
    name: str
    keys: list[str]
    known: Known | None = None
    base: str = ""
    guessed: bool = False  # a run of capitalised words, not a model's or a known name
    evidence: str | None = None  # the type a noun before the name gave ("Hafen von …": PLACE)
    local: bool = False  # names a body only within its story ("Congress", "Trésor")

    @property
    def key(self) -> str:
        """The whole name's key: its words' keys, space-separated."""
        return " ".join(self.keys)

    @property
    def person(self) -> bool:
        """Whether the mention is (so far) a person's."""
        return self.type == PERSON
