"""Sentences in the ``ner/`` JSON Lines format as spaCy Docs with their entities.

Each record has ``text``, ``tokens``, ``token_offsets`` ([start, end] into ``text``) and
``entities`` (``start``, ``end``, ``label``). The Doc keeps the given tokens and reproduces the
text exactly, so character offsets stay right; a gap of more than one space between two tokens
becomes a whitespace token, as spaCy's own tokenizer makes it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

LABELS = ("PER", "ORG", "LOC", "MISC")


def words_and_spaces(text: str, offsets: Iterable[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """spaCy's ``words`` and ``spaces`` for tokens at ``offsets`` in ``text``."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for start, end in [*offsets, (len(text), len(text))]:
        gap = text[pos:start]
        if gap and words and gap[0] == " ":
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
        if end > start:
            words.append(text[start:end])
            spaces.append(False)
        pos = max(pos, end)
    return words, spaces


def record_doc(
    vocab: Any,
    record: Mapping,
    labels: Mapping[str, str | None] | None = None,
    counts: Counter[str] | None = None,
) -> Any:
    """The record as a Doc with its entities. ``labels`` maps a gold label to the one to train
    (``None``: the span is left unannotated, neither a name nor "no name"); by default PER, ORG,
    LOC and MISC as they are. A span that does not fall on token boundaries takes the tokens it
    touches; ``counts`` tallies ``entities``, ``expanded`` and ``overlapping`` (dropped)."""
    from spacy.tokens import Doc, Span

    text = record["text"]
    words, spaces = words_and_spaces(text, [tuple(o) for o in record["token_offsets"]])
    doc = Doc(vocab, words=words, spaces=spaces)
    if doc.text != text:
        raise ValueError(f"tokens do not rebuild the text of {record.get('id', '?')}")
    mapping = dict(labels) if labels is not None else {label: label for label in LABELS}
    counts = counts if counts is not None else Counter()
    ents, missing, taken = [], [], set()
    for entity in sorted(record.get("entities", []), key=lambda e: (e["start"], -e["end"])):
        counts["entities"] += 1
        span = doc.char_span(entity["start"], entity["end"], alignment_mode="strict")
        if span is None:
            span = doc.char_span(entity["start"], entity["end"], alignment_mode="expand")
            counts["expanded"] += 1
        if span is None or not len(span) or taken & set(range(span.start, span.end)):
            counts["overlapping"] += 1
            continue
        taken.update(range(span.start, span.end))
        label = mapping.get(entity["label"])
        if label is None:
            missing.append(span)
        else:
            ents.append(Span(doc, span.start, span.end, label=label))
    doc.set_ents(ents, missing=missing, default="outside")
    return doc
