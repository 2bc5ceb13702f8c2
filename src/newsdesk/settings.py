"""One typed settings object, read from a TOML file and the environment.

Precedence (highest first): explicit overrides (command-line options),
environment variables ``NEWSDESK_*``, the TOML file (``--config`` or
``NEWSDESK_CONFIG``, else ``newsdesk.toml`` in the user config folder),
defaults below.
"""

from __future__ import annotations

import locale
import os
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from types import UnionType
from typing import Any, get_args, get_origin, get_type_hints

from platformdirs import user_config_dir, user_data_dir

APP = "newsdesk"
SMTP_SECURITY = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = "newsdesk/0.1 (+https://github.com/newsdesk/newsdesk; self-hosted news monitor)"
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    per_host_concurrency: int = 2
    per_host_delay: float = 0.5
    total_concurrency: int = 16
    allow_private: bool = False
    respect_robots: bool = True
    feed_interval_minutes: int = 15
    retry_after_minutes: int = 60
    max_attempts: int = 5
    # Sitemaps (docs/ingest.md#sitemaps): how far back the first poll reaches, and what one poll reads
    sitemap_first_hours: float = 48.0
    sitemap_max_urls: int = 500
    sitemap_max_children: int = 20
    # What one poll of a feed reads: its newest entries (docs/ingest.md#big-feeds-and-rate-limits)
    max_entries_per_poll: int = 200
    # Pages fetched (round-robin across feeds and hosts) before the ones saved are processed
    round_pages: int = 100
    # A 429 or 503 answer's Retry-After, honoured per host between these bounds
    rate_limit_min_seconds: float = 60.0
    rate_limit_max_hours: float = 24.0


@dataclass(frozen=True)
class ClusterSettings:
    window_days: float = 3.0
    # Calibrated on ECB+ train only; see docs/evaluation-clustering.md.
    threshold: float | None = None
    # Match headlines and leads across languages with a second encoder (multilingual E5 small);
    # false: faster enrichment, translations join only through the first encoder and shared names.
    crosslingual: bool = True


@dataclass(frozen=True)
class StorylineSettings:
    """When a new story continues an earlier one that went quiet (see docs/storylines.md)."""

    enabled: bool = True
    # An earlier story is a candidate when it ended at most this many days before the new one began.
    lookback_days: float = 60.0
    # The new story needs this many articles before it is compared (one article names too little).
    min_articles: int = 2
    # Core entities: each story's most widespread linked entities, at most this many.
    core_entities: int = 8
    # At least this many core entities shared, and this share of the smaller core …
    min_shared: int = 2
    min_overlap: float = 0.5
    # … and the stories' mean embeddings at least this close (cosine).
    min_cosine: float = 0.5


@dataclass(frozen=True)
class CopySettings:
    """Wire copies (docs/copies.md): an article reprinting another's text is marked a copy of the
    earliest. Chosen on the training part of ``newsdesk eval copies``."""

    enabled: bool = True
    # Words per shingle, MinHash permutations, and the LSH bar (estimated Jaccard) for candidates.
    shingle_words: int = 5
    permutations: int = 128
    candidate_jaccard: float = 0.2
    # A candidate is a copy when this share of the shorter text's shingles is in the other.
    containment: float = 0.45
    # Texts with fewer shingles are never compared (too little text to tell a copy).
    min_shingles: int = 25
    # How far back (days of collection) a new article is compared.
    window_days: float = 7.0


@dataclass(frozen=True)
class ImageSettings:
    """Lead images (og:image) as thumbnails on the pages: fetched and re-encoded by newsdesk, never
    loaded by the reader's browser from the outlet. Off by default: fetching them is one more request
    per article to the outlet's servers."""

    enabled: bool = False
    # An image larger than this is not read (bytes, after any compression).
    max_bytes: int = 2 * 1024 * 1024
    # An image of more pixels than this is not decoded (a decompression bomb).
    max_pixels: int = 40_000_000
    # Thumbnails are scaled down to this width at most (pixels).
    width: int = 480
    # Images fetched at most per round of `fetch` or `run`.
    per_round: int = 200


