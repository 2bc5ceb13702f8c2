"""One entity across articles, languages and spellings.

Rules, in order:

1. Each mention is cleaned into a name (titles, articles, possessives dropped), romanised
   and given a spelling-tolerant key (``romanise.name_key``). Within a story, the names its
   articles in other languages write settle where a name starts and ends and whether a
   one-word name is a person (``story_evidence``).
2. A name in the alias table or among the countries' names is that known entity.
3. People: within an article, a surname alone is the person with that surname named in
   full there ("Witkoff" → "Steve Witkoff"); a one-word mention of another type whose key is
   such a surname is that person too (a model's typing slip). Within a story, people with
   the same surname key and compatible first names are one, and so are names of one type
   spelt alike in two scripts (Walcott / Уолкотт, Goldman Sachs / Голдман Сакс), and so are
   organisations or places of two languages whose words pair off as cognates (Gulf of Mexico /
   golfe du Mexique). Across stories, the same full name key is one person; a surname alone
   joins the only full name with that surname, or, when there are several, the one whose
   articles share most other entities with it (co-occurrence); with no full name anywhere, the
   same surname is one person.
4. Other names: the same key is one entity (types may differ between models); a name whose
   key is a person's full name is that person.
5. Given the names' cross-lingual vectors (``link(articles, name_vectors)``): within a story,
   entities of one type named in two languages are one when their names are each other's most
   similar ones, at ``translations.MIN_COSINE`` or more (Justice Department / Justizministerium).

The canonical name is the known entity's English name, else the most frequent full form,
preferring Latin-script forms and forms seen in English articles.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from itertools import permutations, product
from math import prod

from newsdesk.enrich.entities.appositions import CLASS_NOUN, type_of_noun
from newsdesk.enrich.entities.cities import City, city_named
from newsdesk.enrich.entities.cleanup import NOUN_CAPITALISING
from newsdesk.enrich.entities.fallback import APPOSITION, CAPITALISED
from newsdesk.enrich.entities.gazetteer import (
    Known,
    country_form,
    currency_keys,
    group_of,
    link_index,
    local_names,
)
from newsdesk.enrich.entities.inflection import base_candidates, inflects
from newsdesk.enrich.entities.labels import is_organisation_word
from newsdesk.enrich.entities.model import ORG, OTHER, PERSON, PLACE, ArticleMentions, Entity, Linking
from newsdesk.enrich.entities.names import clean_name, is_common_noun, is_title
from newsdesk.enrich.entities.organisations import (
    body_concepts,
    concepts_alone,
    is_head,
    names_a_body,
    signature,
)
from newsdesk.enrich.entities.refs import NameRef
from newsdesk.enrich.entities.romanise import (
    consonant_key,
    name_tokens,
    raw_tokens,
    romanise,
    token_key,
)
from newsdesk.enrich.entities.stopwords import name_stopwords
from newsdesk.enrich.entities.story_evidence import narrowed_to_story_names, typed_by_story_languages
from newsdesk.enrich.entities.text import base_language, fold, is_latin
from newsdesk.enrich.entities.translations import Vectors, translated_pairs


class _Union:
    """Union-find over mention numbers."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            out[self.find(i)].append(i)
        return out


def link(articles: Sequence[ArticleMentions], name_vectors: Vectors | None = None) -> Linking:
    """Entities over the mentions of many articles, and each mention's entity key; with
    ``name_vectors`` (cross-lingual vectors of names, ``translations.name_vectors()``), translated
    names within a story too (rule 5)."""
    refs = _refs(articles)
    union = _Union(len(refs))
    _link_known(refs, union)
    _link_people(refs, union)
    _link_alike_in_story(refs, union)
    _link_concepts_in_story(refs, union)
    _link_cognates_in_story(refs, union)
    _link_others(refs, union)
    _link_cities(refs, union)
    _link_sound_alikes(refs, union)
    _link_surnames_across_kinds(refs, union)
    if name_vectors is not None:
        _link_translations_in_story(refs, union, name_vectors)
    return _build(articles, refs, union)


