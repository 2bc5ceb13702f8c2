"""Keeping the catalogs in step with the code: ``python -m newsdesk.i18n.catalogs update`` extracts the
strings, merges them into every language's ``.po`` and compiles the ``.mo`` files; ``compile`` only
compiles; ``init LANG`` starts a new language. Runs Babel (``pybabel``) from a checkout (see
docs/i18n.md)."""

from __future__ import annotations

import sys
from contextlib import chdir
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

from newsdesk import __version__
from newsdesk.i18n import DOMAIN, INTERFACE_LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE

PACKAGE = LOCALE_DIR.parents[1]  # src/newsdesk: the paths of babel.cfg start here
MAPPING = PACKAGE.parents[1] / "babel.cfg"
TEMPLATE = LOCALE_DIR / "messages.pot"
TRANSLATED = tuple(code for code in INTERFACE_LANGUAGES if code != SOURCE_LANGUAGE)
# Locations without line numbers, no rewrapping: a change in one file moves no other entry.
LAYOUT = ["--add-location=file", "--no-wrap"]
COMMAND = "python -m newsdesk.i18n.catalogs update"


def po_file(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _pybabel(*args: str | Path) -> None:
    CommandLineInterface().run(["pybabel", "-q", *map(str, args)])


def extract() -> None:
    """Write ``messages.pot`` from the Python sources and the templates (``babel.cfg``)."""
    with chdir(PACKAGE):  # locations relative to the package: web/templates/story.html
        _pybabel(
            "extract", "-F", MAPPING, "-o", TEMPLATE, "--sort-by-file", *LAYOUT, "-c", "Translators:",
            "--project", "newsdesk", "--version", __version__, "--copyright-holder", "the newsdesk authors",
            ".",
        )  # fmt: skip


def update() -> None:
    """Merge ``messages.pot`` into each language's catalog (new strings empty, changed ones fuzzy)."""
    for language in TRANSLATED:
        _pybabel(
            "update", "-i", TEMPLATE, "-d", LOCALE_DIR, "-D", DOMAIN, "-l", language,
            "--ignore-obsolete", "--ignore-pot-creation-date", "--no-wrap",
        )  # fmt: skip


def compile_catalogs() -> None:
    """Compile every ``.po`` into the ``.mo`` the program reads (translated entries only)."""
    _pybabel("compile", "-d", LOCALE_DIR, "-D", DOMAIN, "--statistics")


def init(language: str) -> None:
    """Start the catalog of a new language from ``messages.pot`` (then add it to INTERFACE_LANGUAGES)."""
    _pybabel("init", "-i", TEMPLATE, "-d", LOCALE_DIR, "-D", DOMAIN, "-l", language, "--no-wrap")


def main(argv: list[str]) -> int:
    match argv:
        case ["update"]:
            extract()
            update()
            compile_catalogs()
        case ["extract"]:
            extract()
        case ["compile"]:
            compile_catalogs()
        case ["init", language]:
            extract()
            init(language)
        case _:
            print(__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
