"""The distributed worker engine: batches prepared by Celery workers, committed here.

``CeleryExecutor`` stands in for the local process pool of ``process_pending``: ``submit`` sends
one batch to the workers as a task and returns a future whose ``result`` is the prepared batch.
A task that fails, or whose result does not come in time, gives a batch whose every page failed
with the reason, so the run goes on with the other batches. Only this process opens the store;
the workers receive pages and settings without the database's address and return plain data.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from newsdesk.pipeline.process import Prepared, ProcessStats, WorkItem, prepare_batch
from newsdesk.settings import Settings, WorkerSettings

if TYPE_CHECKING:
    from celery import Celery
    from celery.result import AsyncResult


class WorkerEngineError(RuntimeError):
    """The worker engine cannot be used: Celery is not installed or the broker cannot be reached."""


def load_app(workers: WorkerSettings) -> Celery:
    """The Celery app for these settings, or an error naming the extra to install."""
    try:
        from newsdesk.pipeline.celeryapp import make_app
    except ImportError as exc:
        raise WorkerEngineError(
            f"a broker is configured (workers.broker) but Celery cannot be imported ({exc}); "
            "install it with: pip install 'newsdesk[distributed]'"
        ) from exc
    return make_app(workers)


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    from kombu.utils.url import maybe_sanitize_url

    return maybe_sanitize_url(url)


def failed_batch(items: Sequence[WorkItem], reason: str) -> Prepared:
    """A prepared batch in which every page failed for ``reason``."""
    stats = ProcessStats(failed=len(items), errors=[f"{item.page.url}: {reason}" for item in items])
    failures = [(item.page_id, reason) for item in items if item.page_id is not None]
    return Prepared([], [], failures, stats)


class BatchFuture:
    """One batch's task, read like ``concurrent.futures.Future.result``."""

    def __init__(
        self, task: AsyncResult, items: Sequence[WorkItem], time_limit: float, broken: tuple[type, ...]
    ) -> None:
        self.task, self.items, self.time_limit, self.broken = task, items, time_limit, broken
        self.read = False

    def result(self, timeout: float | None = None) -> Prepared:
        """The prepared batch; a failed batch when the task raised or gave nothing within ``timeout``
        seconds (default: ``[workers] task_time_limit``) from this call."""
        from celery.exceptions import TimeoutError as NoResult

        limit = timeout if timeout is not None else self.time_limit
        self.read = True
        try:
            return self.task.get(timeout=limit)
        except NoResult:
            with contextlib.suppress(Exception):  # best effort: a worker may still skip it
                self.task.revoke()
            return failed_batch(self.items, f"no result from the workers within {limit:g} s")
        except self.broken as exc:
            raise WorkerEngineError(f"lost the connection to the workers' broker or results: {exc}") from exc
        except Exception as exc:  # the task's own error, raised again here: only this batch fails
            return failed_batch(self.items, f"worker task failed: {type(exc).__name__}: {exc}")
        finally:
            with contextlib.suppress(Exception):  # results expire anyway (result_expires)
                self.task.forget()


class CeleryExecutor:
    """``submit`` and ``shutdown`` as a process pool has them, over Celery tasks."""

    def __init__(self, workers: WorkerSettings) -> None:
        self.workers = workers
        self.app = load_app(workers)
        self.futures: list[BatchFuture] = []
        with self.app.connection_for_write() as connection:
            backend_errors = getattr(self.app.backend, "connection_errors", ())
            self.broken: tuple[type, ...] = (*connection.connection_errors, *backend_errors)

    def submit(
        self, fn: Callable[..., Prepared], items: Sequence[WorkItem], settings: Settings
    ) -> BatchFuture:
        """Send ``prepare_batch(items, settings)`` to the workers (the only function they run)."""
        if fn is not prepare_batch:
            raise ValueError("the workers run prepare_batch only")
        from newsdesk.pipeline.celeryapp import TASK

        args: tuple[Any, ...] = (list(items), replace(settings, db=""))
        try:
            task = self.app.send_task(TASK, args=args, queue=self.workers.queue)
        except Exception as exc:  # broker or result store unreachable: the run stops, pages stay pending
            raise WorkerEngineError(
                f"cannot send batches to the broker {safe_url(self.workers.broker)}: {str(exc).strip()}"
            ) from exc
        future = BatchFuture(task, items, self.workers.task_time_limit, self.broken)
        self.futures.append(future)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Revoke the tasks whose results were never read (with ``cancel_futures``), then disconnect."""
        unread = [f.task.id for f in self.futures if not f.read]
        if cancel_futures and unread:
            with contextlib.suppress(Exception):  # best effort, as for a timed-out batch
                self.app.control.revoke(unread)
        self.app.close()
