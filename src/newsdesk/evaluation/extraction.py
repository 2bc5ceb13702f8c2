"""Body-extraction evaluation on the Article Extraction Benchmark.

The metric is the benchmark's own (scrapinghub/article-extraction-benchmark):
texts are tokenised with the Unicode regex ``\\w+``, turned into multisets of
4-token shingles, and compared per document. TP/FP/FN are normalised by their
sum so that every document weighs the same; precision and recall are averaged
over documents (macro) and F1 is the harmonic mean of the two averages.
"accuracy" is the share of documents whose token sequence matches exactly.

Run it with ``python -m newsdesk.evaluation.extraction DIR [--json] [--baseline]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from newsdesk.models import RawPage

SHINGLE_SIZE = 4
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)

Progress = Callable[[int, int], None]


def tokenize(text: str | None) -> list[str]:
    """Split a text into ``\\w+`` tokens (Unicode word characters)."""
    return _TOKEN_RE.findall(text or "")


def shingles(text: str | None, n: int = SHINGLE_SIZE) -> Counter[str]:
    """Multiset of ``n``-token shingles; a text shorter than ``n`` tokens is one shingle."""
    tokens = tokenize(text)
    counts: Counter[str] = Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        shingle = " ".join(tokens[i : i + n])
        if shingle:
            counts[shingle] += 1
    return counts


def shingle_match(gold: str | None, pred: str | None, n: int = SHINGLE_SIZE) -> tuple[float, float, float]:
    """Normalised (TP, FP, FN) of one document, summing to 1 unless both texts are empty."""
    gold_counts = shingles(gold, n)
    pred_counts = shingles(pred, n)
    tp = fp = fn = 0
    for key in gold_counts.keys() | pred_counts.keys():
        g = gold_counts.get(key, 0)
        p = pred_counts.get(key, 0)
        tp += min(g, p)
        fp += max(0, p - g)
        fn += max(0, g - p)
    total = tp + fp + fn
    if total == 0:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def document_precision(tp: float, fp: float, fn: float) -> float:
    """Precision of one document: 1.0 when nothing is wrong (FP = FN = 0)."""
    if fp == 0 and fn == 0:
        return 1.0
    if tp + fp == 0:
        return 0.0
    return tp / (tp + fp)


def document_recall(tp: float, fp: float, fn: float) -> float:
    """Recall of one document: 1.0 when nothing is wrong (FP = FN = 0)."""
    if fp == 0 and fn == 0:
        return 1.0
    if tp + fn == 0:
        return 0.0
    return tp / (tp + fn)


def score_pairs(pairs: Iterable[tuple[str | None, str | None]]) -> dict:
    """Score (gold, predicted) text pairs: documents, precision, recall, f1, accuracy."""
    precisions: list[float] = []
    recalls: list[float] = []
    exact = 0
    for gold, pred in pairs:
        tp, fp, fn = shingle_match(gold, pred)
        precisions.append(document_precision(tp, fp, fn))
        recalls.append(document_recall(tp, fp, fn))
        exact += tokenize(gold) == tokenize(pred)
    count = len(precisions)
    if count == 0:
        return {"documents": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0, "accuracy": 0.0}
    precision = sum(precisions) / count
    recall = sum(recalls) / count
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "documents": count,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "accuracy": exact / count,
    }


def score_predictions(pred: dict[str, str], gold: dict[str, str]) -> dict:
    """Score predicted bodies against gold bodies, both keyed by document id.

    Every gold document counts; a missing prediction counts as an empty text.
    """
    return score_pairs((gold[key], pred.get(key) or "") for key in sorted(gold))


def load_gold(folder: Path) -> dict[str, dict]:
    """Read ``ground-truth.json``: ``{id: {"articleBody": ..., "url": ...}}``."""
    with open(folder / "ground-truth.json", encoding="utf-8") as handle:
        return json.load(handle)


def load_html(folder: Path, doc_id: str) -> str:
    """Read one benchmark page (``html/<id>.html.gz``, UTF-8)."""
    with gzip.open(folder / "html" / f"{doc_id}.html.gz", "rt", encoding="utf-8", errors="replace") as handle:
        return handle.read()


def newsdesk_body(page: RawPage) -> str:
    """The body text newsdesk extracts from a page; empty when extraction fails."""
    from newsdesk.extract import ExtractionError, extract_page

    try:
        return extract_page(page).text
    except ExtractionError:
        return ""


def trafilatura_body(page: RawPage) -> str:
    """Plain trafilatura with its default options, as a baseline."""
    import trafilatura

    return trafilatura.extract(page.html, url=page.url) or ""


def trafilatura_no_comments_body(page: RawPage) -> str:
    """Trafilatura with default options but reader comments left out, as a second baseline."""
    import trafilatura

    return trafilatura.extract(page.html, url=page.url, include_comments=False) or ""


BASELINES: dict[str, Callable[[RawPage], str]] = {
    "trafilatura": trafilatura_body,
    "trafilatura (no comments)": trafilatura_no_comments_body,
}


def evaluate_extraction(
    folder: Path,
    progress: Progress | None = None,
    extractor: Callable[[RawPage], str] = newsdesk_body,
) -> dict:
    """Extract every benchmark page in ``folder`` and score the bodies.

    Returns documents, precision, recall, f1, accuracy, seconds (extraction only)
    and per_document_ms. ``progress(done, total)`` is called after each page.
    """
    folder = Path(folder)
    gold = load_gold(folder)
    ids = sorted(gold)
    pred: dict[str, str] = {}
    seconds = 0.0
    for done, doc_id in enumerate(ids, start=1):
        page = RawPage(url=gold[doc_id].get("url") or "", html=load_html(folder, doc_id))
        start = time.perf_counter()
        pred[doc_id] = extractor(page)
        seconds += time.perf_counter() - start
        if progress is not None:
            progress(done, len(ids))
    result = score_predictions(pred, {key: value.get("articleBody") or "" for key, value in gold.items()})
    result["seconds"] = seconds
    result["per_document_ms"] = 1000 * seconds / len(ids) if ids else 0.0
    return result


def format_result(name: str, result: dict) -> str:
    """One human-readable line of scores."""
    return (
        f"{name}: {result['documents']} documents  P {result['precision']:.3f}  R {result['recall']:.3f}"
        f"  F1 {result['f1']:.3f}  accuracy {result['accuracy']:.3f}"
        f"  {result['per_document_ms']:.1f} ms/page"
    )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: score newsdesk (and optionally plain trafilatura) on DIR."""
    parser = argparse.ArgumentParser(prog="python -m newsdesk.evaluation.extraction")
    parser.add_argument("folder", type=Path, help="article-extraction-benchmark folder")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--baseline", action="store_true", help="also score plain trafilatura")
    args = parser.parse_args(argv)
    if not (args.folder / "ground-truth.json").is_file():
        parser.error(f"{args.folder} has no ground-truth.json")
    results = {"newsdesk": evaluate_extraction(args.folder)}
    if args.baseline:
        for name, extractor in BASELINES.items():
            results[name] = evaluate_extraction(args.folder, extractor=extractor)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for name, result in results.items():
            print(format_result(name, result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
