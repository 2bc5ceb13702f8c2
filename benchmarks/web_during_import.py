"""The web interface under concurrent load while ``newsdesk import`` writes to the same store.

    python -m benchmarks.web_during_import [--seed-pages 100] [--clients 16] [--max-requests 6000]
        [--max-seconds 120] [--baseline-requests 1000] [--workers N] [--data ../shared/data]

Builds the JSON Lines file of 299 real pages of the import benchmark, imports its first
``--seed-pages`` into a fresh SQLite store (so story pages and search have something), starts
``newsdesk serve`` over it as a subprocess (``web.workers`` processes unless ``--workers`` is given) on
a free loopback port, then in one invocation:

1. the baseline: ``--clients`` concurrent clients (``--client``: raw asyncio sockets, or httpx; one
   process) over the front page, a story page, the search page and their JSON API equivalents in
   turn, ``--baseline-requests`` in all, with nothing else writing;
2. the same load while ``newsdesk import`` of the remaining pages runs as a subprocess against the same
   store, until the import exits (at most ``--max-requests`` requests or ``--max-seconds``).

Prints per route: requests, errors (answers other than 2xx and 3xx, and exceptions), p50, p95 and max
latency in both
phases and the ratio of the p95s; the redirects seen (a story whose only article the import moved to
another story by its second chance leads there: 303 for the page, 307 for the API); the server's CPU
time per request (Linux); the import's own time; and what the server wrote to its standard error
that says "database is locked" or holds a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from benchmarks import loadgen
from benchmarks.imports import build_records, run_import
from benchmarks.web import QUERIES, percentile, serve
from newsdesk.web.server import free_port

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
# The p95 goals of docs/web.md (sequential requests over 100,000 articles); the search page and the
# API's stories and story take the goal of their counterpart.
GOALS = {
    "front page": 150.0,
    "story page": 150.0,
    "search page": 100.0,
    "API stories": 150.0,
    "API story": 150.0,
    "API search": 100.0,
}
LOCKED = "database is locked"


@dataclass
class Outcome:
    """One request: its route, latency in milliseconds, error (None when answered 2xx or 3xx) and
    the status of a redirect (None when not one)."""

    route: str
    ms: float
    error: str | None
    redirect: int | None = None


def routes(story_ids: list[int]) -> list[tuple[str, Callable[[int], str]]]:
    """The routes under load, each with the path of its ``i``-th request."""

    def story(i: int) -> int:
        return story_ids[i % len(story_ids)]

    def query(i: int) -> str:
        return QUERIES[i % len(QUERIES)]

    return [
        ("front page", lambda i: "/"),
        ("story page", lambda i: f"/stories/{story(i)}"),
        ("search page", lambda i: f"/search?q={query(i)}"),
        ("API stories", lambda i: "/api/v1/stories"),
        ("API story", lambda i: f"/api/v1/stories/{story(i)}"),
        ("API search", lambda i: f"/api/v1/search?q={query(i)}"),
    ]


async def load(
    base: str,
    story_ids: list[int],
    clients: int,
    max_requests: int,
    max_seconds: float,
    until: asyncio.Future[object] | None = None,
    kind: str = "raw",
) -> list[Outcome]:
    """``clients`` concurrent clients of ``kind`` (see ``loadgen``) over the routes in turn, until
    ``until`` is done, ``max_requests`` were sent or ``max_seconds`` passed, whichever comes first."""
    plan = routes(story_ids)
    counter = itertools.count()
    deadline = time.monotonic() + max_seconds
    outcomes: list[Outcome] = []

    async def client(http: loadgen.Getter) -> None:
        while time.monotonic() < deadline and not (until is not None and until.done()):
            i = next(counter)
            if i >= max_requests:
                return
            name, path = plan[i % len(plan)]
            start = time.perf_counter()
            try:
                status = await http.get(path(i // len(plan)))
                error = None if 200 <= status < 400 else f"HTTP {status}"
                redirect = status if 300 <= status < 400 else None
            except loadgen.HttpError as exc:
                error, redirect = f"{type(exc).__name__}: {exc}", None
            outcomes.append(Outcome(name, (time.perf_counter() - start) * 1000, error, redirect))

    async with loadgen.clients(kind, base, clients, timeout=30) as pool:
        await asyncio.gather(*(client(http) for http in pool))
    return outcomes


async def during_import(
    base: str, story_ids: list[int], rest: Path, db: Path, args: argparse.Namespace
) -> tuple[list[Outcome], float, tuple[float, float, str]]:
    """The load while ``newsdesk import`` of ``rest`` runs, its seconds, and the import's result (seconds,
    CPU seconds, summary) once it has exited."""
    task = asyncio.ensure_future(asyncio.to_thread(run_import, rest, db))
    started = time.perf_counter()
    outcomes = await load(
        base, story_ids, args.clients, args.max_requests, args.max_seconds, task, args.client
    )
    return outcomes, time.perf_counter() - started, await task


def split(records: Path, first: int, head: Path, tail: Path) -> int:
    """The first ``first`` lines of ``records`` to ``head``, the others to ``tail``; the tail's count."""
    lines = records.read_text("utf-8").splitlines(keepends=True)
    head.write_text("".join(lines[:first]), "utf-8")
    tail.write_text("".join(lines[first:]), "utf-8")
    return len(lines) - first


