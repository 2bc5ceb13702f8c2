"""Known names: the package's alias table and pycountry's country names in many languages.

Used by the fallback recogniser (which names occur in a text) and by the linker (which
entity a name stands for, whatever its language or script).
"""

from __future__ import annotations

import contextlib
import gettext
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from newsdesk.enrich.entities.model import PERSON, PLACE
from newsdesk.enrich.entities.romanise import name_key, name_tokens, romanise, token_key
from newsdesk.enrich.entities.text import base_language, fold

# Country names are read in these languages for linking (plus each article's own).
LINK_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "uk", "zh_CN", "ar", "tr", "ja")
_GETTEXT_LOCALES = {"zh": "zh_CN", "nb": "nb_NO", "no": "nb_NO"}


@dataclass(frozen=True)
class Known:
    """An entity the gazetteer knows: a stable key, its English name and its type."""

    key: str
    name: str
    type: str


@lru_cache(maxsize=1)
def alias_table() -> tuple[tuple[Known, tuple[str, ...]], ...]:
    """The shipped alias table: each entity with all its names (the canonical one first)."""
    data = json.loads(
        (resources.files("newsdesk.enrich.entities") / "data" / "aliases.json").read_text("utf-8")
    )
    return tuple(
        (Known(_alias_key(e["id"]), e["name"], e["type"]), (e["name"], *e["aliases"]))
        for e in data["entities"]
    )


def _alias_key(ident: str) -> str:
    """``alias:putin``; an id that already has a namespace (``country:RUS``) is kept."""
    return ident if ":" in ident else f"alias:{ident}"


@lru_cache(maxsize=64)
def country_names(language: str) -> tuple[tuple[Known, tuple[str, ...]], ...]:
    """Every country with its names in ``language`` (English when it has no translation)."""
    import pycountry

    code = base_language(language)
    locale = _GETTEXT_LOCALES.get(code, language if "_" in language else code)
    translate = gettext.NullTranslations().gettext
    if code and code != "en":
        with contextlib.suppress(OSError):
            translate = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale]).gettext
    out = []
    for country in pycountry.countries:
        english = [
            country.name,
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
        ]
        names = tuple(dict.fromkeys(translate(n) for n in english if n))
        known = Known(
            f"country:{country.alpha_3}", getattr(country, "common_name", None) or country.name, PLACE
        )
        out.append((known, names))
    return tuple(out)


@lru_cache(maxsize=64)
def recognition_names(language: str) -> dict[str, Known]:
    """Folded name → entity, for finding names in a text of ``language``."""
    names: dict[str, Known] = {}
    for known, form in _written_forms(language):
        folded = fold(form)
        if folded and len(folded) > 1:
            names.setdefault(folded, known)
    return names


def _written_forms(language: str) -> Iterator[tuple[Known, str]]:
    """Each known entity with each form a text of ``language`` may write it in: the countries'
    names in English and in ``language``, the alias table, German names declined too."""
    for known, forms in (*country_names("en"), *country_names(language), *alias_table()):
        for form in with_declined(forms):
            yield known, form


# A German adjective before a noun in a name, and the weak ending it takes after an article:
# "Europäische Kommission" → "der Europäischen Kommission", "Vereinigtes Königreich" → "im
# Vereinigten Königreich", "Tschechische Republik" → "der Tschechischen Republik".
_GERMAN_ADJECTIVE = re.compile(r"^([A-ZÄÖÜ][a-zäöüß]{3,}?)(e|es|er)$")


def with_declined(forms: tuple[str, ...]) -> tuple[str, ...]:
    """The forms, and for a name of several words whose first words are German adjectives, the
    form they take after an article (weak ending ``-en``), also with the last word's genitive
    ``-s`` ("des Vereinigten Königreichs", "des Europäischen Parlaments")."""
    out = list(forms)
    for form in forms:
        words = form.split()
        if len(words) < 2 or not _GERMAN_ADJECTIVE.match(words[0]):
            continue
        declined = [_GERMAN_ADJECTIVE.sub(r"\1en", w) for w in words[:-1]] + words[-1:]
        out.append(" ".join(declined))
        if words[-1][-1] not in "sen":
            out.append(" ".join(declined) + "s")
    return tuple(dict.fromkeys(out))


