"""What every request handler reaches: settings, the store, the templates and the login rule."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import HTTPException, Path, Query
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.requests import Request

from newsdesk.i18n import INTERFACE_LANGUAGES
from newsdesk.i18n.accept import best_language
from newsdesk.ids import MAX_ID
from newsdesk.periods import SINCE_SYNTAX, parse_since
from newsdesk.settings import Settings
from newsdesk.store import Store, browse
from newsdesk.web.checks import FeedChecks
from newsdesk.web.throttle import LoginThrottle

LANG_COOKIE = "newsdesk_lang"
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")

# The largest id or offset a request may name (larger ones are refused with 422).
MAX_INT = MAX_ID
T = TypeVar("T")
RecordId = Annotated[int, Path(ge=1, le=MAX_INT, description="An id in the store")]
Offset = Annotated[int, Query(ge=0, le=MAX_INT, description="Results to skip")]


class ReadCache:
    """Read results kept while the store is unchanged (``browse.ChangeWatch``): any commit, by this
    process or another (``newsdesk import``, say), empties it. At most ``size`` results (2,048 hold the
    week's busiest stories in a few reader languages, with their JSON and panels), the least
    recently used out first. On databases without a change number nothing is kept."""

    def __init__(self, store: Store, size: int = 2048) -> None:
        self.watch = browse.ChangeWatch(store.engine)
        self.size = size
        self._lock = threading.Lock()
        self._version: int | None = None
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, read: Callable[[], T]) -> T:
        """The result kept for ``key``, else ``read()`` (kept for next time)."""
        version = self.watch.version()
        if version is not None:
            with self._lock:
                if version != self._version:
                    self._items.clear()
                    self._version = version
                elif key in self._items:
                    self._items.move_to_end(key)
                    return self._items[key]
        # Read after the version: a change committed in between is read now and read again next time.
        value = read()
        if version is not None:
            with self._lock:
                if self._version == version:
                    self._items[key] = value
                    while len(self._items) > self.size:
                        self._items.popitem(last=False)
        return value

    def close(self) -> None:
        self.watch.close()


class Choices:
    """The headline languages and the outlets the pages offer in their filters and language switch:
    every page shows them, and they change only when something is stored."""

    def __init__(self, store: Store, reads: ReadCache) -> None:
        self.store = store
        self.reads = reads

    def get(self) -> tuple[list[str], list[str]]:
        """The languages and the outlets' domains, sorted (callers must not change the lists)."""

        def read() -> tuple[list[str], list[str]]:
            with self.store.session() as session:
                return browse.languages(session), browse.outlet_domains(session)

        return self.reads.get("choices", read)

    def options(self, flag: Callable[[str], str]) -> tuple[Markup, Markup]:
        """The language and outlet ``<option>`` lists, rendered once while the store is unchanged: a
        store with hundreds of outlets would otherwise spend most of a page's time on its filters."""

        def render() -> tuple[Markup, Markup]:
            languages, outlets = self.get()
            return (
                Markup(
                    "".join(
                        f'<option value="{escape(c)}">{escape(flag(c))} {escape(c)}</option>'
                        for c in languages
                    )
                ),
                Markup("".join(f'<option value="{escape(d)}">{escape(d)}</option>' for d in outlets)),
            )

        return self.reads.get("choice options", render)


def with_selected(options: Markup, current: str | None) -> Markup:
    """``<option>`` markup with the one whose value is ``current`` selected."""
    if not current:
        return options
    value = f'value="{escape(current)}"'
    return Markup(str(options).replace(value + ">", value + " selected>", 1))


@dataclass
class WebState:
    settings: Settings
    store: Store
    require_login: bool
    templates: Jinja2Templates
    checks: FeedChecks
    logins: LoginThrottle
    reads: ReadCache = field(init=False)
    choices: Choices = field(init=False)

    def __post_init__(self) -> None:
        self.reads = ReadCache(self.store)
        self.choices = Choices(self.store, self.reads)


def web_state(request: Request) -> WebState:
    return request.app.state.web


def since_for(period: str | None, now: datetime | None = None) -> datetime | None:
    """The start of a period checked by ``checked_period`` (see ``newsdesk.periods``); none → no limit."""
    return parse_since(period, now)


async def checked_period(
    period: str | None = Query(None, description=f"Only what was published in this period: {SINCE_SYNTAX}"),
) -> str | None:
    """The ``period`` parameter of a page or an API call; one that is not a period is refused with 422,
    naming the syntax."""
    try:
        parse_since(period)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    return period or None


def valid_language(code: str | None) -> str | None:
    """A language code such as ``fr`` or ``pt-BR``, else None."""
    return code if code and _LANGUAGE.match(code) else None


def reader_language(request: Request) -> tuple[str, bool]:
    """The reader's language, for headlines, dates and the interface alike: the ``lang`` parameter,
    else the cookie, else the browser's ``Accept-Language`` (the first language the interface is
    translated into), else settings; and whether it was just chosen (and must be remembered in a
    cookie)."""
    chosen = valid_language(request.query_params.get("lang"))
    if chosen:
        return chosen, chosen != request.cookies.get(LANG_COOKIE)
    cookie = valid_language(request.cookies.get(LANG_COOKIE))
    if cookie:
        return cookie, False
    accepted = best_language(request.headers.get("accept-language"), INTERFACE_LANGUAGES)
    return accepted or web_state(request).settings.reader_lang, False
