"""Translated organisation names: ``National Bank of Maravia``, ``Banque nationale de Maravie``,
``Maravische Nationalbank``, ``Banco Nacional de Maravia`` and ``Национальный банк Маравии`` are
one organisation.

A name's *signature* is the set of the organisation words it holds, as concepts (bank, national,
central, ministry…: a small dictionary over the common languages, German compounds split:
``Nationalbank`` = national + bank), plus the stems of its other words, romanised and without
adjective, demonym and case endings (Maravia, Maravie, Maravische, Маравии → ``marav``). Two
names with the same signature, at least one head noun (bank, ministry, party…) and at least one
proper stem (or three concepts), are one organisation.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from newsdesk.enrich.entities.cities import city_populations
from newsdesk.enrich.entities.gazetteer import Known, country_form
from newsdesk.enrich.entities.labels import is_organisation_word
from newsdesk.enrich.entities.model import ORG, PLACE, SOURCE_FALLBACK, Mention
from newsdesk.enrich.entities.romanise import romanise
from newsdesk.enrich.entities.stopwords import name_stopwords
from newsdesk.enrich.entities.text import base_language, fold

# Concept → its words in en, fr, de, es, it, pt, ru, uk (folded; Russian and Ukrainian ones are
# stems that take case endings). Head nouns make a name an organisation; the rest qualify it.
# fmt: off
HEADS: dict[str, tuple[str, ...]] = {
    "bank": ("bank", "banque", "banco", "banca", "банк"),
    "ministry": ("ministry", "department", "ministere", "ministerium", "ministerio", "ministero",
                 "министерств", "міністерств"),
    "university": ("university", "universite", "universitat", "universidad", "universita",
                   "universidade", "университет", "університет"),
    "party": ("party", "parti", "partei", "partido", "partito", "парти", "парті"),
    "commission": ("commission", "kommission", "comision", "commissione", "comissao", "комисси",
                   "комісі"),
    "council": ("council", "conseil", "rat", "consejo", "consiglio", "conselho", "совет", "рад"),
    "chamber": ("chamber", "chambre", "kammer", "camara", "camera", "палат"),
    "court": ("court", "cour", "gericht", "gerichtshof", "tribunal", "corte", "суд"),
    "police": ("police", "polizei", "policia", "polizia", "полици", "поліці"),
    "agency": ("agency", "agence", "agentur", "agencia", "agenzia", "агентств"),
    "institute": ("institute", "institut", "instituto", "istituto", "институт", "інститут"),
    "association": ("association", "verband", "asociacion", "associazione", "associacao",
                    "ассоциаци", "асоціаці"),
    "federation": ("federation", "federacion", "federazione", "федераци", "федераці"),
    "union": ("union", "unione", "uniao", "союз", "спілк", "syndicat", "sindicato", "gewerkschaft"),
    "committee": ("committee", "comite", "komitee", "comitato", "комитет", "комітет"),
    "company": ("company", "compagnie", "gesellschaft", "compania", "compagnia", "компани",
                "компані"),
    "club": ("club", "klub", "clube", "клуб"),
    "service": ("service", "servicio", "servizio", "servico", "служб"),
    "consultancy": ("consultancy", "consulting", "consultora", "consultoria"),
}
QUALIFIERS: dict[str, tuple[str, ...]] = {
    "national": ("national", "nationale", "nacional", "nazionale", "национальн", "національн"),
    "central": ("central", "centrale", "zentral", "centrala", "центральн"),
    "european": ("european", "europeen", "europeenne", "europaisch", "europaische", "europaischen",
                 "europeo", "europea", "europeu", "европейск", "європейськ"),
    "federal": ("federal", "federale", "bundes", "федеральн"),
    "international": ("international", "internationale", "internacional", "internazionale",
                      "международн", "міжнародн"),
    "world": ("world", "mondial", "mondiale", "welt", "mundial", "всемирн", "світов"),
    "supreme": ("supreme", "oberst", "oberste", "oberster", "obersten", "supremo", "suprema", "верховн"),
    "commerce": ("commerce", "handel", "handels", "comercio", "commercio", "торгов"),
    "development": ("development", "developpement", "entwicklung", "desarrollo", "sviluppo",
                    "развити", "розвитк"),
    "investment": ("investment", "investissement", "investition", "investitions", "inversion",
                   "investimenti", "инвестиц", "інвестиц"),
    "people": ("people", "peuple", "volk", "volks", "pueblo", "popolo", "народн"),
    "state": ("state", "etat", "staat", "staats", "estado", "stato", "государственн", "державн"),
}
# Bodies every state has: named by their noun alone, they are one body only within a story
# (the Congress of one story is the American one, of another the Peruvian one).
BODIES: dict[str, tuple[str, ...]] = {
    "congress": ("congress", "congres", "kongress", "congreso", "congresso", "конгресс", "конгрес"),
    "senate": ("senate", "senat", "senado", "senato", "сенат"),
    "parliament": ("parliament", "parlement", "parlament", "parlamento", "парламент"),
    "government": ("government", "gouvernement", "regierung", "gobierno", "governo", "правительств",
                   "уряд"),
    "treasury": ("treasury", "tresor", "schatzamt", "tesoro", "tesouro", "казначейств"),
    "assembly": ("assembly", "assemblee", "versammlung", "asamblea", "assemblea", "ассамбле",
                 "асамбле"),
    "legislature": ("legislature", "legislatur", "legislatura"),
    "cabinet": ("cabinet", "kabinett", "gabinete", "gabinetto", "кабинет", "кабінет"),
    "presidency": ("presidency", "presidence", "prasidentschaft", "presidencia", "presidenza",
                   "президентств"),
    "administration": ("administration", "administracion", "amministrazione", "администраци",
                       "адміністраці"),
    "army": ("army", "armee", "ejercito", "esercito", "exercito", "арми", "армі"),
    "republic": ("republic", "republique", "republik", "republica", "repubblica", "республик",
                 "республік"),
    "kingdom": ("kingdom", "royaume", "konigreich", "reino", "regno", "королевств", "королівств"),
}
# fmt: on
_CONCEPTS = {
    fold(word): concept
    for table in (HEADS, QUALIFIERS, BODIES)
    for concept, words in table.items()
    for word in words
}
_CYRILLIC_STEMS = tuple(sorted((w for w in _CONCEPTS if "\u0400" <= w[0] <= "\u04ff"), key=len, reverse=True))
_LATIN_WORDS = tuple(sorted((w for w in _CONCEPTS if w.isascii() and len(w) >= 4), key=len, reverse=True))
_MAX_ENDING = 4  # letters a Cyrillic concept stem may take as a case ending
# Adjective, demonym and case endings of a proper word (romanised, lower case), longest first.
_PROPER_ENDINGS = re.compile(
    r"(?:ischen|isches|ischer|ische|isch|iennes|ienne|iens|ien|eennes|eenne|eens|een|iano|iana"
    r"|ian|ians|ese|aise|ais|iia|ija|iya|ii|ia|ie|an|er|en|a|e|i|o|y|s)$"
)
_MIN_STEM = 4
_MIN_CONCEPTS_ALONE = 3  # European Central Bank: enough without a proper word; National Bank is not
_WORD = re.compile(r"[^\W\d_]+")
LONE_CONFIDENCE = 0.3
INSTITUTION = "institution"  # the label of an institution named by its head noun alone


def concept(word: str) -> str | None:
    """The organisation concept of one (folded) word: ``bank`` for bank, banque, банка."""
    if word in _CONCEPTS:
        return _CONCEPTS[word]
    for stem in _CYRILLIC_STEMS:
        if word.startswith(stem) and len(word) - len(stem) <= _MAX_ENDING:
            return _CONCEPTS[stem]
    return None


def is_institution_word(word: str) -> bool:
    """Whether ``word`` (as written) marks an institution: an organisation word of the rules
    ("Gobierno", "GmbH") or an organisation's head noun in some language ("Ministerio")."""
    return is_organisation_word(word) or is_head(fold(word))


