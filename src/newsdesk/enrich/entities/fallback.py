"""Recognition for languages without a model: the gazetteer, then capitalised sequences.

Every mention found here has ``source="fallback"`` and a low confidence: 0.6 for a known
name, 0.3 for a capitalised sequence (typed OTHER unless a title or a known surname says
PERSON). Scripts without capitals (Chinese, Japanese…) get the gazetteer only.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate

from newsdesk.enrich.entities.appositions import type_of_noun
from newsdesk.enrich.entities.cleanup import (
    ELIDED,
    NAME_PARTICLES,
    NOUN_CAPITALISING,
    at_sentence_start,
    clean_mentions,
    function_words,
    prepositions,
)
from newsdesk.enrich.entities.gazetteer import ANY_CASE, CAPITAL, UPPER, Known, name_cases, recognition_names
from newsdesk.enrich.entities.labels import is_organisation_word
from newsdesk.enrich.entities.model import GAZETTEER, ORG, OTHER, PERSON, SOURCE_FALLBACK, Mention
from newsdesk.enrich.entities.names import is_title
from newsdesk.enrich.entities.organisations import is_head
from newsdesk.enrich.entities.stopwords import stopwords
from newsdesk.enrich.entities.text import NAME_WORD, base_language, fold, is_caseless
from newsdesk.text.patterns import trie_alternation

GAZETTEER_CONFIDENCE = 0.6
# Labels of the capitalised runs: plain, and typed by a class noun before them.
CAPITALISED, APPOSITION, COMPOUND = "capitalised", "apposition", "compound"
CAPITALISED_CONFIDENCE = 0.3
MAX_NAME_WORDS = 6

_WORD = NAME_WORD
_JOIN = re.compile(r"[ \u00a0\-'’.]{1,3}")  # what may stand between two words of one name
_CYRILLIC_ENDINGS = tuple(
    fold(e)
    for e in ("ові", "ами", "ою", "ом", "ем", "ей", "ий", "ій", "ії", "а", "у", "ю", "я", "і", "е", "и", "ы")
)
_STEM_ENDS = ("", "ь", "а", "я", fold("й"), "о")
_GERMAN_ENDINGS = ("s", "es", "n")
_NOUN_ENDING = r"(?:ung|heit|keit|schaft|tion|ten|ern|chen|ismus|tät|ium)$"
_GERMAN_NOUN = re.compile(rf"{_NOUN_ENDING}|-", re.IGNORECASE)
_NOUN_END = re.compile(_NOUN_ENDING, re.IGNORECASE)
# Cues of a person next to two or three capitalised words.
_SPEECH_VERBS = frozenset(
    fold(w)
    for w in ("said", "says", "told", "added", "explained", "declared", "dit", "déclaré", "explique",
              "expliqué", "ajouté", "dijo", "explicó", "añadió", "declaró", "sagte", "erklärte")
)  # fmt: skip
_PERSON_RELATIVE = re.compile(r",\s+(?:who|whose|qui|quien|quienes|der|die)\s")
_GERMAN_ARTICLES = frozenset({"der", "den", "des", "dem", "die", "das"})


def fallback_mentions(text: str, language: str | None) -> list[Mention]:
    """Names in ``text`` found without a model: known names first, then capitalised sequences."""
    if not text or not text.strip():
        return []
    code = base_language(language)
    names = recognition_names(code or "en")
    words = _words(text)
    linked = _links(text, words)
    inner = inner_capitals(text, words)
    found = _known_in_words(text, words, linked, names, code, inner)
    found += _known_caseless(text, code)
    found += _capitalised(text, words, linked, code, names, _spans(found), inner)
    return sorted(clean_mentions(text, found, code), key=lambda m: (m.start, -m.end))


def known_mentions(text: str, language: str | None) -> list[Mention]:
    """The known names alone (the gazetteer, as ``fallback_mentions`` finds them), typed."""
    if not text or not text.strip():
        return []
    code = base_language(language)
    names = recognition_names(code or "en")
    words = _words(text)
    found = _known_in_words(text, words, _links(text, words), names, code, inner_capitals(text, words))
    found += _known_caseless(text, code)
    return sorted(
        (m for m in clean_mentions(text, found, code) if m.type != OTHER), key=lambda m: (m.start, -m.end)
    )


def _lone_letter(text: str, word: tuple[int, int, str], run_length: int) -> bool:
    """Whether a run's first word is a letter alone, no initial (no full stop after it), before
    other words: a one-letter preposition or conjunction opening a sentence ("V Británii", "W
    Warszawie", "Y Madrid"), no part of the name."""
    _, end, written = word
    return run_length > 1 and len(written) == 1 and not text.startswith(".", end)


def _words(text: str) -> list[tuple[int, int, str]]:
    """The words of ``text`` with their offsets, a capitalised word without the lower-case
    elided article or preposition glued to it (``cleanup.ELIDED``: "l'Allemagne", "d’Italie",
    "qu'Allemagne", "dell'Europa" → the name; not "O'Brien", "D'Alema", "aujourd'hui"),
    unless a capitalised word comes right before (not one opening the sentence): a particle
    inside a name ("Côte d'Ivoire", "Giscard d'Estaing")."""
    words: list[tuple[int, int, str]] = []
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        elided = ELIDED.match(word)
        if elided and word[0].islower() and word[elided.end()].isupper() and not _after_a_name(text, words):
            start, word = start + elided.end(), word[elided.end() :]
        words.append((start, match.end(), word))
    return words


def _after_a_name(text: str, words: list[tuple[int, int, str]]) -> bool:
    """Whether the last word is capitalised and does not open a sentence."""
    return bool(words) and words[-1][2][0].isupper() and not at_sentence_start(text, words[-1][0])


def _known_in_words(
    text: str,
    words: list[tuple[int, int, str]],
    linked: list[bool],
    names: dict[str, Known],
    code: str,
    inner: set[str],
) -> list[Mention]:
    """Longest known names made of whole words (with Cyrillic and German case endings), written
    as the known name is (see ``_written_as_known``)."""
    found: list[Mention] = []
    folded = [fold(w) for _, _, w in words]
    cases = name_cases(code or "en")
    starts = _name_starts(code or "en")
    evidence = _Evidence(text, words, folded, code, inner)
    i = 0
    while i < len(words):
        hit = None
        # Only as many words as begin a known name are tried: a longer run is no name.
        longest, limit, joined = 1, min(MAX_NAME_WORDS, len(words) - i), folded[i]
        while longest < limit and joined in starts:
            joined = f"{joined} {folded[i + longest]}"
            longest += 1
        for n in range(longest, 0, -1):
            if n > 1 and not all(linked[i : i + n - 1]):
                continue
            known = names.get(" ".join(folded[i : i + n]))
            if known is None and n == 1:
                known = _inflected(folded[i], names, code)
            if known is not None:
                hit = (n, known)
                break
        if (
            hit is None
            or is_caseless(words[i][2][0])
            or (i and linked[i - 1] and is_organisation_word(words[i - 1][2]))
        ):
            i += 1  # a known place after a club's or company's word is part of its name: "Atlético Madrid"
            continue
        n, known = hit
        start, end = words[i][0], words[i + n - 1][1]
        key = " ".join(folded[i : i + n])
        if not _written_as_known(text[start:end], cases.get(key, CAPITAL)) or (
            n == 1 and cases.get(key) != UPPER and not evidence.supports(i, known)
        ):
            i += 1
            continue
        found.append(
            Mention(text[start:end], start, end, known.type, SOURCE_FALLBACK, GAZETTEER_CONFIDENCE, GAZETTEER)
        )
        i += n
    return found


def _written_as_known(written: str, case: str) -> bool:
    """A known name counts only written as it is known: all in capitals for an acronym ("UN",
    not "un" or "Un"), with a capital for a name ("Togo", not "того")."""
    letters = [c for c in written if c.isalpha()]
    if case == ANY_CASE or not letters:
        return True
    if case == UPPER:
        return all(c.isupper() for c in letters)
    return letters[0].isupper()


class _Evidence:
    """What a text says of its words: which are common words there (function words of its
    language, or written in lower case somewhere) and which are capitalised mid-sentence."""

    def __init__(
        self, text: str, words: list[tuple[int, int, str]], folded: list[str], code: str, inner: set[str]
    ) -> None:
        self.text, self.words, self.folded, self.code, self.inner = text, words, folded, code, inner
        self._common: frozenset[str] | set[str] | None = None
        self._joined: str | None = None

    @property
    def common(self) -> frozenset[str] | set[str]:
        if self._common is None:
            self._common = function_words(self.code) | {
                f for f, (_, _, w) in zip(self.folded, self.words, strict=True) if w.islower()
            }
        return self._common

    @property
    def joined(self) -> str:
        if self._joined is None:
            self._joined = f" {' '.join(self.folded)} "
        return self._joined

    def supports(self, i: int, known: Known) -> bool:
        """Whether the one-word known name at word ``i`` is one: it is no common word, or it
        stands capitalised mid-sentence (here or elsewhere), or the full name is in the text."""
        word = self.folded[i]
        if word not in self.common or not at_sentence_start(self.text, self.words[i][0]):
            return True
        full = fold(known.name)
        return word in self.inner or (full != word and f" {full} " in self.joined)


@lru_cache(maxsize=64)
def _name_starts(language: str) -> frozenset[str]:
    """Every run of whole words that begins a longer known name of ``language``, up to a space
    ("jean" and "jean claude" for "jean claude juncker")."""
    return frozenset(
        name[:k] for name in recognition_names(language) for k, char in enumerate(name) if char == " "
    )


def inner_capitals(text: str, words: list[tuple[int, int, str]]) -> set[str]:
    """Folded words written capitalised somewhere other than at a sentence start."""
    return {fold(w) for s, _, w in words if w[0].isupper() and not at_sentence_start(text, s)}


def _inflected(word: str, names: dict[str, Known], code: str) -> Known | None:
    """A known one-word name under a case ending (Путіна, Кремля, Russlands)."""
    if len(word) < 5:
        return None
    if "\u0400" <= word[0] <= "\u04ff":
        endings = _CYRILLIC_ENDINGS
    elif code in NOUN_CAPITALISING:
        endings = _GERMAN_ENDINGS
    else:
        return None
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            stem = word[: -len(ending)]
            for end in _STEM_ENDS:
                known = names.get(stem + end)
                if known is not None:
                    return known
    return None


@lru_cache(maxsize=64)
def _caseless_pattern(code: str) -> re.Pattern[str] | None:
    """One pattern of the known names written in scripts without spaces or capitals."""
    names = [
        n for n in recognition_names(code or "en") if n and all(is_caseless(c) for c in n if c.isalpha())
    ]
    names = [n for n in names if any(c.isalpha() for c in n)]
    if not names:
        return None
    return re.compile(trie_alternation(set(names)))


def _known_caseless(text: str, code: str) -> list[Mention]:
    """Known names in Chinese, Japanese… text: plain substring matches."""
    if not any(map(is_caseless, set(text))):
        return []
    pattern = _caseless_pattern(code)
    if pattern is None:
        return []
    names = recognition_names(code or "en")
    return [
        Mention(
            m.group(),
            m.start(),
            m.end(),
            names[m.group()].type,
            SOURCE_FALLBACK,
            GAZETTEER_CONFIDENCE,
            GAZETTEER,
        )
        for m in pattern.finditer(text)
    ]


def noun_ending(word: str) -> bool:
    """Whether ``word`` ends like a German common noun ("Mannschaft", "Regierung"), not a name."""
    return bool(_NOUN_END.search(word))


def _capitalised(
    text: str,
    words: list[tuple[int, int, str]],
    linked: list[bool],
    code: str,
    names: dict[str, Known],
    taken: list[tuple[int, int]],
    inner: set[str],
) -> list[Mention]:
    """Runs of capitalised words; a lone word opening a sentence counts only if it is
    capitalised elsewhere too; German nouns (all capitalised) need two or more words."""
    stops = _stops(code)
    taken_starts = [s for s, _ in taken]
    # The furthest end of the spans taken so far, span by span (``taken`` is sorted).
    reach = list(accumulate((e for _, e in taken), max))
    runs: list[list[int]] = []
    current: list[int] = []
    for i, (start, end, word) in enumerate(words):
        if word[0].isupper():
            k = bisect_right(taken_starts, start)
            capital = not (k and reach[k - 1] >= end)
        else:
            capital = False
        particle = bool(current) and word in NAME_PARTICLES
        if particle and word in _GERMAN_ARTICLES and code in NOUN_CAPITALISING:
            # German "der" is an article between two nouns ("Geschäftsführerin der
            # Handelskammer"), a name's particle only after "von" ("von der Leyen")
            particle = words[current[-1]][2] in ("von", "van")
        if (capital or particle) and (not current or linked[current[-1]]):
            current.append(i)
            continue
        if current:
            runs.append(current)
        current = [i] if capital else []
    if current:
        runs.append(current)
    out: list[Mention] = []
    for run in runs:
        while run and (
            fold(words[run[0]][2]) in stops
            or is_title(words[run[0]][2])
            or _lone_letter(text, words[run[0]], len(run))
            or (
                code in NOUN_CAPITALISING
                and len(run) > 1
                and _GERMAN_NOUN.search(words[run[0]][2])
                and not is_head(fold(words[run[-1]][2]))  # "Deutsch-Maravischen Handelskammer"
            )
        ):
            run = run[1:]
        while run and (words[run[-1]][2] in NAME_PARTICLES or fold(words[run[-1]][2]) in stops):
            run = run[:-1]
        if not run:
            continue
        first = words[run[0]]
        single = len(run) == 1
        if single and (code in NOUN_CAPITALISING and not first[2].isupper()):
            continue
        sentence_start = at_sentence_start(text, first[0])
        if single and sentence_start and fold(first[2]) not in inner:
            continue
        if single and len(first[2]) < 2:
            continue
        start, end = first[0], words[run[-1]][1]
        if all(is_organisation_word(words[k][2]) for k in run):
            continue  # a legal form or an institution's head noun alone: "ТОВ", "FC"
        label, noun = CAPITALISED, _class_cue(text, words, run[0], stops)
        if any(is_organisation_word(words[k][2]) for k in run) or (
            len(run) > 1 and is_head(fold(words[run[-1]][2]))
        ):
            type_ = ORG
        elif noun is not None:
            type_, label = noun, APPOSITION
        elif _person_cue(text, words, run, names):
            type_ = PERSON
        else:
            type_ = OTHER
        out.append(
            Mention(text[start:end], start, end, type_, SOURCE_FALLBACK, CAPITALISED_CONFIDENCE, label)
        )
    return out


def _class_cue(text: str, words: list[tuple[int, int, str]], first: int, stops: frozenset[str]) -> str | None:
    """PLACE or OTHER when a class noun stands just before the run, or before it with
    prepositions and one more lower-case word between, and no punctuation: "Bodenstation Cerro
    Amarillo", "la estación de seguimiento de Cerro Amarillo", "la sonde Lyra", but not "la
    directora de la misión, Ingrid Halvorsen" (``appositions.type_of_noun``)."""
    other = 0
    for k in range(first - 1, max(-1, first - 5), -1):
        if text[words[k][1] : words[k + 1][0]].strip():
            return None
        word = words[k][2]
        found = type_of_noun(word)
        if found is not None:
            return found
        if fold(word) in stops:
            continue
        other += 1
        if not word.islower() or other > 1 or k == 0 or fold(words[k - 1][2]) not in stops:
            return None
    return None


@lru_cache(maxsize=64)
def _stops(code: str) -> frozenset[str]:
    """The words no run of capitalised words opens or ends with, folded as the run's words are
    looked up ("Kromě", "Según", "Über" are stop words too)."""
    return frozenset(fold(word) for word in stopwords(code) | calendar_words(code) | prepositions(code))


@lru_cache(maxsize=64)
def calendar_words(code: str) -> frozenset[str]:
    """Month and weekday names in ``code`` and English (capitalised, but not names)."""
    return _calendar_names(code, months=True) | weekday_names(code)


@lru_cache(maxsize=64)
def weekday_names(code: str) -> frozenset[str]:
    """Weekday names in ``code`` and English: never a name alone ("Samedi", "Freitag"), where a
    month may be one ("May", "April")."""
    return _calendar_names(code, months=False)


def _calendar_names(code: str, months: bool) -> frozenset[str]:
    from babel import Locale, UnknownLocaleError, dates

    names = dates.get_month_names if months else dates.get_day_names
    words: set[str] = set()
    for name in {"en", code or "en"}:
        try:
            locale = Locale.parse(name)
        except (ValueError, UnknownLocaleError):
            continue
        for width in ("wide", "abbreviated"):
            words.update(fold(w) for w in names(width, locale=locale).values())
    return frozenset(words)


def _person_cue(
    text: str, words: list[tuple[int, int, str]], run: list[int], names: dict[str, Known]
) -> bool:
    """A title just before the run, a last word that is a known person's name, or for two or
    three words, a speech verb just before them ("said Tobias Lindgren") or a relative pronoun
    for people just after them ("Lorna Fairweather, who runs…")."""
    before = run[0] - 1
    if before >= 0 and is_title(words[before][2]):
        return True
    if 2 <= len(run) <= 3 and (
        (before >= 0 and fold(words[before][2]) in _SPEECH_VERBS)
        or _PERSON_RELATIVE.match(text, words[run[-1]][1])
    ):
        return True
    known = names.get(fold(words[run[-1]][2]))
    if known is not None and known.type == PERSON and len(run) > 1:
        return True
    # Russian, Ukrainian… capitalise only the first word of other names: two or three
    # capitalised Cyrillic words are a person's names.
    return 2 <= len(run) <= 3 and all(
        "\u0400" <= words[k][2][0] <= "\u04ff" and not words[k][2].isupper() for k in run
    )


def _links(text: str, words: list[tuple[int, int, str]]) -> list[bool]:
    """For each word, whether the next one may belong to the same name: only spaces, hyphens,
    apostrophes or (after an initial or abbreviation) a dot between them."""
    out = []
    for k in range(len(words)):
        if k + 1 == len(words):
            out.append(False)
            continue
        gap = text[words[k][1] : words[k + 1][0]]
        out.append(bool(_JOIN.fullmatch(gap)) and not ("." in gap and len(words[k][2]) > 2))
    return out


def _spans(mentions: list[Mention]) -> list[tuple[int, int]]:
    return sorted((m.start, m.end) for m in mentions)


# The first part of a hyphenated compound: "US" of "US-Regierung", "EU" of "EU-Kommission".
_COMPOUND_HEAD = re.compile(r"(?<![\w.-])(\w+)-(?=\w)")


def compound_parts(text: str, language: str | None, mentions: Sequence[Mention]) -> list[Mention]:
    """Known names that open a hyphenated compound outside every mention ("US-Regierung",
    "Ukraine-Krieg", "Trump-Regierung"). The compound speaks of its first part, which is no name
    on its own there: the mention is untyped (label ``compound``), and the linker gives it the
    known entity (and its type)."""
    code = base_language(language)
    names = recognition_names(code or "en")
    cases = name_cases(code or "en")
    found = []
    for match in _COMPOUND_HEAD.finditer(text):
        start, end = match.span(1)
        if any(m.start < end and start < m.end for m in mentions):
            continue
        word = match.group(1)
        key = fold(word)
        known = names.get(key) or _inflected(key, names, code)
        if known is not None and _written_as_known(word, cases.get(key, CAPITAL)):
            found.append(Mention(word, start, end, OTHER, SOURCE_FALLBACK, GAZETTEER_CONFIDENCE, COMPOUND))
    return found
