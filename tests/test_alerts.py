"""Alert rules end to end: the command line, a webhook receiver and an SMTP server on 127.0.0.1,
retries and the delivery log, and a process killed between detection and delivery."""

from __future__ import annotations

import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from newsdesk.alerts.signing import verify
from newsdesk.store import Store
from newsdesk.testing.webhooks import WebhookReceiver
from tests.alert_support import add_article, alert_config
from tests.support import Cli


@pytest.fixture
def desk(tmp_path: Path):  # noqa: ANN201
    """A store with one article about a harbour strike, and the command line over it."""
    db = tmp_path / "news.db"
    store = Store(f"sqlite:///{db}")
    add_article(store, 1, "old.example", "Harbour strike enters its second week")
    cli = Cli(db, alert_config(tmp_path), lang="en")
    yield cli, store
    store.close()


def _secret(cli: Cli, name: str) -> str:
    shown = json.loads(cli("alerts", "show", name, "--secrets", "--json").stdout)
    return shown["targets"][0]["secret"]


def test_a_saved_search_rule_fires_once_for_each_new_match_with_a_signature_that_verifies(desk) -> None:
    cli, store = desk
    with WebhookReceiver() as receiver:
        added = cli("alerts", "add", "strikes", "--search", "harbour strike", "--webhook", receiver.url)
        assert "strikes" in added.stdout and "secret:" in added.stdout
        cli("alerts", "run")
        assert receiver.requests == []  # the article stored before the rule never fires it
        new = add_article(store, 2, "news.example", "Harbour strike spreads to the rail yards")
        add_article(store, 3, "news.example", "Weather: sunny spells")
        cli("alerts", "run")
        cli("alerts", "run")
        assert len(receiver.requests) == 1
        request = receiver.requests[0]
        document = request.document
        assert document["event"] == f"article:{new}"
        assert document["rule"]["name"] == "strikes"
        assert document["articles"][0]["title"] == "Harbour strike spreads to the rail yards"
        assert request.headers["x-newsdesk-delivery"] == document["delivery"]
        secret = _secret(cli, "strikes")
        stamp, signature = request.headers["x-newsdesk-timestamp"], request.headers["x-newsdesk-signature"]
        assert verify(secret, stamp, request.body, signature)
        assert not verify("another secret", stamp, request.body, signature)
        assert not verify(secret, stamp, request.body + b" ", signature)
    log = cli("alerts", "log", "strikes").stdout
    assert "delivered" in log and "strikes" in log


def test_a_failing_receiver_is_retried_and_each_try_is_logged(desk) -> None:
    cli, store = desk
    with WebhookReceiver(fail=[500, 503]) as receiver:
        cli("alerts", "add", "strikes", "--search", "strike", "--webhook", receiver.url)
        add_article(store, 2, "news.example", "Strike at the port")
        cli("alerts", "run")
        assert len(receiver.requests) == 3  # retry_seconds = 0: the retries are due at once
        assert len(receiver.unique) == 1
    rows = json.loads(cli("alerts", "log", "--json").stdout)
    assert [(r["attempt"], r["ok"], r["status"]) for r in reversed(rows)] == [
        (1, False, 500),
        (2, False, 503),
        (3, True, 200),
    ]
    assert rows[-1]["error"] == "HTTP 500 Internal Server Error"
    assert "HTTP 503" in cli("alerts", "log").stdout


def test_a_receiver_that_keeps_failing_is_given_up_after_max_attempts(desk) -> None:
    cli, store = desk
    with WebhookReceiver(fail=[500] * 10) as receiver:
        cli("alerts", "add", "strikes", "--search", "strike", "--webhook", receiver.url)
        add_article(store, 2, "news.example", "Strike at the port")
        result = cli("alerts", "run")
        assert len(receiver.requests) == 3  # max_attempts = 3
        assert "1 failed" in result.stdout
        cli("alerts", "run")
        assert len(receiver.requests) == 3
    shown = json.loads(cli("alerts", "show", "strikes", "--json").stdout)
    assert shown["deliveries"] == {"failed": 1}


