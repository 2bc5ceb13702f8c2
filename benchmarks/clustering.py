"""Story clustering cost per article as the live stories grow, with candidate stories found by
an exact scan of every live story or by the index over the centroids.

    python -m benchmarks.clustering [--articles 6000 24000] [--timed-from 100000]
                                    [--per-day 25000] [--singletons 0.6] [--exact-blocks 4]
                                    [--data ../shared/data/wmt-newstest-multiway/wmt_newstest_docs.jsonl.gz]

The texts are real news documents (titles and bodies of the WMT multi-way set, all languages,
cycled to the requested count). Embeddings are random unit vectors drawn around one centre per
translation group (and a cross-lingual vector the same way), so that the cost of embedding is
not counted and the live state grows to thousands of stories, as on a busy instance.

* Streams shorter than ``--timed-from`` have no time: every live story is a candidate and none
  is dropped. They are run twice side by side, article by article: once with the exact scan,
  once with the index.
* Longer streams have time: ``--per-day`` articles a day in order, the default window of 3
  days (stories whose newest article is more than two windows old are dropped), and a share
  ``--singletons`` of articles about an event of their own (their own centre), as most
  articles of a real stream are; the live stories level off once the stream is about 2.3
  windows long. They are run with the index; an exact scan of 100,000 stories per article
  would take hours, so ``--exact-blocks`` blocks of 250 of the timed articles are clustered
  with the exact scan instead, and timed as the exact row. "agree" is the share of sampled
  timed articles (every 50th) whose story is the same with candidates from the exact scan as
  from the index, on the same state.

Only the end of a stream is timed: its last quarter, at most 10,000 articles, where the live
stories are at their most; before that, each text's lexical features are remembered (the texts
recur), which builds the state faster. The machine may be shared and its speed may change
within minutes, so every timed article of a stream is interleaved with one article of each of
two **baseline** lanes: a timed stream of 300 articles a day (about 1,600 live stories), one
clustered with the exact scan and one with the index. "× baseline" is the ratio to the exact
baseline lane of the same stream, timed over the same minutes. "state MB" is the clustering
state in memory at the end (the story table's numpy columns at their capacity, the term sums,
lede sums, quoted phrases, outlet parts, the inverted index, the document frequencies and
the centroid indexes, counted from the objects' sizes); "of it index" is the centroid
indexes' part. Each stream runs in a forked process.
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
from newsdesk.stories.language_centres import load_offsets
from newsdesk.stories.text import FeatureWeights, term_counts
from newsdesk.stories.vectors import CROSS_DIMENSIONS
from newsdesk.text.languages import base_language

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
TIMED_MOST = 10_000  # articles timed at the end of a stream (a quarter of it, at most this)
# The baseline stream: about 1,600 live stories (warmed up over more than two windows first).
BASE_PER_DAY = 300
BASE_SINGLETONS = 0.9
BASE_WARM = 3000
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
    offsets = load_offsets()
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
        # A real cross-lingual vector carries its language's offset, which the clusterer takes
        # away (newsdesk.stories.language_centres): so does this one.
        offset = offsets.get(base_language(row.get("lang")) or "")
        if offset is not None:
            vector[DIMENSIONS:] += offset
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


@dataclass
class Lane:
    """One clusterer on one stream; its articles in the timed part are timed."""

    label: str
    docs: Iterator[ClusterDoc]
    clusterer: OnlineClusterer
    features: WarmFeatures
    seconds: float = 0.0
    count: int = 0
    exact_seconds: float = 0.0
    exact_count: int = 0

    @classmethod
    def of(cls, label: str, rows: list[dict], plan: Stream, retrieval: str, seed: int = 7) -> Lane:
        """A lane streaming ``plan`` into a new clusterer that finds candidates by ``retrieval``."""
        features = WarmFeatures()
        window = None if plan.per_day is None else WINDOW_DAYS
        clusterer = OnlineClusterer(window_days=window, retrieval=retrieval, features=features)
        return cls(label, stream(rows, plan, seed), clusterer, features)

    def step(self, timed: bool) -> ClusterDoc:
        """Cluster the lane's next article (timed or not)."""
        doc = next(self.docs)
        self.features.remember = not timed
        start = time.perf_counter()
        self.clusterer.add(doc)
        seconds = time.perf_counter() - start
        if timed and self.clusterer.retrieval == "exact" and self.label.endswith("index"):
            self.exact_seconds, self.exact_count = self.exact_seconds + seconds, self.exact_count + 1
        elif timed:
            self.seconds, self.count = self.seconds + seconds, self.count + 1
        return doc

    def ms(self) -> float:
        """Milliseconds per timed article."""
        return 1000 * self.seconds / max(self.count, 1)


