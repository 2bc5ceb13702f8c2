"""A committee of NER pipelines: names kept where every member finds them; trained with one
``--seed`` per member and loaded through the settings as any pipeline folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli.main import app
from newsdesk.enrich.entities import ORG, PERSON, PLACE, Mention, recognise
from newsdesk.enrich.entities.committee import COMMITTEE_FILE, Committee, agreed_mentions, member_folders
from newsdesk.enrich.entities.recognise import model_origins
from newsdesk.enrich.entities.spacy_ner import load_spacy
from tests.test_entities_training import SENTENCES, record


def _mention(text: str, start: int, type_: str) -> Mention:
    return Mention(text, start, start + len(text), type_, "spacy", 0.8, type_)


def test_a_committee_keeps_only_the_names_every_member_finds_with_the_same_span_and_type() -> None:
    found = {
        "a": [
            [_mention("Angela Merkel", 0, PERSON), _mention("Berlin", 20, PLACE), _mention("Post", 30, ORG)]
        ],
        "b": [
            [
                _mention("Angela Merkel", 0, PERSON),
                _mention("Berlin", 20, ORG),
                _mention("Deutsche Post", 21, ORG),
            ]
        ],
        "c": [[_mention("Angela Merkel", 0, PERSON), _mention("Berlin", 20, PLACE)]],
    }
    agreed = list(
        agreed_mentions(Committee(["a", "b", "c"]), ["text"], lambda member, texts: iter(found[member]))
    )
    assert [m.text for m in agreed[0]] == ["Angela Merkel"]
    alone = list(agreed_mentions(Committee(["c"]), ["text"], lambda member, texts: iter(found[member])))
    assert [m.text for m in alone[0]] == ["Angela Merkel", "Berlin"]


def test_a_committee_file_without_members_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / COMMITTEE_FILE).write_text('{"members": []}', encoding="utf-8")
    with pytest.raises(ValueError, match="committee.json: no members"):
        member_folders(tmp_path)
    assert member_folders(tmp_path / "elsewhere") is None


def test_two_seeds_train_a_committee_that_loads_and_recognises(tmp_path: Path) -> None:
    data = tmp_path / "train.jsonl"
    data.write_text(
        "".join(json.dumps(record(t, t.split(), e)) + "\n" for t, e in SENTENCES * 3), encoding="utf-8"
    )
    output = tmp_path / "ner-de"
    args = ["models", "train", "--lang", "de", str(data), "--dev", str(data), "--output", str(output)]
    result = CliRunner().invoke(app, [*args, "--epochs", "2", "--seed", "1", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert json.loads((output / COMMITTEE_FILE).read_text(encoding="utf-8")) == {
        "members": ["member-1", "member-2"]
    }
    assert all((output / m / "ner" / "model").is_file() for m in ("member-1", "member-2"))
    loaded = load_spacy(str(output))
    assert isinstance(loaded, Committee) and len(loaded.members) == 2 and loaded.lang == "de"
    found = recognise([("Angela Merkel besuchte München .", "de")], {"de": str(output)}, max_chars=None)
    assert isinstance(found[0], list)
    assert ("de", str(output), f"committee of 2 pipelines {output.resolve()}") in model_origins(
        {"de": str(output)}
    )


def test_the_rules_fill_in_for_the_shipped_and_multilingual_vector_models_only() -> None:
    from types import SimpleNamespace

    from newsdesk.enrich.entities.recognise import _fills_unseen_words
    from newsdesk.enrich.entities.word_vectors import META_KEY, VECTORS

    def pipeline(lang: str, vectors: bool = True) -> SimpleNamespace:
        return SimpleNamespace(meta={META_KEY: VECTORS} if vectors else {}, lang=lang)

    assert _fills_unseen_words("newsdesk-de", pipeline("de"))
    assert _fills_unseen_words("/models/ner-xx", pipeline("xx"))
    assert not _fills_unseen_words("/models/ner-es", pipeline("es"))  # trained on its own language
    assert not _fills_unseen_words("/models/ner-xx", pipeline("xx", vectors=False))
