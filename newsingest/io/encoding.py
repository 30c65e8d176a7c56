"""Which text encoding a container is in, and its lines decoded without losing a byte silently.

`auto` decides from a bounded prefix (PREFIX_BYTES of the decompressed stream), never the whole
file, and always the same way for the same bytes: a byte order mark decides; a prefix that is
UTF-8 (or mostly UTF-8, with a few damaged bytes) is UTF-8; only a prefix with enough bytes
that are not UTF-8 is handed to charset-normalizer, and an Arabic code page it names is read as
Windows-1256 when the bytes decode the same (docs/container-format.md, "Encodings").

Encodings in which a line end and the markers are ASCII bytes (UTF-8, the Windows and ISO code
pages, ...) are decoded line by line, so line numbers and byte offsets are exact. UTF-16 and
UTF-32 are decoded incrementally across line ends and handed on as UTF-8 lines.
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterable, Iterator, Optional, Union

from ..errors import NewsingestError, Problem
from .streams import CORRUPT_STREAM_ERRORS, RawReader

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

PREFIX_BYTES = 64 * 1024
# Below this many bytes that are not UTF-8 there is too little evidence to name a legacy code
# page (charset-normalizer names a Ukrainian or Urdu one for a lone accented letter): the file
# is read as UTF-8 and each bad byte is reported.
MIN_EVIDENCE = 16

# Byte order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)
# Decoders that take a `final` flag and say how many bytes they used: what decoding across
# line ends needs, with the exact offset of any bad bytes.
_WIDE = {
    "utf-16-le": codecs.utf_16_le_decode,
    "utf-16-be": codecs.utf_16_be_decode,
    "utf-32-le": codecs.utf_32_le_decode,
    "utf-32-be": codecs.utf_32_be_decode,
}
_WIDE_DEFAULT = {"utf-16": "utf-16-le", "utf-32": "utf-32-le"}  # no mark: little-endian
# Codecs whose bytes cannot be decoded one line at a time: escapes (unicode-escape), state
# carried from line to line (UTF-7, HZ, ISO-2022-*), or labels of domain names (IDNA, Punycode).
_NOT_LINE_BY_LINE = {"utf-7", "idna", "punycode", "unicode-escape", "raw-unicode-escape", "hz"}
# Code pages for Arabic script that charset-normalizer may name for Windows-1256 text.
_ARABIC_PAGES = {"cp1256", "iso8859_6", "cp720", "mac_arabic", "cp864"}

# Told (line, column, byte offset, encoding, further runs on the line) of bytes that could not be decoded; a second
# handler, when given, is where that one line's report goes instead (the container reader
# does not report bytes of stray text outside members line by line).
BadBytesHandler = Callable[..., None]


class EncodingError(NewsingestError, ValueError):
    """An encoding name that is unknown or cannot carry the container format."""


def canonical(name: str) -> str:
    """The name a record shows: Python's codec name, Windows code pages as `windows-NNNN`.

    Raises EncodingError for an unknown name or one whose line ends and markers are not ASCII
    bytes (other than UTF-16 and UTF-32).
    """
    try:
        info = codecs.lookup(name)
        if not info._is_text_encoding:  # rot13, base64, zlib...
            raise LookupError(name)
        codec = info.name
    except LookupError:
        raise EncodingError(f"unknown encoding {name!r} — give a name such as utf-8, utf-16 or windows-1256") from None
    if codec.startswith("cp125") and len(codec) == 6:
        codec = "windows-" + codec[2:]
    if codec in ("utf-8-sig",):
        codec = "utf-8"
    if codec in _WIDE or codec in _WIDE_DEFAULT:
        return codec
    try:
        compatible = "\n\r\t <>:\\FILEND".encode(codec) == b"\n\r\t <>:\\FILEND"
    except (UnicodeError, LookupError):
        compatible = False
    if not compatible:
        raise EncodingError(
            f"encoding {name!r} cannot carry the container format (its line ends and markers are not "
            "ASCII bytes) — convert the file to UTF-8"
        )
    if codec in _NOT_LINE_BY_LINE or codec.startswith("iso2022"):
        raise EncodingError(
            f"encoding {name!r} cannot be read a line at a time (it carries escapes or shifts from line "
            "to line) — convert the file to UTF-8"
        )
    try:  # every byte sequence must decode, bad bytes replaced, with no other error
        (bytes(range(256)) + "سلام".encode("utf-8")).decode(codec, "replace")
    except Exception:  # noqa: BLE001 - a codec may raise anything here
        raise EncodingError(
            f"encoding {name!r} cannot decode arbitrary bytes — give a text encoding such as utf-8 or windows-1256"
        ) from None
    return codec


def ends_lines_with_lf_byte(encoding: str) -> bool:
    """Whether a line of this encoding ends at a b"\\n" byte, so a file can be cut at a line start."""
    return _WIDE_DEFAULT.get(encoding, encoding) not in _WIDE


def detect(prefix: bytes) -> str:
    """The encoding of a stream that starts with ``prefix`` (see the module's docstring)."""
    for bom, name, _ in _BOMS:
        if prefix.startswith(bom):
            return name
    # A UTF-8 decoder that does not count a character cut by the end of the prefix.
    text = codecs.getincrementaldecoder("utf-8")("replace").decode(prefix, final=False)
    bad = text.count("\ufffd")
    if bad == 0 or b"\x00" in prefix:  # legacy code pages have no NUL in text: leave binary alone
        return "utf-8"
    good = sum(1 for ch in text if ch > "\x7f") - bad
    if bad * 10 < good or bad < MIN_EVIDENCE:  # UTF-8 with a few damaged bytes, or too little to tell
        return "utf-8"
    from charset_normalizer import from_bytes

    results = from_bytes(prefix)
    best = results.best()
    if best is None:
        return "utf-8"
    # Windows-1256 is what Persian and Arabic pages are saved in; other Arabic code pages
    # charset-normalizer may name for the same bytes are read as it when it is among the
    # candidates or decodes the bytes to the same text.
    candidates = {match.encoding for match in results}
    if best.encoding == "cp1256" or (
        best.encoding in _ARABIC_PAGES and ("cp1256" in candidates or _same_text(prefix, best.encoding, "cp1256"))
    ):
        return "windows-1256"
    try:
        return canonical(best.encoding)
    except EncodingError:
        return "utf-8"


def _same_text(data: bytes, codec: str, other: str) -> bool:
    try:
        return data.decode(codec) == data.decode(other)
    except UnicodeDecodeError:
        return False


@dataclass
class Decoded:
    """A container's lines as bytes (UTF-8 for UTF-16/32 input) and how to turn each into text."""

    lines: Iterable[Union[bytes, int]]  # a line longer than decode_container's limit: its length
    encoding: str  # the name a record shows
    codec: str  # what decodes ``lines``
    report: BadBytesHandler

    def line(self, raw: bytes, lineno: int, offset: int, *handler: Callable[[Problem], None]) -> str:
        """One line as text; bytes that do not decode are reported and replaced with U+FFFD.

        One report a line, at its first bad bytes, with how many more runs it holds: a line in
        the wrong encoding is one message, not one per byte. Two passes in C, so linear.
        """
        try:
            return raw.decode(self.codec)
        except UnicodeDecodeError as exc:
            first = exc.start
        text = raw.decode(self.codec, "replace")
        column = len(raw[:first].decode(self.codec)) + 1
        runs = text.count("\ufffd") - raw.count(_replacement_bytes(self.codec))
        self.report(lineno, column, offset + first, self.encoding, max(runs - 1, 0), *handler)
        return text


def _replacement_bytes(codec: str) -> bytes:
    """How U+FFFD itself is written in ``codec`` (a U+FFFD in the input is not a bad byte)."""
    try:
        return "\ufffd".encode(codec)
    except UnicodeEncodeError:
        return b"\x00\x00\x00\x00\x00"  # cannot occur in a line of such a codec's text


def decode_container(stream: BinaryIO, encoding: str, report: BadBytesHandler, limit: int = 2**62) -> Decoded:
    """Decide ``stream``'s encoding (``auto``: from a prefix) and give its lines to decode.

    Reads at most PREFIX_BYTES ahead and hands them on: the stream is never read whole. UTF-16
    and UTF-32 lines longer than ``limit`` bytes (as UTF-8) are given as their length, unheld.
    """
    prefixed = _Prefixed(stream, PREFIX_BYTES)
    name = detect(prefixed.prefix) if encoding == "auto" else canonical(encoding)
    reader = io.BufferedReader(prefixed, buffer_size=PREFIX_BYTES)
    wide = _WIDE_DEFAULT.get(name, name)
    if wide not in _WIDE:
        return Decoded(reader, name, name, report)
    skip = 0  # a byte order mark of the encoding in force is not content
    for bom, family, codec in _BOMS:
        if prefixed.prefix.startswith(bom) and name in (family, codec):
            wide, skip = codec, len(bom)
            reader.read(skip)
            break
    return Decoded(_wide_lines(reader, wide, skip, name, report, limit), name, "utf-8", report)


class _Prefixed(RawReader):
    """A binary stream whose first bytes were read ahead (to decide its encoding) and are given back.

    A decompressor's error met while reading ahead is raised where it happened: after the
    bytes read before it.
    """

    def __init__(self, stream: BinaryIO, size: int):
        self._stream = stream
        self._error: Optional[BaseException] = None
        chunks: list[bytes] = []
        have = 0
        read = getattr(stream, "read1", stream.read)
        try:
            while have < size:
                chunk = read(size - have)
                if not chunk:
                    break
                chunks.append(chunk)
                have += len(chunk)
        except CORRUPT_STREAM_ERRORS as exc:
            self._error = exc
        self.prefix = b"".join(chunks)
        self._pos = 0

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer)  # BufferedReader gives one already
        if self._pos < len(self.prefix):
            n = min(len(view), len(self.prefix) - self._pos)
            view[:n] = self.prefix[self._pos : self._pos + n]
            self._pos += n
            return n
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        data = self._stream.read(len(view))
        view[: len(data)] = data
        return len(data)


