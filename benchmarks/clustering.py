"""Story clustering cost per article as the live stories grow, with candidate stories found by
an exact scan of every live story or by the index over the centroids.

    python -m benchmarks.clustering [--articles 6000 24000 400000] [--timed-from 100000]
                                    [--per-day 25000] [--singletons 0.6] [--exact-blocks 4]
                                    [--data ../shared/data/wmt-newstest-multiway/wmt_newstest_docs.jsonl.gz]

The texts are real news documents (titles and bodies of the WMT multi-way set, all languages,
cycled to the requested count). Embeddings are random unit vectors drawn around one centre per
translation group (and a cross-lingual vector the same way), so that the cost of embedding is
not counted and the live state grows to thousands of stories, as on a busy instance.

* Streams shorter than ``--timed-from`` have no time: every live story is a candidate and none
  is dropped (the 6,000-article stream holds about 1,650 live stories at its end: the
  **baseline** of the ratio column).
* Longer streams have time: ``--per-day`` articles a day in order, the default window of 3
  days (stories whose newest article is more than two windows old are dropped), and a share
  ``--singletons`` of articles about an event of their own (their own centre), as most
  articles of a real stream are; the live stories then level off (at about 100,000 for the
  defaults) once the stream is about 2.3 windows long.

Each stream is run once per way of finding candidates, each run in a forked process (so that
the memory it shows is its own). "ms / article" is timed over the last quarter of the stream,
where the live stories are at their largest. A timed stream is run with the index only (an
exact scan of 100,000 stories per article would take hours): ``--exact-blocks`` blocks of 250
articles at the plateau are clustered with the exact scan instead, and their time is the
exact row's. "agree" is the share of sampled articles (every 50th of the timed part) whose
story is the same when the candidates come from the exact scan as from the index, on the same
state. "state MB" is the growth of the process's resident memory while streaming (the story
table, the term sums, the inverted index and the centroid index); "index MB" is the part
the centroid indexes hold.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table
from threadpoolctl import threadpool_limits

from benchmarks.entities import load_articles
from newsdesk.stories.clustering import DIMENSIONS, ClusterDoc, OnlineClusterer
from newsdesk.stories.text import FeatureWeights, term_counts
from newsdesk.stories.vectors import CROSS_DIMENSIONS

DEFAULT_DATA = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "wmt-newstest-multiway"
    / "wmt_newstest_docs.jsonl.gz"
)
START = datetime(2026, 1, 1, tzinfo=UTC)
WINDOW_DAYS = 3.0
EXACT_BLOCK = 250
AGREE_EVERY = 50
PROGRESS_EVERY = 20_000


@dataclass(frozen=True)
class Stream:
    """How the articles of a run are made."""

    count: int
    per_day: float | None  # None: no time
    singletons: float


def stream(rows: list[dict], plan: Stream, seed: int = 7) -> Iterator[ClusterDoc]:
    """The articles of ``plan``: the set's texts in file order (cycled), random grouped vectors
    (the 512-d embedding then the cross-lingual vector), times in order when timed."""
    rng = np.random.default_rng(seed)
    centres: dict[str, np.ndarray] = {}
    width = DIMENSIONS + CROSS_DIMENSIONS
    for index in range(plan.count):
        row = rows[index % len(rows)]
        if index % len(rows) == 0:
            centres.clear()  # a new cycle: new events
        group = f"{row.get('group_id')}/{index // len(rows)}"
        if plan.singletons and rng.random() < plan.singletons:
            centre = rng.normal(size=width)
        else:
            centre = centres.get(group)
            if centre is None:
                centre = centres[group] = rng.normal(size=width)
        vector = (centre + 0.5 * rng.normal(size=width)).astype(np.float32)
        vector[:DIMENSIONS] /= np.linalg.norm(vector[:DIMENSIONS])
        vector[DIMENSIONS:] /= np.linalg.norm(vector[DIMENSIONS:])
        when = None if plan.per_day is None else START + timedelta(days=index / plan.per_day)
        yield ClusterDoc(
            key=index,
            title=str(row.get("title") or ""),
            text=str(row["text"]),
            language=row.get("lang"),
            when=when,
            outlet=f"outlet{index % 40}",
            embedding=vector,
        )


class WarmFeatures:
    """The lexical features of a text, remembered while the state is built up (the texts recur:
    the set is cycled) and worked out afresh, as the pipeline does, in the timed part."""

    def __init__(self) -> None:
        self.remember = True
        self._known: dict[tuple[str | None, str | None, FeatureWeights], dict[int, float]] = {}

    def __call__(self, title: str | None, text: str | None, weights: FeatureWeights) -> dict[int, float]:
        if not self.remember:
            self._known.clear()
            return term_counts(title, text, weights)
        key = (title, text, weights)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = term_counts(title, text, weights)
        return found


def deep_bytes(value: object) -> int:
    """Bytes ``value`` holds in memory, with what it refers to (shared objects counted each time)."""
    if isinstance(value, np.ndarray):
        return value.nbytes + 112
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        return size + sum(deep_bytes(key) + deep_bytes(item) for key, item in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return size + sum(deep_bytes(item) for item in value)
    slots = getattr(type(value), "__slots__", ())
    if slots:
        return size + sum(deep_bytes(getattr(value, name)) for name in slots)
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return size + deep_bytes(vars(value))
    return size


def state_bytes(clusterer: OnlineClusterer) -> int:
    """The clustering state's memory: the story table (numpy columns at their capacity, the
    term sums and the rest), the inverted index, the document frequencies, the centroid index."""
    stories = clusterer._stories
    table = sum(getattr(stories, name).nbytes for name, _ in stories.array_columns)
    table += sum(deep_bytes(getattr(stories, name)) for name, _ in stories.list_columns)
    table += deep_bytes(stories.ids) + deep_bytes(stories.slot_of)
    rest = deep_bytes(clusterer._postings) + deep_bytes(clusterer._df) + deep_bytes(clusterer._aliases)
    return table + rest + clusterer.index_bytes


def _resident_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096 / 1e6


@dataclass
class Result:
    """One run's numbers."""

    ms: float
    live: int
    state_mb: float
    resident_mb: float
    index_mb: float
    exact_ms: float | None = None
    agree: float | None = None
    seconds: float = 0.0


