"""A model's name widened to the institution it belongs to: a small model often finds only
what follows an institution's head noun ("Ministerio de [Relaciones Exteriores]", "Ayuntamiento
de [Sevilla]", "Consejo [Nacional Electoral]", "Société des [Nations]"), typed as a place or a
person. When the word before a mention, or before a connector ("de", "del", "des", "of the"…)
before it, is a capitalised organisation head noun, the mention takes it in and becomes an
organisation, and again for the word before that.
A head noun opening a sentence does not count (French "Parti du Parlement, le cortège…" is
"having left"). An acronym right after a head noun is the name's short form, not part of it:
"Industriekreditbank IKB" stays "IKB".
"""

from __future__ import annotations

import re
from dataclasses import replace

from newsdesk.enrich.entities.cleanup import at_sentence_start
from newsdesk.enrich.entities.model import ORG, Mention
from newsdesk.enrich.entities.organisations import is_institution_word

# The head noun right before the mention, or before a connector of the Romance languages or
# English: a capitalised word of letters (no digit, no sentence end between).
_CONNECTOR = r"(?:de|del|des|du|di|da|do|dos|das|della|dello|delle|degli|dei|of)"
_ARTICLE = r"(?:(?:la|las|los|le|les|the)[ \t]+|l[’'])"
_BEFORE = re.compile(
    r"(?P<head>\b[^\W\d_][^\W\d_-]*(?:-[^\W\d_]+)?)"
    rf"[ \t]+(?:{_CONNECTOR}[ \t]+{_ARTICLE}?|d[’'])?$"
)
_LOOKBACK = 60


def widened_to_heads(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` (in text order) with each widened over an organisation head noun before it,
    when no other mention stands there."""
    out: list[Mention] = []
    for mention in mentions:
        previous_end = out[-1].end if out else 0
        out.append(_widened(text, mention, previous_end))
    return out


def _widened(text: str, mention: Mention, floor: int) -> Mention:
    start = mention.start
    while True:
        window_start = max(floor, start - _LOOKBACK)
        found = _BEFORE.search(text, window_start, start)
        if (
            not found
            or not _is_head_word(found.group("head"))
            or at_sentence_start(text, found.start("head"))
        ):
            break  # a capitalised word opening a sentence may be anything: "Parti du Parlement, le…"
        if found.end("head") + 1 == start and mention.text.isupper():
            break  # an acronym after its organisation's name: "Industriekreditbank IKB"
        start = found.start("head")
    if start == mention.start:
        return mention
    return replace(mention, start=start, text=text[start : mention.end], type=ORG, lemma=None)


def _is_head_word(word: str) -> bool:
    """A capitalised organisation head noun: "Ministerio", "Ayuntamiento", "Société"."""
    return word[:1].isupper() and not word.isupper() and is_institution_word(word)
