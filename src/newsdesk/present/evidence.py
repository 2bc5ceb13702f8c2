"""Why an article is in its story, in words: its membership's evidence as short lines."""

from __future__ import annotations

from typing import Any

from newsdesk.stories.evidence import PATHS


def _number(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def evidence_lines(evidence: dict[str, Any] | None) -> list[str]:
    """The evidence as lines for a reader: how the article joined, the score against the bar and
    the margin, each signal, the copy it is; nothing for an article placed before evidence was kept."""
    if not evidence:
        return []
    path = evidence.get("path", "")
    lines = [PATHS.get(path, path)]
    if "score" in evidence and "bar" in evidence:
        lines.append(
            f"score {_number(evidence['score'])} against the bar {_number(evidence['bar'])}: "
            f"margin {evidence.get('margin', 0.0):+.3f}"
        )
    signals = [
        f"{label} {_number(evidence[key])}"
        for key, label in (
            ("embedding", "embedding cosine"),
            ("lexical", "lexical cosine"),
            ("lede", "lede cosine"),
        )
        if key in evidence
    ]
    if signals:
        lines.append(", ".join(signals))
    if evidence.get("names_of"):
        lines.append(
            f"names and figures the story holds: {evidence.get('names', 0)} of {evidence['names_of']}"
        )
    if evidence.get("quotes"):
        lines.append(f"quotations shared with the story: {evidence['quotes']}")
    copy = evidence.get("copy")
    if copy:
        original = f"copy of #{copy['copy_of']}" if copy.get("copy_of") else "original of its copies"
        contained, jaccard = _number(copy.get("containment", 0.0)), _number(copy.get("jaccard", 0.0))
        lines.append(
            f"{original}: text matched #{copy.get('matched')} (containment {contained}, Jaccard {jaccard})"
        )
    return lines
