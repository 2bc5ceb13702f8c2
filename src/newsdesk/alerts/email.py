"""E-mail delivery: a message in the recipient's language (Jinja2 templates, HTML and plain text)
sent through the configured SMTP server (STARTTLS, SSL or neither; log-in when a user is set)."""

from __future__ import annotations

import re
import smtplib
import ssl
import time
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from newsdesk.alerts.rules import Outcome
from newsdesk.alerts.webhook import document
from newsdesk.i18n.jinja import enable_i18n, template_callables
from newsdesk.ingest.addresses import PRIVATE_REFUSED, is_local_name, parse_ip, refusal_reason
from newsdesk.present.dates import medium_datetime
from newsdesk.settings import FetchSettings, Settings, SmtpSettings
from newsdesk.store.alerts import Job
from newsdesk.urls import safe_url

TEMPLATES = Path(__file__).with_name("templates")
_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@([^@\s<>,;\"]+)$")


def email_problem(address: str, settings: FetchSettings) -> str | None:
    """Why mail must not go to ``address``, or None: it must be one plain address, and its domain no
    loopback, private or reserved address (``localhost``, ``[10.0.0.1]``) unless
    ``fetch.allow_private`` is on, as for feeds and webhooks."""
    found = _ADDRESS.match(address.strip())
    if not found:
        return f"{address[:80]!r} is not an e-mail address"
    domain = found.group(1).strip("[]")
    if settings.allow_private:
        return None
    literal = parse_ip(domain)
    if is_local_name(domain) or (literal is not None and refusal_reason(domain, [str(literal)])):
        return f"{domain}: {PRIVATE_REFUSED}"
    return None


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    enable_i18n(env)  # each message renders with its recipient's translations
    return env


def _context(job: Job, settings: Settings, language: str) -> dict[str, Any]:
    base = settings.alerts.base_url.rstrip("/")
    data = document(job)
    articles = [
        {
            **a,
            "when": medium_datetime(datetime.fromisoformat(a["time"]), language) if a.get("time") else "",
            "link": safe_url(a.get("url")),
            "here": f"{base}/articles/{a['id']}" if base else "",
        }
        for a in data["articles"]
    ]
    return {
        **data,
        "articles": articles,
        "link": safe_url(data.get("link")),
        "story_link": f"{base}/stories/{data['story_id']}" if base and data.get("story_id") else "",
        "detected_text": medium_datetime(job.detected, language),
        "language": language,
        **template_callables(language),
    }


def message(job: Job, settings: Settings) -> EmailMessage:
    """The notification as an e-mail to the target, in its language (else the rule's, else the
    reader's), plain text and HTML. Its Message-ID is the delivery's: a message sent again after a
    crash is the same message."""
    language = job.target.language or job.rule_language or settings.reader_lang
    env = _environment()
    context = _context(job, settings, language)
    mail = EmailMessage()
    subject = env.get_template("email_subject.txt.j2").render(context)
    mail["Subject"] = " ".join(subject.split())
    mail["From"] = settings.smtp.sender
    mail["To"] = job.target.address
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = f"<{job.uid}@newsdesk>"
    mail["X-Newsdesk-Delivery"] = job.uid
    mail.set_content(env.get_template("email.txt.j2").render(context))
    mail.add_alternative(env.get_template("email.html.j2").render(context), subtype="html")
    mail["Content-Language"] = language  # after the content, which would drop it
    return mail


def connect(smtp: SmtpSettings) -> smtplib.SMTP:
    """A connection to the configured SMTP server (STARTTLS or SSL as set), not yet logged in."""
    context = ssl.create_default_context(cafile=smtp.ca_file or None)
    if smtp.security == "ssl":
        return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    server = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    if smtp.security == "starttls":
        server.starttls(context=context)
    return server


def send(job: Job, settings: Settings) -> Outcome:
    """Send the notification by e-mail (blocking); the outcome says how it went."""
    smtp = settings.smtp
    started = time.monotonic()
    if not smtp.host:
        return Outcome(False, None, "no mail server: set host under [smtp]", 0.0)
    if problem := email_problem(job.target.address, settings.fetch):
        return Outcome(False, None, problem, 0.0)
    try:
        with connect(smtp) as server:
            if smtp.username:
                server.login(smtp.username, smtp.password)
            server.send_message(message(job, settings))
    except smtplib.SMTPResponseException as exc:
        reply = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        return Outcome(False, exc.smtp_code, f"SMTP {exc.smtp_code} {reply}", time.monotonic() - started)
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        return Outcome(False, None, f"SMTP {smtp.host}:{smtp.port}: {exc}", time.monotonic() - started)
    return Outcome(True, 250, None, time.monotonic() - started)


def send_document(
    addresses: list[str], subject: str, text: str, html: str, settings: Settings
) -> list[tuple[str, str | None]]:
    """Send one document (a digest) by e-mail, plain text and HTML, to each address in one connection;
    per address, the error or None. Addresses follow the same rules as alert targets."""
    smtp = settings.smtp
    if not smtp.host:
        return [(address, "no mail server: set host under [smtp]") for address in addresses]
    results: list[tuple[str, str | None]] = []
    allowed = []
    for address in addresses:
        problem = email_problem(address, settings.fetch)
        if problem:
            results.append((address, problem))
        else:
            allowed.append(address)
    if not allowed:
        return results
    try:
        with connect(smtp) as server:
            if smtp.username:
                server.login(smtp.username, smtp.password)
            for address in allowed:
                mail = EmailMessage()
                mail["Subject"] = " ".join(subject.split())
                mail["From"] = smtp.sender
                mail["To"] = address
                mail["Date"] = formatdate(localtime=False)
                mail.set_content(text)
                mail.add_alternative(html, subtype="html")
                try:
                    server.send_message(mail)
                    results.append((address, None))
                except smtplib.SMTPException as exc:
                    results.append((address, f"SMTP: {exc}"))
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        results += [(address, f"SMTP {smtp.host}:{smtp.port}: {exc}") for address in allowed]
    return results