def _refs(articles: Sequence[ArticleMentions]) -> list[NameRef]:
    index = link_index()
    refs: list[NameRef] = []
    candidates: list[list[tuple[str, ...]]] = []  # per ref, per word: its keys, most likely first
    for a, article in enumerate(articles):
        language = base_language(article.language)
        story = article.story if article.story is not None else ("article", a)
        for m, mention in enumerate(article.mentions):
            name = clean_name(mention.text, mention.type)
            base = clean_name(mention.lemma, mention.type) if mention.lemma else name
            words = _word_keys(name, base, language)
            if not name or not words:
                continue
            ref = NameRef(a, m, language, story, mention.type, name, [w[0] for w in words])
            ref.base, ref.guessed = base, mention.label in (CAPITALISED, APPOSITION)
            if mention.label in (APPOSITION, CLASS_NOUN):
                ref.evidence = mention.type
            refs.append(ref)
            candidates.append(words)
    attested = _attested(refs, candidates)
    for ref, words in zip(refs, candidates, strict=True):
        ref.keys = _known_combination(words, index) or [
            max(w, key=lambda k: (attested[k], -w.index(k))) for w in words
        ]
        ref.known = _known(index, ref.name, ref.base, ref) or _known_city(index, ref)
        if ref.known is not None:
            ref.type = ref.known.type
        elif ref.type in (OTHER, PERSON) and _organisation(ref):
            ref.type = ORG
        elif ref.type != PERSON:
            _titled_person(ref)
        group = group_of(ref.base or ref.name) if ref.known is None and len(ref.keys) == 1 else None
        if group is not None:
            ref.type, ref.keys = OTHER, ["group", group]  # "the Republicans"
        if ref.known is None and ref.type != PERSON and len(ref.keys) == 1:
            _country_form(ref)
            if ref.keys[0] in currency_keys():
                ref.type = OTHER  # "Euro", "Dollar": a currency
    people = {(ref.story, ref.key) for ref in refs if ref.person}  # "Kent", "Rosa": a name there
    refs = [ref for ref in refs if (ref.story, ref.key) in people or not _common_noun(ref)]
    for ref in refs:
        ref.local = ref.known is None and not ref.person and names_a_body(ref.base or ref.name, ref.language)
    _narrow_guesses(refs)
    for ref in narrowed_to_story_names(refs):
        ref.known = _known(index, ref.name, ref.base, ref)  # "Corazón de Europa" → Europe
        if ref.known is not None:
            ref.type = ref.known.type
    typed_by_story_languages(refs)
    _short_forms(refs)
    return refs


def _common_noun(ref: NameRef) -> bool:
    """A common noun no known entity goes by names no one entity (``names.is_common_noun``); a
    currency does: the dollar is the same everywhere. (Not where its story names a person so:
    ``_refs`` keeps "Kent" typed a place beside "Kent" typed a person.)"""
    return ref.known is None and ref.keys[0] not in currency_keys() and is_common_noun(ref.name, ref.type)


def _short_forms(refs: list[NameRef]) -> None:
    """Within an article, an organisation's short forms are that organisation: its acronym
    ("UPW" for "United Port Workers") and, for a club or company named by a legal or club word
    and one name ("VfB Kellheim", "Atlético Valmarín"), that name alone ("Kellheim")."""
    full: dict[tuple[int, str], list[str]] = {}
    for ref in refs:
        if ref.type != ORG or ref.known is not None or len(ref.keys) < 2:
            continue
        words = raw_tokens(ref.name)
        capitals = [w for w in words if w[0].isupper()]
        if len(capitals) >= 2:
            full.setdefault((ref.article, "".join(w[0] for w in capitals).upper()), ref.keys)
        if len(words) == 2 == len(ref.keys) and is_organisation_word(fold(words[0])):
            full.setdefault((ref.article, ref.keys[1]), ref.keys)
    for ref in refs:
        if ref.known is not None or len(ref.keys) != 1:
            continue
        keys = (
            full.get((ref.article, ref.name)) if ref.name.isupper() else full.get((ref.article, ref.keys[0]))
        )
        if keys is not None:
            ref.keys, ref.type = list(keys), ORG


def _titled_person(ref: NameRef) -> None:
    """A name of two words or more after a title is a person, whatever the model said ("Coach
    Rüdiger Rehm" typed ORG, "Imam Mahmoud Harmoush" typed a place): the title is dropped."""
    words = raw_tokens(ref.name)
    if len(words) < 3 or len(words) != len(ref.keys) or not is_title(words[0]) or _organisation(ref):
        return
    ref.type, ref.keys = PERSON, ref.keys[1:]
    ref.name = ref.name[ref.name.index(words[1]) :]


def _country_form(ref: NameRef) -> None:
    """A country's demonym or adjective ("Américains", "Russian", "German") is no place: it is
    typed OTHER, one entity per country; in a language that puts case endings on names, another
    form of the country's name ("Německa") is the country."""
    form = country_form(ref.base or ref.name)
    if form is None:
        return
    country, demonym = form
    if demonym or not inflects(ref.language):
        ref.type, ref.keys = OTHER, ["demonym", country.key.split(":")[-1].lower()]
    else:
        ref.known, ref.type = country, country.type


