"""Reading and writing the ``<<<FILE name>>>`` container format (docs/container-format.md).

The reader streams: it holds one member's lines at a time, never the container.
Problems are handed to a callback as they are found, so a caller can print them
and go on (the default of the CLI) or stop at the first one (``--strict``).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterable, Iterator, Optional, Protocol, Union, runtime_checkable

from ..errors import Problem, ProblemError
from .encoding import PREFIX_BYTES, BadBytesHandler, decode_container
from .streams import CORRUPT_STREAM_ERRORS, REPLACED_NOT_UTF8, UTF8_BOM, bad_bytes_place, not_utf8, read_past

# A member larger than this is skipped (and reported) while it is read, never held: a
# decompression bomb (a few MB that expand to one line of gigabytes) costs no more memory than it.
DEFAULT_MAX_MEMBER_BYTES = 64 * 2**20

# `<<<FILE name>>>`, `<<<FILE: name>>>` and bare `<<<FILE>>>`; matched on the line
# with trailing whitespace (and a CR) removed.
# The name keeps its surrounding spaces here (the reader strips them): a lazy name between two
# runs of spaces took cubic time on a header of many spaces.
_HEADER = re.compile(r"<<<FILE(?:[: \t](?P<name>.*))?>>>")
_END = "<<<END>>>"

# White space the reader allows before a marker (odd markers are read, and reported).
_MARKER_SPACE = " \t\r\n\f\v"
# A body line that could read as a marker, with any number of escape backslashes
# already in front: `pack` adds one backslash, the reader removes one.
_NEEDS_ESCAPE = re.compile(r"[ \t\r\n\f\v]*\\*<<<")
_ESCAPED = re.compile(r"([ \t\r\n\f\v]*)\\(\\*<<<)")

ProblemHandler = Callable[[Problem], None]

# Every kind of problem the reader reports (docs/container-format.md lists them all).
PROBLEM_KINDS = (
    "end_without_file",
    "file_inside_member",
    "eof_inside_member",
    "text_outside_member",
    "empty_member",
    "duplicate_name",
    "not_utf8",
    "undecodable",
    "corrupt_stream",
    "odd_marker",
    "cr_line_ends",
    "binary_content",
    "empty_container",
    "no_members",
    "member_too_large",
)

_MARKER_START = re.compile(r"[ \t\r\n\f\v]*<<<")
_CHUNK = 1 << 20


@dataclass
class Member:
    """One member of a container, with its body exactly as stored (escapes removed)."""

    container: str
    name: Optional[str]
    ordinal: int
    line: int
    body: str
    truncated: bool = False
    offset: int = 0  # byte offset of the header line in the (decompressed) container
    encoding: str = "utf-8"  # the container's text encoding, as a record shows it

    @property
    def has_text(self) -> bool:
        """Whether the body holds anything but white space: an empty member gives no record."""
        return bool(self.body) and not self.body.isspace()  # as body.strip(), without copying the body


def raise_problem(problem: Problem) -> None:
    """The default problem handler: stop at the first problem."""
    raise ProblemError(problem)


def escape_line(line: str) -> str:
    """Escape a body line so the reader never takes it for a marker (odd markers included)."""
    if _NEEDS_ESCAPE.match(line):
        stripped = line.lstrip(_MARKER_SPACE)
        return line[: len(line) - len(stripped)] + "\\" + stripped
    return line


def unescape_line(line: str) -> str:
    """Undo :func:`escape_line`."""
    match = _ESCAPED.match(line)
    if match is None:
        return line
    return match.group(1) + line[match.end(1) + 1 :]


def _body(lines: list[str]) -> str:
    # The single "\n" that ends the last body line belongs to the marker that
    # follows; this is what lets a body that does not end in a newline round-trip.
    body = "".join(lines)
    lines.clear()  # a member of one huge line must not be held three times over
    return body[:-1] if body.endswith("\n") else body


def read_marker(line: str) -> Optional[tuple[str, Optional[str], bool]]:
    """``(kind, name, exact)`` for a marker line (kind ``"file"`` or ``"end"``), None for any other line.

    ``exact`` is False for a line that is a marker except for letter case or spacing
    (``<<<file a>>>``, ``<<< END >>>``, an indented marker): it is read as the marker and
    reported. Body lines that look like markers are escaped by ``pack``, so they never get here.
    Plain string tests, no regular expression: any line is classified in linear time.
    """
    if line.startswith("<<<"):
        marker = line.rstrip()
        header = _HEADER.fullmatch(marker)
        if header is not None:
            return "file", (header.group("name") or "").strip() or None, True
        if marker == _END:
            return "end", None, True
    stripped = line.strip(_MARKER_SPACE)
    if not (stripped.startswith("<<<") and stripped.endswith(">>>") and len(stripped) >= 6):
        return None
    inner = stripped[3:-3].strip(" \t")
    word = inner[:4]
    if word.isascii() and word.upper() == "END" and len(inner) == 3:
        return "end", None, False
    if word.isascii() and word.upper() == "FILE" and (len(inner) == 4 or inner[4] in " \t:"):
        rest = inner[4:].lstrip(" \t")
        if rest.startswith(":"):
            rest = rest[1:]
        return "file", rest.strip(" \t") or None, False
    return None


def is_header_line(line: str) -> bool:
    """Whether the reader takes this line (without escapes removed) for a member header."""
    marker = read_marker(line)
    return marker is not None and marker[0] == "file"


def _written(line: str) -> str:
    text = line.rstrip("\r\n")
    return repr(text if len(text) <= 80 else text[:77] + "...")


def read_container(
    stream: BinaryIO,
    path: str,
    on_problem: ProblemHandler = raise_problem,
    encoding: str = "auto",
    max_member_bytes: int = DEFAULT_MAX_MEMBER_BYTES,
) -> Iterator[Member]:
    """Yield the members of one container read from a binary stream.

    Every member whose header was seen is yielded, also when it was cut short
    (``truncated``) or is empty; problems go to ``on_problem`` with their line.
    ``encoding`` is a codec name or ``auto`` (decided from the first 64 KiB; see
    newsingest.encoding); an unknown one raises EncodingError before anything is read.
    A member whose body has more than ``max_member_bytes`` bytes is reported
    (`member_too_large`) and not yielded; no more than that of it is ever held.
    """
    names_seen: dict[str, int] = {}
    current: Optional[Member] = None
    lines: list[str] = []
    member_bytes: Optional[int] = 0  # of the current member's body, as read (None once it is too large)
    ordinal = 0
    lineno = 0
    offset = 0
    outside_reported = False

    def report(line: int, kind: str, message: str) -> None:
        on_problem(Problem(path, line, kind, message))

    def finish(member: Member, truncated: bool) -> Optional[Member]:
        member.truncated = truncated
        if member_bytes is None:
            lines.clear()
            report(member.line, "member_too_large",
                   f"member {_label(member)} is larger than {_size(max_member_bytes)} (--max-member-bytes); "
                   "skipped — raise --max-member-bytes if it is a real article")
            return None
        member.body = _body(lines)
        if not member.has_text:
            report(member.line, "empty_member", f"member {_label(member)} is empty; no record is written for it")
        return member

    decoded = decode_container(stream, encoding, _bad_bytes_reporter(path, on_problem), max_member_bytes)
    decoded_lines = decoded.lines  # UTF-16 and UTF-32 come re-encoded as UTF-8
    raw_lines = _safe_lines(decoded_lines, max_member_bytes, runs=decoded.codec == "utf-8")
    binary = _binary_in_head(decoded_lines)
    if binary is not None:
        report(binary, "binary_content", _BINARY_MESSAGE)
        outside_reported = True
    content_bytes = 0
    for item in raw_lines:
        if isinstance(item, _Run):  # ordinary lines (no marker, no escape), one block: taken whole where nothing is to report
            data = item.data
            if current is not None:
                if (member_bytes is not None and member_bytes + len(data) <= max_member_bytes
                        and (binary is not None or b"\x00" not in data)):
                    try:
                        text = data.decode(decoded.codec)
                    except UnicodeDecodeError:
                        pass
                    else:
                        lineno += item.count
                        offset += len(data)
                        content_bytes += len(data)
                        member_bytes += len(data)
                        lines.append(text)
                        continue
            elif not data.strip():  # blank lines between members
                lineno += item.count
                offset += len(data)
                content_bytes += len(data)
                continue
            pieces: Iterable[Union[bytes, int]] = item.lines()
        else:
            pieces = (item,)
        for raw in pieces:
            lineno += 1
            if isinstance(raw, int):  # a line longer than a member may be: read past, never held
                offset += raw
                content_bytes += raw
                if current is not None:
                    member_bytes = None
                    lines.clear()
                elif not outside_reported:
                    report(lineno, "text_outside_member", _OUTSIDE_MESSAGE)
                    outside_reported = True
                continue
            if lineno == 1 and raw.startswith(UTF8_BOM):
                raw = raw[len(UTF8_BOM) :]
                offset += len(UTF8_BOM)
            if lineno == 1 and raw_lines.cr_only and binary is None:
                on_problem(Problem(path, None, "cr_line_ends", _CR_MESSAGE))
            content_bytes += len(raw)
            if binary is None and b"\x00" in raw:
                binary = lineno
                report(lineno, "binary_content", _BINARY_MESSAGE)
                outside_reported = outside_reported or current is None
            # Outside members a line is only looked at for markers: its bytes are not kept, and
            # the stray run it belongs to is reported once, so no report per undecodable line.
            line = decoded.line(raw, lineno, offset, on_problem if current is not None else _ignore)
            offset += len(raw)

            marker = read_marker(line) if _MARKER_START.match(line) else None
            if marker is not None and not marker[2]:
                kind, odd_name, _ = marker
                exact = "<<<END>>>" if kind == "end" else (f"<<<FILE {odd_name}>>>" if odd_name else "<<<FILE>>>")
                report(lineno, "odd_marker", f"marker written {_written(line)}; read as {exact} — write markers exactly")
            if marker is not None:
                if marker[0] == "file":
                    if current is not None:
                        report(
                            lineno,
                            "file_inside_member",
                            f"<<<FILE>>> while member {_label(current)} (line {current.line}) is still open; "
                            "that member is kept as truncated — add <<<END>>> before this line",
                        )
                        if (finished := finish(current, truncated=True)) is not None:
                            yield finished
                    ordinal += 1
                    name = marker[1]
                    if name is not None:
                        if name in names_seen:
                            report(
                                lineno,
                                "duplicate_name",
                                f"member name {name!r} already used at line {names_seen[name]}; "
                                "both are kept, with different ids — rename one of them",
                            )
                        else:
                            names_seen[name] = lineno
                    current = Member(path, name, ordinal, lineno, "", offset=offset - len(raw), encoding=decoded.encoding)
                    lines = []
                    member_bytes = 0
                    outside_reported = False
                    continue
                else:
                    if current is None:
                        report(
                            lineno,
                            "end_without_file",
                            "<<<END>>> without an open member; ignored — is a <<<FILE name>>> line missing above?",
                        )
                    else:
                        if (finished := finish(current, truncated=False)) is not None:
                            yield finished
                        current = None
                        lines = []
                    outside_reported = False
                    continue

            if current is not None:
                if member_bytes is not None:
                    member_bytes += len(raw)
                    if member_bytes > max_member_bytes:
                        member_bytes = None
                        lines.clear()
                    else:
                        lines.append(unescape_line(line))
            elif line.strip() and not outside_reported:
                report(lineno, "text_outside_member", _OUTSIDE_MESSAGE)
                outside_reported = True

    if raw_lines.error is not None:
        report(
            lineno + 1,
            "corrupt_stream",
            f"compressed data is truncated or corrupt ({raw_lines.error}); "
            "what was read before it is kept — check the file's download or copy",
        )
    if ordinal == 0 and raw_lines.error is None and binary is None:
        if content_bytes == 0:
            on_problem(Problem(path, None, "empty_container", "empty file, no members — is this the right file?"))
        elif not outside_reported:
            on_problem(
                Problem(path, None, "no_members", "no members, only blank lines — is this the right file?")
            )
    if current is not None:
        report(
            max(lineno, 1),
            "eof_inside_member",
            f"end of file inside member {_label(current)} (line {current.line}); "
            "it is kept as truncated — add <<<END>>> at the end",
        )
        if (finished := finish(current, truncated=True)) is not None:
            yield finished


def _label(member: Member) -> str:
    return repr(member.name) if member.name is not None else f"#{member.ordinal} (unnamed)"


_BINARY_MESSAGE = "binary content (NUL bytes); only <<<FILE>>> members in it are read — is this a container?"
_OUTSIDE_MESSAGE = (
    "text outside any member; it and the lines up to the next marker are not part of "
    "any record — is a <<<FILE name>>> line missing above?"
)


def _size(n: int) -> str:
    """A byte count as people write it: `64 MiB`, `1,000 bytes`."""
    for unit, factor in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= factor and n % factor == 0:
            return f"{n // factor:,} {unit}"
    return f"{n:,} bytes"
_CR_MESSAGE = "line ends are CR only (old Mac style); read as lines — convert them to LF (\\n)"


def _ignore(problem: Problem) -> None:
    pass


def _bad_bytes_reporter(path: str, on_problem: ProblemHandler) -> BadBytesHandler:
    """Bytes the container's encoding cannot decode, as a problem at their line, column and offset."""

    def report(
        lineno: int, column: int, offset: int, encoding: str, more: int, handler: ProblemHandler = on_problem
    ) -> None:
        if encoding == "utf-8":
            handler(not_utf8(path, lineno, column, offset, REPLACED_NOT_UTF8, more))
        else:
            handler(Problem(
                path, lineno, "undecodable",
                f"bytes that are not {encoding} {bad_bytes_place(column, offset, more)}; replaced with U+FFFD "
                "— is the file in another encoding? Give it with --encoding",
            ))

    return report


