"""What every command shares: settings, the store, consoles, errors, durations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsdesk.settings import Settings
from newsdesk.store import Store

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@dataclass
class AppState:
    settings: Settings
    _store: Store | None = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        if self._store is None:
            try:
                self._store = Store(self.settings.db_url)
            except Exception as exc:
                fail(f"cannot open the store {self.settings.db}: {exc}")
        return self._store


def progress_bar() -> Progress:
    """A progress display on standard error: description, bar, done/total, time elapsed."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )


def state(ctx: typer.Context) -> AppState:
    return ctx.obj


def fail(message: str, code: int = 1) -> NoReturn:
    """Print an error naming what went wrong and leave with a non-zero code."""
    err.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


def parse_duration(text: str) -> timedelta:
    """``30m``, ``24h``, ``7d``, ``2w`` → a timedelta."""
    match = _DURATION.match(text)
    if not match:
        raise typer.BadParameter(f"{text!r} is not a duration like 30m, 24h, 7d or 2w")
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


def since(text: str | None) -> datetime | None:
    return datetime.now(UTC) - parse_duration(text) if text else None
