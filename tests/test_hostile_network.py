"""Hostile network answers: DNS rebinding, private addresses in disguise, decompression bombs.

No packet leaves the machine: names are answered by resolvers written here, and the only
addresses reached are loopback ones, through a connector that maps the "public" answers
of those resolvers to local servers and refuses everything else.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import json
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import brotli
import httpcore
import pytest
import zstandard

from newsdesk.ingest.addresses import PRIVATE_REFUSED, is_public_ip
from newsdesk.ingest.decoding import ACCEPT_ENCODING, BoundedDecoder, DecodeError, TooLarge
from newsdesk.ingest.feeds import parse_feed
from newsdesk.ingest.fetcher import Fetcher
from newsdesk.models import FetchResult
from newsdesk.settings import FetchSettings
from newsdesk.testing.httpserver import FixtureServer

PUBLIC = "93.184.216.34"  # passes the check; the test connector takes it to a loopback server
PUBLIC_TOO = "93.184.216.35"
INTERNAL = "10.0.0.7"  # stands for a host inside the network; reached only if the check fails

EMBEDDED_PRIVATE = [
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b:1::a00:1",  # local-use NAT64
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "::10.0.0.1",  # IPv4-compatible
    "::ffff:10.0.0.1",  # IPv4-mapped
    "::ffff:7f00:1",  # IPv4-mapped loopback, hex
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
    "fec0::1",  # site-local
]

PRIVATE_SPELLINGS = [
    "127.0.0.1",
    "127.1",
    "0x7f.0.0.1",
    "2130706433",
    "0x7f000001",
    "localhost",
    "LOCALHOST.",
    "feeds.localhost",
    "[::1]",
    "[0:0:0:0:0:0:0:1]",
    "[::ffff:127.0.0.1]",
    "0.0.0.0",
    "[::]",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.0.1",
    "100.64.0.1",
    "169.254.169.254",
    "[fe80::1%25eth0]",
    "[fd00::1]",
    "224.0.0.1",
]


class LoopbackConnector(httpcore.AnyIOBackend):
    """Opens connections only to the addresses it maps to loopback ports; records every attempt."""

    def __init__(self, ports: dict[str, int] | None = None) -> None:
        super().__init__()
        self.ports = ports or {}
        self.attempts: list[str] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.attempts.append(host)
        if host not in self.ports:
            raise httpcore.ConnectError(f"the test connector does not reach {host}")
        return await super().connect_tcp("127.0.0.1", self.ports[host], timeout=timeout)


class ScriptedResolver:
    """Answers each name from a list of answers, one per call (the last one repeats)."""

    def __init__(self, answers: dict[str, list[list[str]]]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        script = self.answers.get(host)
        if not script:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return script[min(self.calls.count(host), len(script)) - 1]


async def numeric_resolver(host: str, port: int) -> list[str]:
    """The system resolver restricted to numeric hosts (every IPv4 spelling it accepts): no DNS query."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    return [str(info[4][0]) for info in infos]


def port_of(server: FixtureServer) -> int:
    port = urlsplit(server.url).port
    assert port is not None
    return port


def fetch(
    urls: list[str], settings: FetchSettings, resolver: Any, connector: LoopbackConnector, kind: str = "feed"
) -> list[FetchResult]:
    async def run() -> list[FetchResult]:
        async with Fetcher(settings, resolver=resolver, connector=connector) as fetcher:
            return [await fetcher.fetch(url, kind=kind) for url in urls]

    return asyncio.run(run())


@pytest.fixture
def strict(fetch_settings: FetchSettings) -> FetchSettings:
    return dataclasses.replace(fetch_settings, allow_private=False)


@pytest.fixture
def internal() -> Iterable[FixtureServer]:
    with FixtureServer() as server:
        server.add_route("/feed.xml", body="INTERNAL SECRET FEED")
        yield server


# --- DNS rebinding and redirects ---------------------------------------------------------------


