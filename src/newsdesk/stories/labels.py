"""Story headlines: the most central member title, per language and overall."""

from __future__ import annotations

import numpy as np

from newsdesk.stories.vectors import DIMENSIONS

Member = tuple[str, str | None, np.ndarray | None]


def _centrality(members: list[Member]) -> list[float]:
    """Cosine of each member to the story centroid (0 for members without an embedding)."""
    # The embedding only: a cross-lingual vector may follow it (members of an older store lack it).
    vectors = [
        np.asarray(e, dtype=np.float64).reshape(-1)[:DIMENSIONS] if e is not None else None
        for _, _, e in members
    ]
    present = [v for v in vectors if v is not None and np.all(np.isfinite(v))]
    if not present:
        return [0.0] * len(members)
    centroid = np.sum([v / (np.linalg.norm(v) or 1.0) for v in present], axis=0)
    norm = np.linalg.norm(centroid)
    if norm == 0:
        return [0.0] * len(members)
    centroid /= norm
    scores = []
    for v in vectors:
        if v is None or not np.all(np.isfinite(v)) or v.shape != centroid.shape:
            scores.append(0.0)
        else:
            scores.append(float(v @ centroid) / (float(np.linalg.norm(v)) or 1.0))
    return scores


def headlines(members: list[Member]) -> dict[str, str]:
    """Per language, the title of the member closest to the story centroid.

    ``members`` are ``(title, language, embedding)`` tuples in arrival order.
    Key ``"*"`` holds the most central title overall. Ties go to the earlier
    member; members with an empty title are skipped; an unknown language is
    only counted under ``"*"``.
    """
    scores = _centrality(members)
    best: dict[str, tuple[float, int]] = {}
    for index, ((title, language, _), score) in enumerate(zip(members, scores, strict=True)):
        if not title or not title.strip():
            continue
        for key in ("*", language) if language else ("*",):
            current = best.get(key)
            if current is None or score > current[0]:
                best[key] = (score, index)
    return {key: members[index][0].strip() for key, (_, index) in best.items()}
