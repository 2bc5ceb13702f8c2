"""Throttling failed log-ins, in memory, per account name and per client address.

Each account name and each client address may fail ``web.login_free_attempts`` times; after
that, each further failure makes it wait twice as long as the one before (1 s, 2 s, 4 s …, at
most ``web.login_max_wait`` seconds) before its next attempt is even looked at: the answer is
429 with ``Retry-After``. A good log-in clears both. Counts live in the server's memory and
are lost when it restarts; a key left alone for twice the longest wait is forgotten.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

# Keys kept at most: beyond this, the oldest are forgotten (memory stays bounded under a flood).
MAX_KEYS = 100_000


@dataclass
class _Failures:
    count: int = 0
    until: float = 0.0  # monotonic time before which the key may not try again
    last: float = 0.0


class LoginThrottle:
    """Back-off after failed log-ins; ``clock`` is a monotonic time in seconds (tests pass their own)."""

    def __init__(
        self, free_attempts: int, max_wait: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.free_attempts, self.max_wait, self.clock = free_attempts, max_wait, clock
        self._keys: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    @staticmethod
    def keys(name: str, client: str | None) -> list[str]:
        """The keys a log-in attempt counts against: its account name and its client address."""
        return [f"account:{name.strip().casefold()}", f"client:{client or 'unknown'}"]

    def retry_after(self, keys: list[str]) -> int:
        """Whole seconds to wait before any of ``keys`` may try again; 0 when they may now."""
        now = self.clock()
        with self._lock:
            wait = max((self._keys[k].until - now for k in keys if k in self._keys), default=0.0)
        return math.ceil(wait) if wait > 0 else 0

    def failed(self, keys: list[str]) -> None:
        """Count a failed log-in against each key."""
        now = self.clock()
        with self._lock:
            self._forget_old(now)
            for key in keys:
                entry = self._keys.pop(key, None) or _Failures()
                entry.count += 1
                entry.last = now
                beyond = entry.count - self.free_attempts
                if beyond > 0:
                    entry.until = now + min(2.0 ** min(beyond - 1, 62), self.max_wait)
                self._keys[key] = entry  # last used last: the oldest are first in the dict

    def succeeded(self, keys: list[str]) -> None:
        """A good log-in clears its keys."""
        with self._lock:
            for key in keys:
                self._keys.pop(key, None)

    def _forget_old(self, now: float) -> None:
        horizon = now - 2 * self.max_wait
        while self._keys:
            oldest = next(iter(self._keys))
            entry = self._keys[oldest]
            if entry.last > horizon and len(self._keys) < MAX_KEYS:
                break
            del self._keys[oldest]