def test_rebinding_name_never_reaches_its_private_answer(
    http_server: FixtureServer, internal: FixtureServer, strict: FetchSettings
) -> None:
    http_server.add_route("/feed.xml", body="public feed")
    resolver = ScriptedResolver({"news.example": [[PUBLIC], [INTERNAL]]})
    connector = LoopbackConnector({PUBLIC: port_of(http_server), INTERNAL: port_of(internal)})
    first, second = fetch(["http://news.example/feed.xml"] * 2, strict, resolver, connector)
    assert first.ok and first.content == b"public feed"
    assert second.error == PRIVATE_REFUSED and second.content == b""
    assert internal.requests == []
    assert resolver.calls == ["news.example", "news.example"]  # once per connection, never twice
    assert connector.attempts == [PUBLIC]
    # The request kept the name: the Host header is the URL's, not the address connected to.
    assert http_server.requests_for("/feed.xml")[0].headers["Host"] == "news.example"


def test_one_private_answer_among_public_ones_is_refused(
    internal: FixtureServer, strict: FetchSettings
) -> None:
    resolver = ScriptedResolver({"news.example": [[PUBLIC, INTERNAL]]})
    connector = LoopbackConnector({INTERNAL: port_of(internal)})
    (result,) = fetch(["http://news.example/feed.xml"], strict, resolver, connector)
    assert result.error == PRIVATE_REFUSED
    assert connector.attempts == [] and internal.requests == []


def test_the_next_checked_address_is_tried_when_the_first_does_not_answer(
    http_server: FixtureServer, strict: FetchSettings
) -> None:
    http_server.add_route("/feed.xml", body="second address")
    resolver = ScriptedResolver({"news.example": [[PUBLIC_TOO, PUBLIC]]})
    connector = LoopbackConnector({PUBLIC: port_of(http_server)})
    (result,) = fetch(["http://news.example/feed.xml"], strict, resolver, connector)
    assert result.ok and result.content == b"second address"
    assert connector.attempts == [PUBLIC_TOO, PUBLIC]


@pytest.mark.parametrize(
    "target",
    [
        "http://intranet.example/feed.xml",
        f"http://{INTERNAL}/feed.xml",
        "http://[::ffff:10.0.0.7]/feed.xml",
        "http://[64:ff9b::a00:7]/feed.xml",
        "http://localhost/feed.xml",
    ],
)
def test_redirect_target_is_checked(
    target: str, http_server: FixtureServer, internal: FixtureServer, strict: FetchSettings
) -> None:
    http_server.add_route("/go", redirect_to=target)
    resolver = ScriptedResolver({"news.example": [[PUBLIC]], "intranet.example": [[INTERNAL]]})
    connector = LoopbackConnector({PUBLIC: port_of(http_server), INTERNAL: port_of(internal)})
    (result,) = fetch(["http://news.example/go"], strict, resolver, connector)
    assert result.error == PRIVATE_REFUSED
    assert len(http_server.requests_for("/go")) == 1
    assert internal.requests == [] and connector.attempts == [PUBLIC]


def test_redirect_to_another_public_host_is_followed(
    http_server: FixtureServer, strict: FetchSettings
) -> None:
    http_server.add_route("/go", redirect_to="http://cdn.example/feed.xml")
    http_server.add_route("/feed.xml", body="moved")
    resolver = ScriptedResolver({"news.example": [[PUBLIC]], "cdn.example": [[PUBLIC_TOO]]})
    connector = LoopbackConnector({PUBLIC: port_of(http_server), PUBLIC_TOO: port_of(http_server)})
    (result,) = fetch(["http://news.example/go"], strict, resolver, connector)
    assert result.ok and result.content == b"moved"
    assert result.final_url == "http://cdn.example/feed.xml"
    assert resolver.calls == ["news.example", "cdn.example"]
    assert http_server.requests_for("/feed.xml")[0].headers["Host"] == "cdn.example"


def test_redirect_to_another_scheme_is_refused(
    http_server: FixtureServer, fetch_settings: FetchSettings
) -> None:
    for target in ("file:///etc/passwd", "ftp://ftp.example/feed.xml", "gopher://127.0.0.1:6379/_INFO"):
        url = http_server.add_route("/go", redirect_to=target)
        (result,) = fetch(
            [url], fetch_settings, numeric_resolver, LoopbackConnector({"127.0.0.1": port_of(http_server)})
        )
        scheme = target.split(":", 1)[0]
        assert result.error == f"unsupported URL scheme {scheme!r} (only http and https)"


