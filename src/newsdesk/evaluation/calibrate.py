"""Choose the clusterer's constants on ECB+ train only.

Run ``python -m newsdesk.evaluation.calibrate [--data FILE]``. It clusters the
ECB+ train split (without time, as in the evaluation) for every combination of
the grid below and prints the best one; the winners are the defaults in
:class:`newsdesk.stories.clustering.Tuning`.

An online clusterer depends on the order articles arrive in, so each setting
is scored on the file order and on seeded shuffles of it, and the BCubed F1 is
averaged over orders and over neighbouring thresholds (a plateau beats a
spike). A second stage adds the lede term (headline and start of the lead,
every word alike) to the shipped lexical constants (capital boost 8, 600
characters, lexical weight 4; see docs/evaluation-clustering.md for why not the
grid's best) and chooses its weight and the main threshold over six orders
(``--lede-only`` runs only this stage). Two fallback thresholds are then chosen the same way: the
embedding-only one (used when a story has no article in the new article's
language, where shared words cannot be expected) by clustering with the lexical
part switched off, and the lexical-only one (articles without a usable
embedding) by clustering with embeddings switched off.

``--crosslingual`` chooses the constants of the cross-lingual vector instead: its bar and
the weight of the best rival story's cosine, then the floor of its cosine on the
lexical-only path, then the weight and centre of the embedding's cosine added to its score
(``--keep-bar``: only these two, on the shipped bar, rival weight and floor). ECB+ is
English only, so they are chosen on the training halves (by gold group, see
:func:`newsdesk.evaluation.clustering.group_split`) of the WMT multi-way documents and
the Wikipedia "In the news" blurbs, the mean BCubed F1 of the two over three orders,
smoothed. The mean the cross-lingual vectors are centred on is that of the ITN
training half, short texts in 55 languages (``--write-centre`` writes it to
``enrich/e5_centre.json`` first); each language's offset from it is the shrunk mean over
both training halves (``--write-offsets`` writes them to ``stories/e5_language_centres.json``
before the constants are chosen). Vectors are read from the evaluation cache
(:mod:`newsdesk.evaluation.vector_cache`).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from newsdesk.evaluation.clustering import Record, cluster_records, embed_records, load_records
from newsdesk.evaluation.metrics import bcubed_scores
from newsdesk.evaluation.vector_cache import VectorCache
from newsdesk.stories.clustering import Tuning
from newsdesk.stories.language_centres import CENTRES_FILE, language_offsets, write_offsets
from newsdesk.stories.text import FeatureWeights, term_counts
from newsdesk.stories.vectors import split_embedding

CAPITAL_BOOSTS = (4.0, 8.0)
MAX_CHARS = (600, 1200)
LEXICAL_WEIGHTS = (2.0, 3.0, 4.0)
SIZE_DISCOUNTS = (0.0, 0.1, 0.2)
THRESHOLD_OFFSETS = tuple(round(0.5 + 0.05 * i, 2) for i in range(13))  # threshold = offset + 0.25 * weight
LEXICAL_THRESHOLDS = tuple(round(0.10 + 0.025 * i, 3) for i in range(21))
SEMANTIC_THRESHOLDS = tuple(round(0.50 + 0.025 * i, 3) for i in range(17))
SHUFFLES = (1, 2)
LEDE_WEIGHTS = (0.0, 1.0, 1.5, 2.0)
LEDE_THRESHOLD_OFFSETS = tuple(round(1.45 + 0.05 * i, 2) for i in range(15))  # + 0.35 * lede weight
LEDE_SHUFFLES = (1, 2, 3, 4, 5)
# ECB+ train does not separate the lede weights (docs/evaluation-clustering.md);
# the smallest non-zero one is shipped.
SHIPPED_LEDE_WEIGHT = 1.0
QUOTE_WORDS = 7
CROSSLINGUAL_THRESHOLDS = tuple(round(0.15 + 0.025 * i, 3) for i in range(15))
CROSSLINGUAL_RIVALS = (0.0, 0.25, 0.5)
LEXICAL_CROSSLINGUAL_FLOORS = tuple(round(-0.1 + 0.05 * i, 2) for i in range(9))
CROSSLINGUAL_EMBEDDING_WEIGHTS = (0.25, 0.5, 0.75, 1.0)
CROSSLINGUAL_EMBEDDING_CENTRES = tuple(round(0.35 + 0.05 * i, 2) for i in range(8))
QUOTE_THRESHOLDS = tuple(round(0.4 + 0.1 * i, 1) for i in range(21))


def shared_data() -> Path:
    """The evaluation sets' folder (``NEWSDESK_SHARED_DATA`` or ``../shared/data``)."""
    root = os.environ.get("NEWSDESK_SHARED_DATA")
    return Path(root) if root else Path(__file__).resolve().parents[4] / "shared" / "data"


