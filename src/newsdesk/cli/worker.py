"""``newsdesk worker``: a Celery worker that prepares batches for this installation's runs."""

from __future__ import annotations

import os
from dataclasses import replace
from enum import StrEnum

import typer

from newsdesk.cli.common import fail, state


class Pool(StrEnum):
    prefork = "prefork"
    solo = "solo"


def worker(
    ctx: typer.Context,
    concurrency: int | None = typer.Option(
        None, "--concurrency", "-c", min=1, help="Batches prepared at once (default: one per core)."
    ),
    queue: str | None = typer.Option(
        None, "--queue", help="Queue to take batches from (default: the setting workers.queue)."
    ),
    pool: Pool = typer.Option(Pool.prefork, "--pool", help="prefork: child processes; solo: this process."),
    loglevel: str = typer.Option("info", "--loglevel", help="debug, info, warning or error."),
) -> None:
    """Prepare (extract and enrich) the batches that `newsdesk fetch`/`run` send through workers.broker."""
    from newsdesk.pipeline.distributed import WorkerEngineError, load_app

    workers = state(ctx).settings.workers
    if not workers.broker:
        fail("no broker configured: set workers.broker in the settings file, or NEWSDESK_BROKER")
    workers = replace(workers, queue=queue or workers.queue)
    try:
        app = load_app(workers)
    except WorkerEngineError as exc:
        fail(str(exc))
    argv = [
        "worker",
        f"--queues={workers.queue}",
        f"--pool={pool.value}",
        f"--loglevel={loglevel}",
        f"--hostname=newsdesk-{os.getpid()}@%h",
    ]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    app.worker_main(argv)
