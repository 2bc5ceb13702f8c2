"""Who speaks in an article: the mention that names a quote's speaker, and what a speaking name is.

``speaker_mention`` ties a quote to the mention naming its speaker; ``missed_name`` makes a mention
of a speaker's name the recogniser missed ("sagte Präfektin Anne-Sophie Lemaire"); ``speaking_type``
types a name the rules only guessed once it speaks (a person or an organisation).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsdesk.enrich.entities import ORG, OTHER, PERSON, SOURCE_FALLBACK, Mention
from newsdesk.enrich.entities.cleanup import function_words
from newsdesk.enrich.entities.fallback import CAPITALISED, CAPITALISED_CONFIDENCE, noun_ending
from newsdesk.enrich.entities.labels import is_organisation_word
from newsdesk.enrich.entities.names import is_title
from newsdesk.enrich.entities.organisations import HEADS, concept, is_head
from newsdesk.enrich.entities.text import fold
from newsdesk.enrich.quotes import Quote
from newsdesk.models import EntityMention

# Recogniser labels of names that never speak: nationalities, religious and political groups
# (spaCy's NORP) and languages.
NOT_SPEAKERS = frozenset({"NORP", "LANGUAGE"})
# The types of a stored quote's speaker: who says something is a person or an organisation.
SPEAKERS = frozenset({PERSON, ORG})
_NAME_WORD = re.compile(r"[\w'’-]+")
# Definite articles opening a noun phrase that stands for a named organisation ("the bank").
_DEFINITE = frozenset({"the", "le", "la", "l", "el", "der", "die", "das"})
_ELISION = re.compile(r"\b[ldjmnstc]['’](?=\w)", re.IGNORECASE)


def speaker_mention(quote: Quote, mentions: Sequence[Mention | EntityMention]) -> int | None:
    """The index of the mention naming the quote's speaker, or ``None``.

    First a mention overlapping the speaker's words that shares a word with the resolved name
    ("Ushakov himself" → "Ushakov"; not "Kremlin" in "the Kremlin aide" resolved to a person);
    else, for a pronoun or role noun, the resolved name as a mention, the last one before the
    quote preferred; else a person mention with the same surname."""
    if not quote.speaker:
        return None
    words = _words(quote.speaker)  # "l’UPW" shares "upw" with "UPW"
    if quote.speaker_start is not None and quote.speaker_end is not None:
        for i, m in enumerate(mentions):
            overlaps = m.start < quote.speaker_end and quote.speaker_start < m.end
            # A nationality inside a longer phrase ("Russian" in "the Russian side") names
            # no speaker.
            named = m.label not in NOT_SPEAKERS or fold(m.text) == fold(quote.speaker)
            if overlaps and named and words & _words(m.text):
                return i
    name = fold(quote.speaker)
    same = [i for i, m in enumerate(mentions) if fold(m.text) == name]
    if not same:
        surname = name.split()[-1] if name else ""
        same = [
            i for i, m in enumerate(mentions) if m.type == PERSON and fold(m.text).split()[-1:] == [surname]
        ]
    before = [i for i in same if mentions[i].start < quote.start]
    return (before or same or [None])[-1 if before else 0]


def organisation_named(text: str, quote: Quote, mentions: Sequence[Mention]) -> int | None:
    """The organisation a definite noun phrase stands for ("the central bank", "El sindicato"):
    the last organisation named before the quote whose name holds the phrase's head noun ("National
    Bank of Maravia") or follows it ("el sindicato United Port Workers"); ``None`` otherwise."""
    if quote.speaker_start is None or quote.speaker_end is None:
        return None
    words = _NAME_WORD.findall(text[quote.speaker_start : quote.speaker_end])
    if not 2 <= len(words) <= 4 or fold(words[0]) not in _DEFINITE:
        return None
    head = concept(fold(words[-1]))
    if head not in HEADS:
        return None
    found = None
    for i, m in enumerate(mentions):
        if m.end > quote.speaker_start:
            break
        before = text[max(0, m.start - 30) : m.start].split()[-2:]
        if (m.type == ORG or is_head(fold(before[-1:][0] if before else ""))) and any(
            concept(fold(w)) == head for w in [*_NAME_WORD.findall(m.text), *before]
        ):
            found = i
    return found


def missed_name(text: str, quote: Quote, language: str | None) -> Mention | None:
    """The speaker's name as a mention when the quote rules found one the recogniser did not: two
    to four capitalised words of the speaker's phrase after its titles ("Präfektin Anne-Sophie
    Lemaire" → "Anne-Sophie Lemaire"), or, when the phrase is a pronoun or a role, the name it
    was resolved to where the article last writes it before the quote ("sagte sie" → "Milena
    Horvátová"); ``None`` for pronouns, roles and groups that resolve to no name."""
    if not quote.speaker or quote.speaker_start is None or quote.speaker_end is None:
        return None
    start, end = quote.speaker_start, quote.speaker_end
    if quote.speaker not in text[start:end] and (found := text.rfind(quote.speaker, 0, start)) >= 0:
        start, end = found, found + len(quote.speaker)
    phrase = text[start:end]
    words = list(_NAME_WORD.finditer(phrase))
    while words and is_title(words[0].group(0)):
        words = words[1:]
    if not 2 <= len(words) <= 4 or not all(w.group(0)[:1].isupper() for w in words):
        return None
    if any(fold(w.group(0)) in function_words(language) for w in words) or noun_ending(words[-1].group(0)):
        return None  # "Die Bilder", "Brandners Mannschaft": German noun phrases, not names
    if fold(quote.speaker).split()[-1:] != [fold(words[-1].group(0))]:
        return None  # the phrase is not the name it resolved to
    start, end = start + words[0].start(), start + words[-1].end()
    return Mention(text[start:end], start, end, OTHER, SOURCE_FALLBACK, CAPITALISED_CONFIDENCE, CAPITALISED)


def speaking_type(text: str, quote: Quote, mention: Mention, mentions: Sequence[Mention]) -> str:
    """The type of a mention that names a quote's speaker: its own when a person or organisation;
    a person when it is the surname of a person the article names in full, whatever type was
    guessed ("Ibarra said", typed a place, after "Mateo Ibarra"); for a name the rules only guessed
    from capitals (OTHER), an organisation when a word of it or the noun before it says so
    ("Conciliation Service", "the consultancy Meridian"), else a person when the speaker's name
    has two to four words ("said trust warden Hollie Sandford"); an organisation's acronym
    ("l’UPW" after "United Port Workers") is that organisation; else its own."""
    if mention.type in SPEAKERS:
        return mention.type
    surname = fold(mention.text)
    if any(
        m.type == PERSON and len(m.text.split()) > 1 and fold(m.text).split()[-1] == surname for m in mentions
    ):
        return PERSON
    if mention.text.isupper() and any(m.type == ORG and _initials(m.text) == mention.text for m in mentions):
        return ORG
    if mention.type != OTHER or mention.source != SOURCE_FALLBACK or mention.label != CAPITALISED:
        return mention.type
    words = (quote.speaker or "").split()
    noun = text[max(0, mention.start - 40) : mention.start].split()[-1:]
    if any(is_organisation_word(w) or is_head(fold(w)) for w in [*words, *mention.text.split(), *noun]):
        return ORG
    if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
        return PERSON
    return mention.type


def _initials(name: str) -> str:
    """The initials of a name's capitalised words ("United Port Workers" → "UPW")."""
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def _words(name: str) -> set[str]:
    """The folded words of a name, without elided articles ("l’UPW" → "upw")."""
    return {w for w in fold(_ELISION.sub("", name)).split() if w}
