"""Quote-mark conventions: find the spans between quote marks and after dialogue dashes.

Handled: "…" (straight), “…” (English), „…“ and »…« (German), «…» with or without (narrow) no-break
spaces inside (French, Spanish, Russian, Ukrainian), ‹…› and ›…‹, single quotes ‘…’ ‚…‘ '…' (only
outside double quotes, with care for apostrophes), and a line opened by a dialogue dash (— or –).
A double quote left open at the end of a paragraph runs to the paragraph's end (the newspaper
convention for a quote continued in the next paragraph).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# opening mark -> closing marks it accepts
DOUBLE_PAIRS: dict[str, str] = {
    "“": '”“"',
    "„": '“”"',
    "«": "»",
    "»": "«",
    '"': '"”',
    "‹": "›",
    "›": "‹",
}
SINGLE_PAIRS: dict[str, str] = {"‘": "’", "‚": "‘’", "'": "'’"}
SPACES = " \u00a0\u202f\u2009\u2007\u200b\t"
_BLANK = " \u00a0\u202f\u2009\u2007\t"
_OPEN_BEFORE = set(" \u00a0\u202f\u2009\t\n([{—–-/:;,") | set("“„«»‹›\"'‘‚")
_CLOSE_AFTER = set(" \u00a0\u202f\u2009\u200b\t\n)]},.;:!?…—–-/") | set("”“»«›‹\"'’")
_DASH_LINE = re.compile(r"^[ \t]*[—–―][ \u00a0\u202f\t]*", re.MULTILINE)
_DASH_INSERT = re.compile(r"[,.!?…]?[ \u00a0\u202f]+[—–―][ \u00a0\u202f]+")


@dataclass(frozen=True)
class Quoted:
    """A quoted stretch: ``start``/``end`` around the content, ``outer_*`` around the marks too."""

    start: int
    end: int
    outer_start: int
    outer_end: int
    dash: bool = False


def _trim(text: str, start: int, end: int, comma: bool = True) -> tuple[int, int]:
    """Shrink ``start:end`` past spaces (and a trailing comma, which belongs to the sentence)."""
    while start < end and (text[start] in SPACES or text[start] == "\n"):
        start += 1
    while end > start and (text[end - 1] in SPACES + "\n" or (comma and text[end - 1] == ",")):
        end -= 1
    return start, end


def _is_opener(text: str, i: int, spaced: bool) -> bool:
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else "\n"
    if before not in _OPEN_BEFORE:
        return False
    if after == "\n":
        return False
    return spaced or after not in _BLANK


def _is_closer(text: str, i: int, spaced: bool) -> bool:
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else "\n"
    if after not in _CLOSE_AFTER:
        return False
    return spaced or before not in _BLANK


def _find_close(text: str, i: int, end: int, closers: str, spaced: bool) -> int:
    marks = _any_of(closers)
    j = i + 1
    while (mark := marks.search(text, j, end)) is not None:
        j = mark.start()
        if _is_closer(text, j, spaced):
            return j
        j += 1
    return -1


@lru_cache(maxsize=16)
def _any_of(marks: str) -> re.Pattern[str]:
    """One of the characters of ``marks``."""
    return re.compile(f"[{re.escape(marks)}]")


def _scan(text: str, start: int, end: int, pairs: dict[str, str], single: bool) -> list[Quoted]:
    found: list[Quoted] = []
    openers = _any_of("".join(pairs))
    i = start
    while i < end:
        # Straight to the next opening mark: the characters between open nothing.
        mark = openers.search(text, i, end)
        if mark is None:
            break
        i = mark.start()
        ch = text[i]
        spaced = ch in "«»‹›"
        ok = _is_opener(text, i, spaced)
        if ok and single and i > 0 and text[i - 1].isalnum():
            ok = False
        if ok:
            j = _find_close(text, i, end, pairs[ch], spaced)
            if j < 0 and not single:
                s, e = _trim(text, i + 1, end)
                if e > s:
                    found.append(Quoted(s, e, i, end))
                return found
            if j > i + 1:
                s, e = _trim(text, i + 1, j)
                if e > s and (not single or j - i < 400):
                    found.append(Quoted(s, e, i, j + 1))
                i = j + 1
                continue
        i += 1
    return found


def _dash_quotes(text: str, start: int, end: int) -> list[Quoted]:
    """A paragraph opened by a dialogue dash: the speech, minus the narrator's inserts."""
    m = _DASH_LINE.match(text, start)
    if not m or m.end() >= end:
        return []
    pieces: list[Quoted] = []
    pos = m.end()
    speech = True
    for insert in _DASH_INSERT.finditer(text, pos, end):
        if speech:
            s, e = _trim(text, pos, insert.start())
            if insert.group(0)[0] in ".!?…":
                e = insert.start() + 1
            if e > s:
                pieces.append(Quoted(s, e, m.start() if not pieces else pos, insert.end(), dash=True))
        speech = not speech
        pos = insert.end()
    if speech:
        s, e = _trim(text, pos, end)
        if e > s:
            pieces.append(Quoted(s, e, m.start() if not pieces else pos, end, dash=True))
    return pieces


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line block of ``text`` (paragraphs are separated by newlines)."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = _trim(text, m.start(), m.end())
        if e > s:
            spans.append((s, e))
    return spans


def find_quoted(text: str, start: int = 0, end: int | None = None) -> list[Quoted]:
    """Quoted stretches of one paragraph ``text[start:end]``, outermost only, in order.

    Two apostrophes ('') count as one straight double quote, as in some newspapers' archives.
    """
    end = len(text) if end is None else end
    if "''" in text[start:end]:
        marked = text[start:end].replace("''", '"\u200b')
        found = []
        for q in _find(marked, 0, len(marked)):
            outer_end = q.outer_end + start
            if text[outer_end - 1 : outer_end + 1] == "''":
                outer_end += 1
            found.append(Quoted(q.start + start, q.end + start, q.outer_start + start, outer_end, q.dash))
        return found
    return _find(text, start, end)


def _find(text: str, start: int, end: int) -> list[Quoted]:
    dashed = _dash_quotes(text, start, end)
    if dashed:
        return dashed
    doubles = _scan(text, start, end, DOUBLE_PAIRS, single=False)
    result = list(doubles)
    pos = start
    for gap_end in [q.outer_start for q in doubles] + [end]:
        if gap_end > pos:
            result.extend(_scan(text, pos, gap_end, SINGLE_PAIRS, single=True))
        nxt = [q.outer_end for q in doubles if q.outer_start == gap_end]
        pos = nxt[0] if nxt else gap_end
    return sorted(result, key=lambda q: q.start)
