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
from newsdesk.enrich.entities.model import ORG, PERSON, PLACE, SOURCE_FALLBACK, Mention

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


def _forms(names: Iterable[Mention], most: int | None = None) -> dict[str, Mention]:
    """Each name's written form, and a person's surname, with the name it comes from (typed by
    the type most of its mentions have); with ``most``, only that many, the most mentioned."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    origins: dict[str, Mention] = {}
    for mention in names:
        surface = mention.text.strip()
        words = surface.split()
        for form in (surface, words[-1] if mention.type == PERSON and len(words) > 1 else ""):
            if len(form) >= _MIN_LENGTH:
                votes[form][mention.type] += 1
                origins.setdefault(form, mention)
    kept = list(origins)
    if most is not None and len(kept) > most:
        kept = sorted(kept, key=lambda form: -votes[form].total())[:most]
    return {form: replace(origins[form], type=votes[form].most_common(1)[0][0]) for form in kept}


def _matches(text: str, start: int, forms: dict[str, Mention]) -> Iterable[tuple[re.Match, Mention]]:
    if not forms:
        return
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?!\w)"
    )
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
    passed on already."""
    return (mention.label or "") not in _NOT_PASSED_ON


def from_story(
    text: str, language: str | None, found: Sequence[Mention], names: Iterable[Mention]
) -> list[Mention]:
    """The article's mentions (``found``) with the names the story's other articles hold
    (``names``: their mentions, those ``passed_on`` taken) where its own are not: an untyped
    capitalised run of the fallback that is exactly a typed such name takes its type (in place),
    other places where one is written are added after the article's own mentions."""
    own = {m.text for m in found if m.type in _TYPED}
    story = _forms((m for m in names if passed_on(m)), STORY_FORMS)
    forms = {form: origin for form, origin in story.items() if form not in own}
    if not forms:
        return list(found)
    guesses = {(m.start, m.end): i for i, m in enumerate(found) if m.label == CAPITALISED}
    out = list(found)
    added = []
    for match, origin in _matches(text, 0, forms):
        guess = guesses.get(match.span())
        if guess is not None:
            if origin.type in _TYPED:  # another guess confirms nothing
                out[guess] = replace(out[guess], type=origin.type, label=STORY, confidence=STORY_CONFIDENCE)
        elif not any(m.start < match.end() and match.start() < m.end for m in found):
            added.append(
                Mention(
                    match.group(),
                    match.start(),
                    match.end(),
                    origin.type,
                    SOURCE_FALLBACK,
                    STORY_CONFIDENCE,
                    STORY,
                )
            )
    return out + clean_mentions(text, added, language) if added else out


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
    out: list[list[Mention]] = []
    for index, (text, language, story, found) in enumerate(batch):
        names = [m for other in members.get(story, ()) if other != index for m in batch[other][3]]
        names += (earlier or {}).get(story, ()) if story is not None else ()
        out.append(from_story(text, language, found, names) if names and text else list(found))
    return out