@dataclass(frozen=True)
class EntitySettings:
    """Named entities, quotes and keywords (see docs/entities.md)."""

    enabled: bool = True
    # NER per language: a spaCy pipeline (installed package, directory such as one `newsdesk
    # models train` wrote, or newsdesk-<lang> for one newsdesk ships), "natasha" for Russian,
    # "" or "fallback" for the fallback; merged over newsdesk.enrich.entities.DEFAULT_MODELS.
    models: dict[str, str] = field(default_factory=dict)
    # Characters of each article a model reads (0: the whole text); see docs/entities.md.
    max_chars: int = 1500
    batch_size: int = 32
    keywords: int = 10
    # Within a story, link names translated between languages by their cross-lingual vectors
    # (Justice Department / Justizministerium); see docs/entities.md, rule 5.
    translated_names: bool = True


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    # Log-in for every change even on loopback (beyond loopback it is always required).
    require_login: bool = False
    session_hours: float = 24.0 * 14
    page_size: int = 30
    # Processes answering requests (``newsdesk serve --workers``); each keeps its own failed-log-in counts.
    workers: int = 1
    # Hostile use (docs/web.md#security): feeds added on the web are checked in the background by this
    # many threads; request bodies are capped; an OPML import lists at most this many feeds; failed
    # log-ins past the free ones wait twice as long each time, up to the longest wait.
    check_workers: int = 4
    max_body_bytes: int = 5 * 1024 * 1024
    max_opml_feeds: int = 2000
    login_free_attempts: int = 5
    login_max_wait: float = 900.0


@dataclass(frozen=True)
class WorkerSettings:
    """The distributed worker engine (Celery; see docs/configuration.md, ``[workers]``)."""

    # redis://… or amqp://…; empty: batches are prepared by local processes (``extract_workers``).
    broker: str = ""
    # Where workers put results; empty: the broker's URL for Redis, rpc:// for AMQP.
    result_backend: str = ""
    queue: str = "newsdesk"
    # Batches handed to the workers ahead of the one being committed.
    batches_ahead: int = 4
    # Seconds a batch's result may keep the main process waiting before its pages are marked failed;
    # also the hard limit of a task on a worker (prefork pool).
    task_time_limit: float = 600.0


@dataclass(frozen=True)
class AlertSettings:
    """Follow-and-alert rules and their delivery (see docs/alerts.md)."""

    # Evaluate the rules and deliver after each round of ``newsdesk run``.
    enabled: bool = True
    # A notification is tried at most this many times; the n-th retry waits retry_seconds * 2**(n-1),
    # at most retry_max_hours.
    max_attempts: int = 8
    retry_seconds: float = 60.0
    retry_max_hours: float = 6.0
    # Seconds a webhook receiver may take to answer.
    timeout: float = 15.0
    # Seconds a delivery taken by one process stays its own (then, the process presumed dead, it is
    # taken again).
    lease_seconds: float = 300.0
    # The web address of this newsdesk (https://news.example.org) for links in notifications; empty:
    # notifications link to the articles themselves.
    base_url: str = ""
    # The time zone of quiet hours when a rule names none (empty: the machine's).
    timezone: str = ""


@dataclass(frozen=True)
class SmtpSettings:
    """The mail server that e-mail alerts go through (see docs/alerts.md#e-mail)."""

    host: str = ""
    port: int = 587
    # "starttls" (port 587), "ssl" (port 465) or "none" (a relay on this machine).
    security: str = "starttls"
    username: str = ""
    password: str = ""
    sender: str = "newsdesk@localhost"
    timeout: float = 20.0
    # A file of CA certificates the server's certificate is checked against (empty: the system's).
    ca_file: str = ""


