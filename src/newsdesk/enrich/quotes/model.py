"""The result type of quote extraction (shared with the rest of the pipeline)."""

from __future__ import annotations

from newsdesk.models import Quote

__all__ = ["Quote"]