def _binary_in_head(stream: object) -> Optional[int]:
    """The line of a NUL byte in the buffered head of the stream before any marker, if any.

    Binary files (an image, an archive) are told at once this way, before their first
    lines are reported as stray text.
    """
    peek = getattr(stream, "peek", None)
    if peek is None:
        return None
    try:
        head: bytes = peek(8192)[:8192]
    except CORRUPT_STREAM_ERRORS:
        return None
    nul = head.find(b"\x00")
    marker = head.find(b"<<<")
    if nul < 0 or (0 <= marker < nul):
        return None
    return head.count(b"\n", 0, nul) + 1


@runtime_checkable
class _LineReader(Protocol):
    """A binary stream read by lines and by chunks (a container in an encoding other than UTF-16/32)."""

    def readline(self, size: int = -1, /) -> bytes: ...

    def read(self, size: int = -1, /) -> bytes: ...


class _safe_lines:
    """Iterate a stream's lines, turning a decompressor's error into a recorded end.

    A file whose first line end is a lone CR (old Mac files have no LF at all) is split
    at CR, CRLF and LF alike, each line given back ending in LF (``cr_only``); any other
    file is split at LF only, as the format says. A line longer than ``limit`` bytes is read
    past in pieces and given as its length (an int) instead: it is never held whole.
    """

    def __init__(self, stream: Iterable[Union[bytes, int]], limit: int = DEFAULT_MAX_MEMBER_BYTES,
                 runs: bool = False):
        self._stream = stream
        self._limit = limit
        self._runs = runs  # ordinary lines handed on in runs (`_Run`), where a line end is a b"\n" byte
        self.error: Optional[str] = None
        self.cr_only = False

    def __iter__(self) -> Iterator[Union[bytes, int, _Run]]:
        try:
            yield from self._lines()
        except CORRUPT_STREAM_ERRORS as exc:
            self.error = str(exc) or type(exc).__name__

    def _lines(self) -> Iterator[Union[bytes, int, _Run]]:
        stream = self._stream
        if not isinstance(stream, _LineReader):  # lines handed on already bounded (UTF-16 and UTF-32)
            yield from stream
            return
        readline = stream.readline
        head = readline(min(_CHUNK, self._limit + 1))
        cr = head.find(b"\r")
        if cr == len(head) - 1 and not head.endswith(b"\n") and len(head) >= min(_CHUNK, self._limit + 1):
            head += stream.read(1)  # is this CR the first half of a CRLF?
        lf = head.find(b"\n")
        if cr < 0 or (0 <= lf < cr) or head[cr + 1 : cr + 2] == b"\n":
            if self._runs:
                yield from _runs_of_lines(stream, self._limit, head)
            else:
                yield from _bounded_lines(readline, self._limit, head)
            return
        self.cr_only = True
        yield from _cr_split(head, stream, self._limit)


