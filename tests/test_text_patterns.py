"""A word list as one regular expression: the same matches as the list sorted longest first."""

from __future__ import annotations

import re

import pytest

from newsdesk.text.patterns import trie_alternation

WORDS = [
    "say",
    "says",
    "said",
    "saying",
    "s",
    "tell",
    "told",
    "a.b",
    "(x)",
    "nach Angaben",
    "Ängste",
    "äußerte",
]
TEXT = (
    "He says so; she said it, saying that a.b and (x) told s. Nach  Angaben sayings äußerte Ängste, "
    "nach Angaben: say."
)


def _flat(words: list[str], space: str) -> str:
    return "|".join(re.escape(w).replace(r"\ ", space) for w in sorted(set(words), key=len, reverse=True))


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_the_tree_matches_what_the_sorted_list_matches(flags: int) -> None:
    for around in ("{}", r"(?<![\w-])(?:{})(?![\w-])"):
        tree = re.compile(around.format(trie_alternation(WORDS)), flags)
        flat = re.compile(around.format(_flat(WORDS, re.escape(" "))), flags)
        assert [m.span() for m in tree.finditer(TEXT)] == [m.span() for m in flat.finditer(TEXT)]
        assert tree.search(TEXT)


def test_a_longer_form_is_tried_before_its_beginning() -> None:
    assert re.match(trie_alternation(["say", "saying", "says"]), "saying").group() == "saying"
    assert re.fullmatch(trie_alternation(["ab", "abc"]), "ab")
    assert not re.fullmatch(trie_alternation(["ab", "abc"]), "abd")


def test_spaces_match_any_white_space_only_when_asked() -> None:
    assert re.search(trie_alternation(["nach Angaben"], any_space=True), "nach\n  Angaben")
    assert not re.search(trie_alternation(["nach Angaben"]), "nach\n  Angaben")
    assert re.search(trie_alternation(["nach Angaben"]), "nach Angaben")


def test_no_forms_give_an_empty_pattern() -> None:
    assert trie_alternation([]) == ""


def test_forms_nesting_too_deeply_are_listed_one_by_one() -> None:
    forms = [" ".join(["Kyiv"] * n) for n in range(1, 400)]
    pattern = re.compile(r"(?<![\w-])(?:" + trie_alternation(forms) + r")(?!\w)")
    assert pattern.match("Kyiv Kyiv Kyiv.").group() == "Kyiv Kyiv Kyiv"
