"""Content-Encoding decoding with a cap on what it produces, checked while decoding.

A few kilobytes of brotli or zstd can stand for gigabytes. Every decoder here gives
its output in steps of about :data:`STEP` bytes, and :class:`BoundedDecoder` stops
(:class:`TooLarge`) as soon as the bytes received, or the bytes any step of the
decoding produced, pass the cap: memory stays near the cap whatever the ratio.

    decoder = BoundedDecoder(response.headers.get("content-encoding"), limit=max_bytes)
    body = b"".join(decoder.feed(chunk) for chunk in raw_chunks) + decoder.finish()
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable, Iterator
from typing import Protocol

import brotli
import zstandard

STEP = 64 * 1024
# What newsdesk asks for: the encodings it can decode within the cap.
ACCEPT_ENCODING = "gzip, deflate, br, zstd"


class TooLarge(ValueError):
    """The response, or what it decodes to, is larger than the cap."""


class DecodeError(ValueError):
    """The compressed data is broken."""


class _Codec(Protocol):
    def decode(self, data: bytes) -> Iterator[bytes]: ...

    def finish(self) -> Iterator[bytes]: ...


class _Zlib:
    """gzip (``wbits`` 16+15) or deflate: zlib-wrapped, or raw as some servers send it."""

    def __init__(self, wbits: int, raw_fallback: bool = False) -> None:
        self._obj = zlib.decompressobj(wbits)
        self._raw_fallback = raw_fallback
        self._started = False

    def decode(self, data: bytes) -> Iterator[bytes]:
        tail = data
        while not self._obj.eof:
            try:
                out = self._obj.decompress(tail, STEP)
            except zlib.error as exc:
                if self._raw_fallback and not self._started:
                    self._raw_fallback = False
                    self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise DecodeError(str(exc)) from exc
            self._started = True
            tail = self._obj.unconsumed_tail
            if out:
                yield out
            if not tail and len(out) < STEP:
                return  # all input used and nothing held back

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Brotli:
    def __init__(self) -> None:
        self._obj = brotli.Decompressor()

    def decode(self, data: bytes) -> Iterator[bytes]:
        pending = data
        while not self._obj.is_finished():
            try:
                out = self._obj.process(pending, output_buffer_limit=STEP)
            except brotli.error as exc:
                raise DecodeError(str(exc)) from exc
            pending = b""
            if not out:
                return
            yield out

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Zstd:
    """zstd's Python binding cannot bound one step of a push decoder: the input is
    kept (it is capped like any input) and read back through a pull decoder at the end."""

    def __init__(self) -> None:
        self._input: list[bytes] = []

    def decode(self, data: bytes) -> Iterator[bytes]:
        self._input.append(data)
        return iter(())

    def finish(self) -> Iterator[bytes]:
        source = io.BytesIO(b"".join(self._input))
        self._input.clear()
        reader = zstandard.ZstdDecompressor().stream_reader(source, read_across_frames=True)
        while True:
            try:
                out = reader.read(STEP)
            except zstandard.ZstdError as exc:
                raise DecodeError(str(exc)) from exc
            if not out:
                return
            yield out


def _codec(name: str) -> _Codec | None:
    if name in ("gzip", "x-gzip"):
        return _Zlib(16 + zlib.MAX_WBITS)
    if name == "deflate":
        return _Zlib(zlib.MAX_WBITS, raw_fallback=True)
    if name == "br":
        return _Brotli()
    if name == "zstd":
        return _Zstd()
    return None  # identity, or an encoding newsdesk never asked for: passed on as it is


class BoundedDecoder:
    """Undo a Content-Encoding (a list, applied in order) without ever holding much more than
    ``limit`` bytes: received bytes and every step's output are counted against it."""

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        names = [n.strip().lower() for n in (content_encoding or "").split(",") if n.strip()]
        found = [(name, _codec(name)) for name in reversed(names)]
        self._codecs = [codec for _, codec in found if codec is not None]
        self.encodings = [name for name, codec in reversed(found) if codec is not None]
        self.limit = limit
        self._counts = [0] * (len(self._codecs) + 1)

    def feed(self, data: bytes) -> bytes:
        """The decoded bytes ``data`` gives; raises TooLarge past the cap."""
        return b"".join(self._through(0, self._counted(0, [data])))

    def finish(self) -> bytes:
        """What the decoders still hold, once the response has ended."""
        out: list[bytes] = []
        for index, codec in enumerate(self._codecs):
            out.extend(self._through(index + 1, self._counted(index + 1, codec.finish())))
        return b"".join(out)

    def _through(self, index: int, pieces: Iterable[bytes]) -> Iterator[bytes]:
        """Pass ``pieces`` through the codecs from ``index`` on, lazily."""
        if index == len(self._codecs):
            yield from pieces
            return
        codec = self._codecs[index]
        for piece in pieces:
            yield from self._through(index + 1, self._counted(index + 1, codec.decode(piece)))

    def _counted(self, index: int, pieces: Iterable[bytes]) -> Iterator[bytes]:
        for piece in pieces:
            self._counts[index] += len(piece)
            if self._counts[index] > self.limit:
                raise TooLarge(f"larger than {self.limit} bytes")
            yield piece
