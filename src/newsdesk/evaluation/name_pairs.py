"""How alike the cross-lingual vectors of two names are, over the gazetteer's own names.

Pairs of forms of one known entity (a country's names in seven languages, an alias-table
entry's names) and pairs of forms of two known entities of one type: the share of each that
reaches a cosine, for the bar ``translations.MIN_COSINE`` is read from. Run it with
``newsdesk eval name-pairs [--json]``; no evaluation set is read.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

import numpy as np

from newsdesk.enrich.entities.gazetteer import alias_table, country_names
from newsdesk.enrich.entities.translations import MIN_COSINE, Vectors

COUNTRY_LANGUAGES = ("en", "fr", "de", "es", "ru", "uk", "it")
BARS = (0.3, 0.4, 0.5, MIN_COSINE, 0.7)
OTHER_PAIRS = 20_000
SEED = 20240601


def known_forms() -> list[tuple[str, str, list[str]]]:
    """Each known entity (key, type) with its distinct forms: the alias table's, and the
    countries' names in ``COUNTRY_LANGUAGES``."""
    entities = {known.key: (known.type, dict.fromkeys(forms)) for known, forms in alias_table()}
    for language in COUNTRY_LANGUAGES:
        for known, forms in country_names(language):
            entities.setdefault(known.key, (known.type, {}))[1].update(dict.fromkeys(forms))
    return [(key, kind, list(forms)) for key, (kind, forms) in entities.items() if forms]


def evaluate_name_pairs(vectors: Vectors | None = None, bars: Sequence[float] = BARS) -> dict:
    """The share of same-entity and of other-entity pairs at or above each bar."""
    if vectors is None:
        from newsdesk.enrich.crosslingual import embed_crosslingual

        vectors = embed_crosslingual
    entities = known_forms()
    names = sorted({name for _, _, forms in entities for name in forms})
    vector = dict(zip(names, vectors(names), strict=True))
    same = [
        float(vector[a] @ vector[b]) for _, _, forms in entities for a, b in itertools.combinations(forms, 2)
    ]
    rng = random.Random(SEED)
    other = []
    for _ in range(OTHER_PAIRS):
        (_, kind, forms), (_, kind2, forms2) = rng.sample(entities, 2)
        if kind == kind2:
            other.append(float(vector[rng.choice(forms)] @ vector[rng.choice(forms2)]))
    same_a, other_a = np.asarray(same), np.asarray(other)
    return {
        "entities": len(entities),
        "same_pairs": len(same),
        "other_pairs": len(other),
        "bars": [
            {"cosine": bar, "same": float((same_a >= bar).mean()), "other": float((other_a >= bar).mean())}
            for bar in bars
        ],
    }


def format_report(result: dict) -> str:
    """One line per bar: the share of pairs of one entity and of two that reach it."""
    lines = [
        f"{result['entities']} known entities: {result['same_pairs']} pairs of one entity's names, "
        f"{result['other_pairs']} of two entities' of one type",
        f"{'cosine':>7} {'one entity':>11} {'two':>7}",
    ]
    for row in result["bars"]:
        mark = "  <- MIN_COSINE" if row["cosine"] == MIN_COSINE else ""
        lines.append(f"{row['cosine']:7.2f} {row['same']:11.3f} {row['other']:7.4f}{mark}")
    return "\n".join(lines)
