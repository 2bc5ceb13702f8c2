"""Quote extraction scoring: brat and SpkAtt reading, the metrics on hand-made data, PolNeAR dev targets."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli.main import app
from newsdesk.enrich.quotes import Quote
from newsdesk.evaluation.quotes import (
    GoldAttribution,
    detect_format,
    evaluate_quotes,
    load_polnear,
    parse_ann,
    prf,
    score_document,
    summarise,
)
from newsdesk.evaluation.spkatt import load_spkatt, parse_speech
from tests.support import require_shared

TEXT = (
    'Ushakov told reporters the talks were useful. "We will meet again," he said.\n'
    "Markets fell, according to analysts.\n"
)


def span(fragment: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def write_ann(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


ANN = write_ann(
    [
        "T1\tSource {} {}\tUshakov".format(*span("Ushakov")),
        "T2\tCue {} {}\ttold".format(*span("told")),
        "T3\tContent {} {}\tthe talks were useful".format(*span("the talks were useful")),
        "T4\tAttribution {} {}\ttold".format(*span("told")),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        'T5\tContent {} {}\t"We will meet again,"'.format(*span('"We will meet again,"')),
        "T6\tSource {} {}\the".format(*span("he said")[:1], span("he said")[0] + 2),
        "T7\tCue {} {}\tsaid".format(*span("said")),
        "T8\tAttribution {} {}\tsaid".format(*span("said")),
        "E2\tAttribution:T8 Content:T5 Cue:T7 Source:T6",
        "T9\tContent {} {}\tMarkets fell".format(*span("Markets fell")),
        "T10\tCue {} {}\taccording to".format(*span("according to")),
        "T11\tAttribution-no-source {} {}\taccording to".format(*span("according to")),
        "E3\tAttribution-no-source:T11 Content:T9 Cue:T10",
        "T12\tDiscard 0 3\tUsh",
        "#1\tAnnotatorNotes T1\ta note",
    ]
)


def make_folder(root: Path) -> Path:
    """A PolNeAR-shaped folder with one dev article (annotated twice) and one train article."""
    for split in ("dev", "train"):
        (root / split / "text").mkdir(parents=True)
        (root / split / "attributions").mkdir(parents=True)
    (root / "dev" / "text" / "a.txt").write_text(TEXT, encoding="utf-8")
    (root / "dev" / "attributions" / "a_1111.ann").write_text(ANN, encoding="utf-8")
    (root / "dev" / "attributions" / "a_2222.ann").write_text("", encoding="utf-8")
    (root / "train" / "text" / "b.txt").write_text("Nothing attributed here.\n", encoding="utf-8")
    (root / "train" / "attributions" / "b_1111.ann").write_text("", encoding="utf-8")
    return root


def test_parse_ann_reads_relations_and_discontinuous_spans() -> None:
    attributions = parse_ann(ANN)
    assert len(attributions) == 3
    first, second, third = attributions
    assert first.content == [span("the talks were useful")] and first.source == [span("Ushakov")]
    assert second.cue == [span("said")]
    assert third.source == []
    split = parse_ann(
        "T1\tContent 0 5;10 20\tx\nT2\tCue 6 9\tsaid\nE1\tAttribution-no-source:T2 Content:T1 Cue:T2\n"
    )
    assert split[0].content == [(0, 5), (10, 20)]
    assert parse_ann("T1\tCue 0 4\tsaid\nE1\tAttribution:T1 Cue:T1\n") == []


def test_load_polnear_takes_the_first_annotator(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    documents = load_polnear(folder, "dev")
    assert [d.name for d in documents] == ["a"]
    assert len(documents[0].attributions) == 3
    with pytest.raises(FileNotFoundError):
        load_polnear(folder, "test")


def test_perfect_predictions_score_one() -> None:
    gold = parse_ann(ANN)
    he = span("he said")[0]
    predicted = [
        Quote(
            "the talks were useful", *span("the talks were useful"), "Yuri Ushakov", *span("Ushakov"), "told"
        ),
        Quote("We will meet again", *span("We will meet again"), "Yuri Ushakov", he, he + 2, "said", True),
        Quote("Markets fell", *span("Markets fell"), None, None, None, "according to"),
    ]
    result = summarise(score_document(TEXT, gold, predicted))
    for key in ("content_exact", "content_overlap", "speaker"):
        assert result[key] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}, key
    assert result["counts"]["matched"] == 3


def test_partial_and_wrong_predictions() -> None:
    gold = parse_ann(ANN)
    predicted = [
        # content too long by two tokens ("told reporters"), speaker right by name only
        Quote(
            "told reporters the talks were useful", span("told reporters")[0], span("useful")[1], "Ushakov"
        ),
        # right content, wrong speaker
        Quote("We will meet again", *span("We will meet again"), "Analysts", *span("analysts"), "said", True),
        # a quote where there is none
        Quote("Nothing", *span("according to"), None),
    ]
    result = summarise(score_document(TEXT, gold, predicted))
    counts = result["counts"]
    assert counts["exact_pred"] == 1 and counts["exact_gold"] == 1
    assert result["content_exact"]["precision"] == pytest.approx(1 / 3)
    assert result["content_exact"]["recall"] == pytest.approx(1 / 3)
    # gold tokens: 4 + 4 + 2 = 10; predicted: 6 + 4 + 2 ("according to") = 12; shared: 4 + 4 = 8
    assert (counts["gold_tokens"], counts["pred_tokens"], counts["shared_tokens"]) == (10, 12, 8)
    assert result["content_overlap"] == pytest.approx(prf(8, 12, 10))
    # matched: the first two; speakers: 1 right (name shares "Ushakov") out of 2 predicted, 2 gold sources
    assert counts["matched"] == 2
    assert result["speaker"] == pytest.approx(prf(1, 2, 2))
    assert result["speaker_end_to_end"] == pytest.approx(prf(1, 2, 2))


def test_no_prediction_scores_zero_without_dividing_by_zero() -> None:
    result = summarise(score_document(TEXT, parse_ann(ANN), []))
    assert result["content_overlap"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert result["counts"]["gold"] == 3


def test_evaluate_quotes_runs_the_extractor(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    result = evaluate_quotes(folder, "dev")
    assert result["documents"] == 1 and result["split"] == "dev"
    assert result["content_overlap"]["recall"] > 0.5
    assert result["speaker"]["f1"] > 0.5
    empty = evaluate_quotes(folder, "train", extractor=lambda text: [])
    assert empty["counts"]["gold"] == 0 and empty["content_overlap"]["f1"] == 0.0


def test_cli_eval_quotes(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "quotes", str(folder), "--split", "dev", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"content_exact", "content_overlap", "speaker", "counts"}
    text = runner.invoke(app, ["eval", "quotes", str(folder), "--split", "train"])
    assert text.exit_code == 0 and "content_overlap" in text.output
    bad = runner.invoke(app, ["eval", "quotes", str(folder), "--split", "test"])
    assert bad.exit_code != 0


def test_gold_attribution_defaults() -> None:
    assert GoldAttribution(content=[(0, 1)]).source == []


@pytest.mark.slow
def test_polnear_dev_meets_targets() -> None:
    folder = require_shared("data", "polnear")
    result = evaluate_quotes(folder, "dev")
    assert result["documents"] == 84
    assert result["content_overlap"]["f1"] >= 0.80
    assert result["speaker"]["f1"] >= 0.85
    assert result["articles_per_second"] >= 25


# --- SpkAtt-de (German Bundestag speeches, JSON Lines) --------------------------------------------

SPEECH = "Der Minister sagte , die Lage sei ernst . Das glaube ich nicht . Das Gesetz wurde beschlossen ."


def role(fragment: str) -> list[dict]:
    start, end = span(fragment, SPEECH)
    return [{"start": start, "end": end, "text": fragment}]


def event(cue: str, source: str | None = None, message: str | None = None) -> dict:
    empty: list[dict] = []
    return {
        "addr": empty,
        "evidence": empty,
        "medium": empty,
        "message": role(message) if message else empty,
        "source": role(source) if source else empty,
        "topic": empty,
        "cue": role(cue),
        "ptc": empty,
    }


RECORD = {
    "id": "spkatt-dev-1",
    "lang": "de",
    "source": "spkatt2023",
    "doc_id": "1",
    "text": SPEECH,
    "tokens": SPEECH.split(),
    "quotes": [
        event("sagte", "Der Minister", "die Lage sei ernst"),
        event("glaube", "ich", "Das"),
        event("Gesetz"),  # a cue without a message: skipped
    ],
}


def write_spkatt(path: Path) -> Path:
    line = json.dumps(RECORD, ensure_ascii=False) + "\n"
    if path.name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(line)
    else:
        path.write_text(line, encoding="utf-8")
    return path


def test_parse_speech_keeps_events_with_a_message() -> None:
    document = parse_speech(RECORD)
    assert document.name == "spkatt-dev-1" and document.text == SPEECH
    assert len(document.attributions) == 2
    first, second = document.attributions
    assert first.content == [span("die Lage sei ernst", SPEECH)]
    assert first.source == [span("Der Minister", SPEECH)] and first.cue == [span("sagte", SPEECH)]
    assert second.source == [span("ich", SPEECH)]


def test_spkatt_scored_with_the_polnear_metrics(tmp_path: Path) -> None:
    file = write_spkatt(tmp_path / "dev.jsonl")
    assert detect_format(file) == "spkatt" and detect_format(make_folder(tmp_path / "polnear")) == "polnear"
    predicted = [
        # exact content, speaker right by name
        Quote("die Lage sei ernst", *span("die Lage sei ernst", SPEECH), "Minister", None, None, "sagte"),
        # four tokens around the one-token gold "Das" (matched: 1 >= half of 1), no speaker
        Quote("Das glaube ich nicht", *span("Das glaube ich nicht", SPEECH), None),
    ]
    result = evaluate_quotes(file, extractor=lambda text: predicted if text == SPEECH else [])
    assert (result["corpus"], result["language"], result["split"], result["documents"]) == (
        "SpkAtt-de",
        "de",
        "dev",
        1,
    )
    counts = result["counts"]
    assert (counts["gold"], counts["predicted"], counts["matched"]) == (2, 2, 2)
    # exact: 1 of 2 predictions, 1 of 2 gold messages
    assert result["content_exact"] == pytest.approx({"precision": 0.5, "recall": 0.5, "f1": 0.5})
    # gold tokens 4 + 1 = 5; predicted 4 + 4 = 8; shared 4 + 1 = 5: P 5/8, R 1, F1 10/13
    assert (counts["gold_tokens"], counts["pred_tokens"], counts["shared_tokens"]) == (5, 8, 5)
    assert result["content_overlap"] == pytest.approx({"precision": 5 / 8, "recall": 1.0, "f1": 10 / 13})
    # speakers: 1 right of 1 predicted on matched pairs, of 2 gold sources: P 1, R 1/2, F1 2/3
    assert result["speaker"] == pytest.approx({"precision": 1.0, "recall": 0.5, "f1": 2 / 3})


def test_cli_eval_quotes_reads_spkatt(tmp_path: Path) -> None:
    write_spkatt(tmp_path / "dev.jsonl.gz")
    write_spkatt(tmp_path / "train.jsonl")
    assert len(load_spkatt(tmp_path, "train")) == 1
    runner = CliRunner()
    for args in ([str(tmp_path / "dev.jsonl.gz")], [str(tmp_path), "--split", "train", "--format", "spkatt"]):
        result = runner.invoke(app, ["eval", "quotes", *args, "--json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert set(data) >= {"content_exact", "content_overlap", "speaker", "counts"}
        assert data["language"] == "de" and data["counts"]["gold"] == 2
    text = runner.invoke(app, ["eval", "quotes", str(tmp_path / "train.jsonl")])
    assert text.exit_code == 0 and "SpkAtt-de train" in text.output
    assert runner.invoke(app, ["eval", "quotes", str(tmp_path), "--format", "polnear"]).exit_code != 0
    assert runner.invoke(app, ["eval", "quotes", str(tmp_path), "--format", "brat"]).exit_code != 0


@pytest.mark.slow
def test_spkatt_dev_meets_targets() -> None:
    folder = require_shared("data", "spkatt-de")
    result = evaluate_quotes(folder, "dev")
    assert (result["corpus"], result["language"], result["documents"]) == ("SpkAtt-de", "de", 18)
    assert result["counts"]["gold"] == 254
    assert result["content_overlap"]["f1"] >= 0.70
    assert result["speaker"]["f1"] >= 0.80
