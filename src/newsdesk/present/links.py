"""Link filters shared by every Jinja2 environment: the exports (HTML, Markdown) and the web app."""

from __future__ import annotations

from urllib.parse import quote

from jinja2 import Environment

from newsdesk.urls import safe_url

# Kept as they are in a Markdown link's target; everything else (spaces, brackets, quotes,
# backslashes, table pipes, non-ASCII) is percent-encoded, so a URL cannot end the link early.
_MARKDOWN_URL_SAFE = "/:?#@!$&*+,;=%~[]"


def markdown_url(url: str | None) -> str:
    """``url`` as the target of a Markdown link: ``""`` unless ``safe_url`` accepts it."""
    return quote(safe_url(url), safe=_MARKDOWN_URL_SAFE)


def install_link_filters(env: Environment) -> None:
    """Register ``safe_url`` (for ``href``) and ``md_url`` (for Markdown links) on an environment."""
    env.filters["safe_url"] = safe_url
    env.filters["md_url"] = markdown_url
