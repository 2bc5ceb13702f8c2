"""Names found once, found again: in the rest of an article, and in the other articles of a story.

The models read only the lead (``max_chars``) to keep throughput up; the names they found
there, and the surnames of the people among them, are then matched as whole words in the
rest of the text (``propagate``). These mentions keep the model's source, with label
``repeat`` and a slightly lower confidence.

A story's articles name the same people, organisations and places, often in other languages,
and a small model misses in one what it found in another ("Romney", "Seattle" in a German
translation of an English report). ``from_story`` matches the names the other articles of the
story hold as whole words in an article where it found nothing there: label ``story``, source
``fallback``, the type of the name's mentions (a guess of the fallback's stays untyped).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from newsdesk.enrich.entities.cleanup import clean_mentions
from newsdesk.enrich.entities.fallback import CAPITALISED, COMPOUND
from newsdesk.enrich.entities.gazetteer import link_index
from newsdesk.enrich.entities.model import ORG, OTHER, PERSON, PLACE, SOURCE_FALLBACK, Mention
from newsdesk.enrich.entities.names import is_common_noun
from newsdesk.enrich.entities.text import fold
from newsdesk.text.patterns import trie_alternation

REPEAT_CONFIDENCE = 0.7
STORY_CONFIDENCE = 0.5
REPEAT, STORY = "repeat", "story"
_MIN_LENGTH = 3
# The most names a story passes on (its most mentioned): a long-running story holds thousands.
STORY_FORMS = 300
# The labels of mentions a story does not pass on: the first part of a compound (no name on its
# own), a name passed on already.
_NOT_PASSED_ON = frozenset({COMPOUND, STORY})
_TYPED = frozenset({PERSON, ORG, PLACE})
# What a story's name a mention is widened to may not hold: two names run together ("Barclays,
# Deutsche Bank", "Assange\nWikileaks"), half a bracket ("Radio France Internationale (RFI").
_UNLIKE_A_NAME = re.compile(r"[\n,;()\[\]]")


def _written_forms(mention: Mention) -> tuple[str, ...]:
    """The forms a name is found again by: as written, and a person's surname alone."""
    surface = mention.text.strip()
    words = surface.split()
    forms = (surface, words[-1]) if mention.type == PERSON and len(words) > 1 else (surface,)
    return tuple(form for form in forms if len(form) >= _MIN_LENGTH)


def _forms(names: Iterable[Mention], most: int | None = None) -> dict[str, Mention]:
    """Each name's written form, and a person's surname, with the name it comes from (typed by
    the type most of its typed mentions have); with ``most``, only that many, the most mentioned."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    origins: dict[str, Mention] = {}
    for mention in names:
        for form in _written_forms(mention):
            votes[form][mention.type] += 1
            origins.setdefault(form, mention)
    kept = list(origins)
    if most is not None and len(kept) > most:
        kept = sorted(kept, key=lambda form: -votes[form].total())[:most]
    return {form: replace(origins[form], type=_most_typed(votes[form])) for form in kept}


def _most_typed(votes: Counter[str]) -> str:
    """The type most mentions of a name have, a guess's OTHER only when none is typed."""
    typed = Counter({kind: n for kind, n in votes.items() if kind in _TYPED})
    return (typed or votes).most_common(1)[0][0]


def _pattern(forms: Iterable[str], heads: bool = False) -> re.Pattern | None:
    """One pattern finding any of the forms as whole words (the longest first), not as a part of a
    hyphenated word ("États" is not in "États-Unis"); with ``heads``, also as the first part of
    one ("Obama" of "Obama-Regierung")."""
    forms = set(forms)
    if not forms:
        return None
    after = r"(?!\w)" if heads else r"(?!\w|-\w)"
    return re.compile(r"(?<![\w-])(?:" + trie_alternation(forms) + r")" + after)


def _matches(text: str, start: int, forms: dict[str, Mention]) -> Iterable[tuple[re.Match, Mention]]:
    pattern = _pattern(forms)
    if pattern is None:
        return
    for match in pattern.finditer(text, start):
        yield match, forms[match.group()]


def propagate(text: str, cut: int, lead: Sequence[Mention]) -> list[Mention]:
    """Mentions of the lead's names in ``text[cut:]``."""
    if cut >= len(text) or not lead:
        return []
    return [
        Mention(
            match.group(),
            match.start(),
            match.end(),
            origin.type,
            origin.source,
            REPEAT_CONFIDENCE,
            REPEAT,
            origin.lemma if match.group() == origin.text else None,
        )
        for match, origin in _matches(text, cut, _forms(lead))
    ]


def passed_on(mention: Mention) -> bool:
    """Whether a story passes this mention's name on to its other articles: any name a recogniser
    wrote (a guess of the fallback's stays untyped), not the first part of a compound nor a name
    passed on already, nor a common noun no known entity goes by, which names no one entity
    ("Policía"; but "Paris")."""
    if (mention.label or "") in _NOT_PASSED_ON:
        return False
    return not is_common_noun(mention.text, mention.type) or fold(mention.text) in link_index().by_text