def run(rows: list[dict], plan: Stream, retrieval: str, exact_blocks: int) -> Result:
    """Stream ``plan`` through a clusterer; time the last quarter (see the module's text)."""
    before = _resident_mb()
    window = None if plan.per_day is None else WINDOW_DAYS
    features = WarmFeatures()
    clusterer = OnlineClusterer(window_days=window, retrieval=retrieval, features=features)
    tail = plan.count - plan.count // 4
    block_starts = set()
    if plan.per_day is not None and exact_blocks:
        step = (plan.count - tail) // exact_blocks
        block_starts = {tail + i * step for i in range(exact_blocks)}
    timed = exact = 0.0
    timed_count = exact_count = agreed = sampled = 0
    started = time.perf_counter()
    exact_until = -1
    block = 0.0
    for index, doc in enumerate(stream(rows, plan)):
        features.remember = index < tail
        if index in block_starts:
            clusterer.retrieval, exact_until = "exact", index + EXACT_BLOCK
        if index == exact_until:
            clusterer.retrieval = retrieval
        if index >= tail and plan.per_day is not None and index % AGREE_EVERY == 0:
            sampled += 1
            agreed += clusterer.preview(doc, "exact") == clusterer.preview(doc, "index")
        start = time.perf_counter()
        clusterer.add(doc)
        seconds = time.perf_counter() - start
        block += seconds
        if (index + 1) % PROGRESS_EVERY == 0:
            print(
                f"  {retrieval} {index + 1:,} articles: {clusterer.live_stories:,} live stories, "
                f"{1000 * block / PROGRESS_EVERY:.2f} ms / article over the last {PROGRESS_EVERY:,}",
                file=sys.stderr,
                flush=True,
            )
            block = 0.0
        if index < tail:
            continue
        if index < exact_until:
            exact, exact_count = exact + seconds, exact_count + 1
        else:
            timed, timed_count = timed + seconds, timed_count + 1
    seconds = time.perf_counter() - started
    return Result(
        ms=1000 * timed / max(timed_count, 1),
        live=clusterer.live_stories,
        state_mb=state_bytes(clusterer) / 1e6,
        resident_mb=_resident_mb() - before,
        index_mb=clusterer.index_bytes / 1e6,
        exact_ms=1000 * exact / exact_count if exact_count else None,
        agree=agreed / sampled if sampled else None,
        seconds=seconds,
    )


