"""newsdesk's own annotated quote sets (French, Spanish, Russian, Ukrainian): the reader, the
``--format newsdesk`` evaluation, and speaker F1 floors per language and part."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli.main import app
from newsdesk.enrich.quotes import Quote
from newsdesk.evaluation.quotes import detect_format, evaluate_quotes, score_document, summarise
from newsdesk.evaluation.quotesets import is_quoteset, load_quoteset, parse_article

SETS = Path(__file__).parent / "data" / "quotes"
TEXT = "Anne Roy est arrivée. « Tout va bien », a-t-elle dit. Selon un témoin, rien n’a brûlé."


def at(fragment: str) -> dict:
    start = TEXT.index(fragment)
    return {"start": start, "end": start + len(fragment), "text": fragment}


RECORD = {
    "id": "fr-x",
    "lang": "fr",
    "split": "dev",
    "text": TEXT,
    "quotes": [
        {"content": [at("Tout va bien")], "cue": [at("a-t-elle dit")], "speaker": at("elle"),
         "refers_to": at("Anne Roy")},
        {"content": [at("rien n’a brûlé")], "cue": [at("Selon")], "speaker": at("un témoin"),
         "refers_to": None},
        {"content": [], "cue": [], "speaker": None, "refers_to": None},
    ],
}  # fmt: skip


def write_set(folder: Path, records: list[dict]) -> Path:
    path = folder / "fr.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def test_parse_article_takes_the_referent_as_source() -> None:
    doc = parse_article(RECORD)
    assert len(doc.attributions) == 2  # the quote without content is skipped
    pronoun, anonymous = doc.attributions
    assert pronoun.source == [(0, 8)]  # "Anne Roy", not "elle"
    assert anonymous.source == [(TEXT.index("un témoin"), TEXT.index("un témoin") + 9)]
    assert pronoun.cue == [(TEXT.index("a-t-elle dit"), TEXT.index("a-t-elle dit") + 12)]


def test_a_pronoun_counts_only_when_resolved_to_the_right_person() -> None:
    doc = parse_article(RECORD)
    quote = TEXT.index("Tout va bien")
    elle = TEXT.index("elle dit")
    right = Quote("Tout va bien", quote, quote + 12, "Anne Roy", elle, elle + 4, "a-t-elle dit", True)
    wrong = Quote("Tout va bien", quote, quote + 12, "Marie Dupont", elle, elle + 4, "a-t-elle dit", True)
    assert summarise(score_document(TEXT, doc.attributions[:1], [right]))["speaker"]["f1"] == 1.0
    assert summarise(score_document(TEXT, doc.attributions[:1], [wrong]))["speaker"]["f1"] == 0.0


def test_load_and_detect(tmp_path: Path) -> None:
    other = dict(RECORD, id="fr-y", split="test")
    path = write_set(tmp_path, [RECORD, other])
    assert is_quoteset(path) and detect_format(path) == "newsdesk"
    assert [d.name for d in load_quoteset(path, "dev")[0]] == ["fr-x"]
    assert [d.name for d in load_quoteset(path, "test")[0]] == ["fr-y"]
    documents, language = load_quoteset(path, "all")
    assert len(documents) == 2 and language == "fr"
    with pytest.raises(ValueError):
        load_quoteset(path, "train")
    mixed = write_set(tmp_path, [RECORD, dict(RECORD, lang="es")])
    with pytest.raises(ValueError):
        load_quoteset(mixed, "all")
    assert not is_quoteset(tmp_path)


def test_cli_eval_quotes_reads_own_sets(tmp_path: Path) -> None:
    path = write_set(tmp_path, [RECORD])
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "quotes", str(path), "--split", "dev", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["corpus"] == "newsdesk-fr" and data["language"] == "fr" and data["documents"] == 1
    assert set(data) >= {"content_exact", "content_overlap", "speaker", "speaker_end_to_end", "counts"}
    forced = runner.invoke(app, ["eval", "quotes", str(path), "--format", "newsdesk", "--split", "all"])
    assert forced.exit_code == 0 and "newsdesk-fr all" in forced.output
    bad = runner.invoke(app, ["eval", "quotes", str(path), "--split", "train"])
    assert bad.exit_code != 0


def test_own_sets_are_consistent() -> None:
    """Every span's text is the article's text there; both parts are there; at least 40 quotes."""
    for lang in ("fr", "es", "ru", "uk"):
        path = SETS / f"{lang}.jsonl"
        records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        assert {r["split"] for r in records} == {"dev", "test"} and {r["lang"] for r in records} == {lang}
        assert sum(len(r["quotes"]) for r in records) >= 40, lang
        for r in records:
            for q in r["quotes"]:
                spans = q["content"] + q["cue"] + [s for s in (q["speaker"], q["refers_to"]) if s]
                for s in spans:
                    assert r["text"][s["start"] : s["end"]] == s["text"], (r["id"], s)


# Speaker F1 measured on each part (docs/evaluation-quotes.md); a regression of more than
# MARGIN (two more errors on a dev part, one or two on a test part) fails. ``dev`` was looked at
# while developing the rules, ``test`` was not.
SPEAKER_F1 = {
    ("fr", "dev"): 1.000,
    ("fr", "test"): 0.947,
    ("es", "dev"): 1.000,
    ("es", "test"): 0.905,
    ("ru", "dev"): 1.000,
    ("ru", "test"): 0.952,
    ("uk", "dev"): 1.000,
    ("uk", "test"): 1.000,
}
MARGIN = 0.05


@pytest.mark.parametrize(("lang", "part"), sorted(SPEAKER_F1))
def test_own_set_speaker_f1(lang: str, part: str) -> None:
    result = evaluate_quotes(SETS / f"{lang}.jsonl", part)
    assert result["corpus"] == f"newsdesk-{lang}" and result["language"] == lang
    assert result["speaker"]["f1"] >= SPEAKER_F1[lang, part] - MARGIN, result["speaker"]
