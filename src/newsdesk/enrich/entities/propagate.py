"""Names a model found in an article's lead, found again in the rest of the article.

The models read only the lead (``max_chars``) to keep throughput up; the names they found
there, and the surnames of the people among them, are then matched as whole words in the
rest of the text. These mentions keep the model's source, with label ``repeat`` and a
slightly lower confidence.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from newsdesk.enrich.entities.model import PERSON, Mention

REPEAT_CONFIDENCE = 0.7
_MIN_LENGTH = 3


def propagate(text: str, cut: int, lead: Sequence[Mention]) -> list[Mention]:
    """Mentions of the lead's names in ``text[cut:]``."""
    if cut >= len(text) or not lead:
        return []
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    origins: dict[str, Mention] = {}
    for mention in lead:
        surface = mention.text.strip()
        words = surface.split()
        for form in (surface, words[-1] if mention.type == PERSON and len(words) > 1 else ""):
            if len(form) >= _MIN_LENGTH:
                votes[form][mention.type] += 1
                origins.setdefault(form, mention)
    # a name the model typed differently in the lead takes its most frequent type
    forms = {form: replace(origins[form], type=votes[form].most_common(1)[0][0]) for form in origins}
    if not forms:
        return []
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?!\w)"
    )
    out = []
    for match in pattern.finditer(text, cut):
        origin = forms[match.group()]
        out.append(
            Mention(
                match.group(),
                match.start(),
                match.end(),
                origin.type,
                origin.source,
                REPEAT_CONFIDENCE,
                "repeat",
                origin.lemma if match.group() == origin.text else None,
            )
        )
    return out
