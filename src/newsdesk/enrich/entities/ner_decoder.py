"""spaCy's greedy entity recogniser, decoded with numpy over a whole batch at once.

A spaCy NER reads a document token by token: at each token a small network scores the moves of
its BILUO transition system (begin, inside, last, unit, out, per label) from three context
tokens (the next one, the start of the open entity, the one before), and the best valid move is
taken. spaCy takes these steps in compiled code that, as built for spaCy 3.8, takes and drops
Python's lock several times per move it checks: on news leads that was about half the
recogniser's time. This module takes the same steps with the pipeline's own weights, one step
for all documents of a batch at once: the same network (the token vectors and their
precomputed contributions are spaCy's own layers), the same validity rules
(``spacy/pipeline/_parser_internals/ner.pyx``), the same choice (the first best valid move).

Only the last product (hidden layer to move scores) may differ from spaCy's in float rounding,
so a move scored within about 1e-6 of another could in principle go the other way; on the NER
sets' dev parts and the pipeline benchmark the entities came out identical. Pipelines of
another shape (beam search, a shared token-to-vector layer, other context features) keep
spaCy's own decoding (:func:`supports`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# The move types of spaCy's NER transition system, by the first letter of a move's name.
_BEGIN, _IN, _LAST, _UNIT, _OUT = range(5)
_ACTIONS = {"B": _BEGIN, "I": _IN, "L": _LAST, "U": _UNIT, "O": _OUT}


@dataclass(frozen=True)
class _Moves:
    """The moves of one NER: each one's type and label (0 for none), and the label names."""

    action: np.ndarray
    label: np.ndarray
    names: tuple[str, ...]
    unseen: np.ndarray


def supports(nlp: Any) -> bool:
    """Whether the pipeline's NER can be decoded here: NER alone, greedy, with its own
    token-to-vector layer, three context tokens, maxout hidden units and an output layer."""
    if list(getattr(nlp, "pipe_names", ())) != ["ner"]:
        return False
    ner = nlp.get_pipe("ner")
    model = getattr(ner, "model", None)
    try:
        return (
            type(ner).__name__ == "EntityRecognizer"
            and ner.cfg.get("beam_width", 1) == 1
            and model.attrs.get("has_upper") is True
            and len(model.layers) == 3
            and model.layers[1].name == "precomputable_affine"
            and model.layers[1].get_dim("nF") == 3
            and model.layers[1].get_dim("nP") >= 2
            and all(layer.name != "tok2vec-listener" for layer in model.walk())
        )
    except (AttributeError, KeyError, ValueError):
        return False


def _moves(ner: Any) -> _Moves:
    names: list[str] = [""]
    action, label = [], []
    for i in range(ner.moves.n_moves):
        move, _, name = ner.moves.get_class_name(i).partition("-")
        action.append(_ACTIONS[move[0]])
        if not name:
            label.append(0)
        else:
            if name not in names:
                names.append(name)
            label.append(names.index(name))
    unseen = np.zeros(len(action), dtype=bool)
    unseen[sorted(ner.model.attrs.get("unseen_classes") or ())] = True
    return _Moves(np.array(action), np.array(label), tuple(names), unseen)


def entities(nlp: Any, docs: Sequence[Any]) -> list[list[tuple[int, int, str]]]:
    """The entities the pipeline's NER finds in each doc (made by its tokenizer), as
    ``(first token, end token, label)``, in order: what ``nlp.pipe`` would set as ``doc.ents``."""
    from spacy.attrs import IS_SPACE, SENT_START

    found: list[list[tuple[int, int, str]]] = [[] for _ in docs]
    lengths = np.array([len(doc) for doc in docs], dtype=np.int64)
    if not lengths.any():
        return found
    ner = nlp.get_pipe("ner")
    moves = _moves(ner)
    to_vectors, lower, upper = ner.model.layers
    present = [doc for doc in docs if len(doc)]
    # Row 0 is the padding of a missing context token; token t of the batch is row t + 1.
    rows = lower.predict(to_vectors.predict(present))
    bias = lower.get_param("b")
    weights, scores_bias = upper.get_param("W"), upper.get_param("b")
    flags = np.concatenate([doc.to_array([SENT_START, IS_SPACE]) for doc in present])
    opens_sentence, space = flags[:, 0] == 1, flags[:, 1] == 1
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])

    position = np.zeros(len(docs), dtype=np.int64)
    start = np.full(len(docs), -1, dtype=np.int64)
    open_label = np.zeros(len(docs), dtype=np.int64)
    labelled = moves.label != 0
    kind = [moves.action == k for k in range(5)]
    while True:
        active = np.flatnonzero(position < lengths)
        if not active.size:
            break
        here = offsets[active] + position[active]  # the next token, in batch rows (minus one)
        is_open = start[active] >= 0
        first = np.where(is_open, offsets[active] + start[active] + 1, 0)
        before = np.where(is_open, here, 0)  # the token before the next one, inside an entity
        unmaxed = rows[here + 1, 0] + rows[first, 1]
        unmaxed += rows[before, 2]
        unmaxed += bias
        scores = unmaxed.max(axis=2) @ weights.T
        scores += scores_bias
        if moves.unseen.any():
            scores[:, moves.unseen] = scores.min()
        two_left = lengths[active] - position[active] >= 2
        next_opens = two_left & opens_sentence[np.minimum(here + 1, len(opens_sentence) - 1)]
        on_space = space[here]
        same = moves.label[None, :] == open_label[active][:, None]
        closed = ~is_open
        valid = (
            ((closed & two_left & ~next_opens & ~on_space)[:, None] & kind[_BEGIN])
            | ((is_open & two_left & ~next_opens)[:, None] & same & kind[_IN])
            | (is_open[:, None] & same & kind[_LAST])
            | ((closed & ~on_space)[:, None] & kind[_UNIT])
        ) & labelled
        valid |= closed[:, None] & kind[_OUT]
        choice = np.where(valid, scores, -np.inf).argmax(axis=1)
        action, label = moves.action[choice], moves.label[choice]
        for k in np.flatnonzero((action == _LAST) | (action == _UNIT)):
            doc = active[k]
            begun = start[doc] if action[k] == _LAST else position[doc]
            found[doc].append((int(begun), int(position[doc]) + 1, moves.names[label[k]]))
        begins = action == _BEGIN
        start[active[begins]] = position[active[begins]]
        open_label[active[begins]] = label[begins]
        start[active[action == _LAST]] = -1
        position[active] += 1
    return found


def decoded_texts(
    nlp: Any, texts: Sequence[str], batch_size: int = 32
) -> Iterator[tuple[Any, list[tuple[int, int, str]]]]:
    """Each text made a doc by the pipeline's tokenizer, with its :func:`entities`, decoded
    ``batch_size`` texts at a time."""
    for first in range(0, len(texts), batch_size):
        docs = [nlp.make_doc(text) for text in texts[first : first + batch_size]]
        yield from zip(docs, entities(nlp, docs), strict=True)
