"""``newsdesk digest``: the period's stories in Markdown, HTML and PDF, in the reader's language."""

from __future__ import annotations

import json
import re
import socket
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tests.alert_support import alert_config
from tests.support import Cli, write_config
from tests.test_alerts import Keep
from tests.web_support import HOSTILE_URL, copy_of, demo_db, hostile_db, seed_db

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"


def cli_over(db: Path, folder: Path, lang: str = "fr") -> Cli:
    return Cli(copy_of(db, folder), write_config(folder), lang=lang)


def test_markdown_digest_shows_the_story_in_the_readers_language(tmp_path: Path) -> None:
    out = cli_over(seed_db(), tmp_path)("digest", "--since", "all", "--format", "md").stdout
    first = out.split("\n## 2.")[0]
    # The Kremlin-talks story comes first (three outlets), its headline in French.
    assert "## 1. Poutine rencontre Witkoff et Kushner au Kremlin" in first
    assert "3 médias · 3 articles · en, fr" in first  # the interface in French too
    assert "Publié d'abord par **wire-example.com**, 3 déc. 2025, 06:15" in first
    for outlet in ("wire-example.com", "presse-exemple.fr", "infobrics.org"):
        assert outlet in first
    assert "**Yuri Ushakov**" in first and "cité par 3 médias" in first
    assert not re.search(r"\d\d:\d\d:\d\d", out), "dates are written without seconds"


def test_html_digest_of_the_demo_has_a_timeline_and_speakers(tmp_path: Path) -> None:
    html = cli_over(demo_db(), tmp_path, "de")("digest", "--since", "all", "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and '<html lang="de">' in html
    assert html.count('<section class="story"') == html.count('<svg class="timeline"') >= 5
    assert "Wer hat was gesagt" in html and "Maggie Colquhoun" in html


def test_html_digest_escapes_what_came_from_outside(tmp_path: Path) -> None:
    html = cli_over(hostile_db(), tmp_path, "en")("digest", "--since", "all", "--format", "html").stdout
    assert "<script" not in html and "<img" not in html and "<b " not in html
    assert HOSTILE_URL not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;" in html  # the title is shown, as text


def test_pdf_digest_renders_the_seed_story(tmp_path: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    target = tmp_path / "digest.pdf"
    cli_over(seed_db(), tmp_path)("digest", "--since", "all", "--format", "pdf", "--output", str(target))
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    document = pdfium.PdfDocument(data)
    text = document[0].get_textpage().get_text_range()
    assert "Poutine rencontre Witkoff et Kushner au Kremlin" in " ".join(text.split())
    assert "Yuri Ushakov" in text
    ARTIFACTS.mkdir(exist_ok=True)
    image = document[0].render(scale=1.5).to_pil()
    image.save(ARTIFACTS / "digest-seed-page1.png")
    assert image.width > 800 and image.getextrema() != ((255, 255), (255, 255), (255, 255))


def test_pdf_to_standard_output_goes_through_a_pipe(tmp_path: Path) -> None:
    result = cli_over(seed_db(), tmp_path)("digest", "--since", "all", "--format", "pdf")
    assert result.stdout_bytes.startswith(b"%PDF-")


def test_a_bad_period_or_file_is_a_clear_error(tmp_path: Path) -> None:
    cli = cli_over(seed_db(), tmp_path)
    result = cli("digest", "--since", "yesterdayish", ok=False)
    assert result.exit_code == 2 and "--since" in result.output
    missing = tmp_path / "no-such-folder" / "d.html"
    result = cli("digest", "--format", "html", "--output", str(missing), ok=False)
    assert result.exit_code == 1 and str(missing) in "".join(result.output.split())


def _story_id(cli: Cli, needle: str) -> int:
    stories = json.loads(cli("stories", "--since", "all", "--json").stdout)
    return next(s["id"] for s in stories if any(needle in a["url"] for a in s["articles"]))


def test_a_followed_story_makes_the_digest(tmp_path: Path) -> None:
    cli = cli_over(seed_db(), tmp_path)
    derby = _story_id(cli, "/derby")
    cli("alerts", "add", "derby", "--story", str(derby), "--webhook", "https://hooks.example.org/in")
    out = cli("digest", "--since", "all", "--format", "md").stdout
    assert "1 sujet suivi" in out  # the reader is French
    assert "## 1. " in out and "## 2. " not in out  # only the followed story
    assert "Kremlin" not in out


def test_send_mails_the_digest_as_html_and_text(tmp_path: Path) -> None:
    controller_module = pytest.importorskip("aiosmtpd.controller")
    handler = Keep()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = controller_module.Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        cli = Cli(copy_of(seed_db(), tmp_path), alert_config(tmp_path, smtp_port=port), lang="fr")
        result = cli("digest", "--since", "all", "--send", "--to", "desk@example.org", "--title", "Revue")
        assert "desk@example.org: envoyé (2 sujets)" in result.stdout  # the reader is French
        refused = cli("digest", "--since", "all", "--send", "--to", "not an address", ok=False)
        assert refused.exit_code == 1 and "is not an e-mail address" in refused.output
    finally:
        controller.stop()
    assert len(handler.messages) == 1
    mail = message_from_bytes(handler.messages[0], policy=policy.default)
    assert mail["To"] == "desk@example.org" and mail["Subject"] == "Revue"
    assert "Poutine rencontre Witkoff et Kushner au Kremlin" in mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "<svg" in html and "Poutine rencontre Witkoff et Kushner au Kremlin" in html


def test_send_needs_a_recipient(tmp_path: Path) -> None:
    result = cli_over(seed_db(), tmp_path)("digest", "--send", ok=False)
    assert result.exit_code == 1 and "--to" in result.output
