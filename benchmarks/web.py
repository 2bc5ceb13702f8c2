"""Web latency over a large store: the front page, a story page and API search.

    python -m benchmarks.web [--articles 100000] [--requests 300] [--db PATH] [--data ../shared/data]
                             [--clients 16] [--client raw|httpx] [--workers N]
                             [--server-src DIR --server-src DIR --rounds N]

Builds (once; ``--db`` keeps it for the next run) a SQLite store of ``--articles`` articles by
replaying real pages: the 181 HTML pages of article-extraction-benchmark (extracted once, raw page
kept) and the 4,359 multilingual documents of wmt-newstest-multiway (one story per multi-way
document group), again and again with varied URLs, outlets and dates over the last 90 days.
Then starts ``newsdesk serve`` in its own process on loopback and runs a load loop per endpoint,
sequential or with ``--clients`` concurrent clients (``benchmarks/loadgen.py``), printing p50, p95
and mean latency and, under concurrency, the CPU each request cost the server and the load generator.
With ``--server-src`` given twice, two versions of newsdesk are served and measured in turn.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import httpx
from rich.console import Console
from rich.table import Table

from benchmarks import loadgen
from newsdesk.enrich.readingtime import reading_time
from newsdesk.extract import ExtractionError, extract_page
from newsdesk.models import Article, RawPage
from newsdesk.store import Store
from newsdesk.store import articles as article_store
from newsdesk.store import pages as page_store
from newsdesk.urls import outlet_domain
from newsdesk.web.server import free_port

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
QUERIES = [
    "government",
    "police",
    "Obama",
    "market",
    "président",
    "Regierung",
    "economía",
    "election",
    "bank",
]
DAYS = 90
GOALS = {"front page": 150.0, "story page": 150.0, "API search": 100.0}


@dataclass
class Source:
    """One real article to replay: its group (a story), text and, for real pages, the HTML."""

    group: str
    title: str
    lede: str | None
    paragraphs: list[str]
    language: str | None
    outlet: str
    html: str | None = None
    byline: str | None = None


def real_pages(folder: Path) -> list[Source]:
    """The benchmark's HTML pages, extracted once by newsdesk."""
    truth = json.loads((folder / "ground-truth.json").read_text("utf-8"))
    out = []
    for key in sorted(truth):
        html = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
        url = truth[key]["url"]
        try:
            found = extract_page(RawPage(url=url, html=html))
        except ExtractionError:
            continue
        if found.title and found.paragraphs:
            domain = outlet_domain(url) or "aeb.example"
            language = found.page_language[:2] if found.page_language else "en"
            out.append(
                Source(key, found.title, found.lede, found.paragraphs, language, domain, html, found.byline)
            )
    return out


def multiway_documents(path: Path) -> list[Source]:
    """WMT multi-way documents: one group per story, an outlet per language and source."""
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            doc = json.loads(line)
            text = [p for p in doc["text"].split("\n") if p.strip()]
            if not doc.get("title") or not text:
                continue
            outlet = f"{doc['lang']}-{zlib.crc32(doc['docid'].encode()) % 7}.wmt.example"
            out.append(Source(doc["story_id_strict"], doc["title"], None, text, doc["lang"], outlet))
    return out


def _article(source: Source, url: str, when: datetime) -> Article:
    words, minutes = reading_time([source.title, source.lede, *source.paragraphs])
    return Article(
        url=url,
        canonical_url=url,
        outlet=source.outlet,
        title=source.title,
        lede=source.lede,
        byline=source.byline,
        published=when,
        collected=when + timedelta(minutes=5),
        paragraphs=source.paragraphs,
        language=source.language,
        word_count=words,
        reading_time=minutes,
    )


def replay(
    sources: list[Source], total: int, seed: int = 7
) -> Iterator[tuple[int, int, Source, str, datetime]]:
    """(round, story id, source, URL, time) for ``total`` articles: each round replays every group
    as a new story at a random time of the last 90 days."""
    groups: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        groups[source.group].append(source)
    rng = random.Random(seed)
    now = datetime.now(UTC)
    made, story_id, round_ = 0, 0, 0
    while True:
        round_ += 1
        for name, members in groups.items():
            story_id += 1
            start = now - timedelta(days=rng.uniform(0, DAYS))
            for index, source in enumerate(members):
                when = min(start + timedelta(hours=rng.uniform(0, 36)), now)
                yield round_, story_id, source, f"https://{source.outlet}/r{round_}/{name}/{index}", when
                made += 1
                if made >= total:
                    return


