"""Helpers for tests and the demo: a local fixture HTTP server."""

from newsdesk.testing.httpserver import FixtureServer, Route

__all__ = ["FixtureServer", "Route"]