def _bounded_lines(readline: Callable[[int], bytes], limit: int, head: bytes = b"") -> Iterator[Union[bytes, int]]:
    """Lines from ``readline``, starting with ``head`` (the start of the first line, or more); a
    line of more than ``limit`` bytes is given as its length."""
    line = head
    if line and not line.endswith(b"\n"):
        line += readline(limit + 1 - len(line)) if len(line) <= limit else b""
    while line:
        if line.endswith(b"\n") or len(line) <= limit:
            if len(line) - line.endswith(b"\n") <= limit:
                yield line
                line = readline(limit + 1)
                continue
        held, line = [line], b""
        yield read_past(readline, held, _CHUNK)
        line = readline(limit + 1)


class _Run:
    """Whole lines in a row, none of which the reader could take for a marker or an escaped line:
    it may take them as one block. ``count``: how many lines."""

    __slots__ = ("data", "count")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.count = data.count(b"\n") + (not data.endswith(b"\n"))

    def lines(self) -> list[bytes]:
        """The lines one by one, as `_bounded_lines` gives them."""
        pieces = self.data.split(b"\n")
        last = pieces.pop()
        lines = [piece + b"\n" for piece in pieces]
        if last:
            lines.append(last)
        return lines


def _line_or_length(line: bytes, limit: int) -> Union[bytes, int]:
    return line if len(line) - line.endswith(b"\n") <= limit else len(line)


