"""Quiet hours: when a notification may go out."""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsdesk.alerts.rules import RuleError
from newsdesk.text.messages import N_


def zone(name: str | None) -> tzinfo | None:
    """The time zone named (``Europe/Paris``); None for the machine's; RuleError when unknown."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RuleError(N_("unknown time zone %(zone)s (e.g. Europe/Paris, UTC)"), zone=repr(name)) from exc


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def release_time(quiet_hours: str | None, tz: tzinfo | None, when: datetime) -> datetime:
    """``when`` if it lies outside the quiet hours (``22:00-07:00``, in ``tz``), else the end of the
    quiet hours it lies in. A span whose start is after its end runs over midnight."""
    if not quiet_hours:
        return when
    start_text, end_text = quiet_hours.split("-")
    start, end = _clock(start_text), _clock(end_text)
    if start == end:
        return when
    local = when.astimezone(tz)
    now = local.time()
    if start < end:
        quiet = start <= now < end
        end_day = local.date()
    else:
        quiet = now >= start or now < end
        end_day = local.date() + timedelta(days=1) if now >= start else local.date()
    if not quiet:
        return when
    # A named zone gives the offset of that day (summer time); the machine's keeps the offset of now.
    released = datetime.combine(end_day, end, tzinfo=tz or local.tzinfo)
    return released.astimezone(when.tzinfo)
