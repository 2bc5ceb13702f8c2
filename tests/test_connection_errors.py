"""Connection mistakes get messages that say what is wrong and where (loopback servers only)."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from newsdesk.ingest.fetcher import Fetcher
from newsdesk.ingest.neterrors import describe_network_error, host_and_port
from newsdesk.models import FetchResult
from newsdesk.settings import FetchSettings
from newsdesk.testing.httpserver import FixtureServer
from newsdesk.urls import port_problem
from tests.support import Cli, write_config


def fetch(url: str, settings: FetchSettings, kind: str = "feed") -> FetchResult:
    async def run() -> FetchResult:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url, kind=kind)

    return asyncio.run(run())


def _port(server: FixtureServer) -> int:
    return int(server.url.rsplit(":", 1)[1])


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(4)
        yield sock.getsockname()[1]


def test_https_to_a_plain_http_port(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    port = _port(http_server)
    result = fetch(f"https://127.0.0.1:{port}/feed.xml", fetch_settings)
    assert result.error == (
        f"TLS handshake failed: the server at 127.0.0.1:{port} does not speak HTTPS (try http://)"
    )


def test_https_to_a_port_that_never_answers_the_tls_hello(
    silent_port: int, fetch_settings: FetchSettings
) -> None:
    settings = dataclasses.replace(fetch_settings, connect_timeout=0.5)
    result = fetch(f"https://127.0.0.1:{silent_port}/", settings)
    assert result.error == (
        f"TLS handshake failed: no answer from the server at 127.0.0.1:{silent_port} within 0.5s; "
        "it may not speak HTTPS (try http://)"
    )


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_closed_port_says_nothing_listens(
    closed_port: int, fetch_settings: FetchSettings, scheme: str
) -> None:
    result = fetch(f"{scheme}://127.0.0.1:{closed_port}/feed.xml", fetch_settings)
    assert result.error == f"connection refused: nothing listens on 127.0.0.1:{closed_port}"


@pytest.mark.parametrize(
    ("port", "shown"),
    [("99999", "99999"), ("65536", "65536"), ("0", "0"), ("abc", "'abc'"), ("-1", "'-1'"), ("8o", "'8o'")],
)
def test_bad_ports_are_refused_before_connecting(
    http_server: FixtureServer, fetch_settings: FetchSettings, port: str, shown: str
) -> None:
    message = f"invalid port {shown} in URL (a port is a number from 1 to 65535)"
    for host in ("127.0.0.1", "[::1]", "feeds.example"):
        assert fetch(f"http://{host}:{port}/feed.xml", fetch_settings).error == message
    if port.isdigit():  # httpx itself refuses a Location whose port is not a number
        redirect = http_server.add_route("/moved", redirect_to=f"http://127.0.0.1:{port}/feed.xml")
        assert fetch(redirect, fetch_settings).error == message


def test_port_problem_accepts_usual_ports() -> None:
    for url in (
        "http://h/",
        "http://h:/",
        "http://h:1/",
        "https://h:65535/x",
        "http://u:p@h:8080/",
        "http://[::1]/",
    ):
        assert port_problem(url) is None, url
    assert port_problem("http://[::1]:70000/") is not None


def test_errors_in_a_task_group_are_described_by_their_members(fetch_settings: FetchSettings) -> None:
    refused = ConnectionRefusedError(111, "Connection refused")
    group = ExceptionGroup("unhandled errors in a TaskGroup", [refused])
    error = httpx.ConnectError("unhandled errors in a TaskGroup (1 sub-exception)")
    error.__cause__ = group
    message = describe_network_error(error, fetch_settings, "http://feeds.example:8080/rss")
    assert message == "connection refused: nothing listens on feeds.example:8080"


def test_host_and_port_fills_in_the_default_port() -> None:
    assert host_and_port("https://feeds.example/rss") == "feeds.example:443"
    assert host_and_port("http://[::1]/") == "[::1]:80"
    assert host_and_port("not a url") == ""


def test_the_cli_prints_the_message(tmp_path: Path, http_server: FixtureServer) -> None:
    cli = Cli(tmp_path / "news.db", write_config(tmp_path))
    port = _port(http_server)
    output = " ".join(cli("feeds", "add", f"https://127.0.0.1:{port}/feed.xml").output.split())
    assert f"the server at 127.0.0.1:{port} does not speak HTTPS (try http://)" in output
