"""The web application: pages, a JSON API and Atom feeds over the store (``newsdesk serve``)."""

from newsdesk.web.app import create_app

__all__ = ["create_app"]