def test_a_trickling_server_is_cut_off_by_the_whole_exchange_deadline(fetch_settings: FetchSettings) -> None:
    """Each byte comes before the read timeout, so only the whole-exchange deadline ends it."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def trickle() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n")
            while not stop.wait(0.05):
                try:
                    connection.sendall(b"x")
                except OSError:
                    return

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    settings = dataclasses.replace(fetch_settings, connect_timeout=0.25, read_timeout=0.25)
    connector = LoopbackConnector({"127.0.0.1": listener.getsockname()[1]})
    try:
        (result,) = fetch(
            [f"http://127.0.0.1:{listener.getsockname()[1]}/slow"], settings, numeric_resolver, connector
        )
    finally:
        stop.set()
        thread.join(timeout=10)
        listener.close()
    assert result.error == "timed out after 1.25s (whole exchange)"


# --- private addresses in disguise -------------------------------------------------------------


@pytest.mark.parametrize("address", EMBEDDED_PRIVATE)
def test_embedded_ipv4_forms_are_judged_by_their_ipv4_address(address: str) -> None:
    assert not is_public_ip(address)


@pytest.mark.parametrize(
    "address",
    [
        PUBLIC,
        "2606:2800:220:1:248:1893:25c8:1946",
        "64:ff9b::5db8:d822",
        "2002:5db8:d822::1",
        "::ffff:5db8:d822",
    ],
)
def test_public_addresses_stay_public(address: str) -> None:
    assert is_public_ip(address)


@pytest.mark.parametrize("address", EMBEDDED_PRIVATE)
def test_embedded_ipv4_forms_are_refused_before_connecting(address: str, strict: FetchSettings) -> None:
    resolver = ScriptedResolver({"news.example": [[address]]})
    connector = LoopbackConnector()
    literal, named = fetch(
        [f"http://[{address}]/feed.xml", "http://news.example/feed.xml"], strict, resolver, connector
    )
    assert literal.error == PRIVATE_REFUSED and named.error == PRIVATE_REFUSED
    assert connector.attempts == []


@pytest.mark.parametrize("host", PRIVATE_SPELLINGS)
def test_private_spellings_are_refused_before_connecting(host: str, strict: FetchSettings) -> None:
    connector = LoopbackConnector()
    (result,) = fetch([f"http://{host}:8080/feed.xml"], strict, numeric_resolver, connector)
    assert result.error == PRIVATE_REFUSED
    assert connector.attempts == []


def test_loopback_allowed_with_allow_private(
    http_server: FixtureServer, fetch_settings: FetchSettings
) -> None:
    url = http_server.add_route("/feed.xml", body="local")
    connector = LoopbackConnector({"127.0.0.1": port_of(http_server)})
    (result,) = fetch([url], fetch_settings, numeric_resolver, connector)
    assert result.ok and result.content == b"local"


def test_unresolvable_name(strict: FetchSettings) -> None:
    (result,) = fetch(["http://nowhere.example/"], strict, ScriptedResolver({}), LoopbackConnector())
    assert result.error == "could not resolve host nowhere.example"


def _self_signed(folder: Path, name: str) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}"]
        + ["-addext", f"subjectAltName=DNS:{name}", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a certificate")
def test_tls_keeps_the_name_for_sni_and_certificate_checks(tmp_path: Path, strict: FetchSettings) -> None:
    cert, key = _self_signed(tmp_path, "feeds.example")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []
    context.sni_callback = lambda _sock, name, _ctx: names.append(name)  # type: ignore[assignment,return-value]
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        try:
            context.wrap_socket(connection, server_side=True).close()
        except (ssl.SSLError, OSError):
            pass  # the client refuses the self-signed certificate
        finally:
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    resolver = ScriptedResolver({"feeds.example": [[PUBLIC]]})
    connector = LoopbackConnector({PUBLIC: listener.getsockname()[1]})
    try:
        (result,) = fetch(["https://feeds.example/feed.xml"], strict, resolver, connector)
    finally:
        thread.join(timeout=10)
        listener.close()
    assert names == ["feeds.example"]
    assert result.error is not None and "CERTIFICATE_VERIFY_FAILED" in result.error


# --- bounded decoding --------------------------------------------------------------------------


def _zlib(data: bytes, wbits: int) -> bytes:
    obj = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return obj.compress(data) + obj.flush()


COMPRESS = {
    "gzip": gzip.compress,
    "deflate": lambda data: _zlib(data, zlib.MAX_WBITS),
    "br": brotli.compress,
    "zstd": lambda data: zstandard.ZstdCompressor().compress(data),
}
DOCUMENT = b"".join(b"<p>Paragraph %d of a long article, with some words.</p>\n" % i for i in range(10_000))


def _decode(encoding: str, body: bytes, limit: int, piece: int = 1000) -> bytes:
    decoder = BoundedDecoder(encoding, limit)
    out = [decoder.feed(body[i : i + piece]) for i in range(0, len(body), piece)]
    return b"".join(out) + decoder.finish()


@pytest.mark.parametrize("encoding", sorted(COMPRESS))
def test_each_encoding_decodes_in_pieces(encoding: str) -> None:
    assert _decode(encoding, COMPRESS[encoding](DOCUMENT), 10 * len(DOCUMENT)) == DOCUMENT


@pytest.mark.parametrize("encoding", sorted(COMPRESS))
def test_each_encoding_stops_at_the_cap(encoding: str) -> None:
    with pytest.raises(TooLarge):
        _decode(encoding, COMPRESS[encoding](DOCUMENT), len(DOCUMENT) - 1)
    assert _decode(encoding, COMPRESS[encoding](DOCUMENT), len(DOCUMENT)) == DOCUMENT


def test_stacked_raw_deflate_and_identity() -> None:
    stacked = brotli.compress(gzip.compress(DOCUMENT))  # "gzip, br": gzip applied first
    assert _decode("gzip, br", stacked, len(DOCUMENT)) == DOCUMENT
    assert _decode("deflate", _zlib(DOCUMENT, -zlib.MAX_WBITS), len(DOCUMENT)) == DOCUMENT
    assert _decode("identity", DOCUMENT, len(DOCUMENT)) == DOCUMENT
    assert _decode("x-unknown", DOCUMENT, len(DOCUMENT)) == DOCUMENT  # as httpx: passed on as is
    with pytest.raises(TooLarge):
        _decode("", DOCUMENT, len(DOCUMENT) - 1)  # received bytes count too


@pytest.mark.parametrize("encoding", sorted(COMPRESS))
def test_broken_compressed_data(encoding: str) -> None:
    with pytest.raises(DecodeError):
        _decode(encoding, b"\x00\x01 this is not %s data " % encoding.encode() * 50, 1 << 20)


@pytest.mark.parametrize("encoding", sorted(COMPRESS))
def test_fetched_encodings_are_decoded(
    encoding: str, http_server: FixtureServer, fetch_settings: FetchSettings
) -> None:
    url = http_server.add_route(
        "/doc.html", body=COMPRESS[encoding](DOCUMENT), headers={"Content-Encoding": encoding}
    )
    (result,) = fetch(
        [url], fetch_settings, numeric_resolver, LoopbackConnector({"127.0.0.1": port_of(http_server)})
    )
    assert result.ok and result.content == DOCUMENT
    assert http_server.requests_for("/doc.html")[0].headers["Accept-Encoding"] == ACCEPT_ENCODING


def test_broken_compressed_response(http_server: FixtureServer, fetch_settings: FetchSettings) -> None:
    url = http_server.add_route("/bad", body=b"not gzip at all", headers={"Content-Encoding": "gzip"})
    (result,) = fetch(
        [url], fetch_settings, numeric_resolver, LoopbackConnector({"127.0.0.1": port_of(http_server)})
    )
    assert result.error == "could not decode the response (bad compressed data)"


# --- decompression bombs: peak memory, measured in a fresh process -----------------------------

BOMB_BYTES = 200 * 1024 * 1024
CAP = 4 * 1024 * 1024
MARGIN = 32 * 1024 * 1024

BOMB_SCRIPT = r"""
import asyncio, json, resource, sys
from pathlib import Path
from newsdesk.ingest.feeds import parse_feed
from newsdesk.ingest.fetcher import Fetcher
from newsdesk.settings import FetchSettings
from newsdesk.testing.httpserver import FixtureServer

