"""Lead images: read from the page, fetched and re-encoded as thumbnails when ``[images]`` is on,
served by newsdesk (never hot-linked)."""

from __future__ import annotations

import io
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from lxml import html as lxml_html
from PIL import Image

from newsdesk.extract.metadata import read_metadata
from newsdesk.ingest.images import thumbnail
from newsdesk.settings import load_settings
from newsdesk.store import Store, schema
from newsdesk.testing.httpserver import FixtureServer
from newsdesk.web.app import create_app
from tests.support import Cli, require_shared
from tests.web_support import BASE_URL, TestClient


def _image(size: tuple[int, int], mode: str = "RGB", fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge image, with one tiny compressed row: a decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


def test_a_large_photo_becomes_a_small_jpeg_without_its_metadata() -> None:
    thumb = thumbnail(_image((2400, 1200)), width=480, max_pixels=40_000_000)
    assert thumb.error is None and thumb.content_type == "image/jpeg"
    assert (thumb.width, thumb.height) == (480, 240)
    assert len(thumb.data or b"") < 40_000
    assert Image.open(io.BytesIO(thumb.data or b"")).format == "JPEG"


def test_transparency_is_kept_as_png() -> None:
    thumb = thumbnail(_image((300, 300), "RGBA", "PNG"), width=480, max_pixels=40_000_000)
    assert thumb.content_type == "image/png" and (thumb.width, thumb.height) == (300, 300)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<html>not an image</html>", "not a usable image"),
        (_image((64, 64), fmt="BMP"), "not a usable image"),  # only JPEG, PNG, GIF, WebP are read
        (_png_header_only(100_000, 100_000), "too many pixels"),
    ],
)
def test_what_is_not_a_usable_image_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    thumb = thumbnail(data, width=480, max_pixels=40_000_000)
    assert thumb.data is None and thumb.error is not None and reason in thumb.error


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ('<meta property="og:image" content="/img/lead.jpg">', "https://news.example/img/lead.jpg"),
        ('<meta name="twitter:image" content="https://cdn.example/a.png">', "https://cdn.example/a.png"),
        ('<meta property="og:image" content="javascript:alert(1)">', None),
        ("", None),
    ],
)
def test_the_lead_image_is_read_from_the_page(meta: str, expected: str | None) -> None:
    tree = lxml_html.fromstring(f"<html><head>{meta}<title>T</title></head><body><p>x</p></body></html>")
    assert read_metadata(tree, "https://news.example/world/story.html").image == expected


def _site_with_images(folder: Path) -> Path:
    """The seed site, its Kremlin-talks page declaring a lead image and its derby page a huge one."""
    site = folder / "site"
    shutil.copytree(require_shared("seed", "site"), site)
    (site / "img").mkdir()
    (site / "img" / "kremlin.jpg").write_bytes(_image((1600, 900)))
    (site / "img" / "huge.jpg").write_bytes(_image((1600, 900)) + b"\0" * 300_000)
    for page, image in (
        ("wire/world/kremlin-talks.html", "kremlin.jpg"),
        ("wire/sport/derby.html", "huge.jpg"),
    ):
        path = site / page
        text = path.read_text("utf-8")
        path.write_text(
            text.replace("<head>", f'<head>\n  <meta property="og:image" content="/img/{image}">', 1)
        )
    return site


def _collect(folder: Path, enabled: bool) -> Path:
    site = _site_with_images(folder)
    config = folder / "newsdesk.toml"
    config.write_text(
        "[fetch]\nallow_private = true\nrespect_robots = false\nper_host_delay = 0.0\n"
        f"[images]\nenabled = {'true' if enabled else 'false'}\nmax_bytes = 200000\nwidth = 320\n",
        encoding="utf-8",
    )
    with FixtureServer(site) as server:
        opml = folder / "feeds.opml"
        opml.write_text(server.substitute((site / "feeds.opml").read_text("utf-8")), "utf-8")
        cli = Cli(folder / "news.db", config, lang="en")
        cli("feeds", "import", str(opml))
        cli("fetch")
        image_requests = sorted(r.path for r in server.requests if r.path.startswith("/img/"))
    assert image_requests == (["/img/huge.jpg", "/img/kremlin.jpg"] if enabled else [])
    return folder / "news.db"


def _app(folder: Path):  # noqa: ANN202
    settings = load_settings(config=folder / "newsdesk.toml", db=str(folder / "news.db"), reader_lang="en")
    return create_app(settings)


def _article_id(db: Path, needle: str) -> int:
    store = Store(f"sqlite:///{db}")
    try:
        with store.session() as session:
            return session.query(schema.Article.id).filter(schema.Article.url.contains(needle)).scalar()
    finally:
        store.close()


def test_thumbnails_are_fetched_kept_and_served_by_newsdesk(tmp_path: Path) -> None:
    db = _collect(tmp_path, enabled=True)
    talks, derby = _article_id(db, "kremlin-talks"), _article_id(db, "derby")
    store = Store(f"sqlite:///{db}")
    with store.session() as session:
        rows = {row.article_id: row for row in session.query(schema.ArticleImage)}
    store.close()
    assert rows[talks].content_type == "image/jpeg" and rows[talks].width == 320
    assert rows[derby].data is None and rows[derby].error  # larger than images.max_bytes: not kept
    with TestClient(_app(tmp_path), base_url=BASE_URL) as http:
        page = http.get(f"/articles/{talks}").text
        assert f'<img class="lead-image" src="/articles/{talks}/image"' in page
        assert "127.0.0.1" not in page.split('class="lead-image"')[1].split(">")[0]  # never hot-linked
        image = http.get(f"/articles/{talks}/image")
        assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
        assert Image.open(io.BytesIO(image.content)).size == (320, 180)
        assert http.get(f"/articles/{derby}/image").status_code == 404
        kremlin = next(
            s
            for s in http.get("/api/v1/stories", params={"period": "all"}).json()["stories"]
            if s["article_count"] == 3
        )
        story_page = http.get(f"/stories/{kremlin['id']}").text
        assert 'class="lead-image"' not in story_page  # its clippings are read when opened
        assert (
            f'<img class="lead-image" src="/articles/{talks}/image"'
            in http.get(f"/articles/{talks}/clipping").text
        )
        assert "lead-image" not in http.get(f"/articles/{derby}/clipping").text


def test_with_images_off_nothing_is_fetched_or_shown(tmp_path: Path) -> None:
    db = _collect(tmp_path, enabled=False)
    talks = _article_id(db, "kremlin-talks")
    with TestClient(_app(tmp_path), base_url=BASE_URL) as http:
        assert "lead-image" not in http.get(f"/articles/{talks}").text
        assert http.get(f"/articles/{talks}/image").status_code == 404
