"""Why an article is in its story, in words: its membership's evidence as short lines."""

from __future__ import annotations

from gettext import NullTranslations
from typing import Any

from newsdesk.stories.evidence import PATHS


def _number(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def evidence_lines(evidence: dict[str, Any] | None, t: NullTranslations | None = None) -> list[str]:
    """The evidence as lines for a reader, in the language of the translations ``t`` (English
    without): how the article joined, the score against the bar and the margin, each signal, the
    copy it is; nothing for an article placed before evidence was kept."""
    if not evidence:
        return []
    t = t or NullTranslations()
    _ = t.gettext
    path = evidence.get("path", "")
    lines = [_(PATHS[path]) if path in PATHS else path]
    if "score" in evidence and "bar" in evidence:
        lines.append(
            _("score %(score)s against the bar %(bar)s: margin %(margin)s")
            % {
                "score": _number(evidence["score"]),
                "bar": _number(evidence["bar"]),
                "margin": f"{evidence.get('margin', 0.0):+.3f}",
            }
        )
    signals = [
        f"{label} {_number(evidence[key])}"
        for key, label in (
            ("embedding", _("embedding cosine")),
            ("lexical", _("lexical cosine")),
            ("lede", _("lede cosine")),
        )
        if key in evidence
    ]
    if signals:
        lines.append(", ".join(signals))
    if evidence.get("names_of"):
        lines.append(
            _("names and figures the story holds: %(names)s of %(names_of)s")
            % {"names": evidence.get("names", 0), "names_of": evidence["names_of"]}
        )
    if evidence.get("quotes"):
        lines.append(_("quotations shared with the story: %(quotes)s") % {"quotes": evidence["quotes"]})
    copy = evidence.get("copy")
    if copy:
        original = (
            _("copy of #%(id)d") % {"id": copy["copy_of"]}
            if copy.get("copy_of")
            else _("original of its copies")
        )
        lines.append(
            _("%(original)s: text matched #%(matched)s (containment %(containment)s, Jaccard %(jaccard)s)")
            % {
                "original": original,
                "matched": copy.get("matched"),
                "containment": _number(copy.get("containment", 0.0)),
                "jaccard": _number(copy.get("jaccard", 0.0)),
            }
        )
    return lines
