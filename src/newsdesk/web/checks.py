"""First checks of feeds added on the web, run in the background by a bounded pool of threads.

A request that adds a feed stores it at once with status ``checking`` and returns; one of
``web.check_workers`` threads then fetches it (and discovers the feed of a page) and records the
result in the sources list. Request threads never wait on the network, so pages stay responsive
however slow the servers being checked are.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait

from newsdesk.pipeline.subscribe import check_new_feed
from newsdesk.settings import Settings
from newsdesk.store import Store

log = logging.getLogger(__name__)


class FeedChecks:
    """At most ``settings.web.check_workers`` checks at a time; the others wait their turn."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self._pool = ThreadPoolExecutor(settings.web.check_workers, thread_name_prefix="newsdesk-check")
        self._pending: set[Future[object]] = set()
        self._lock = threading.Lock()

    def submit(self, feed_id: int, url: str) -> None:
        """Check a feed stored with status ``checking`` when a worker is free."""
        future = self._pool.submit(self._check, feed_id, url)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)

    def _check(self, feed_id: int, url: str) -> None:
        try:
            check_new_feed(self.store, self.settings, feed_id, url)
        except Exception:  # one failed check must not end the worker or go unreported
            log.exception("checking feed #%s (%s) failed", feed_id, url)

    def _done(self, future: Future[object]) -> None:
        with self._lock:
            self._pending.discard(future)

    @property
    def pending(self) -> int:
        """Checks waiting or running."""
        with self._lock:
            return len(self._pending)

    def wait(self, timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for the checks submitted so far; whether all ended."""
        with self._lock:
            pending = list(self._pending)
        return not wait(pending, timeout).not_done

    def close(self) -> None:
        """Drop the checks still waiting (their feeds are checked by their first poll instead)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
