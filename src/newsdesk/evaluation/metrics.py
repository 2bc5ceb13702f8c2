"""Clustering metrics: pairwise and BCubed precision/recall/F1, NMI and ARI.

All functions take two equally long label sequences (gold, predicted); labels
may be any hashable values. Pairwise and BCubed are computed from the
contingency table, so they cost O(N) rather than O(N²).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def _tables(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> tuple[Counter, Counter, Counter]:
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted labels differ in length")
    cells = Counter(zip(gold, predicted, strict=True))
    gold_sizes = Counter(gold)
    pred_sizes = Counter(predicted)
    return cells, gold_sizes, pred_sizes


def pairwise_scores(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> dict[str, float]:
    """Precision, recall and F1 over all pairs of items put in one cluster.

    With no predicted pair, precision is 1.0; with no gold pair, recall is 1.0.
    """
    cells, gold_sizes, pred_sizes = _tables(gold, predicted)

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    together = sum(pairs(n) for n in cells.values())
    predicted_pairs = sum(pairs(n) for n in pred_sizes.values())
    gold_pairs = sum(pairs(n) for n in gold_sizes.values())
    precision = together / predicted_pairs if predicted_pairs else 1.0
    recall = together / gold_pairs if gold_pairs else 1.0
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall)}


def bcubed_scores(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> dict[str, float]:
    """BCubed precision, recall and F1 (Bagga & Baldwin), averaged over items."""
    cells, gold_sizes, pred_sizes = _tables(gold, predicted)
    n = len(gold)
    if n == 0:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    precision = sum(c * c / pred_sizes[p] for (_, p), c in cells.items()) / n
    recall = sum(c * c / gold_sizes[g] for (g, _), c in cells.items()) / n
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall)}


def _codes(labels: Sequence[Hashable]) -> list[int]:
    index: dict[Hashable, int] = {}
    return [index.setdefault(label, len(index)) for label in labels]


def nmi(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """Normalised mutual information (arithmetic mean normalisation)."""
    from sklearn.metrics import normalized_mutual_info_score

    return float(normalized_mutual_info_score(_codes(gold), _codes(predicted)))


def ari(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """Adjusted Rand index."""
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(_codes(gold), _codes(predicted)))


def all_scores(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> dict[str, object]:
    """Every clustering score at once, as the evaluation report lists them."""
    return {
        "pairwise": pairwise_scores(gold, predicted),
        "bcubed": bcubed_scores(gold, predicted),
        "nmi": nmi(gold, predicted),
        "ari": ari(gold, predicted),
    }
