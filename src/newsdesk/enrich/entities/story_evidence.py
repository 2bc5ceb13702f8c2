"""What the other languages of a story say of a name: where it starts and ends, and its type.

A story's articles in several languages name the same people, organisations and places, each
recogniser with its own slips: a German model takes a common noun into a name ("Nachrichtenagentur
Reuters"), a Spanish one a role ("Procurador Especial Nora Dannehy"), one model types a one-word
name a person where the others call it a place ("Totana", "Chicago"). Before the linker joins
names, these rules let the story's other languages settle such slips, on the linker's mentions
(``NameRef``) only: the recognisers' mentions, and so the NER scores, do not change.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from newsdesk.enrich.entities.appositions import type_of_noun
from newsdesk.enrich.entities.cities import city_named
from newsdesk.enrich.entities.model import ORG, PERSON, PLACE
from newsdesk.enrich.entities.names import is_common_noun
from newsdesk.enrich.entities.organisations import names_a_body, signature
from newsdesk.enrich.entities.refs import NameRef
from newsdesk.enrich.entities.romanise import raw_tokens
from newsdesk.enrich.entities.stopwords import name_stopwords

TYPED = (PERSON, ORG, PLACE)
# The shortest key a narrowed name may have, unless it is written in capitals (an acronym: "AFP").
MIN_NARROWED = 4
# The longest function word a place's name is narrowed past when capitalised ("V Madridu", "Wir in").
MAX_PREPOSITION = 3

Languages = dict[str, set[str]]  # name key → the languages that write it
Holders = dict[str, list[tuple[str, frozenset[str]]]]  # word key → (language, name's word keys)


def narrowed_to_story_names(refs: list[NameRef]) -> list[NameRef]:
    """A name that the story's articles in other languages never write, but whose first or last
    words they name a person, organisation or place by (not a guess of the rules), is that name:
    the words around it are the article's own ("agencia Reuters", "Nachrichtenagentur Reuters",
    "des Sports Miroslaw Drzewiecki", "Bond-Darsteller Daniel Craig"; "The Clash Joe Strummer" is
    Joe Strummer where the Clash is another name). Not when one of those articles' names holds
    it with a word around it ("Rapper Kanye West" is Kanye West, but "Kanye West" stays whole
    where "Kanye West" is written); a place stays whole ("South America", "East Jerusalem"), so
    does an institution but for the organisation it holds ("Tribunal de Kassel", "Jedlicka
    Institute"), an organisation named after a place ("New York Times") and a person but for a
    full name (a lone surname is the people rules' business); nor is a name narrowed to a common
    noun ("Liga") or a body named by its noun alone. In place (keys, type, name and base); the
    refs narrowed are returned."""
    written_as: dict[object, Languages] = defaultdict(lambda: defaultdict(set))
    typed: dict[object, Languages] = defaultdict(lambda: defaultdict(set))
    names: dict[object, Holders] = defaultdict(lambda: defaultdict(list))
    types: dict[tuple[object, str], Counter[str]] = defaultdict(Counter)
    for ref in refs:
        written_as[ref.story][ref.key].add(ref.language)
        for key in set(ref.keys):
            names[ref.story][key].append((ref.language, frozenset(ref.keys)))
        if not ref.guessed and ref.type in TYPED:
            typed[ref.story][ref.key].add(ref.language)
            types[(ref.story, ref.key)][ref.type] += 1
    narrowed = []
    for ref in refs:
        if ref.known is not None or ref.local or len(ref.keys) < 2:
            continue
        if written_as[ref.story][ref.key] - {ref.language}:
            continue
        inside = _story_name_inside(ref, typed[ref.story], names[ref.story])
        if inside is None:
            continue
        start, size = inside
        target = types[(ref.story, " ".join(ref.keys[start : start + size]))].most_common(1)[0][0]
        name = " ".join(raw_tokens(ref.name)[start : start + size])
        if not _may_narrow(ref, target, start, size, typed[ref.story]) or _names_no_one(
            name, target, ref.language
        ):
            continue
        ref.keys, ref.type, ref.name, ref.base = ref.keys[start : start + size], target, name, name
        narrowed.append(ref)
    return narrowed


def _story_name_inside(ref: NameRef, typed: Languages, names: Holders) -> tuple[int, int] | None:
    """The start and length of the longest run of the name's words, its last words first, that
    the story's other languages name, and none of their names holds with a word around it."""
    written = raw_tokens(ref.name)
    n = len(ref.keys)
    if len(written) != n:
        return None
    for size in range(n - 1, 0, -1):
        for start in range(n - size, -1, -1):
            run = ref.keys[start : start + size]
            if not typed[" ".join(run)] - {ref.language}:
                continue
            acronym = all(w.isupper() for w in written[start : start + size])
            if len("".join(run)) < MIN_NARROWED and not acronym:
                continue
            around = set(ref.keys[:start] + ref.keys[start + size :])
            held = (keys for language, keys in names[run[0]] if language != ref.language)
            if not any(keys >= set(run) and keys & around for keys in held):
                return start, size
    return None


def _names_no_one(name: str, type_: str, language: str) -> bool:
    """Whether a name is a common noun ("Liga") or a body named by its noun alone ("Senate")."""
    return is_common_noun(name, type_) or names_a_body(name, language)


def _may_narrow(ref: NameRef, target: str, start: int, size: int, typed: Languages) -> bool:
    """Whether the name may become its ``size`` words from ``start``, of type ``target``: a
    place only past a preposition or a class noun ("V Austrálii", "paix en Irak", "Hafen von
    Beni Saf"; not "Severní Ameriky", "Statistics Austria"), a person only past what comes
    before it, unless what comes after is another name ("Dennis Moroney de TowerGroup"; not
    "Valéry Giscard d'Estaing")."""
    if ref.type == PLACE and target == PLACE:
        return False
    if signature(ref.name, ref.language) is not None:
        return target == ORG
    if ref.type == ORG and target == PLACE:
        return False
    if size < 2 and PERSON in (target, ref.type):
        return False
    written = raw_tokens(ref.name)
    if target == PLACE:
        return all(_before_a_place(word, ref.language) for word in written[:start] + written[start + size :])
    after = ref.keys[start + size :]
    return target != PERSON or not after or any(typed[key] - {ref.language} for key in after)


def _before_a_place(word: str, language: str) -> bool:
    """Whether a word around a place's name is no part of it: lower-case, a short function word
    ("V", "in", "en"), a class noun ("Hafen")."""
    short = len(word) <= MAX_PREPOSITION and word.lower() in name_stopwords(language)
    return word.islower() or short or type_of_noun(word) is not None


def typed_by_story_languages(refs: list[NameRef]) -> None:
    """A one-word name that the story's articles call a person in some languages and a place
    or an organisation in others takes the kind more languages give it ("Totana" a place,
    "Musharraf" a person, "Nissan" an organisation), the most frequent of its other types when
    it is no person; a name in capitals (an acronym) is no person. A language that names a
    person in full with the word as surname calls it a person too ("Hayden Mullins" beside a
    German model's place "Mullins"), unless it also writes the word alone as no person
    ("Washington" beside "George Washington"). A tie is settled by what is not in doubt: for the
    person when the languages calling it one name the person in full and none of them writes the
    word alone as no person; else for the place when it is a city (``cities.city_named``)
    ("Seattle" typed a person); else nothing changes. So one model's
    typing slip no longer splits one name into a person and a place. In place."""
    kinds: dict[tuple[object, str], dict[bool, set[str]]] = defaultdict(lambda: {True: set(), False: set()})
    others: dict[tuple[object, str], Counter[str]] = defaultdict(Counter)
    in_full: dict[tuple[object, str], set[str]] = defaultdict(set)
    for ref in refs:
        if _votes(ref):
            kinds[(ref.story, ref.key)][ref.person].add(ref.language)
            if not ref.person:
                others[(ref.story, ref.key)][ref.type] += 1
        elif ref.person and len(ref.keys) > 1 and not ref.guessed:
            in_full[(ref.story, ref.keys[-1])].add(ref.language)
    for ref in refs:
        if not _votes(ref):
            continue
        story_key = (ref.story, ref.key)
        not_people = kinds[story_key][False]
        people = kinds[story_key][True] | (in_full[story_key] - not_people)
        if len(people) == len(not_people):
            person = _tie(ref, in_full[story_key], not_people)
        else:
            person = len(people) > len(not_people)
        if person and not ref.person and not ref.name.isupper():
            ref.type = PERSON
        elif person is False and ref.person:
            ref.type = others[story_key].most_common(1)[0][0]


def _tie(ref: NameRef, in_full: set[str], not_people: set[str]) -> bool | None:
    """How a tie between a person and a non-person is settled (see ``typed_by_story_languages``):
    ``None`` leaves it."""
    if in_full and not in_full & not_people:
        return True
    if not_people and city_named(ref.name) is not None:
        return False
    return None


def _votes(ref: NameRef) -> bool:
    """Whether the ref's type counts in its story's vote: a typed one-word name of no known
    entity, and not a body named by its noun alone."""
    return ref.known is None and len(ref.keys) == 1 and ref.type in TYPED and not ref.local
