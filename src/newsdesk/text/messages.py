"""The marker of interface strings defined below the presentation (translated where they are shown)."""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the usual name of the marker
    """Mark a string for extraction where it is defined; translate it where it is shown."""
    return message
