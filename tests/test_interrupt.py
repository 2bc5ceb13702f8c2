"""Acceptance: killing `newsdesk fetch` loses nothing stored; the next fetch completes the work."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
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
