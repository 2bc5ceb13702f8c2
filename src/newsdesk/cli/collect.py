"""``newsdesk fetch``, ``run`` and ``import``: collecting and processing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from newsdesk.cli.common import Bars, counted, err, fail, labelled, out, private_hint, state

if TYPE_CHECKING:
    from newsdesk.cli.common import AppState
    from newsdesk.pipeline.collect import CollectStats
    from newsdesk.pipeline.process import ClustererCache, ProcessStats
    from newsdesk.settings import Settings
    from newsdesk.store import Store
    from newsdesk.store.locks import Writer

WAIT_HELP = (
    "Seconds to wait while another newsdesk process writes to the store "
    "(default: as long as it takes; 0: stop at once)."
)


def fetch_once(
    store: Store,
    settings: Settings,
    force: bool = False,
    transient: bool = False,
    cache: ClustererCache | None = None,
) -> tuple[CollectStats, ProcessStats]:
    """Poll due feeds and fetch new pages, processing the pending pages after each round of pages
    fetched and once more at the end; progress bars appear only while there is work. The
    clusterer is loaded once and kept between those rounds (and in ``cache`` for the next call)."""
    from newsdesk.pipeline.collect import collect
    from newsdesk.pipeline.images import fetch_thumbnails
    from newsdesk.pipeline.process import ClustererCache, ProcessStats, process_pending

    cache = cache if cache is not None else ClustererCache()

    with Bars(transient) as bars:

        def on_collect(kind: str, n: int) -> None:
            if kind.endswith("-total"):
                bars.total(kind.removesuffix("-total"), n)
            else:
                bars.advance("feeds" if kind == "feed" else "pages", n)

        processed = ProcessStats()

        def process() -> None:
            processed.add(
                process_pending(store, settings, progress=lambda n: bars.advance("articles", n), cache=cache)
            )

        collected = collect(store, settings, force=force, progress=on_collect, process=process)
        process()
        bars.finish("articles")
        fetch_thumbnails(store, settings)
    return collected, processed


def _copies(processed: ProcessStats) -> str:
    """ " (N wire copies)" after the articles stored, when some were."""
    return f" ({counted(processed.copies, 'wire copy', 'wire copies')})" if processed.copies else ""


def _new_stories(processed: ProcessStats) -> str:
    """``N new stories``, and how many articles left the story they started for one found later."""
    moved = processed.moved
    later = f" ({counted(moved, 'article')} moved to a story met later)" if moved else ""
    return counted(processed.new_stories, "new story", "new stories") + later


def summary(collected: CollectStats, processed: ProcessStats) -> str:
    """One line: what a round polled, fetched and stored."""
    errors = len(collected.feed_errors)
    return (
        f"{counted(collected.feeds, 'feed')} polled" + (f" ({errors} with errors)" if errors else "") + ", "
        f"{counted(collected.pages, 'page')} fetched, {counted(processed.stored, 'article')} stored"
        f"{_copies(processed)}, "
        f"{counted(processed.duplicates, 'duplicate')}, "
        f"{counted(processed.failed, 'failed extraction')}, "
        f"{processed.skipped} skipped (not articles), "
        f"{_new_stories(processed)}"
    )


def _clock(when: datetime) -> str:
    """A time in local time: ``14:05`` today, else ``2025-12-04 14:05``."""
    local = when.astimezone()
    return local.strftime("%H:%M" if local.date() == datetime.now().astimezone().date() else "%Y-%m-%d %H:%M")


def _holder(holder: Writer | None) -> str:
    """Who holds the writer lock: ``pid 812, `import`, since 14:05`` (and the host when it is another)."""
    import socket

    if holder is None:
        return "pid unknown"
    host = f" on {holder.host}" if holder.host and holder.host != socket.gethostname() else ""
    return f"pid {holder.pid}{host}, `{holder.command}`, since {_clock(holder.since)}"


@contextmanager
def writing(app_state: AppState, command: str, wait: float | None = None) -> Iterator[None]:
    """Hold the store's writer lock while the block runs (``store/locks.py``): one process at a time
    collects, processes and clusters. Waiting for another, say so; stop with a message (never a
    traceback) when ``wait`` seconds pass, on Ctrl-C, or when the lock cannot be taken at all."""
    from newsdesk.store.locks import StoreBusy, store_name, writer_lock

    url = app_state.settings.db_url
    name = store_name(url)

    def on_wait(holder: Writer | None) -> None:
        err.print(
            f"waiting for the other newsdesk process writing to {name} ({_holder(holder)}); Ctrl-C stops"
        )

    stack = ExitStack()
    try:
        stack.enter_context(writer_lock(url, command, wait, on_wait))
    except StoreBusy as exc:
        waited = f" after waiting {wait:g} s" if wait else ""
        fail(
            f"another newsdesk process is writing to {name} ({_holder(exc.holder)}){waited}; "
            "try again when it is done, or give --wait more seconds"
        )
    except KeyboardInterrupt:
        fail("interrupted while waiting for the other writer; nothing was written", code=130)
    except Exception as exc:
        fail(f"cannot take the writer lock of the store {name}: {exc}")
    with stack:
        yield


def waiting_note(store: Store) -> str:
    """Why nothing was polled: no feeds, or when the waiting ones are due again."""
    from newsdesk.store import feeds as feed_store

    with store.session() as session:
        waiting = feed_store.waiting_feeds(session, datetime.now(UTC))
    if not waiting:
        return "no feeds to poll: add one with `newsdesk feeds add URL`"
    retrying = [when for when, failed in waiting if failed]
    parts = []
    if retrying:
        parts.append(f"{counted(len(retrying), 'feed')} waiting to retry until {_clock(retrying[0])}")
    if len(retrying) < len(waiting):
        soonest = next(when for when, failed in waiting if not failed)
        parts.append(f"{counted(len(waiting) - len(retrying), 'feed')} next due at {_clock(soonest)}")
    return "; ".join(parts) + " (use --all to poll now)"


def report(collected: CollectStats, processed: ProcessStats, config: Path, stamp: bool = False) -> None:
    """Print the errors, a hint when private addresses were refused, and the round's summary line
    (with the time, for ``run``)."""
    for error in collected.feed_errors:
        err.print(labelled("feed:", "yellow", error))
    for error in collected.page_errors:
        err.print(labelled("page:", "yellow", error))
    for error in processed.errors:
        err.print(labelled("extraction:", "yellow", error))
    if hint := private_hint(collected.feed_errors + collected.page_errors, config):
        err.print(hint)
    line = summary(collected, processed)
    out.print(f"{datetime.now().strftime('%H:%M:%S')}  {line}" if stamp else line)


def fetch(
    ctx: typer.Context,
    all_feeds: bool = typer.Option(False, "--all", help="Poll every feed now, even those not due yet."),
    wait: float | None = typer.Option(None, "--wait", min=0.0, help=WAIT_HELP),
) -> None:
    """Poll every due feed once; fetch new articles; extract, enrich, cluster, store.

    Exits with 1 when feeds were due and none of them could be polled."""
    from newsdesk.pipeline.distributed import WorkerEngineError

    app_state = state(ctx)
    with writing(app_state, "fetch", wait):
        store = app_state.open_store(create=True)
        try:
            collected, processed = fetch_once(store, app_state.settings, force=all_feeds)
        except KeyboardInterrupt:
            fail("interrupted: what was stored is kept; run `newsdesk fetch` again to finish", code=130)
        except WorkerEngineError as exc:
            fail(f"{exc}; what was stored is kept")
    report(collected, processed, app_state.config)
    if not collected.feeds:
        err.print(waiting_note(store))
    elif len(collected.feed_errors) >= collected.feeds:
        fail(f"none of the {counted(collected.feeds, 'feed')} due could be polled (see the errors above)")


def run(
    ctx: typer.Context,
    check_every: float = typer.Option(
        60.0, "--check-every", min=1.0, help="Seconds between looks for due feeds."
    ),
) -> None:
    """Keep polling feeds (each at its own interval, conditional GET) until Ctrl-C; one line per round.
    After each round the alert rules are evaluated and their notifications delivered
    (``[alerts] enabled``).

    The store's writer lock is held for each round, not between rounds, so an ``import`` can run
    while this waits for the next feed."""
    from newsdesk.cli.alerts import run_after_round
    from newsdesk.pipeline.distributed import WorkerEngineError
    from newsdesk.pipeline.process import ClustererCache
    from newsdesk.store import feeds as feed_store

    app_state = state(ctx)
    settings = app_state.settings
    err.print(f"polling feeds (default interval {settings.fetch.feed_interval_minutes} min); Ctrl-C stops")
    cache = ClustererCache()  # the clusterer, kept between rounds while no other writer changes it
    try:
        while True:
            with writing(app_state, "run"):
                store = app_state.open_store(create=True)
                collected, processed = fetch_once(store, settings, transient=True, cache=cache)
            report(collected, processed, app_state.config, stamp=True)
            run_after_round(app_state, store)
            with store.session() as session:
                upcoming = [when for when, _ in feed_store.waiting_feeds(session, datetime.now(UTC))]
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
    wait: float | None = typer.Option(None, "--wait", min=0.0, help=WAIT_HELP),
) -> None:
    """Import pages: HTML files or folders of them, JSON Lines ({url, html} or {url, title, text})."""
    from newsdesk.pipeline.distributed import WorkerEngineError
    from newsdesk.pipeline.imports import import_paths

    app_state = state(ctx)
    for path in paths:
        if not path.exists():
            fail(f"{path}: no such file or folder")
    with writing(app_state, "import", wait):
        try:
            with Bars() as bars:
                store = app_state.open_store(create=True)
                stats = import_paths(store, app_state.settings, paths, progress=bars.advance)
                bars.finish("records")
                bars.finish("articles")
        except KeyboardInterrupt:
            fail(
                "interrupted: what was stored is kept; importing again skips it and finishes the rest",
                code=130,
            )
        except WorkerEngineError as exc:
            fail(f"{exc}; what was stored is kept")
    for failure in stats.failures + stats.processed.errors:
        err.print(labelled("failed:", "yellow", failure))
    p = stats.processed
    out.print(
        f"{counted(stats.records, 'record')} read, {counted(p.stored, 'article')} stored{_copies(p)}, "
        f"{counted(p.duplicates, 'duplicate')}, {p.failed + len(stats.failures)} failed, "
        f"{p.skipped} skipped (not articles), "
        f"{_new_stories(p)}"
    )
