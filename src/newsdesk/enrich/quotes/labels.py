"""A speaker's label opening a paragraph: transcripts ("TAPPER: …", also inside an opening quote
mark) and headlines ("Sanders: Clinton email story has moved", "Scholz: Die Lage ist ernst"); and a
signature closing one ("“…” ― Krystal Correa").

The label is one to four capitalised words (a name, a role, an outlet) before a colon at the very start
of a paragraph, followed by text; the rest of the paragraph is what the label's bearer said. Labels of
the page itself ("Update:", "Photo:", "Read more:") and a lone letter ("Q:") are not speakers.
"""

from __future__ import annotations

import re

from newsdesk.enrich.quotes.cues import wordset

MAX_WORDS = 4
_LABEL = re.compile(r"[ \t]*[\"“„]?((?:[A-ZÀ-ÖØ-ÞÄÖÜ][\w.'’-]*\s+){0,3}[A-ZÀ-ÖØ-ÞÄÖÜ][\w.'’-]*):\s+(?=\S)")
# A quotation signed after a dash at the end of its paragraph: "“…” ― Krystal Correa".
_SIGNATURE = re.compile(
    r"[\"”“»'’]\s*[―—–]\s*((?:[A-ZÀ-ÖØ-ÞÄÖÜ][\w.'’-]*\s+){0,4}[A-ZÀ-ÖØ-ÞÄÖÜ][\w.'’-]*)[ \t]*\.?[ \t]*$"
)
_NOT_SPEAKERS = wordset(
    """note update updated editor editors photo photos video watch read related source sources
    advertisement correction disclosure caption credit image images listen more also see warning
    breaking exclusive analysis opinion live question answer q a example transcript transcripts
    hinweis anmerkung foto bild video lesen sie auch mehr quelle korrektur update eilmeldung analyse
    kommentar meinung frage antwort beispiel"""
)


def speaker_label(text: str, start: int, end: int) -> tuple[int, int, int] | None:
    """``(label_start, label_end, content_start)`` when the paragraph ``text[start:end]`` opens
    with a speaker's label and a colon, else None."""
    m = _LABEL.match(text, start, end)
    if m is None:
        return None
    words = m.group(1).split()
    if len(words) > MAX_WORDS or any(w.lower().strip(".'’") in _NOT_SPEAKERS for w in words):
        return None
    if len(words) == 1 and len(words[0]) <= 1:
        return None
    return m.start(1), m.end(1), m.end()


def signature(text: str, start: int, end: int) -> tuple[int, int, int] | None:
    """``(name_start, name_end, quote_end)`` when the paragraph ``text[start:end]`` ends with a
    quotation signed by a name after a dash ("“…” ― Krystal Correa"), else None; ``quote_end`` is
    just past the closing quote mark."""
    m = _SIGNATURE.search(text, start, end)
    if m is None or any(w.lower().strip(".'’") in _NOT_SPEAKERS for w in m.group(1).split()):
        return None
    return m.start(1), m.end(1), m.start() + 1
