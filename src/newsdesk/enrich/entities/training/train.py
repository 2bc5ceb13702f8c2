"""Train a NER pipeline (``ner.cfg``) on sentences in the ``ner/`` JSON Lines format.

Blank pipelines train PER, ORG, LOC and MISC. A base pipeline (``base``) has its NER trained
further: each gold label becomes the base's own (PER → PERSON, LOC → GPE where it has those);
a gold label it lacks (MISC in OntoNotes) leaves its spans unannotated. French trains on
spaCy's language-neutral tokenizer ("xx") with apostrophes split between letters (``l'Europe``
→ ``l ' Europe``, as the French sets are tokenised): loading ``spacy.lang.fr`` costs seconds per
process, this costs nothing.
"""

from __future__ import annotations

import gzip
import json
import random
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from newsdesk.enrich.entities.tokenizer import NEUTRAL_TOKENIZER, split_apostrophes
from newsdesk.enrich.entities.training.convert import LABELS, record_doc
from newsdesk.enrich.entities.word_vectors import VECTORS, WORDS

CONFIG = Path(__file__).with_name("ner.cfg")
SEED = 20240601
# A gold label and the labels a base pipeline may have for it, in order of preference (OntoNotes
# GPE before its LOC, which is for mountains and rivers).
ALIASES = {"PER": ("PER", "PERSON"), "LOC": ("GPE", "LOC"), "ORG": ("ORG",), "MISC": ("MISC",)}
DEV_SHARE = 10  # without a dev file, every tenth training sentence is held out


def read_records(paths: Sequence[Path]) -> Iterator[dict]:
    """The records of JSON Lines files (gzipped or not)."""
    for path in paths:
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    yield json.loads(line)


def label_map(base_labels: Sequence[str] | None) -> dict[str, str | None]:
    """Each gold label → the label trained (``None``: not annotated)."""
    if base_labels is None:
        return {label: label for label in LABELS}
    have = set(base_labels)
    return {gold: next((a for a in ALIASES[gold] if a in have), None) for gold in LABELS}


def _docbin(records: Sequence[dict], vocab: Any, labels: dict[str, str | None], path: Path) -> Counter[str]:
    from spacy.tokens import DocBin

    counts: Counter[str] = Counter()
    docs = DocBin(store_user_data=False)
    for record in records:
        docs.add(record_doc(vocab, record, labels, counts))
    docs.to_disk(path)
    counts["sentences"] = len(records)
    return counts


def _base_info(base: str) -> tuple[str, list[str], bool, bool]:
    """The base pipeline's language, NER labels, whether its NER listens to a shared tok2vec,
    and whether it has static word vectors. The language is the one its config names: a French
    pipeline is loaded on the language-neutral tokenizer ("xx"), but trains as French."""
    from newsdesk.enrich.entities.shipped import shipped_path
    from newsdesk.enrich.entities.spacy_ner import data_dir, load_spacy, pipeline_language

    nlp = load_spacy(base)
    if nlp is None:
        raise ValueError(f"base pipeline {base!r} is not usable")
    ner = nlp.get_pipe("ner")
    listens = "tok2vec" in nlp.pipe_names
    where = shipped_path(base) or data_dir(base)
    lang = (pipeline_language(where) if where else None) or nlp.lang
    return lang, list(ner.labels), listens, bool(nlp.vocab.vectors.shape[0])


def build_config(lang: str, base: str | None, epochs: int | None, seed: int) -> tuple[Any, list[str] | None]:
    """The training config for ``lang`` and the base's labels (``None`` for a blank pipeline)."""
    from spacy.util import load_config

    config = load_config(CONFIG)
    config["system"]["seed"] = seed
    if epochs is not None:
        config["training"]["max_epochs"] = epochs
    base_labels = None
    if base:
        base_lang, base_labels, listens, vectors = _base_info(base)
        config["nlp"]["lang"] = base_lang
        if vectors:  # its NER reads them: the trained pipeline keeps them
            config["initialize"]["vectors"] = str(base)
        source: dict[str, Any] = {"source": str(base)}
        if listens:
            source["replace_listeners"] = ["model.tok2vec"]
        config["components"]["ner"] = source
    else:
        config["nlp"]["lang"] = "xx" if lang in NEUTRAL_TOKENIZER else lang
    return config, base_labels


