"""Acceptance: killing `newsdesk fetch` or `import` (Ctrl-C or SIGKILL, at any point) loses nothing stored
and stores nothing twice; the next plain run completes the work."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from newsdesk.testing.httpserver import FixtureServer, Route

N_ARTICLES = 12

PARAGRAPH = (
    "The regional council of {town} met on Monday to discuss the new tram line, the budget for schools "
    "and a plan to repair the bridges damaged by last winter's floods. Councillors from every party said "
    "the works were overdue and asked the treasury for an answer before the summer recess."
)


def _site(server: FixtureServer) -> None:
    items = []
    for i in range(N_ARTICLES):
        town = f"Town{i}"
        body = "".join(f"<p>{PARAGRAPH.format(town=town)} Item {i}, paragraph {k}.</p>" for k in range(4))
        html = (
            f'<!DOCTYPE html><html lang="en"><head><title>Council {i}</title></head><body><article>'
            f"<h1>Council of {town} debates tram line</h1>{body}</article></body></html>"
        )
        # Pages answer slowly so that the run can be interrupted half way.
        server.add_route(f"/a/{i}.html", Route(body=html, content_type="text/html; charset=utf-8", delay=0.4))
        items.append(
            f"<item><title>Council of {town} debates tram line</title>"
            f"<link>{server.url}/a/{i}.html</link></item>"
        )
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Councils</title>'
        f"<link>https://councils.example/</link>{''.join(items)}</channel></rss>"
    )
    server.add_route("/feed.xml", Route(body=feed, content_type="application/rss+xml"))


def _newsdesk(db: Path, config: Path, *args: str, **kwargs) -> subprocess.Popen:
    # A child inherits an ignored SIGINT; then Ctrl-C could not be tested at all.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler, "SIGINT is not at its default here"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "--db", str(db), "--config", str(config), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **kwargs,
    )


def _count_articles(db: Path, config: Path) -> int:
    proc = _newsdesk(db, config, "export")
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    return len(stdout.splitlines())


def _subscribed(tmp_path: Path, server: FixtureServer, concurrency: int) -> tuple[Path, Path]:
    """A config for the local server and a store subscribed to its feed: (db, config)."""
    config = tmp_path / "newsdesk.toml"
    config.write_text(
        f"[fetch]\nallow_private = true\nper_host_delay = 0.0\nper_host_concurrency = {concurrency}\n",
        "utf-8",
    )
    db = tmp_path / "store.db"
    _site(server)
    add = _newsdesk(db, config, "feeds", "add", "--no-check", server.url + "/feed.xml")
    assert add.wait(timeout=120) == 0
    return db, config


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_killed_fetch_resumes(tmp_path: Path, sig: signal.Signals) -> None:
    with FixtureServer() as server:
        db, config = _subscribed(tmp_path, server, concurrency=2)
        proc = _newsdesk(db, config, "fetch")
        deadline = time.monotonic() + 120
        # Wait until some pages have been fetched (the server saw them), then kill.
        while time.monotonic() < deadline:
            pages = [r for r in server.requests if r.path.startswith("/a/")]
            if len(pages) >= 4:
                break
            time.sleep(0.05)
        proc.send_signal(sig)
        proc.communicate(timeout=120)
        assert proc.returncode != 0, "the run should have been interrupted"
        before = _count_articles(db, config)
        assert before < N_ARTICLES
        again = _newsdesk(db, config, "fetch", "--all")
        stdout, stderr = again.communicate(timeout=300)
        assert again.returncode == 0, stderr
        assert _count_articles(db, config) == N_ARTICLES
        stories = _newsdesk(db, config, "stories", "--since", "all", "--json")
        out, _ = stories.communicate(timeout=120)
        assert sum(len(s["articles"]) for s in json.loads(out)) == N_ARTICLES


def test_run_keeps_polling_until_interrupted(tmp_path: Path) -> None:
    with FixtureServer() as server:
        db, config = _subscribed(tmp_path, server, concurrency=4)
        proc = _newsdesk(db, config, "run", "--check-every", "1")
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and _count_articles(db, config) < N_ARTICLES:
                assert proc.poll() is None, proc.communicate()[1]
                time.sleep(1.0)
            assert _count_articles(db, config) == N_ARTICLES
            proc.send_signal(signal.SIGINT)
            _, stderr = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0, stderr
    assert "stopped; what was stored is kept" in stderr
    assert _count_articles(db, config) == N_ARTICLES


KILL_SEED = 20251205
KILLS = 5  # of each command, alternating on one store
IMPORT_PAGES = 100  # two chunks of raw pages saved


def _rows(db: Path, sql: str) -> int:
    """One number from a store another process may be writing (0 while it has no tables yet)."""
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as connection:
            return connection.execute(sql).fetchone()[0]
    except sqlite3.Error:
        return 0


def _imported(db: Path) -> int:
    """The imported pages saved plus the imported articles stored: what an import has done."""
    return sum(
        _rows(db, f"SELECT count(*) FROM {table} WHERE url LIKE 'https://harbour.%'")
        for table in ("raw_pages", "articles")
    )


def _import_page(town: str) -> str:
    body = "".join(f"<p>{PARAGRAPH.format(town=town)} Harbour {town}, paragraph {k}.</p>" for k in range(4))
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>Harbour {town}</title></head><body><article>'
        f"<h1>Harbour of {town} dredged</h1>{body}</article></body></html>"
    )


def _kill_when(proc: subprocess.Popen, reached: Callable[[], bool]) -> bool:
    """SIGKILL ``proc`` as soon as ``reached()``; False when it finished first."""
    while proc.poll() is None and not reached():
        time.sleep(0.02)
    killed = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=120)
    return killed


def test_sigkill_at_random_points_then_a_plain_rerun_stores_every_page_once(tmp_path: Path) -> None:
    """``import`` and ``fetch`` take turns on one store and are killed (SIGKILL) at random points
    (seeded): while pages are saved, fetched or processed. A plain rerun of each then leaves every
    page stored once, as one article, one story membership and one search row, none pending."""
    rng = random.Random(KILL_SEED)
    records = [
        {"url": f"https://harbour.example/{i}", "html": _import_page(f"Port{i}")} for i in range(IMPORT_PAGES)
    ]
    pages = tmp_path / "pages.jsonl"
    pages.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    log: list[str] = []
    with FixtureServer() as server:
        db, config = _subscribed(tmp_path, server, concurrency=2)

        def requested() -> int:
            return sum(1 for r in server.requests if r.path.startswith("/a/"))

        for round_ in range(KILLS):
            # import: killed once the raw pages saved plus the articles stored reach a random count
            done = _imported(db)
            target = done + rng.randint(1, max(1, (2 * IMPORT_PAGES - done) // 2))
            proc = _newsdesk(db, config, "import", str(pages))
            killed = _kill_when(proc, lambda target=target: _imported(db) >= target)
            log.append(f"import {round_}: at {target} rows{'' if killed else ' (had finished)'}")
            # fetch: killed once the server has answered a random number more pages (0: the feed only)
            left = N_ARTICLES - _rows(db, "SELECT count(*) FROM raw_pages WHERE url LIKE 'http://127.%'")
            target = requested() + rng.randint(0, max(0, left // 2))
            proc = _newsdesk(db, config, "fetch", "--all")
            killed = _kill_when(
                proc, lambda target=target: requested() >= target and bool(server.requests_for("/feed.xml"))
            )
            log.append(f"fetch {round_}: at {target} pages{'' if killed else ' (had finished)'}")
        for args in (["import", str(pages)], ["fetch", "--all"]):
            again = _newsdesk(db, config, *args)
            _, stderr = again.communicate(timeout=300)
            assert again.returncode == 0, f"{stderr}\n{log}"
            assert "Traceback" not in stderr
    assert sum("finished" not in line for line in log) >= 2 * KILLS - 2, log
    total = IMPORT_PAGES + N_ARTICLES
    counts = {
        "articles": _rows(db, "SELECT count(*) FROM articles"),
        "urls": _rows(db, "SELECT count(DISTINCT url) FROM articles"),
        "memberships": _rows(db, "SELECT count(*) FROM memberships"),
        "search rows": _rows(db, "SELECT count(*) FROM articles_fts"),
        "pages": _rows(db, "SELECT count(DISTINCT url) FROM raw_pages"),
        "pages done": _rows(db, "SELECT count(*) FROM raw_pages WHERE status = 'done'"),
    }
    assert counts == dict.fromkeys(counts, total), log
    with closing(sqlite3.connect(db)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
