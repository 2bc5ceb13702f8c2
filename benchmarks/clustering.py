"""Story clustering cost per article with thousands of live stories, against the previous
similarity (no lede term, no quotation path) as the baseline.

    python -m benchmarks.clustering [--data ../shared/data/wmt-newstest-multiway/wmt_newstest_docs.jsonl.gz]
                                    [--articles 6000]

The texts are real news documents (titles and bodies of the WMT multi-way set, all languages,
cycled to the requested count). Embeddings are random unit vectors drawn around one centre per
translation group, so that the cost of embedding is not counted and most articles start their
own story: the live state grows to thousands of stories, as on a busy instance. Time is not
used (every live story is a candidate). Prints, per configuration, milliseconds per article,
the ratio to the baseline, live stories and the size of the saved state.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from benchmarks.entities import load_articles
from newsdesk.stories.clustering import DIMENSIONS, ClusterDoc, OnlineClusterer, Tuning

DEFAULT_DATA = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "wmt-newstest-multiway"
    / "wmt_newstest_docs.jsonl.gz"
)


def load_docs(path: Path, count: int, seed: int = 7) -> list[ClusterDoc]:
    """``count`` articles: the set's texts in file order (cycled), random grouped embeddings."""
    rows = load_articles(path, None)
    if not rows:
        raise SystemExit(f"{path}: no documents with text")
    rng = np.random.default_rng(seed)
    centres: dict[str, np.ndarray] = {}
    docs = []
    for index in range(count):
        row = rows[index % len(rows)]
        group = f"{row.get('group_id')}/{index // len(rows)}"
        centre = centres.get(group)
        if centre is None:
            centre = centres[group] = rng.normal(size=DIMENSIONS)
        vector = centre + 0.5 * rng.normal(size=DIMENSIONS)
        docs.append(
            ClusterDoc(
                key=index,
                title=str(row.get("title") or ""),
                text=str(row["text"]),
                language=row.get("lang"),
                when=None,
                outlet=f"outlet{index % 40}",
                embedding=(vector / np.linalg.norm(vector)).astype(np.float32),
            )
        )
    return docs


def run(docs: list[ClusterDoc], tuning: Tuning) -> tuple[float, int, int]:
    """Seconds for the whole stream, live stories, state bytes."""
    clusterer = OnlineClusterer(window_days=None, tuning=tuning)
    start = time.perf_counter()
    for doc in docs:
        clusterer.add(doc)
    seconds = time.perf_counter() - start
    return seconds, clusterer.live_stories, len(clusterer.dump_state())


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.clustering", description=__doc__)
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="JSON Lines (.gz) with title, text, lang"
    )
    parser.add_argument("--articles", type=int, default=6000, help="how many articles to stream")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"{args.data}: not found (pass --data)")
        return 2
    docs = load_docs(args.data, args.articles)
    shipped = Tuning()
    configurations = [
        (
            "baseline: no lede term, no quotation path",
            replace(shipped, lede_weight=0.0, quote_threshold=None),
        ),
        ("shipped (lede term, quotation path)", shipped),
    ]
    table = Table(title=f"story clustering, {len(docs)} articles without time")
    for column in ("configuration", "ms / article", "× baseline time", "live stories", "state MB"):
        table.add_column(column, justify="left" if column == "configuration" else "right")
    base_seconds = None
    for label, tuning in configurations:
        seconds, live, size = run(docs, tuning)
        base_seconds = base_seconds or seconds
        table.add_row(
            label,
            f"{1000 * seconds / len(docs):.2f}",
            f"{seconds / base_seconds:.2f}",
            str(live),
            f"{size / 1e6:.1f}",
        )
    Console().print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