def train(
    lang: str,
    train_paths: Sequence[Path],
    output: Path,
    dev_paths: Sequence[Path] = (),
    *,
    base: str | None = None,
    epochs: int | None = None,
    seed: int = SEED,
    weights: Mapping[str, int] | None = None,
    echo: Callable[[str], None] = print,
    e5_vectors: bool = False,
    every_word: bool = False,
) -> Path:
    """Train a NER pipeline for ``lang`` and write it to ``output`` (replaced); returns ``output``.

    The best pipeline on the dev sentences (``dev_paths``, else every tenth training sentence)
    by spaCy's entity F1 is kept. ``weights`` repeats the training sentences of a source
    (``{"newseye_fr": 4}``) so that its conventions count for more. With ``e5_vectors`` (a blank
    pipeline only), the NER also reads the static word vectors made from the shipped E5 model
    (``word_vectors``), for whole E5 pieces only, or with ``every_word`` for every word (its
    pieces' mean where it is no whole piece: ``spacy_vectors.WordVectors``); the pipeline written
    holds only their name, not a table. spaCy prints its progress table as it goes.
    """
    import spacy
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop

    config, base_labels = build_config(lang, base, epochs, seed)
    labels = label_map(base_labels)
    records = list(read_records(train_paths))
    if dev_paths:
        dev = list(read_records(dev_paths))
    else:
        random.Random(seed).shuffle(records)
        dev, records = records[::DEV_SHARE], [r for i, r in enumerate(records) if i % DEV_SHARE]
    records = [r for r in records for _ in range((weights or {}).get(r.get("source", ""), 1))]
    if not records or not dev:
        raise ValueError("no training or no dev sentences")
    if e5_vectors and base:
        raise ValueError("--e5-vectors trains a blank pipeline: leave out --base")
    if every_word and not e5_vectors:
        raise ValueError("--every-word gives the E5 vectors to every word: name --e5-vectors too")
    vocab = spacy.blank("xx").vocab
    with tempfile.TemporaryDirectory(prefix="newsdesk-train-") as tmp:
        work = Path(tmp)
        if e5_vectors:
            config["components"]["ner"]["model"]["tok2vec"]["embed"]["include_static_vectors"] = True
            vectors = _vectors_pipeline(config["nlp"]["lang"], work / "vectors", every_word)
            config["initialize"]["vectors"] = str(vectors)
        train_counts = _docbin(records, vocab, labels, work / "train.spacy")
        _docbin(dev, vocab, labels, work / "dev.spacy")
        echo(
            f"{lang}: {train_counts['sentences']} training sentences, {train_counts['entities']} names "
            f"({train_counts['expanded']} widened to tokens, {train_counts['overlapping']} dropped), "
            f"{len(dev)} dev sentences; labels {', '.join(f'{k}→{v}' for k, v in labels.items() if v)}"
        )
        config["paths"]["train"] = str(work / "train.spacy")
        config["paths"]["dev"] = str(work / "dev.spacy")
        nlp = init_nlp(config, use_gpu=-1)
        if every_word:
            from newsdesk.enrich.entities.spacy_vectors import WordVectors

            nlp.vocab.vectors = WordVectors(strings=nlp.vocab.strings)
        if not base and lang in NEUTRAL_TOKENIZER:
            split_apostrophes(nlp)
        (work / "out").mkdir()
        train_loop(nlp, work / "out", use_gpu=-1, stdout=sys.stdout, stderr=sys.stderr)
        if output.exists():
            shutil.rmtree(output)
        shutil.copytree(work / "out" / "model-best", output)
    if e5_vectors:
        _without_vector_table(output, every_word)
    _tidy(output, lang, (WORDS if every_word else VECTORS) if e5_vectors else None)
    return output


def train_committee(
    lang: str, train_paths: Sequence[Path], output: Path, seeds: Sequence[int], **options: Any
) -> Path:
    """Train one member pipeline per seed (``train``, the same ``options``) into
    ``output/member-N`` and write the committee file naming them (``committee``: a name is kept
    where every member finds it); returns ``output``."""
    from newsdesk.enrich.entities.committee import write_committee

    if output.exists() and not output.is_dir():
        raise ValueError(f"{output}: not a folder")
    output.mkdir(parents=True, exist_ok=True)
    names = [f"member-{n}" for n in range(1, len(seeds) + 1)]
    for name, seed in zip(names, seeds, strict=True):
        train(lang, train_paths, output / name, seed=seed, **options)
    write_committee(output, names)
    return output


def _vectors_pipeline(lang: str, path: Path, every_word: bool) -> Path:
    """A blank pipeline for spaCy to initialise the NER from: with the whole pieces' vectors, or
    (``every_word``) a one-row table as wide as the vectors, training reading ``WordVectors``."""
    import numpy as np
    import spacy
    from spacy.vectors import Vectors

    from newsdesk.enrich.entities.word_vectors import install, vector_width

    nlp = spacy.blank(lang)
    if every_word:
        nlp.vocab.vectors = Vectors(data=np.zeros((1, vector_width()), np.float32), keys=["\u2581"])
    else:
        install(nlp)
    nlp.to_disk(path)
    return path


def _without_vector_table(path: Path, every_word: bool) -> None:
    """Drop the vector table (and the whole pieces' words) from a trained pipeline's vocabulary:
    ``word_vectors.install`` gives it its vectors again when the pipeline loads (``_tidy`` names
    them)."""
    from spacy.vectors import Vectors

    from newsdesk.enrich.entities.word_vectors import piece_vectors, vector_width

    Vectors(shape=(0, vector_width())).to_disk(path / "vocab")  # its vectors, key2row and vectors.cfg
    if every_word:
        return
    words, _ = piece_vectors()
    strings = json.loads((path / "vocab" / "strings.json").read_text(encoding="utf-8"))
    vocabulary = set(words)
    kept = [s for s in strings if s.isupper() or s not in vocabulary]
    (path / "vocab" / "strings.json").write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")


def _tidy(path: Path, lang: str, vectors: str | None = None) -> None:
    """Name the pipeline and drop the temporary data paths from its config; with ``vectors`` (their
    kind, ``word_vectors.VECTORS`` or ``WORDS``), name the word vectors its NER reads instead of
    pointing at a table."""
    from spacy.util import load_config

    from newsdesk.enrich.entities.word_vectors import META_KEY

    config = load_config(path / "config.cfg", interpolate=False)
    config["paths"]["train"] = None
    config["paths"]["dev"] = None
    if vectors:
        config["paths"]["vectors"] = None
        config["initialize"]["vectors"] = None
    config.to_disk(path / "config.cfg")
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    meta.update({"name": f"newsdesk_ner_{lang}", "version": "1.0.0", "license": "see docs/entities.md"})
    if vectors:
        meta[META_KEY] = vectors
        meta.pop("vectors", None)
    (path / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
