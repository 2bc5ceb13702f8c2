"""Pipeline throughput over real news pages, with plain trafilatura as the baseline.

    python -m benchmarks.pipeline [--data ../shared/data/article-extraction-benchmark] [--max-chars N]
        [--no-crosslingual]

Runs, in one invocation: the baseline (plain ``trafilatura.extract``), newsdesk's
extraction, enrichment (language, reading time, embeddings), the entities, quotes
and keywords enrichment, clustering + storing (with entity linking) into a fresh
SQLite store, and the whole offline pipeline end to end (raw pages saved as
``fetch`` saves them, then processed) with entities on and off. Prints articles/s
per stage, the ratio to the baseline, peak RSS and body F1 against the benchmark's
ground truth.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from newsdesk.enrich import annotate, enrich
from newsdesk.enrich.entities.recognise import load_models
from newsdesk.evaluation.extraction import score_predictions
from newsdesk.extract import ExtractionError, extract_page
from newsdesk.models import Extracted, RawPage
from newsdesk.pipeline.process import (
    Prepared,
    ProcessStats,
    commit_batch,
    load_clusterer,
    process_pending,
)
from newsdesk.settings import load_settings
from newsdesk.store import Store
from newsdesk.store import pages as page_store

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "article-extraction-benchmark"


def load_pages(folder: Path) -> tuple[list[RawPage], dict[str, str]]:
    """The benchmark's pages (with their real URLs) and the gold bodies by page id."""
    truth = json.loads((folder / "ground-truth.json").read_text("utf-8"))
    pages, gold = [], {}
    now = datetime.now(UTC)
    for key in sorted(truth):
        html = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
        pages.append(RawPage(url=truth[key]["url"], html=html, collected=now))
        gold[truth[key]["url"]] = truth[key]["articleBody"]
    return pages, gold


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def baseline_extract(pages: list[RawPage]) -> dict[str, str]:
    import trafilatura

    return {p.url: trafilatura.extract(p.html, url=p.url) or "" for p in pages}


def newsdesk_extract(pages: list[RawPage]) -> list[tuple[RawPage, Extracted | None]]:
    out: list[tuple[RawPage, Extracted | None]] = []
    for page in pages:
        try:
            out.append((page, extract_page(page)))
        except ExtractionError:
            out.append((page, None))
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    parser.add_argument(
        "--max-chars", type=int, default=None, help="characters the entity models read (default: the setting)"
    )
    parser.add_argument(
        "--no-crosslingual",
        action="store_true",
        help="without the cross-lingual vectors ([cluster] crosslingual)",
    )
    args = parser.parse_args(argv)
    console = Console(width=150)
    if not (args.data / "ground-truth.json").exists():
        console.print(
            f"[red]{args.data}: no ground-truth.json (article-extraction-benchmark folder expected)"
        )
        return 2
    pages, gold = load_pages(args.data)
    n = len(pages)
    console.print(f"{n} pages from {args.data}")

    settings = load_settings()
    if args.max_chars is not None:
        settings = replace(settings, entities=replace(settings.entities, max_chars=args.max_chars))
    if args.no_crosslingual:
        settings = replace(settings, cluster=replace(settings.cluster, crosslingual=False))
    crosslingual = settings.cluster.crosslingual
    entities_off = replace(settings, entities=replace(settings.entities, enabled=False))

    # Warm-up: load the models once so that no stage pays for it (every language's NER model, as
    # the pipeline does before its workers fork: newsdesk-de builds its word vectors then).
    load_models(settings.entities.models)
    warm = newsdesk_extract(pages[:2])
    annotate(enrich([(p, x) for p, x in warm if x], crosslingual=crosslingual), settings.entities)
    # ... and the language models the benchmark's pages need.
    sample = [(p, x) for p, x in newsdesk_extract(pages[::10]) if x]
    annotate(enrich(sample, crosslingual=crosslingual), settings.entities)

    baseline, t_base = timed(lambda: baseline_extract(pages))
    extracted, t_extract = timed(lambda: newsdesk_extract(pages))
    ok = [(p, x) for p, x in extracted if x is not None]
    articles, t_enrich = timed(lambda: enrich(ok, crosslingual=crosslingual))
    _, t_entities = timed(lambda: annotate(articles, settings.entities))
    mentions = sum(len(a.mentions or []) for a in articles)
    quotes = sum(len(a.quotes or []) for a in articles)

    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as tmp:
        settings = replace(settings, db=str(Path(tmp) / "cluster.db"))
        store = Store(settings.db_url)
        clusterer = load_clusterer(store, settings)
        prepared = Prepared(articles, [None] * len(articles), [], ProcessStats())
        _, t_store = timed(lambda: commit_batch(store, clusterer, prepared, settings))
        store.close()

        def end_to_end(run_settings: Any) -> Any:
            store = Store(run_settings.db_url)
            now = datetime.now(UTC)
            with store.session() as session:
                for page in pages:
                    page_store.save_raw_page(session, page, now)
            try:
                return process_pending(store, run_settings)
            finally:
                store.close()

        _, t_e2e_off = timed(lambda: end_to_end(replace(entities_off, db=str(Path(tmp) / "e2e-off.db"))))
        stats, t_e2e = timed(lambda: end_to_end(replace(settings, db=str(Path(tmp) / "e2e.db"))))

    pred = {p.url: (x.text if x else "") for p, x in extracted}
    f1_newsdesk = score_predictions(pred, gold)
    f1_base = score_predictions(baseline, gold)
    rows = [
        ("baseline: trafilatura.extract", n, t_base, f1_base),
        ("extract (newsdesk)", n, t_extract, f1_newsdesk),
        ("enrich (language, reading time, embeddings)", len(ok), t_enrich, None),
        ("enrich: entities + quotes + keywords", len(ok), t_entities, None),
        ("cluster + store (with entity linking)", len(articles), t_store, None),
        ("end to end, entities on (raw pages → stories)", n, t_e2e, None),
        ("end to end, entities off", n, t_e2e_off, None),
    ]
    table = Table(title=f"newsdesk pipeline benchmark ({n} pages)")
    for column in (
        "stage",
        "articles",
        "seconds",
        "articles/s",
        "× baseline speed",
        "body P",
        "body R",
        "body F1",
    ):
        table.add_column(column, justify="left" if column == "stage" else "right")
    base_rate = n / t_base
    results = []
    for name, count, seconds, score in rows:
        rate = count / seconds if seconds else float("inf")
        table.add_row(
            name,
            str(count),
            f"{seconds:.2f}",
            f"{rate:.1f}",
            f"{rate / base_rate:.2f}",
            *(f"{score[k]:.4f}" for k in ("precision", "recall", "f1")) if score else ("", "", ""),
        )
        results.append({"stage": name, "articles": count, "seconds": seconds, "rate": rate, "score": score})
    console.print(table)
    console.print(
        f"peak RSS of the main process: {peak_rss_mb():.0f} MB; end to end with "
        f"{settings.extract_workers} worker processes; stored: {stats.stored} articles, "
        f"{stats.failed} failed extractions, {stats.duplicates} duplicates; "
        f"{mentions} mentions and {quotes} quotes found (models read "
        f"{settings.entities.max_chars or 'all'} characters)"
    )
    if args.json:
        print(json.dumps({"results": results, "peak_rss_mb": peak_rss_mb()}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
