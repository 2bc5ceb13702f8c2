"""A NER set's dev part in two halves by document: train on one, measure on the other.

The documents are numbered in the order they first appear; the even-numbered ones make half
``a``, the odd-numbered ones half ``b``. Sentences of one document stay together, so a name
seen in training is not met again in the same document when measuring.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from pathlib import Path

from newsdesk.enrich.entities.training.train import read_records


def halves(records: Sequence[dict]) -> tuple[list[dict], list[dict]]:
    """The records of the even-numbered documents and those of the odd-numbered ones."""
    order: dict[str, int] = {}
    parts: tuple[list[dict], list[dict]] = ([], [])
    for record in records:
        document = str(record.get("doc_id") or record.get("id") or len(order))
        number = order.setdefault(document, len(order))
        parts[number % 2].append(record)
    return parts


def write_halves(path: Path, output: Path) -> tuple[Path, Path]:
    """Write the halves of ``path`` as ``output/<its folder>/<its name>-a.jsonl.gz`` and ``-b``
    (the folder keeps the language: ``ner/de/dev.jsonl.gz`` → ``output/de/dev-a.jsonl.gz``)."""
    stem = path.name.removesuffix(".gz").removesuffix(".jsonl")
    folder = output / path.parent.name
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, part in zip("ab", halves(list(read_records([path]))), strict=True):
        target = folder / f"{stem}-{name}.jsonl.gz"
        with gzip.open(target, "wt", encoding="utf-8") as out:
            for record in part:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        written.append(target)
    return written[0], written[1]
