"""The ``Accept-Language`` header: the browser's languages in order of preference."""

from __future__ import annotations

import re
from collections.abc import Iterable

_RANGE = re.compile(r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")
MAX_RANGES = 32  # a header is the client's to write: only its first ranges are read


def accepted_languages(header: str | None) -> list[str]:
    """The language ranges of a header, the most wanted first (equal weights in the header's order);
    ``q=0``, ``*`` and malformed ranges are left out: ``de-CH, fr;q=0.8`` → ``["de-CH", "fr"]``."""
    weighted = []
    for position, part in enumerate((header or "").split(",")[:MAX_RANGES]):
        match = _RANGE.match(part)
        if not match or match[1] == "*":
            continue
        try:
            weight = float(match[2]) if match[2] is not None else 1.0
        except ValueError:
            continue
        if weight > 0:
            weighted.append((-weight, position, match[1]))
    return [tag for _, _, tag in sorted(weighted)]


def best_language(header: str | None, supported: Iterable[str]) -> str | None:
    """The first accepted language whose primary subtag is supported (``de-AT`` → ``de``), else None."""
    choices = set(supported)
    for tag in accepted_languages(header):
        base = tag.split("-")[0].lower()
        if base in choices:
            return base
    return None
