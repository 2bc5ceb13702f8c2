"""Keeping the catalogs in step with the code: ``python -m newsdesk.i18n.catalogs update`` extracts the
strings, merges them into every language's ``.po`` and compiles the ``.mo`` files; ``compile`` only
compiles; ``check`` lists what is missing, untranslated, fuzzy or not compiled; ``init LANG`` starts a
new language. Runs Babel (``pybabel``) from a checkout (see docs/i18n.md)."""

from __future__ import annotations

import re
import sys
from contextlib import chdir
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import CommandLineInterface, parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from newsdesk import __version__
from newsdesk.i18n import DOMAIN, INTERFACE_LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE

PACKAGE = LOCALE_DIR.parents[1]  # src/newsdesk: the paths of babel.cfg start here
MAPPING = PACKAGE.parents[1] / "babel.cfg"
TEMPLATE = LOCALE_DIR / "messages.pot"
TRANSLATED = tuple(code for code in INTERFACE_LANGUAGES if code != SOURCE_LANGUAGE)
# Locations without line numbers, no rewrapping: a change in one file moves no other entry.
LAYOUT = ["--add-location=file", "--no-wrap"]
COMMAND = "python -m newsdesk.i18n.catalogs update"
FIX = (
    f"run `{COMMAND}`, translate the entries it leaves empty or marks fuzzy in "
    "src/newsdesk/i18n/locale/*/LC_MESSAGES/newsdesk.po, then `python -m newsdesk.i18n.catalogs compile`"
)
_PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[ds]")


def po_file(language: str, folder: Path = LOCALE_DIR) -> Path:
    return folder / language / "LC_MESSAGES" / f"{DOMAIN}.po"


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


Extracted = tuple[str | tuple[str, str], str | None]


def extracted() -> list[Extracted]:
    """Every message of the sources and templates as ``babel.cfg`` finds them, with its context
    (``pgettext``) or None: a string, or the singular and plural of an ``ngettext``."""
    with MAPPING.open(encoding="utf-8") as mapping:
        method_map, options_map = parse_mapping_cfg(mapping, str(MAPPING))
    found: dict[Extracted, None] = {}
    for _file, _line, message, _comments, context in extract_from_dir(PACKAGE, method_map, options_map):
        found[(message if isinstance(message, str) else (message[0], message[1]), context)] = None
    return list(found)


def read_catalog(language: str, folder: Path = LOCALE_DIR) -> Catalog:
    with po_file(language, folder).open("rb") as po:
        return read_po(po, locale=language)


def _placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text.replace("%%", "")))


def catalog_problems(language: str, messages: list[Extracted], folder: Path = LOCALE_DIR) -> list[str]:
    """What a language's catalog lacks: messages missing, untranslated, fuzzy, or whose translation
    drops or adds a placeholder; and a ``.mo`` that is not the compiled ``.po``."""
    catalog = read_catalog(language, folder)
    problems = []
    for message, context in messages:
        entry = catalog.get(message if isinstance(message, str) else message[0], context)
        shown = repr(message) + (f" (context {context!r})" if context else "")
        if entry is None:
            problems.append(f"{language}: missing {shown}")
            continue
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        if entry.fuzzy:
            problems.append(f"{language}: fuzzy {shown}")
        elif not all(strings):
            problems.append(f"{language}: untranslated {shown}")
        elif isinstance(message, str) and _placeholders(strings[0]) != _placeholders(message):
            problems.append(f"{language}: placeholders differ in {shown}: {strings[0]!r}")
    with po_file(language, folder).with_suffix(".mo").open("rb") as mo:
        if _entries(read_mo(mo)) != _entries(catalog):
            problems.append(f"{language}: {DOMAIN}.mo is not the compiled {DOMAIN}.po")
    return problems


def _entries(catalog: Catalog) -> dict[object, object]:
    """A catalog's translated entries, comparable between a ``.po`` and a ``.mo``."""

    def frozen(value: str | tuple | list) -> str | tuple:
        return value if isinstance(value, str) else tuple(value)

    return {
        frozen(m.id): frozen(m.string)
        for m in catalog
        if m.id and m.string and not m.fuzzy and all(frozen(m.string))
    }


def check() -> list[str]:
    """Every problem of every translated catalog (see ``catalog_problems``)."""
    messages = extracted()
    return [problem for language in TRANSLATED for problem in catalog_problems(language, messages)]


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
        case ["check"]:
            problems = check()
            print("\n".join(problems + ([f"To fix: {FIX}."] if problems else [])))
            return 1 if problems else 0
        case ["init", language]:
            extract()
            init(language)
        case _:
            print(__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
