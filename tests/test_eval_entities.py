"""Named-entity scoring: a hand-made set with numbers worked out by hand, and a real dev set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli.main import app
from newsdesk.enrich.entities import Mention
from newsdesk.evaluation import entities as evaluation
from tests.support import require_shared


def gold(text: str, fragment: str, label: str) -> dict:
    start = text.index(fragment)
    return {"start": start, "end": start + len(fragment), "label": label, "text": fragment}


def mention(text: str, fragment: str, type_: str) -> Mention:
    start = text.index(fragment)
    return Mention(fragment, start, start + len(fragment), type_, "fallback", 0.3, "capitalised")


S1 = "Angela Merkel met Putin in Berlin ."
S2 = "The UN and NATO met ."
S3 = "Paris is big ."
RECORDS = [
    {
        "text": S1,
        "entities": [gold(S1, "Angela Merkel", "PER"), gold(S1, "Putin", "PER"), gold(S1, "Berlin", "LOC")],
        "label_set": ["PER", "ORG", "LOC", "MISC"],
    },
    {
        "text": S2,
        "entities": [gold(S2, "UN", "ORG"), gold(S2, "NATO", "ORG")],
        "label_set": ["PER", "ORG", "LOC"],
    },
    # this source annotates people only: the place is scored neither as gold nor as a prediction
    {"text": S3, "entities": [gold(S3, "Paris", "LOC")], "label_set": ["PER"]},
]
PREDICTED = {
    S1: [
        mention(S1, "Angela", "OTHER"),  # untyped, on a gold mention: not scored
        mention(S1, "Merkel", "PERSON"),  # partial hit only
        mention(S1, "Putin", "PERSON"),  # exact hit
        mention(S1, "Berlin", "ORG"),  # wrong type: a false positive, no partial hit
    ],
    S2: [
        mention(S2, "The", "PLACE"),  # a false positive
        mention(S2, "UN", "ORG"),  # exact hit
        mention(S2, "met", "OTHER"),  # untyped, on nothing
    ],
    S3: [mention(S3, "Paris", "PLACE")],
}


def fake_recognise(items, models=None, *, max_chars=2000):
    return [PREDICTED[text] for text, _language in items]


@pytest.fixture
def small_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "de"
    folder.mkdir()
    path = folder / "dev.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    monkeypatch.setattr(evaluation, "recognise", fake_recognise)
    return path


def test_scores_worked_out_by_hand(small_set: Path) -> None:
    # gold scored: Angela Merkel, Putin (PER), Berlin (LOC), UN, NATO (ORG) = 5
    # predicted scored: Merkel, Putin (PER), Berlin (ORG), UN (ORG), The (LOC) = 5
    # exact: Putin, UN = 2; partial: Merkel~Angela Merkel, Putin, UN = 3 on either side
    result = evaluation.evaluate_entities([small_set])
    assert (result["documents"], result["mentions"], result["predicted"]) == (3, 5, 5)
    assert result["exact"] == pytest.approx({"precision": 0.4, "recall": 0.4, "f1": 0.4})
    assert result["partial"] == pytest.approx({"precision": 0.6, "recall": 0.6, "f1": 0.6})
    per, org, loc = (result["by_label"][label] for label in ("PER", "ORG", "LOC"))
    assert per["exact"] == pytest.approx({"precision": 0.5, "recall": 0.5, "f1": 0.5})
    assert per["partial"] == pytest.approx({"precision": 1.0, "recall": 1.0, "f1": 1.0})
    assert org["exact"] == pytest.approx({"precision": 0.5, "recall": 0.5, "f1": 0.5})
    assert (loc["mentions"], loc["predicted"], loc["exact"]["f1"]) == (1, 1, 0.0)
    assert sorted(result["false_positives"]) == [["Berlin", 1], ["Merkel", 1], ["The", 1]]
    assert result["other"] == {"mentions": 2, "on_gold": 1}
    assert result["other_false_positives"] == [["met", 1]]


def test_language_from_folder_or_option(small_set: Path) -> None:
    assert evaluation.file_language(small_set) == "de"
    assert evaluation.file_language(small_set, "fr") == "fr"
    assert evaluation.file_language(Path("sets/dev.jsonl")) is None


def test_command_prints_json_and_text(small_set: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "entities", str(small_set), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["exact"]["precision"] == pytest.approx(0.4)
    text = runner.invoke(app, ["eval", "entities", str(small_set), "--lang", "en"])
    assert text.exit_code == 0, text.output
    assert "PER" in text.output and "false positives" in text.output


def test_command_on_a_dev_set() -> None:
    path = require_shared("data", "ner", "de", "dev.jsonl.gz")
    result = CliRunner().invoke(app, ["eval", "entities", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"documents", "mentions", "exact", "partial", "by_label", "false_positives"} <= set(data)
    assert set(data["by_label"]) == {"PER", "ORG", "LOC"}
    assert set(data["exact"]) == {"precision", "recall", "f1"}
    assert data["documents"] > 1000 and data["mentions"] > 1000
