"""Why an article joined its story: the signals, the bar it passed and its margin over it."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from newsdesk.text.messages import N_

# How an article joined a story (see newsdesk.stories.clustering for the bars); marked for the
# catalogs, translated where they are shown (newsdesk.present.evidence).
PATHS = {
    "new": N_("started the story"),
    "lede": N_("embedding + lexical + lede score over the bar"),
    "plain": N_("embedding + lexical score over the plain bar (no lede in the article's language)"),
    "quote": N_("shares a quotation with the story: score over the quotation bar"),
    "crosslingual": N_("embedding alone over the cross-lingual bar (no article in its language)"),
    "lexical": N_("lexical alone over the lexical bar (no usable embedding)"),
    "headline": N_("headline and lead close across languages (no article in its language)"),
    "copy": N_("a wire copy: follows the story of the article it copies"),
    "second-chance": N_("started its own story, then moved here: scored again while that story held only it"),
}


@dataclass
class Evidence:
    """The signals that placed an article in its story, each against the story as it stood then.

    ``path``: how it joined (a key of ``PATHS``); ``score``, ``bar`` and ``margin``: the score that
    decided, the bar it passed and by how much; ``embedding``, ``lexical``, ``lede``: the cosines
    with the story's centroid, term sum and lede sum (None when not compared); ``names``: how many of
    the article's names and figures (headline and lead) the story holds, of ``names_of``;
    ``quotes``: quoted runs of words the story quotes too; ``copy``: the wire copy it is (the
    original, the article matched, Jaccard and containment)."""

    path: str
    score: float | None = None
    bar: float | None = None
    margin: float | None = None
    embedding: float | None = None
    lexical: float | None = None
    lede: float | None = None
    names: int | None = None
    names_of: int | None = None
    quotes: int | None = None
    copy: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data without the empty fields, numbers rounded (what a membership keeps)."""
        data: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value is None:
                continue
            data[item.name] = round(value, 4) if isinstance(value, float) else value
        return data