def _child(connection, rows, plan, retrieval, exact_blocks) -> None:  # noqa: ANN001
    with threadpool_limits(1):  # one BLAS thread, as a pipeline process next to its workers
        connection.send(run(rows, plan, retrieval, exact_blocks))
    connection.close()


def run_apart(rows: list[dict], plan: Stream, retrieval: str, exact_blocks: int) -> Result:
    """:func:`run` in a forked process (its resident memory is the run's own)."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, rows, plan, retrieval, exact_blocks))
    process.start()
    result = receiver.recv()
    process.join()
    return result


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.clustering", description=__doc__)
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="JSON Lines (.gz) with title, text, lang"
    )
    parser.add_argument(
        "--articles", type=int, nargs="+", default=[6000, 24000], help="stream lengths to run"
    )
    parser.add_argument(
        "--timed-from", type=int, default=100_000, help="streams this long or longer have time"
    )
    parser.add_argument("--per-day", type=float, default=25_000, help="articles a day in a timed stream")
    parser.add_argument(
        "--singletons", type=float, default=0.6, help="share of a timed stream's articles on their own"
    )
    parser.add_argument(
        "--exact-blocks", type=int, default=4, help="exact-scan blocks timed at a timed stream's plateau"
    )
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"{args.data}: not found (pass --data)")
        return 2
    rows = load_articles(args.data, None)
    if not rows:
        raise SystemExit(f"{args.data}: no documents with text")
    table = Table(title="story clustering: candidates by exact scan and by the index")
    columns = ("articles", "time", "candidates", "ms / article", "× baseline", "live stories")
    for column in (*columns, "state MB", "of it index", "RSS growth MB", "agree", "run s"):
        table.add_column(column, justify="right")
    baseline = None
    for count in sorted(args.articles):
        timed = count >= args.timed_from
        plan = Stream(count, args.per_day if timed else None, args.singletons if timed else 0.0)
        label = f"{args.per_day:,.0f} a day, window {WINDOW_DAYS:g} d" if timed else "none"
        modes = ("index",) if timed else ("exact", "index")
        for mode in modes:
            result = run_apart(rows, plan, mode, args.exact_blocks)
            baseline = baseline or result.ms
            rows_out = [("index", result.ms)]
            if mode == "exact":
                rows_out = [("exact scan", result.ms)]
            elif result.exact_ms is not None:
                sampled = f"exact scan ({args.exact_blocks}×{EXACT_BLOCK} articles)"
                rows_out.insert(0, (sampled, result.exact_ms))
            for name, ms in rows_out:
                table.add_row(
                    f"{count:,}",
                    label,
                    name,
                    f"{ms:.2f}",
                    f"{ms / baseline:.2f}",
                    f"{result.live:,}",
                    f"{result.state_mb:.0f}",
                    f"{result.index_mb:.0f}",
                    f"{result.resident_mb:.0f}",
                    "" if result.agree is None else f"{result.agree:.4f}",
                    f"{result.seconds:.0f}",
                )
            Console(width=170).print(f"{count} {label} {mode}: {result}")
    Console(width=170).print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