UPPER, CAPITAL, ANY_CASE = "upper", "capital", "any"


@lru_cache(maxsize=64)
def name_cases(language: str) -> dict[str, str]:
    """Folded name → how its known forms are written: ``upper`` when all in capitals
    ("UN", "WHO": "un" and "Who" are not them), ``capital`` when all start with a capital,
    ``any`` when one starts in lower case ("von der Leyen")."""
    cases: dict[str, str] = {}
    rank = {UPPER: 0, CAPITAL: 1, ANY_CASE: 2}
    for _known, form in _written_forms(language):
        letters = [c for c in form if c.isalpha()]
        if not letters or not (letters[0].isupper() or letters[0].islower()):
            continue  # scripts without case
        case = UPPER if all(c.isupper() for c in letters) else CAPITAL if letters[0].isupper() else ANY_CASE
        folded = fold(form)
        if rank[case] > rank[cases.get(folded, UPPER)]:
            cases[folded] = case
        else:
            cases.setdefault(folded, case)
    return cases


@lru_cache(maxsize=64)
def local_names(language: str) -> dict[str, Known]:
    """Folded country name → country, in ``language`` (those the link index does not read)."""
    return {fold(form): known for known, forms in country_names(language) for form in forms if fold(form)}


@dataclass(frozen=True)
class LinkIndex:
    """Lookups from a name to a known entity: by folded text, by key, by surname key."""

    by_text: dict[str, Known]
    by_key: dict[str, Known]
    by_surname: dict[str, Known]


@lru_cache(maxsize=1)
def link_index() -> LinkIndex:
    """The linker's lookups over the alias table and the countries' names."""
    by_text: dict[str, Known] = {}
    by_key: dict[str, Known] = {}
    surnames: dict[str, set[Known]] = {}
    sources = [*alias_table()]
    for language in LINK_LANGUAGES:
        sources.extend(country_names(language))
    for known, forms in sources:
        for form in with_declined(forms):
            by_text.setdefault(fold(form), known)
            key = name_key(form)
            if key and len(key) > 2:
                by_key.setdefault(key, known)
            tokens = name_tokens(form)
            if known.type == PERSON and tokens:
                surnames.setdefault(token_key(tokens[-1]), set()).add(known)
    # a surname shared by two known people names neither
    by_surname = {
        key: next(iter(found)) for key, found in surnames.items() if len(found) == 1 and len(key) > 2
    }
    return LinkIndex(by_text, by_key, by_surname)


# Endings of demonyms and adjectives of countries, and of the countries' names themselves
# (romanised, lower case), stripped repeatedly: American, Américains, Amerikaner → amerik;
# America → amerik; Russes, Russen, Russian, Russia → russ.
_DEMONYM_ENDINGS = (
    "ischen", "ische", "isch", "iennes", "ienne", "iens", "ien", "aines", "aine", "ains", "ain",
    "anos", "anas", "ano", "ana", "ians", "ian", "ese", "ais", "aise", "ois", "oise", "ish",
    "land", "ern", "er", "en", "an", "ia", "ie", "es", "s", "a", "e", "o", "i", "y", "u",
)  # fmt: skip
# Those that make a demonym or an adjective, not a case of the country's name (Německa).
_DEMONYM_ONLY = frozenset(_DEMONYM_ENDINGS[: _DEMONYM_ENDINGS.index("ia")]) - {"land"}
_MIN_DEMONYM_STEM = 4
# Regions of the alias table whose demonyms are no places either, as countries' ("Europeans",
# "Européens", "Europäer"), and whose names take case endings as countries' do ("Evropy").
DEMONYM_REGIONS = frozenset({"alias:europe"})
# More languages whose forms of the countries' names are recognised by their stems.
STEM_LANGUAGES = ("cs", "sk", "hu", "ro", "sv", "da", "fi", "hr", "sl", "bg", "el", "is")


