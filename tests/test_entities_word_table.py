"""The table of E5 vectors for every word a pipeline reads (``spacy_vectors.WordVectors``)."""

from __future__ import annotations

import numpy as np
import pytest
import spacy

from newsdesk.enrich.entities import spacy_vectors
from newsdesk.enrich.entities.spacy_vectors import WordVectors
from newsdesk.enrich.entities.word_vectors import word_vector


def test_every_word_reads_its_vector_whole_piece_or_mean_of_pieces() -> None:
    nlp = spacy.blank("de")
    nlp.vocab.vectors = WordVectors(strings=nlp.vocab.strings)
    doc = nlp.make_doc("Die Maravische Nationalbank senkte den Leitzins .")
    keys = [token.orth for token in doc]
    batch = nlp.vocab.vectors.get_batch(np.asarray(keys, dtype="uint64"))
    assert batch.shape == (len(doc), 64)
    for token, row in zip(doc, batch, strict=True):
        assert np.allclose(row, word_vector(token.text)[0], atol=1e-6), token.text
    assert np.linalg.norm(batch[1]) == pytest.approx(1.0, abs=1e-3)  # Maravische: no whole piece
    assert len(nlp.vocab.vectors) == len(set(keys))  # kept once each
    assert not nlp.vocab.vectors.get_batch([12345]).any()  # a key of no known string: zeros


def test_the_table_starts_again_when_full_and_gives_the_same_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spacy_vectors, "MAX_ROWS", 7)
    monkeypatch.setattr(spacy_vectors, "_FIRST_ROWS", 2)  # grown to 4, then to 7 (not 8)
    nlp = spacy.blank("en")
    table = WordVectors(strings=nlp.vocab.strings)
    words = ["Putin", "Kremlin", "Witkoff", "Ushakov", "talks", "Moscow"]
    keys = [nlp.vocab.strings.add(w) for w in words]
    first = table.get_batch(keys)
    again = table.get_batch(keys)  # 1 + 6 + 6 rows would pass 7: the table starts again
    assert len(table) == len(words) and np.array_equal(first, again)
    assert len(table._data) == 7  # never grown past MAX_ROWS