def server_problems(log: Path) -> tuple[int, int, list[str]]:
    """From the server's standard error: lines saying "database is locked", tracebacks, and the
    first few such lines."""
    text = log.read_text("utf-8", "replace").splitlines()
    locked = [line for line in text if LOCKED in line]
    tracebacks = [line for line in text if line.startswith("Traceback")]
    return len(locked), len(tracebacks), (locked + tracebacks)[:5]


def per_request(before: float | None, after: float | None, requests: int) -> str:
    return "unknown" if before is None or after is None else f"{(after - before) / requests * 1000:.1f} ms"


def stopped_by(requests: int, seconds: float, args: argparse.Namespace) -> str:
    """What ended the load during the import: the import itself or one of the caps."""
    if requests >= args.max_requests:
        return "the request cap (the import went on without load)"
    if seconds >= args.max_seconds:
        return "the time cap (the import went on without load)"
    return "the import's end"


def summary(outcomes: list[Outcome]) -> dict[str, tuple[int, int, float, float, float]]:
    """Per route (and "all"): requests, errors, p50, p95, max in milliseconds."""
    grouped: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        grouped[outcome.route].append(outcome)
        grouped["all"].append(outcome)
    out = {}
    for route, items in grouped.items():
        ms = [item.ms for item in items]
        errors = sum(item.error is not None for item in items)
        out[route] = (len(items), errors, percentile(ms, 0.5), percentile(ms, 0.95), max(ms))
    return out


