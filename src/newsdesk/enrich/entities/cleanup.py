"""What no recogniser may call a name, in any language: the shared filter over every mention.

A mention loses a leading lower-case function word or elided particle ("la France" → "France",
"l’Élysée" → "Élysée") and is dropped when what is left is punctuation, a single letter ("C",
"M."), an elided particle ("n’", "qu’"), written without a capital in a script that has them
("fr" for francs), a title abbreviation alone ("Mme"), a weekday alone ("Samedi"), a function
word with a contracted verb ("I'm"), or made only of function words ("un", "того", "Il"
opening a sentence). Function words are the stop words spaCy ships for the language (articles,
pronouns, determiners, prepositions, conjunctions…). A function word still counts as a name
written in capitals ("US") or capitalised in the middle of a sentence ("The Who", "May said"),
except in languages that capitalise every noun.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from newsdesk.enrich.entities.model import GAZETTEER, OTHER, PERSON, PLACE, Mention
from newsdesk.enrich.entities.names import ARTICLES, TITLES, is_title
from newsdesk.enrich.entities.organisations import is_institution_word
from newsdesk.enrich.entities.text import base_language, fold, is_latin

# Languages that capitalise every noun: a capitalised word there is no evidence of a name.
NOUN_CAPITALISING = frozenset({"de", "lb"})
# Languages whose function words are dropped when the article's language has no list.
COMMON_LANGUAGES = ("en", "fr", "de", "es", "ru", "uk", "it", "pt", "pl", "nl")

_WORD = re.compile(r"\w+")
_LAST_WORD = re.compile(r"\s(\w+)\W*$")
_SENTENCE_END = re.compile(r"(?:^|[.!?…:;»\"“”\n]\s*)$")
# German adjectives that open names written capitalised ("Maravische", "Europäischen", "Neue",
# "Vereinte", "Rote"), inflected; compared in lower case.
_NAME_ADJECTIVE = re.compile(
    r"(?:\w{3,}isch|\w{3,}lich|deutsch|neu|frei|vereint|vereinigt|rot|grün|schwarz|weiß|hoch|oberst|ober|unter"
    r"|alt|groß|heilig|allgemein|sozial|liberal|national|zentral|international|föderal)(?:e|en|er|es|em)"
)
_QUOTE_OPENING = re.compile(r"[„‚]\s*$")  # German quotes open a quoted sentence
ELIDED = re.compile(r"^(\w{1,4})['’](?=\w)")  # l’, d’, qu’, dell’… before the word they join
_EDGE = " \t\n\u00a0\"'“”‘’«»„()[]{},;:!?*"
# An abbreviated civil title, then a rank ("M. le général"), then a particle ("M. de Bismarck").
_CIVIL_TITLE = re.compile(
    r"(?<!\w)(?:M|MM|Mme|Mmes|Mlle|Mlles|Mgr|Me)\.? (?:(?:le|la) [a-zàâçéèêëîïôûù-]+ )?(?:(?:de|du) |d['’])?$"
)
# Languages whose press writes a person's abbreviated civil title as part of the name.
CIVIL_TITLE_LANGUAGES = frozenset({"fr"})
_TITLE_ABBREVIATION = 4  # "Mme", "Mr", "Dr": a title this short alone is no name
# A function word with a contracted verb or negation: "I'm", "It's", "We're" (but "Macy's").
_CONTRACTION = re.compile(r"^(\w+)['’](?:m|re|ve|ll|d|s|t)$", re.IGNORECASE)


@lru_cache(maxsize=64)
def function_words(language: str | None) -> frozenset[str]:
    """Folded stop words spaCy ships for ``language`` (for an unknown language, those of the
    common languages together); empty when spaCy has no list for it."""
    code = base_language(language)
    codes = (code,) if code else COMMON_LANGUAGES
    words: set[str] = set()
    for name in codes:
        words.update(fold(w) for w in _spacy_stop_words(name))
        words.update(prepositions(name))
    words.discard("")
    return frozenset(words)


@lru_cache(maxsize=64)
def prepositions(language: str | None) -> frozenset[str]:
    """Folded prepositions that spaCy's stop words lack and that open sentences before names
    ("Laut Reuters", "According to", "Podle České národní banky"): never a name's first word,
    even before a capitalised one (as "Nueva" is in "Nueva York")."""
    return frozenset(fold(w) for w in _PREPOSITIONS.get(base_language(language), "").split())


_PREPOSITIONS = {
    "en": "according despite amid",
    "fr": "contre",
    "de": "laut gemäß trotz zufolge angesichts aufgrund innerhalb",
    "ru": "согласно",
    "uk": "згідно завдяки",
    "cs": "podle díky podél kolem okolo pomocí vůči ohledně",
    "pt": "durante",
}


def _spacy_stop_words(code: str) -> frozenset[str]:
    """spaCy's stop words for ``code``, read from its ``stop_words`` module alone: importing it as
    ``spacy.lang.<code>.stop_words`` would import the language's package, which for French
    compiles the tokenizer's exceptions (seconds of CPU; see entities/tokenizer.py)."""
    import spacy.lang

    path = Path(spacy.lang.__file__).parent / code / "stop_words.py"
    spec = importlib.util.spec_from_file_location(f"newsdesk_stop_words_{code}", path)
    if spec is None or spec.loader is None or not path.is_file():
        return frozenset()
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception:  # noqa: BLE001 - a list that does not stand alone: the language's package then
        try:
            module = importlib.import_module(f"spacy.lang.{code}.stop_words")
        except ImportError:
            return frozenset()
    return frozenset(getattr(module, "STOP_WORDS", ()))


