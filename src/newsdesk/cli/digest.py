"""``digest``: the press review of a period's stories in one document (Markdown, HTML or PDF)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import typer

from newsdesk.cli.common import SINCE_HELP, err, fail, since, state


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
) -> None:
    """A digest of the period's most covered stories: headlines in the reader's language, outlets,
    timeline, who said what."""
    from newsdesk.present.digest import build_digest
    from newsdesk.present.pdf import PdfUnavailable, html_to_pdf
    from newsdesk.present.render import render_digest
    from newsdesk.store import queries

    app_state = state(ctx)
    settings = app_state.settings
    interface = app_state.interface
    start = since(since_)
    if fmt is DigestFormat.pdf and output is None and sys.stdout.isatty():
        fail(
            interface.gettext(
                "a PDF is binary: write it to a file with --output FILE, or redirect standard output"
            )
        )
    now = datetime.now(UTC)
    with app_state.store.session() as session:
        ranked = queries.stories(session, start, limit)
        found = [view for view in (queries.story(session, s.id) for s in ranked) if view is not None]
    first = start or min((s.first_seen for s in found), default=now)
    lang = settings.reader_lang
    heading = title or f"newsdesk · {since_}"
    document = build_digest(found, lang, first, now, title=heading, flags=settings.flags)
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
