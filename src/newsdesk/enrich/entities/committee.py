"""A committee of NER pipelines: a name is kept only where every member finds it, same span and
type. Members trained alike from different seeds agree on most names and disagree on the
doubtful ones, so the committee trades a little recall for much precision (Ukrainian, two
members: precision 0.76 → 0.83, recall 0.74 → 0.68; docs/entities.md).

A committee is a folder holding ``committee.json`` (``{"members": ["member-1", "member-2"]}``,
folders relative to it) and the members' pipeline folders; ``newsdesk models train`` with
``--seed`` given more than once writes one, and it is named in the settings as any pipeline
folder is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsdesk.enrich.entities.model import Mention

COMMITTEE_FILE = "committee.json"


@dataclass
class Committee:
    """Loaded member pipelines; ``meta`` and ``lang`` are the first member's."""

    members: list[Any]

    @property
    def meta(self) -> dict:
        return self.members[0].meta

    @property
    def lang(self) -> str:
        return self.members[0].lang


def member_folders(folder: Path) -> list[Path] | None:
    """The member folders of the committee in ``folder``; ``None`` when it holds no committee."""
    path = folder / COMMITTEE_FILE
    if not path.is_file():
        return None
    members = json.loads(path.read_text(encoding="utf-8")).get("members") or []
    if not members:
        raise ValueError(f"{path}: no members")
    return [folder / name for name in members]


def write_committee(folder: Path, members: Sequence[str]) -> None:
    """Write the committee file naming ``members`` (folders inside ``folder``)."""
    (folder / COMMITTEE_FILE).write_text(
        json.dumps({"members": list(members)}, indent=2) + "\n", encoding="utf-8"
    )


def agreed_mentions(
    committee: Committee,
    texts: Sequence[str],
    mentions_of: Callable[[Any, Sequence[str]], Iterator[list[Mention]]],
) -> Iterator[list[Mention]]:
    """The mentions every member finds in each text (``mentions_of(member, texts)``), in the
    first member's order."""
    found = [mentions_of(member, texts) for member in committee.members]
    for first, *others in zip(*found, strict=True):
        agreed = (
            set.intersection(*({(m.start, m.end, m.type) for m in o} for o in others)) if others else None
        )
        yield [m for m in first if agreed is None or (m.start, m.end, m.type) in agreed]
