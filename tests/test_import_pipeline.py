"""`newsdesk import`: the same text at other URLs across runs and batches, the worker pool, resuming."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from newsdesk.dedupe import deduplicate, fingerprint
from newsdesk.models import Article, RawPage
from newsdesk.pipeline import process
from newsdesk.pipeline.imports import import_paths
from newsdesk.settings import Settings
from newsdesk.store import Store, queries, schema
from newsdesk.store import pages as page_store

from .support import Cli, write_config

TEXT = (
    "The harbour board of {town} voted on Tuesday to dredge the eastern channel before the autumn storms, "
    "after pilots warned that the larger ferries could no longer turn at low tide. The works will close "
    "the fish market quay for six weeks, and the board promised the traders a temporary berth."
)
PID_LOG = "NEWSDESK_TEST_PID_LOG"
_PREPARE = process.prepare_batch
_EXTRACT = process.extract_items


def _html(town: str) -> str:
    body = "".join(f"<p>{TEXT.format(town=town)} Paragraph {k}.</p>" for k in range(4))
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{town} harbour</title></head><body><article>'
        f"<h1>{town} will dredge its harbour channel</h1>{body}</article></body></html>"
    )


def _text_record(url: str, town: str) -> dict:
    paragraphs = "\n".join(f"{TEXT.format(town=town)} Paragraph {k}." for k in range(4))
    return {"url": url, "title": f"{town} will dredge its harbour channel", "text": paragraphs}


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    return path


def _settings(tmp_path: Path, workers: int = 0) -> Settings:
    return replace(Settings(db=str(tmp_path / "store.db")), extract_workers=workers)


def _counts(store: Store) -> tuple[int, dict[str, int]]:
    """Articles stored, and raw pages by status."""
    with store.session() as session:
        articles = session.scalar(select(func.count()).select_from(schema.Article)) or 0
        statuses = dict(
            session.execute(select(schema.RawPage.status, func.count()).group_by(schema.RawPage.status)).all()
        )
    return articles, statuses


def _stored(db: Path) -> int:
    """Articles in a store another process is writing (0 while it has none, or no tables yet)."""
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as connection:
            return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


COPIES = [f"https://{site}.example/harbour-dredging" for site in ("first", "second", "third")]


@pytest.mark.parametrize("kind", ["html", "text"])
def test_the_same_text_at_a_third_url_in_a_later_import_is_a_duplicate(tmp_path: Path, kind: str) -> None:
    def record(url: str) -> dict:
        return {"url": url, "html": _html("Portsea")} if kind == "html" else _text_record(url, "Portsea")

    settings = _settings(tmp_path)
    store = Store(settings.db_url)
    first = import_paths(store, settings, [_write(tmp_path / "a.jsonl", [record(u) for u in COPIES[:2]])])
    second = import_paths(store, settings, [_write(tmp_path / "b.jsonl", [record(COPIES[2])])])
    assert (first.processed.stored, first.processed.duplicates) == (1, 1)
    assert (second.processed.stored, second.processed.duplicates) == (0, 1)
    articles, statuses = _counts(store)
    assert articles == 1
    if kind == "html":
        assert statuses == {"done": 1, "duplicate": 2}
    store.close()


@pytest.mark.parametrize("workers", [0, 2], ids=["inline", "two-workers"])
def test_the_same_text_in_two_batches_of_one_import_is_a_duplicate(tmp_path: Path, workers: int) -> None:
    settings = _settings(tmp_path, workers)
    store = Store(settings.db_url)
    records = [{"url": url, "html": _html("Portsea")} for url in COPIES]
    stats = import_paths(store, settings, [_write(tmp_path / "a.jsonl", records)], batch_size=1)
    assert (stats.processed.stored, stats.processed.duplicates) == (1, 2)
    assert _counts(store) == (1, {"done": 1, "duplicate": 2})
    store.close()


def test_fingerprint_sets_the_hash_deduplicate_compares() -> None:
    def article(url: str) -> Article:
        return Article(url, url, "example.org", "Title", None, None, None, datetime.now(UTC), ["Same text."])

    a, b = article("https://a.example/1"), article("https://b.example/1")
    with pytest.raises(ValueError, match="no content hash"):
        deduplicate([a], set(), set())
    assert fingerprint([a, b]) == [a.content_hash, b.content_hash]
    assert a.content_hash == b.content_hash
    assert deduplicate([b], set(), {a.content_hash}) == ([], [b])


def _prepare_recording_pid(items, settings, extraction=None):  # noqa: ANN001, ANN202 - for prepare_batch
    with open(os.environ[PID_LOG], "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {sum(item.page_id is None for item in items)} {len(items)} {os.nice(0)}\n")
    return _PREPARE(items, settings, extraction)


def _extract_recording_pid(items):  # noqa: ANN001, ANN202 - stands in for extract_items
    with open(os.environ[PID_LOG] + ".extract", "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {len(items)} {os.nice(0)}\n")
    return _EXTRACT(items)


def test_import_prepares_pages_and_text_records_in_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "pids.log"
    monkeypatch.setenv(PID_LOG, str(log))
    monkeypatch.setattr(process, "prepare_batch", _prepare_recording_pid)
    monkeypatch.setattr(process, "extract_items", _extract_recording_pid)
    monkeypatch.setattr(process, "embedding_model_loaded", lambda: False)
    pages = [{"url": f"https://news.example/p/{i}", "html": _html(f"Town{i}")} for i in range(40)]
    texts = [_text_record(f"https://news.example/t/{i}", f"Village{i}") for i in range(40)]
    settings = _settings(tmp_path, workers=2)
    store = Store(settings.db_url)
    stats = import_paths(store, settings, [_write(tmp_path / "mixed.jsonl", pages + texts)], batch_size=16)
    assert (stats.records, stats.processed.stored, stats.processed.failed) == (80, 80, 0)
    rows = [tuple(map(int, line.split())) for line in log.read_text("utf-8").splitlines()]
    assert sum(n for _, _, n, _ in rows) == 80  # every item prepared once
    children = [(texts_in_batch, n) for pid, texts_in_batch, n, _ in rows if pid != os.getpid()]
    assert sum(n - t for t, n in children) > 0, "no page was prepared in a worker process"
    assert sum(t for t, _ in children) > 0, "no text record was prepared in a worker process"
    # While this process loaded the models, another one extracted the first batches.
    early = [tuple(map(int, line.split())) for line in Path(f"{log}.extract").read_text("utf-8").splitlines()]
    extractors = {pid for pid, _, _ in early} - {pid for pid, _, _, _ in rows}
    assert extractors and extractors != {os.getpid()}, "the first batches were not extracted ahead"
    # Both kinds of worker yield the CPU to interactive work: they run extract_nice lower.
    lowered = min(os.nice(0) + settings.extract_nice, 19)
    assert {nice for pid, _, _, nice in rows if pid != os.getpid()} == {lowered}
    assert {nice for pid, _, nice in early if pid in extractors} == {lowered}
    store.close()


def test_an_import_takes_up_the_pages_an_interrupted_one_left_pending(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    store = Store(settings.db_url)
    records = [{"url": f"https://news.example/p/{i}", "html": _html(f"Town{i}")} for i in range(6)]
    # An import killed after saving its first pages and before processing them.
    with store.session() as session:
        for record in records[:4]:
            page_store.save_raw_page(
                session, RawPage(url=record["url"], html=record["html"]), datetime.now(UTC)
            )
    stats = import_paths(store, settings, [_write(tmp_path / "a.jsonl", records)])
    assert stats.processed.stored == 6
    assert _counts(store) == (6, {"done": 6})
    again = import_paths(store, settings, [tmp_path / "a.jsonl"])
    assert (again.processed.stored, again.processed.duplicates) == (0, 6)
    assert _counts(store)[0] == 6
    store.close()


def test_an_imported_page_keeps_the_outlet_and_language_its_record_names(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    store = Store(settings.db_url)
    record = {"url": "https://n.example/p/1", "html": _html("Lund"), "outlet": "Foo Times", "language": "de"}
    plain = {"url": "https://n.example/p/2", "html": _html("Vik")}
    import_paths(store, settings, [_write(tmp_path / "a.jsonl", [record, plain])])
    with store.session() as session:
        outlets = {a.url: a.outlet for a in queries.iter_articles(session, None)}
        hints = {
            page.url: (page.outlet, page.feed_language) for _, page in page_store.pages_by_id(session, [1, 2])
        }
    assert outlets == {"https://n.example/p/1": "Foo Times", "https://n.example/p/2": "n.example"}
    assert hints == {"https://n.example/p/1": ("Foo Times", "de"), "https://n.example/p/2": (None, None)}
    store.close()


def test_import_command_counts_and_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = [{"url": url, "html": _html("Portsea")} for url in COPIES[:2]] + [
        _text_record(COPIES[2], "Portsea")
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in good) + "{not json\n", "utf-8")
    cli = Cli(tmp_path / "cli.db", write_config(tmp_path), lang="en")
    result = cli("import", str(path))
    assert re.search(r"3 records read, 1 articles? stored, 2 duplicates, 1 failed", result.output)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_a_killed_import_resumes_without_duplicates(tmp_path: Path, sig: signal.Signals) -> None:
    n = 80
    records = [{"url": f"https://news.example/p/{i}", "html": _html(f"Town{i}")} for i in range(n)]
    path = _write(tmp_path / "pages.jsonl", records)
    db, config = tmp_path / "store.db", write_config(tmp_path)
    command = [sys.executable, "-m", "newsdesk", "--db", str(db), "--config", str(config)]
    command += ["import", str(path)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Kill it once the first batch is committed and before the last one is.
        while proc.poll() is None and not (db.exists() and 0 < _stored(db) < n):
            time.sleep(0.05)
        proc.send_signal(sig)
        proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0, "the import should have been interrupted"
    again = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert again.returncode == 0, again.stderr
    store = Store(f"sqlite:///{db}")
    articles, statuses = _counts(store)
    store.close()
    assert articles == n
    assert statuses == {"done": n}


def _dated_html(i: int) -> str:
    topics = ["tram line", "flood defences", "school budget", "harbour dredging", "bus depot", "new library"]
    topic = topics[i % len(topics)]
    body = "".join(
        f"<p>Councillors in district {i} debated the {topic} on Monday. Paragraph {k} adds that the vote "
        f"on the {topic} was put off to next month after residents asked for more time.</p>"
        for k in range(4)
    )
    published = datetime(2025, 3, 30 - i, 9, tzinfo=UTC).isoformat()  # the later in the file, the older
    return (
        f'<html lang="en"><head><meta property="article:published_time" content="{published}"></head>'
        f"<body><article><h1>District {i} and the {topic}</h1>{body}</article></body></html>"
    )


def test_the_stories_do_not_depend_on_the_batches(tmp_path: Path) -> None:
    records = [{"url": f"https://council.example/{i}", "html": _dated_html(i)} for i in range(12)]
    path = _write(tmp_path / "dated.jsonl", records)
    results = []
    for batch_size in (4, 64):
        settings = replace(_settings(tmp_path), db=str(tmp_path / f"b{batch_size}.db"))
        store = Store(settings.db_url)
        import_paths(store, settings, [path], batch_size=batch_size)
        with store.session() as session:
            query = select(schema.Article.url, schema.Membership.story_id).join(schema.Membership)
            results.append(sorted(session.execute(query).all()))
        store.close()
    assert results[0] == results[1]
    assert len(results[0]) == 12


def test_text_records_stored_already_are_not_enriched_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(tmp_path)
    store = Store(settings.db_url)
    texts = [_text_record(f"https://news.example/t/{i}", f"Village{i}") for i in range(3)]
    path = _write(tmp_path / "texts.jsonl", texts)
    assert import_paths(store, settings, [path]).processed.stored == 3

    def not_again(items, settings):  # noqa: ANN001, ANN202
        raise AssertionError(f"{len(items)} records prepared again")

    monkeypatch.setattr(process, "prepare_batch", not_again)
    again = import_paths(store, settings, [path])
    assert (again.records, again.processed.stored, again.processed.duplicates) == (3, 0, 3)
    store.close()