def _organisation(ref: NameRef) -> bool:
    """A name holding an organisation word ("VfB Kellheim", "Atlético Valmarín", "Pramen Bank")
    is an organisation; untyped, one holding a head noun in any language ("Banque nationale")."""
    words = [fold(w) for w in raw_tokens(ref.name)]
    if len(words) < 2:
        return False
    return any(is_organisation_word(w) for w in words) or (
        ref.type == OTHER and any(is_head(w) for w in words)
    )


def _narrow_guesses(refs: list[NameRef]) -> None:
    """A guessed run of capitalised words that names nothing found elsewhere but holds a name
    that is ("Sternekoch Pierre Troisgros", "Hafen von Kingsholm", "Maggie Colquhoun den
    Streikenden") is that name: the longest such run of its words, the last words first. In a
    language that capitalises every noun, a run guessed in another language counts as found too
    ("Designerin Maj Axelsson" is the "Maj Axelsson" an English text names)."""
    found: dict[str, Counter[str]] = defaultdict(Counter)
    guessed: dict[str, Counter[str]] = defaultdict(Counter)  # runs where capitals are evidence
    for ref in refs:
        if not ref.guessed or ref.known is not None:
            found[ref.key][ref.type] += 1
        elif ref.language not in NOUN_CAPITALISING:
            guessed[ref.key][ref.type] += 1
    seen = Counter(ref.key for ref in refs)
    for ref in refs:
        names = {**guessed, **found} if ref.language in NOUN_CAPITALISING else found
        if not ref.guessed or ref.known is not None or len(ref.keys) < 2 or ref.key in names:
            continue
        if ref.type == ORG or signature(ref.name, ref.language) is not None or seen[ref.key] > 1:
            continue  # "Banco Nacional de Maravia" is not Maravia; a run met twice is a name
        n = len(ref.keys)
        words = raw_tokens(ref.name)
        if len(words) != n:
            continue
        for size in range(n - 1, 0, -1):
            runs = [(start, ref.keys[start : start + size]) for start in range(n - size, -1, -1)]
            hit = next(((s, r) for s, r in runs if " ".join(r) in names and len("".join(r)) > 3), None)
            if hit is not None:
                start, ref.keys = hit
                ref.type = names[ref.key].most_common(1)[0][0]
                ref.evidence = next(filter(None, map(type_of_noun, words[:start])), None)
                break


def _word_keys(name: str, base: str, language: str) -> list[tuple[str, ...]]:
    """Per word of the name, the keys it may have: the dictionary form's (the model's lemma)
    first, then its own, then its base forms when the language puts case endings on names; a
    dictionary form that is neither the word nor one of its base forms comes last."""
    written = [t for t in name_tokens(name, language) if token_key(t)]
    lemmas = [t for t in name_tokens(base, language) if token_key(t)] if base != name else written
    if len(lemmas) != len(written):
        written = lemmas
    raw = raw_tokens(name) if inflects(language) else []
    if len(raw) != len(written):
        raw = []
    out = []
    for j, (word, lemma) in enumerate(zip(written, lemmas, strict=True)):
        bases = base_candidates(raw[j], language) if raw else ()
        own, dictionary = token_key(word), token_key(lemma)
        if raw and dictionary not in (own, *bases):
            # a dictionary form no ending explains is a guess ("Грэхам" → "Грэхо"): last
            keys = dict.fromkeys([own, *bases, dictionary])
        else:
            keys = dict.fromkeys([dictionary, own, *bases])
        out.append(tuple(k for k in keys if k))
    return out


def _attested(refs: list[NameRef], candidates: list[list[tuple[str, ...]]]) -> Counter[str]:
    """How often each word key is seen in its base form: in the known names, in languages that
    do not inflect names, or as a model's dictionary form equal to the written one."""
    found = Counter(word for key in link_index().by_key for word in key.split())
    for ref, words in zip(refs, candidates, strict=True):
        if not inflects(ref.language) or ref.base == ref.name:
            found.update(w[0] for w in words)
    return found


MOST_COMBINATIONS = 256  # base forms of a name's words tried together against the known names


