"""Training the name typer (``name_types``) from NER sets in the ``ner/`` format.

Examples: every gold mention (PER, ORG, LOC, and MISC where the line's ``label_set`` has it),
and every capitalised run the rules find (``fallback``) that overlaps no gold mention, as NONE.
The model is a multinomial logistic regression (scikit-learn), saved as its weights alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from newsdesk.enrich.entities.fallback import CAPITALISED, fallback_mentions
from newsdesk.enrich.entities.name_types import CLASSES, NameTyper, features
from newsdesk.enrich.entities.training.train import read_records

SEED = 20240601


def examples(
    records: Iterable[Mapping], weights: Mapping[str, int] | None = None
) -> tuple[np.ndarray, list[str]]:
    """Feature rows and their classes for ``records`` (each source counted ``weights[source]`` times)."""
    rows: list[np.ndarray] = []
    classes: list[str] = []
    for record in records:
        times = (weights or {}).get(record.get("source", ""), 1)
        if not times:
            continue
        text = record["text"]
        annotated = set(record.get("label_set") or CLASSES[:4])
        gold = {
            (e["start"], e["end"]): e["label"] for e in record.get("entities", []) if e["label"] in annotated
        }
        spans = dict(gold)
        for m in fallback_mentions(text, record.get("lang")):
            if m.label == CAPITALISED and not any(s < m.end and m.start < e for s, e in spans):
                spans[(m.start, m.end)] = "NONE"
        if not spans:
            continue
        found = features(text, list(spans))
        for _ in range(times):
            rows.append(found)
            classes.extend(spans.values())
    return (np.vstack(rows) if rows else np.zeros((0, 0))), classes


def train_typer(
    paths: Sequence[Path], weights: Mapping[str, int] | None = None, strength: float = 0.1
) -> tuple[NameTyper, list[str]]:
    """A typer fitted on the NER sets at ``paths``, and the class of each example; ``strength``
    is the inverse L2 penalty (C)."""
    from sklearn.linear_model import LogisticRegression

    rows, classes = examples(read_records(paths), weights)
    if not classes:
        raise ValueError("no mentions in the training files")
    fitted = LogisticRegression(C=strength, max_iter=2000, random_state=SEED)
    fitted.fit(rows, classes)
    weights, intercepts = fitted.coef_, fitted.intercept_
    if len(fitted.classes_) == 2:  # one row for the second class: softmax over ±half of it
        weights, intercepts = (
            np.vstack([-weights / 2, weights / 2]),
            np.array([-intercepts[0] / 2, intercepts[0] / 2]),
        )
    order = [list(fitted.classes_).index(c) for c in CLASSES if c in fitted.classes_]
    typer = NameTyper(
        tuple(str(fitted.classes_[i]) for i in order),
        weights[order].astype(np.float32),
        intercepts[order].astype(np.float32),
    )
    return typer, classes
