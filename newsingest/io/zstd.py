"""zstd (`.zst`) in and out, streaming: the standard library's `compression.zstd` where there is
one (Python 3.14), else `zstandard` (the optional extra `newsingest[zstd]`).

Reading is bounded like gzip's: a read gives at most what was asked for, whatever the ratio. A
stream that ends inside a frame is an EOFError, as a truncated gzip stream is (`zstandard` stops
quietly there, so the frames are followed as they pass: their headers and block sizes only).
Damaged data is an OSError. Writing gives the same bytes for the same records (level 3, one
thread, no content size: the stream is written before its size is known).
"""

from __future__ import annotations

import io
from typing import Any, BinaryIO, Optional

from ..errors import MissingExtra

MAGIC = b"\x28\xb5\x2f\xfd"
LEVEL = 3
NEEDS_ZSTD = "zstd (.zst) needs the zstandard module: pip install 'newsingest[zstd]'"

_SKIPPABLE = 0x184D2A50  # to 0x184D2A5F: frames of other data, skipped
_READ_SIZE = 1 << 17


def _stdlib() -> Optional[Any]:
    try:
        from compression import zstd  # type: ignore[import-not-found]  # Python 3.14
    except ImportError:
        return None
    return zstd


def _zstandard() -> Any:
    try:
        import zstandard
    except ImportError:
        raise MissingExtra(NEEDS_ZSTD) from None
    return zstandard


def reader(raw: BinaryIO) -> BinaryIO:
    """The decompressed bytes of a zstd stream (one frame or more)."""
    stdlib = _stdlib()
    if stdlib is not None:
        return stdlib.ZstdFile(raw, mode="rb")  # type: ignore[no-any-return]  # not in Python 3.10's stubs
    zstandard = _zstandard()
    frames = _Frames(raw)
    inner = zstandard.ZstdDecompressor().stream_reader(frames, read_size=_READ_SIZE, read_across_frames=True)
    return io.BufferedReader(_Checked(inner, frames, zstandard.ZstdError))


def writer(raw: BinaryIO) -> BinaryIO:
    """A stream compressing into ``raw`` (left open when it is closed)."""
    stdlib = _stdlib()
    if stdlib is not None:
        return stdlib.ZstdFile(raw, mode="wb", level=LEVEL)  # type: ignore[no-any-return]  # as above
    compressor = _zstandard().ZstdCompressor(level=LEVEL, threads=0, write_content_size=False)
    return compressor.stream_writer(raw, closefd=False)  # type: ignore[no-any-return]  # zstandard: not followed


class _Checked(io.RawIOBase):
    """Decompressed bytes; an end of input inside a frame is an EOFError, damage an OSError."""

    def __init__(self, inner: Any, frames: "_Frames", errors: type[Exception]) -> None:
        self._inner, self._frames, self._errors = inner, frames, errors

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            count = int(self._inner.readinto(buffer))
        except self._errors as exc:
            raise OSError(f"zstd: {exc}") from None
        if count == 0 and not self._frames.at_boundary:
            raise EOFError("compressed file ended before the end-of-stream marker was reached")
        return count

    def close(self) -> None:
        self._inner.close()
        super().close()


class _Frames(io.RawIOBase):
    """The compressed bytes, passed on unchanged; where the frames end is followed as they pass
    (frame header, block headers and sizes, checksum), so that the end of input can be told to be
    at the end of a frame or inside one."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._want = 4  # bytes of the next header
        self._header = bytearray()
        self._state = "magic"
        self._skip = 0  # bytes of content to pass over
        self._checksum = False
        self._lost = False  # bytes that are no frame: the decompressor reports them

    def readable(self) -> bool:
        return True

    @property
    def at_boundary(self) -> bool:
        return self._lost or (self._state == "magic" and not self._header and not self._skip)

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        if data and not self._lost:
            self._follow(memoryview(data))
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _follow(self, data: memoryview) -> None:
        at = 0
        while at < len(data) and not self._lost:
            if self._skip:
                step = min(self._skip, len(data) - at)
                self._skip -= step
                at += step
                continue
            take = min(self._want - len(self._header), len(data) - at)
            self._header += data[at : at + take]
            at += take
            if len(self._header) == self._want:
                header, self._header = bytes(self._header), bytearray()
                self._next(header)

    def _next(self, header: bytes) -> None:
        """What comes after a complete header of the current state."""
        value = int.from_bytes(header, "little")
        if self._state == "magic":
            if header == MAGIC:
                self._state, self._want = "frame", 1
            elif value & 0xFFFFFFF0 == _SKIPPABLE:
                self._state, self._want = "skippable", 4
            else:
                self._lost = True
        elif self._state == "skippable":
            self._state, self._want, self._skip = "magic", 4, value
        elif self._state == "frame":
            single_segment = (value >> 5) & 1
            self._checksum = bool((value >> 2) & 1)
            content_size = (single_segment, 2, 4, 8)[value >> 6]
            self._skip = (1 - single_segment) + (0, 1, 2, 4)[value & 3] + content_size
            self._state, self._want = "block", 3
        elif self._state == "block":
            last, kind, size = value & 1, (value >> 1) & 3, value >> 3
            if kind == 3:
                self._lost = True  # a reserved block type: damaged
                return
            self._skip = 1 if kind == 1 else size
            if last:
                self._skip += 4 if self._checksum else 0
                self._state, self._want = "magic", 4
