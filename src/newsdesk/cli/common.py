"""What every command shares: settings, the store, consoles, errors, periods, counts.

Commands import the library inside their bodies, so that ``newsdesk --help`` loads neither the
pipeline nor the web application.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console
from rich.text import Text

from newsdesk.periods import SINCE_SYNTAX, parse_since
from newsdesk.settings import Settings

if TYPE_CHECKING:
    from gettext import NullTranslations

    from rich.progress import Progress

    from newsdesk.store import Store

# What is printed comes from outside (feed titles, URLs, error messages, names): the consoles read no
# markup, no emoji codes and colour nothing by guess, so ``[/]`` or ``:fire:`` print as they are.
# Styles are given as ``Text`` (see ``labelled``), never written into strings.
out = Console(markup=False, emoji=False, highlight=False, soft_wrap=True)
err = Console(stderr=True, markup=False, emoji=False, highlight=False)

SINCE_HELP = f"Only what was published in this period: {SINCE_SYNTAX}."


@dataclass
class AppState:
    settings: Settings
    # The settings file in use (it need not exist).
    config: Path = field(default_factory=Path)
    _store: Store | None = field(default=None, repr=False)

    @property
    def interface(self) -> NullTranslations:
        """The translations of the human-readable output, in the reader's language (``--lang``)."""
        from newsdesk.i18n import translations

        return translations(self.settings.reader_lang)

    @property
    def store(self) -> Store:
        """The store, which must exist already: a command that only reads never creates one."""
        return self.open_store(create=False)

    def open_store(self, create: bool = False) -> Store:
        """The store; only commands that write pass ``create`` (a missing SQLite file is then made)."""
        if self._store is None:
            from newsdesk.store import Store
            from newsdesk.store.database import StoreMissing

            try:
                self._store = Store(self.settings.db_url, create=create)
            except StoreMissing:
                fail(
                    f"no store at {self.settings.db}: check --db (or NEWSDESK_DB); "
                    "`newsdesk feeds add URL` or `newsdesk fetch` creates one"
                )
            except Exception as exc:
                fail(f"cannot open the store {self.settings.db}: {exc}")
        return self._store


def progress_bar(transient: bool = False) -> Progress:
    """A progress display on standard error: description, bar, done/total, time elapsed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=transient,
    )


class Bars:
    """Named progress bars that appear only once there is work: a round with nothing to do shows none."""

    def __init__(self, transient: bool = False) -> None:
        self._transient = transient
        self._progress: Progress | None = None
        self._tasks: dict[str, int] = {}

    def _task(self, name: str) -> tuple[Progress, int]:
        if self._progress is None:
            self._progress = progress_bar(self._transient)
            self._progress.start()
        if name not in self._tasks:
            self._tasks[name] = self._progress.add_task(name, total=None)
        return self._progress, self._tasks[name]

    def total(self, name: str, n: int) -> None:
        """Set a bar's total; a total of nothing shows no bar."""
        if n or name in self._tasks:
            progress, task = self._task(name)
            progress.update(task, total=n)

    def advance(self, name: str, n: int = 1) -> None:
        if n:
            progress, task = self._task(name)
            progress.advance(task, n)

    def finish(self, name: str) -> None:
        """Set a bar's total to what it counted (a bar whose total was not known ahead)."""
        if name in self._tasks:
            progress, task = self._task(name)
            progress.update(task, total=progress.tasks[task].completed)

    def __enter__(self) -> Bars:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def state(ctx: typer.Context) -> AppState:
    return ctx.obj


def labelled(label: str, style: str, text: str) -> Text:
    """``label text`` with only the label styled: the text is shown as it is, never read as markup."""
    return Text.assemble((label, style), " ", text)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print an error naming what went wrong and leave with a non-zero code."""
    err.print(labelled("error:", "bold red", message))
    raise typer.Exit(code)


def since(text: str | None, option: str = "--since") -> datetime | None:
    """The start of a period given on the command line (see ``newsdesk.periods``); None for all."""
    try:
        return parse_since(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=f"'{option}'") from None


_PLURALS = {"story": "stories", "entity": "entities"}


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``1 article``, ``2 articles``, ``0 stories``: a number with its noun in the right number."""
    if n == 1:
        return f"{n} {singular}"
    return f"{n} {plural or _PLURALS.get(singular) or singular + 's'}"


def private_hint(errors: list[str], config: Path) -> str | None:
    """How to allow loopback and private addresses, when one of the errors is their refusal."""
    from newsdesk.ingest.addresses import PRIVATE_REFUSED

    if not any(PRIVATE_REFUSED in e for e in errors):
        return None
    return (
        "loopback and private addresses are refused: set NEWSDESK_ALLOW_PRIVATE=1, or "
        f"`allow_private = true` under [fetch] in {config}"
    )
