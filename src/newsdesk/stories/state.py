"""The saved clustering state: its byte format, written and read.

The state is saved in pieces: a header (the settings, the id counter and the document
frequencies) and one record per live story, so that a batch writes the header and the
stories it touched, not every live story. :func:`dump_bundle` puts the pieces in one.
Versions 1 and 2 kept the whole state in one zlib payload; those are still read.

Header: ``NDCH`` + zlib(8-byte length, JSON settings, ``np.savez`` document frequencies).
Story record: zlib(4-byte length, JSON record, float32 rows of the story's sum and of
its outlet parts' sums, then the cross-lingual sum when the record says ``"cross"``).
Bundle: ``NDC3``, then each piece after its 8-byte length.
"""

from __future__ import annotations

import io
import json
import math
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from newsdesk.stories.table import StoryTable
from newsdesk.stories.text import BUCKETS
from newsdesk.stories.vectors import CROSS_DIMENSIONS, DIMENSIONS, OutletPart, TermSum

STATE_VERSION = 3
MAGIC = b"NDCS"  # versions 1 and 2: the whole state in one zlib payload (still read)
HEADER_MAGIC = b"NDCH"  # version 3: the header; each story is a record of its own
BUNDLE_MAGIC = b"NDC3"  # version 3 in one piece: the header, then every story's record
INDEX_MAGIC = b"NDCI"  # the centroid indexes, saved apart from the state (see dump_index)


@dataclass
class Header:
    """The state that is not one story's."""

    window_days: float | None
    # The threshold given explicitly (None: the tuning's).
    threshold: float | None
    # ``Tuning.to_dict()``; None in a version 1 state (its constants are not taken up).
    tuning: dict | None
    next_id: int
    docs_seen: dict[str, int]
    newest: float
    last_prune: float
    # Document frequencies per language ("" = unknown), BUCKETS counts each.
    df: dict[str, np.ndarray]
    # Rows of merged stories and the story they now feed (see ``OnlineClusterer.alias``).
    aliases: dict[int, int] = field(default_factory=dict)
    # The last analyst edit taken into the state (a ``story_actions`` id; 0: none).
    edits_applied: int = 0
    # The encoder of the stories' cross-lingual sums (None: a state written before them).
    crosslingual_encoder: str | None = None
    # Articles added so far, and the new stories waiting for their second chance
    # (``newsdesk.stories.second_chance.Waiting.to_json``).
    arrivals: int = 0
    waiting: list[list] = field(default_factory=list)


@dataclass
class StateChanges:
    """What a batch changed in the clustering state: the header (always), the records of the
    stories it created or extended (by story id) and the ids of the stories it dropped."""

    header: bytes
    stories: dict[int, bytes]
    removed: list[int]


# ----------------------------------------------------------------- writing


def dump_header(header: Header) -> bytes:
    """The header piece."""
    meta = {
        "version": STATE_VERSION,
        "window_days": header.window_days,
        "threshold": header.threshold,
        "tuning": header.tuning,
        "next_id": header.next_id,
        "docs_seen": header.docs_seen,
        "newest": _finite_or_none(header.newest),
        "last_prune": _finite_or_none(header.last_prune),
        "df_languages": list(header.df),
        "aliases": {str(row): story for row, story in header.aliases.items()},
        "edits_applied": header.edits_applied,
        "crosslingual_encoder": header.crosslingual_encoder,
        "arrivals": header.arrivals,
        "waiting": header.waiting,
    }
    buffer = io.BytesIO()
    np.savez(buffer, **_df_arrays(header.df))
    return HEADER_MAGIC + zlib.compress(framed(meta, buffer.getvalue(), 8), 6)


def dump_story(stories: StoryTable, story_id: int) -> bytes:
    """One live story's record: its sums, term sums, quoted phrases, languages and outlets."""
    slot = stories.slot_of[story_id]
    vectors = [stories.sums[slot]]
    parts = []
    for outlet, part in stories.parts[slot].items():
        row = -1
        if part.embedding is not None:
            row = len(vectors) - 1
            vectors.append(part.embedding)
        parts.append([outlet, row, part.terms.to_json(), part.lede.to_json()])
    record = {
        "id": story_id,
        "first": _finite_or_none(stories.first[slot]),
        "last": _finite_or_none(stories.last[slot]),
        "members": int(stories.members[slot]),
        "embedded": int(stories.embedded[slot]),
        "lex": stories.lex[slot].to_json(),
        "lede": {lang: lede.to_json() for lang, lede in stories.lede[slot].items()},
        "quotes": sorted(stories.quotes[slot]),
        "days": sorted(stories.days[slot]),
        "languages": stories.languages[slot],
        "outlets": stories.outlets[slot],
        "parts": parts,
    }
    arrays = np.vstack(vectors).astype(np.float32).tobytes()
    if stories.crossed(slot):
        record["cross"] = True
        arrays += stories.cross_sums[slot].astype(np.float32).tobytes()
    return zlib.compress(framed(record, arrays, 4), 6)