def build_store(db: Path, data: Path, total: int, console: Console) -> None:
    """Fill a new store with ``total`` replayed articles, their stories and headlines."""
    started = time.perf_counter()
    sources = real_pages(data / "article-extraction-benchmark")
    sources += multiway_documents(data / "wmt-newstest-multiway" / "wmt_newstest_docs.jsonl.gz")
    elapsed = time.perf_counter() - started
    console.print(f"{len(sources)} real articles to replay into {total} (extraction {elapsed:.0f} s)")
    store = Store(f"sqlite:///{db}")
    batch: list[tuple[int, int, Source, str, datetime]] = []
    for item in replay(sources, total):
        batch.append(item)
        if len(batch) == 2000:
            _store_batch(store, batch)
            batch = []
            console.print(f"  {item[1]} stories, {time.perf_counter() - started:.0f} s", end="\r")
    _store_batch(store, batch)
    store.close()
    console.print(f"store built in {time.perf_counter() - started:.0f} s: {db}")


def _store_batch(store: Store, batch: list[tuple[int, int, Source, str, datetime]]) -> None:
    now = datetime.now(UTC)
    titles: dict[int, dict[str, tuple[str, int]]] = defaultdict(dict)
    members: list[tuple[Article, int, float, dict | None]] = []
    with store.session() as session:
        for _, story_id, source, url, when in batch:
            article = _article(source, url, when)
            raw_id = None
            if source.html is not None:
                raw_id = page_store.save_raw_page(
                    session, RawPage(url=url, html=source.html, collected=when), now
                )
                if raw_id is not None:
                    page_store.mark_statuses(session, [(raw_id, page_store.DONE, None)])
            article = replace(article, id=article_store.insert_article(session, article, raw_id))
            members.append((article, story_id, 1.0, None))
            headlines = titles[story_id]
            headlines.setdefault(source.language or "*", (source.title, article.id))
            headlines.setdefault("*", (source.title, article.id))
        article_store.add_memberships(session, members, now)
        article_store.replace_all_headlines(session, dict(titles))
        article_store.refresh_outlet_counts(session, titles)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def endpoints(base: str, console: Console) -> dict[str, Callable[[int], str]]:
    """The endpoints under test, each with the path of its ``i``-th request: the front page, the week's
    top 200 stories in turn, API search over nine words in five languages in turn."""
    week = httpx.get(base + "/api/v1/stories", params={"period": "7d", "limit": 200}, timeout=60).json()
    story_ids = [s["id"] for s in week["stories"]] or [1]
    largest = max((s["article_count"] for s in week["stories"]), default=0)
    console.print(f"{len(story_ids)} story ids to visit; the largest has {largest} articles")
    return {
        "front page": lambda i: "/",
        "story page": lambda i: f"/stories/{story_ids[i % len(story_ids)]}",
        "API search": lambda i: "/api/v1/search?q=" + QUERIES[i % len(QUERIES)],
    }


def measure(base: str, requests: int, console: Console) -> dict[str, list[float]]:
    """Sequential requests per endpoint after a warm-up; latencies in milliseconds."""
    timings: dict[str, list[float]] = defaultdict(list)
    with httpx.Client(base_url=base, timeout=60) as http:
        for name, path in endpoints(base, console).items():
            for i in range(10):
                http.get(path(i)).raise_for_status()
            for i in range(requests):
                start = time.perf_counter()
                http.get(path(i)).raise_for_status()
                timings[name].append((time.perf_counter() - start) * 1000)
    return timings


def measure_concurrent(
    base: str, requests: int, clients: int, console: Console, kind: str = "raw", pid: int | None = None
) -> tuple[dict[str, list[float]], dict[str, tuple[float | None, float]]]:
    """Per endpoint, ``requests`` requests from ``clients`` concurrent clients of ``kind`` (see
    ``loadgen``) that never pause (a closed loop, on one keep-alive connection each), after a warm-up;
    latencies in milliseconds. Also per endpoint the CPU milliseconds per request of the server
    (process ``pid``, None when unknown) and of this process, the load generator's."""

    async def run(path: Callable[[int], str]) -> list[float]:
        counter = iter(range(requests))
        found: list[float] = []
        async with loadgen.clients(kind, base, clients) as pool:

            async def client(http: loadgen.Getter) -> None:
                for i in counter:
                    start = time.perf_counter()
                    status = await http.get(path(i))
                    if status >= 400:
                        raise RuntimeError(f"{path(i)}: HTTP {status}")
                    found.append((time.perf_counter() - start) * 1000)

            await asyncio.gather(*(client(http) for http in pool))
        return found

    timings: dict[str, list[float]] = {}
    cpu: dict[str, tuple[float | None, float]] = {}
    for name, path in endpoints(base, console).items():
        for i in range(10):
            httpx.get(base + path(i), timeout=60).raise_for_status()
        server_before, own_before = loadgen.process_cpu(pid), time.process_time()
        timings[name] = loadgen.run(lambda path=path: run(path))  # type: ignore[assignment]
        server_after, own_after = loadgen.process_cpu(pid), time.process_time()
        server = None if server_before is None or server_after is None else server_after - server_before
        cpu[name] = (
            None if server is None else server / requests * 1000,
            (own_after - own_before) / requests * 1000,
        )
    return timings, cpu