def default_data() -> Path:
    """Where the ECB+ train/dev file is."""
    return shared_data() / "ecbplus" / "ecbplus_traindev.jsonl.gz"


# The multilingual sets the cross-lingual bar is chosen on (their training halves), with their gold
# field; the last one's also gives the centre of the cross-lingual vectors.
CROSSLINGUAL_SETS = (
    ("wmt-newstest-multiway/wmt_newstest_docs.jsonl.gz", "group_id"),
    ("wikipedia-itn-blurbs/itn_blurbs.jsonl.gz", "group_id"),
)


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


def _orders(size: int, shuffles: tuple[int, ...] = SHUFFLES) -> list[list[int]]:
    orders = [list(range(size))]
    for seed in shuffles:
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


def _best_threshold(
    records: list[Record],
    embeddings: np.ndarray | None,
    candidates: list[Tuning],
    orders: list[list[int]],
    features: _CachedFeatures,
    strictest: bool = False,
) -> tuple[int, list[float], list[float]]:
    """Index of the best candidate by smoothed F1 (on a tie the first, or the last if ``strictest``)."""
    raw = [_score(records, embeddings, t, orders, features) for t in candidates]
    smooth = _smoothed(raw)
    rounded = [round(value, 6) for value in smooth]
    best = max(rounded)
    ties = [i for i, value in enumerate(rounded) if value == best]
    return (ties[-1] if strictest else ties[0]), raw, smooth


def _lexical_grid(
    records: list[Record],
    embeddings: np.ndarray,
    features: _CachedFeatures,
    log,  # noqa: ANN001
) -> Tuning:
    """Stage one: capital boost, body characters, lexical weight, size discount, threshold."""
    orders = _orders(len(records))
    best: tuple[float, float, Tuning] | None = None
    for boost, chars, weight, discount in itertools.product(
        CAPITAL_BOOSTS, MAX_CHARS, LEXICAL_WEIGHTS, SIZE_DISCOUNTS
    ):
        base = Tuning(
            lede_weight=0.0,
            quote_threshold=None,
            lexical_weight=weight,
            size_discount=discount,
            features=FeatureWeights(capital_boost=boost, max_chars=chars),
        )
        candidates = [replace(base, threshold=round(o + 0.25 * weight, 3)) for o in THRESHOLD_OFFSETS]
        index, raw, smooth = _best_threshold(records, embeddings, candidates, orders, features)
        log(
            f"capital×{boost:g} chars {chars} weight {weight:g} discount {discount:g}: "
            f"threshold {candidates[index].threshold:.3f} F1 {raw[index]:.4f} (smoothed {smooth[index]:.4f})"
        )
        if best is None or smooth[index] > best[0]:
            best = (smooth[index], raw[index], candidates[index])
    assert best is not None
    return best[2]


