"""What a story's new centroid costs the index over the centroids, with the old entry removed at
once or later with others (``newsdesk.stories.index``, "Removals wait").

    python -m benchmarks.centroid_index [--stories 100000] [--operations 3000] [--updates 0.7]

Two indexes of ``--stories`` random unit 512-dimensional vectors (the semantic index's size,
indexed as their sign-bit codes) take the same operations, one after the other, interleaved
operation by operation so that both are timed over the same minutes of a shared machine: a
share ``--updates`` of them give a live story a new centroid (a story took an article), the
others add a new story (an article started one), and each is followed by a search for as many
neighbours as the clusterer first asks for (the next article's candidates). The **baseline**
removes a story's old entry at once, as newsdesk did before; the other removes stale entries
512 at a time. "× baseline" is the ratio of the milliseconds an operation.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from rich.console import Console
from rich.table import Table
from threadpoolctl import threadpool_limits

from newsdesk.stories.index import STALE_MOST, CentroidIndex
from newsdesk.stories.retrieval import FIRST_FETCH
from newsdesk.stories.vectors import DIMENSIONS


def _unit(rng: np.random.Generator, count: int) -> np.ndarray:
    vectors = rng.normal(size=(count, DIMENSIONS)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.centroid_index", description=__doc__)
    parser.add_argument("--stories", type=int, default=100_000, help="stories indexed before timing")
    parser.add_argument("--operations", type=int, default=3000, help="operations timed")
    parser.add_argument("--updates", type=float, default=0.7, help="share of operations that are updates")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(17)
    base = "remove at once (baseline)"
    lanes = {base: CentroidIndex(DIMENSIONS, stale_most=1)}
    lanes[f"remove {STALE_MOST} at a time"] = CentroidIndex(DIMENSIONS)
    seconds = dict.fromkeys(lanes, 0.0)
    with threadpool_limits(1):
        start = time.perf_counter()
        for index in lanes.values():
            index.put_many(list(range(args.stories)), _unit(rng, args.stories))
        print(f"built two indexes of {args.stories:,} stories in {time.perf_counter() - start:.0f} s")
        vectors, queries = _unit(rng, args.operations), _unit(rng, args.operations)
        updates = rng.random(args.operations) < args.updates
        # Updates go to recent stories, as articles join the stories of the day.
        targets = args.stories - 1 - rng.integers(0, 2000, size=args.operations)
        for step in range(args.operations):
            story = int(targets[step]) if updates[step] else args.stories + step
            for label, index in lanes.items():
                begin = time.perf_counter()
                index.put(story, vectors[step])
                index.nearest(queries[step], FIRST_FETCH)
                seconds[label] += time.perf_counter() - begin
    baseline = seconds[base]
    table = Table(title=f"centroid index: {args.updates:.0%} updates, {args.stories:,} stories")
    for column in ("removals", "ms / operation", "× baseline"):
        table.add_column(column, justify="right")
    for label, spent in seconds.items():
        table.add_row(label, f"{1000 * spent / args.operations:.3f}", f"{spent / baseline:.2f}")
    Console().print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