def _wide_lines(
    stream: BinaryIO, codec: str, start: int, name: str, report: BadBytesHandler, limit: int = 2**62
) -> Iterator[Union[bytes, int]]:
    """Lines of a UTF-16 or UTF-32 stream, re-encoded as UTF-8; bad bytes reported and replaced.

    A line is handed on before bad bytes after it are reported, so problems come in line order.
    A line of more than ``limit`` UTF-8 bytes is given as that length, and never held whole.
    """
    decode = _WIDE[codec]
    pending = b""
    base = start  # byte offset of pending[0] in the stream
    lineno = 1
    partial: list[str] = []  # the current line's text so far
    column = 0  # its length
    held = 0  # UTF-8 bytes of the current line so far
    dropped = False  # the current line is too long to hold: only its length is counted
    bad: Optional[list[int]] = None  # [column, offset, runs] of the current line's bad bytes

    def keep(piece: str) -> None:
        nonlocal column, held, dropped
        column += len(piece)
        held += len(piece.encode("utf-8", "surrogatepass"))
        if held > limit:
            dropped = True
            partial.clear()
        elif not dropped:
            partial.append(piece)

    def lines_of(text: str) -> Iterator[Union[bytes, int]]:
        nonlocal lineno, column, bad, dropped, held
        *complete, rest = text.split("\n")
        for piece in complete:
            keep(piece)
            if bad is not None:
                report(lineno, bad[0], bad[1], name, bad[2] - 1)
                bad = None
            if dropped:
                yield held + 1
            else:
                yield ("".join(partial) + "\n").encode("utf-8")
            partial.clear()
            lineno += 1
            column = held = 0
            dropped = False
        if rest:
            keep(rest)

    while True:
        chunk = stream.read(PREFIX_BYTES)
        final = not chunk
        pending = pending + chunk if pending else chunk
        view = memoryview(pending)
        pos = 0  # no copies while stepping over bad bytes: linear however many there are
        while pos < len(pending):
            try:
                text, used = decode(view[pos:], "strict", final)
            except UnicodeDecodeError as exc:
                text, _ = decode(view[pos : pos + exc.start], "strict", True)
                yield from lines_of(text)
                if bad is None:
                    bad = [column + 1, base + pos + exc.start, 0]
                bad[2] += 1
                yield from lines_of("\ufffd")
                pos += exc.end
                continue
            yield from lines_of(text)
            pos += used
            break
        view.release()
        base += pos
        pending = pending[pos:]
        if final:
            break
    if bad is not None:
        report(lineno, bad[0], bad[1], name, bad[2] - 1)
    if dropped:
        yield held
    elif partial:
        yield "".join(partial).encode("utf-8")
