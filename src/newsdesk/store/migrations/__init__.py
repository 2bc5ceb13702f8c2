"""Alembic migrations of the newsdesk store."""
