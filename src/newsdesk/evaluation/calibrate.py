"""Choose the clusterer's constants on ECB+ train only.

Run ``python -m newsdesk.evaluation.calibrate [--data FILE]``. It clusters the
ECB+ train split (without time, as in the evaluation) for every combination of
the grid below and prints the best one; the winners are the defaults in
:class:`newsdesk.stories.clustering.Tuning`.

An online clusterer depends on the order articles arrive in, so each setting
is scored on the file order and on seeded shuffles of it, and the BCubed F1 is
averaged over orders and over neighbouring thresholds (a plateau beats a
spike). Two fallback thresholds are then chosen the same way: the
embedding-only one (used when a story has no article in the new article's
language, where shared words cannot be expected) by clustering with the lexical
part switched off, and the lexical-only one (articles without a usable
embedding) by clustering with embeddings switched off.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from newsdesk.evaluation.clustering import Record, cluster_records, embed_records, load_records
from newsdesk.evaluation.metrics import bcubed_scores
from newsdesk.stories.clustering import Tuning
from newsdesk.stories.text import FeatureWeights, term_counts

CAPITAL_BOOSTS = (4.0, 8.0)
MAX_CHARS = (600, 1200)
LEXICAL_WEIGHTS = (2.0, 3.0, 4.0)
SIZE_DISCOUNTS = (0.0, 0.1, 0.2)
THRESHOLD_OFFSETS = tuple(round(0.5 + 0.05 * i, 2) for i in range(13))  # threshold = offset + 0.25 * weight
LEXICAL_THRESHOLDS = tuple(round(0.10 + 0.025 * i, 3) for i in range(21))
SEMANTIC_THRESHOLDS = tuple(round(0.50 + 0.025 * i, 3) for i in range(17))
SHUFFLES = (1, 2)


def default_data() -> Path:
    """Where the ECB+ train/dev file is (``NEWSDESK_SHARED_DATA`` or ``../shared/data``)."""
    root = os.environ.get("NEWSDESK_SHARED_DATA")
    base = Path(root) if root else Path(__file__).resolve().parents[4] / "shared" / "data"
    return base / "ecbplus" / "ecbplus_traindev.jsonl.gz"


class _CachedFeatures:
    """Feature extraction memoised per record, so a grid run tokenises each text once."""

    def __init__(self) -> None:
        self._memo: dict[tuple[int, int, FeatureWeights], dict[int, float]] = {}

    def __call__(self, title: str | None, text: str | None, weights: FeatureWeights) -> dict[int, float]:
        key = (id(title), id(text), weights)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = term_counts(title, text, weights)
        return found


def _orders(size: int) -> list[list[int]]:
    orders = [list(range(size))]
    for seed in SHUFFLES:
        shuffled = list(range(size))
        random.Random(seed).shuffle(shuffled)
        orders.append(shuffled)
    return orders


def _score(
    records: list[Record],
    embeddings: np.ndarray | None,
    tuning: Tuning,
    orders: list[list[int]],
    features: _CachedFeatures,
) -> float:
    gold = [r.gold for r in records]
    total = 0.0
    for order in orders:
        predicted = cluster_records(
            records, embeddings, use_time=False, tuning=tuning, order=order, features=features
        )
        total += bcubed_scores(gold, predicted)["f1"]
    return total / len(orders)


def _smoothed(values: list[float]) -> list[float]:
    out = []
    for i in range(len(values)):
        window = values[max(0, i - 1) : i + 2]
        out.append(sum(window) / len(window))
    return out


def calibrate(path: Path, log=print) -> Tuning:  # noqa: ANN001
    """Grid-search the constants on the ``train`` split of ``path``; return the best tuning."""
    started = time.perf_counter()
    records = load_records(path, "cluster_id", split="train")
    log(f"ECB+ train: {len(records)} articles, {len({r.gold for r in records})} stories; embedding…")
    embeddings = embed_records(records)
    orders = _orders(len(records))
    features = _CachedFeatures()
    best: tuple[float, float, Tuning] | None = None
    for boost, chars, weight, discount in itertools.product(
        CAPITAL_BOOSTS, MAX_CHARS, LEXICAL_WEIGHTS, SIZE_DISCOUNTS
    ):
        base = Tuning(
            lexical_weight=weight,
            size_discount=discount,
            features=FeatureWeights(capital_boost=boost, max_chars=chars),
        )
        candidates = [replace(base, threshold=round(o + 0.25 * weight, 3)) for o in THRESHOLD_OFFSETS]
        raw = [_score(records, embeddings, t, orders, features) for t in candidates]
        smooth = _smoothed(raw)
        index = int(np.argmax(smooth))
        log(
            f"capital×{boost:g} chars {chars} weight {weight:g} discount {discount:g}: "
            f"threshold {candidates[index].threshold:.3f} F1 {raw[index]:.4f} (smoothed {smooth[index]:.4f})"
        )
        if best is None or smooth[index] > best[0]:
            best = (smooth[index], raw[index], candidates[index])
    assert best is not None
    chosen = best[2]
    raw = []
    for value in SEMANTIC_THRESHOLDS:
        semantic_only = replace(chosen, threshold=value, lexical_weight=0.0, size_discount=0.0)
        raw.append(_score(records, embeddings, semantic_only, orders, features))
    smooth = _smoothed(raw)
    index = int(np.argmax(smooth))
    chosen = replace(chosen, semantic_threshold=SEMANTIC_THRESHOLDS[index])
    log(f"embedding only: threshold {chosen.semantic_threshold:.3f} F1 {raw[index]:.4f}")
    raw = []
    for value in LEXICAL_THRESHOLDS:
        raw.append(_score(records, None, replace(chosen, lexical_threshold=value), orders, features))
    smooth = _smoothed(raw)
    index = int(np.argmax(smooth))
    chosen = replace(chosen, lexical_threshold=LEXICAL_THRESHOLDS[index])
    log(f"lexical only: threshold {chosen.lexical_threshold:.3f} F1 {raw[index]:.4f}")
    log(f"done in {time.perf_counter() - started:.0f} s")
    return chosen


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m newsdesk.evaluation.calibrate", description=__doc__)
    parser.add_argument("--data", type=Path, default=default_data(), help="ECB+ train/dev JSON Lines file")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"{args.data}: not found (set NEWSDESK_SHARED_DATA or pass --data)", file=sys.stderr)
        return 2
    chosen = calibrate(args.data)
    f = chosen.features
    print("\nchosen (ECB+ train only):")
    print(f"  threshold          {chosen.threshold:.3f}")
    print(f"  lexical_weight     {chosen.lexical_weight:g}")
    print(f"  size_discount      {chosen.size_discount:g}")
    print(f"  semantic_threshold {chosen.semantic_threshold:.3f}")
    print(f"  lexical_threshold  {chosen.lexical_threshold:.3f}")
    print(f"  capital_boost      {f.capital_boost:g}")
    print(f"  max_chars          {f.max_chars}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
