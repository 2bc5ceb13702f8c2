"""Engine creation and schema migrations (Alembic)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import ColumnElement, Engine, Table, create_engine, event, func, insert, select, text
from sqlalchemy.orm import Session

MIGRATIONS = Path(__file__).with_name("migrations")


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class StoreMissing(FileNotFoundError):
    """A SQLite store that does not exist, opened by someone who may not create it."""


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and for an in-memory SQLite)."""
    if not url.startswith("sqlite:///"):
        return None
    path = Path(url.removeprefix("sqlite:///"))
    return None if str(path) in ("", ":memory:") else path


def create_store_engine(url: str, create: bool = True) -> Engine:
    """An engine for a SQLAlchemy URL; SQLite gets WAL mode and, with ``create``, its folder created.

    Without ``create`` a SQLite file that does not exist yet raises ``StoreMissing`` naming it
    (other databases are created by their administrator, never here)."""
    if url.startswith("sqlite:///"):
        path = sqlite_file(url)
        if path is not None and not path.exists():
            if not create:
                raise StoreMissing(f"no store at {path}")
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op when it is current)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def insert_ids(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` into ``table`` (an integer primary key ``id`` chosen by the database) in
    one executemany; their ids, in the order of ``rows``.

    SQLite gives each new row the largest id in use plus one, so the rows of one statement get
    consecutive ids ending at ``last_insert_rowid()``: read that way, since SQLite returns the
    rows of ``RETURNING`` in no set order and SQLAlchemy then inserts them one at a time. Other
    databases return them in order with ``RETURNING``."""
    if not rows:
        return []
    if session.get_bind().dialect.name != "sqlite":
        return list(session.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows))
    session.execute(insert(table), rows)
    last = session.scalar(text("SELECT last_insert_rowid()"))
    first = last - len(rows) + 1
    # A check that costs one index look-up: the rows did get the ids first..last.
    if session.scalar(select(func.count()).select_from(table).where(table.c.id.between(first, last))) != len(
        rows
    ):
        raise RuntimeError(f"{table.name}: the ids of {len(rows)} inserted rows are not consecutive")
    return list(range(first, last + 1))


def ids_among(
    session: Session, column: ColumnElement[int], ids: Iterable[int], *where: ColumnElement[bool]
) -> set[int]:
    """Those of ``ids`` (values of ``column``) whose rows also meet ``where``: 500 at a time, under
    the number of parameters a statement may hold."""
    wanted = sorted(set(ids))
    found: set[int] = set()
    for start in range(0, len(wanted), 500):
        found.update(session.scalars(select(column).where(column.in_(wanted[start : start + 500]), *where)))
    return found