def demonym_stem(name: str) -> tuple[str, bool]:
    """The stem a country's name shares with its demonyms and adjectives (see above), and
    whether an ending only demonyms and adjectives take was stripped."""
    stem = romanise(name).lower().replace("c", "k")
    demonym = False
    changed = True
    while changed:
        changed = False
        for ending in _DEMONYM_ENDINGS:
            if stem.endswith(ending) and len(stem) - len(ending) >= _MIN_DEMONYM_STEM:
                stem, changed = stem[: -len(ending)], True
                demonym = demonym or ending in _DEMONYM_ONLY
                break
    return stem, demonym


@lru_cache(maxsize=1)
def country_stems() -> dict[str, Known]:
    """Demonym stem → country (or a region of ``DEMONYM_REGIONS``), over the countries' one-word
    names in the link languages and the alias table; a stem two countries share names neither."""
    found: dict[str, dict[str, Known]] = {}
    sources = [
        entry
        for entry in alias_table()
        if entry[0].key.startswith("country:") or entry[0].key in DEMONYM_REGIONS
    ]
    for language in (*LINK_LANGUAGES, *STEM_LANGUAGES):
        sources.extend(country_names(language))
    for known, forms in sources:
        for form in forms:
            if " " not in form and len(form) > _MIN_DEMONYM_STEM:
                found.setdefault(demonym_stem(form)[0], {}).setdefault(known.key, known)
    return {stem: next(iter(k.values())) for stem, k in found.items() if len(k) == 1}


# Demonyms and adjectives whose stem is no stem of the country's name in that language ("French"
# and France, "Dutch" and the Netherlands, "Allemands" and Allemagne), in English, French, German
# and Spanish, and those of the parts of the United Kingdom.
# fmt: off
_IRREGULAR_DEMONYMS: dict[str, tuple[str, ...]] = {
    "country:FRA": ("French", "Frenchman", "Frenchmen"),
    "country:NLD": ("Dutch", "Dutchman", "Néerlandais", "Niederländer", "Holländer", "Holandés"),
    "country:GBR": ("Britannique", "Briten", "Brite", "Británico"),
    "country:DEU": ("Allemand", "Allemande", "Alemán", "Alemana"),
    "country:ESP": ("Spanish", "Spaniard", "Espagnol", "Spanier", "Español", "Española"),
    "country:CHE": ("Swiss",),
    "country:IRL": ("Irish", "Irländer", "Irlandés"),
    "country:DNK": ("Danish", "Dane", "Danois", "Däne", "Dänen", "Danés"),
    "country:POL": ("Polish", "Pole", "Polaco"),
    "country:PRT": ("Portuguese", "Portugais", "Portugiese", "Portugiesen", "Portugués"),
    "country:IRN": ("Iranian", "Iranien", "Iraner", "Iraní"),
    "country:IRQ": ("Iraqi", "Irakien", "Iraker", "Iraquí"),
    "country:AFG": ("Afghan", "Afghane", "Afghanen", "Afgano"),
    "country:LBN": ("Lebanese", "Libanais", "Libanese", "Libanesen", "Libanés"),
    "country:SAU": ("Saudi", "Saoudien", "Saudí"),
    "country:PER": ("Peruvian", "Péruvien", "Peruaner", "Peruano"),
    "country:CUB": ("Cuban", "Cubain", "Kubaner", "Cubano"),
    "country:NGA": ("Nigerian", "Nigérian", "Nigerianer", "Nigeriano"),
    "country:BIH": ("Bosnian", "Bosniaque", "Bosnier", "Bosnio"),
    "country:MYS": ("Malaysian", "Malaisien", "Malaysier", "Malasio"),
    "country:CYP": ("Cypriot", "Chypriote", "Zyprer", "Chipriota"),
    "country:ISL": ("Icelandic", "Icelander", "Islandais", "Isländer", "Islandés"),
    "country:KAZ": ("Kazakh", "Kasache", "Kasachen", "Kazajo"),
    "country:UZB": ("Uzbek", "Ouzbek", "Usbeke", "Usbeken", "Uzbeko"),
    "alias:england": ("English", "Englishman", "Anglais", "Engländer", "Inglés"),
    "alias:scotland": ("Scottish", "Scots", "Écossais", "Schotte", "Escocés"),
    "alias:wales": ("Welsh", "Gallois", "Waliser", "Galés"),
}
# fmt: on