def _known_combination(words: list[tuple[str, ...]], index) -> list[str] | None:  # noqa: ANN001
    """The keys of a name's words, one candidate each, that together are a known name's key: every
    word of a name may carry a case ending ("Южной Африке" → "Южная Африка")."""
    if len(words) < 2 or prod(len(w) for w in words) > MOST_COMBINATIONS:
        return None
    return next((list(keys) for keys in product(*words) if " ".join(keys) in index.by_key), None)


def _known(index, name: str, base: str, ref: NameRef) -> Known | None:  # noqa: ANN001
    """The known entity a name stands for: exactly by text (any type), by key (same kind)."""
    known = index.by_text.get(fold(name)) or index.by_text.get(fold(base))
    if known is None and ref.language:
        known = local_names(ref.language).get(fold(name))
    if known is not None:
        return known
    known = index.by_key.get(ref.key)
    if known is not None and (known.type == PERSON) == ref.person:
        return known
    if ref.person and len(ref.keys) == 1:
        return index.by_surname.get(ref.keys[0])
    return None


def _city(ref: NameRef) -> City | None:
    """The city a name of no person names (``cities.city_named``: "Munich", "München", "Monaco
    di Baviera", "Мюнхен"), if any: not a name in capitals nor a common word."""
    if ref.person or ref.name.isupper() or is_common_noun(ref.name, ref.type):
        return None
    return city_named(ref.name) or city_named(ref.base)


def _known_city(index, ref: NameRef) -> Known | None:  # noqa: ANN001
    """The known entity a city's other name names: "Parigi" is ``alias:paris``."""
    city = _city(ref)
    return index.by_text.get(fold(city.name)) if city is not None else None


def _link_cities(refs: list[NameRef], union: _Union) -> None:
    """Names of no person that name one city are one entity ("Munich", "München", "Мюнхен"),
    whatever their type: names of one key are (``_link_others``), and a model calls a city an
    organisation now and then."""
    first: dict[int, int] = {}
    for i, ref in enumerate(refs):
        if ref.known is None and not ref.local:
            city = _city(ref)
            if city is not None:
                union.union(first.setdefault(city.geonameid, i), i)


def _link_known(refs: list[NameRef], union: _Union) -> None:
    first: dict[str, int] = {}
    for i, ref in enumerate(refs):
        if ref.known is not None:
            union.union(first.setdefault(ref.known.key, i), i)


