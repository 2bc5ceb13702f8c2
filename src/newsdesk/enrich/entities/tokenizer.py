"""The language-neutral tokenizer French pipelines read text through.

spaCy's French tokenizer compiles a pattern of thousands of exceptions when ``spacy.lang.fr`` is
imported: seconds of CPU in every process that reads French, before the first article. newsdesk
reads French with spaCy's language-neutral tokenizer ("xx") instead, with apostrophes between
letters split off (``l'Europe``, ``qu’il`` → ``l'`` ``Europe``, ``qu’`` ``il``), as the French
training sets are tokenised. On French news it also splits the typographic apostrophe (’), which
the French tokenizer leaves on the next word, so ``n’``, ``qu’`` are no longer taken for names.
"""

from __future__ import annotations

import re
from typing import Any

# Languages whose pipelines are loaded on the language-neutral tokenizer ("xx" is one already).
NEUTRAL_TOKENIZER = frozenset({"fr", "xx"})
ELISION = re.compile(r"(?<=[^\W\d_])['’](?=[^\W\d_])")


def split_apostrophes(nlp: Any) -> None:
    """Make ``nlp``'s tokenizer split apostrophes between letters (saved with the pipeline)."""
    from spacy.util import compile_infix_regex

    patterns = [ELISION.pattern, *(nlp.Defaults.infixes or [])]
    nlp.tokenizer.infix_finditer = compile_infix_regex(patterns).finditer
