"""What a noun before a name says of its type: "Hafen von Kingsholm", "Weiler Saint-Loup",
"Raumsonde Lyra", "Spektrometer SIRÈNE".

A run of capitalised words often starts with such a noun in German, where every noun is
capitalised. The noun (or a German compound ending in it: Containerhafen, Bodenstation) names
what the name is: a place, or a thing (OTHER). The linker counts this over the mentions of an
entity, in any language, before the types the models guessed. A model's own names are typed the
same way (``with_class_evidence``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from newsdesk.enrich.entities.model import ORG, OTHER, PERSON, PLACE, Mention
from newsdesk.enrich.entities.names import GERMAN_ROLE_ENDINGS
from newsdesk.enrich.entities.text import NAME_WORD, base_language, fold

# A model's mention typed by the class noun before it (``with_class_evidence``): evidence for
# the linker as an apposition is, but the model's span, not a guessed one.
CLASS_NOUN = "class noun"

# fmt: off
_PLACE_NOUNS = (
    "port", "harbour", "harbor", "hafen", "puerto", "porto", "city", "stadt", "ville", "ciudad",
    "town", "village", "dorf", "weiler", "hameau", "aldea", "island", "insel", "isla", "ile",
    "river", "fluss", "rio", "fleuve", "riviere", "station", "estacion", "stazione", "bahnhof",
    "terminal", "airport",
    "flughafen", "aeropuerto", "aeroport", "region", "provinz", "province", "provincia", "gemeinde",
    "commune", "municipio", "valley", "tal", "vallee", "valle", "mountain", "berg", "mont",
    "montana", "lake", "see", "lac", "lago", "coast", "kuste", "cote", "costa", "cerro", "sierra",
    "cabo", "cape", "bahia", "bay", "golfo", "gulf", "golfe", "monte", "mount",
)
# Class nouns that open a place's own name ("Puerto Alba", "Cerro Amarillo", "Mount Kenya"):
# such a name is no person, whatever a model guessed. Not those that are given names too
# (Isla, Sierra, Costa, Rio).
_PLACE_OPENERS = frozenset(
    ("puerto", "port", "cerro", "lago", "lake", "lac", "mount", "monte", "mont", "cabo", "cape",
     "bahia", "golfo", "gulf", "ciudad", "ile", "isola")
)
_THING_NOUNS = (
    "probe", "sonde", "sonda", "spectrometer", "spektrometer", "spectrometre", "espectrometro",
    "camera", "kamera", "camara", "satellite", "satellit", "satelite", "lander", "landegerat",
    "rocket", "rakete", "cohete", "fusee", "ship", "schiff", "navire", "buque", "mission",
    "mision", "telescope", "teleskop", "telescopio", "instrument", "gerat", "comet", "komet",
    "kometen", "cometa", "comete", "asteroid", "asteroide", "asteroiden",
)
# fmt: on
# German nouns for what an organisation is, alone or ending a compound ("Nachrichtenagentur",
# "Traditionsverein", "Medienkonzern"), that stand before its name but are no part of it. Not
# those that open many names ("Bank", "Klub", "Stiftung", "Verlag": "Stiftung Warentest").
_ORGANISATION_NOUNS = (
    "agentur",
    "firma",
    "gesellschaft",
    "gruppe",
    "konzern",
    "sender",
    "unternehmen",
    "verein",
    "zeitung",
    "kanzlei",
    "organisation",
)
_CLASSES = {fold(w): PLACE for w in _PLACE_NOUNS} | {fold(w): OTHER for w in _THING_NOUNS}
_SUFFIXES = tuple(sorted((w for w in _CLASSES if len(w) >= 5), key=len, reverse=True))
_MIN_PREFIX = 3


@lru_cache(maxsize=1 << 16)
def type_of_noun(word: str) -> str | None:
    """PLACE or OTHER for a class noun ("Hafen", "Containerhafen", "Raumsonde"), else ``None``."""
    folded = fold(word)
    if folded in _CLASSES:
        return _CLASSES[folded]
    for suffix in _SUFFIXES:
        if folded.endswith(suffix) and len(folded) - len(suffix) >= _MIN_PREFIX:
            return _CLASSES[suffix]
    return None


def with_class_evidence(text: str, mentions: list[Mention]) -> list[Mention]:
    """A model's mentions typed by a class noun right before them ("el cometa Vidal-Okafor", "la
    sonde Lyra": OTHER; "Weltraumbahnhof Puerto Alba": PLACE; ``type_of_noun``), labelled
    ``CLASS_NOUN`` so that the linker counts it as evidence, and a person whose name opens with a
    place's class noun taken for that place ("Puerto Alba", "Cerro Amarillo"). Only the word
    right before counts, not one before a preposition as for the rules' own runs ("a rocket from
    the Puerto Alba spaceport"). An organisation stays one (a port's operator)."""
    if not mentions:
        return mentions
    words = [(m.start(), m.end(), m.group()) for m in NAME_WORD.finditer(text)]
    index = {start: k for k, (start, _, _) in enumerate(words)}
    out = []
    for mention in mentions:
        k = index.get(mention.start)
        if k is None or mention.type == ORG:
            out.append(mention)
            continue
        adjacent = k > 0 and not text[words[k - 1][1] : words[k][0]].strip()
        noun = type_of_noun(words[k - 1][2]) if adjacent else None
        if noun is not None:
            mention = replace(mention, type=noun, label=CLASS_NOUN)
        elif mention.type == PERSON and " " in mention.text.strip() and fold(words[k][2]) in _PLACE_OPENERS:
            mention = replace(mention, type=PLACE)
        out.append(mention)
    return out


_FIRST_WORD = re.compile(r"(\S+)\s+(?=\S)")


def without_descriptors(mentions: list[Mention], language: str | None) -> list[Mention]:
    """German: a model's name opening with a noun that says what it names, then a capitalised
    word, is the name after it, typed by the noun ("Traditionsverein Preußen Münster",
    "Nachrichtenagentur Reuters": organisations; "Hafenstadt Dalian": a place; "Flügelspieler
    Louis Lynagh": a person). German capitalises the noun, and the small models take it in. Not
    a noun that opens a place's own name ("Mont Ventoux", "Lake Calhoun")."""
    if base_language(language) != "de":
        return mentions
    out = []
    for mention in mentions:
        first = _FIRST_WORD.match(mention.text)
        type_ = _descriptor_type(first.group(1)) if first else None
        if first and type_ is not None and mention.text[first.end()].isupper():
            mention = replace(
                mention,
                text=mention.text[first.end() :],
                start=mention.start + first.end(),
                type=type_,
                label=CLASS_NOUN if type_ in (PLACE, OTHER) else mention.label,
                lemma=None,
            )
        out.append(mention)
    return out


def _descriptor_type(word: str) -> str | None:
    """The type a German noun before a name gives it: a role's PERSON, an organisation noun's ORG,
    a class noun's PLACE or OTHER (not one that opens places' names)."""
    folded = fold(word)
    if len(folded) > 5 and folded.endswith(GERMAN_ROLE_ENDINGS):
        return PERSON
    if folded.endswith(_ORGANISATION_NOUNS):
        return ORG
    return None if folded in _PLACE_OPENERS else type_of_noun(word)
