"""The shared text layer: one reduction of language tags, and no stage behind it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsdesk.text.languages import base_language, language_code


@pytest.mark.parametrize(
    ("tag", "base", "code"),
    [
        ("en", "en", "en"),
        ("en-US", "en", "en"),
        ("EN_gb", "en", "en"),
        (" fr_FR.UTF-8 ", "fr", "fr"),
        ("de@euro", "de", "de"),
        ("x-klingon", "x", None),
        ("english", "english", None),
        ("", "", None),
        (None, "", None),
    ],
)
def test_a_tag_is_reduced_to_its_language(tag: str | None, base: str, code: str | None) -> None:
    assert base_language(tag) == base
    assert language_code(tag) == code


def test_the_clusterer_loads_no_other_stage() -> None:
    check = (
        "import sys, newsdesk.stories.clustering\n"
        "print(sorted({m.split('.')[1] for m in sys.modules if m.startswith('newsdesk.')}))\n"
        "print('trafilatura' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    packages, trafilatura = done.stdout.splitlines()
    assert packages == "['stories', 'text']"
    assert trafilatura == "False"
