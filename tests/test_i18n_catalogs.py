"""The interface's catalogs: every string of the sources and templates translated in every language,
the compiled catalogs up to date, plural forms right."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import write_po
from jinja2 import Environment

from newsdesk.i18n import INTERFACE_LANGUAGES, LOCALE_DIR, interface_language, translations
from newsdesk.i18n.catalogs import (
    FIX,
    PACKAGE,
    TRANSLATED,
    Extracted,
    catalog_problems,
    extracted,
    po_file,
    read_catalog,
)


@pytest.fixture(scope="module")
def messages() -> list[Extracted]:
    return extracted()


def test_extraction_finds_templates_and_python(messages: list[Extracted]) -> None:
    assert ("Read in", None) in messages  # web/templates/base.html
    assert (("%(num)d outlet", "%(num)d outlets"), None) in messages  # templates and present/render.py
    assert ("Feed added.", None) in messages  # web/routes/sources.py, marked with N_
    assert ("Who said what", None) in messages  # present/templates/review.md.j2
    assert ("any", "outlet") in messages and ("any", "language") in messages  # pgettext


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_is_translated_and_compiled(language: str, messages: list) -> None:
    problems = catalog_problems(language, messages)
    assert not problems, "\n".join([*problems, f"To fix: {FIX}."])


def test_a_missing_or_fuzzy_string_is_named(tmp_path: Path, messages: list) -> None:
    folder = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, folder)
    catalog = read_catalog("de", folder)
    catalog["Read in"].string = ""
    catalog["Stories"].flags.add("fuzzy")
    del catalog["Sources"]
    with po_file("de", folder).open("wb") as po:
        write_po(po, catalog)
    problems = catalog_problems("de", messages, folder)
    assert "de: untranslated 'Read in'" in problems
    assert "de: fuzzy 'Stories'" in problems
    assert "de: missing 'Sources'" in problems
    assert "de: newsdesk.mo is not the compiled newsdesk.po" in problems
    assert "python -m newsdesk.i18n.catalogs update" in FIX


def test_placeholders_must_survive_translation(tmp_path: Path, messages: list) -> None:
    folder = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, folder)
    catalog = read_catalog("fr", folder)
    catalog["no story #%(id)d"].string = "aucun sujet"
    with po_file("fr", folder).open("wb") as po:
        write_po(po, catalog)
    assert any(
        "placeholders differ in 'no story #%(id)d'" in p for p in catalog_problems("fr", messages, folder)
    )


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("ru", ["1 издание", "2 издания", "5 изданий", "11 изданий", "21 издание", "22 издания"]),
        ("uk", ["1 видання", "2 видання", "5 видань", "11 видань", "21 видання", "22 видання"]),
        ("fr", ["1 média", "2 médias", "5 médias", "11 médias", "21 médias", "22 médias"]),
        ("en", ["1 outlet", "2 outlets", "5 outlets", "11 outlets", "21 outlets", "22 outlets"]),
    ],
)
def test_plural_forms(language: str, forms: list[str]) -> None:
    found = translations(language)
    shown = [
        found.ngettext("%(num)d outlet", "%(num)d outlets", n) % {"num": n} for n in (1, 2, 5, 11, 21, 22)
    ]
    assert shown == forms


def test_three_plural_forms_in_russian_and_ukrainian() -> None:
    assert {language: read_catalog(language).num_plurals for language in ("ru", "uk")} == {"ru": 3, "uk": 3}


def test_languages_without_a_catalog_read_english() -> None:
    assert interface_language("fr-CA") == "fr" and interface_language("pt_BR") == "en"
    assert translations("pt").gettext("Read in") == "Read in"
    assert translations("de").gettext("Read in") == "Lesen auf"
    assert set(INTERFACE_LANGUAGES) == {"en", *TRANSLATED}


# Words a template may show as they are: names, formats, keys.
UNTRANSLATED = {"newsdesk", "Atom", "API", "OPML", "JSON", "Markdown", "min", "Enter", "Esc"}
TEMPLATES = sorted(
    [
        *PACKAGE.glob("web/templates/*.html"),
        *PACKAGE.glob("present/templates/*.j2"),
        *PACKAGE.glob("alerts/templates/*.j2"),
    ]
)


def _template_text(source: str) -> Iterator[str]:
    """The text a template writes as it is: outside tags, expressions and ``{% trans %}`` blocks, and
    the values of its ``title``, ``placeholder``, ``aria-label`` and ``alt`` attributes."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    data, translated, previous = [], False, ""
    for _, kind, value in env.lex(source):
        if kind == "name" and previous == "block_begin":
            translated = value == "trans" or (translated and value != "endtrans")
        elif kind == "data" and not translated:
            data.append(value)
        previous = kind if kind != "whitespace" else previous
    html = "".join(data)
    yield re.sub(r"<[^>]*>", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html, flags=re.S))
    for value in re.findall(r'(?:title|placeholder|aria-label|alt)="([^"{]*)"', html):
        if " " in value or (len(value) > 3 and not re.search(r"[./]", value)):  # not a URL or a code
            yield value


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_templates_write_no_words_outside_the_catalogs(template: Path) -> None:
    words = [
        word
        for text in _template_text(template.read_text("utf-8"))
        for word in re.findall(r"[A-Za-z][A-Za-z']+", text)
        if word not in UNTRANSLATED
    ]
    assert not words, (
        f'{template.relative_to(PACKAGE)} writes {" ".join(words)!r} as it is: wrap it in {{{{ _("…") }}}} '
        f"(or {{% trans %}}), then {FIX}"
    )


def test_unwrapped_words_are_found() -> None:
    words = " ".join(
        _template_text('<p title="Hello there">Hi {{ _("x") }}</p>{% trans %}Kept{% endtrans %}')
    )
    assert "Hi" in words and "Hello there" in words and "Kept" not in words
