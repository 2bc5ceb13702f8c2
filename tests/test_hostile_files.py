"""Hostile inputs: poison files for ``import``, and script URLs in what newsdesk renders."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.ingest import archives
from newsdesk.ingest.archives import ImportFailure, ImportRecord, iter_import_records
from newsdesk.models import Article
from newsdesk.present.clipping import build_clipping
from newsdesk.present.links import markdown_url
from newsdesk.present.render import render_clipping, render_review
from newsdesk.present.review import PressReview, ReviewEntry
from newsdesk.urls import article_url_problem, safe_url
from newsdesk.web.atom import Entry, atom_feed

HOSTILE_URLS = (
    "javascript:alert(1)",
    " JavaScript:alert(document.cookie)",
    "java\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "/\\evil.example/x",
)
ESCAPING_URL = "https://a.example/x)[y](javascript:alert(1)"


def _all(*paths: Path) -> list[ImportRecord | ImportFailure]:
    return list(iter_import_records(paths))


def _split(items: list[ImportRecord | ImportFailure]) -> tuple[list[ImportRecord], list[ImportFailure]]:
    return (
        [i for i in items if isinstance(i, ImportRecord)],
        [i for i in items if isinstance(i, ImportFailure)],
    )


def test_lone_surrogate_and_nul_lines_are_skipped_and_the_rest_imported(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"url": "https://a.example/1", "text": "one"}),
                '{"url": "https://a.example/2", "text": "bad \\ud800 text"}',
                '{"url": "https://a.example/3", "html": "<p>\\udfff</p>"}',
                '{"url": "https://a.example/4", "title": "nul \\u0000", "text": "x"}',
                json.dumps({"url": "https://a.example/5", "text": "five"}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    good, bad = _split(_all(path))
    assert [r.url for r in good] == ["https://a.example/1", "https://a.example/5"]
    assert [(f.source, f.reason) for f in bad] == [
        (f"{path}:2", "field 'text' holds a lone surrogate (U+D800), which cannot be stored"),
        (f"{path}:3", "field 'html' holds a lone surrogate (U+DFFF), which cannot be stored"),
        (f"{path}:4", "field 'title' holds a NUL character (U+0000), which cannot be stored"),
    ]
    for record in good:  # everything yielded can be written as UTF-8
        json.dumps(record.__dict__, default=str, ensure_ascii=False).encode("utf-8")


def _measuring_script(code: str) -> str:
    """A script that runs ``code`` (which sets ``result``) after a warm-up import of the file named
    by its argument, and prints the result and how much its peak RSS grew (MiB) meanwhile."""
    script = (
        textwrap.dedent(
            """
        import json, resource, sys
        from pathlib import Path
        from newsdesk.ingest import archives
        from newsdesk.ingest.archives import iter_import_records
        from newsdesk.ingest import warcfiles  # noqa: F401 - loaded before measuring
        def reasons(path):
            return [getattr(i, "reason", None) or i.url for i in iter_import_records([Path(path)])]
        reasons(sys.argv[1])  # warm-up: the same code paths on a small file
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        """
        )
        + textwrap.dedent(code)
        + textwrap.dedent(
            """
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        print(json.dumps({"result": result, "grown_mib": grown}))
        """
        )
    )
    return script


def _run(script: str, warm_up: Path, cwd: Path) -> dict:
    """Run a measuring script in a fresh interpreter (its own peak RSS) and read what it prints."""
    done = subprocess.run(
        [sys.executable, "-c", script, str(warm_up)], capture_output=True, text=True, cwd=cwd, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _write_chunks(path: Path, head: bytes, filler: bytes, size: int, tail: bytes = b"") -> None:
    with path.open("wb") as out:
        out.write(head)
        chunk = filler * (1024 * 1024 // len(filler))
        for _ in range(size // len(chunk)):
            out.write(chunk)
        out.write(tail)


def test_garbage_warc_is_refused_fast_in_bounded_memory(tmp_path: Path) -> None:
    pytest.importorskip("warcio")
    warm = tmp_path / "warm.warc"
    warm.write_bytes(b"WARC/1.0\r\n" + b"X" * 100)
    _write_chunks(tmp_path / "random.warc", b"", os.urandom(4096), 32 * 1024 * 1024)
    # A valid version line, then 32 MiB without a line break (warcio alone holds and re-copies it).
    _write_chunks(tmp_path / "endless.warc", b"WARC/1.0\r\n", b"X", 32 * 1024 * 1024)
    # A version line, then random bytes: warcio alone reads it as one record to the end.
    _write_chunks(tmp_path / "noise.warc", b"WARC/1.0\r\n", os.urandom(4096), 32 * 1024 * 1024)
    with gzip.open(tmp_path / "not-warc.warc.gz", "wb") as out:
        out.write(b"<html>not a WARC</html>")
    (tmp_path / "not-gzip.warc.gz").write_bytes(b"plain text")
    script = _measuring_script(
        """
        result = {name: reasons(name) for name in
                  ("random.warc", "endless.warc", "noise.warc", "not-warc.warc.gz", "not-gzip.warc.gz")}
        """
    )
    out = _run(script, warm, tmp_path)
    result = out["result"]
    assert result["random.warc"][0].startswith("not a WARC file (no WARC/1.x version line at the start")
    assert result["endless.warc"] == [
        f"cannot read WARC record: WARC or HTTP headers longer than {archives.MAX_WARC_HEADER_BYTES} bytes; "
        "rest of file skipped"
    ]
    (noise,) = result["noise.warc"]  # no type and length, or headers past the cap: random bytes decide
    assert noise.startswith("cannot read WARC record: ") and noise.endswith("; rest of file skipped")
    assert result["not-warc.warc.gz"][0].startswith("not a WARC file")
    assert result["not-gzip.warc.gz"][0].startswith("not a WARC file")
    assert out["grown_mib"] < 16, out


def test_oversize_json_line_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    warm = tmp_path / "warm.jsonl"
    warm.write_text(json.dumps({"url": "https://a.example/w", "text": "w"}) + "\n", encoding="utf-8")
    good = json.dumps({"url": "https://a.example/1", "text": "one"}).encode() + b"\n"
    last = json.dumps({"url": "https://a.example/3", "text": "three"}).encode() + b"\n"
    # Line 2 is 48 MiB, then the file goes on; the other file has no line break at all.
    _write_chunks(tmp_path / "long.jsonl", good + b'{"url": "https://a.example/2", "text": "', b"a", 48 << 20)
    with (tmp_path / "long.jsonl").open("ab") as out:
        out.write(b'"}\n' + last)
    _write_chunks(tmp_path / "endless.jsonl", b'{"text": "', b"a", 48 << 20)
    script = _measuring_script(
        """
        archives.MAX_LINE_BYTES = 1024 * 1024  # the mechanism, at a size the test can afford
        result = {name: reasons(name) for name in ("long.jsonl", "endless.jsonl")}
        """
    )
    out = _run(script, warm, tmp_path)
    cap = 1024 * 1024
    assert out["result"]["long.jsonl"] == [
        "https://a.example/1",
        f"line longer than {cap} bytes",
        "https://a.example/3",
    ]
    assert out["result"]["endless.jsonl"] == [f"line longer than {cap} bytes"]
    assert out["grown_mib"] < 16, out


def test_files_that_are_not_what_their_name_says_are_refused(tmp_path: Path) -> None:
    # An image named .jsonl (random bytes alone open with "{" one time in 256, and a file that
    # opens like JSON Lines is read line by line, each bad line reported apart).
    (tmp_path / "a.jsonl").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(56) + b"\n" * 3)
    (tmp_path / "b.jsonl.gz").write_bytes(b'{"url": "https://a.example/1", "text": "not gzipped"}\n')
    (tmp_path / "c.html").write_bytes(b"\x00\x01binary" + os.urandom(64))
    (tmp_path / "d.html.gz").write_bytes(b"<html>plain, not gzipped</html>")
    (tmp_path / "e.html").write_bytes("\ufeff  <!doctype html><p>fine</p>".encode())
    good, bad = _split(_all(tmp_path))
    assert [r.source for r in good] == [str(tmp_path / "e.html")]
    reasons = {Path(f.source).name: f.reason for f in bad}
    assert reasons["a.jsonl"].startswith("not JSON Lines (the first line is not a JSON object")
    assert reasons["b.jsonl.gz"] == "not gzip data (a .gz name without gzip's magic bytes)"
    assert reasons["c.html"].startswith("not HTML (no markup at the start")
    assert reasons["d.html.gz"] == "not gzip data (a .gz name without gzip's magic bytes)"


def test_unreadable_subfolder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, for whom chmod 000 changes nothing: the refusal is simulated.
    (tmp_path / "open").mkdir()
    (tmp_path / "locked").mkdir()
    (tmp_path / "open" / "a.html").write_text("<html><body>a</body></html>", encoding="utf-8")
    (tmp_path / "locked" / "b.html").write_text("<html><body>b</body></html>", encoding="utf-8")
    real_scandir = os.scandir
    locked = str(tmp_path / "locked")

    def scandir(path: str | os.PathLike[str] = ".") -> object:
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    good, bad = _split(_all(tmp_path))
    assert [r.source for r in good] == [str(tmp_path / "open" / "a.html")]
    assert [(f.source, f.reason) for f in bad] == [(locked, "cannot read folder: Permission denied")]


def test_records_with_other_url_schemes_are_refused(tmp_path: Path) -> None:
    urls = ["https://a.example/ok", *HOSTILE_URLS, "http://a.example/" + "x" * 2100]
    path = tmp_path / "urls.jsonl"
    path.write_text("".join(json.dumps({"url": u, "text": "t"}) + "\n" for u in urls), encoding="utf-8")
    good, bad = _split(_all(path))
    assert [r.url for r in good] == ["https://a.example/ok"]
    assert len(bad) == len(urls) - 1
    assert all("refused: only absolute http and https URLs are stored" in f.reason for f in bad[:-1])
    assert bad[-1].reason == "URL longer than 2048 characters"
    # A page that declares a script URL as its canonical link is known by its own file's URL.
    page = tmp_path / "page.html"
    page.write_text('<html><head><link rel="canonical" href="javascript:alert(1)"></head></html>')
    assert [r.url for r in _all(page)] == [page.resolve().as_uri()]


def test_warc_record_with_a_script_url_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("warcio")
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url in ("https://a.example/ok", "javascript:alert(1)"):
        payload = io.BytesIO(b"<html><body><p>text</p></body></html>")
        writer.write_record(
            writer.create_warc_record(url, "resource", payload=payload, warc_content_type="text/html")
        )
    path = tmp_path / "pages.warc.gz"
    path.write_bytes(buffer.getvalue())
    good, bad = _split(_all(path))
    assert [r.url for r in good] == ["https://a.example/ok"]
    assert [f.source for f in bad] == [f"{path}:2"]
    assert "refused: only absolute http and https URLs are stored" in bad[0].reason


def test_url_rules() -> None:
    assert article_url_problem("https://a.example/x") is None
    for url in HOSTILE_URLS:
        assert safe_url(url) == "", url
        assert markdown_url(url) == "", url
        assert article_url_problem(url), url
    assert safe_url("/stories/1") == "/stories/1"
    assert markdown_url(ESCAPING_URL) == "https://a.example/x%29[y]%28javascript:alert%281%29"
    assert markdown_url("https://a.example/a b|c") == "https://a.example/a%20b%7Cc"


def _hostile_article(url: str, article_id: int) -> Article:
    return Article(
        id=article_id,
        url=url,
        canonical_url=url,
        outlet="evil.example",
        title=f"Title {article_id}",
        lede=None,
        byline=None,
        published=None,
        collected=datetime(2025, 12, 6, 10, 0, tzinfo=UTC),
        paragraphs=["Body."],
        language="en",
        reading_time=1,
    )


def _hostile_review() -> PressReview:
    urls = [*HOSTILE_URLS, ESCAPING_URL]
    articles = [_hostile_article(url, n) for n, url in enumerate(urls, start=1)]
    entries = [
        ReviewEntry(a.id or 0, "06/12/2025 10:00", None, a.outlet, "🇬🇧", "en", a.title, None, a.url)
        for a in articles
    ]
    clippings = [build_clipping(a, "Headline", "en") for a in articles]
    return PressReview(1, "Headline", "en", "", "", ["evil.example"], ["en"], entries, clippings)


def _assert_no_script_link(rendered: str, fmt: str) -> None:
    lowered = rendered.lower()
    for bad in ("javascript:", "java\nscript:", "vbscript:", "data:", "file:", "//evil", "/\\evil"):
        if fmt == "html":
            assert f'href="{bad}' not in lowered, bad
        else:
            assert f"]({bad}" not in lowered and f"](<{bad}" not in lowered, bad


def test_rendered_clippings_and_reviews_link_only_http() -> None:
    review = _hostile_review()
    for fmt in ("html", "md"):
        _assert_no_script_link(render_review(review, fmt), fmt)
        for clip in review.clippings:
            _assert_no_script_link(render_clipping(clip, fmt), fmt)
    html = render_review(review, "html")
    assert 'href="https://a.example/x)[y](javascript:alert(1)"' in html  # an http URL stays a link
    assert '<h3 class="title">Title 1</h3>' in html  # a script URL leaves the title unlinked
    markdown = render_review(review, "md")
    assert "[Title 9](https://a.example/x%29[y]%28javascript:alert%281%29)" in markdown
    assert "](javascript:" not in markdown and "## Title 1\n" in markdown


def test_atom_links_only_http() -> None:
    when = datetime(2025, 12, 6, tzinfo=UTC)
    entries = [Entry(id=f"e{n}", title="t", link=url, updated=when) for n, url in enumerate(HOSTILE_URLS)]
    entries.append(Entry(id="ok", title="t", link="https://a.example/ok", updated=when))
    feed = atom_feed("id", "title", "javascript:alert(1)", "https://a.example/", entries).decode()
    assert "javascript:" not in feed and "evil.example" not in feed and "data:" not in feed
    assert 'href="https://a.example/ok"' in feed and 'href="https://a.example/"' in feed