_PLURAL_ENDINGS = ("", "s", "e", "es", "n", "en")


def _with_endings(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Each folded form of the table's words, with their feminine and plural endings
    ("Allemandes", "Afghanen", "Españoles") → the word's key in the table."""
    return {
        fold(form + ending): key
        for key, forms in table.items()
        for form in forms
        for ending in _PLURAL_ENDINGS
    }


@lru_cache(maxsize=1)
def irregular_demonyms() -> dict[str, Known]:
    """Folded demonym → country (or part of the United Kingdom), for the demonyms above with
    their endings; matched whole, as their stems are names too ("Scott" of "Scottish")."""
    known = {k.key: k for k, _ in (*alias_table(), *country_names("en"))}
    return {form: known[key] for form, key in _with_endings(_IRREGULAR_DEMONYMS).items()}


# Political groups named by their members, as demonyms name a country's people: no
# organisation, place or person ("the Republicans", "les Occidentaux", "die Demokraten"), one
# OTHER entity per group. In English, French, German and Spanish.
# fmt: off
_GROUPS: dict[str, tuple[str, ...]] = {
    "republicans": ("Republican", "Républicain", "Republikaner", "Republicano"),
    "democrats": ("Democrat", "Démocrate", "Demokrat", "Demócrata"),
    "conservatives": ("Conservative", "Tory", "Tories", "Conservateur", "Konservative", "Conservador"),
    "socialists": ("Socialist", "Socialiste", "Sozialist", "Socialista"),
    "communists": ("Communist", "Communiste", "Kommunist", "Comunista"),
    "westerners": ("Westerner", "Occidental", "Occidentaux"),
}
# fmt: on


@lru_cache(maxsize=1)
def _group_forms() -> dict[str, str]:
    return _with_endings(_GROUPS)


def group_of(name: str) -> str | None:
    """The political group a one-word name names its members by ("Republicans", "Démocrates",
    "Tories"), if any."""
    return _group_forms().get(fold(name))


def country_form(name: str) -> tuple[Known, bool] | None:
    """The country a one-word name is a form of, and whether it is a demonym or adjective
    ("Américains", "Russen", "French") rather than the country's name under a case ending
    ("Německa")."""
    if " " in name or len(name) <= _MIN_DEMONYM_STEM:
        return None
    stem, demonym = demonym_stem(name)
    known = country_stems().get(stem)
    if known is not None:
        return known, demonym
    irregular = irregular_demonyms().get(fold(name))
    return (irregular, True) if irregular is not None else None


# Currencies named in the common languages besides pycountry's English names.
_CURRENCY_WORDS = ("dólar", "dolar", "доллар", "долар", "евро", "євро", "rouble", "rubel", "рубль", "гривня",
                   "гривна", "юань", "иена", "фунт", "livres sterling")  # fmt: skip


@lru_cache(maxsize=1)
def currency_keys() -> frozenset[str]:
    """Keys of the one-word names of currencies ("Euro", "Dollar", "Rubel", "доллар"): they are
    no organisation or place, whatever a model says."""
    import pycountry

    words = {currency.name.split()[-1] for currency in pycountry.currencies}
    return frozenset(k for k in (name_key(w) for w in (*words, *_CURRENCY_WORDS)) if k and " " not in k)