def is_capitalised_adjective(word: str) -> bool:
    """A German adjective written capitalised, as in a name ("Maravische", "Europäischen",
    "Deutsche", "Vereinte"): an -isch or -lich adjective, or one of the few others that open
    names, inflected (``_NAME_ADJECTIVE``)."""
    return word[:1].isupper() and not word.isupper() and bool(_NAME_ADJECTIVE.fullmatch(word.lower()))


def at_sentence_start(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence (or the text)."""
    return bool(_SENTENCE_END.search(text[max(0, start - 3) : start]))


def clean_mentions(text: str, mentions: Sequence[Mention], language: str | None) -> list[Mention]:
    """``mentions`` trimmed of leading function words, without those that are no name."""
    from newsdesk.enrich.entities.fallback import calendar_words, weekday_names  # they import this module

    stops = function_words(language)
    capital_evidence = base_language(language) not in NOUN_CAPITALISING
    leading = calendar_words(base_language(language)) | prepositions(language)
    weekdays = weekday_names(base_language(language))
    out = []
    for mention in (part for m in mentions for part in _name_parts(m, stops)):
        mention = _trimmed(text, _without_lower_case_opener(mention), stops, leading, capital_evidence)
        if mention is not None and base_language(language) in CIVIL_TITLE_LANGUAGES:
            mention = _with_civil_title(text, mention)
        if (
            mention is not None
            and fold(mention.text) not in weekdays
            and not (mention.type == OTHER and _names_an_amount(mention.text))
            and _is_name(text, mention, stops, capital_evidence)
        ):
            out.append(mention)
    return out


# Currencies, which German writes capitalised and its NER sets tag as miscellaneous names ("Euro",
# "Dollar"): untyped, a name that is or ends with one ("Milliarden Euro") is no one's name in a
# press review, and the other languages write them in lower case. Folded; none is also a common
# surname or place ("Rand", "Sterling", "Franken").
# fmt: off
CURRENCIES = frozenset({
    "euro", "euros", "dollar", "dollars", "us-dollar", "us-dollars", "dolar", "dolares", "yen", "yuan",
    "renminbi", "rubel", "ruble", "rubles", "rouble", "roubles", "rublo", "rublos", "rupie", "rupien",
    "rupee", "rupees", "peso", "pesos", "zloty", "forint", "hryvnia",
})
# fmt: on


def _names_an_amount(name: str) -> bool:
    """Whether a name is a currency or ends with one ("Euro", "Milliarden Euro", "US-Dollar")."""
    words = name.split()
    return bool(words) and fold(words[-1]) in CURRENCIES


# Particles inside names: "Ludwig van Beethoven", "Fernando Collor de Mello", "Isola di Arabella".
NAME_PARTICLES = frozenset(
    {"von", "van", "der", "den", "de", "da", "di", "du", "al", "bin", "ibn", "le", "la"}
)
# A comma between capitalised words, or lower-case words: where two names may meet.
_NAME_BORDER = re.compile(r"(?<=[^\W\d_]),\s+(?=[A-ZÀ-ÖØ-Þ])|\s+(?:[^\W\d_A-ZÀ-ÖØ-Þ][\w’'.-]*\s+)+")


def _name_parts(mention: Mention, stops: frozenset[str]) -> list[Mention]:
    """A person or place in Latin letters cut where no name goes on: at a comma ("Elena,
    Triavna") and at lower-case words other than function words ("Los candidatos menores como
    Duncan Hunter" → "Los", "Duncan Hunter"); not at particles and conjunctions ("Castilla y
    León", "Charles de Gaulle"). Organisations keep theirs ("Banque nationale de Maravie")."""
    if mention.type not in (PERSON, PLACE) or not is_latin(mention.text):
        return [mention]
    cuts = [
        border.span()
        for border in _NAME_BORDER.finditer(mention.text)
        if "," in border.group()
        or (
            any(w[0].isupper() for w in _WORD.findall(mention.text[: border.start()]))
            and any(_no_name_word(w, stops) for w in _WORD.findall(border.group()))
        )
    ]
    if not cuts:
        return [mention]
    bounds = [0] + [b for cut in cuts for b in cut] + [len(mention.text)]
    parts = []
    for start, end in zip(bounds[::2], bounds[1::2], strict=True):
        if end > start:
            value = mention.text[start:end]
            parts.append(
                replace(mention, text=value, start=mention.start + start, end=mention.start + end, lemma=None)
            )
    return parts


def _no_name_word(word: str, stops: frozenset[str]) -> bool:
    """Whether a lower-case word ends a name: not a function word, a particle or a title."""
    folded = fold(word)
    return folded not in stops and folded not in NAME_PARTICLES and not is_title(word)


def _trimmed(
    text: str,
    mention: Mention,
    stops: frozenset[str],
    leading: frozenset[str] = frozenset(),
    capital_evidence: bool = True,
) -> Mention | None:
    """The mention without surrounding punctuation, a person's leading title (one longer than an
    abbreviation: "President", "Kremlberater"; "M." stays) and leading function words: lower-case
    ones, and capitalised ones opening a sentence except articles, which may belong to the
    name ("Für den VfB Kellheim" → "VfB Kellheim", but "Los Angeles", "La Paz") and, where
    capitals are evidence, those before a capitalised word ("Buenos Aires", "Nueva York" opening a
    sentence; but German "Auch Merkel" → "Merkel"), and leading
    numbers and ``leading`` words (weekdays, months: "Mercredi matin" → "matin", no name); an
    elided particle loses its apostrophe here: "qu’" → "qu", a function word."""
    value, start = mention.text, mention.start
    while True:
        before = value
        stripped = value.lstrip(_EDGE)
        start += len(value) - len(stripped)
        value = _closing_quote_kept(text, start, stripped.rstrip(_EDGE))
        elided = ELIDED.match(value)
        if elided and elided.group(1).islower() and fold(elided.group(1)) in stops:
            start += elided.end()
            value = value[elided.end() :]
        first = _WORD.match(value)
        rest = value[first.end() :] if first else ""
        name_goes_on = capital_evidence and rest.lstrip()[:1].isupper()
        after = _WORD.match(rest.lstrip())
        if (
            first
            and rest[:1].isspace()
            and _leading_noise(
                text, first.group(), start, stops, leading, name_goes_on, after and after.group()
            )
        ):
            start += first.end()
            value = rest
        if mention.type == PERSON and first and len(first.group()) > _TITLE_ABBREVIATION:
            title = first.group()
            if is_title(title) and rest[:1].isspace() and _WORD.search(rest):
                start += len(title) + len(rest) - len(rest.lstrip())
                value = rest.lstrip()  # "Kremlberater Juri Uschakow" → "Juri Uschakow"
        if value == before:
            break
    while (last := _LAST_WORD.search(value)) and last.group(1).islower() and fold(last.group(1)) in stops:
        value = value[: last.start()].rstrip(_EDGE)  # "Vancouver al", "Escudo de Seguridad de"
    if not value:
        return None
    if value == mention.text:
        return mention
    return replace(mention, text=value, start=start, end=start + len(value))


# Particles that open Cyrillic names in lower case ("фон дер Ляйен", "ибн Сауд", "де Голль").
# fmt: off
_CYRILLIC_PARTICLES = frozenset({"фон", "дер", "де", "ван", "ибн", "бин", "бен", "ді", "ди", "да", "дю", "ла",
                                 "ле", "аль", "эль", "ель", "ал"})
# fmt: on
_LOWER_CYRILLIC_WORD = re.compile(r"[а-яёіїєґ][а-яёіїєґ'’-]*[ \t]+(?=[А-ЯЁІЇЄҐ])")


def _without_lower_case_opener(mention: Mention) -> Mention:
    """A Cyrillic person's name without the lower-case word a model took in before it ("душа
    Михайлини", "розповідь Михайлини"): Cyrillic names capitalise every word but particles."""
    if mention.type != PERSON:
        return mention
    found = _LOWER_CYRILLIC_WORD.match(mention.text)
    if not found or found.group().strip() in _CYRILLIC_PARTICLES:
        return mention
    cut = found.end()
    return replace(mention, start=mention.start + cut, text=mention.text[cut:], lemma=None)


QUOTE_PAIRS = {"«": "»", "„": "“", "“": "”", "‹": "›", '"': '"'}
# Quotes that open and close with two characters, and the most a quoted name runs inside them.
PAIRED_QUOTES = {opening: closing for opening, closing in QUOTE_PAIRS.items() if opening != closing}
QUOTED_NAME_MOST = 60
_QUOTE_CHARS = re.escape("".join(dict.fromkeys(c for pair in QUOTE_PAIRS.items() for c in pair)))
# the rest of a quoted name up to a closing quote: no sentence end, no other quote
_QUOTED_REST = re.compile(
    rf"[^{_QUOTE_CHARS}\n.!?;]{{1,{QUOTED_NAME_MOST}}}[{re.escape(''.join(PAIRED_QUOTES.values()))}]"
)


def _closing_quote_kept(text: str, start: int, value: str) -> str:
    """``value`` (at ``start`` in ``text``) with its closing quote when ``value`` opens a quote
    and the text closes it right after, past a space at most: the name is quoted whole ("ТОВ
    «Енселко Агро»", "ТОВ « Надія »", not "ТОВ «Енселко Агро")."""
    end = start + len(value)
    for opening, closing in QUOTE_PAIRS.items():
        unclosed = value.count(opening) - (value.count(closing) if closing != opening else 0)
        if opening in value and unclosed == 1:
            after = text[end : end + 2]
            if after[:1] == closing:
                return value + closing
            if after[:1] in " \t" and after[1:] == closing:
                return value + after
            if opening in PAIRED_QUOTES:
                rest = _QUOTED_REST.match(text, end)
                if rest and rest.group(0).endswith(closing):
                    return value + rest.group(0)
    return value


def _with_civil_title(text: str, mention: Mention) -> Mention:
    """A person with the abbreviated civil title written before the name, as the French press
    names people and the French newspaper sets annotate them: "Cromer" → "M. Cromer"."""
    if mention.type != PERSON:
        return mention
    title = _CIVIL_TITLE.search(text, 0, mention.start)
    if title is None or title.end() != mention.start:
        return mention
    start = title.start()
    return replace(mention, text=text[start : mention.end], start=start)


def _leading_noise(
    text: str,
    word: str,
    start: int,
    stops: frozenset[str],
    leading: frozenset[str],
    name_goes_on: bool = False,
    next_word: str | None = None,
) -> bool:
    """Whether the first word of a mention is no part of the name (see ``_trimmed``); an article
    before an institution's head noun never is ("El Banco Nacional de Maravia")."""
    folded = fold(word)
    if word.isdigit() or folded in leading:
        return True
    if folded not in stops:
        return False
    if word.islower():
        return True
    if folded in ARTICLES and next_word and is_institution_word(next_word):
        return True
    opens = at_sentence_start(text, start) or bool(_QUOTE_OPENING.search(text[max(0, start - 2) : start]))
    return folded not in ARTICLES and opens and not name_goes_on


def opens_sentences_only(text: str, word: str) -> bool:
    """Whether every time ``text`` writes ``word`` (a whole word) it opens a sentence: its capital
    is the sentence's, no evidence of a name."""
    return all(at_sentence_start(text, m.start()) for m in re.finditer(rf"\b{re.escape(word)}\b", text))


def _sentence_case_phrase(text: str, mention: Mention, words: list[str]) -> bool:
    """Whether the mention is words of a Latin script opening a sentence with no capital but
    the sentence's own ("Los equipos de rescate", "Cientos de vecinos"): no name, unless its first
    word is an institution's ("Conseil constitutionnel") or written capitalised mid-sentence
    elsewhere in the text. Cyrillic names capitalise only their first word: not these."""
    if len(words) < 2 or any(ch.isupper() for w in words[1:] for ch in w) or not is_latin(mention.text):
        return False
    first = words[0]
    if not at_sentence_start(text, mention.start) or is_institution_word(first):
        return False
    return opens_sentences_only(text, first)


def _is_name(text: str, mention: Mention, stops: frozenset[str], capital_evidence: bool) -> bool:
    value = mention.text
    words = _WORD.findall(value)
    if sum(ch.isalpha() for ch in value) < 2:
        return False  # punctuation, digits, a single letter, "M."
    if any(ch.islower() for ch in value) and not any(ch.isupper() for ch in value):
        return False  # a name has a capital in a script that has them: "fr", "paq"
    if (
        len(words) == 1
        and is_title(words[0])
        and (len(words[0]) <= _TITLE_ABBREVIATION or fold(words[0]) not in TITLES)
        and not value.isupper()
    ):
        return False  # "Mme", or a German role alone: "Präfektin"
    contraction = _CONTRACTION.match(value)
    if contraction and fold(contraction.group(1)) in stops:
        return False  # "I'm" opening a sentence
    if capital_evidence and mention.label != GAZETTEER and _sentence_case_phrase(text, mention, words):
        return False  # "Los equipos de rescate" opening a sentence; not "Amérique latine", a known name
    if not all(fold(w) in stops for w in words):
        return True
    if all(w.isupper() and len(w) > 1 for w in words):
        return True  # an acronym: "US", "IT"
    return capital_evidence and words[0][0].isupper() and not at_sentence_start(text, mention.start)