def test_a_webhook_on_a_private_address_is_refused_unless_allowed(tmp_path: Path) -> None:
    config = tmp_path / "plain.toml"
    config.write_text("", encoding="utf-8")
    cli = Cli(tmp_path / "news.db", config, lang="en")
    result = cli("alerts", "add", "x", "--search", "q", "--webhook", "http://127.0.0.1:9/hook", ok=False)
    assert result.exit_code == 2 and "private address refused" in result.output
    result = cli("alerts", "add", "x", "--search", "q", "--email", "me@localhost", ok=False)
    assert result.exit_code == 2 and "private address refused" in result.output
    result = cli("alerts", "add", "x", "--search", "q", "--webhook", "file:///etc/passwd", ok=False)
    assert result.exit_code == 2
    assert "--search" in cli("alerts", "add", "x", ok=False).output


def _run(db: Path, config: Path, crash: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NEWSDESK_TEST_CRASH"}
    if crash:
        env["NEWSDESK_TEST_CRASH"] = crash
    command = [sys.executable, "-m", "newsdesk", "--db", str(db), "--config", str(config), "alerts", "run"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_killed_between_detection_and_delivery_a_rerun_delivers_once(desk, tmp_path: Path) -> None:
    cli, store = desk
    with WebhookReceiver() as receiver:
        cli("alerts", "add", "strikes", "--search", "strike", "--webhook", receiver.url)
        add_article(store, 2, "news.example", "Strike at the port")
        add_article(store, 3, "other.example", "Dockers strike again")
        killed = _run(cli.base[1], cli.base[3], crash="after-detection")
        assert killed.returncode == -9, killed.stderr
        assert receiver.requests == []
        pending = json.loads(cli("alerts", "show", "strikes", "--json").stdout)["deliveries"]
        assert pending == {"pending": 2}
        again = _run(Path(cli.base[1]), Path(cli.base[3]))
        assert again.returncode == 0, again.stderr
        _run(Path(cli.base[1]), Path(cli.base[3]))
        assert len(receiver.requests) == 2
        assert {r.document["event"] for r in receiver.requests} == {"article:2", "article:3"}


def test_killed_after_sending_a_rerun_sends_again_with_the_same_delivery_id(desk, tmp_path: Path) -> None:
    cli, store = desk
    config = alert_config(tmp_path, extra="")
    config.write_text(config.read_text().replace("[alerts]\n", "[alerts]\nlease_seconds = 0.01\n"))
    with WebhookReceiver() as receiver:
        cli("alerts", "add", "strikes", "--search", "strike", "--webhook", receiver.url)
        add_article(store, 2, "news.example", "Strike at the port")
        killed = _run(Path(cli.base[1]), config, crash="after-send")
        assert killed.returncode == -9, killed.stderr
        assert _run(Path(cli.base[1]), config).returncode == 0
        assert _run(Path(cli.base[1]), config).returncode == 0
        ids = [r.headers["x-newsdesk-delivery"] for r in receiver.requests]
        assert len(ids) == 2 and ids[0] == ids[1]  # sent again, and the receiver can tell
        assert len(receiver.unique) == 1


def test_alerts_test_reaches_each_target(desk) -> None:
    cli, _ = desk
    with WebhookReceiver() as receiver:
        cli("alerts", "add", "strikes", "--search", "strike", "--webhook", receiver.url)
        assert "1 notification delivered" in cli("alerts", "test", "strikes").stdout
        assert receiver.requests[0].document["details"] == {"test": True}
    cli("alerts", "remove", "strikes")
    assert "no alert rules" in cli("alerts", "list").stdout
    assert cli("alerts", "test", "strikes", ok=False).exit_code == 1


class Keep:
    """An aiosmtpd handler that keeps the messages it is given."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802
        self.messages.append(envelope.original_content)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_email_rule_sends_html_and_text_in_the_recipients_language(desk, tmp_path: Path) -> None:
    aiosmtpd = pytest.importorskip("aiosmtpd.controller")
    cli, store = desk
    handler = Keep()
    port = _free_port()
    controller = aiosmtpd.Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        config = alert_config(tmp_path, smtp_port=port)
        mail_cli = Cli(Path(cli.base[1]), config, lang="en")
        mail_cli(
            "alerts",
            "add",
            "grèves",
            "--search",
            "grève",
            "--email",
            "desk@example.org",
            "--email-lang",
            "fr",
        )
        add_article(store, 2, "lemonde.fr", "La grève <s'étend> aux ports", language="fr")
        assert "1 notification delivered" in mail_cli("alerts", "run").stdout
    finally:
        controller.stop()
    assert len(handler.messages) == 1
    mail = message_from_bytes(handler.messages[0], policy=policy.default)
    assert mail["To"] == "desk@example.org"
    assert "grèves" in mail["Subject"] and "La grève <s'étend> aux ports" in mail["Subject"]
    assert mail["Content-Language"] == "fr"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "La grève <s'étend> aux ports" in text
    assert "La grève &lt;s&#39;étend&gt; aux ports" in html
    assert "déc." in text  # the date in French
    assert "Règle d'alerte" in text and "Règle d'alerte" in html  # the footer in French


def test_newsdesk_run_evaluates_the_rules_after_each_round(desk, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdesk.cli import collect
    from newsdesk.pipeline.collect import CollectStats
    from newsdesk.pipeline.process import ProcessStats

    cli, store = desk

    def one_round(*_args: object, **_kwargs: object) -> tuple[CollectStats, ProcessStats]:
        add_article(store, 2, "news.example", "Strike at the port")  # what the round stored
        return CollectStats(), ProcessStats()

    def stop(_seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(collect, "fetch_once", one_round)
    monkeypatch.setattr(collect.time, "sleep", stop)
    with WebhookReceiver() as receiver:
        cli("alerts", "add", "strikes", "--search", "strike", "--webhook", receiver.url)
        result = cli("run")
        assert [r.document["event"] for r in receiver.requests] == ["article:2"]
    assert "1 new event, 1 notification delivered" in result.stdout


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (made with openssl; the test skips without it)."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_email_goes_over_tls_with_a_log_in(desk, tmp_path: Path, security: str) -> None:
    controller_module = pytest.importorskip("aiosmtpd.controller")
    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = _certificate(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server, session, envelope, mechanism, auth_data):  # noqa: ANN001, ANN202
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret")

    port = _free_port()
    tls = (
        {"tls_context": server_tls, "require_starttls": True}
        if security == "starttls"
        else {"ssl_context": server_tls}
    )
    handler = Keep()
    controller = controller_module.Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        # aiosmtpd counts only STARTTLS as TLS for its log-in check: over SSL the whole session is.
        auth_require_tls=security == "starttls",
        **tls,
    )
    controller.start()
    try:
        extra = f'username = "desk"\npassword = "s3cret"\nca_file = "{cert}"\n'
        config = alert_config(tmp_path, smtp_port=port, extra=extra)
        config.write_text(config.read_text().replace('security = "none"', f'security = "{security}"'))
        cli, store = desk
        mail_cli = Cli(Path(cli.base[1]), config, lang="en")
        mail_cli("alerts", "add", "strikes", "--search", "strike", "--email", "desk@example.org")
        add_article(store, 2, "news.example", "Strike at the port")
        ran = mail_cli("alerts", "run")
        assert "1 notification delivered" in ran.stdout, ran.output
    finally:
        controller.stop()
    assert logins == [(b"desk", b"s3cret")]
    assert len(handler.messages) == 1


def test_a_paused_rule_fires_on_nothing_stored_while_it_was_paused(desk) -> None:
    cli, store = desk
    with WebhookReceiver() as receiver:
        cli("alerts", "add", "strikes", "--search", "strike", "--webhook", receiver.url)
        cli("alerts", "pause", "strikes")
        assert "(paused)" in cli("alerts", "list").stdout
        add_article(store, 2, "news.example", "Strike at the port")
        cli("alerts", "run")
        cli("alerts", "resume", "strikes")
        cli("alerts", "run")
        assert receiver.requests == []
        later = add_article(store, 3, "news.example", "Strike ends")
        cli("alerts", "run")
        assert [r.document["event"] for r in receiver.requests] == [f"article:{later}"]


def test_the_command_speaks_the_readers_language(desk, tmp_path: Path) -> None:
    cli, store = desk
    french = Cli(Path(cli.base[1]), alert_config(tmp_path), lang="fr")
    added = french("alerts", "add", "grève", "--coverage", "--outlets", "3", "--quiet", "22:00-07:00").stdout
    assert "un sujet atteint 3 médias" in added and "heures de silence\u00a0: 22:00-07:00" in added
    assert "1 règle évaluée, 0 nouvel événement, 0 notification envoyée" in french("alerts", "run").stdout
    refused = french("alerts", "add", "x", "--search", "q", "--quiet", "late", ok=False)
    assert refused.exit_code == 2 and "écrivez-les HH:MM-HH:MM" in refused.output
    listed = json.loads(french("alerts", "list", "--json").stdout)
    assert listed[0]["description"] == "a story reaches 3 outlets"  # JSON stays English
