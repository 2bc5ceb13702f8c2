"""Webhook delivery: a signed JSON POST through the guarded transport (the address rules of feeds)."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from newsdesk.alerts.rules import Outcome
from newsdesk.alerts.signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from newsdesk.ingest.neterrors import describe_network_error
from newsdesk.ingest.transport import GuardedTransport, HostRefused
from newsdesk.settings import Settings
from newsdesk.store.alerts import Job


def document(job: Job) -> dict[str, Any]:
    """What a notification says, the same at every try: its delivery id, the event and the rule."""
    return {
        "delivery": job.uid,
        "event": job.event_key,
        "rule": {"id": job.rule_id, "name": job.rule_name, "kind": job.rule_kind},
        "detected": job.detected.isoformat(),
        **job.payload,
    }


def client(settings: Settings) -> httpx.AsyncClient:
    """The client webhooks go through: every connection checked as a feed's is, no redirects."""
    return httpx.AsyncClient(
        headers={"User-Agent": settings.fetch.user_agent},
        timeout=httpx.Timeout(settings.alerts.timeout, connect=settings.fetch.connect_timeout),
        follow_redirects=False,
        transport=GuardedTransport(settings.fetch),
    )


async def post(http: httpx.AsyncClient, job: Job, settings: Settings) -> Outcome:
    """POST the notification to the target's URL, signed; any 2xx answer delivers it."""
    body = json.dumps(document(job), ensure_ascii=False, sort_keys=True).encode()
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        DELIVERY_HEADER: job.uid,
        EVENT_HEADER: job.event_key,
        TIMESTAMP_HEADER: stamp,
        SIGNATURE_HEADER: sign(job.target.secret or "", stamp, body),
    }
    url = job.target.address
    started = time.monotonic()
    try:
        response = await http.post(url, content=body, headers=headers)
    except HostRefused as exc:
        return Outcome(False, None, str(exc), time.monotonic() - started)
    except (httpx.HTTPError, OSError) as exc:
        return Outcome(
            False, None, describe_network_error(exc, settings.fetch, url), time.monotonic() - started
        )
    elapsed = time.monotonic() - started
    if 200 <= response.status_code < 300:
        return Outcome(True, response.status_code, None, elapsed)
    error = f"HTTP {response.status_code} {response.reason_phrase or ''}".rstrip()
    return Outcome(False, response.status_code, error, elapsed)
