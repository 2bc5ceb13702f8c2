"""Two writers on one store: one at a time (the writer lock, ``store/locks.py``), the second waits
with a message or stops with one, never a traceback; the lock dies with a killed holder."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from newsdesk.store import Store
from newsdesk.store.locks import (
    StoreBusy,
    Writer,
    _application_name,
    _parse_application_name,
    store_name,
    this_writer,
    writer_lock,
)
from newsdesk.testing.httpserver import FixtureServer, Route

from .support import Cli, write_config

HOLD = (
    "import sys\n"
    "from newsdesk.store.locks import writer_lock\n"
    "with writer_lock(sys.argv[1], sys.argv[2]):\n"
    "    print('held', flush=True)\n"
    "    sys.stdin.read()\n"
)
WAITING = "waiting for the other newsdesk process writing to"

TOPICS = {
    "harbour": "The harbour board of {town} voted to dredge the eastern channel before the autumn storms, "
    "after pilots warned that the larger ferries could no longer turn at low tide.",
    "election": "Voters in {town} elect a new mayor on Sunday after a campaign dominated by housing, "
    "rents and the closure of the old hospital, with four candidates still close in the polls.",
    "football": "{town} United won the cup final on penalties after a goalless match, the goalkeeper "
    "saving two kicks before the captain lifted the trophy in front of forty thousand fans.",
    "storm": "A storm with gusts of 140 km/h cut power to thousands of homes around {town} overnight, "
    "felled trees across the railway line and flooded the cellars of the old town.",
}


def _holder(url: str, command: str = "import") -> subprocess.Popen:
    """Another process holding the writer lock of ``url`` until its stdin is closed."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, url, command], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def _newsdesk(db: Path, config: Path, *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "newsdesk", "--db", str(db), "--config", str(config), *args]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "400"}
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _wait_for_line(proc: subprocess.Popen, text: str) -> str:
    """Read ``proc``'s standard error up to the line holding ``text``."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if text in line:
            return line
    raise AssertionError(f"{text!r} never printed (exit {proc.wait()})")


def _page(topic: str, town: str) -> str:
    body = "".join(f"<p>{TOPICS[topic].format(town=town)} Paragraph {k}.</p>" for k in range(4))
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{town} {topic}</title></head><body><article>'
        f"<h1>{town}: {topic} news</h1>{body}</article></body></html>"
    )


def test_a_second_writer_stops_with_a_message_and_readers_go_on(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    Store(f"sqlite:///{db}").close()
    holder = _holder(f"sqlite:///{db}")
    try:
        cli = Cli(db, write_config(tmp_path), lang="en")
        path = tmp_path / "a.jsonl"
        path.write_text(json.dumps({"url": "https://a.example/1", "html": _page("storm", "Kiel")}) + "\n")
        for args in (["import", str(path)], ["fetch"], ["reprocess"]):
            result = cli(*args, "--wait", "0", ok=False)
            assert result.exit_code == 1, result.output
            assert f"another newsdesk process is writing to {db} (pid {holder.pid}, `import`, since" in (
                " ".join(result.output.split())
            )
            assert "Traceback" not in result.output
        assert cli("stories", "--since", "all").exit_code == 0  # readers never take the lock
    finally:
        holder.communicate("")
    with closing(sqlite3.connect(db)) as connection:
        assert connection.execute("SELECT count(*) FROM raw_pages").fetchone()[0] == 0


def test_the_lock_dies_with_a_killed_holder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    holder = _holder(url, "fetch")
    with pytest.raises(StoreBusy) as busy, writer_lock(url, "import", wait=0):
        pass
    assert busy.value.holder is not None
    assert (busy.value.holder.pid, busy.value.holder.command) == (holder.pid, "fetch")
    holder.send_signal(signal.SIGKILL)
    holder.communicate()
    with writer_lock(url, "import", wait=0) as me:
        assert me.pid == os.getpid()


def test_a_process_forked_while_the_lock_is_held_does_not_keep_it(tmp_path: Path) -> None:
    """Workers forked during a round (the pipeline's pool) may still be exiting after it: the
    lock must go with the round, not with the last of them."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    read, write = os.pipe()
    started, ready = os.pipe()
    with writer_lock(url, "run"):
        child = os.fork()
        if child == 0:  # a worker that outlives the round
            os.write(ready, b"1")
            os.read(read, 1)
            os._exit(0)
        assert os.read(started, 1) == b"1"  # the worker runs
    try:
        with writer_lock(url, "fetch", wait=0) as me:
            assert me.pid == os.getpid()
    finally:
        os.write(write, b"1")
        os.waitpid(child, 0)
        for fd in (read, write, started, ready):
            os.close(fd)


def test_two_imports_at_once_take_turns_and_keep_their_stories_apart(tmp_path: Path) -> None:
    """Was: each process numbered new stories from its own clusterer, merging unrelated articles."""
    db, config = tmp_path / "store.db", write_config(tmp_path)
    files = {}
    for name, topics in (("a", ["harbour", "election"]), ("b", ["football", "storm"])):
        records = [
            {"url": f"https://{name}.example/{topic}/{i}", "html": _page(topic, f"Town{i}")}
            for topic in topics
            for i in range(5)
        ]
        files[name] = tmp_path / f"{name}.jsonl"
        files[name].write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    # This process holds the lock while both imports start, so that both have to wait for it.
    with writer_lock(f"sqlite:///{db}", "test"):
        procs = [_newsdesk(db, config, "import", str(files[name])) for name in ("a", "b")]
        for proc in procs:
            assert str(os.getpid()) in _wait_for_line(proc, WAITING)
    outputs = [proc.communicate(timeout=300) for proc in procs]
    for proc, (_, stderr) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, stderr
        assert "Traceback" not in stderr
    new_stories = sum(int(re.search(r"(\d+) new stor", out).group(1)) for out, _ in outputs)
    with closing(sqlite3.connect(db)) as connection:
        members = connection.execute(
            "SELECT m.story_id, a.url FROM memberships m JOIN articles a ON a.id = m.article_id"
        ).fetchall()
    assert len(members) == 20
    stories: dict[int, set[str]] = {}
    for story_id, url in members:
        stories.setdefault(story_id, set()).add(url.split("/")[2])
    assert len(stories) == new_stories
    assert all(len(hosts) == 1 for hosts in stories.values()), stories


def test_two_fetches_at_once_fetch_every_page_once(tmp_path: Path) -> None:
    db, config = tmp_path / "store.db", write_config(tmp_path)
    with FixtureServer() as server:
        items = []
        for i in range(6):
            url = server.add_route(
                f"/a/{i}.html", Route(body=_page("storm", f"Town{i}"), content_type="text/html")
            )
            items.append(f"<item><title>Storm {i}</title><link>{url}</link></item>")
        channel = "<title>Storms</title>" + "".join(items)
        feed = f'<?xml version="1.0"?><rss version="2.0"><channel>{channel}</channel></rss>'
        server.add_route("/feed.xml", Route(body=feed, content_type="application/rss+xml"))
        Cli(db, config, lang="en")("feeds", "add", "--no-check", server.url + "/feed.xml")
        with writer_lock(f"sqlite:///{db}", "test"):
            procs = [_newsdesk(db, config, "fetch", "--all") for _ in range(2)]
            for proc in procs:
                _wait_for_line(proc, WAITING)
        for proc in procs:
            _, stderr = proc.communicate(timeout=300)
            assert proc.returncode == 0, stderr
        assert [len(server.requests_for(f"/a/{i}.html")) for i in range(6)] == [1] * 6
    with closing(sqlite3.connect(db)) as connection:
        assert connection.execute("SELECT count(*) FROM articles").fetchone()[0] == 6


def test_holder_names_survive_postgres_application_names() -> None:
    me = this_writer("import")
    assert _parse_application_name(_application_name(me)) == me
    long = Writer(me.pid, "h" * 80, "reprocess", me.since)
    parsed = _parse_application_name(_application_name(long))
    assert parsed is not None and (parsed.pid, parsed.command) == (me.pid, "reprocess")
    assert _parse_application_name("psql") is None
    assert store_name("postgresql://news:secret@db.example/news") == "postgresql://news:***@db.example/news"


def test_postgres_writer_lock_is_held_by_one_process_and_dies_with_it() -> None:
    url = os.environ.get("NEWSDESK_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("NEWSDESK_TEST_POSTGRES_URL is not set")
    holder = _holder(url, "run")
    with pytest.raises(StoreBusy) as busy, writer_lock(url, "import", wait=0):
        pass
    assert busy.value.holder is not None
    assert (busy.value.holder.pid, busy.value.holder.command) == (holder.pid, "run")
    holder.send_signal(signal.SIGKILL)
    holder.communicate()
    # The server lets the lock go once it sees the connection closed: wait for that, then take it.
    # While it is held here, no one else gets it.
    with writer_lock(url, "import", wait=60), pytest.raises(StoreBusy), writer_lock(url, "fetch", wait=0):
        pass
