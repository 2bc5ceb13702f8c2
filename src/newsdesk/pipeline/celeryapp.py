"""The Celery application of the distributed worker engine: one task, ``prepare_batch``.

Messages are pickled (batches and results are dataclasses holding numpy embeddings), and only
pickle is accepted, so the broker must be private to this installation: whoever can write to it
can run code on the workers and on the process that commits. See docs/configuration.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from celery import Celery

from newsdesk.pipeline.process import Prepared, WorkItem, prepare_batch
from newsdesk.settings import Settings, WorkerSettings

TASK = "newsdesk.prepare_batch"


def result_backend(workers: WorkerSettings) -> str:
    """The configured result backend, else the broker itself for Redis and ``rpc://`` for AMQP."""
    if workers.result_backend:
        return workers.result_backend
    return workers.broker if workers.broker.startswith(("redis://", "rediss://")) else "rpc://"


def prepare(items: Sequence[WorkItem], settings: Settings) -> Prepared:
    """The task: extract and enrich one batch on a worker (``prepare_batch``, looked up at each call)."""
    return prepare_batch(items, settings)


def make_app(workers: WorkerSettings) -> Celery:
    """A Celery app for these worker settings, with the ``prepare_batch`` task registered."""
    app = Celery("newsdesk", broker=workers.broker, backend=result_backend(workers), set_as_current=False)
    app.conf.update(
        task_serializer="pickle",
        result_serializer="pickle",
        accept_content=["pickle"],
        result_accept_content=["pickle"],
        task_default_queue=workers.queue,
        task_time_limit=workers.task_time_limit,
        result_expires=max(3600, int(workers.task_time_limit * 2)),
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
    )
    app.task(name=TASK)(prepare)
    return app
