"""Each recogniser's label set mapped onto PERSON, ORG, PLACE and OTHER."""

from __future__ import annotations

from newsdesk.enrich.entities.model import ORG, OTHER, PERSON, PLACE

_LABELS = {
    # spaCy English (OntoNotes)
    "PERSON": PERSON,
    "ORG": ORG,
    "GPE": PLACE,
    "LOC": PLACE,
    "FAC": PLACE,
    "NORP": OTHER,
    "EVENT": OTHER,
    "PRODUCT": OTHER,
    "WORK_OF_ART": OTHER,
    "LAW": OTHER,
    "LANGUAGE": OTHER,
    # spaCy French, Spanish… (WikiNER) and natasha
    "PER": PERSON,
    "MISC": OTHER,
    # already normalised
    "PLACE": PLACE,
    "OTHER": OTHER,
}

# Numbers, dates and amounts are not names: they are dropped.
_DROPPED = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}


def normalise_label(label: str) -> str | None:
    """PERSON, ORG, PLACE or OTHER for a recogniser's label; ``None`` for numbers and dates."""
    label = label.upper()
    if label in _DROPPED:
        return None
    return _LABELS.get(label, OTHER)
