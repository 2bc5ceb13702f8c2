"""Password hashing (Argon2id) and the random secrets behind sessions and API tokens."""

from __future__ import annotations

import functools
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An Argon2id hash of a password (raises ValueError when it is too short)."""
    if len(password) < MIN_LENGTH:
        raise ValueError(f"a password needs at least {MIN_LENGTH} characters")
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_secret() -> str:
    """A fresh random secret for a session cookie or an API token."""
    return secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    """What the store keeps of a secret: its SHA-256 (secrets are random, so no salt is needed)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@functools.cache
def _nobody_hash() -> str:
    return _hasher.hash(new_secret())


def verify_nobody(password: str) -> bool:
    """Spend the time of a real check, so a log-in does not reveal whether a name exists."""
    return verify_password(_nobody_hash(), password)
