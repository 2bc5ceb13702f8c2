"""The store: the only part of newsdesk that speaks SQL.

``Store`` owns the engine and hands out sessions; the functions in
``feeds``, ``pages``, ``articles`` and ``queries`` work inside a session.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from newsdesk.store.database import create_store_engine, migrate


class Store:
    """A database at a SQLAlchemy URL, migrated to the current schema on open. Without ``create`` a
    SQLite file that does not exist raises ``StoreMissing`` instead of becoming an empty store."""

    def __init__(self, url: str, create: bool = True) -> None:
        self.url = url
        self.engine = create_store_engine(url, create)
        migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back on error."""
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
