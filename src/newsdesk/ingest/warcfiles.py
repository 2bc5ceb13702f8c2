"""WARC records through warcio (an optional package), with the headers' size bounded.

warcio reads header lines without a length limit and by repeated concatenation, so a file of
garbage without line breaks took memory and hours of CPU. Here the bytes read as header lines
between two payload reads are capped, and a record without a type or length (garbage after a
version line, which warcio would read to the end as one record) is refused: either stops the file
with ``DamagedWarc``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import WARCIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.recordloader import ArcWarcRecord


class DamagedWarc(ValueError):
    """A record with headers longer than the cap, or without WARC-Type or Content-Length."""


class _BoundedHeaderReader(DecompressingBufferedReader):
    """warcio's reader, counting the bytes read as lines since the last payload read."""

    def __init__(self, stream: BinaryIO, limit: int) -> None:
        super().__init__(stream)
        self.limit = limit
        self.line_bytes = 0

    def read(self, length: int | None = None) -> bytes:
        self.line_bytes = 0
        return super().read(length)

    def readline(self, length: int | None = None) -> bytes:
        room = self.limit - self.line_bytes + 1
        line = super().readline(room if length is None or length > room else length)
        self.line_bytes += len(line)
        if self.line_bytes > self.limit:
            raise DamagedWarc(f"WARC or HTTP headers longer than {self.limit} bytes")
        return line


class _BoundedWarcIterator(WARCIterator):
    def __init__(self, stream: BinaryIO, header_limit: int) -> None:
        super().__init__(stream)
        self.reader = _BoundedHeaderReader(self.fh, header_limit)


def warc_records(stream: BinaryIO, header_limit: int) -> Iterator[ArcWarcRecord]:
    """The records of a WARC file (gzipped or not); a damaged record raises ``DamagedWarc``."""
    for record in _BoundedWarcIterator(stream, header_limit):
        if not record.rec_type or record.length is None:
            raise DamagedWarc("a record without WARC-Type or Content-Length")
        yield record