class StoryNames:
    """The names a story passes on (its ``STORY_FORMS`` most mentioned forms, typed by most of
    their mentions), who holds each (``None``: the story's stored articles), and one pattern
    finding them all."""

    def __init__(self, names: Iterable[tuple[object, Mention]]) -> None:
        held: list[tuple[object, Mention]] = [(owner, m) for owner, m in names if passed_on(m)]
        self.forms = _forms((m for _, m in held), STORY_FORMS)
        self.holders: dict[str, set[object]] = defaultdict(set)
        for owner, mention in held:
            for form in _written_forms(mention):
                if form in self.forms:
                    self.holders[form].add(owner)
        self.pattern = _pattern(self.forms, heads=True)

    def complete(
        self, text: str, language: str | None, found: Sequence[Mention], owner: object = None
    ) -> list[Mention]:
        """The article's mentions (``found``) with the story's names where its own are not: an
        untyped capitalised run of the fallback that is exactly a typed such name takes its type
        (in place), other places where one is written are added after the article's own
        mentions. A name only ``owner`` (the article itself) holds is not its story's."""
        if self.pattern is None or not text:
            return list(found)
        own = {m.text for m in found if m.type in _TYPED}
        guesses = {(m.start, m.end): i for i, m in enumerate(found) if m.label == CAPITALISED}
        out, added, dropped = list(found), [], set()
        for match in self.pattern.finditer(text):
            form = match.group()
            if form in own or self.holders[form] <= {owner} and owner is not None:
                continue
            origin = self.forms[form]
            start, end = match.span()
            covered = any(m.start < end and start < m.end for m in found)
            if text.startswith("-", end):  # the first part of a compound: no name on its own there
                if not covered:
                    added.append(
                        Mention(form, start, end, OTHER, SOURCE_FALLBACK, STORY_CONFIDENCE, COMPOUND)
                    )
                continue
            inside = _widened_by(found, form, start, origin)
            if inside:  # "Athar Butt" where the story writes "Muhammad Athar Butt"
                out[inside[0]] = replace(
                    found[inside[0]],
                    text=form,
                    start=start,
                    end=end,
                    type=origin.type,
                    label=STORY,
                    lemma=None,
                )
                dropped.update(inside[1:])
                continue
            guess = guesses.get((start, end))
            if guess is not None:
                if origin.type in _TYPED:  # another guess confirms nothing
                    out[guess] = replace(
                        out[guess], type=origin.type, label=STORY, confidence=STORY_CONFIDENCE
                    )
            elif not covered:
                added.append(Mention(form, start, end, origin.type, SOURCE_FALLBACK, STORY_CONFIDENCE, STORY))
        if dropped:
            out = [m for i, m in enumerate(out) if i not in dropped]
        return out + clean_mentions(text, added, language) if added else out


def _widened_by(found: Sequence[Mention], form: str, start: int, origin: Mention) -> list[int]:
    """The mentions a story's name ``form`` written at ``start`` widens: those it holds with words
    around them, none it overlaps only in part, where the name is a model's or a known name of
    more words than each of them (a model cuts off a first name it never saw: "J. Hayes" where
    the story writes "Steven J. Hayes", "Disney Concert Hall" for "Walt Disney Concert Hall")."""
    words = form.split()
    if origin.type not in _TYPED or origin.label == CAPITALISED or _UNLIKE_A_NAME.search(form):
        return []
    if words[-1][0].islower():
        return []  # "San Diego de": a name cut off by another model
    end = start + len(form)
    overlapping = [i for i, m in enumerate(found) if m.start < end and start < m.end]
    if not overlapping or any(found[i].start < start or found[i].end > end for i in overlapping):
        return []
    return [] if any(len(found[i].text.split()) >= len(words) for i in overlapping) else overlapping


def from_story(
    text: str, language: str | None, found: Sequence[Mention], names: Iterable[Mention]
) -> list[Mention]:
    """The article's mentions (``found``) completed with the names the story's other articles
    hold (``names``: their mentions, those ``passed_on`` taken), as ``StoryNames.complete``."""
    return StoryNames((None, m) for m in names).complete(text, language, found)


def story_names(
    batch: Sequence[tuple[str, str | None, object, Sequence[Mention]]],
    earlier: Mapping[object, Sequence[Mention]] | None = None,
) -> list[list[Mention]]:
    """For each ``(text, language, story, mentions)`` of a batch (story ``None``: in none), its
    mentions as ``from_story`` completes them with the names of the batch's other articles in the
    same story and those the story held before (``earlier``, by story)."""
    members: dict[object, list[int]] = defaultdict(list)
    for index, (_, _, story, _) in enumerate(batch):
        if story is not None:
            members[story].append(index)
    stories = {
        story: StoryNames(
            [(None, m) for m in (earlier or {}).get(story, ())]
            + [(index, m) for index in indices for m in batch[index][3]]
        )
        for story, indices in members.items()
    }
    return [
        stories[story].complete(text, language, found, index) if story is not None else list(found)
        for index, (text, language, story, found) in enumerate(batch)
    ]
