"""Reading newsdesk's own annotated quote sets (``tests/data/quotes/<lang>.jsonl``).

JSON Lines, one article per line::

    {"id": "fr-03", "lang": "fr", "split": "dev", "text": "…",
     "quotes": [{"content": [{"start": 10, "end": 52, "text": "…"}],
                 "cue": [{"start": 60, "end": 70, "text": "a déclaré"}],
                 "speaker": {"start": 71, "end": 73, "text": "il"},
                 "refers_to": {"start": 0, "end": 11, "text": "Jean Dupont"}}]}

``content`` and ``cue`` are lists of fragments; ``speaker`` is the mention as written (a name, a
pronoun, a role phrase such as "le ministre", an anonymous source) or null when the quote has none;
``refers_to`` is the mention of the named person or organisation it stands for (null when it names
nobody, e.g. "une source diplomatique"). ``split`` is ``dev`` (looked at while developing the rules) or
``test`` (held out). A quote becomes a gold attribution whose source is ``refers_to`` when there is
one, else ``speaker``: a pronoun counts as right only when it was resolved to the right person.
The scoring is :mod:`newsdesk.evaluation.quotes`'.
"""

from __future__ import annotations

import json
from pathlib import Path

from newsdesk.evaluation.quotes import GoldAttribution, GoldDocument, gold_spans

SPLITS = ("dev", "test", "all")


def parse_article(record: dict) -> GoldDocument:
    """One article: its text and its quotes (the source is the referent, else the mention)."""
    attributions = []
    for quote in record.get("quotes", []):
        content = gold_spans(quote.get("content"))
        if content:
            source = gold_spans(quote.get("refers_to")) or gold_spans(quote.get("speaker"))
            attributions.append(GoldAttribution(content, source, gold_spans(quote.get("cue"))))
    return GoldDocument(str(record.get("id", "")), record["text"], attributions)


def _records(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def is_quoteset(path: Path) -> bool:
    """Whether ``path`` is a file of this format: its first line a JSON object with a ``text``, a
    ``split`` and a list of ``quotes`` whose entries carry a ``content``."""
    path = Path(path)
    if not path.is_file():
        return False
    try:
        with open(path, encoding="utf-8") as handle:
            line = next((line for line in handle if line.strip()), "")
        record = json.loads(line) if line else None
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    if not isinstance(record, dict) or not isinstance(record.get("text"), str) or "split" not in record:
        return False
    quotes = record.get("quotes")
    return isinstance(quotes, list) and all(isinstance(q, dict) and "content" in q for q in quotes)


def load_quoteset(path: Path, split: str = "dev") -> tuple[list[GoldDocument], str]:
    """The articles of ``split`` (``dev``, ``test`` or ``all``) in ``path`` and their language."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
    records = _records(Path(path))
    languages = {r.get("lang") for r in records}
    if len(languages) != 1 or None in languages:
        raise ValueError(f"{path}: every article needs the same lang (found {sorted(map(str, languages))})")
    chosen = [r for r in records if split == "all" or r.get("split") == split]
    return [parse_article(r) for r in chosen], str(languages.pop())
