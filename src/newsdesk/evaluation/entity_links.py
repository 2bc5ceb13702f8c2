"""One entity across languages, measured on translations of one article (WMT news test sets).

Each group of the set is one article in its original language plus professional translations.
Every version (title and text, in its language) goes through ``recognise``; then the mentions
of all versions of all groups are linked in one ``link`` call, with no story ids, as newsdesk
links a store (the group ids are the gold and are never shown to the system). Per group, the
original's entities are the entity keys of its mentions whose entity is a PERSON, ORG or PLACE;
a translation *agrees* on those its own mentions link to as well. Agreement per translation
language is micro-averaged over groups: entities agreed on / the originals' entities.

Run it with ``newsdesk eval entity-links FILE [--lang de,fr] [--limit N] [--json]``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsdesk.enrich.entities import ORG, PERSON, PLACE, ArticleMentions, Linking, Mention, link, recognise
from newsdesk.enrich.entities.propagate import story_names
from newsdesk.enrich.entities.training.train import read_records
from newsdesk.enrich.entities.translations import name_vectors

SCORED_TYPES = (PERSON, ORG, PLACE)
BATCH = 64
TOP_MISSED = 15


@dataclass
class Version:
    """One language version of a group: its text (title, then body) and whether it is the original."""

    group: str
    language: str
    original: bool
    text: str
    title: str = ""


def read_versions(path: Path, languages: set[str] | None = None, limit: int | None = None) -> list[Version]:
    """The versions in ``path`` (JSON Lines, gzipped or not): originals always, translations only in
    ``languages`` when given; the first ``limit`` groups when given."""
    groups: dict[str, list[Version]] = defaultdict(list)
    for record in read_records([path]):
        group = record["group_id"]
        if limit is not None and group not in groups and len(groups) >= limit:
            continue
        original = bool(record.get("is_original"))
        if not original and languages and record["lang"] not in languages:
            continue
        text = "\n".join(part for part in (record.get("title"), record.get("text")) if part)
        groups[group].append(Version(group, record["lang"], original, text, record.get("title") or ""))
    return [v for versions in groups.values() if any(x.original for x in versions) for v in versions]


def recognise_versions(
    versions: Sequence[Version], progress: Callable[[int], None] | None = None
) -> list[list[Mention]]:
    """Each version's mentions, recognised in batches with the default models and settings."""
    found: list[list[Mention]] = []
    for start in range(0, len(versions), BATCH):
        chunk = versions[start : start + BATCH]
        found.extend(recognise([(v.text, v.language) for v in chunk]))
        if progress is not None:
            progress(len(chunk))
    return found


def link_versions(
    versions: Sequence[Version], mentions: Sequence[Sequence[Mention]], stories: Sequence[int] | None = None
) -> Linking:
    """All versions linked together, as one store's articles: languages known, with their stories'
    ids when given (and then translated names within a story too, as the pipeline links), else
    none."""
    ids = stories if stories is not None else [None] * len(versions)
    return link(
        [ArticleMentions(m, v.language, s) for v, m, s in zip(versions, mentions, ids, strict=True)],
        name_vectors() if stories is not None else None,
    )


def cluster_versions(versions: Sequence[Version]) -> list[int]:
    """Each version's story, as newsdesk's clusterer makes them (file order, no dates; vectors
    kept in the evaluation cache): the group ids are never read."""
    from newsdesk.evaluation.clustering import Record, cluster_records, embed_records
    from newsdesk.evaluation.vector_cache import VectorCache

    records = [
        Record("", v.title, v.text[len(v.title) + 1 :] if v.title else v.text, v.language, None, None)
        for v in versions
    ]
    cache = VectorCache()
    try:
        embeddings = embed_records(records, cache=cache)
    finally:
        cache.close()
    return cluster_records(records, embeddings, use_time=False)


