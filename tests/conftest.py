"""Shared fixtures: local HTTP servers, paths to shared data, fetch settings for tests."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.settings import FetchSettings
from newsdesk.testing.httpserver import FixtureServer

REPO_ROOT = Path(__file__).resolve().parents[1]

# A test run started in the background (``.ci/run &`` from a script) inherits an ignored
# SIGINT, and so would every newsdesk process the tests start: the Ctrl-C tests would then
# test nothing. The tests run with Python's default handler, as in a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _shared_root() -> Path:
    return Path(os.environ.get("NEWSDESK_SHARED") or REPO_ROOT.parent / "shared")


@pytest.fixture(autouse=True)
def _signal_handlers_kept() -> Iterator[None]:
    """Put back the signal handlers a test changed: a test must not leave SIGINT ignored for
    the processes later tests start."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    yield
    for number, handler in saved.items():
        if handler is not None and signal.getsignal(number) is not handler:
            signal.signal(number, handler)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The read-only evaluation data folder (``NEWSDESK_SHARED_DATA``, else ``../shared/data``)."""
    path = Path(os.environ.get("NEWSDESK_SHARED_DATA") or _shared_root() / "data")
    if not path.is_dir():
        pytest.skip(f"shared data folder not found at {path} (set NEWSDESK_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def seed_site() -> Path:
    """The fixture news site (``NEWSDESK_SEED_SITE``, else ``../shared/seed/site``)."""
    path = Path(os.environ.get("NEWSDESK_SEED_SITE") or _shared_root() / "seed" / "site")
    if not (path / "feeds.opml").is_file():
        pytest.skip(f"seed site not found at {path} (set NEWSDESK_SEED_SITE)")
    return path


@pytest.fixture
def http_server() -> Iterator[FixtureServer]:
    """An empty local server on 127.0.0.1; tests program its routes."""
    with FixtureServer() as server:
        yield server


@pytest.fixture
def seed_server(seed_site: Path) -> Iterator[FixtureServer]:
    """The seed site served on 127.0.0.1 with ``{{BASE}}`` replaced."""
    with FixtureServer(seed_site) as server:
        yield server


@pytest.fixture
def fetch_settings() -> FetchSettings:
    """Fetch settings for local tests: loopback allowed, no pacing, short timeouts."""
    return FetchSettings(
        allow_private=True,
        per_host_delay=0.0,
        connect_timeout=2.0,
        read_timeout=5.0,
        max_bytes=1024 * 1024,
    )
