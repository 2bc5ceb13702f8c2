"""``digest``: the press review of a period's stories in one document (Markdown, HTML or PDF)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from newsdesk.cli.common import SINCE_HELP, err, fail, out, since, state

if TYPE_CHECKING:
    from gettext import NullTranslations

    from newsdesk.models import StoryView
    from newsdesk.present.digest import Digest
    from newsdesk.settings import Settings


class DigestFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"


def digest(
    ctx: typer.Context,
    since_: str = typer.Option("24h", "--since", help=SINCE_HELP),
    fmt: DigestFormat = typer.Option(DigestFormat.md, "--format", help="Output format."),
    limit: int = typer.Option(10, "--limit", min=1, max=200, help="At most this many stories."),
    title: str = typer.Option("", "--title", help="The digest's title (default: newsdesk and the period)."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of standard output.", dir_okay=False
    ),
    send: bool = typer.Option(False, "--send", help="E-mail it (HTML and plain text) through [smtp]."),
    to: list[str] = typer.Option([], "--to", help="A recipient of --send (repeat for more)."),
) -> None:
    """A digest of the followed stories active in the period (story alert rules), else of the period's
    most covered stories: headlines in the reader's language, outlets, timeline, who said what."""
    from newsdesk.present.digest import build_digest
    from newsdesk.present.pdf import PdfUnavailable, html_to_pdf
    from newsdesk.present.render import render_digest

    app_state = state(ctx)
    settings = app_state.settings
    interface = app_state.interface
    start = since(since_)
    if send and not to:
        fail(interface.gettext("--send needs at least one --to ADDRESS"))
    if fmt is DigestFormat.pdf and output is None and not send and sys.stdout.isatty():
        fail(
            interface.gettext(
                "a PDF is binary: write it to a file with --output FILE, or redirect standard output"
            )
        )
    now = datetime.now(UTC)
    with app_state.store.session() as session:
        found, followed = _stories(session, start, limit)
    first = start or min((s.first_seen for s in found), default=now)
    lang = settings.reader_lang
    heading = title or f"newsdesk · {since_}"
    document = build_digest(found, lang, first, now, title=heading, followed=followed, flags=settings.flags)
    if send:
        _send(document, heading, to, settings, interface)
        return
    if fmt is DigestFormat.pdf:
        try:
            data = html_to_pdf(render_digest(document, "html"))
        except PdfUnavailable as exc:
            fail(str(exc))
    else:
        data = render_digest(document, fmt.value).encode("utf-8")
    if output is not None:
        try:
            output.write_bytes(data)
        except OSError as exc:
            fail(
                interface.gettext("cannot write %(file)s: %(reason)s")
                % {"file": output, "reason": exc.strerror or exc}
            )
        written = interface.ngettext(
            "%(num)d story written to %(file)s", "%(num)d stories written to %(file)s", len(found)
        )
        err.print(written % {"num": len(found), "file": output}, markup=False, highlight=False)
        return
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def _stories(session, start: datetime | None, limit: int) -> tuple[list[StoryView], bool]:  # noqa: ANN001
    """The followed stories (those of enabled story rules) with an article in the period, else the
    period's most covered stories; and whether they are the followed ones."""
    from newsdesk.alerts.rules import STORY
    from newsdesk.store import alerts, browse, queries

    followed = [
        r.params["story_id"] for r in alerts.list_rules(session, enabled_only=True) if r.kind == STORY
    ]
    views = [
        view for view in (queries.story(session, i) for i in dict.fromkeys(followed)) if view is not None
    ]
    active = [v for v in views if start is None or v.last_seen >= start]
    if active:
        active.sort(key=lambda v: v.last_seen, reverse=True)
        return active[:limit], True
    ranked = browse.story_rows(session, browse.StoryFilters(since=start), limit)  # the ranking only
    return [view for view in (queries.story(session, s.id) for s in ranked) if view is not None], False


def _send(
    document: Digest, subject: str, addresses: list[str], settings: Settings, interface: NullTranslations
) -> None:
    from newsdesk.alerts.email import send_document
    from newsdesk.present.render import render_digest

    results = send_document(
        addresses, subject, render_digest(document, "md"), render_digest(document, "html"), settings
    )
    failed = [(address, error) for address, error in results if error]
    count = len(document.stories)
    sent = interface.ngettext("sent (%(num)d story)", "sent (%(num)d stories)", count) % {"num": count}
    for address, error in results:
        line = f"{address}: {error}" if error else f"{address}: {sent}"
        (err if error else out).print(line, markup=False, highlight=False)
    if failed:
        raise typer.Exit(1)
