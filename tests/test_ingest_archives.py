"""Import records from HTML files, gzip, folders and JSON Lines (good and bad lines)."""

from __future__ import annotations

import gzip
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.ingest.archives import ImportFailure, ImportRecord, iter_import_records

CANONICAL = """<html><head><meta charset="utf-8"><title>T</title>
<link rel="canonical" href="https://news.example/world/1"></head><body><p>Été</p></body></html>"""
OG_ONLY = (
    """<html><head><meta property="og:url" content="https://news.example/og"></head><body>x</body></html>"""
)
NO_URL = "<html><head><meta charset='iso-8859-1'><title>No url</title></head><body>caf\xe9</body></html>"


def _all(*paths: Path) -> list[ImportRecord | ImportFailure]:
    return list(iter_import_records(paths))


def test_html_files_gzip_and_folders(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.html").write_text(CANONICAL, encoding="utf-8")
    (folder / "a.htm").write_text(OG_ONLY, encoding="utf-8")
    (folder / "sub" / "c.html.gz").write_bytes(gzip.compress(NO_URL.encode("iso-8859-1")))
    (folder / "notes.txt").write_text("ignored inside folders", encoding="utf-8")
    records = _all(folder)
    assert all(isinstance(r, ImportRecord) for r in records)
    assert [r.url for r in records] == [
        "https://news.example/og",
        "https://news.example/world/1",
        (folder / "sub" / "c.html.gz").resolve().as_uri(),
    ]
    assert records[1].source == str(folder / "b.html")
    assert records[1].html is not None and "Été" in records[1].html
    assert records[2].html is not None and "café" in records[2].html


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"url": "https://a.example/1", "html": "<html><body>one</body></html>"}),
        "",
        "{not json",
        json.dumps(
            {
                "url": "https://a.example/2",
                "title": "Two",
                "text": "Para one.\nPara two.",
                "lede": "Lede.",
                "byline": "Ann",
                "published": "2025-12-03T06:15:00Z",
                "language": "en",
                "outlet": "a.example",
            }
        ),
        json.dumps({"title": "no url", "text": "x"}),
        json.dumps({"url": "https://a.example/3", "title": "nothing else"}),
        json.dumps(["a", "list"]),
        json.dumps({"url": "https://a.example/4", "text": "x", "published": "someday"}),
        json.dumps({"url": "https://a.example/5", "text": 5}),
        json.dumps(
            {"url": "https://a.example/6", "text": "six", "published": "Wed, 03 Dec 2025 07:30:00 +0000"}
        ),
    ]
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _all(path)
    good = [i for i in items if isinstance(i, ImportRecord)]
    bad = [i for i in items if isinstance(i, ImportFailure)]
    assert [r.url for r in good] == ["https://a.example/1", "https://a.example/2", "https://a.example/6"]
    assert good[0].html is not None and good[0].text is None and good[0].source == f"{path}:1"
    second = good[1]
    assert (second.title, second.text, second.lede, second.byline, second.language, second.outlet) == (
        "Two",
        "Para one.\nPara two.",
        "Lede.",
        "Ann",
        "en",
        "a.example",
    )
    assert second.published == datetime(2025, 12, 3, 6, 15, tzinfo=UTC) and second.html is None
    assert [(f.source.rsplit(":", 1)[1], f.reason) for f in bad] == [
        ("3", bad[0].reason),
        ("5", "missing 'url'"),
        ("6", "line has neither 'html' nor 'text'"),
        ("7", "line is not a JSON object"),
        ("8", "unrecognised date in 'published': 'someday'"),
        ("9", "field 'text' must be a string"),
    ]
    assert bad[0].reason.startswith("not valid JSON")


def test_jsonl_gzip_and_bad_bytes(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl.gz"
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb") as stream:
        stream.write(b'{"url": "https://g.example/1", "text": "ok"}\n')
        stream.write(b'{"url": "https://g.example/2", "text": "\xff\xfe"}\n')
        stream.write(b'{"url": "https://g.example/3", "text": "still ok"}\n')
    path.write_bytes(buffer.getvalue())
    items = _all(path)
    assert [type(i).__name__ for i in items] == ["ImportRecord", "ImportFailure", "ImportRecord"]
    assert items[1].source == f"{path}:2" and "not UTF-8" in items[1].reason  # type: ignore[union-attr]


def test_failures_do_not_stop_the_others(tmp_path: Path) -> None:
    good = tmp_path / "good.html"
    good.write_text(CANONICAL, encoding="utf-8")
    broken_gz = tmp_path / "broken.html.gz"
    broken_gz.write_bytes(b"\x1f\x8b\x08 definitely not gzip")
    truncated = tmp_path / "cut.jsonl.gz"
    truncated.write_bytes(gzip.compress(b'{"url": "https://c.example/1", "text": "a"}\n' * 50)[:60])
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"  \n")
    other = tmp_path / "notes.txt"
    other.write_text("x", encoding="utf-8")
    items = _all(tmp_path / "missing.html", broken_gz, other, empty, truncated, good)
    kinds = [(type(i).__name__, Path(i.source.split(":")[0]).name) for i in items]
    assert kinds[:4] == [
        ("ImportFailure", "missing.html"),
        ("ImportFailure", "broken.html.gz"),
        ("ImportFailure", "notes.txt"),
        ("ImportFailure", "empty.html"),
    ]
    assert kinds[-1] == ("ImportRecord", "good.html")
    assert items[0].reason == "no such file or folder"  # type: ignore[union-attr]
    assert items[2].reason.startswith("unsupported file type")  # type: ignore[union-attr]
    assert items[3].reason == "empty file"  # type: ignore[union-attr]
    assert any(isinstance(i, ImportFailure) and "cut.jsonl.gz" in i.source for i in items)


def test_warc_responses(tmp_path: Path) -> None:
    warcio = pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, status, ctype, body in [
            ("https://w.example/1", "200 OK", "text/html; charset=utf-8", "<html><body>Un été</body></html>"),
            ("https://w.example/logo.png", "200 OK", "image/png", "PNG"),
            ("https://w.example/gone", "404 Not Found", "text/html", "<html>gone</html>"),
        ]:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body.encode("utf-8")), http_headers=headers
            )
            writer.write_record(record)
    assert warcio is not None
    items = _all(path)
    assert [(type(i).__name__, getattr(i, "url", None)) for i in items] == [
        ("ImportRecord", "https://w.example/1")
    ]
    assert "Un été" in items[0].html  # type: ignore[union-attr, operator]