def serve(
    db: Path,
    port: int,
    stderr: IO[bytes] | int = subprocess.DEVNULL,
    workers: int | None = None,
    src: Path | None = None,
) -> subprocess.Popen[bytes]:
    """``newsdesk serve`` over the store, in its own process (``workers`` processes when given, else
    ``web.workers``); its standard error to ``stderr``; with ``src``, newsdesk's code from that source
    folder (put first on ``PYTHONPATH``), to compare two versions."""
    more = ["--workers", str(workers)] if workers else []
    env = None
    if src is not None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "--db", str(db), "serve", "--port", str(port), *more],
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/feeds", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("newsdesk serve did not start")


def _table(title: str, timings: dict[str, list[float]], cpu: dict[str, tuple[float | None, float]]) -> Table:
    table = Table(
        "endpoint",
        "requests",
        "p50 ms",
        "p95 ms",
        "mean ms",
        "max ms",
        "goal p95 ms",
        "server CPU ms/req",
        "client CPU ms/req",
        title=title,
    )
    for name, values in timings.items():
        server, own = cpu.get(name, (None, None))
        table.add_row(
            name,
            str(len(values)),
            f"{percentile(values, 0.5):.1f}",
            f"{percentile(values, 0.95):.1f}",
            f"{statistics.fmean(values):.1f}",
            f"{max(values):.1f}",
            f"{GOALS[name]:.0f}",
            "" if server is None else f"{server:.2f}",
            "" if own is None else f"{own:.2f}",
        )
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300, help="timed requests per endpoint")
    parser.add_argument("--db", type=Path, help="the store to build or reuse (default: a temporary one)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--clients", type=int, default=1, help="concurrent clients (1: sequential)")
    parser.add_argument("--workers", type=int, help="the server's processes (default: web.workers)")
    parser.add_argument(
        "--client", choices=loadgen.CLIENTS, default="raw", help="the concurrent load generator (see loadgen)"
    )
    parser.add_argument(
        "--server-src",
        type=Path,
        action="append",
        help="serve newsdesk from this source folder; given twice or more, each is served and measured "
        "in turn, round after round, a new server each time (an A/B comparison in one invocation)",
    )
    parser.add_argument("--rounds", type=int, default=1, help="rounds of every server (with --server-src)")
    args = parser.parse_args(argv)
    console = Console(width=150)
    sources: list[Path | None] = list(args.server_src or [None])
    with tempfile.TemporaryDirectory(prefix="newsdesk-web-bench-") as tmp:
        db = args.db or Path(tmp) / "bench.db"
        marker = db.with_suffix(".articles")
        if not (db.exists() and marker.exists() and int(marker.read_text()) == args.articles):
            db.unlink(missing_ok=True)
            build_store(db, args.data, args.articles, console)
            marker.write_text(str(args.articles))
        for round_ in range(1, args.rounds + 1):
            for src in sources:
                # A new server for every round: each starts with an empty read cache, as after a commit.
                port = free_port()
                process = serve(db, port, workers=args.workers, src=src)
                try:
                    base = f"http://127.0.0.1:{port}"
                    cpu: dict[str, tuple[float | None, float]] = {}
                    if args.clients > 1:
                        timings, cpu = measure_concurrent(
                            base, args.requests, args.clients, console, args.client, process.pid
                        )
                    else:
                        timings = measure(base, args.requests, console)
                finally:
                    process.terminate()
                    process.wait(timeout=10)
                title = f"{args.articles} articles, {args.clients} concurrent client(s)"
                if args.clients > 1:
                    title += f" ({args.client})"
                if src is not None:
                    title += f", server from {src}, round {round_}"
                load = " ".join(f"{x:.2f}" for x in os.getloadavg())
                console.print(_table(f"{title}, load {load}", timings, cpu))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
