"""Each recogniser's label set mapped onto PERSON, ORG, PLACE and OTHER."""

from __future__ import annotations

from newsdesk.enrich.entities.model import ORG, OTHER, PERSON, PLACE
from newsdesk.enrich.entities.text import fold

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


def is_organisation_word(word: str) -> bool:
    """Whether ``word`` marks an organisation: "FC", "GmbH", "Atlético", "Universität", "ТОВ"."""
    return fold(word.strip(".")) in ORGANISATION_WORDS


# Words that make a run of capitalised words an organisation, in any language (compared
# folded): legal forms, sports clubs, and the head nouns of institutions.
# fmt: off
ORGANISATION_WORDS = frozenset(
    [
        "fc", "cf", "ac", "sc", "sv", "vfb", "vfl", "tsv", "fsv", "club", "klub", "clube", "atletico",
        "sporting", "ag", "gmbh", "kg", "ohg", "sas", "sarl", "srl", "nv", "bv", "plc", "ltd", "llc",
        "inc", "corp", "corporation", "company", "group", "gruppe", "groupe", "grupo", "holding", "bank",
        "banque", "banco", "banca", "university", "universitat", "universite", "universidad",
        "universita", "uniwersytet", "universiteit", "ministry", "ministerium", "ministere",
        "ministerio", "ministero", "ministerstwo", "party", "partei", "parti", "partido", "partito",
        "partia", "committee", "komitee", "comite", "comitato", "komitet", "commission", "kommission",
        "comision", "commissione", "agency", "agentur", "agence", "agencia", "agenzia", "agencja",
        "institute", "institut", "instituto", "istituto", "foundation", "stiftung", "fondation",
        "fundacion", "fondazione", "association", "verband", "verein", "asociacion", "federation",
        "federacion", "federazione", "federacja", "airlines", "airways", "тов", "пат", "прат", "дп",
        "ооо", "оао", "зао", "пао", "ао", "банк", "партия", "партія", "университет", "університет",
        "министерство", "міністерство", "комитет", "комітет", "фонд", "компания", "компанія",
        "корпорация", "корпорація", "агентство", "gobierno", "gouvernement", "governo", "ayuntamiento",
        "congreso", "defensoria", "presidencia", "ejercito", "departamento", "fiscalia", "societe",
        "sociedad", "societa", "society",
    ]
)
# fmt: on