@dataclass(frozen=True)
class Settings:
    db: str = ""
    reader_lang: str = "en"
    fetch: FetchSettings = field(default_factory=FetchSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    copies: CopySettings = field(default_factory=CopySettings)
    web: WebSettings = field(default_factory=WebSettings)
    entities: EntitySettings = field(default_factory=EntitySettings)
    storylines: StorylineSettings = field(default_factory=StorylineSettings)
    images: ImageSettings = field(default_factory=ImageSettings)
    workers: WorkerSettings = field(default_factory=WorkerSettings)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    embed_batch: int = 32
    # Processes that prepare (extract and enrich) the next batches while the current one is
    # clustered and stored; 0 prepares everything in the main process.
    extract_workers: int = field(
        default_factory=lambda: min(os.cpu_count() or 1, 4) if (os.cpu_count() or 1) > 1 else 0
    )
    # How much those processes (and the early extractor) lower their CPU priority (Unix niceness,
    # 0-19): a busy import or fetch leaves the cores to the web server and the shell first.
    extract_nice: int = 10
    flags: dict[str, str] = field(default_factory=dict)

    @property
    def db_url(self) -> str:
        """SQLAlchemy URL: a path becomes a SQLite URL, a URL stays as it is."""
        if "://" in self.db:
            return self.db
        return f"sqlite:///{Path(self.db).expanduser()}"


def default_db_path() -> str:
    return str(Path(user_data_dir(APP)) / "newsdesk.db")


def default_config_path() -> Path:
    return Path(user_config_dir(APP)) / "newsdesk.toml"


def locale_language() -> str:
    """The reader's language from the environment's locale, else ``en``."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        code = value.split(".")[0].split("_")[0].lower()
        if code and code not in ("c", "posix"):
            return code
    try:
        code = (locale.getlocale()[0] or "").split("_")[0].lower()
    except ValueError:
        code = ""
    return code if code and code not in ("c", "posix") else "en"


# Numbers that must be above zero, and those with a range of their own; every other number may be 0.
_POSITIVE = {
    "connect_timeout",
    "read_timeout",
    "max_bytes",
    "per_host_concurrency",
    "total_concurrency",
    "feed_interval_minutes",
    "retry_after_minutes",
    "max_attempts",
    "max_entries_per_poll",
    "round_pages",
    "rate_limit_min_seconds",
    "rate_limit_max_hours",
    "window_days",
    "session_hours",
    "page_size",
    "check_workers",
    "workers",
    "max_body_bytes",
    "max_opml_feeds",
    "login_max_wait",
    "batch_size",
    "embed_batch",
    "batches_ahead",
    "task_time_limit",
    "lookback_days",
    "max_pixels",
    "width",
    "per_round",
    "min_articles",
    "core_entities",
    "min_shared",
    "retry_max_hours",
    "timeout",
    "lease_seconds",
    "shingle_words",
    "permutations",
    "min_shingles",
}
_RANGES = {
    "port": (1, 65535),
    "threshold": (0.0, 1.0),
    "extract_nice": (0, 19),
    "min_overlap": (0.0, 1.0),
    "min_cosine": (-1.0, 1.0),
    "candidate_jaccard": (0.01, 1.0),
    "containment": (0.0, 1.0),
}
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


def _checked(name: str, kind: Any, value: Any, where: str) -> Any:
    """``value`` for the setting ``name`` of type ``kind``, or a ValueError naming where it was set."""
    wanted = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}
    options = get_args(kind) if isinstance(kind, UnionType) else (get_origin(kind) or kind,)
    base = next(t for t in (bool, int, float, str, dict) if t in options)
    if base is dict:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ValueError(f"{where}: {name} must be a table of strings, not {value!r}")
        return value
    ok = isinstance(value, base) and not (base is not bool and isinstance(value, bool))
    if base is float and isinstance(value, int) and not isinstance(value, bool):
        ok, value = True, float(value)
    if not ok:
        raise ValueError(f"{where}: {name} = {value!r} must be {wanted[base]}")
    if base in (int, float):
        low, high = _RANGES.get(name, (0, None))
        if name in _POSITIVE and value <= 0:
            raise ValueError(f"{where}: {name} = {value!r} must be above 0")
        if value < low or (high is not None and value > high):
            span = f"between {low} and {high}" if high is not None else f"{low} or more"
            raise ValueError(f"{where}: {name} = {value!r} must be {span}")
    return value


def _merge(obj: Any, data: dict[str, Any], source: str) -> Any:
    known = {f.name: f for f in fields(obj)}
    hints = get_type_hints(type(obj))
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise ValueError(f"{source}: unknown setting {key!r}")
        current = getattr(obj, key)
        if is_dataclass(current):
            if not isinstance(value, dict):
                raise ValueError(f"{source}: [{key}] must be a table")
            changes[key] = _merge(current, value, f"{source} [{key}]")
        else:
            changes[key] = _checked(key, hints[key], value, source)
    return replace(obj, **changes)


def known_language(code: str) -> bool:
    """Whether newsdesk can present in a language: Babel knows its locale (``fr``, ``pt-BR``)."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def _language(code: str, where: str) -> str:
    if not known_language(code):
        raise ValueError(f"{where}: {code!r} is not a language newsdesk can present in (e.g. en, fr, pt-BR)")
    return code


def config_path(config: str | Path | None = None) -> tuple[Path, str | None]:
    """The settings file in use and what named it (``--config``, ``NEWSDESK_CONFIG``, or None for the
    default in the user config folder)."""
    if config:
        return Path(config), "--config"
    if env := os.environ.get("NEWSDESK_CONFIG"):
        return Path(env), "NEWSDESK_CONFIG"
    return default_config_path(), None


def load_settings(
    config: str | Path | None = None,
    db: str | None = None,
    reader_lang: str | None = None,
) -> Settings:
    """Build the settings from defaults, the TOML file, the environment and overrides.

    A value of the wrong type or out of range is a ValueError naming the key and the file, the
    environment variable or the option."""
    default_lang = locale_language()
    settings = Settings(
        db=default_db_path(), reader_lang=default_lang if known_language(default_lang) else "en"
    )
    path, named_by = config_path(config)
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: not valid TOML: {exc}") from exc
        settings = _merge(settings, data, str(path))
        _language(settings.reader_lang, f"{path}: reader_lang")
    elif named_by:
        raise ValueError(f"{path}: configuration file not found (named by {named_by})")
    env = os.environ
    if env_db := env.get("NEWSDESK_DB"):
        settings = replace(settings, db=env_db)
    if env_lang := env.get("NEWSDESK_LANG"):
        settings = replace(settings, reader_lang=_language(env_lang, "NEWSDESK_LANG"))
    allow = env.get("NEWSDESK_ALLOW_PRIVATE", "").strip().lower()
    if allow not in _TRUE + _FALSE:
        raise ValueError(f"NEWSDESK_ALLOW_PRIVATE={allow!r} must be 1 or 0 (true or false)")
    if allow in _TRUE:
        settings = replace(settings, fetch=replace(settings.fetch, allow_private=True))
    if env_broker := env.get("NEWSDESK_BROKER"):
        if "://" not in env_broker:
            raise ValueError(f"NEWSDESK_BROKER={env_broker!r} must be a URL such as redis://host:6379/0")
        settings = replace(settings, workers=replace(settings.workers, broker=env_broker))
    if env_smtp := env.get("NEWSDESK_SMTP_PASSWORD"):
        settings = replace(settings, smtp=replace(settings.smtp, password=env_smtp))
    if settings.smtp.security not in SMTP_SECURITY:
        choices = ", ".join(SMTP_SECURITY)
        raise ValueError(f"smtp.security = {settings.smtp.security!r} must be one of {choices}")
    if db:
        settings = replace(settings, db=db)
    if reader_lang:
        settings = replace(settings, reader_lang=_language(reader_lang, "--lang"))
    return settings