def _runs_of_lines(stream: _LineReader, limit: int, head: bytes = b"") -> Iterator[Union[bytes, int, _Run]]:
    """The lines `_bounded_lines` gives (starting with ``head``), read a block at a time: a line that
    could be a marker (``<<<`` after nothing but white space and backslashes), the first line and a
    line too long (its length) each alone; the lines between them as `_Run` blocks."""
    first = not head.endswith(b"\n")  # else ``head`` is the first line, whole
    if not first:
        yield _line_or_length(head, limit)
        head = b""
    pieces = [head] if head else []
    held = len(head)  # bytes of a line not ended yet
    # What the buffer holds, else one read of its size: the reads `readline` would make, so that a
    # stream cut short (a truncated .gz) ends after the same lines.
    read = getattr(stream, "read1", stream.read)
    while True:
        data = read(PREFIX_BYTES)
        if not data:
            if pieces:
                yield from _block_lines(b"".join(pieces), limit, first)
            return
        last = data.rfind(b"\n")
        if last < 0:
            pieces.append(data)
            held += len(data)
            if held > limit:  # a line too long to hold: read past, counted
                pieces.clear()
                while not data.endswith(b"\n"):
                    data = stream.readline(_CHUNK)
                    if not data:
                        break
                    held += len(data)
                yield held
                held, first = 0, False
            continue
        pieces.append(data[: last + 1])
        block = b"".join(pieces)
        rest = data[last + 1 :]
        pieces, held = ([rest], len(rest)) if rest else ([], 0)
        yield from _block_lines(block, limit, first)
        first = False


