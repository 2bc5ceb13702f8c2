"""Sentences that never cut through a quotation, and word tokens with their offsets."""

from __future__ import annotations

import re

from newsdesk.enrich.quotes.cues import wordset
from newsdesk.text.marks import Quoted

# Words after which a full stop does not end a sentence.
ABBREVIATIONS = wordset(
    """mr mrs ms dr prof sen rep gov gen lt col sgt capt adm cmdr maj st jr sr inc corp co ltd no vs etc
    u.s u.k u.n e.u a.m p.m jan feb mar apr aug sept sep oct nov dec mt ft rev hon pres atty supt
    m mme mlle me dr hr fr nr bzw ca sr sra srta dña lic ing г тов им ул д гг т.е т.д"""
)
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»«)\]]*(?=\s+[\"'“‘«»„‹›(\[—–A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ0-9¿¡])")
_WORD = re.compile(r"\w+(?:[’'.-]\w+)*\.?", re.UNICODE)


def _abbreviation_before(text: str, pos: int) -> bool:
    """True when the full stop at ``pos`` closes an abbreviation or an initial ("Mr.", "U.S.", "J.")."""
    if text[pos] != ".":
        return False
    start = pos
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:pos].lower().rstrip(".")
    if not word or (word == "me" and text[start].islower()):
        return False  # "he told me." ends a sentence; "Me." is a French lawyer's title
    return word in ABBREVIATIONS or (len(word) == 1 and text[start].isupper())


def sentences(text: str, start: int, end: int, quoted: list[Quoted]) -> list[tuple[int, int]]:
    """(start, end) of the sentences of ``text[start:end]``; a quotation is never split."""
    inside = [(q.outer_start, q.outer_end) for q in quoted]
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _BOUNDARY.finditer(text, start, end):
        cut = m.end()
        if any(a < m.start() and cut < b for a, b in inside):
            continue
        if any(a < m.start() < b <= cut for a, b in inside) and (
            _continues_after(text, cut, end) or _short_tag_after(text, cut, end)
        ):
            continue
        if _abbreviation_before(text, m.start()):
            continue
        spans.append((pos, cut))
        pos = cut
        while pos < end and text[pos].isspace():
            pos += 1
    if pos < end:
        spans.append((pos, end))
    return spans


def _continues_after(text: str, cut: int, end: int) -> bool:
    """A quotation that ends a sentence inside its marks and is followed by ", he said"-like text."""
    rest = text[cut:end].lstrip()
    return bool(rest) and rest[0].islower()


# '"Why?" Lichtman said about …': a speaker and a reporting verb after the quotation, however long the rest.
_TAG_VERB = re.compile(
    r"\s*(?:[A-Z][\w.'’-]*\s+){1,4}(?:said|says|asked|told|wrote|added|replied|sagte|fragte|schrieb)\b"
)


def _short_tag_after(text: str, cut: int, end: int) -> bool:
    """A quotation ending in "?" or "." followed by a short tag: '"Why?" Lichtman said.'."""
    rest = text[cut:end]
    if _TAG_VERB.match(rest):
        return True
    m = re.match(r"\s*([^.!?\"“”«»„]{1,60}?)[.!?](?:\s|$)", rest)
    if not m:
        return False
    tag = m.group(1).split()
    return 1 < len(tag) <= 5 and any(w.islower() for w in tag)


def words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the word tokens of ``text[start:end]``."""
    return [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
