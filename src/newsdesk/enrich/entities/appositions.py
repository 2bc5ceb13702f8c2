"""What a noun before a name says of its type: "Hafen von Kingsholm", "Weiler Saint-Loup",
"Raumsonde Lyra", "Spektrometer SIRÈNE".

A run of capitalised words often starts with such a noun in German, where every noun is
capitalised. The noun (or a German compound ending in it: Containerhafen, Bodenstation) names
what the name is: a place, or a thing (OTHER). The linker counts this over the mentions of an
entity, in any language, before the types the models guessed.
"""

from __future__ import annotations

from newsdesk.enrich.entities.model import OTHER, PLACE
from newsdesk.enrich.entities.text import fold

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
_CLASSES = {fold(w): PLACE for w in _PLACE_NOUNS} | {fold(w): OTHER for w in _THING_NOUNS}
_SUFFIXES = tuple(sorted((w for w in _CLASSES if len(w) >= 5), key=len, reverse=True))
_MIN_PREFIX = 3


def type_of_noun(word: str) -> str | None:
    """PLACE or OTHER for a class noun ("Hafen", "Containerhafen", "Raumsonde"), else ``None``."""
    folded = fold(word)
    if folded in _CLASSES:
        return _CLASSES[folded]
    for suffix in _SUFFIXES:
        if folded.endswith(suffix) and len(folded) - len(suffix) >= _MIN_PREFIX:
            return _CLASSES[suffix]
    return None


def opens_a_place(word: str) -> bool:
    """Whether a name opening with ``word`` is a place: "Puerto" (Alba), "Mount" (Kenya)."""
    return fold(word) in _PLACE_OPENERS
