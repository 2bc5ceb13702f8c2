"""Story clustering cost per article with thousands of live stories, against the previous
similarity (no lede term, no quotation path) as the baseline.

    python -m benchmarks.clustering [--data ../shared/data/wmt-newstest-multiway/wmt_newstest_docs.jsonl.gz]
                                    [--articles 6000]

The texts are real news documents (titles and bodies of the WMT multi-way set, all languages,
cycled to the requested count). Embeddings are random unit vectors drawn around one centre per
translation group, so that the cost of embedding is not counted and most articles start their
own story: the live state grows to thousands of stories, as on a busy instance. Time is not
used (every live story is a candidate). Prints, per configuration, milliseconds per article,
the ratio to the baseline, live stories, the size of the whole state and the time to dump it,
and what saving the last batch of 64 articles costs (the pipeline saves only the stories a
batch touched, where every batch used to write the whole state).
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


BATCH = 64  # articles per committed batch in the pipeline


def run(docs: list[ClusterDoc], tuning: Tuning) -> tuple[float, int, int, float, float, int]:
    """Seconds for the whole stream, live stories, bytes of the whole state and seconds to
    serialise it (what every batch saved before the state was saved in pieces), and for the
    last batch of ``BATCH`` articles: seconds to serialise what it changed, and its bytes."""
    clusterer = OnlineClusterer(window_days=None, tuning=tuning)
    start = time.perf_counter()
    for doc in docs[:-BATCH]:
        clusterer.add(doc)
    clusterer.take_changes()  # as if committed
    for doc in docs[-BATCH:]:
        clusterer.add(doc)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    changes = clusterer.take_changes()
    save_seconds = time.perf_counter() - start
    saved = len(changes.header) + sum(len(record) for record in changes.stories.values())
    start = time.perf_counter()
    whole = len(clusterer.dump_state())
    dump_seconds = time.perf_counter() - start
    return seconds, clusterer.live_stories, whole, dump_seconds, save_seconds, saved


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
    columns = ("configuration", "ms / article", "× baseline time", "live stories", "state MB", "dump ms")
    for column in (*columns, f"batch of {BATCH}: save ms", "save MB"):
        table.add_column(column, justify="left" if column == "configuration" else "right")
    base_seconds = None
    for label, tuning in configurations:
        seconds, live, size, dump_seconds, save_seconds, saved = run(docs, tuning)
        base_seconds = base_seconds or seconds
        table.add_row(
            label,
            f"{1000 * seconds / len(docs):.2f}",
            f"{seconds / base_seconds:.2f}",
            str(live),
            f"{size / 1e6:.1f}",
            f"{1000 * dump_seconds:.0f}",
            f"{1000 * save_seconds:.0f}",
            f"{saved / 1e6:.2f}",
        )
    Console(width=150).print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
