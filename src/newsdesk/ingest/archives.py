"""Records for ``newsdesk import``: saved HTML pages, JSON Lines and (optionally) WARC files.

Accepted inputs (folders are searched recursively, in sorted order):

* ``.html`` / ``.htm`` (optionally ``.gz``): one page each; its URL is the
  page's canonical link or ``og:url``, else a ``file://`` URL of the file;
* ``.jsonl`` (optionally ``.gz``): one JSON object a line, ``{url, html}`` or
  pre-extracted ``{url, title, text, lede?, byline?, published?, language?, outlet?}``;
* ``.warc`` / ``.warc.gz``: HTML responses, when the ``warcio`` package is installed.

A bad file or line yields an ImportFailure and the others go on. Hostile files are refused
fast and in bounded memory: a file's first bytes must fit its kind (gzip magic bytes for ``.gz``,
markup for HTML, a JSON object for JSON Lines, a ``WARC/1.x`` version line for WARC); an HTML
file or WARC record is read up to ``MAX_FILE_BYTES``, a JSON line up to ``MAX_LINE_BYTES`` (a longer
line is skipped, the rest of the file read), WARC headers up to ``MAX_WARC_HEADER_BYTES``. A record
is skipped when a text holds a character that cannot be stored (NUL, a lone surrogate) or its URL is
not http(s) (``urls.article_url_problem``); an HTML file that declares no URL is known by its own
``file://`` URL. Folders that cannot be read are reported.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import lxml.html
from lxml import etree

from newsdesk.ingest.charset import decode_html
from newsdesk.ingest.textutil import absolute_http_url, parse_datetime
from newsdesk.urls import article_url_problem

HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
MAX_FILE_BYTES = 50 * 1024 * 1024  # one HTML file or WARC record (decompressed)
MAX_LINE_BYTES = 64 * 1024 * 1024  # one JSON line: a page of MAX_FILE_BYTES and its JSON escaping
MAX_WARC_HEADER_BYTES = 1024 * 1024  # the WARC and HTTP headers of one record
SNIFF_BYTES = 4096
GZIP_MAGIC = b"\x1f\x8b"
WARC_VERSION_LINE = re.compile(rb"WARC/\d+\.\d+\r?\n")
# Characters a text column cannot hold (NUL in PostgreSQL, lone surrogates in UTF-8).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
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
    """A JSON line that is skipped, and why."""


class _BadFile(ValueError):
    """A file refused as a whole, and why."""


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


def _open(path: Path) -> IO[bytes]:
    """The file's bytes, gunzipped for a ``.gz`` name (which must start with gzip's magic bytes)."""
    if not path.name.lower().endswith(".gz"):
        return path.open("rb")
    with path.open("rb") as stream:
        magic = stream.read(len(GZIP_MAGIC))
    if magic != GZIP_MAGIC:
        raise _BadFile("not gzip data (a .gz name without gzip's magic bytes)")
    return gzip.open(path, "rb")


def _head(stream: IO[bytes]) -> bytes:
    """The first bytes of a stream, which is then rewound."""
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    return head


def _starts_with_markup(head: bytes) -> bool:
    return decode_html(head).lstrip("\ufeff \t\r\n\f").startswith("<")


def _html_file(path: Path) -> Iterator[ImportRecord | ImportFailure]:
    source = str(path)
    try:
        with _open(path) as stream:
            head = _head(stream)
            if head.strip() and not _starts_with_markup(head):
                raise _BadFile(f"not HTML (no markup at the start: {head[:40]!r})")
            data = stream.read(MAX_FILE_BYTES + 1)
    except _BadFile as exc:
        yield ImportFailure(source, str(exc))
        return
    except (OSError, EOFError, zlib.error) as exc:
        yield ImportFailure(source, f"cannot read file: {exc}")
        return
    if len(data) > MAX_FILE_BYTES:
        yield ImportFailure(source, f"file larger than {MAX_FILE_BYTES} bytes")
        return
    if not data.strip():
        yield ImportFailure(source, "empty file")
        return
    html = decode_html(data)
    yield ImportRecord(source=source, url=page_url(html) or path.resolve().as_uri(), html=html)


def _storable(value: str, key: str) -> str:
    """``value``, unless it holds a character no text column can store."""
    if "\x00" not in value and (value.isascii() or _encodable(value)):
        return value  # the usual case, checked at C speed: pages run to megabytes
    bad = UNSTORABLE.search(value)
    if bad:
        kind = "a NUL character" if bad.group() == "\x00" else "a lone surrogate"
        raise _BadLine(f"field {key!r} holds {kind} (U+{ord(bad.group()):04X}), which cannot be stored")
    return value


def _encodable(value: str) -> bool:
    """Whether ``value`` holds no lone surrogate (the only characters UTF-8 cannot encode)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _optional_text(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _BadLine(f"field {key!r} must be a string")
    return _storable(value, key).strip() or None


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
    if html:
        _storable(html, "html")
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


def _bounded_lines(stream: IO[bytes], limit: int) -> Iterator[bytes | None]:
    """The lines of a stream, each read with at most ``limit`` bytes held; None for a longer
    line, whose rest is read and dropped."""
    while raw := stream.readline(limit + 1):
        if len(raw) <= limit or raw.endswith(b"\n"):
            yield raw
            continue
        while (rest := stream.readline(SNIFF_BYTES * 16)) and not rest.endswith(b"\n"):
            pass
        yield None


def _jsonl_file(path: Path) -> Iterator[ImportRecord | ImportFailure]:
    lineno = 0
    try:
        with _open(path) as stream:
            head = _head(stream).removeprefix(b"\xef\xbb\xbf").lstrip()
            if head and not head.startswith(b"{"):
                raise _BadFile(f"not JSON Lines (the first line is not a JSON object: {head[:40]!r})")
            for lineno, raw in enumerate(_bounded_lines(stream, MAX_LINE_BYTES), start=1):  # noqa: B007
                source = f"{path}:{lineno}"
                if raw is None:
                    yield ImportFailure(source, f"line longer than {MAX_LINE_BYTES} bytes")
                    continue
                if not raw.strip():
                    continue
                try:
                    line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
                    yield _jsonl_record(line, source)
                except UnicodeDecodeError as exc:
                    yield ImportFailure(source, f"not UTF-8 text ({exc.reason})")
                except _BadLine as exc:
                    yield ImportFailure(source, str(exc))
    except _BadFile as exc:
        yield ImportFailure(str(path), str(exc))
    except (OSError, EOFError, zlib.error) as exc:
        where = f"{path}:{lineno + 1}" if lineno else str(path)
        yield ImportFailure(where, f"cannot read file: {exc}; rest of file skipped")


def _check_warc_start(path: Path) -> None:
    """Refuse a file that does not start with a WARC version line (gunzipped when gzip)."""
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
    if head.startswith(GZIP_MAGIC):
        with gzip.open(path, "rb") as stream:
            head = stream.read(64)
    if not WARC_VERSION_LINE.match(head):
        raise _BadFile(f"not a WARC file (no WARC/1.x version line at the start: {head[:40]!r})")


def _warc_file(path: Path) -> Iterator[ImportRecord | ImportFailure]:
    try:
        from newsdesk.ingest.warcfiles import warc_records
    except ImportError:
        yield ImportFailure(str(path), "WARC import needs the warcio package (pip install 'newsdesk[warc]')")
        return
    try:
        _check_warc_start(path)
    except _BadFile as exc:
        yield ImportFailure(str(path), str(exc))
        return
    except (OSError, EOFError, zlib.error) as exc:
        yield ImportFailure(str(path), f"cannot read file: {exc}")
        return
    number = 0
    try:
        with path.open("rb") as stream:
            for record in warc_records(stream, MAX_WARC_HEADER_BYTES):
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
        shown = "".join(c if c.isprintable() else "?" for c in str(exc)[:200])
        yield ImportFailure(f"{path}:{number + 1}", f"cannot read WARC record: {shown}; rest of file skipped")


def _folder_files(folder: Path) -> Iterator[Path | ImportFailure]:
    """The importable files under a folder, sorted; a subfolder that cannot be read is reported."""
    unreadable: list[OSError] = []
    found = []
    for root, _dirs, names in os.walk(folder, onerror=unreadable.append):
        found.extend(path for path in (Path(root, name) for name in names) if _kind(path) and path.is_file())
    for error in unreadable:
        yield ImportFailure(str(error.filename or folder), f"cannot read folder: {error.strerror or error}")
    if not found and not unreadable:
        yield ImportFailure(str(folder), "folder has no .html, .htm, .jsonl or .warc files")
    yield from sorted(found)


def _expand(paths: Iterable[Path]) -> Iterator[Path | ImportFailure]:
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                yield from _folder_files(path)
            elif path.is_file():
                yield path
            elif path.exists():
                yield ImportFailure(str(path), "not a regular file")
            else:
                yield ImportFailure(str(path), "no such file or folder")
        except OSError as exc:
            yield ImportFailure(str(path), f"cannot read: {exc.strerror or exc}")


def _url_checked(item: ImportRecord | ImportFailure, own_url: str) -> ImportRecord | ImportFailure:
    """The record, or a failure when its URL may not be stored (its file's own URL may)."""
    if isinstance(item, ImportFailure) or item.url == own_url:
        return item
    problem = article_url_problem(item.url)
    return ImportFailure(item.source, problem) if problem else item


def iter_import_records(paths: Iterable[Path]) -> Iterator[ImportRecord | ImportFailure]:
    """Records (or failures) from files and folders, lazily, in input order."""
    readers = {"html": _html_file, "jsonl": _jsonl_file, "warc": _warc_file}
    for item in _expand(paths):
        if isinstance(item, ImportFailure):
            yield item
            continue
        kind = _kind(item)
        if kind is None:
            yield ImportFailure(str(item), UNSUPPORTED)
            continue
        own_url = item.resolve().as_uri()
        for found in readers[kind](item):
            yield _url_checked(found, own_url)
