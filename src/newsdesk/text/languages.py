"""Language codes: the one place that reduces a tag to its language."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[-_@.]")


def base_language(code: str | None) -> str:
    """``en`` for ``en``, ``en-US``, ``EN_gb``, ``fr_FR.UTF-8``; empty for none."""
    if not code:
        return ""
    return _SEPARATORS.split(code.strip().lower(), maxsplit=1)[0]


def language_code(code: str | None) -> str | None:
    """The language of a tag a page or detector gives (``en-US``, ``fr_FR``, ``EN`` → ``en``);
    ``None`` when there is none or it is no ISO 639 code (two or three letters)."""
    base = base_language(code)
    return base if 2 <= len(base) <= 3 and base.isalpha() else None