def report(console: Console, base: list[Outcome], loaded: list[Outcome], clients: int) -> None:
    """The table of both phases, route by route, and the errors seen."""
    quiet, busy = summary(base), summary(loaded)
    table = Table(title=f"{clients} concurrent clients on loopback: no import, then during the import")
    for column in (
        "route",
        "requests",
        "errors",
        "p50 ms",
        "p95 ms",
        "max ms",
        "requests (import)",
        "errors (import)",
        "p50 ms (import)",
        "p95 ms (import)",
        "max ms (import)",
        "p95 ratio",
        "goal p95 ms",
    ):
        table.add_column(column, justify="left" if column == "route" else "right")
    for route in [*GOALS, "all"]:
        if route not in quiet or route not in busy:
            continue
        q, b = quiet[route], busy[route]
        table.add_row(
            route,
            *(str(x) for x in q[:2]),
            *(f"{x:.0f}" for x in q[2:]),
            *(str(x) for x in b[:2]),
            *(f"{x:.0f}" for x in b[2:]),
            f"{b[3] / q[3]:.2f}",
            f"{GOALS[route]:.0f}" if route in GOALS else "",
        )
    console.print(table)
    errors = Counter(f"{o.route}: {o.error}" for o in [*base, *loaded] if o.error)
    for error, count in errors.most_common(10):
        console.print(f"[red]{count} × {error}")
    redirects = Counter(f"{o.route}: HTTP {o.redirect}" for o in [*base, *loaded] if o.redirect)
    for redirect, count in redirects.most_common(10):
        console.print(f"{count} × {redirect} (a redirect: the story moved)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed-pages", type=int, default=100, help="pages imported before the load")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--max-requests", type=int, default=6000, help="cap on requests during the import")
    parser.add_argument("--max-seconds", type=float, default=120, help="cap on each phase's seconds")
    parser.add_argument("--baseline-requests", type=int, default=1000, help="requests with no import")
    parser.add_argument("--workers", type=int, help="the server's processes (default: web.workers)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument(
        "--client",
        choices=loadgen.CLIENTS,
        default="raw",
        help="the load generator (see loadgen.py)",
    )
    args = parser.parse_args(argv)
    console = Console(width=200)
    loads = [os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="newsdesk-web-import-bench-") as tmp:
        folder = Path(tmp)
        records, seed, rest = folder / "pages.jsonl", folder / "seed.jsonl", folder / "rest.jsonl"
        total = build_records(args.data, records)
        remaining = split(records, args.seed_pages, seed, rest)
        db = folder / "store.db"
        seconds, _, line = run_import(seed, db)
        console.print(f"seed: {args.seed_pages} of {total} pages imported in {seconds:.1f} s ({line})")
        port, log = free_port(), folder / "serve.err"
        with log.open("wb") as stderr:
            process = serve(db, port, stderr, args.workers)
            try:
                base = f"http://127.0.0.1:{port}"
                listed = httpx.get(f"{base}/api/v1/stories", params={"period": "all", "limit": 100}).json()
                story_ids = [story["id"] for story in listed["stories"]] or [1]
                console.print(f"{len(story_ids)} story ids to visit")
                for _, path in routes(story_ids):
                    httpx.get(base + path(0), timeout=30).raise_for_status()
                started, cpu = time.perf_counter(), [loadgen.process_cpu(process.pid)]
                own = [time.process_time()]
                quiet = loadgen.run(
                    lambda: load(
                        base,
                        story_ids,
                        args.clients,
                        args.baseline_requests,
                        args.max_seconds,
                        None,
                        args.client,
                    )
                )
                own.append(time.process_time())
                quiet_seconds = time.perf_counter() - started
                cpu.append(loadgen.process_cpu(process.pid))
                loads.append(os.getloadavg())
                busy, busy_seconds, (import_seconds, import_cpu, import_line) = loadgen.run(
                    lambda: during_import(base, story_ids, rest, db, args)
                )
                own.append(time.process_time())
                cpu.append(loadgen.process_cpu(process.pid))
                loads.append(os.getloadavg())
            finally:
                process.terminate()
                process.wait(timeout=10)
        locked, tracebacks, examples = server_problems(log)
    report(console, quiet, busy, args.clients)
    console.print(
        f"baseline: {len(quiet)} requests in {quiet_seconds:.1f} s ({len(quiet) / quiet_seconds:.0f}/s); "
        f"during the import: {len(busy)} requests in {busy_seconds:.1f} s "
        f"({len(busy) / busy_seconds:.0f}/s), "
        f"stopped by {stopped_by(len(busy), busy_seconds, args)}"
    )
    console.print(
        f"server CPU per request: {per_request(cpu[0], cpu[1], len(quiet))} in the baseline, "
        f"{per_request(cpu[1], cpu[2], len(busy))} during the import; "
        f"the load generator's ({args.client}): {per_request(own[0], own[1], len(quiet))}, "
        f"{per_request(own[1], own[2], len(busy))}"
    )
    console.print(
        f"import of {remaining} pages under load: {import_seconds:.1f} s, {remaining / import_seconds:.1f} "
        f"pages/s, {import_cpu:.1f} CPU seconds ({import_line})"
    )
    console.print(f"server's standard error: {locked} '{LOCKED}', {tracebacks} tracebacks")
    for example in examples:
        console.print(f"  {example}")
    shown = " → ".join(" ".join(f"{x:.2f}" for x in three) for three in loads)
    console.print(
        f"load average (start → after the baseline → after the import): {shown} ({os.cpu_count()} cores)"
    )
    failed = locked or tracebacks or any(o.error for o in [*quiet, *busy])
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
