"""The NER's batch decoder and its numpy matrix products give what spaCy's own decoding gives."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from newsdesk.enrich.entities import ner_decoder
from newsdesk.enrich.entities.blas_ops import OPS, NumpyBlasOps
from newsdesk.enrich.entities.spacy_ner import load_spacy, spacy_mentions

PIPELINES = ["newsdesk-en", "newsdesk-de", "newsdesk-fr", "newsdesk-xx", "fr_core_news_sm"]
TEXTS = [
    "",
    "Paris",
    "   ",
    "Angela Merkel met Emmanuel Macron in Berlin on Monday.",
    "The National Bank of Maravia said on Tuesday that its governor, Elena Triavna, would resign.\n\n"
    "Reuters reported that the European Central Bank and the IMF disagreed.",
    "Le président Emmanuel Macron a reçu Olaf Scholz à l’Élysée, selon l’Agence France-Presse.",
    "Bundeskanzler Friedrich Merz sprach in Brüssel mit Ursula von der Leyen über die NATO.",
    "El Banco Nacional de Maravia y el Gobierno de España firmaron un acuerdo en Madrid.",
    "Президент Володимир Зеленський зустрівся з Дональдом Трампом у Вашингтоні.",
    "New York\nLondon\n\n\nTokyo  and   Washington D.C. — NASA, UNESCO and the World Health Organization",
]


def _spacy_entities(nlp: object, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    return [[(e.start, e.end, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", PIPELINES)
def test_the_decoder_finds_what_spacy_finds(name: str) -> None:
    nlp = load_spacy(name)
    assert nlp is not None and ner_decoder.supports(nlp)
    docs = [nlp.make_doc(text) for text in TEXTS]
    decoded = ner_decoder.entities(nlp, docs)
    assert decoded == _spacy_entities(nlp, TEXTS)
    assert any(decoded)  # the texts have names: an empty decoder would not pass


def test_the_decoder_finds_what_spacy_finds_on_the_ner_dev_sentences(shared_data: Path) -> None:
    for name, lang in [("newsdesk-en", "en"), ("newsdesk-de", "de"), ("newsdesk-xx", "es")]:
        with gzip.open(shared_data / "ner" / lang / "dev.jsonl.gz", "rt", encoding="utf-8") as lines:
            texts = [json.loads(line)["text"] for _, line in zip(range(300), lines, strict=False)]
        nlp = load_spacy(name)
        decoded = [found for _, found in ner_decoder.decoded_texts(nlp, texts)]
        assert decoded == _spacy_entities(nlp, texts), name


def test_mentions_come_from_the_decoder_with_spacys_offsets_and_labels() -> None:
    nlp = load_spacy("newsdesk-en")
    text = TEXTS[4]
    mentions = next(spacy_mentions(nlp, [text]))
    expected = [
        (e.start_char, e.end_char, e.label_) for e in nlp(text).ents if e.label_ in {"ORG", "PERSON", "GPE"}
    ]
    assert [(m.start, m.end, m.label) for m in mentions] == expected
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_pipelines_of_another_shape_keep_spacys_decoding() -> None:
    import spacy

    blank = spacy.blank("en")
    assert not ner_decoder.supports(blank)
    blank.add_pipe("ner")
    blank.add_pipe("sentencizer")
    assert not ner_decoder.supports(blank)  # NER is not the only component


@pytest.mark.parametrize("trans1", [False, True])
@pytest.mark.parametrize("trans2", [False, True])
def test_numpy_products_are_the_products(trans1: bool, trans2: bool) -> None:
    rng = np.random.default_rng(3)
    x = rng.standard_normal((7, 5), dtype=np.float32)
    y = rng.standard_normal((5, 4), dtype=np.float32)
    a = np.ascontiguousarray(x.T) if trans1 else x
    b = np.ascontiguousarray(y.T) if trans2 else y
    expected = x.astype(np.float64) @ y.astype(np.float64)
    got = OPS.gemm(a, b, trans1=trans1, trans2=trans2)
    assert np.allclose(got, expected, atol=1e-5)
    out = np.zeros((8, 4), dtype=np.float32)
    returned = OPS.gemm(a, b, out=out[1:], trans1=trans1, trans2=trans2)
    assert np.allclose(out[1:], expected, atol=1e-5) and not out[0].any()
    assert np.shares_memory(returned, out)


def test_loaded_pipelines_multiply_with_numpy() -> None:
    nlp = load_spacy("newsdesk-en")
    assert all(isinstance(node.ops, NumpyBlasOps) for node in nlp.get_pipe("ner").model.walk())