@lru_cache(maxsize=1 << 16)
def is_head(word: str) -> bool:
    """Whether the folded word is an organisation's head noun in some language."""
    found = concept(word)
    return found in HEADS if found is not None else any(c in HEADS for c in _split(word) if c)


def _split(word: str) -> list[str | None]:
    """A German compound ending in a concept word: its parts' concepts (``nationalbank`` →
    national, bank); a prefix that is no concept gives ``None``."""
    for tail in _LATIN_WORDS:
        if word.endswith(tail) and len(word) - len(tail) >= _MIN_STEM:
            head = word[: -len(tail)]
            return [concept(head) or concept(head.rstrip("s")), _CONCEPTS[tail]]
    return []


@lru_cache(maxsize=65536)
def signature(name: str, language: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """The name's concepts and proper stems, or ``None`` when it has no head noun or no
    proper word (then it is compared by its key, as other names are), unless it has three
    concepts or more ("European Central Bank")."""
    concepts, proper = _parts(name, language)
    if not concepts & HEADS.keys() or not (proper or len(concepts) >= _MIN_CONCEPTS_ALONE):
        return None
    return concepts, proper


def concepts_alone(name: str, language: str) -> frozenset[str] | None:
    """The concepts of a name made of concepts alone, a head noun and at least one more
    ("Supreme Court", "Верховный суд", "Commission européenne"); ``None`` for any other name.
    Such a name says which organisation it is only within one story."""
    concepts, proper = _parts(name, language)
    if proper or len(concepts) < 2 or not concepts & HEADS.keys():
        return None
    return concepts


def body_concepts(name: str, language: str) -> frozenset[str] | None:
    """The concepts of a name that names a body only within its story (``names_a_body``:
    "Congress", "Senado", "Trésor"), ``None`` for any other name."""
    return _parts(name, language)[0] if names_a_body(name, language) else None


def names_a_body(name: str, language: str) -> bool:
    """Whether the name is made of organisation concepts alone, fewer than three ("Congress",
    "Senate", "Trésor", "Supreme Court", "Bundesregierung"): such a name says which body it is only
    within one story. An acronym names one ("US Congress")."""
    if any(len(w) > 1 and w.isupper() for w in _WORD.findall(name)):
        return False
    concepts, proper = _parts(name, language)
    return bool(concepts) and not proper and len(concepts) < _MIN_CONCEPTS_ALONE


@lru_cache(maxsize=65536)
def _parts(name: str, language: str) -> tuple[frozenset[str], frozenset[str]]:
    """The name's concepts and the stems of its other words (stop words left out)."""
    concepts: set[str] = set()
    proper: set[str] = set()
    stops = name_stopwords(language)
    for raw in _WORD.findall(name):
        word = fold(raw)
        if word in stops:
            continue
        found = concept(word)
        if found is not None:
            concepts.add(found)
            continue
        parts = _split(word)
        if parts and all(parts):
            concepts.update(p for p in parts if p)
            continue
        if parts:  # Bundesbank, Handelskammer: a known tail after an unknown prefix
            concepts.add(parts[1])
            word = word[: -len(next(t for t in _LATIN_WORDS if word.endswith(t)))]
        stem = _PROPER_ENDINGS.sub("", romanise(word, language).lower())
        if len(stem) < _MIN_STEM:
            stem = romanise(word, language).lower()
        proper.add(stem)
    return frozenset(concepts), frozenset(proper)


# A definite article, then one capitalised word that no other capitalised word follows.
_LONE_AFTER_ARTICLE = re.compile(
    r"\b(?:el|la|los|las|del|al|the|le|les|du|des|au|aux|il|lo|gli|della|dello)[ \t]+"
    r"(?P<word>[^\W\d_][^\W\d_]+)\b(?![ \t]+[^\W\d_]*[A-ZÀ-ÖØ-ÞА-Я])"
)


def lone_institutions(text: str) -> list[Mention]:
    """An institution named by its head noun alone after a definite article, capitalised where
    capitals are evidence ("el Gobierno", "el Congreso", "la Defensoría", "the Senate"): which
    one is the article's business; an organisation the linker makes no entity of
    (``names.is_common_noun``)."""
    out = []
    for found in _LONE_AFTER_ARTICLE.finditer(text):
        word = found.group("word")
        if word[:1].isupper() and not word.isupper() and is_institution_word(word):
            start = found.start("word")
            out.append(
                Mention(word, start, start + len(word), ORG, SOURCE_FALLBACK, LONE_CONFIDENCE, INSTITUTION)
            )
    return out


# Languages whose towns take no article, so that a definite article before a town's name makes
# it something else, mostly a club: Spanish "el Barcelona", "del Parma"; Italian "la Roma".
_ARTICLE_BEFORE_TOWN = {
    "es": re.compile(r"\b(?:el|del|al)[ \t]+$", re.IGNORECASE),
    "it": re.compile(r"\b(?:il|la|lo|del|della|dello|al|alla|allo|nel|nella)[ \t]+$", re.IGNORECASE),
}


def clubs_named_by_towns(text: str, mentions: list[Mention], language: str | None) -> list[Mention]:
    """``mentions`` with a place that is a town's name (``cities``) and no country's made an
    organisation where an article stands before it in a language whose towns take none: "el
    Barcelona", "del Parma", "la Roma" are clubs."""
    article = _ARTICLE_BEFORE_TOWN.get(base_language(language) or "")
    if article is None:
        return mentions
    out = []
    for mention in mentions:
        if (
            mention.type == PLACE
            and article.search(text, max(0, mention.start - 8), mention.start)
            and mention.text in city_populations()
            and not _country(country_form(mention.text))
        ):
            mention = replace(mention, type=ORG)
        out.append(mention)
    return out


def _country(form: tuple[Known, bool] | None) -> bool:
    return form is not None and not form[1]  # the country's own name, not a demonym
