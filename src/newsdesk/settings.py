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
from typing import Any

from platformdirs import user_config_dir, user_data_dir

APP = "newsdesk"


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


@dataclass(frozen=True)
class ClusterSettings:
    window_days: float = 3.0
    # Calibrated on ECB+ train only; see docs/evaluation-clustering.md.
    threshold: float | None = None


@dataclass(frozen=True)
class EntitySettings:
    """Named entities, quotes and keywords (see docs/entities.md)."""

    enabled: bool = True
    # spaCy pipeline per language, "natasha" for Russian, "" or "fallback" for the fallback;
    # merged over newsdesk.enrich.entities.DEFAULT_MODELS.
    models: dict[str, str] = field(default_factory=dict)
    # Characters of each article a model reads (0: the whole text); see docs/entities.md.
    max_chars: int = 1500
    batch_size: int = 32
    keywords: int = 10


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    # Log-in for every change even on loopback (beyond loopback it is always required).
    require_login: bool = False
    session_hours: float = 24.0 * 14
    page_size: int = 30


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
class Settings:
    db: str = ""
    reader_lang: str = "en"
    fetch: FetchSettings = field(default_factory=FetchSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    web: WebSettings = field(default_factory=WebSettings)
    entities: EntitySettings = field(default_factory=EntitySettings)
    workers: WorkerSettings = field(default_factory=WorkerSettings)
    embed_batch: int = 32
    # Processes that prepare (extract and enrich) the next batches while the current one is
    # clustered and stored; 0 prepares everything in the main process.
    extract_workers: int = field(
        default_factory=lambda: min(os.cpu_count() or 1, 4) if (os.cpu_count() or 1) > 1 else 0
    )
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


def _merge(obj: Any, data: dict[str, Any], source: str) -> Any:
    known = {f.name: f for f in fields(obj)}
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
            changes[key] = value
    return replace(obj, **changes)


def load_settings(
    config: str | Path | None = None,
    db: str | None = None,
    reader_lang: str | None = None,
) -> Settings:
    """Build the settings from defaults, the TOML file, the environment and overrides."""
    settings = Settings(db=default_db_path(), reader_lang=locale_language())
    path = Path(config or os.environ.get("NEWSDESK_CONFIG") or default_config_path())
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: not valid TOML: {exc}") from exc
        settings = _merge(settings, data, str(path))
    elif config:
        raise ValueError(f"{path}: configuration file not found")
    env_db = os.environ.get("NEWSDESK_DB")
    env_lang = os.environ.get("NEWSDESK_LANG")
    if env_db:
        settings = replace(settings, db=env_db)
    if env_lang:
        settings = replace(settings, reader_lang=env_lang)
    if os.environ.get("NEWSDESK_ALLOW_PRIVATE", "").lower() in ("1", "true", "yes"):
        settings = replace(settings, fetch=replace(settings.fetch, allow_private=True))
    if env_broker := os.environ.get("NEWSDESK_BROKER"):
        settings = replace(settings, workers=replace(settings.workers, broker=env_broker))
    if db:
        settings = replace(settings, db=db)
    if reader_lang:
        settings = replace(settings, reader_lang=reader_lang)
    return settings