def _lede_stage(
    records: list[Record],
    embeddings: np.ndarray,
    features: _CachedFeatures,
    log,  # noqa: ANN001
) -> Tuning:
    """Stage two: the main threshold for each lede weight, on the shipped lexical constants.

    Returns the tuning of :data:`SHIPPED_LEDE_WEIGHT` with its best threshold; the grid's
    overall best is logged beside it (docs/evaluation-clustering.md says why they differ)."""
    orders = _orders(len(records), LEDE_SHUFFLES)
    results: dict[float, tuple[float, Tuning]] = {}
    for weight in LEDE_WEIGHTS:
        candidates = [
            replace(
                Tuning(), lede_weight=weight, threshold=round(offset + 0.35 * weight, 3), quote_threshold=None
            )
            for offset in LEDE_THRESHOLD_OFFSETS
        ]
        index, raw, smooth = _best_threshold(records, embeddings, candidates, orders, features)
        log(
            f"lede weight {weight:g}: threshold {candidates[index].threshold:.3f} "
            f"F1 {raw[index]:.4f} (smoothed {smooth[index]:.4f})"
        )
        results[weight] = (smooth[index], candidates[index])
    best = max(results, key=lambda weight: results[weight][0])
    log(f"grid's best: lede weight {best:g}; shipped: lede weight {SHIPPED_LEDE_WEIGHT:g}")
    # Without a lede to compare (another language), the bar is the one chosen for weight 0.
    return replace(results[SHIPPED_LEDE_WEIGHT][1], plain_threshold=results[0.0][1].threshold)


def _quote_stage(
    records: list[Record],
    embeddings: np.ndarray,
    features: _CachedFeatures,
    chosen: Tuning,
    log,  # noqa: ANN001
) -> Tuning:
    """Stage three: the bar for a story that quotes the same words as the article.

    Like the fallbacks, it is chosen with its path as the only way into a story
    (the main threshold out of reach); on a plateau the strictest bar wins."""
    orders = _orders(len(records), LEDE_SHUFFLES)
    quote_only = replace(chosen, threshold=math.inf, quote_words=QUOTE_WORDS)
    candidates = [replace(quote_only, quote_threshold=value) for value in QUOTE_THRESHOLDS]
    index, raw, smooth = _best_threshold(records, embeddings, candidates, orders, features, strictest=True)
    log(
        "quote path alone: "
        + " ".join(f"{value:.1f}:{f1:.4f}" for value, f1 in zip(QUOTE_THRESHOLDS, raw, strict=True))
    )
    log(
        f"quote path: threshold {QUOTE_THRESHOLDS[index]:.1f} "
        f"F1 {raw[index]:.4f} (smoothed {smooth[index]:.4f})"
    )
    return replace(chosen, quote_threshold=QUOTE_THRESHOLDS[index], quote_words=QUOTE_WORDS)