def fingerprint(stories: StoryTable) -> int:
    """A checksum of what the centroid indexes are made from: the live stories' ids, member
    counts and the lengths of their sums (any article that joins a story changes them)."""
    n = stories.size
    digest = 0
    for column in (stories.row_ids, stories.members, stories.embedded, stories.scales, stories.cross_scales):
        digest = zlib.crc32(np.ascontiguousarray(column[:n]).tobytes(), digest)
    return digest


def dump_index(stamp: int, semantic: bytes, crosslingual: bytes) -> bytes:
    """The centroid indexes, with the :func:`fingerprint` of the stories they were saved with."""
    return INDEX_MAGIC + stamp.to_bytes(8, "big") + len(semantic).to_bytes(8, "big") + semantic + crosslingual


def read_index(data: bytes) -> tuple[int, bytes, bytes]:
    """Inverse of :func:`dump_index`: the fingerprint and the two indexes."""
    if not data.startswith(INDEX_MAGIC) or len(data) < len(INDEX_MAGIC) + 16:
        raise ValueError("not a newsdesk centroid index")
    pos = len(INDEX_MAGIC)
    stamp = int.from_bytes(data[pos : pos + 8], "big")
    size = int.from_bytes(data[pos + 8 : pos + 16], "big")
    semantic = data[pos + 16 : pos + 16 + size]
    if len(semantic) != size:
        raise ValueError("a truncated newsdesk centroid index")
    return stamp, semantic, data[pos + 16 + size :]


def dump_bundle(header: bytes, stories: Iterable[bytes]) -> bytes:
    """The header and story pieces in one."""
    pieces = [header, *stories]
    return BUNDLE_MAGIC + b"".join(len(piece).to_bytes(8, "big") + piece for piece in pieces)


