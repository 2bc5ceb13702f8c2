"""Webhook signatures: HMAC-SHA256 with the target's secret over the timestamp and the body.

A receiver checks ``X-Newsdesk-Signature`` against ``sign(secret, X-Newsdesk-Timestamp, body)``
(``verify``), and may refuse a timestamp too old (a replayed request).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

DELIVERY_HEADER = "X-Newsdesk-Delivery"
EVENT_HEADER = "X-Newsdesk-Event"
TIMESTAMP_HEADER = "X-Newsdesk-Timestamp"
SIGNATURE_HEADER = "X-Newsdesk-Signature"


def new_secret() -> str:
    """A fresh secret for a webhook target."""
    return secrets.token_urlsafe(32)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of ``timestamp.body`` under ``secret``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """Whether ``signature`` is the one ``sign`` makes (compared in constant time)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature.strip())
