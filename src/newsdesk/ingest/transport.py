"""The one way newsdesk opens connections: resolve once, check, connect to the checked address.

A name is resolved once per connection; every address it resolves to is checked
(``ingest.addresses``) and the connection goes to one of those very addresses, so a
name that answers a public address to the check and a private one to the connection
(DNS rebinding) cannot reach the private one. The request keeps the name: the Host
header, TLS SNI and certificate verification are those of the URL. A redirect opens a
new connection to the new host, checked the same way.

    httpx.AsyncClient(transport=GuardedTransport(settings.fetch))
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpcore
import httpx

from newsdesk.ingest.addresses import PRIVATE_REFUSED, is_local_name, parse_ip, refusal_reason
from newsdesk.settings import FetchSettings

KEEPALIVE_EXPIRY = 5.0
Resolver = Callable[[str, int], Awaitable[list[str]]]


class HostRefused(Exception):
    """A connection refused before any packet went to the host; the message is for users."""


async def system_resolve(host: str, port: int) -> list[str]:
    """The addresses of ``host`` from the system resolver, in its order, without repeats."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to checked addresses.

    ``resolver`` turns a name into addresses (the system's by default); ``connector``
    opens the TCP connection to an address (anyio by default). Tests inject both.
    """

    def __init__(
        self,
        allow_private: bool = False,
        resolver: Resolver | None = None,
        connector: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.resolver = resolver or system_resolve
        self.connector = connector or httpcore.AnyIOBackend()

    async def addresses(self, host: str, port: int, timeout: float | None = None) -> list[str]:
        """The checked addresses for ``host``; raises HostRefused when one is refused."""
        if not self.allow_private and is_local_name(host):
            raise HostRefused(PRIVATE_REFUSED)
        literal = parse_ip(host)
        if literal is not None:
            found = [str(literal)]
        else:
            try:
                async with asyncio.timeout(timeout):
                    found = await self.resolver(host, port)
            except TimeoutError:
                raise httpcore.ConnectTimeout(f"timed out resolving {host}") from None
            except (OSError, UnicodeError):
                found = []
        reason = refusal_reason(host, found) if not self.allow_private else None
        if reason or not found:
            raise HostRefused(reason or f"could not resolve host {host}")
        return found

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect to the first checked address of ``host`` that answers."""
        failure: Exception | None = None
        for address in await self.addresses(host, port, timeout):
            try:
                return await self.connector.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout, OSError) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        """Unix sockets are never used for fetching."""
        raise HostRefused("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self.connector.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport, its every connection made by a :class:`GuardedBackend`.

    Proxies from the environment are not used: through a proxy the address reached
    could not be checked.
    """

    def __init__(
        self,
        settings: FetchSettings,
        resolver: Resolver | None = None,
        connector: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        # httpx's own __init__ builds its pool with the default network backend and offers
        # no way to pass another: the pool it would build is built here around ours.
        self.backend = GuardedBackend(settings.allow_private, resolver, connector)
        connections = max(1, settings.total_concurrency)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=connections,
            max_keepalive_connections=connections,
            keepalive_expiry=KEEPALIVE_EXPIRY,
            network_backend=self.backend,
        )
