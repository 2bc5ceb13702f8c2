"""Saved searches: a name, a full-text query and its filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.store import schema


@dataclass
class SavedSearch:
    id: int
    name: str
    query: str
    language: str | None
    outlet: str | None
    created: datetime


def _saved(row: schema.SavedSearch) -> SavedSearch:
    return SavedSearch(row.id, row.name, row.query, row.language, row.outlet, row.created)


def save_search(
    session: Session,
    name: str,
    query: str,
    now: datetime,
    language: str | None = None,
    outlet: str | None = None,
) -> SavedSearch:
    row = schema.SavedSearch(name=name, query=query, language=language, outlet=outlet, created=now)
    session.add(row)
    session.flush()
    return _saved(row)


def list_searches(session: Session) -> list[SavedSearch]:
    return [_saved(r) for r in session.scalars(select(schema.SavedSearch).order_by(schema.SavedSearch.name))]


def get_search(session: Session, search_id: int) -> SavedSearch | None:
    row = session.get(schema.SavedSearch, search_id)
    return _saved(row) if row else None


def remove_search(session: Session, search_id: int) -> bool:
    row = session.get(schema.SavedSearch, search_id)
    if row is None:
        return False
    session.delete(row)
    return True
