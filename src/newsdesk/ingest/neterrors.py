"""Network errors as short messages for users: what went wrong, and where.

describe_network_error(exc, settings.fetch, "https://example.org:8080/feed")
# "TLS handshake failed: the server at example.org:8080 does not speak HTTPS (try http://)"
"""

from __future__ import annotations

import errno
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx

from newsdesk.settings import FetchSettings

# OpenSSL's reasons when the answer to a TLS hello is not TLS at all: a plain-HTTP server.
_NOT_TLS = {
    "WRONG_VERSION_NUMBER",
    "HTTP_REQUEST",
    "UNKNOWN_PROTOCOL",
    "PACKET_LENGTH_TOO_LONG",
    "RECORD_LAYER_FAILURE",
}
_DEFAULT_PORTS = {"http": 80, "https": 443}


def host_and_port(url: str) -> str:
    """``host:port`` of ``url`` (the scheme's default port when none is given), ``""`` if unknown."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return ""
    if not host:
        return ""
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{port}" if port else host


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc``, its causes and contexts, and the members of exception groups among them."""
    seen: set[int] = set()
    pending = [exc]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)


def _tls_message(error: ssl.SSLError, at: str) -> str:
    if error.reason in _NOT_TLS:
        return f"TLS handshake failed: the server at {at} does not speak HTTPS (try http://)"
    if isinstance(error, ssl.SSLEOFError | ssl.SSLZeroReturnError):
        return f"TLS handshake failed: the server at {at} closed the connection"
    return f"TLS handshake failed with {at}: {error}"


def describe_network_error(exc: BaseException, settings: FetchSettings, url: str = "") -> str:
    """A short user-facing description of an httpx/OS error met while fetching ``url``."""
    at = host_and_port(url)
    host = at.rpartition(":")[0].strip("[]") if at else ""
    at = at or "the server"
    chain = list(_chain(exc))
    tls = next((e for e in chain if isinstance(e, ssl.SSLError)), None)
    if isinstance(exc, httpx.ConnectTimeout):
        if tls is not None:  # connected, then no answer to the TLS hello
            return (
                f"TLS handshake failed: no answer from the server at {at} within "
                f"{settings.connect_timeout:g}s; it may not speak HTTPS (try http://)"
            )
        return f"timed out after {settings.connect_timeout:g}s while connecting to {at}"
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return f"timed out after {settings.read_timeout:g}s"
    if isinstance(exc, httpx.DecodingError):
        return "could not decode the response (bad compressed data)"
    if tls is not None and not isinstance(tls, ssl.SSLWantReadError | ssl.SSLWantWriteError):
        return _tls_message(tls, at)
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"server broke the HTTP protocol: {exc}" if str(exc) else "server closed the connection"
    for cause in chain:
        if isinstance(cause, ConnectionRefusedError) or getattr(cause, "errno", None) == errno.ECONNREFUSED:
            return f"connection refused: nothing listens on {at}"
        if isinstance(cause, ConnectionResetError):
            return "connection reset by the server"
    text = str(exc)
    lowered = text.lower()
    if "connection refused" in lowered:
        return f"connection refused: nothing listens on {at}"
    if (
        "name or service not known" in lowered
        or "nodename nor servname" in lowered
        or "getaddrinfo" in lowered
    ):
        return f"could not resolve host {host}".rstrip()
    if isinstance(exc, httpx.ConnectError):
        return f"could not connect: {text}" if text else "could not connect"
    return f"network error: {text}" if text else f"network error ({type(exc).__name__})"
