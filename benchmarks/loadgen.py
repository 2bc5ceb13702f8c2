"""Load generators for the web benchmarks: closed-loop clients on keep-alive connections.

Two kinds, chosen with ``--client``:

- ``raw`` (the default): HTTP/1.1 ``GET``s written on asyncio sockets (an ``asyncio.Protocol`` per
  connection, on uvloop when it is installed) and answers read by their ``Content-Length`` or chunks.
  It spends a fraction of httpx's CPU per request, so on a small machine less of the cores go to the
  measuring and more to the server being measured.
- ``httpx``: ``httpx.AsyncClient``, as the benchmarks used before; kept to compare with earlier runs.

Both time each request from the moment it is sent to the moment its whole answer has arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Protocol
from urllib.parse import quote, urlsplit

import httpx

CLIENTS = ("raw", "httpx")


class HttpError(Exception):
    """A connection that failed or an answer that could not be read."""


class Getter(Protocol):
    async def get(self, path: str) -> int:
        """The status of ``GET path``, once the whole answer is read; raises ``HttpError``."""
        ...


class _Connection(asyncio.Protocol):
    """One keep-alive connection: one request at a time, its answer read whole."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[int] | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(HttpError(f"connection lost: {exc}"))

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.waiter is None or self.waiter.done():
            return
        try:
            status = self._answer()
        except HttpError as exc:
            self.waiter.set_exception(exc)
            return
        if status is not None:
            self.waiter.set_result(status)

    def _answer(self) -> int | None:
        """The status once the buffer holds a whole answer (which is then dropped), else None."""
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        try:
            status = int(head[0].split(" ", 2)[1])
        except (IndexError, ValueError):
            raise HttpError(f"not an HTTP answer: {head[0]!r}") from None
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        start = end + 4
        if "content-length" in headers:
            stop = start + int(headers["content-length"])
            if len(self.buffer) < stop:
                return None
            del self.buffer[:stop]
            return status
        if headers.get("transfer-encoding", "").lower() == "chunked":
            position = start
            while True:
                line_end = self.buffer.find(b"\r\n", position)
                if line_end < 0:
                    return None
                size = int(bytes(self.buffer[position:line_end]).split(b";")[0], 16)
                position = line_end + 2 + size + 2
                if len(self.buffer) < position:
                    return None
                if size == 0:
                    del self.buffer[:position]
                    return status
        raise HttpError("an answer without Content-Length or chunks")

    async def get(self, request: bytes) -> int:
        if self.closed or self.transport is None:
            raise HttpError("connection closed")
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.waiter


class RawClient:
    """``GET``s on one keep-alive connection (opened on first use, again after it is lost)."""

    def __init__(self, base: str, timeout: float = 60) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.timeout = timeout
        self.connection: _Connection | None = None
        self.prefix = b"GET "
        self.suffix = f" HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: */*\r\n\r\n".encode("ascii")

    async def get(self, path: str) -> int:
        if self.connection is None or self.connection.closed:
            loop = asyncio.get_running_loop()
            try:
                _, self.connection = await loop.create_connection(_Connection, self.host, self.port)
            except OSError as exc:
                raise HttpError(str(exc)) from exc
        try:
            return await asyncio.wait_for(
                self.connection.get(self.prefix + _target(path) + self.suffix), self.timeout
            )
        except (TimeoutError, HttpError):
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None and self.connection.transport is not None:
            self.connection.transport.close()
        self.connection = None


def _target(path: str) -> bytes:
    """The request target of ``path``, non-ASCII characters percent-encoded (as httpx does)."""
    return quote(path, safe="/?&=%:;,+@!$'()*~-._").encode("ascii")


class HttpxClient:
    """``GET``s through a shared ``httpx.AsyncClient``."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def get(self, path: str) -> int:
        try:
            return (await self.http.get(path)).status_code
        except httpx.HTTPError as exc:
            raise HttpError(type(exc).__name__) from exc


@contextlib.asynccontextmanager
async def clients(kind: str, base: str, count: int, timeout: float = 60) -> AsyncIterator[list[Getter]]:
    """``count`` clients of ``kind`` (``raw`` or ``httpx``), one keep-alive connection each."""
    if kind == "raw":
        raw = [RawClient(base, timeout) for _ in range(count)]
        try:
            yield list(raw)
        finally:
            for client in raw:
                client.close()
        return
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as http:
        yield [HttpxClient(http) for _ in range(count)]


def run(main: Callable[[], object]) -> object:
    """Run a coroutine function on uvloop when it is installed (as the server does), else asyncio."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main())  # type: ignore[arg-type]
    return uvloop.run(main())  # type: ignore[arg-type]


def process_cpu(pid: int | None) -> float | None:
    """CPU seconds used so far by process ``pid`` and its children, such as Uvicorn's workers (Linux
    ``/proc``); None elsewhere or without a pid."""
    if pid is None:
        return None
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        total = 0
        for process in [pid, *map(int, children)]:
            stat = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(stat[11]) + int(stat[12])  # utime and stime, in clock ticks
    except (OSError, ValueError, IndexError):
        return None
    return total / os.sysconf("SC_CLK_TCK")