def crosslingual_stage(
    sets: list[tuple[list[Record], np.ndarray]],
    log,  # noqa: ANN001
    keep_bar: bool = False,
) -> Tuning:
    """The cross-lingual bar for each weight of the best rival's cosine (the weight whose bar
    scores best), then the floor of the cross-lingual cosine on the lexical-only path, then the
    weight and centre of the embedding's cosine on the cross-lingual path (none unless one beats
    the floor's score; with ``keep_bar``, only that, on the shipped constants): each the best
    mean BCubed F1 over ``sets`` (records and their vectors, the cross-lingual vector after
    each embedding), three orders each, smoothed."""
    features = _CachedFeatures()
    orders = [_orders(len(records)) for records, _ in sets]

    def chosen(candidates: list[Tuning], values: tuple[float, ...], name: str) -> tuple[int, float]:
        per_set = [
            [_score(records, embeddings, t, order, features) for t in candidates]
            for (records, embeddings), order in zip(sets, orders, strict=True)
        ]
        raw = [float(np.mean(values)) for values in zip(*per_set, strict=True)]
        smooth = _smoothed(raw)
        index = int(np.argmax(smooth))
        log(f"{name}: " + " ".join(f"{value:.3f}:{f1:.4f}" for value, f1 in zip(values, raw, strict=True)))
        log(f"{name}: {values[index]:.3f} F1 {raw[index]:.4f} (smoothed {smooth[index]:.4f})")
        return index, smooth[index]

    if keep_bar:
        # The shipped bar, rival weight and floor; only the embedding's weight and centre.
        shipped = replace(Tuning(), crosslingual_embedding_weight=0.0)
        bar = shipped.crosslingual_threshold or 0.0
        return _embedding_stage(shipped, chosen([shipped], (bar,), "without the embedding, bar")[1], chosen)
    best: tuple[float, Tuning] | None = None
    for weight in CROSSLINGUAL_RIVALS:
        bars = [
            Tuning(crosslingual_threshold=value, crosslingual_rival=weight, crosslingual_embedding_weight=0.0)
            for value in CROSSLINGUAL_THRESHOLDS
        ]
        index, smooth = chosen(bars, CROSSLINGUAL_THRESHOLDS, f"cross-lingual bar, rival weight {weight:g}")
        if best is None or smooth > best[0]:
            best = (smooth, bars[index])
    assert best is not None
    floors = [replace(best[1], lexical_crosslingual_floor=value) for value in LEXICAL_CROSSLINGUAL_FLOORS]
    index, smooth = chosen(floors, LEXICAL_CROSSLINGUAL_FLOORS, "lexical path's cross-lingual floor")
    return _embedding_stage(floors[index], smooth, chosen)


def _embedding_stage(base: Tuning, score: float, chosen) -> Tuning:  # noqa: ANN001
    """``base`` with the weight and centre of the embedding's cosine on the cross-lingual path that
    score best, smoothed over neighbouring centres; ``base`` itself (weight 0) unless one beats
    its ``score``."""
    best = (score, base)
    for weight in CROSSLINGUAL_EMBEDDING_WEIGHTS:
        blends = [
            replace(base, crosslingual_embedding_weight=weight, crosslingual_embedding_centre=value)
            for value in CROSSLINGUAL_EMBEDDING_CENTRES
        ]
        index, smooth = chosen(
            blends, CROSSLINGUAL_EMBEDDING_CENTRES, f"embedding's centre, weight {weight:g}"
        )
        if smooth > best[0]:
            best = (smooth, blends[index])
    return best[1]


def calibrate_crosslingual(
    folder: Path,
    write_centre: bool = False,
    log=print,  # noqa: ANN001
    write_offsets_too: bool = False,
    keep_bar: bool = False,
) -> Tuning:
    """Choose the cross-lingual bar on the training halves of the multilingual sets in ``folder``
    (with ``write_centre``, first writing the mean of the ITN half's cross-lingual vectors as the
    centre; with ``write_offsets_too``, each language's offset from it over both halves; with
    ``keep_bar``, only the embedding's weight and centre, on the shipped bar, rival and floor)."""
    from newsdesk.enrich import crosslingual

    started = time.perf_counter()
    parts = [load_records(folder / name, gold, split="train") for name, gold in CROSSLINGUAL_SETS]
    cache = VectorCache()
    if write_centre:
        texts = [crosslingual.crosslingual_input(r.title, r.text) for r in parts[-1]]
        centre = crosslingual.embed_crosslingual(texts, centred=False).mean(axis=0)
        crosslingual.CENTRE_FILE.write_text(json.dumps([round(float(x), 6) for x in centre]), "utf-8")
        crosslingual.reload_centre()
        log(f"centre of {len(texts)} training texts written to {crosslingual.CENTRE_FILE}")
    for (name, _), part in zip(CROSSLINGUAL_SETS, parts, strict=True):
        log(f"{name} train: {len(part)} texts, {len({r.gold for r in part})} groups; embedding…")
    sets = [(part, embed_records(part, cache=cache)) for part in parts]
    if write_offsets_too:
        offsets = language_offsets(
            (record.language, split_embedding(vector)[1])
            for part, vectors in sets
            for record, vector in zip(part, vectors, strict=True)
        )
        write_offsets(offsets)
        log(f"offsets of {len(offsets)} languages written to {CENTRES_FILE}")
    chosen = crosslingual_stage(sets, log, keep_bar)
    cache.close()
    log(f"done in {time.perf_counter() - started:.0f} s")
    return chosen


