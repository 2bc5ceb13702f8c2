"""One writer at a time per store: the lock every command that collects, processes or clusters holds.

Story ids are issued by the clusterer, whose state a writer loads once and saves batch by batch, so
two writers at once would number their new stories from the same counter and merge unrelated
articles. The lock dies with the process that holds it, even on SIGKILL, so it is never stale:

- SQLite: an exclusive ``flock`` on a file beside the store (``news.db.writer-lock``), which also
  holds who took it (pid, host, command, since);
- PostgreSQL: a session advisory lock on a connection held open while writing, the holder named by
  that connection's ``application_name``.

An in-memory SQLite store has no other writer and takes no lock.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, make_url, text

from newsdesk.store.database import create_store_engine, sqlite_file

ADVISORY_KEY = 0x6E657773  # "news": the PostgreSQL advisory lock of the writer, one per database
POLL_SECONDS = 0.25  # how often a waiting writer tries the lock again
_APP_PREFIX = "newsdesk-writer"


@dataclass(frozen=True)
class Writer:
    """Who holds (or wants) the writer lock of a store."""

    pid: int
    host: str
    command: str
    since: datetime


class StoreBusy(Exception):
    """Another process holds the writer lock (``holder``: who, when it could be read)."""

    def __init__(self, store: str, holder: Writer | None) -> None:
        super().__init__(f"another newsdesk process is writing to {store}")
        self.store = store
        self.holder = holder


def store_name(url: str) -> str:
    """How a store is named in messages: its file, or its URL without the password."""
    path = sqlite_file(url)
    if path is not None:
        return str(path)
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unreadable URL is named as it is given
        return url


def this_writer(command: str) -> Writer:
    """This process, about to write for ``command``."""
    return Writer(os.getpid(), socket.gethostname(), command, datetime.now(UTC).replace(microsecond=0))


# --- SQLite: a lock file beside the store ------------------------------------------------------


def lock_file(path: Path) -> Path:
    """The lock file of a SQLite store."""
    return path.with_name(path.name + ".writer-lock")


def _lock_fd(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - locks the first byte; the owner is written after it
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _read_owner(fd: int) -> Writer | None:
    try:
        os.lseek(fd, 1, os.SEEK_SET)
        data = json.loads(os.read(fd, 4096))
        return Writer(
            int(data["pid"]), str(data["host"]), str(data["command"]), datetime.fromisoformat(data["since"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # being written by its holder, or not ours


def _write_owner(fd: int, me: Writer) -> None:
    record = {"pid": me.pid, "host": me.host, "command": me.command, "since": me.since.isoformat()}
    os.ftruncate(fd, 1)
    os.lseek(fd, 1, os.SEEK_SET)
    os.write(fd, json.dumps(record).encode())


# Descriptors of the lock files this process has open. A forked process (the pipeline's workers)
# would share each one, and with it the lock, for as long as it lives: a worker still exiting after
# its round would keep the store locked. Each child closes its copies at once.
_open_locks: set[int] = set()


def _close_inherited_locks() -> None:
    for fd in list(_open_locks):
        with suppress(OSError):
            os.close(fd)
    _open_locks.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_inherited_locks)


class _FileLock:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        _open_locks.add(self.fd)

    def acquire(self, me: Writer) -> tuple[bool, Writer | None]:
        """Whether it was taken; if not, who holds it (when that can be read)."""
        if _lock_fd(self.fd):
            _write_owner(self.fd, me)
            return True, None
        return False, _read_owner(self.fd)

    def release(self) -> None:
        _open_locks.discard(self.fd)
        os.close(self.fd)  # closing the last descriptor releases the lock


# --- PostgreSQL: an advisory lock on a connection held open -----------------------------------


def _application_name(me: Writer) -> str:
    # At most 63 bytes are kept: the host comes last, so only it can be cut short.
    return f"{_APP_PREFIX} {me.pid} {me.since:%Y%m%dT%H%M%SZ} {me.command} {me.host}"[:63]


def _parse_application_name(name: str | None) -> Writer | None:
    parts = (name or "").split(" ", 4)
    if len(parts) < 4 or parts[0] != _APP_PREFIX:
        return None
    try:
        since = datetime.strptime(parts[2], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        return Writer(int(parts[1]), parts[4] if len(parts) > 4 else "", parts[3], since)
    except ValueError:
        return None


class _AdvisoryLock:
    def __init__(self, url: str) -> None:
        self.engine = create_store_engine(url)
        self.connection: Connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        self.connection.detach()  # its own connection, closed (never pooled) when the lock is let go

    def acquire(self, me: Writer) -> tuple[bool, Writer | None]:
        """Whether it was taken; if not, who holds it (when that can be read)."""
        taken = self.connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY})
        if taken:
            self.connection.execute(
                text("SELECT set_config('application_name', :name, false)"), {"name": _application_name(me)}
            )
            return True, None
        holder = self.connection.scalar(
            text(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = :key "
                "AND l.objsubid = 1 AND l.database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())"
            ),
            {"key": ADVISORY_KEY},
        )
        return False, _parse_application_name(holder)

    def release(self) -> None:
        try:
            self.connection.close()  # ends the session, which lets the advisory lock go
        finally:
            self.engine.dispose()


class _NoLock:
    def acquire(self, me: Writer) -> tuple[bool, Writer | None]:
        return True, None

    def release(self) -> None:
        pass


def _lock_for(url: str) -> _FileLock | _AdvisoryLock | _NoLock:
    path = sqlite_file(url)
    if path is not None:
        return _FileLock(lock_file(path.expanduser()))
    if url.startswith(("postgresql:", "postgresql+", "postgres:")):
        return _AdvisoryLock(url)
    return _NoLock()


@contextmanager
def writer_lock(
    url: str,
    command: str,
    wait: float | None = None,
    on_wait: Callable[[Writer | None], None] | None = None,
) -> Iterator[Writer]:
    """Hold the writer lock of the store at ``url`` while the block runs.

    When another process holds it, ``on_wait(holder)`` is called once and the lock is tried again
    every ``POLL_SECONDS`` for at most ``wait`` seconds (None: as long as it takes; 0: not at all),
    then ``StoreBusy`` is raised. Needs only the URL, so that it can be taken before the store is
    created or migrated."""
    me = this_writer(command)
    lock = _lock_for(url)
    try:
        taken, holder = lock.acquire(me)
        if not taken:
            if wait is not None and wait <= 0:
                raise StoreBusy(store_name(url), holder)
            if on_wait:
                on_wait(holder)
            deadline = None if wait is None else time.monotonic() + wait
            while not taken:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise StoreBusy(store_name(url), holder)
                time.sleep(POLL_SECONDS if left is None else min(POLL_SECONDS, left))
                taken, holder = lock.acquire(me)
    except BaseException:
        lock.release()
        raise
    try:
        yield me
    finally:
        lock.release()
