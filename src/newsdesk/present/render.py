"""Renderers: plain text, Markdown, HTML (Jinja2, autoescaped) and JSON."""

from __future__ import annotations

import functools
import json
from gettext import NullTranslations
from typing import Any

from jinja2 import Environment, PackageLoader, pass_context, select_autoescape
from jinja2.runtime import Context

from newsdesk.i18n import translations
from newsdesk.i18n.jinja import enable_i18n, template_callables
from newsdesk.present.clipping import NNBSP, Clipping
from newsdesk.present.digest import Digest
from newsdesk.present.links import install_link_filters
from newsdesk.present.review import CopyGroup, PressReview

FORMATS_CLIPPING = ("text", "md", "json", "html")
FORMATS_REVIEW = ("text", "md", "html", "json")
FORMATS_DIGEST = ("md", "html")


@functools.lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("newsdesk.present", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_escape"] = markdown_escape
    env.filters["copy_group"] = _copy_group_filter
    install_link_filters(env)
    enable_i18n(env)
    return env


def markdown_escape(value: str | None) -> str:
    """Escape the characters Markdown would read as markup at the start or inside a line."""
    if not value:
        return ""
    out = value
    for char in ("\\", "`", "*", "_", "[", "]", "<", ">", "#", "|"):
        out = out.replace(char, "\\" + char)
    return out


def clipping_text(clip: Clipping) -> str:
    """The clipping as plain text, exactly as the clipping format prescribes."""
    blocks = [clip.header()]
    if clip.headline:
        blocks.append(f"{NNBSP}{clip.headline}")
    blocks.extend(value for value in (clip.title, clip.lede, clip.dateline, clip.byline) if value)
    blocks.extend(clip.paragraphs)
    blocks.append(clip.outlet)
    return "\n\n".join(blocks) + "\n"


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_clipping(clip: Clipping, fmt: str = "text") -> str:
    if fmt == "text":
        return clipping_text(clip)
    if fmt == "json":
        return _json(clip.to_dict())
    if fmt in ("md", "html"):
        return _environment().get_template(f"clipping.{fmt}.j2").render(c=clip, nnbsp=NNBSP)
    raise ValueError(f"unknown clipping format {fmt!r} (choose from {', '.join(FORMATS_CLIPPING)})")


def review_text(review: PressReview) -> str:
    """The press review as plain text, its labels in the reader's language."""
    t = translations(review.reader_language)
    lines = [review.headline, "=" * min(len(review.headline), 78), ""]
    outlets, articles = len(review.outlets), len(review.entries)
    independent = review.independent_reports
    lines.append(
        t.ngettext("%(num)d outlet", "%(num)d outlets", outlets) % {"num": outlets}
        + ", "
        + t.ngettext("%(num)d article", "%(num)d articles", articles) % {"num": articles}
        + " "
        + t.ngettext("(%(num)d independent report)", "(%(num)d independent reports)", independent)
        % {"num": independent}
        + ", "
        + t.gettext("languages: %(languages)s") % {"languages": ", ".join(review.languages) or "-"}
    )
    if review.first_reported_by:
        lines.append(t.gettext("First reported by %(outlet)s") % {"outlet": review.first_reported_by})
    lines.append("")
    for group in review.copies:
        lines.append(f"{copy_group_text(group, t)}: {', '.join(group.outlets)}")
    if review.copies:
        lines.append("")
    for entry in review.entries:
        copy = "  (" + t.gettext("copy of #%(id)d") % {"id": entry.copy_of} + ")" if entry.copy_of else ""
        lines.append(f"{entry.when}  {entry.flag} {entry.outlet}  #{entry.article_id}{copy}")
        if entry.title:
            lines.append(f"    {entry.title}")
        if entry.lede:
            lines.append(f"    {entry.lede}")
        lines.append("")
    lines.extend(_who_said_what_text(review, t))
    for clip in review.clippings:
        lines.append("-" * 78)
        lines.append(clipping_text(clip))
    return "\n".join(lines)


def copy_group_text(group: CopyGroup, t: NullTranslations) -> str:
    """ "Same text as <outlet>: “<title>” (#id), carried by N outlets", in the reader's language."""
    source = group.outlet or f"#{group.original_id}"
    title = f": “{group.title}”" if group.title else ""
    return t.ngettext(
        "Same text as %(source)s%(title)s (#%(id)d), carried by %(num)d outlet",
        "Same text as %(source)s%(title)s (#%(id)d), carried by %(num)d outlets",
        group.carried_by,
    ) % {"source": source, "title": title, "id": group.original_id, "num": group.carried_by}


@pass_context
def _copy_group_filter(context: Context, group: CopyGroup) -> str:
    """``copy_group_text`` in the language of the review being rendered."""
    review = context.get("r")
    return copy_group_text(group, translations(getattr(review, "reader_language", None)))


def _heading(text: str) -> list[str]:
    return [text, "-" * len(text), ""]


def _who_said_what_text(review: PressReview, t: NullTranslations) -> list[str]:
    lines: list[str] = []
    if review.who_said_what:
        lines += _heading(t.gettext("Who said what"))
        for row in review.who_said_what:
            lines.append(row.speaker)
            for outlet, cells in row.outlets.items():
                for cell in cells:
                    quoted = f"“{cell.text}”" if cell.direct else cell.text
                    lines.append(f"    {outlet} ({cell.language or '-'}, {cell.cue or '-'}): {quoted}")
            lines.append("")
    if review.story_entities:
        lines += _heading(t.gettext("Named"))
        fallback = " (" + t.gettext("fallback") + ")"
        for entity in review.story_entities:
            counts = ", ".join(f"{outlet} {n}" for outlet, n in entity.outlets.items())
            marked = fallback if entity.fallback else ""
            lines.append(f"{entity.name} ({entity.type}){marked}: {counts}")
        lines.append("")
    if review.keywords:
        lines += [t.gettext("Keywords: %(keywords)s") % {"keywords": ", ".join(review.keywords)}, ""]
    if review.storyline:
        lines += _heading(t.gettext("Storyline"))
        for item in review.storyline:
            mark = "→" if item.current else " "
            count = t.ngettext("%(num)d article", "%(num)d articles", item.articles) % {"num": item.articles}
            lines.append(f"{mark} #{item.story_id}  {item.dates}  {item.headline} ({count})")
        lines.append("")
    return lines


def render_review(review: PressReview, fmt: str = "text") -> str:
    if fmt == "text":
        return review_text(review)
    if fmt == "json":
        return _json(review.to_dict())
    if fmt in ("md", "html"):
        template = _environment().get_template(f"review.{fmt}.j2")
        return template.render(r=review, nnbsp=NNBSP, **template_callables(review.reader_language))
    raise ValueError(f"unknown review format {fmt!r} (choose from {', '.join(FORMATS_REVIEW)})")


def render_digest(digest: Digest, fmt: str = "html") -> str:
    """A digest as Markdown or as one self-contained HTML page (see ``present.pdf`` for PDF)."""
    if fmt not in FORMATS_DIGEST:
        raise ValueError(f"unknown digest format {fmt!r} (choose from {', '.join(FORMATS_DIGEST)})")
    template = _environment().get_template(f"digest.{fmt}.j2")
    return template.render(d=digest, **template_callables(digest.reader_language))