def _block_lines(block: bytes, limit: int, first: bool) -> Iterator[Union[bytes, int, _Run]]:
    n = len(block)
    pos = 0
    if first:
        pos = block.find(b"\n") + 1 or n
        yield _line_or_length(block[:pos], limit)
    start = pos  # of the run not handed on yet
    while (found := block.find(b"<<<", pos)) >= 0:
        line_start = block.rfind(b"\n", 0, found) + 1
        line_end = block.find(b"\n", found) + 1 or n
        if not block[line_start:found].strip(b" \t\r\f\v\\"):  # line_start >= start: both are line starts
            if line_start > start:
                yield from _run_or_lines(block[start:line_start], limit)
            yield _line_or_length(block[line_start:line_end], limit)
            start = line_end
        pos = line_end
    if start < n:
        yield from _run_or_lines(block[start:], limit)


def _run_or_lines(data: bytes, limit: int) -> Iterator[Union[bytes, int, _Run]]:
    if len(data) - data.endswith(b"\n") <= limit:  # no line in it is too long
        yield _Run(data)
    else:
        for line in _Run(data).lines():
            yield _line_or_length(line, limit)


def _cr_split(head: bytes, stream: _LineReader, limit: int = DEFAULT_MAX_MEMBER_BYTES) -> Iterator[Union[bytes, int]]:
    """Lines ending in CR, CRLF or LF, read in chunks; a line ending in a lone CR is given back
    ending in LF, so that line numbers and byte offsets stay those of the file. A line of more
    than ``limit`` bytes is given as its length."""
    pending: list[bytes] = []  # pieces of a line not ended yet (a long line spans chunks)
    held = 0  # bytes in pending
    dropped = 0  # bytes of the current line read past (it is too long to hold)
    cr_at_end = False  # the last chunk ended in CR: a LF first in the next one belongs to it

    def add(piece: bytes) -> None:
        nonlocal held, dropped
        if dropped:
            dropped += len(piece)
        elif held + len(piece) > limit + 2:  # room for the line's end, CRLF
            dropped = held + len(piece)
            pending.clear()
            held = 0
        else:
            pending.append(piece)
            held += len(piece)

    def end_line() -> Union[bytes, int]:
        nonlocal held, dropped
        line: Union[bytes, int] = dropped if dropped else b"".join(pending)
        if isinstance(line, bytes) and len(line.rstrip(b"\r\n")) > limit:
            line = len(line)
        pending.clear()
        held = dropped = 0
        return line

    data = head
    while data:
        n = len(data)
        start = 0
        if cr_at_end:
            cr_at_end = False
            if data.startswith(b"\n"):
                add(b"\r\n")
                start = 1
            else:
                add(b"\n")
            yield end_line()
        cr = data.find(b"\r", start)
        lf = data.find(b"\n", start)
        while start < n:
            if cr != -1 and cr < start:
                cr = data.find(b"\r", start)
            if lf != -1 and lf < start:
                lf = data.find(b"\n", start)
            if cr < 0 and lf < 0:
                add(data[start:])
                break
            if lf >= 0 and (cr < 0 or lf < cr):
                end, ending = lf + 1, b""
            elif cr == n - 1:
                add(data[start:cr])
                cr_at_end = True
                break
            elif data[cr + 1] == 0x0A:
                end, ending = cr + 2, b""
            else:
                add(data[start:cr])
                end, ending = cr + 1, b"\n"
            add(ending if ending else data[start:end])
            yield end_line()
            start = end
        data = stream.read(_CHUNK)
    if cr_at_end:
        add(b"\n")
    if pending or dropped:
        yield end_line()


