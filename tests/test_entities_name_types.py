"""The name typer: the type of a name the rules found and no model typed, from its words, the
words around it and whether it is a town's name."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from newsdesk.enrich.entities.fallback import CAPITALISED
from newsdesk.enrich.entities.model import ORG, OTHER, PERSON, PLACE, SOURCE_FALLBACK, Mention
from newsdesk.enrich.entities.name_types import (
    CLASSES,
    FEATURES,
    TYPED,
    NameTyper,
    features,
    shipped_typer,
    with_types,
    without_no_names,
)
from newsdesk.enrich.entities.training.name_types import examples, train_typer


def _run(text: str, name: str) -> Mention:
    start = text.index(name)
    return Mention(name, start, start + len(name), OTHER, SOURCE_FALLBACK, 0.3, CAPITALISED)


def _typer_for(label: str) -> NameTyper:
    """A typer that always answers ``label``, at about 0.9."""
    intercepts = np.array([3.0 if c == label else 0.0 for c in CLASSES], np.float32)
    return NameTyper(CLASSES, np.zeros((len(CLASSES), FEATURES), np.float32), intercepts)


def test_every_span_gets_one_row_and_a_word_that_is_no_whole_piece_still_gets_a_vector() -> None:
    text = "Ayer habló Xochiquetzal Brannigan en Zaragoza."
    spans = [
        (text.index("Xochiquetzal Brannigan"), text.index(" en")),
        (text.index("Zaragoza"), len(text) - 1),
    ]
    rows = features(text, spans)
    assert rows.shape == (2, FEATURES)
    assert np.abs(rows[0, :64]).sum() > 0  # the mean of its pieces' vectors
    assert rows[1, -3] > 0.5  # Zaragoza is a town of some 700,000 people
    assert rows[0, -3] == 0


def test_an_untyped_run_takes_the_typers_type_and_is_marked_typed() -> None:
    text = "Los vecinos de Valdeflores protestaron."
    [typed] = with_types(text, [_run(text, "Valdeflores")], CAPITALISED, _typer_for("LOC"))
    assert (typed.type, typed.label) == (PLACE, TYPED)


def test_the_typer_leaves_what_it_is_unsure_of_what_is_typed_and_what_is_not_latin() -> None:
    text = "Сказал Іваненко, а Lucía Ortega y Pedro Ruiz callaron."
    unsure = NameTyper(
        CLASSES, np.zeros((len(CLASSES), FEATURES), np.float32), np.zeros(len(CLASSES), np.float32)
    )
    mentions = [_run(text, "Іваненко"), _run(text, "Lucía Ortega")]
    assert with_types(text, mentions, CAPITALISED, unsure) == mentions  # 0.2 each: no type
    person = Mention("Pedro Ruiz", text.index("Pedro"), text.index(" callaron"), PERSON, "spacy", 0.85, "PER")
    typed = with_types(text, [*mentions, person], CAPITALISED, _typer_for("LOC"))
    assert [m.type for m in typed] == [OTHER, PLACE, PERSON]  # Cyrillic stays, a model's type stays
    assert with_types(text, mentions, CAPITALISED, _typer_for("NONE")) == mentions


@pytest.mark.parametrize(
    ("text", "name", "type_"),
    [
        ("El equipo jugará el domingo en Valladolid ante su afición.", "Valladolid", PLACE),
        (
            "—No lo aceptaremos —declaró Ernesto Villalobos Quintana a la prensa.",
            "Ernesto Villalobos Quintana",
            PERSON,
        ),
    ],
)
def test_the_shipped_typer_reads_a_town_and_a_speaker(text: str, name: str, type_: str) -> None:
    [typed] = with_types(text, [_run(text, name)], CAPITALISED, shipped_typer())
    assert typed.type == type_


def _write(path: Path, records: list[dict]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")
    return path


def _record(
    text: str, entities: list[tuple[str, str]], labels: tuple[str, ...] = ("PER", "ORG", "LOC")
) -> dict:
    found = [{"start": text.index(n), "end": text.index(n) + len(n), "label": label} for n, label in entities]
    return {"text": text, "lang": "en", "source": "toy", "entities": found, "label_set": list(labels)}


def test_examples_are_the_gold_names_and_the_capitalised_runs_of_no_name(tmp_path: Path) -> None:
    records = [
        _record(
            "Yesterday Maria Olsen visited the Museum Quarter in Brondby.",
            [("Maria Olsen", "PER"), ("Brondby", "LOC")],
        ),
        _record("The Tour de Brondby is held in May.", [("Tour de Brondby", "MISC")]),  # MISC not annotated
    ]
    rows, classes = examples(records)
    assert rows.shape == (len(classes), FEATURES)
    assert classes[:2] == ["PER", "LOC"]
    assert "NONE" in classes  # "Museum Quarter" and the unannotated "Tour de Brondby"
    assert "MISC" not in classes
    assert examples(records, {"toy": 0})[1] == []


def test_a_trained_typer_is_saved_and_loaded_as_it_was(tmp_path: Path) -> None:
    people = ["Maria Olsen", "Jonas Berg", "Ana Lima", "Piet Smit"]
    towns = ["Brondby", "Oslo", "Lyon", "Gent"]
    records = [
        _record(f"{p} said it in {t} on Monday.", [(p, "PER"), (t, "LOC")]) for p in people for t in towns
    ]
    data = _write(tmp_path / "toy.jsonl.gz", records)
    typer, classes = train_typer([data])
    assert set(typer.classes) <= set(CLASSES)
    assert len(classes) == 32
    typer.save(tmp_path / "types.npz")
    loaded = NameTyper.load(tmp_path / "types.npz")
    rows = features("Erik Dahl said it in Bergen on Monday.", [(0, 9), (22, 28)])
    assert np.allclose(loaded.probabilities(rows), typer.probabilities(rows))
    assert [loaded.classes[i] for i in loaded.probabilities(rows).argmax(axis=1)] == ["PER", "LOC"]


def test_a_typer_of_another_version_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "old.npz"
    NameTyper(CLASSES, np.zeros((5, 10), np.float32), np.zeros(5, np.float32)).save(path)
    with pytest.raises(ValueError, match="old.npz"):
        NameTyper.load(path)


def test_an_acronym_in_running_text_is_some_name_but_a_headline_word_may_be_none() -> None:
    leaning = NameTyper(
        CLASSES,
        np.zeros((len(CLASSES), FEATURES), np.float32),
        np.array([0.0, 1.5, 0.0, 0.0, 3.0], np.float32),  # NONE first, ORG next
    )
    text = "Según el PP, la ley no pasará. FINAL DE LIGA EN MADRID"
    acronym, headline = _run(text, "PP"), _run(text, "FINAL")
    typed = with_types(text, [acronym, headline], CAPITALISED, leaning)
    assert [(m.text, m.type) for m in typed] == [("PP", ORG), ("FINAL", OTHER)]


def test_a_cyrillic_acronym_is_typed_as_a_latin_one_but_no_other_cyrillic_run() -> None:
    text = "Штраф наклав АМКУ, повідомив Іваненко."
    typed = with_types(text, [_run(text, "АМКУ"), _run(text, "Іваненко")], CAPITALISED, _typer_for("ORG"))
    assert [m.type for m in typed] == [ORG, OTHER]


def test_runs_the_typer_holds_no_name_are_dropped_but_one_word_and_acronyms_stay() -> None:
    text = "Eine Menge Romantik und die CDU. Der Verein Atlasz Egyesület half. Mitternacht kam."
    runs = [_run(text, name) for name in ("Menge Romantik", "CDU", "Verein Atlasz Egyesület", "Mitternacht")]
    kept = without_no_names(text, runs, CAPITALISED, _typer_for("NONE"))
    assert [m.text for m in kept] == ["CDU", "Mitternacht"]  # an acronym is some name; one word is kept
    assert without_no_names(text, runs, CAPITALISED, _typer_for("ORG")) == runs
    typed = [replace(runs[0], label=TYPED)]
    assert without_no_names(text, typed, CAPITALISED, _typer_for("NONE")) == typed  # the rules' runs only


def test_the_shipped_typer_holds_german_nouns_run_together_no_name() -> None:
    text = "Er sagte, es gebe eine Menge Romantik in der Stadt, und Jens Müller stimmte zu."
    runs = [_run(text, "Menge Romantik"), _run(text, "Jens Müller")]
    assert [m.text for m in without_no_names(text, runs, CAPITALISED)] == ["Jens Müller"]
