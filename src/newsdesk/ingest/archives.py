"""Records for ``newsdesk import``: saved HTML pages, JSON Lines and (optionally) WARC files.

Accepted inputs (folders are searched recursively, in sorted order):

* ``.html`` / ``.htm`` (optionally ``.gz``): one page each; its URL is the
  page's canonical link or ``og:url``, else a ``file://`` URL of the file;
* ``.jsonl`` (optionally ``.gz``): one JSON object a line, ``{url, html}`` or
  pre-extracted ``{url, title, text, lede?, byline?, published?, language?, outlet?}``;
* ``.warc`` / ``.warc.gz``: HTML responses, when the ``warcio`` package is installed.

A bad file or line yields an ImportFailure and the others go on.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from newsdesk.ingest.charset import decode_html
from newsdesk.ingest.textutil import absolute_http_url, parse_datetime

HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
MAX_FILE_BYTES = 50 * 1024 * 1024
TEXT_FIELDS = ("title", "text", "lede", "byline", "language", "outlet")
HTML_TYPES = ("text/html", "application/xhtml+xml")
UNSUPPORTED = "unsupported file type (expected .html, .htm, .html.gz, .jsonl, .jsonl.gz or .warc)"


@dataclass
class ImportRecord:
    """One page to import: raw HTML, or text already extracted elsewhere."""

    source: str
    url: str
    html: str | None = None
    title: str | None = None
    text: str | None = None
    lede: str | None = None
    byline: str | None = None
    published: datetime | None = None
    language: str | None = None
    outlet: str | None = None


@dataclass
class ImportFailure:
    """An input that could not be imported, and why."""

    source: str
    reason: str


class _BadLine(ValueError):
    pass


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    for kind, suffixes in (("html", HTML_SUFFIXES), ("jsonl", JSONL_SUFFIXES), ("warc", WARC_SUFFIXES)):
        if name.endswith(suffixes):
            return kind
    return None


def page_url(html: str) -> str | None:
    """The absolute http(s) canonical URL a page declares (``rel=canonical``, else ``og:url``)."""
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8"))
    except (etree.ParserError, ValueError, TypeError):
        return None
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            url = absolute_http_url(link.get("href"), None)
            if url:
                return url
    for meta in root.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").strip().lower() == "og:url":
            url = absolute_http_url(meta.get("content"), None)
            if url:
                return url
    return None


def _read_bytes(path: Path) -> bytes:
    if path.name.lower().endswith(".gz"):
        with gzip.open(path, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    else:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"file larger than {MAX_FILE_BYTES} bytes")
    return data


def _html_file(path: Path) -> Iterator[ImportRecord | ImportFailure]:
    source = str(path)
    try:
        data = _read_bytes(path)
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        yield ImportFailure(source, f"cannot read file: {exc}")
        return
    if not data.strip():
        yield ImportFailure(source, "empty file")
        return
    html = decode_html(data)
    yield ImportRecord(source=source, url=page_url(html) or path.resolve().as_uri(), html=html)


def _optional_text(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _BadLine(f"field {key!r} must be a string")
    return value.strip() or None


def _jsonl_record(line: str, source: str) -> ImportRecord:
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise _BadLine(f"not valid JSON: {exc}") from exc
    if not isinstance(obj, dict):
        raise _BadLine("line is not a JSON object")
    url = _optional_text(obj, "url")
    if not url:
        raise _BadLine("missing 'url'")
    html = obj.get("html")
    if html is not None and not isinstance(html, str):
        raise _BadLine("field 'html' must be a string")
    fields = {key: _optional_text(obj, key) for key in TEXT_FIELDS}
    if not (html and html.strip()) and not fields["text"]:
        raise _BadLine("line has neither 'html' nor 'text'")
    published = None
    raw_published = obj.get("published")
    if raw_published not in (None, ""):
        if not isinstance(raw_published, str):
            raise _BadLine("field 'published' must be a date string")
        published = parse_datetime(raw_published)
        if published is None:
            raise _BadLine(f"unrecognised date in 'published': {raw_published[:40]!r}")
    return ImportRecord(source=source, url=url, html=html or None, published=published, **fields)


def _jsonl_file(path: Path) -> Iterator[ImportRecord | ImportFailure]:
    lineno = 0
    try:
        with gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb") as stream:
            for lineno, raw in enumerate(stream, start=1):  # noqa: B007 - lineno is used after the loop
                if not raw.strip():
                    continue
                source = f"{path}:{lineno}"
                try:
                    line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
                    yield _jsonl_record(line, source)
                except UnicodeDecodeError as exc:
                    yield ImportFailure(source, f"not UTF-8 text ({exc.reason})")
                except _BadLine as exc:
                    yield ImportFailure(source, str(exc))
    except (OSError, EOFError, zlib.error) as exc:
        where = f"{path}:{lineno + 1}" if lineno else str(path)
        yield ImportFailure(where, f"cannot read file: {exc}; rest of file skipped")


def _warc_file(path: Path) -> Iterator[ImportRecord | ImportFailure]:
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        yield ImportFailure(str(path), "WARC import needs the warcio package (pip install 'newsdesk[warc]')")
        return
    number = 0
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                number += 1
                if record.rec_type not in ("response", "resource"):
                    continue
                source = f"{path}:{number}"
                url = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type == "response":
                    if record.http_headers is None:
                        continue
                    status = record.http_headers.get_statuscode()
                    content_type = record.http_headers.get_header("Content-Type") or ""
                    if status != "200":
                        continue
                else:
                    content_type = record.rec_headers.get_header("Content-Type") or ""
                if not content_type.lower().startswith(HTML_TYPES) or not url:
                    continue
                data = record.content_stream().read(MAX_FILE_BYTES + 1)
                if len(data) > MAX_FILE_BYTES:
                    yield ImportFailure(source, f"record larger than {MAX_FILE_BYTES} bytes")
                    continue
                yield ImportRecord(source=source, url=url, html=decode_html(data, content_type))
    except Exception as exc:  # warcio raises assorted errors on damaged archives
        yield ImportFailure(f"{path}:{number + 1}", f"cannot read WARC record: {exc}; rest of file skipped")


def _expand(paths: Iterable[Path]) -> Iterator[Path | ImportFailure]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _kind(p))
            if not found:
                yield ImportFailure(str(path), "folder has no .html, .htm, .jsonl or .warc files")
            yield from found
        elif path.is_file():
            yield path
        elif path.exists():
            yield ImportFailure(str(path), "not a regular file")
        else:
            yield ImportFailure(str(path), "no such file or folder")


def iter_import_records(paths: Iterable[Path]) -> Iterator[ImportRecord | ImportFailure]:
    """Records (or failures) from files and folders, lazily, in input order."""
    readers = {"html": _html_file, "jsonl": _jsonl_file, "warc": _warc_file}
    for item in _expand(paths):
        if isinstance(item, ImportFailure):
            yield item
            continue
        kind = _kind(item)
        if kind is None:
            yield ImportFailure(
                str(item),
                UNSUPPORTED,
            )
            continue
        yield from readers[kind](item)