def _df_arrays(df: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    arrays = {}
    for index, table in enumerate(df.values()):
        keys = np.flatnonzero(table).astype(np.uint32)
        arrays[f"df_keys_{index}"] = keys
        arrays[f"df_counts_{index}"] = table[keys]
    return arrays


# ----------------------------------------------------------------- reading


def is_one_piece(data: bytes) -> bool:
    """Whether ``data`` is a whole state (a bundle, or version 1 or 2) rather than a header."""
    return data.startswith((MAGIC, BUNDLE_MAGIC))


def read_parts(header: bytes, stories: Iterable[bytes]) -> tuple[Header, StoryTable]:
    """The header and the story table from a header piece and story records (any order).

    A whole state in place of the header is read with :func:`read_state`."""
    if is_one_piece(header):
        return read_state(header)
    if not header.startswith(HEADER_MAGIC):
        raise ValueError("not a newsdesk clustering state header")
    meta, rest = unframed(zlib.decompress(header[len(HEADER_MAGIC) :]), 8)
    if meta.get("version") != STATE_VERSION:
        raise ValueError(f"unsupported clustering state version {meta.get('version')!r}")
    settings = _header(meta, np.load(io.BytesIO(rest), allow_pickle=False))
    records = [unframed(zlib.decompress(blob), 4) for blob in stories]
    records.sort(key=lambda item: item[0]["id"])
    table = StoryTable()
    table.grow(max(64, len(records)))
    for record, arrays in records:
        floats = np.frombuffer(arrays, dtype=np.float32)
        cross = None
        if record.get("cross"):
            floats, cross = floats[:-CROSS_DIMENSIONS], floats[-CROSS_DIMENSIONS:]
        _restore_story(table, record, floats.reshape(-1, DIMENSIONS), cross)
    return settings, table


def read_state(data: bytes) -> tuple[Header, StoryTable]:
    """The header and the story table from a bundle, or from a state of version 1 or 2."""
    if data.startswith(BUNDLE_MAGIC):
        pieces, pos = [], len(BUNDLE_MAGIC)
        while pos < len(data):
            size = int.from_bytes(data[pos : pos + 8], "big")
            pieces.append(data[pos + 8 : pos + 8 + size])
            pos += 8 + size
        if not pieces:
            raise ValueError("an empty newsdesk clustering state")
        return read_parts(pieces[0], pieces[1:])
    if data.startswith(MAGIC):
        return _read_one_piece(data)
    raise ValueError("not a newsdesk clustering state")


def _header(meta: dict, arrays: np.lib.npyio.NpzFile) -> Header:
    """The settings, counter and frequencies of a stored header."""
    df = {}
    for index, lang in enumerate(meta["df_languages"]):
        table = np.zeros(BUCKETS, dtype=np.int32)
        table[arrays[f"df_keys_{index}"]] = arrays[f"df_counts_{index}"]
        df[lang] = table
    return Header(
        window_days=meta["window_days"],
        threshold=meta["threshold"],
        tuning=meta["tuning"] if meta["version"] >= 2 else None,
        next_id=int(meta["next_id"]),
        docs_seen={str(k): int(v) for k, v in meta["docs_seen"].items()},
        newest=math.nan if meta["newest"] is None else float(meta["newest"]),
        last_prune=math.nan if meta["last_prune"] is None else float(meta["last_prune"]),
        df=df,
        aliases={int(row): int(story) for row, story in meta.get("aliases", {}).items()},
        edits_applied=int(meta.get("edits_applied", 0)),
        crosslingual_encoder=meta.get("crosslingual_encoder"),
        arrivals=int(meta.get("arrivals", 0)),
        waiting=list(meta.get("waiting", [])),
    )


def _restore_story(
    stories: StoryTable, record: dict, vectors: np.ndarray, crosslingual: np.ndarray | None
) -> int:
    """Append one story from its record (stories come in id order); return its slot."""
    slot = stories.add_row(int(record["id"]))
    stories.set_sums(slot, vectors[0], crosslingual)
    stories.first[slot] = math.nan if record["first"] is None else record["first"]
    stories.last[slot] = math.nan if record["last"] is None else record["last"]
    stories.members[slot] = record["members"]
    stories.embedded[slot] = record["embedded"]
    stories.lex[slot] = TermSum.from_json(record["lex"])
    stories.lede[slot] = {lang: TermSum.from_json(item) for lang, item in record["lede"].items()}
    stories.quotes[slot] = array("q", sorted(record["quotes"]))
    stories.days[slot] = array("h", sorted(record.get("days", ())))
    stories.languages[slot] = list(record["languages"])
    stories.outlets[slot] = list(record["outlets"])
    stories.parts[slot] = _outlet_parts(record["parts"], vectors[1:])
    return slot


def _read_one_piece(data: bytes) -> tuple[Header, StoryTable]:
    """A state of version 1 or 2: one JSON header with every story, one set of arrays."""
    meta, rest = unframed(zlib.decompress(data[len(MAGIC) :]), 8)
    version = meta.get("version")
    if version not in (1, 2):
        raise ValueError(f"unsupported clustering state version {version!r}")
    arrays = np.load(io.BytesIO(rest), allow_pickle=False)
    settings = _header(meta, arrays)
    sums = np.asarray(arrays["sums"], dtype=np.float32)
    n = sums.shape[0]
    table = StoryTable()
    table.grow(max(64, n))
    for story_id in meta["ids"]:
        table.add_row(int(story_id))
    for slot in range(n):
        table.set_sums(slot, sums[slot])
    table.first[:n] = arrays["first"]
    table.last[:n] = arrays["last"]
    table.members[:n] = arrays["members"]
    table.embedded[:n] = arrays["embedded"]
    table.lex = [TermSum.from_json(item) for item in meta["lex"]]
    table.languages = [list(langs) for langs in meta["languages"]]
    if version == 2:
        table.lede = [
            {lang: TermSum.from_json(item) for lang, item in ledes.items()} for ledes in meta["lede"]
        ]
        table.quotes = [array("q", sorted(quotes)) for quotes in meta["quotes"]]
        table.outlets = [list(outlets) for outlets in meta["outlets"]]
        part_sums = np.asarray(arrays["part_sums"], dtype=np.float32)
        table.parts = [_outlet_parts(rows, part_sums) for rows in meta["parts"]]
    # Version 1: no lede sums, quoted phrases or outlets (the outlet check starts with the
    # next outlet each story takes); the table's new rows hold them empty.
    return settings, table


def _outlet_parts(rows: list[list], sums: np.ndarray) -> dict[str, OutletPart]:
    """A story's per-outlet parts from their saved rows ``[outlet, row of sums or -1, terms, lede]``."""
    return {
        outlet: OutletPart(
            sums[row].copy() if row >= 0 else None, TermSum.from_json(terms), TermSum.from_json(lede)
        )
        for outlet, row, terms, lede in rows
    }


def _finite_or_none(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def framed(meta: dict, rest: bytes, width: int) -> bytes:
    """JSON ``meta`` (its length in ``width`` bytes first), then ``rest``."""
    head = json.dumps(meta, separators=(",", ":")).encode("utf-8")
    return len(head).to_bytes(width, "big") + head + rest


def unframed(payload: bytes, width: int) -> tuple[dict, bytes]:
    """Inverse of :func:`framed`: the JSON and the bytes after it."""
    size = int.from_bytes(payload[:width], "big")
    return json.loads(payload[width : width + size].decode("utf-8")), payload[width + size :]
