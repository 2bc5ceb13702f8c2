"""Reading SpkAtt-2023 (German Bundestag speeches) for the quote evaluation.

The corpus is JSON Lines, one speech per line: ``id``, ``lang``, ``text`` (the tokens joined by spaces),
``tokens``, ``token_offsets`` and ``quotes``, a list of speech events each mapping a role (``cue``,
``source``, ``message``, ``addr``, ``medium``, ``evidence``, ``topic``, ``ptc``) to character spans
``{"start", "end", "text"}`` of ``text``. A speech event becomes a gold attribution with its message as
the content, its source as the source and its cue as the cue; events without a message are skipped, as
PolNeAR relations without a content are. The scoring is :mod:`newsdesk.evaluation.quotes`'.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

from newsdesk.evaluation.quotes import GoldAttribution, GoldDocument, gold_spans

LANGUAGE = "de"
SUFFIXES = (".jsonl.gz", ".jsonl")


def _open_lines(path: Path) -> Iterator[str]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from handle


def parse_speech(record: dict) -> GoldDocument:
    """One speech: its text and the speech events that have a message."""
    attributions = []
    for event in record.get("quotes", []):
        content = gold_spans(event.get("message"))
        if content:
            attributions.append(
                GoldAttribution(content, gold_spans(event.get("source")), gold_spans(event.get("cue")))
            )
    return GoldDocument(str(record.get("id") or record.get("doc_id", "")), record["text"], attributions)


def split_file(path: Path, split: str = "dev") -> Path | None:
    """The SpkAtt file to read: ``path`` itself, or ``split.jsonl[.gz]`` inside the folder ``path``."""
    path = Path(path)
    if path.is_file():
        return path
    for suffix in SUFFIXES:
        candidate = path / f"{split}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def is_spkatt(path: Path, split: str = "dev") -> bool:
    """Whether ``path`` (a file, or a folder holding ``split.jsonl[.gz]``) is in the SpkAtt format.

    The first non-empty line must be a JSON object with a ``text`` and a list of ``quotes`` whose
    events carry a ``message`` or a ``cue``.
    """
    file = split_file(path, split)
    if file is None:
        return False
    try:
        for line in _open_lines(file):
            if line.strip():
                record = json.loads(line)
                break
        else:
            return False
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return False
    events = record.get("quotes")
    return isinstance(events, list) and all(
        isinstance(e, dict) and ("message" in e or "cue" in e) for e in events
    )


def split_name(path: Path, split: str = "dev") -> str:
    """The split a file holds, from its name (``dev.jsonl.gz`` → ``dev``); ``split`` for a folder."""
    path = Path(path)
    if path.is_file():
        for suffix in SUFFIXES:
            if path.name.endswith(suffix):
                return path.name[: -len(suffix)]
        return path.stem
    return split


def load_spkatt(path: Path, split: str = "dev") -> list[GoldDocument]:
    """The speeches of a SpkAtt file, or of ``split.jsonl[.gz]`` inside the folder ``path``."""
    file = split_file(path, split)
    if file is None:
        raise FileNotFoundError(f"no {split}.jsonl.gz or {split}.jsonl in {path} (expected SpkAtt-de)")
    return [parse_speech(json.loads(line)) for line in _open_lines(file) if line.strip()]
