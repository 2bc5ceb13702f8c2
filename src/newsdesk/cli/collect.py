"""``newsdesk fetch``, ``run`` and ``import``: collecting and processing."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.progress import TaskID

from newsdesk.cli.common import err, fail, out, progress_bar, state
from newsdesk.pipeline.collect import CollectStats, collect
from newsdesk.pipeline.distributed import WorkerEngineError
from newsdesk.pipeline.imports import import_paths
from newsdesk.pipeline.process import ProcessStats, process_pending
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.store import feeds as feed_store


def fetch_once(store: Store, settings: Settings, force: bool = False) -> tuple[CollectStats, ProcessStats]:
    """Poll due feeds, fetch new pages, then process every pending page, with progress."""
    with progress_bar() as progress:
        feeds = progress.add_task("feeds", total=None)
        pages = progress.add_task("pages", total=None)

        def on_collect(kind: str, n: int) -> None:
            if kind == "feeds-total":
                progress.update(feeds, total=n)
            elif kind == "pages-total":
                progress.update(pages, total=n)
            else:
                progress.advance(feeds if kind == "feed" else pages, n)

        collected = collect(store, settings, force=force, progress=on_collect)
        work = progress.add_task("articles", total=None)
        processed = process_pending(store, settings, progress=lambda n: progress.advance(work, n))
        progress.update(work, total=progress.tasks[work].completed)
    return collected, processed


def report(collected: CollectStats, processed: ProcessStats) -> None:
    for error in collected.feed_errors:
        err.print(f"[yellow]feed:[/] {error}")
    for error in collected.page_errors:
        err.print(f"[yellow]page:[/] {error}")
    for error in processed.errors:
        err.print(f"[yellow]extraction:[/] {error}")
    out.print(
        f"{collected.feeds} feeds polled ({len(collected.feed_errors)} with errors), "
        f"{collected.pages} pages fetched, {processed.stored} articles stored, "
        f"{processed.duplicates} duplicates, {processed.failed} failed extractions, "
        f"{processed.new_stories} new stories"
    )


def fetch(
    ctx: typer.Context,
    all_feeds: bool = typer.Option(False, "--all", help="Poll every feed, due or not."),
) -> None:
    """Poll every due feed once; fetch new articles; extract, enrich, cluster, store."""
    app_state = state(ctx)
    try:
        report(*fetch_once(app_state.store, app_state.settings, force=all_feeds))
    except KeyboardInterrupt:
        fail("interrupted: what was stored is kept; run `newsdesk fetch` again to finish", code=130)
    except WorkerEngineError as exc:
        fail(f"{exc}; what was stored is kept")


def run(
    ctx: typer.Context,
    check_every: float = typer.Option(60.0, "--check-every", help="Seconds between looks for due feeds."),
) -> None:
    """Keep polling feeds (each at its own interval, conditional GET) until Ctrl-C."""
    app_state = state(ctx)
    store, settings = app_state.store, app_state.settings
    err.print(f"polling feeds (default interval {settings.fetch.feed_interval_minutes} min); Ctrl-C stops")
    try:
        while True:
            report(*fetch_once(store, settings))
            with store.session() as session:
                upcoming = [f.next_fetch for f in feed_store.list_feeds(session) if f.next_fetch]
            now = datetime.now(UTC)
            wait = min([(t - now).total_seconds() for t in upcoming] + [check_every])
            time.sleep(max(1.0, wait))
    except KeyboardInterrupt:
        err.print("stopped; what was stored is kept")
    except WorkerEngineError as exc:
        fail(f"{exc}; what was stored is kept")


def import_(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(
        ..., help="HTML files (.html, .html.gz), folders, or JSON Lines files."
    ),
) -> None:
    """Import pages: HTML files or folders of them, JSON Lines ({url, html} or {url, title, text})."""
    app_state = state(ctx)
    for path in paths:
        if not path.exists():
            fail(f"{path}: no such file or folder")
    try:
        with progress_bar() as progress:
            tasks: dict[str, TaskID] = {}

            def on_progress(kind: str, n: int) -> None:
                if kind not in tasks:
                    tasks[kind] = progress.add_task(kind, total=None)
                progress.advance(tasks[kind], n)

            stats = import_paths(app_state.store, app_state.settings, paths, progress=on_progress)
            for task in tasks.values():
                progress.update(task, total=progress.tasks[task].completed)
    except KeyboardInterrupt:
        fail("interrupted: what was stored is kept; importing again skips it and finishes the rest", code=130)
    except WorkerEngineError as exc:
        fail(f"{exc}; what was stored is kept")
    for failure in stats.failures + stats.processed.errors:
        err.print(f"[yellow]skipped:[/] {failure}")
    p = stats.processed
    out.print(
        f"{stats.records} records read, {p.stored} articles stored, {p.duplicates} duplicates, "
        f"{p.failed + len(stats.failures)} failed, {p.new_stories} new stories"
    )