def calibrate(path: Path, log=print, lede_only: bool = False) -> Tuning:  # noqa: ANN001
    """Grid-search the constants on the ``train`` split of ``path``; return the chosen tuning."""
    started = time.perf_counter()
    records = load_records(path, "cluster_id", split="train")
    log(f"ECB+ train: {len(records)} articles, {len({r.gold for r in records})} stories; embedding…")
    cache = VectorCache()
    embeddings = embed_records(records, cache=cache)
    cache.close()
    features = _CachedFeatures()
    if not lede_only:
        _lexical_grid(records, embeddings, features, log)
    chosen = _lede_stage(records, embeddings, features, log)
    chosen = _quote_stage(records, embeddings, features, chosen, log)
    orders = _orders(len(records))
    raw = []
    for value in SEMANTIC_THRESHOLDS:
        semantic_only = replace(
            chosen,
            threshold=value,
            lexical_weight=0.0,
            lede_weight=0.0,
            size_discount=0.0,
            quote_threshold=None,
        )
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
    parser.add_argument("--lede-only", action="store_true", help="run only the lede stage and the fallbacks")
    parser.add_argument(
        "--crosslingual",
        action="store_true",
        help="choose only the cross-lingual bar (WMT and ITN train halves)",
    )
    parser.add_argument(
        "--write-centre", action="store_true", help="with --crosslingual: first write the vectors' centre"
    )
    parser.add_argument(
        "--write-offsets",
        action="store_true",
        help="with --crosslingual: first write each language's offset (stories/e5_language_centres.json)",
    )
    parser.add_argument(
        "--keep-bar",
        action="store_true",
        help="with --crosslingual: keep the shipped bar, rival weight and floor; choose only the "
        "embedding's weight and centre on the cross-lingual path",
    )
    args = parser.parse_args(argv)
    if args.crosslingual:
        tuned = calibrate_crosslingual(
            shared_data(), args.write_centre, write_offsets_too=args.write_offsets, keep_bar=args.keep_bar
        )
        print(
            f"\nchosen (WMT and ITN train halves): crosslingual_threshold {tuned.crosslingual_threshold:.3f}"
            f", crosslingual_rival {tuned.crosslingual_rival:g}"
            f", lexical_crosslingual_floor {tuned.lexical_crosslingual_floor:.3f}"
            f", crosslingual_embedding_weight {tuned.crosslingual_embedding_weight:g}"
            f", crosslingual_embedding_centre {tuned.crosslingual_embedding_centre:.2f}"
        )
        return 0
    if not args.data.exists():
        print(f"{args.data}: not found (set NEWSDESK_SHARED_DATA or pass --data)", file=sys.stderr)
        return 2
    chosen = calibrate(args.data, lede_only=args.lede_only)
    f = chosen.features
    print("\nchosen (ECB+ train only, lede weight as shipped):")
    print(f"  threshold          {chosen.threshold:.3f}")
    print(f"  lexical_weight     {chosen.lexical_weight:g}")
    print(f"  lede_weight        {chosen.lede_weight:g}")
    print(f"  plain_threshold    {chosen.plain_threshold:.3f}")
    print(f"  quote_threshold    {chosen.quote_threshold} ({chosen.quote_words} words)")
    print(f"  size_discount      {chosen.size_discount:g}")
    print(f"  semantic_threshold {chosen.semantic_threshold:.3f}")
    print(f"  lexical_threshold  {chosen.lexical_threshold:.3f}")
    print(f"  capital_boost      {f.capital_boost:g}")
    print(f"  max_chars          {f.max_chars}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
