"""The NER pipelines newsdesk ships, as package data: ``models/<lang>/``, named ``newsdesk-<lang>``."""

from __future__ import annotations

from pathlib import Path

MODELS_DIR = Path(__file__).with_name("models")
PREFIX = "newsdesk-"


def shipped_path(name: str) -> Path | None:
    """The directory of the shipped pipeline ``name`` (``newsdesk-de``), else ``None``."""
    if not name.startswith(PREFIX):
        return None
    path = MODELS_DIR / name[len(PREFIX) :]
    return path if (path / "config.cfg").is_file() else None


def shipped_models() -> dict[str, Path]:
    """Every shipped pipeline by language."""
    if not MODELS_DIR.is_dir():
        return {}
    return {p.name: p for p in sorted(MODELS_DIR.iterdir()) if (p / "config.cfg").is_file()}
