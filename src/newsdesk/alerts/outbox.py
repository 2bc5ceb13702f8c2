"""Delivering the outbox: take due deliveries, send them, record each try; retry with back-off.

A delivery is taken (``sending``) in a committed transaction before it is sent, and marked after,
so a process that dies between the two leaves it taken; once its lease ends another run sends it
again with the same ``X-Newsdesk-Delivery`` id. Nothing is lost; a receiver that remembers the ids
it has seen gets each notification once.
"""

from __future__ import annotations

import asyncio
import os
import signal
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from newsdesk.alerts import email, webhook
from newsdesk.alerts.quiet import release_time, zone
from newsdesk.alerts.rules import WEBHOOK, Outcome
from newsdesk.settings import AlertSettings, Settings
from newsdesk.store import Store
from newsdesk.store import alerts as alert_store
from newsdesk.store.alerts import Job

CRASH_ENV = "NEWSDESK_TEST_CRASH"  # tests: the point where the process kills itself (SIGKILL)


def crash_point(name: str) -> None:
    """Die at once, as a power cut would, when the tests ask for it at this point."""
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class DeliveryStats:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def retry_at(attempts: int, settings: AlertSettings, now: datetime) -> datetime | None:
    """When to try again after ``attempts`` failed tries: ``retry_seconds`` doubled at each try, at
    most ``retry_max_hours``; None once ``max_attempts`` tries were made."""
    if attempts >= settings.max_attempts:
        return None
    wait = min(settings.retry_seconds * 2 ** (attempts - 1), settings.retry_max_hours * 3600)
    return now + timedelta(seconds=wait)


async def _send_all(jobs: list[Job], settings: Settings) -> list[Outcome]:
    async with webhook.client(settings) as http:

        async def one(job: Job) -> Outcome:
            if job.target.kind == WEBHOOK:
                return await webhook.post(http, job, settings)
            return await asyncio.to_thread(email.send, job, settings)

        return list(await asyncio.gather(*(one(job) for job in jobs)))


def deliver_due(
    store: Store, settings: Settings, now: datetime | None = None, rule_id: int | None = None
) -> DeliveryStats:
    """Send every delivery due (of one rule), in batches, until none is due; retries due at once (a
    ``retry_seconds`` of 0) are sent in the same call, up to ``max_attempts``."""
    stats = DeliveryStats()
    config = settings.alerts
    while True:
        moment = now or datetime.now(UTC)
        lease = moment + timedelta(seconds=config.lease_seconds)
        with store.session() as session:
            jobs = alert_store.claim_due(session, moment, lease, rule_id=rule_id)
        if not jobs:
            return stats
        outcomes = asyncio.run(_send_all(jobs, settings))
        crash_point("after-send")
        done = now or datetime.now(UTC)
        with store.session() as session:
            for job, outcome in zip(jobs, outcomes, strict=True):
                retry = None
                if not outcome.ok:
                    retry = retry_at(job.attempts + 1, config, done)
                    if retry is not None:
                        retry = release_time(job.quiet_hours, zone(job.timezone or config.timezone), retry)
                state = alert_store.finish(
                    session,
                    job,
                    done,
                    ok=outcome.ok,
                    status=outcome.status,
                    error=outcome.error,
                    elapsed=outcome.elapsed,
                    retry_at=retry,
                )
                if state == alert_store.DELIVERED:
                    stats.delivered += 1
                elif state == alert_store.PENDING:
                    stats.retrying += 1
                else:
                    stats.failed += 1
                if outcome.error:
                    stats.errors.append(f"{job.rule_name} → {job.target.address}: {outcome.error}")
