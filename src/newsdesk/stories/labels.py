"""Story headlines: per language, the title of the story's most central article."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Member = tuple[str, str | None, np.ndarray | None]


def headlines(members: Sequence[Member]) -> dict[str, str]:
    """``{language: title}`` for every language present, plus ``"*"``: the most
    central title overall. Central = highest cosine to the story's centroid;
    ties (and members without embeddings) keep the earliest member first."""
    titled = [(i, m) for i, m in enumerate(members) if m[0].strip()]
    if not titled:
        return {}
    vectors = [m[2] for _, m in titled if m[2] is not None]
    centroid = np.mean(vectors, axis=0) if vectors else None

    def centrality(item: tuple[int, Member]) -> tuple[float, int]:
        index, (_, _, vector) = item
        score = float(vector @ centroid) if vector is not None and centroid is not None else -1.0
        return (-score, index)

    ranked = sorted(titled, key=centrality)
    result = {"*": ranked[0][1][0]}
    for _, (title, language, _) in ranked:
        if language and language not in result:
            result[language] = title
    return result
