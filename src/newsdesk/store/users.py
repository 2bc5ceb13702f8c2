"""Users and their tokens (log-in sessions and API tokens).

The store keeps what it is given: password hashes and token hashes are made by
the callers (``newsdesk.web.passwords``); no secret is stored in the clear.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from newsdesk.store import schema

SESSION, API = "session", "api"


@dataclass
class UserRecord:
    id: int
    name: str
    password_hash: str
    is_admin: bool
    created: datetime


@dataclass
class TokenRecord:
    id: int
    user_id: int
    kind: str
    name: str | None
    created: datetime
    last_used: datetime | None
    expires: datetime | None


def _user(row: schema.User) -> UserRecord:
    return UserRecord(row.id, row.name, row.password_hash, row.is_admin, row.created)


def _token(row: schema.Token) -> TokenRecord:
    return TokenRecord(row.id, row.user_id, row.kind, row.name, row.created, row.last_used, row.expires)


def add_user(session: Session, name: str, password_hash: str, now: datetime, is_admin: bool = True) -> int:
    """Create a user; raises ValueError when the name is taken."""
    if session.scalar(select(schema.User.id).where(schema.User.name == name)) is not None:
        raise ValueError(f"user {name!r} exists")
    row = schema.User(name=name, password_hash=password_hash, is_admin=is_admin, created=now)
    session.add(row)
    session.flush()
    return row.id


def find_user(session: Session, name: str) -> UserRecord | None:
    row = session.scalar(select(schema.User).where(schema.User.name == name))
    return _user(row) if row else None


def get_user(session: Session, user_id: int) -> UserRecord | None:
    row = session.get(schema.User, user_id)
    return _user(row) if row else None


def list_users(session: Session) -> list[UserRecord]:
    return [_user(r) for r in session.scalars(select(schema.User).order_by(schema.User.name))]


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(schema.User)) or 0


def set_password(session: Session, name: str, password_hash: str) -> bool:
    """Replace a user's password hash and end their log-in sessions."""
    row = session.scalar(select(schema.User).where(schema.User.name == name))
    if row is None:
        return False
    row.password_hash = password_hash
    session.execute(
        delete(schema.Token).where((schema.Token.user_id == row.id) & (schema.Token.kind == SESSION))
    )
    return True


def remove_user(session: Session, name: str) -> bool:
    row = session.scalar(select(schema.User).where(schema.User.name == name))
    if row is None:
        return False
    session.execute(delete(schema.Token).where(schema.Token.user_id == row.id))
    session.delete(row)
    return True


def add_token(
    session: Session,
    user_id: int,
    kind: str,
    secret_hash: str,
    now: datetime,
    name: str | None = None,
    expires: datetime | None = None,
) -> int:
    """Keep the hash of a new session or API token."""
    row = schema.Token(
        user_id=user_id, kind=kind, name=name, secret_hash=secret_hash, created=now, expires=expires
    )
    session.add(row)
    session.flush()
    return row.id


def user_for_token(session: Session, secret_hash: str, kind: str, now: datetime) -> UserRecord | None:
    """The user a live token of this kind belongs to; marks the token used."""
    row = session.execute(
        select(schema.Token, schema.User)
        .join(schema.User, schema.User.id == schema.Token.user_id)
        .where((schema.Token.secret_hash == secret_hash) & (schema.Token.kind == kind))
        .where(or_(schema.Token.expires.is_(None), schema.Token.expires > now))
    ).first()
    if row is None:
        return None
    token, user = row
    if token.last_used is None or now - token.last_used > timedelta(minutes=5):
        token.last_used = now
    return _user(user)


def list_tokens(session: Session, user_id: int, kind: str = API) -> list[TokenRecord]:
    rows = session.scalars(
        select(schema.Token)
        .where((schema.Token.user_id == user_id) & (schema.Token.kind == kind))
        .order_by(schema.Token.id)
    )
    return [_token(r) for r in rows]


def remove_token(session: Session, token_id: int, user_id: int | None = None) -> bool:
    """Delete a token (only the given user's when ``user_id`` is set)."""
    query = delete(schema.Token).where(schema.Token.id == token_id)
    if user_id is not None:
        query = query.where(schema.Token.user_id == user_id)
    return session.execute(query).rowcount > 0


def remove_session(session: Session, secret_hash: str) -> None:
    session.execute(
        delete(schema.Token).where((schema.Token.secret_hash == secret_hash) & (schema.Token.kind == SESSION))
    )


def purge_expired(session: Session, now: datetime) -> int:
    return session.execute(delete(schema.Token).where(schema.Token.expires <= now)).rowcount