def _link_people(refs: list[NameRef], union: _Union) -> None:
    # a one-word name of another type that is the surname of a person named in full in the
    # same article is that person
    full_surnames = {(r.article, r.keys[-1]) for r in refs if r.person and len(r.keys) > 1}
    for ref in refs:
        if (
            not ref.person
            and ref.known is None
            and len(ref.keys) == 1
            and (ref.article, ref.keys[0]) in full_surnames
        ):
            ref.type = PERSON
    people = [i for i, r in enumerate(refs) if r.person]
    # clusters: (story, article, surname) → first-name key → mention numbers
    by_article: dict[tuple[int, str], dict[str | None, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i in people:
        ref = refs[i]
        given = ref.keys[0] if len(ref.keys) > 1 else None
        by_article[(ref.article, ref.keys[-1])][given].append(i)
    clusters: list[tuple[object, int, str, str | None, list[int]]] = []
    for (article, surname), by_given in by_article.items():
        named = Counter({g: len(v) for g, v in by_given.items() if g is not None})
        for given, members in by_given.items():
            if given is None and named:
                given = named.most_common(1)[0][0]  # "Witkoff" → the Steve Witkoff of this article
            clusters.append((refs[members[0]].story, article, surname, given, members))
    for *_, members in clusters:
        for i in members[1:]:
            union.union(members[0], i)
    _merge_clusters(refs, union, clusters)


def _alike(key: str, other: str, least: float | None = None) -> bool:
    """Whether two keys are spelt alike: difflib's ratio at least ``least`` (``MIN_SIMILARITY``
    when not given)."""
    return SequenceMatcher(None, key, other).ratio() >= (MIN_SIMILARITY if least is None else least)


def _merge_clusters(refs: list[NameRef], union: _Union, clusters: list) -> None:  # noqa: ANN001
    """Clusters of people merged within stories (the same surname: the same first name, one spelt
    alike, or none), then across them."""
    per_story: dict[tuple[object, str], list] = defaultdict(list)
    for cluster in clusters:
        per_story[(cluster[0], cluster[2])].append(cluster)
    for group in per_story.values():
        givens = Counter(c[3] for c in group if c[3] is not None)
        main = givens.most_common(1)[0][0] if givens else None
        anchor: dict[str | None, int] = {}
        for _, _, _, given, members in group:
            target = given if given is not None else main
            if target is not None and target not in anchor:
                # a first name spelt alike is the same person's (Nicolas / Николя: nikolas, nikolia)
                target = next((g for g in anchor if g is not None and _alike(g, target)), target)
            union.union(anchor.setdefault(target, members[0]), members[0])
    # across stories: the same full name
    full: dict[tuple[str, str], int] = {}
    for _, _, surname, given, members in clusters:
        if given is not None:
            union.union(full.setdefault((given, surname), members[0]), members[0])
    # across stories: a surname alone joins the only full name with that surname (first pass),
    # else the one it shares most entities with (second pass, once the first has settled)
    for ambiguous in (False, True):
        components = union.groups()
        context = _context(refs, union)
        by_surname: dict[str, list[int]] = defaultdict(list)
        for root, members in components.items():
            if refs[root].person:
                by_surname[refs[members[0]].keys[-1]].append(root)
        for roots in by_surname.values():
            lone = [r for r in roots if _surname_only(refs, components[r]) and refs[r].known is None]
            named = [r for r in roots if not _surname_only(refs, components[r])]
            for root in lone:
                if not ambiguous and len(named) == 1:
                    union.union(named[0], root)
                elif not ambiguous and not named:
                    union.union(lone[0], root)
                elif ambiguous and len(named) > 1:
                    best = _most_shared(root, named, context)
                    if best is not None:
                        union.union(best, root)


def _surname_only(refs: list[NameRef], members: list[int]) -> bool:
    return all(len(refs[i].keys) == 1 for i in members)


def _context(refs: list[NameRef], union: _Union) -> dict[int, set[int]]:
    """The articles of each component."""
    articles: dict[int, set[int]] = defaultdict(set)
    for i, ref in enumerate(refs):
        articles[union.find(i)].add(ref.article)
    return articles


def _most_shared(root: int, candidates: list[int], articles: dict[int, set[int]]) -> int | None:
    """The candidate whose articles share most other entities with ``root``'s; ``None`` on a tie
    or when nothing is shared."""
    by_article: dict[int, set[int]] = defaultdict(set)
    for component, found in articles.items():
        for article in found:
            by_article[article].add(component)

    def around(component: int) -> set[int]:
        out: set[int] = set()
        for article in articles[component]:
            out |= by_article[article]
        return out - {component}

    mine = around(root) - set(candidates)
    scores = sorted(((len(mine & around(c)), c) for c in candidates), reverse=True)
    if not scores or scores[0][0] == 0 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return scores[0][1]


def _link_others(refs: list[NameRef], union: _Union) -> None:
    person_full = {}
    for i, ref in enumerate(refs):
        if ref.person and len(ref.keys) > 1:
            person_full.setdefault(ref.key, i)
    first: dict[object, int] = {}
    for i, ref in enumerate(refs):
        if ref.person or ref.known is not None:
            continue
        if ref.key in person_full:
            ref.type = PERSON
            union.union(person_full[ref.key], i)
            continue
        key = (ref.story, ref.key) if ref.local else ref.key
        union.union(first.setdefault(key, i), i)
    # translated organisation names: the same concepts and proper stems
    by_signature: dict[tuple, int] = {}
    for i, ref in enumerate(refs):
        if ref.person or ref.known is not None:
            continue
        found = signature(ref.base or ref.name, ref.language)
        if found is not None:
            union.union(by_signature.setdefault(found, i), i)


MIN_SHARED = 2  # other entities two sound-alike names must share to be one
MIN_SIMILARITY = 0.75  # how alike their keys must be (difflib's ratio), across scripts
MIN_SIMILARITY_LATIN = 0.85  # and both in Latin letters


class _Context:
    """The components of the linking so far, their articles, and the other components named
    in those articles."""

    def __init__(self, refs: list[NameRef], union: _Union) -> None:
        self.components = union.groups()
        self.articles = {r: {refs[i].article for i in m} for r, m in self.components.items()}
        self.in_article: dict[int, set[int]] = defaultdict(set)
        for root, found in self.articles.items():
            for article in found:
                self.in_article[article].add(root)
        self._around: dict[int, set[int]] = {}

    def around(self, root: int) -> set[int]:
        if root not in self._around:
            out: set[int] = set()
            for article in self.articles[root]:
                out |= self.in_article[article]
            self._around[root] = out
        return self._around[root]

    def best(self, root: int, others: Iterable[int], apart: set[int]) -> int | None:
        """The one of ``others`` never in an article of ``root`` whose articles share most
        other entities with its own: at least ``MIN_SHARED`` (``apart`` not counted), more
        than any other; ``None`` otherwise."""
        scores = sorted(
            (
                (len((self.around(root) & self.around(other)) - apart), other)
                for other in others
                if other != root and not self.articles[root] & self.articles[other]
            ),
            reverse=True,
        )
        if not scores or scores[0][0] < MIN_SHARED or (len(scores) > 1 and scores[1][0] == scores[0][0]):
            return None
        return scores[0][1]


def _link_alike_in_story(refs: list[NameRef], union: _Union) -> None:
    """Within a story, two names of one type spelt alike in two scripts are one entity (keys at
    ``MIN_SIMILARITY``): people named in full (Dennis M. Walcott / Деннис М. Уолкотт, Lindsey
    Graham / Линдси Грэхам; both in Latin letters too, at ``MIN_SIMILARITY_LATIN``), their first
    names compatible (``_given_compatible``), and places or organisations (Goldman Sachs /
    Голдман Сакс). Only names whose last word (a person's surname) or first word starts with the
    same consonant are compared; known entities are linked already."""
    components = union.groups()
    # story, type, first consonant -> component -> (its keys there, written in Latin letters?)
    found: dict[tuple[object, str, str], dict[int, set[tuple[str, bool]]]] = defaultdict(
        lambda: defaultdict(set)
    )
    for root, members in components.items():
        kind = refs[root].type
        if kind not in (PERSON, ORG, PLACE) or refs[root].known is not None:
            continue
        for i in members:
            ref = refs[i]
            if isinstance(ref.story, tuple) or (kind == PERSON and len(ref.keys) < 2):
                continue
            sound = consonant_key(ref.keys[-1] if kind == PERSON else ref.keys[0])
            if sound:
                found[(ref.story, kind, sound[0])][root].add((" ".join(ref.keys), is_latin(ref.name)))
    for (_, kind, _), group in found.items():
        roots = sorted(group)
        for a, root in enumerate(roots):
            for other in roots[a + 1 :]:
                if union.find(root) != union.find(other) and any(
                    _alike_names(kind, key, latin, key2, latin2)
                    for key, latin in group[root]
                    for key2, latin2 in group[other]
                ):
                    union.union(root, other)


MOST_COGNATES = 4  # the most content words a name may have for the cognate rule


def _in_story(ref: NameRef, kinds: tuple[str, ...]) -> bool:
    """Whether the mention is of one of these kinds, in a story, and no known entity's."""
    return ref.type in kinds and ref.known is None and not isinstance(ref.story, tuple)


def _link_concepts_in_story(refs: list[NameRef], union: _Union) -> None:
    """Within a story, organisations named by the same concepts alone are one (Supreme Court /
    Верховный суд, ``organisations.concepts_alone``), and so are bodies named by the same one
    concept (Congress / Kongress / Congreso, Senate / Sénat), whatever a model typed them."""
    by_concepts: dict[tuple, int] = {}
    for i, ref in enumerate(refs):
        name = ref.base or ref.name
        concepts = concepts_alone(name, ref.language) if _in_story(ref, (ORG,)) else None
        if concepts is None and ref.local and _in_story(ref, (ORG, PLACE, OTHER)):
            concepts = body_concepts(name, ref.language)
        if concepts:
            union.union(by_concepts.setdefault((ref.story, concepts), i), i)


def _link_cognates_in_story(refs: list[NameRef], union: _Union) -> None:
    """Within a story, two organisations or places of two languages whose content words pair
    off as cognates are one (European Commission / Commission européenne / Comisión Europea,
    Gulf of Mexico / golfe du Mexique): the same number of content words (two to
    ``MOST_COGNATES``; stop words of either language left out), each word of one spelt alike
    with one of the other's, in any order."""
    # story, type, their words' first letters -> (mention, language, word keys)
    found: dict[tuple, list[tuple[int, str, tuple[str, ...]]]] = defaultdict(list)
    for i, ref in enumerate(refs):
        if not _in_story(ref, (ORG, PLACE)):
            continue
        words = _content_keys(ref.name, ref.language)
        if 2 <= len(words) <= MOST_COGNATES:
            found[(ref.story, ref.type, "".join(sorted(w[0] for w in words)))].append(
                (i, ref.language, words)
            )
    for group in found.values():
        for a, (i, language, words) in enumerate(group):
            for j, other_language, other in group[a + 1 :]:
                if language != other_language and union.find(i) != union.find(j) and _cognates(words, other):
                    union.union(i, j)


def _content_keys(name: str, language: str) -> tuple[str, ...]:
    """The keys of a name's words that are no stop word of its language or of English."""
    stop = name_stopwords(language)
    keys = (token_key(romanise(w, language)) for w in raw_tokens(name) if w.lower() not in stop)
    return tuple(k for k in keys if len(k) >= 3)


def _cognates(words: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Whether each word of ``words`` is spelt alike with a word of ``other`` (one each)."""
    return len(words) == len(other) and any(
        all(a[:4] == b[:4] or _alike(a, b) for a, b in zip(words, order, strict=True))
        for order in permutations(other)
    )


def _alike_names(kind: str, key: str, latin: bool, other: str, other_latin: bool) -> bool:
    """Whether two keys of one type in one story are one entity's (``_link_alike_in_story``)."""
    if latin == other_latin and not (latin and kind == PERSON):
        return False  # the same script: only people's names in Latin letters, nearly the same
    if kind == PERSON and not _given_compatible(key, other):
        return False
    return _alike(key, other, MIN_SIMILARITY_LATIN if latin and other_latin else None)


# First letters one first name takes in two scripts: a vowel or a silent h for another (Anne /
# Энн, Hernán / Эрнан), a soft g for Дж (Geoffrey / Джеффри), a Spanish x for Х (Xavi / Хави).
_GIVEN_LETTERS = (frozenset("aeiouh"), frozenset("gi"), frozenset("kh"))


def _given_compatible(key: str, other: str) -> bool:
    """Whether two full-name keys' first names may be one person's: the same first letter (or
    one a transliteration gives for it, ``_GIVEN_LETTERS``), or spelt alike (Ed / David Miliband
    are two)."""
    given, given2 = key.split()[0], other.split()[0]
    first, first2 = given[:1], given2[:1]
    return first == first2 or any({first, first2} <= kind for kind in _GIVEN_LETTERS) or _alike(given, given2)


def _link_sound_alikes(refs: list[NameRef], union: _Union) -> None:
    """Two entities whose keys have the same consonants (``consonant_key``) and are alike
    (``MIN_SIMILARITY`` across scripts: Уотфорд / Watford, Обейда / Obeid, Флойд / Floyd;
    ``MIN_SIMILARITY_LATIN`` when both are written in Latin letters: Francfort / Frankfurt) are
    one when they never stand in the same article and their articles name the same other
    entities (``_Context.best``). Names of several words must be of the same kind (person or
    not); one word may be typed differently by two models."""
    context = _Context(refs, union)
    latin = {r: any(is_latin(refs[i].name) for i in m) for r, m in context.components.items()}
    by_sound: dict[tuple[bool | None, str], dict[int, str]] = defaultdict(dict)
    for root, members in context.components.items():
        if refs[root].known is not None or refs[root].local:
            continue
        full = [refs[i].keys for i in members if len(refs[i].keys) > 1] or [refs[i].keys for i in members]
        for keys in full:
            sound = " ".join(consonant_key(k) for k in keys)
            if len(sound.replace(" ", "")) >= 3:
                kind = refs[root].person if len(keys) > 1 else None
                by_sound[(kind, sound)].setdefault(root, " ".join(keys))
    for found in by_sound.values():
        roots = set(found)
        if len(roots) < 2 or len(roots) > 20:
            continue
        for root in sorted(roots, key=lambda r: latin[r]):
            # across scripts, alike keys; both in Latin letters, nearly the same (Francfort, Frankfurt)
            least = MIN_SIMILARITY if not latin[root] else MIN_SIMILARITY_LATIN
            alike = [o for o in roots if latin[o] and _alike(found[root], found[o], least)]
            best = context.best(root, alike, roots)
            if best is not None:
                union.union(root, best)


def _link_surnames_across_kinds(refs: list[NameRef], union: _Union) -> None:
    """A one-word name of another type whose key is the surname of people named in full
    elsewhere ("Sobotka" typed a place, "Bohuslav Sobotka") is the one of them whose articles
    share most other entities with its own (``_Context.best``); not a place that models of
    several languages call one, which no typing slip explains ("England", not the "Margarita
    von England" of one article)."""
    context = _Context(refs, union)
    people: dict[str, set[int]] = defaultdict(set)
    lone: dict[str, set[int]] = defaultdict(set)
    for root, members in context.components.items():
        if refs[root].known is not None or refs[root].local:
            continue
        if refs[root].person:
            for i in members:
                if len(refs[i].keys) > 1:
                    people[refs[i].keys[-1]].add(root)
        elif all(len(refs[i].keys) == 1 for i in members) and not _place_in_languages(refs, members):
            lone[refs[root].keys[0]].add(root)
    for key, roots in lone.items():
        if key not in people or len(key) < 4:
            continue
        for root in roots:
            best = context.best(root, people[key], set())
            if best is not None:
                union.union(best, root)
                for i in context.components[root]:
                    refs[i].type = PERSON


def _place_in_languages(refs: list[NameRef], members: list[int], least: int = 2) -> bool:
    """Whether models typed the entity's mentions as a place in at least ``least`` languages."""
    return len({refs[i].language for i in members if refs[i].type == PLACE and not refs[i].guessed}) >= least


def _link_translations_in_story(refs: list[NameRef], union: _Union, vectors: Vectors) -> None:
    """Within a story, entities of one type named in two languages are one when their names'
    cross-lingual vectors pair them (``translations``: Justice Department / Justizministerium):
    each entity is named by its most frequent name in each language. Known entities are linked
    already; two people named in full need compatible first names (``_given_compatible``)."""
    # story, type -> component -> language -> names there
    named: dict[tuple, dict[int, dict[str, Counter[str]]]] = defaultdict(lambda: defaultdict(dict))
    full: dict[int, str] = {}  # a person's component -> the key of a full name of them
    for root, members in union.groups().items():
        group = [refs[i] for i in members]
        kind = _group_type(group)
        if kind not in (PERSON, ORG, PLACE) or any(r.known is not None for r in group):
            continue
        for ref in group:
            if not isinstance(ref.story, tuple):
                named[(ref.story, kind)][root].setdefault(ref.language, Counter())[ref.name] += 1
                if kind == PERSON and len(ref.keys) > 1:
                    full.setdefault(root, ref.key)

    def may_pair(a: int, b: int) -> bool:
        return a not in full or b not in full or _given_compatible(full[a], full[b])

    for found in named.values():
        names = {root: {lang: c.most_common(1)[0][0] for lang, c in by.items()} for root, by in found.items()}
        for a, b in translated_pairs(names, vectors, may_pair):
            union.union(a, b)


def _build(articles: Sequence[ArticleMentions], refs: list[NameRef], union: _Union) -> Linking:
    links: list[list[str | None]] = [[None] * len(a.mentions) for a in articles]
    entities: list[Entity] = []
    used: Counter[str] = Counter()
    for members in sorted(union.groups().values(), key=lambda m: (-len(m), m[0])):
        group = [refs[i] for i in members]
        entity = _entity(group)
        used[entity.key] += 1
        if used[entity.key] > 1:
            entity.key = f"{entity.key}~{used[entity.key]}"
        entities.append(entity)
        for ref in group:
            links[ref.article][ref.index] = entity.key
    return Linking(entities, links)


def _group_type(group: list[NameRef]) -> str:
    """The type of one entity's mentions: a known entity's, else the evidence of a noun before
    the name, else PERSON when any is a person, else the most frequent specific one."""
    known = Counter(r.known for r in group if r.known is not None).most_common(1)
    if known:
        return known[0][0].type
    evidence = Counter(r.evidence for r in group if r.evidence is not None)
    if evidence:
        return evidence.most_common(1)[0][0]
    types = Counter(r.type for r in group)
    return PERSON if types[PERSON] else max(types, key=lambda t: (t != OTHER, types[t]))


def _entity(group: list[NameRef]) -> Entity:
    known = Counter(r.known for r in group if r.known is not None).most_common(1)
    counts = Counter(r.name for r in group)
    type_ = _group_type(group)
    guessed = Counter(r.name for r in group if r.guessed)
    english = Counter(r.name for r in group if r.language == "en")
    order = {name: n for n, name in enumerate(dict.fromkeys(r.name for r in group))}

    def rank(name: str) -> tuple:
        full = len(name.split()) > 1 if type_ in (PERSON, ORG) else True
        return (guessed[name] < counts[name], full, is_latin(name), english[name], counts[name], -order[name])

    name = known[0][0].name if known else max(counts, key=rank)
    if known:
        key = known[0][0].key
    else:
        best = next(r for r in group if r.name == name)
        key = f"{type_.lower()}:{'-'.join(best.keys)}"
    return Entity(
        key=key,
        name=name,
        type=type_,
        aliases=[n for n, _ in counts.most_common()],
        mentions=len(group),
        articles=len({r.article for r in group}),
    )
