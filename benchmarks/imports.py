"""``newsdesk import`` throughput over real pages, with plain trafilatura as the baseline.

    python -m benchmarks.imports [--data ../shared/data] [--runs N]

Builds a JSON Lines file ``{url, html}`` in a temporary folder from the pages of the
article-extraction-benchmark (181) and the trafilatura evaluation subset (118), then, in one
invocation: the baseline (``trafilatura.extract`` over the same pages, in this process, reading the
file included) and the exact command ``newsdesk --db TMP import FILE`` run as a subprocess into a
fresh store, timed from start to exit (start-up and model loading included), with default settings.
Prints pages/s for both and their ratio.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from newsdesk.ingest.archives import page_url
from newsdesk.ingest.charset import decode_html

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
AEB = "article-extraction-benchmark"
TRAFILATURA = "trafilatura-eval-subset"
SYNTHETIC = "https://trafilatura-eval.example/"


def build_records(data: Path, target: Path) -> int:
    """Write the two sets' pages to ``target`` as JSON Lines ``{url, html}``; the number written."""
    count = 0
    with target.open("w", encoding="utf-8") as out:
        truth = json.loads((data / AEB / "ground-truth.json").read_text("utf-8"))
        for key in sorted(truth):
            raw = gzip.decompress((data / AEB / "html" / f"{key}.html.gz").read_bytes())
            out.write(json.dumps({"url": truth[key]["url"], "html": raw.decode("utf-8", "replace")}) + "\n")
            count += 1
        annotations = json.loads((data / TRAFILATURA / "evaldata.subset.json").read_text("utf-8"))
        for key in sorted(annotations):
            name = annotations[key]["file"]
            # A few pages hold NUL characters, which the import refuses: they are dropped here.
            html = decode_html((data / TRAFILATURA / "html" / name).read_bytes()).replace("\x00", "")
            # Some keys are not URLs ("hard::…"): the page's own canonical URL stands in, else one made up.
            url = key if key.startswith(("http://", "https://")) else page_url(html) or f"{SYNTHETIC}{name}"
            out.write(json.dumps({"url": url, "html": html}) + "\n")
            count += 1
    return count


def baseline(records: Path) -> int:
    """Plain trafilatura over every record of the file, in this process; the pages with a body."""
    import trafilatura

    found = 0
    with records.open(encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            found += bool(trafilatura.extract(record["html"], url=record["url"]))
    return found


def newsdesk_command() -> list[str]:
    """``newsdesk`` as installed beside this interpreter, else ``python -m newsdesk``."""
    script = Path(sys.executable).parent / "newsdesk"
    if script.exists():
        return [str(script)]
    found = shutil.which("newsdesk")
    return [found] if found else [sys.executable, "-m", "newsdesk"]


def run_import(records: Path, db: Path) -> tuple[float, float, str]:
    """Run ``newsdesk --db DB import FILE``: (seconds, CPU seconds with its workers, summary line)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [*newsdesk_command(), "--db", str(db), "import", str(records)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "150"},
        check=False,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if done.returncode != 0:
        raise SystemExit(f"newsdesk import failed ({done.returncode}):\n{done.stderr[-2000:]}")
    summary = next((line for line in done.stdout.splitlines() if "records read" in line), done.stdout.strip())
    return seconds, cpu, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--runs", type=int, default=1, help="import runs (each into a fresh store)")
    args = parser.parse_args(argv)
    console = Console(width=150)
    for name in (AEB, TRAFILATURA):
        if not (args.data / name).is_dir():
            console.print(f"[red]{args.data / name}: absent (the shared evaluation data is needed)")
            return 2
    with tempfile.TemporaryDirectory(prefix="newsdesk-import-bench-") as tmp:
        records = Path(tmp) / "pages.jsonl"
        n = build_records(args.data, records)
        console.print(f"{n} pages ({records.stat().st_size / 1e6:.1f} MB of JSON Lines) from {args.data}")
        start, cpu_start = time.perf_counter(), time.process_time()
        with_body = baseline(records)
        t_base, cpu_base = time.perf_counter() - start, time.process_time() - cpu_start
        runs = [run_import(records, Path(tmp) / f"store-{i}.db") for i in range(args.runs)]
    table = Table(title=f"newsdesk import benchmark ({n} pages)")
    for column in ("run", "seconds", "pages/s", "× baseline speed", "CPU seconds"):
        table.add_column(column, justify="left" if column == "run" else "right")
    base_rate = n / t_base
    table.add_row(
        "baseline: trafilatura.extract (one process)",
        f"{t_base:.2f}",
        f"{base_rate:.1f}",
        "1.00",
        f"{cpu_base:.1f}",
    )
    for i, (seconds, cpu, _) in enumerate(runs, start=1):
        rate = n / seconds
        label = "newsdesk import (subprocess, start-up included)" + (f" #{i}" if args.runs > 1 else "")
        table.add_row(label, f"{seconds:.2f}", f"{rate:.1f}", f"{rate / base_rate:.2f}", f"{cpu:.1f}")
    console.print(table)
    console.print(f"trafilatura found a body in {with_body} pages; newsdesk: {runs[-1][2]}")
    console.print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
