"""Cleaning a mention's text into a name: titles, articles and possessives dropped."""

from __future__ import annotations

import re

from newsdesk.enrich.entities.model import PERSON
from newsdesk.enrich.entities.text import fold
from newsdesk.enrich.entities.word_vectors import common_words

# Words that stand before a name and are not part of it (compared folded).
TITLES = frozenset(
    fold(word)
    for word in [
        "president",
        "presidente",
        "presidenta",
        "vicepresidente",
        "vicepresidenta",
        "jefe",
        "jefa",
        "canciller",
        "ministra",
        "secretario",
        "secretaria",
        "juez",
        "jueza",
        "alcalde",
        "alcaldesa",
        "gobernador",
        "gobernadora",
        "consejero",
        "consejera",
        "diputado",
        "diputada",
        "senadora",
        "portavoz",
        "princesa",
        "príncipe",
        "princesse",
        "präsident",
        "prasident",
        "président",
        "presidential",
        "vice",
        "prime",
        "minister",
        "ministre",
        "ministro",
        "minister",
        "chancellor",
        "kanzler",
        "kanzlerin",
        "chancelier",
        "secretary",
        "secrétaire",
        "sekretär",
        "envoy",
        "émissaire",
        "emissary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "aide",
        "adviser",
        "advisor",
        "conseiller",
        "senator",
        "senador",
        "sénateur",
        "senatorin",
        "rep",
        "representative",
        "gov",
        "governor",
        "gouverneur",
        "mayor",
        "maire",
        "bürgermeister",
        "general",
        "général",
        "gen",
        "col",
        "colonel",
        "king",
        "queen",
        "roi",
        "reine",
        "könig",
        "prince",
        "princess",
        "pope",
        "papst",
        "pape",
        "sheikh",
        "cheikh",
        "dr",
        "doctor",
        "prof",
        "professor",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mme",
        "m",  # "M. Bussereau": a lone letter before a name is only ever a title here
        "mlle",
        "monsieur",
        "madame",
        "herr",
        "frau",
        "señor",
        "señora",
        "sr",
        "sra",
        "don",
        "doña",
        "sir",
        "lady",
        "lord",
        "judge",
        "juge",
        "richter",
        "ambassador",
        "coach",
        "imam",
        "rabbi",
        "bishop",
        "archbishop",
        "cardinal",
        "captain",
        "sergeant",
        "detective",
        "linebacker",
        "quarterback",
        "striker",
        "midfielder",
        "defender",
        "goalkeeper",
        "entraineur",
        "entraîneur",
        "entrenador",
        "capitán",
        "comandante",
        "ambassadeur",
        "botschafter",
        "foreign",
        "defence",
        "defense",
        "interior",
        "finance",
        "special",
        "u",
        "s",
        "us",
        "президент",
        "президента",
        "прем'єр",
        "прем'єр-міністр",
        "премьер",
        "премьер-министр",
        "міністр",
        "министр",
        "канцлер",
        "посол",
        "генерал",
        "помічник",
        "помощник",
        "речник",
        "пресс-секретарь",
        "спикер",
        "глава",
        "голова",
        "мэр",
        "мер",
        "总统",
        "主席",
        "总理",
        "部长",
        "外长",
        "发言人",
        "大使",
    ]
)
# German writes a role and its field as one word before the name ("Kremlberater Juri Uschakow",
# "Außenministerin Annalena Baerbock", "Bundestrainer Julian Nagelsmann"): such a word ends in a
# role noun, masculine or feminine (folded: no diacritics).
_GERMAN_ROLES = (
    "sprecher",
    "berater",
    "minister",
    "präsident",
    "kanzler",
    "chef",
    "botschafter",
    "sekretär",
    "leiter",
    "präfekt",
    "führer",
    "direktor",
    "kommandeur",
    "abgeordneter",
    "bürgermeister",
    "politiker",
    "korrespondent",
    "trainer",
    "gouverneur",
    "senator",
    "richter",
    "anwalt",
    "ökonom",
    "forscher",
    "analyst",
    "vorsitzender",
    "gesandter",
    "beauftragter",
    "spieler",
    "darsteller",
    "sänger",
    "dirigent",
    "regisseur",
    "moderator",
    "unternehmer",
    "manager",
    "kandidat",
    "rival",
)
GERMAN_ROLE_ENDINGS = tuple(fold(word) + suffix for word in _GERMAN_ROLES for suffix in ("", "in")) + (
    "vorsitzende",
    "gesandte",
    "beauftragte",
    "experte",
    "expertin",
    "oberhaupt",
)


def is_title(word: str) -> bool:
    """Whether ``word`` (any case) is a title or role that may stand before a person's name:
    "President", "Mme", "помощник", or a German role compound such as "Kremlsprecher"."""
    folded = fold(word.rstrip("."))
    return folded in TITLES or (len(folded) > 5 and folded.endswith(GERMAN_ROLE_ENDINGS))


ARTICLES = frozenset(
    [
        "the",
        "a",
        "an",
        "le",
        "la",
        "les",
        "l",
        "el",
        "los",
        "las",
        "lo",
        "il",
        "gli",
        "i",
        "der",
        "die",
        "das",
        "des",
        "dem",
        "den",
        "ein",
        "eine",
        "de",
        "du",
        "d",
    ]
)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_ELISIONS = ("l'", "l’", "d'", "d’")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def is_common_noun(name: str, type_: str) -> bool:
    """Whether the name of no person is one common word (``word_vectors.common_words``: "État",
    "Policía", "Government", "Internet"): which state or police depends on the article, so that,
    unless a known entity goes by it, it names no one entity across articles. A person's one-word
    name is a name ("Rosa")."""
    return type_ != PERSON and " " not in name and name.lower() in common_words()


def clean_name(text: str, type_: str) -> str:
    """The name a mention gives: without surrounding punctuation, a possessive ``'s``, leading
    articles and (for people) leading titles and trailing ``Jr.``; empty when nothing is left."""
    name = " ".join(text.split())
    name = _POSSESSIVE.sub("", _EDGE.sub("", name))
    words = name.split(" ")
    while len(words) > 1 and fold(words[0]) in ARTICLES:
        words = words[1:]
    if words[0][:2].lower() in _ELISIONS and len(words[0]) > 3:
        words[0] = words[0][2:]
    if type_ == PERSON:
        titled = len(words) > 1 and is_title(words[0])
        while len(words) > 1 and is_title(words[0]):
            words = words[1:]
        while len(words) > 1 and fold(words[-1]) in _SUFFIXES:
            words = words[:-1]
        if titled and _role(words):
            return ""  # "Jefe de Estado": a title and what it heads, no name ("général de Gaulle" is)
    return _EDGE.sub("", " ".join(words))


def _role(words: list[str]) -> bool:
    """Whether the words after a title are a connector and common words only ("de Estado",
    "del Gobierno", "of State"), not a name with a particle ("de Gaulle")."""
    rest = [re.split(r"['’]", w)[-1] for w in words if not w.islower()]  # "l’Intérieur" → "Intérieur"
    return words[0].islower() and bool(rest) and all(w.lower() in common_words() for w in rest)
