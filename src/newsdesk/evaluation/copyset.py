"""A labelled set of wire copies, made at evaluation time from real article texts (see
docs/copies.md); ``newsdesk.evaluation.copies`` scores the detector on it.

Nothing of the data is kept in the repository: the set is generated, seeded and reproducible, from
the texts under ``../shared/data`` (each dataset's README gives its licence; all are for internal
evaluation only):

* originals: real article bodies: the gold texts of the article-extraction benchmark (real pages,
  several languages), BASIL (NYT, Fox News, HuffPost), ECB+, and the original-language WMT news
  articles (nine languages);
* copies (positive pairs): an original with realistic edits, two or three of: an outlet's own intro
  paragraph, a cut ending, agency or outlet boilerplate ("Reporting by …", "Read more", newsletter
  prompts, copyright lines), small word edits, paragraphs moved; the headline is always changed
  (the detector never reads headlines, so a translated headline over the same body is a copy);
* real reprints (positive pairs): pairs of the shared data read by hand and found to be one agency
  or press-release text carried by two outlets (``REAL_REPRINTS``);
* not copies (negative pairs): the hard case, independent reports of one event (BASIL's triplets,
  WMT's hand-labelled ``same_event`` links), an edited copy of one report against another report of
  the same event, translations of one article (WMT's multiway groups), and unrelated articles.

Pairs are split by their original (``split_of``: a seeded hash), so that the detector's settings are
chosen on ``train`` and reported on ``test``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20261205
# The share of originals in the training part.
TRAIN_SHARE = 0.5

# Pairs of the shared data that were read (their openings and the runs of words they share) and
# found to be one text carried by two outlets: an agency story with another intro, a cut or an
# update of its own (AP, AFP, PA), a press release: (dataset, id, id). Pairs where one outlet
# quotes a release or a statement in its own report (ECB+ 2_1/2_7, 9_11/9_4, 12_3/12_6) were left
# out: no clear label.
REAL_REPRINTS = (
    ("ecbplus", "7_3ecbplus", "7_4ecbplus"),
    ("ecbplus", "7_2ecbplus", "7_4ecbplus"),
    ("ecbplus", "7_10ecbplus", "7_3ecbplus"),
    ("ecbplus", "8_1ecbplus", "8_2ecbplus"),
    ("ecbplus", "9_3ecbplus", "9_9ecbplus"),
    ("ecbplus", "18_11ecbplus", "18_2ecbplus"),
    ("ecbplus", "23_4ecbplus", "23_6ecbplus"),
    ("ecbplus", "28_10ecbplus", "28_4ecbplus"),
    ("ecbplus", "29_5ecbplus", "29_6ecbplus"),
    ("wikinews", "wn028_src2", "wn028_src3"),
)

BOILERPLATE = (
    "Reporting by {name}; Editing by {name2}",
    "Read more: {title}",
    "Sign up for our daily newsletter to get the latest news in your inbox.",
    "Copyright {year} The Associated Press. All rights reserved. This material may not be published, "
    "broadcast, rewritten or redistributed.",
    "Follow us on Twitter and Facebook for the latest updates.",
    "(Additional reporting by {name})",
    "This article originally appeared on {outlet}.",
    "Click here to subscribe to our newsletter.",
    "Related: {title}",
    "— With files from The Canadian Press",
)
NAMES = ("Maria Lopez", "John Smith", "Anna Weber", "Kenji Sato", "Olga Petrova", "David Cohen")
OUTLETS = ("The Daily Herald", "Morning Post", "City Journal", "Evening Standard", "News Wire")


@dataclass
class Doc:
    """An article text of the set: its id, dataset, language and paragraphs."""

    id: str
    source: str
    language: str
    title: str
    paragraphs: list[str]

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class Pair:
    """Two texts and whether the second is a copy of the first; ``kind`` says how it was made."""

    original: Doc
    other: Doc
    copy: bool
    kind: str
    split: str


@dataclass
class Labels:
    """What the pairs are made from besides the texts: BASIL's events, WMT's original languages
    (by group) and its hand-labelled ``same_event`` links."""

    basil_events: dict[str, str] = field(default_factory=dict)
    wmt_origlang: dict[str, str] = field(default_factory=dict)
    wmt_links: list[tuple[str, str]] = field(default_factory=list)


def _lines(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n+", text or "") if p.strip()]


def split_of(key: str) -> str:
    """The part an original belongs to: ``train`` or ``test`` (a seeded hash of its id)."""
    digest = hashlib.sha1(f"{SEED}:{key}".encode()).digest()
    return "train" if digest[0] / 256.0 < TRAIN_SHARE else "test"


def load_docs(data: Path) -> tuple[dict[str, Doc], Labels]:
    """Every article text of the datasets found under ``data`` (``../shared/data``), by id, and the
    labels the pairs are made from."""
    docs: dict[str, Doc] = {}
    labels = Labels(wmt_links=_wmt_links(data))

    def keep(doc: Doc) -> None:
        if len(doc.paragraphs) >= 2:
            docs[doc.id] = doc

    aeb = data / "article-extraction-benchmark" / "ground-truth.json"
    if aeb.exists():
        for key, value in json.loads(aeb.read_text("utf-8")).items():
            keep(Doc(f"aeb:{key}", "aeb", "", "", _paragraphs(value.get("articleBody", ""))))
    basil = data / "basil" / "basil_articles.jsonl.gz"
    if basil.exists():
        for row in _lines(basil):
            keep(Doc(f"basil:{row['id']}", "basil", "en", row.get("title") or "", _paragraphs(row["text"])))
            labels.basil_events[f"basil:{row['id']}"] = row["cluster_id"]
    ecb = data / "ecbplus" / "ecbplus_traindev.jsonl.gz"
    if ecb.exists():
        for row in _lines(ecb):
            keep(Doc(f"ecbplus:{row['id']}", "ecbplus", "en", "", _paragraphs(row["text"])))
    wiki = data / "wikinewssum-en-sample" / "wikinewssum_en_sample.jsonl.gz"
    if wiki.exists():
        for row in _lines(wiki):
            keep(
                Doc(f"wikinews:{row['id']}", "wikinews", row.get("lang") or "", "", _paragraphs(row["text"]))
            )
    wmt = data / "wmt-newstest-multiway" / "wmt_newstest_docs.jsonl.gz"
    if wmt.exists():
        for row in _lines(wmt):
            keep(
                Doc(
                    f"wmt:{row['group_id']}:{row['lang']}",
                    "wmt",
                    row["lang"],
                    row["title"],
                    _paragraphs(row["text"]),
                )
            )
            labels.wmt_origlang[row["group_id"]] = row["origlang"]
    return docs, labels


def _edit_words(paragraphs: list[str], rng: random.Random, share: float) -> list[str]:
    """Small word edits: a few words dropped, doubled or their neighbours swapped."""
    edited = []
    for paragraph in paragraphs:
        words = paragraph.split()
        i = 0
        out: list[str] = []
        while i < len(words):
            roll = rng.random()
            if roll < share / 3:
                i += 1  # dropped
                continue
            if roll < 2 * share / 3 and i + 1 < len(words):
                out += [words[i + 1], words[i]]
                i += 2
                continue
            if roll < share:
                out.append(words[i].upper() if rng.random() < 0.5 else words[i] + ",")
            else:
                out.append(words[i])
            i += 1
        edited.append(" ".join(out))
    return edited


def _boilerplate(rng: random.Random, title: str) -> str:
    return rng.choice(BOILERPLATE).format(
        name=rng.choice(NAMES),
        name2=rng.choice(NAMES),
        title=title or "more news",
        year=rng.randint(2010, 2025),
        outlet=rng.choice(OUTLETS),
    )


EDITS = ("intro", "cut", "boilerplate", "words", "reorder")


def make_copy(doc: Doc, intro_from: Doc, rng: random.Random) -> tuple[Doc, list[str]]:
    """An edited reprint of ``doc``: two or three edits (``EDITS``) and another headline."""
    edits = rng.sample(EDITS, rng.choice((2, 2, 3)))
    paragraphs = list(doc.paragraphs)
    if "reorder" in edits and len(paragraphs) >= 3:
        i, j = sorted(rng.sample(range(1, len(paragraphs)), 2))
        paragraphs[i], paragraphs[j] = paragraphs[j], paragraphs[i]
    if "words" in edits:
        paragraphs = _edit_words(paragraphs, rng, 0.04)
    if "cut" in edits and len(paragraphs) >= 3:
        keep = max(2, round(len(paragraphs) * rng.uniform(0.5, 0.85)))
        paragraphs = paragraphs[:keep]
    if "intro" in edits:
        paragraphs = (
            [*intro_from.paragraphs[:1], *paragraphs[1:]]
            if rng.random() < 0.5
            else [
                *intro_from.paragraphs[:1],
                *paragraphs,
            ]
        )
    if "boilerplate" in edits:
        paragraphs = [*paragraphs, *(_boilerplate(rng, doc.title) for _ in range(rng.randint(1, 3)))]
        if rng.random() < 0.3:
            paragraphs.insert(0, _boilerplate(rng, doc.title))
    title = f"{rng.choice(('UPDATE', 'BREAKING', 'Exclusive', 'Analysis'))}: {doc.title or 'news'}"
    return Doc(f"{doc.id}~copy", doc.source, doc.language, title, paragraphs), sorted(edits)


def _wmt_links(data: Path) -> list[tuple[str, str]]:
    path = data / "wmt-newstest-multiway" / "wmt_story_links.tsv"
    if not path.exists():
        return []
    links = []
    for line in path.read_text("utf-8").splitlines()[1:]:
        cells = line.split("\t")
        if len(cells) >= 7 and cells[6] == "same_event":
            links.append((cells[1], cells[2]))
    return links


def _wmt_version(docs: dict[str, Doc], group: str, language: str) -> Doc | None:
    return docs.get(f"wmt:{group}:{language}")


def _wmt_group(doc: Doc) -> str:
    return doc.id.removeprefix("wmt:").rsplit(":", 1)[0]


def _is_original(doc: Doc, labels: Labels) -> bool:
    """Whether a text is in the language it was written in (every one but WMT's translations)."""
    return doc.source != "wmt" or labels.wmt_origlang.get(_wmt_group(doc)) == doc.language


def build_pairs(data: Path, seed: int = SEED) -> list[Pair]:
    """The labelled pairs (see the module's description), in a reproducible order."""
    docs, labels = load_docs(data)
    rng = random.Random(seed)
    originals = sorted((d for d in docs.values() if _is_original(d, labels)), key=lambda d: d.id)
    pairs: list[Pair] = []
    intros = [d for d in originals if len(d.paragraphs[0].split()) >= 12]
    for doc in originals:
        if doc.source == "wikinews":
            continue
        copy, edits = make_copy(doc, rng.choice(intros), rng)
        pairs.append(Pair(doc, copy, True, "edited copy: " + "+".join(edits), split_of(doc.id)))
    for dataset, left, right in REAL_REPRINTS:
        a, b = docs.get(f"{dataset}:{left}"), docs.get(f"{dataset}:{right}")
        if a and b:
            pairs.append(Pair(a, b, True, "real reprint", split_of(a.id)))
    pairs += _same_event_pairs(docs, labels, rng)
    pairs += _translation_pairs(docs, labels)
    for doc in rng.sample(originals, min(400, len(originals))):
        other = rng.choice(originals)
        if other.id != doc.id and other.source != doc.source:
            pairs.append(Pair(doc, other, False, "unrelated", split_of(doc.id)))
    return pairs


def _same_event_pairs(docs: dict[str, Doc], labels: Labels, rng: random.Random) -> list[Pair]:
    """Independent reports of one event, and an edited copy of one against another."""
    pairs: list[Pair] = []
    events: dict[str, list[Doc]] = {}
    for doc in docs.values():
        if doc.source == "basil":
            events.setdefault(labels.basil_events.get(doc.id, doc.id), []).append(doc)
    for group in events.values():
        group.sort(key=lambda d: d.id)
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                pairs.append(Pair(group[i], group[j], False, "same event (BASIL)", split_of(group[i].id)))
        if len(group) >= 2:
            copy, _ = make_copy(group[1], group[0], rng)
            pairs.append(
                Pair(group[0], copy, False, "same event, edited copy of another", split_of(group[0].id))
            )
    for left, right in labels.wmt_links:
        a = _wmt_version(docs, left, labels.wmt_origlang.get(left, ""))
        b = _wmt_version(docs, right, labels.wmt_origlang.get(right, ""))
        if a and b and a.language != b.language:
            b = _wmt_version(docs, right, a.language) or b  # one language when WMT has it
        if a and b:
            pairs.append(Pair(a, b, False, "same event (WMT links)", split_of(a.id)))
    return pairs


def _translation_pairs(docs: dict[str, Doc], labels: Labels) -> list[Pair]:
    """An article and one of its professional translations (WMT multiway groups)."""
    pairs = []
    for doc in sorted(docs.values(), key=lambda d: d.id):
        if doc.source != "wmt" or not _is_original(doc, labels):
            continue
        group = _wmt_group(doc)
        for language in ("en", "de", "fr"):
            other = _wmt_version(docs, group, language)
            if other is not None and other.id != doc.id:
                pairs.append(Pair(doc, other, False, "translation", split_of(doc.id)))
                break
    return pairs
