"""Named entities per article, per language: a model where one is installed, else the fallback.

The models are named per language (``models``); ``natasha`` names natasha's Russian model,
any other name a spaCy pipeline; an empty name or ``fallback`` forces the fallback. Texts are
grouped by model and fed in batches.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from newsdesk.enrich.entities.appositions import with_class_evidence, without_descriptors
from newsdesk.enrich.entities.cleanup import (
    NOUN_CAPITALISING,
    at_sentence_start,
    clean_mentions,
    is_capitalised_adjective,
    opens_sentences_only,
)
from newsdesk.enrich.entities.committee import member_folders
from newsdesk.enrich.entities.fallback import CAPITALISED, compound_parts, fallback_mentions, known_mentions
from newsdesk.enrich.entities.model import ORG, PERSON, PLACE, SOURCE_FALLBACK, Mention
from newsdesk.enrich.entities.name_types import load_typer, with_types, without_no_names
from newsdesk.enrich.entities.natasha_ner import NATASHA, load_natasha, natasha_mentions
from newsdesk.enrich.entities.organisations import (
    clubs_named_by_towns,
    is_institution_word,
    lone_institutions,
)
from newsdesk.enrich.entities.propagate import propagate
from newsdesk.enrich.entities.shipped import PREFIX, shipped_models, shipped_path
from newsdesk.enrich.entities.spacy_ner import load_spacy, spacy_mentions
from newsdesk.enrich.entities.text import base_language, is_cyrillic, is_latin, lead_cut
from newsdesk.enrich.entities.widening import (
    widened_over_administrative_nouns,
    widened_over_genitives,
    widened_over_lower_genitives,
    widened_to_heads,
    widened_to_quoted_names,
)
from newsdesk.enrich.entities.word_vectors import common_words, reads_vectors

log = logging.getLogger(__name__)

DEFAULT_MODELS: dict[str, str] = {
    "en": "newsdesk-en",
    "fr": "fr_core_news_sm",
    "de": "newsdesk-de",
    "es": "newsdesk-xx",
    "ru": NATASHA,
    "uk": "newsdesk-xx",
}
FALLBACK = "fallback"
DEFAULT_MAX_CHARS = 2000
FALLBACK_MAX_CHARS = 100_000
# Types a known name's type replaces on a model's mention of it (a person stays a person:
# "Jordan", "Chad", "Maurice" are first names too).
_RETYPED = frozenset({PLACE, ORG})
# Letters a common word opening a sentence must have for a model's lone mention of it to be
# dropped (``_without_lone_openers``).
MIN_COMMON_OPENER = 4
_MIN_ACRONYM = 3  # letters an acronym a model took for a person must have to be an organisation


def model_for(language: str | None, models: Mapping[str, str] | None = None) -> str:
    """The model named for ``language`` (the defaults overridden by ``models``), or ``fallback``."""
    chosen = {**DEFAULT_MODELS, **(models or {})}
    return chosen.get(base_language(language), "") or FALLBACK


def model_origins(models: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
    """``(language, model, where it comes from)`` for every language with a model named (the
    defaults overridden by ``models``), then ``*`` for the rest (the fallback), then the shipped
    models no language uses."""
    import importlib.util

    chosen = {**DEFAULT_MODELS, **(models or {})}
    rows = []
    for language, name in sorted(chosen.items()):
        name = name or FALLBACK
        if name == FALLBACK:
            origin = "rules (fallback)"
        elif name == NATASHA:
            origin = (
                "natasha package"
                if importlib.util.find_spec("natasha")
                else "natasha, not installed: fallback"
            )
        elif shipped_path(name):
            origin = "shipped with newsdesk"
        elif Path(name).is_dir():
            members = _committee_size(Path(name))
            kind = f"committee of {members} pipelines" if members else "directory"
            origin = f"{kind} {Path(name).resolve()}"
        elif importlib.util.find_spec(name):
            origin = "installed spaCy package"
        else:
            origin = "not installed: fallback"
        rows.append((language, name, origin))
    rows.append(("*", FALLBACK, "rules (fallback), every other language"))
    in_use = set(chosen.values())
    for language in shipped_models():
        if f"{PREFIX}{language}" not in in_use:
            rows.append((language, f"{PREFIX}{language}", "shipped with newsdesk, not in use"))
    return rows


def _committee_size(folder: Path) -> int | None:
    """How many pipelines the committee in ``folder`` has; ``None`` for no (readable) committee."""
    try:
        members = member_folders(folder)
    except (OSError, ValueError):
        return None
    return len(members) if members is not None else None


def load_models(models: Mapping[str, str] | None = None) -> None:
    """Load every model named for a language (the defaults overridden by ``models``) now, so
    that processes forked afterwards share them instead of each loading its own."""
    chosen = {**DEFAULT_MODELS, **(models or {})}
    for name in dict.fromkeys(chosen.values()):
        if not name or name == FALLBACK:
            continue
        if name == NATASHA:
            load_natasha()
            continue
        loaded = load_spacy(name)
        if loaded is not None and _fills_unseen_words(name, loaded):
            load_typer()  # its runs are typed (``_with_rules``)


def recognise(
    items: Sequence[tuple[str, str | None]],
    models: Mapping[str, str] | None = None,
    *,
    max_chars: int | None = DEFAULT_MAX_CHARS,
    batch_size: int = 32,
) -> list[list[Mention]]:
    """The mentions in each ``(text, language)``, in order, offsets into that text.

    A model reads the first ``max_chars`` characters (cut at a space), where the gazetteer's
    known names it missed are added (``_with_known``); in the rest, the names it found are
    matched again and the fallback rules add what they find. Languages without a
    usable model get the fallback throughout. Every recogniser's mentions go through the same
    filter (``cleanup.clean_mentions``): no function word, letter or punctuation is a name.
    """
    results: list[list[Mention]] = [[] for _ in items]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, (text, language) in enumerate(items):
        if text and text.strip():
            groups[model_for(language, models)].append(i)
    for name, indices in groups.items():
        texts = [items[i][0] or "" for i in indices]
        languages = [items[i][1] for i in indices]
        found = _with_model(name, texts, languages, max_chars, batch_size)
        for i, text, language, mentions in zip(indices, texts, languages, found, strict=True):
            parts = compound_parts(text, language, mentions)
            results[i] = sorted([*mentions, *parts], key=lambda m: (m.start, -m.end)) if parts else mentions
    return results


def _with_model(
    name: str,
    texts: list[str],
    languages: list[str | None],
    max_chars: int | None,
    batch_size: int,
) -> list[list[Mention]]:
    """Mentions from the named model over the leads plus their repeats; the fallback when
    the model is missing or fails on a batch."""
    loaded = None
    if name != FALLBACK:
        loaded = load_natasha() if name == NATASHA else load_spacy(name)
    if loaded is None:
        return [_fallback(t, lang) for t, lang in zip(texts, languages, strict=True)]
    cuts = [lead_cut(t, max_chars) for t in texts]
    leads = [t[:c] for t, c in zip(texts, cuts, strict=True)]
    vectors = name != NATASHA and _fills_unseen_words(name, loaded)
    out: list[list[Mention]] = []
    for start in range(0, len(texts), batch_size):
        chunk = leads[start : start + batch_size]
        try:
            if name == NATASHA:
                found = list(natasha_mentions(loaded, chunk))
            else:
                found = list(spacy_mentions(loaded, chunk, batch_size))
        except Exception as exc:  # noqa: BLE001 - one bad batch falls back, never stops a run
            log.warning("%s failed on a batch (%s); using the fallback recogniser for it", name, exc)
            end = start + batch_size
            out.extend(
                _fallback(t, lang) for t, lang in zip(texts[start:end], languages[start:end], strict=True)
            )
            continue
        for offset, mentions in enumerate(found):
            k = start + offset
            lead = _in_lead(texts[k], leads[k], languages[k], mentions, vectors)
            out.append(_with_tail(texts[k], languages[k], cuts[k], lead))
    return out


def _fills_unseen_words(name: str, loaded: Any) -> bool:
    """Whether the rules fill in for a model reading the E5 word vectors (``_with_rules``): it
    misses names whose words have none and takes capitalised words for names more readily. For
    the shipped ones (``newsdesk-de``, and ``newsdesk-xx`` reading languages it never saw) and any
    multilingual one; a pipeline trained on its own language's sentences reads them better
    without (Spanish trained on CoNLL-2002: 0.744 with the rules, 0.775 without)."""
    return reads_vectors(loaded.meta) and (shipped_path(name) is not None or loaded.lang == "xx")


def _in_lead(
    text: str, lead: str, language: str | None, mentions: Sequence[Mention], vectors: bool
) -> list[Mention]:
    """A model's mentions in the lead through the rules, in this order: cleaned, widened to the
    institution before them, typed by a class noun; without lone sentence openers (models reading
    the E5 vectors); with the known names; with the rules' runs, typed (those models again);
    widened to quoted names, administrative and geographic nouns, lower-case genitives and
    genitive owners; institutions a model called people retyped; lone institutions added; towns
    after an article made clubs."""
    found = without_descriptors(clean_mentions(text, mentions, language), language)
    found = with_class_evidence(lead, widened_to_heads(lead, found))
    found = _without_lone_openers(lead, found, language, common_only=not vectors)
    found = _with_known(lead, found, language)
    if vectors:
        found = _with_rules(lead, found, language)
    found = widened_over_administrative_nouns(lead, widened_to_quoted_names(lead, found))
    found = widened_over_genitives(lead, widened_over_lower_genitives(lead, found))
    found = [_institution_not_person(m) for m in found]
    if base_language(language) not in NOUN_CAPITALISING:
        found = _added_where_none(found, lone_institutions(lead))
    return clubs_named_by_towns(lead, found, language)


def _with_known(lead: str, found: list[Mention], language: str | None) -> list[Mention]:
    """The model's mentions plus the known names of the gazetteer (countries, the alias table)
    in the lead where the model found nothing: a small model misses well-known names it saw
    too rarely in training ("Genf", "Athen", "Ukraine"). A model's place or organisation that
    is exactly a known name takes the known name's type (natasha calls the EU, "ЕС", a place),
    and so does a Cyrillic person that is a known place under a case ending ("Львова", "Києву")."""
    known = known_mentions(lead, language)
    if not known:
        return found
    types = {(m.start, m.end): m.type for m in known}
    found = [
        replace(m, type=types[(m.start, m.end)]) if _retyped_by_known(m, types.get((m.start, m.end))) else m
        for m in found
    ]
    return _added_where_none(_widened_to_known(found, known), known)


def _widened_to_known(found: list[Mention], known: list[Mention]) -> list[Mention]:
    """A model's mention that is only part of a known name is that name ("América" in "América
    Latina", "Amérique" in "Amérique latine"): the known names are whole names of the alias table
    and the countries."""
    out = []
    for m in found:
        whole = next(
            (k for k in known if k.start <= m.start and m.end <= k.end and k.end - k.start > len(m.text)),
            None,
        )
        out.append(
            m
            if whole is None
            else replace(m, start=whole.start, end=whole.end, text=whole.text, type=whole.type, lemma=None)
        )
    return out


def _retyped_by_known(mention: Mention, known_type: str | None) -> bool:
    """Whether a model's mention takes the type of the known name it is exactly: a place or an
    organisation does (a person stays one where names are written alike: "Jordan", "Chad" are
    first names too), and so does a person that is a known place of two words or more ("Estados
    Unidos", which the multilingual model calls a person now and then) or a Cyrillic one
    ("Львова" in "до Львова")."""
    if known_type not in _RETYPED:
        return False
    return mention.type in _RETYPED or (
        mention.type == PERSON
        and known_type == PLACE
        and (is_cyrillic(mention.text) or len(mention.text.split()) > 1)
    )


def _institution_not_person(mention: Mention) -> Mention:
    """A Cyrillic person that holds an institution's word ("Верховного Суду України",
    "Держкомзему") or is an acronym of three letters or more ("АМКУ") is an organisation."""
    if mention.type != PERSON or not is_cyrillic(mention.text):
        return mention
    words = mention.text.split()
    acronym = mention.text.isupper() and len(mention.text) >= _MIN_ACRONYM
    if acronym or any(is_institution_word(w) for w in words if not w.isupper()):
        return replace(mention, type=ORG)
    return mention


def _with_rules(lead: str, found: list[Mention], language: str | None) -> list[Mention]:
    """The mentions plus the runs of capitalised words the rules find in the lead where the
    model found nothing, typed as the rules type them ("Maravische Nationalbank", "VfB Kellheim":
    organisations; "Ondřej Malík": a name of no known type). For the models that read the E5
    word vectors (``word_vectors``), which miss names whose words are no E5 word (about 4 ms an
    article: the rules read the lead once more). Where capitals are evidence, a person the
    model found the end of takes the whole run ("Horvátová" in "Milena Horvátová"), and the
    name typer (``name_types``) types the runs the rules could not ("Pinochet", "Mérida")."""
    runs = [m for m in fallback_mentions(lead, language) if m.label == CAPITALISED]
    if base_language(language) in NOUN_CAPITALISING:
        found = [_with_adjectives(lead, m, runs) for m in found]
        return _added_where_none(found, runs)
    found = [_whole_run(m, runs) for m in found]
    return with_types(lead, _added_where_none(found, runs), CAPITALISED)


def _without_lone_openers(
    lead: str, found: list[Mention], language: str | None, *, common_only: bool
) -> list[Mention]:
    """The mentions without a lone word opening a sentence that the text never capitalises
    elsewhere ("Gracias", "Hallan"), as the rules take no such word, where capitals are
    evidence; a known name there is found again by the gazetteer (``_with_known``). With
    ``common_only`` (a model trained on its own language's text, which reads capitals better),
    only such a word that is a common word in lower case, of ``MIN_COMMON_OPENER`` letters or
    more ("Attardons", "Difficile", "Hier"; not "Jim", "Ben": short words are common in some
    language or other)."""
    if base_language(language) in NOUN_CAPITALISING:
        return found
    return [m for m in found if not _lone_opener(lead, m, common_only)]


def _lone_opener(lead: str, mention: Mention, common_only: bool) -> bool:
    word = mention.text
    if " " in word or word.isupper():
        return False
    if common_only and (len(word) < MIN_COMMON_OPENER or word.lower() not in common_words()):
        return False
    return opens_sentences_only(lead, word)


def _runs_ended_by(mention: Mention, runs: list[Mention]) -> Iterator[Mention]:
    """The runs of capitalised words that ``mention`` ends and that open before it."""
    return (run for run in runs if run.end == mention.end and run.start < mention.start)


def _whole_run(mention: Mention, runs: list[Mention]) -> Mention:
    """The mention widened to the run of capitalised Latin words it ends: a person keeps its
    type ("Milena Horvátová"), anything else takes the rules' type for the run (a first name
    before a surname the model took for a place: "Ondřej Malík")."""
    for run in _runs_ended_by(mention, runs):
        if is_latin(run.text):
            type_ = PERSON if mention.type == PERSON else run.type
            return replace(mention, start=run.start, text=run.text, type=type_, lemma=None)
    return mention


def _with_adjectives(lead: str, mention: Mention, runs: list[Mention]) -> Mention:
    """Where nouns are capitalised, the mention widened to the run it ends when the run's other
    words are adjectives written capitalised inside a sentence: such an adjective is part of a
    name ("Die Maravische Nationalbank", "der Europäischen Zentralbank", "die Deutsche Bank"),
    which a model reading the E5 vectors cuts off now and then."""
    for run in _runs_ended_by(mention, runs):
        extra = lead[run.start : mention.start].split()
        inside = not at_sentence_start(lead, run.start)
        if inside and extra and all(is_capitalised_adjective(word) for word in extra):
            return replace(mention, start=run.start, text=run.text, lemma=None)
    return mention


def _added_where_none(found: list[Mention], more: list[Mention]) -> list[Mention]:
    """``found`` plus those of ``more`` that overlap none of it, in text order."""
    spans = [(m.start, m.end) for m in found]
    added = [m for m in more if not any(s < m.end and m.start < e for s, e in spans)]
    return sorted(found + added, key=lambda m: m.start) if added else found


def _fallback(text: str, language: str | None) -> list[Mention]:
    return fallback_mentions(text[:FALLBACK_MAX_CHARS], language)


def _with_tail(text: str, language: str | None, cut: int, lead: list[Mention]) -> list[Mention]:
    """The model's mentions in the lead, their repeats after it, and what the fallback finds
    after it that overlaps neither."""
    if cut >= len(text):
        return lead
    # the known names are found again after the lead by the fallback below, with its own checks
    repeats = propagate(text, cut, [m for m in lead if m.source != SOURCE_FALLBACK])
    spans = [(m.start, m.end) for m in repeats]
    tail = [
        replace(m, start=m.start + cut, end=m.end + cut)
        for m in fallback_mentions(text[cut:FALLBACK_MAX_CHARS], language)
    ]
    tail = [m for m in tail if not any(s < m.end and m.start < e for s, e in spans)]
    if base_language(language) in NOUN_CAPITALISING:
        tail = without_no_names(text, tail, CAPITALISED)
    return lead + sorted(repeats + tail, key=lambda m: m.start)