def with_story_names(
    versions: Sequence[Version], mentions: Sequence[Sequence[Mention]], stories: Sequence[int]
) -> list[list[Mention]]:
    """The mentions plus those the pipeline adds from each version's story (``story_names``),
    batch by batch in file order: the names of the story's versions in the same batch and in the
    batches before."""
    out: list[list[Mention]] = []
    earlier: dict[int, list[Mention]] = defaultdict(list)
    for start in range(0, len(versions), BATCH):
        span = range(start, min(start + BATCH, len(versions)))
        batch = [(versions[i].text, versions[i].language, stories[i], mentions[i]) for i in span]
        out.extend(story_names(batch, earlier))
        for i in span:
            earlier[stories[i]].extend(out[i])
    return out


def score(versions: Sequence[Version], linking: Linking) -> dict:
    """Agreement per translation language (see the module's docstring), per type, and the
    original entities translations miss most."""
    types = {e.key: e.type for e in linking.entities}
    names = {e.key: e.name for e in linking.entities}
    keys = [{k for k in found if k is not None and types[k] in SCORED_TYPES} for found in linking.links]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, version in enumerate(versions):
        groups[version.group].append(i)
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    missed: dict[str, Counter[str]] = defaultdict(Counter)
    for members in groups.values():
        original = next(i for i in members if versions[i].original)
        wanted = keys[original]
        for i in members:
            if i == original:
                continue
            t = tally[versions[i].language]
            t["groups"] += 1
            for key in wanted:
                t[f"{types[key]}:wanted"] += 1
                if key in keys[i]:
                    t[f"{types[key]}:found"] += 1
                else:
                    missed[versions[i].language][names[key]] += 1
    languages = {}
    for code in sorted(tally, key=lambda c: -tally[c]["groups"]):
        languages[code] = _summary(tally[code]) | {"missed": missed[code].most_common(TOP_MISSED)}
    total: Counter[str] = Counter()
    for t in tally.values():
        total.update(t)
    return {
        "groups": len(groups),
        "versions": len(versions),
        "entities": len(linking.entities),
        "by_language": languages,
        "all": _summary(total),
    }


def _summary(t: Counter[str]) -> dict:
    wanted = sum(t[f"{k}:wanted"] for k in SCORED_TYPES)
    found = sum(t[f"{k}:found"] for k in SCORED_TYPES)
    return {
        "groups": t["groups"],
        "wanted": wanted,
        "found": found,
        "agreement": found / wanted if wanted else 0.0,
        "by_type": {
            k: round(t[f"{k}:found"] / t[f"{k}:wanted"], 4) if t[f"{k}:wanted"] else None
            for k in SCORED_TYPES
        },
    }


def evaluate_entity_links(
    path: Path,
    languages: set[str] | None = None,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    stories: bool = False,
) -> dict:
    """Read, recognise, link and score; ``progress(done, total)`` after each batch. With
    ``stories``, as the pipeline links a store: the versions are clustered into stories first,
    each takes the names of its story's other versions (``with_story_names``) and is linked with
    its story's id."""
    versions = read_versions(path, languages, limit)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, len(versions))

    mentions = recognise_versions(versions, advance)
    if not stories:
        return score(versions, link_versions(versions, mentions))
    ids = cluster_versions(versions)
    result = score(versions, link_versions(versions, with_story_names(versions, mentions, ids), ids))
    result["stories"] = len(set(ids))
    return result


def format_report(result: dict) -> str:
    """One line per translation language, then all together, then what is missed most."""
    lines = [
        f"{result['groups']} groups, {result['versions']} versions, {result['entities']} entities linked",
        f"{'lang':>5} {'groups':>7} {'entities':>9} {'agreed':>7} {'share':>6}  PERSON   ORG PLACE",
    ]
    rows = [*result["by_language"].items(), ("all", result["all"])]
    for code, r in rows:
        per_type = " ".join(f"{v:5.2f}" if v is not None else "    -" for v in r["by_type"].values())
        lines.append(
            f"{code:>5} {r['groups']:>7} {r['wanted']:>9} {r['found']:>7} {r['agreement']:6.3f}  {per_type}"
        )
    for code, r in result["by_language"].items():
        if r["missed"]:
            lines.append(f"{code} misses most: " + ", ".join(f"{n} ×{c}" for n, c in r["missed"][:10]))
    return "\n".join(lines)