@dataclass
class Row:
    """One line of the table."""

    articles: int
    time: str
    candidates: str
    ms: float
    baseline_ms: float
    live: int
    state_mb: float
    index_mb: float
    agree: float | None = None


def run(rows: list[dict], plan: Stream, exact_blocks: int) -> list[Row]:
    """Stream ``plan`` (see the module's text) and time its last quarter, interleaved article by
    article with the baseline stream (exact scan and index)."""
    timed = plan.per_day is not None
    lanes = [Lane.of("index", rows, plan, "index")]
    if not timed:
        lanes.insert(0, Lane.of("exact scan", rows, plan, "exact"))
    tail = plan.count - min(plan.count // 4, TIMED_MOST)
    base_plan = Stream(BASE_WARM + plan.count - tail, BASE_PER_DAY, BASE_SINGLETONS)
    bases = [Lane.of(f"baseline, {mode}", rows, base_plan, mode, seed=11) for mode in ("exact", "index")]
    for lane in bases:
        for _ in range(BASE_WARM):
            lane.step(False)
    main = lanes[-1]
    block_starts = set()
    if timed and exact_blocks:
        step = (plan.count - tail) // exact_blocks
        block_starts = {tail + i * step for i in range(exact_blocks)}
    exact_until, agreed, sampled, started = -1, 0, 0, time.perf_counter()
    for index in range(plan.count):
        if index in block_starts:
            main.clusterer.retrieval, exact_until = "exact", index + EXACT_BLOCK
        if index == exact_until:
            main.clusterer.retrieval = "index"
        is_timed = index >= tail
        for lane in lanes:
            doc = lane.step(is_timed)
        if is_timed:
            for lane in bases:
                lane.step(True)
        if is_timed and timed and index % AGREE_EVERY == 0:
            sampled += 1
            agreed += main.clusterer.preview(doc, "exact") == main.clusterer.preview(doc, "index")
        if (index + 1) % PROGRESS_EVERY == 0:
            print(
                f"  {index + 1:,} articles, {main.clusterer.live_stories:,} live stories, "
                f"{time.perf_counter() - started:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    label = f"{plan.per_day:,.0f} a day, window {WINDOW_DAYS:g} d" if timed else "none"
    baseline = bases[0].ms()
    table = []
    for lane in bases + lanes:
        clusterer = lane.clusterer
        row = Row(
            plan.count if lane not in bases else base_plan.count,
            label if lane not in bases else f"{BASE_PER_DAY:g} a day, window {WINDOW_DAYS:g} d",
            lane.label,
            lane.ms(),
            baseline,
            clusterer.live_stories,
            state_bytes(clusterer) / 1e6,
            clusterer.index_bytes / 1e6,
        )
        if lane is main and timed:
            row.agree = agreed / max(sampled, 1)
            if lane.exact_count:
                sampled_exact = f"exact scan ({lane.exact_count} articles)"
                exact_ms = 1000 * lane.exact_seconds / lane.exact_count
                table.append(Row(**{**vars(row), "candidates": sampled_exact, "ms": exact_ms}))
        table.append(row)
    return table


def _child(connection, rows, plan, exact_blocks) -> None:  # noqa: ANN001
    with threadpool_limits(1):  # one BLAS thread, as a pipeline process next to its workers
        connection.send(run(rows, plan, exact_blocks))
    connection.close()


def run_apart(rows: list[dict], plan: Stream, exact_blocks: int) -> list[Row]:
    """:func:`run` in a forked process (it leaves nothing behind in this one)."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, rows, plan, exact_blocks))
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
    for column in (*columns, "state MB", "of it index", "agree"):
        table.add_column(column, justify="right")
    for count in sorted(args.articles):
        timed = count >= args.timed_from
        plan = Stream(count, args.per_day if timed else None, args.singletons if timed else 0.0)
        for row in run_apart(rows, plan, args.exact_blocks):
            table.add_row(
                f"{row.articles:,}",
                row.time,
                row.candidates,
                f"{row.ms:.2f}",
                f"{row.ms / row.baseline_ms:.2f}",
                f"{row.live:,}",
                f"{row.state_mb:.0f}",
                f"{row.index_mb:.0f}",
                "" if row.agree is None else f"{row.agree:.4f}",
            )
        table.add_section()
        Console(width=170).print(f"{count:,} articles done")
    Console(width=170).print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
