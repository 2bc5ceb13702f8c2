"""The wire-copy detector's precision and recall on the labelled set of
``newsdesk.evaluation.copyset`` (``newsdesk eval copies``; see docs/copies.md).

A pair is found when the copy's signature, queried against an LSH index of every original of its
part (as the pipeline queries its index), returns the original at the containment bar.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from newsdesk.dedupe.copies import CopyIndex, Signature, signature
from newsdesk.evaluation.copyset import Pair, build_pairs
from newsdesk.evaluation.quotes import prf
from newsdesk.settings import CopySettings


@dataclass
class Scored:
    """A pair and the best containment the detector found between its texts (0: not a candidate)."""

    pair: Pair
    containment: float


def score_pairs(pairs: list[Pair], settings: CopySettings) -> tuple[list[Scored], dict]:
    """Index every original of the pairs, query each pair's other text, and keep the containment of
    the original when the LSH index returns it; with the signing and query cost."""
    by_part: dict[str, list[Pair]] = {}
    for pair in pairs:
        by_part.setdefault(pair.split, []).append(pair)
    loose = replace(settings, containment=0.0)
    scored: list[Scored] = []
    signatures: dict[str, Signature | None] = {}
    sign_time = query_time = 0.0
    queries = 0
    for part in sorted(by_part):
        index = CopyIndex(loose)
        keys: dict[str, int] = {}
        for pair in by_part[part]:
            for doc in (pair.original, pair.other):
                if doc.id not in signatures:
                    started = time.perf_counter()
                    signatures[doc.id] = signature(doc.body, settings)
                    sign_time += time.perf_counter() - started
            found = signatures[pair.original.id]
            if found is not None and pair.original.id not in keys:
                keys[pair.original.id] = len(keys) + 1
                index.add(keys[pair.original.id], found, None)
        for pair in by_part[part]:
            query = signatures[pair.other.id]
            key = keys.get(pair.original.id)
            value = 0.0
            if query is not None and key is not None:
                started = time.perf_counter()
                found = index.candidates(query)
                query_time += time.perf_counter() - started
                queries += 1
                value = found.get(key, (0.0, 0.0))[1]
            scored.append(Scored(pair, value))
    cost = {
        "sign_ms_per_article": round(1000 * sign_time / max(1, len(signatures)), 3),
        "query_ms_per_article": round(1000 * query_time / max(1, queries), 3),
        "indexed": sum(len(v) for v in by_part.values()),
    }
    return scored, cost


def metrics(scored: list[Scored], containment: float) -> dict:
    """Precision, recall and F1 of the copies found at a containment bar, with the counts."""
    found = [s.containment >= containment and s.containment > 0 for s in scored]
    tp = sum(1 for s, marked in zip(scored, found, strict=True) if marked and s.pair.copy)
    fp = sum(found) - tp
    fn = sum(1 for s in scored if s.pair.copy) - tp
    scores = {key: round(value, 4) for key, value in prf(tp, tp + fp, tp + fn).items()}
    return {**scores, "true_positives": tp, "false_positives": fp, "false_negatives": fn}


def _by_kind(scored: list[Scored], containment: float) -> dict[str, dict]:
    kinds: dict[str, list[Scored]] = {}
    for item in scored:
        kind = item.pair.kind.split(":")[0]
        kinds.setdefault(kind, []).append(item)
    out = {}
    for kind, items in sorted(kinds.items()):
        found = sum(1 for s in items if s.containment >= containment and s.containment > 0)
        out[kind] = {"pairs": len(items), "marked_copy": found, "copies": items[0].pair.copy}
    return out


def evaluate_copies(data: Path, settings: CopySettings | None = None, split: str = "test") -> dict:
    """Precision, recall and F1 of the copy detector on one part of the generated set
    (``train``, ``test`` or ``all``), with the counts per kind of pair and the cost."""
    settings = settings or CopySettings()
    pairs = [p for p in build_pairs(data) if split == "all" or p.split == split]
    scored, cost = score_pairs(pairs, settings)
    result = {
        "split": split,
        "pairs": len(pairs),
        "copies": sum(1 for p in pairs if p.copy),
        **metrics(scored, settings.containment),
        "by_kind": _by_kind(scored, settings.containment),
        "settings": {
            "shingle_words": settings.shingle_words,
            "permutations": settings.permutations,
            "candidate_jaccard": settings.candidate_jaccard,
            "containment": settings.containment,
            "min_shingles": settings.min_shingles,
        },
        "cost": cost,
    }
    return result


def format_report(result: dict) -> str:
    """The result as a few lines of text."""
    lines = [
        f"{result['split']}: {result['pairs']} pairs, {result['copies']} copies",
        f"precision {result['precision']:.4f}  recall {result['recall']:.4f}  F1 {result['f1']:.4f}  "
        f"(TP {result['true_positives']}, FP {result['false_positives']}, FN {result['false_negatives']})",
    ]
    for kind, counts in result["by_kind"].items():
        label = "copies" if counts["copies"] else "not copies"
        lines.append(f"  {kind:<40} {counts['marked_copy']:>5} of {counts['pairs']:>5} marked ({label})")
    cost = result["cost"]
    lines.append(
        f"cost: signing {cost['sign_ms_per_article']} ms per article, "
        f"query {cost['query_ms_per_article']} ms per article ({cost['indexed']} pairs)"
    )
    return "\n".join(lines)


def tune_copies(
    data: Path,
    shingle_words: tuple[int, ...] = (3, 4, 5, 6, 8),
    candidate_jaccard: tuple[float, ...] = (0.1, 0.2, 0.3),
    containment: tuple[float, ...] = (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7),
) -> list[dict]:
    """Precision, recall and F1 on the training part for each setting of the grid (how the
    defaults of ``[copies]`` were chosen; see docs/copies.md)."""
    pairs = [p for p in build_pairs(data) if p.split == "train"]
    rows = []
    for words in shingle_words:
        for jaccard in candidate_jaccard:
            settings = replace(CopySettings(), shingle_words=words, candidate_jaccard=jaccard)
            scored, cost = score_pairs(pairs, settings)
            for bar in containment:
                found = metrics(scored, bar)
                rows.append(
                    {
                        "shingle_words": words,
                        "candidate_jaccard": jaccard,
                        "containment": bar,
                        **{k: found[k] for k in ("precision", "recall", "f1")},
                        "query_ms_per_article": cost["query_ms_per_article"],
                    }
                )
    return rows