def iter_raw_lines(stream: Iterable[bytes], limit: int = DEFAULT_MAX_MEMBER_BYTES) -> "_safe_lines":
    """The raw lines of a (decompressed) container exactly as the reader splits them."""
    return _safe_lines(stream, limit)


def check_member_name(name: str) -> Optional[str]:
    """Why ``name`` cannot stand in a header line, or None when it can."""
    if not name:
        return "a member name cannot be empty"
    if name != name.strip():
        return "a member name cannot start or end with white space"
    if any(ch in name for ch in "\r\n\x00"):
        return "a member name cannot contain a line break or NUL"
    return None


def format_member(name: Optional[str], body: str) -> str:
    """The container text of one member; :func:`read_container` gives ``body`` back exactly."""
    if name is not None and (why := check_member_name(name)):
        raise ValueError(f"{name!r}: {why}")
    header = f"<<<FILE {name}>>>\n" if name is not None else "<<<FILE>>>\n"
    escaped = "\n".join(escape_line(line) for line in body.split("\n"))
    return header + escaped + "\n" + _END + "\n"


def pack_sources(paths: Iterable[str]) -> list[tuple[str, str]]:
    """(member name, file path) for each file named or found under a directory, in a stable order.

    A file's member name is its path relative to the directory given, or the path
    as given for a file argument (its base name when that path leaves the current folder).
    """
    sources: list[tuple[str, str]] = []
    for path in paths:
        if os.path.isdir(path):
            found = []
            for root, dirs, files in os.walk(path):
                dirs.sort()
                # A link to a folder is not followed (it could loop); it is listed, to be reported.
                for filename in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
                    full = os.path.join(root, filename)
                    found.append((os.path.relpath(full, path).replace(os.sep, "/"), full))
            sources.extend(sorted(found))
        else:
            name = os.path.normpath(path).replace(os.sep, "/")
            if os.path.isabs(path) or name.startswith("../") or name == "..":
                name = os.path.basename(path)
            sources.append((name, path))
    return sources