path, encoding, cap = sys.argv[1], sys.argv[2], int(sys.argv[3])
settings = FetchSettings(allow_private=True, per_host_delay=0.0, max_bytes=cap, read_timeout=60.0)

async def fetch(url):
    async with Fetcher(settings) as fetcher:
        return await fetcher.fetch(url, kind="feed")

with FixtureServer() as server:
    small = server.add_route("/small", body=b"<p>warm-up</p>" * 100)
    bomb = server.add_route("/bomb", body=Path(path).read_bytes(), headers={"Content-Encoding": encoding})
    asyncio.run(fetch(small))  # everything imported and set up before the baseline
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = asyncio.run(fetch(bomb))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"url": bomb, "error": result.error, "size": len(result.content),
                  "baseline_kib": baseline, "peak_kib": peak}))
"""


def _compress_zeros(encoding: str, total: int) -> bytes:
    """``total`` zero bytes compressed with ``encoding``, never holding them all."""
    block = bytes(1024 * 1024)
    if encoding in ("gzip", "deflate"):
        obj = zlib.compressobj(
            9, zlib.DEFLATED, 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS
        )
        compress, flush = obj.compress, obj.flush
    elif encoding == "br":
        brotli_obj = brotli.Compressor(quality=5)
        compress, flush = brotli_obj.process, brotli_obj.finish
    else:
        zstd_obj = zstandard.ZstdCompressor(level=3).compressobj()
        compress, flush = zstd_obj.compress, zstd_obj.flush
    parts = [compress(block) for _ in range(total // len(block))]
    return b"".join(parts) + flush()


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip", "deflate"])
def test_decompression_bomb_stops_at_the_cap_with_bounded_memory(encoding: str, tmp_path: Path) -> None:
    bomb = tmp_path / f"bomb.{encoding}"
    bomb.write_bytes(_compress_zeros(encoding, BOMB_BYTES))
    assert bomb.stat().st_size < 300_000  # small on the wire
    done = subprocess.run(
        [sys.executable, "-c", BOMB_SCRIPT, str(bomb), encoding, str(CAP)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert (
        report["error"] == f"response from {report['url']} larger than {CAP} bytes once decoded ({encoding})"
    )
    assert report["size"] == 0
    grown = (report["peak_kib"] - report["baseline_kib"]) * 1024  # ru_maxrss is in KiB on Linux
    assert grown < CAP + MARGIN, report


# --- hostile feed documents --------------------------------------------------------------------


def _laughs(levels: int = 9) -> bytes:
    entities = b"".join(
        b'<!ENTITY b%d "%s">' % (i, (b"&b%d;" % (i - 1) if i else b"&a;") * 10) for i in range(levels)
    )
    return (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + b"a" * 100 + b'">' + entities + b"]>"
        b'<rss version="2.0"><channel><title>&b8;</title>'
        b"<item><title>x</title><link>http://e.example/1</link></item></channel></rss>"
    )


def test_feed_entity_expansion_bomb_is_not_expanded() -> None:
    feed = parse_feed("http://e.example/feed", _laughs(), "application/rss+xml")
    assert len(feed.title or "") < 100
    assert [e.url for e in feed.entries] == ["http://e.example/1"]


def test_feed_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("INTERNAL SECRET", encoding="utf-8")
    document = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        '<rss version="2.0"><channel><title>T&x;</title>'
        "<item><title>&x;</title><link>http://e.example/1</link></item></channel></rss>"
    ).encode()
    feed = parse_feed("http://e.example/feed", document, "application/rss+xml")
    assert "SECRET" not in repr(feed)