# A path in a list longer than this names no file (PATH_MAX is 4096 on Linux): it is reported and
# read past, never held.
MAX_LISTED_PATH = 2**16


def listed_paths(stream: BinaryIO, where: str, null: bool = False,
                 on_problem: ProblemHandler = raise_problem) -> Iterator[str]:
    """The paths a list names, one a line (`find`), or each ended by a NUL byte with ``null``
    (`find -print0`, as `xargs -0` reads them); empty entries are passed over. Bytes are decoded
    as the file system's names are (`os.fsdecode`), so any path comes back as it was listed."""
    end = b"\0" if null else b"\n"
    held = b""
    dropped = 0  # the length so far of an entry too long to be a path, read past
    number = 0
    read = getattr(stream, "read1", stream.read)  # what a pipe holds now: packing starts at once
    for chunk in iter(lambda: read(_CHUNK), b""):
        *entries, rest = (held + chunk).split(end)
        for entry in entries:
            number += 1
            length, dropped = dropped + len(entry), 0
            if length > MAX_LISTED_PATH:
                on_problem(_path_too_long(where, number, length))
            elif entry:
                yield os.fsdecode(entry)
        held = rest
        if dropped or len(rest) > MAX_LISTED_PATH:
            dropped, held = dropped + len(rest), b""
    if held or dropped:
        number += 1
        if dropped + len(held) > MAX_LISTED_PATH:
            on_problem(_path_too_long(where, number, dropped + len(held)))
        else:
            yield os.fsdecode(held)


def _path_too_long(where: str, number: int, length: int) -> Problem:
    return Problem(where, number, "not_a_file", f"{length:,} bytes, longer than any path; left out — list one "
                   "path a line (or each ended by a NUL byte with --null)")


def pack_file(name: str, path: str, out: BinaryIO, on_problem: ProblemHandler = raise_problem) -> bool:
    """Append one file as a member; a file that is not UTF-8, not a regular file (a FIFO, a
    socket, a device) or cannot be opened (a dangling or looping link) is reported and left out."""
    data = _read_regular_file(path, on_problem)
    if data is None:
        return False
    try:
        body = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        on_problem(not_utf8(path, line, None, exc.start, "; file left out — convert it to UTF-8 first"))
        return False
    if (why := check_member_name(name)) is not None:
        on_problem(Problem(path, None, "bad_name", f"{why}; file left out — rename it"))
        return False
    out.write(format_member(name, body).encode("utf-8"))
    return True


_FILE_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
               (stat.S_ISBLK, "a device"), (stat.S_ISDIR, "a folder"))


def _read_regular_file(path: str, on_problem: ProblemHandler) -> Optional[bytes]:
    """The bytes of a regular file, or None (reported) for anything else. Opened without blocking
    and checked on the open file, so a FIFO never makes `pack` wait for a writer."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            reason = "a symbolic link that loops"
        elif exc.errno == errno.ENOENT and os.path.islink(path):
            reason = "a dangling symbolic link"
        else:
            reason = _kind_of(path) or f"cannot be read ({exc.strerror or exc})"
        on_problem(Problem(path, None, "not_a_file", f"{reason}; file left out — pack takes regular text files"))
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        on_problem(Problem(path, None, "not_a_file", f"{_kind_of(path, fd)}; file left out — "
                           "pack takes regular text files"))
        os.close(fd)
        return None
    os.set_blocking(fd, True)
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def _kind_of(path: str, fd: Optional[int] = None) -> Optional[str]:
    """What a path that is not a regular file is: `a named pipe (FIFO), not a regular file`."""
    try:
        mode = os.fstat(fd).st_mode if fd is not None else os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "something else")
    return f"{kind}, not a regular file"
