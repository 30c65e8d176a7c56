"""Reading and writing the ``<<<FILE name>>>`` container format (docs/container-format.md).

The reader streams: it holds one member's lines at a time, never the container.
Problems are handed to a callback as they are found, so a caller can print them
and go on (the default of the CLI) or stop at the first one (``--strict``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterable, Iterator, Optional

from .errors import Problem, ProblemError
from .streams import CORRUPT_STREAM_ERRORS, decode_line

UTF8_BOM = b"\xef\xbb\xbf"

# `<<<FILE name>>>`, `<<<FILE: name>>>` and bare `<<<FILE>>>`; matched on the line
# with trailing whitespace (and a CR) removed.
_HEADER = re.compile(r"<<<FILE(?:(?::|[ \t])[ \t]*(?P<name>.*?))?[ \t]*>>>")
_END = "<<<END>>>"

# A body line that could read as a marker, with any number of escape backslashes
# already in front: `pack` adds one backslash, the reader removes one.
_NEEDS_ESCAPE = re.compile(r"[ \t]*\\*<<<")
_ESCAPED = re.compile(r"([ \t]*)\\(\\*<<<)")

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
    "corrupt_stream",
)


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


def raise_problem(problem: Problem) -> None:
    """The default problem handler: stop at the first problem."""
    raise ProblemError(problem)


def escape_line(line: str) -> str:
    """Escape a body line so the reader never takes it for a marker."""
    if _NEEDS_ESCAPE.match(line):
        stripped = line.lstrip(" \t")
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
    return body[:-1] if body.endswith("\n") else body


def read_container(
    stream: BinaryIO,
    path: str,
    on_problem: ProblemHandler = raise_problem,
) -> Iterator[Member]:
    """Yield the members of one container read from a binary stream.

    Every member whose header was seen is yielded, also when it was cut short
    (``truncated``) or is empty; problems go to ``on_problem`` with their line.
    """
    names_seen: dict[str, int] = {}
    current: Optional[Member] = None
    lines: list[str] = []
    ordinal = 0
    lineno = 0
    offset = 0
    outside_reported = False

    def report(line: int, kind: str, message: str) -> None:
        on_problem(Problem(path, line, kind, message))

    def finish(member: Member, truncated: bool) -> Member:
        member.body = _body(lines)
        member.truncated = truncated
        if not member.body.strip():
            report(member.line, "empty_member", f"member {_label(member)} is empty; no record is written for it")
        return member

    raw_lines = _safe_lines(stream)
    for raw in raw_lines:
        lineno += 1
        if lineno == 1 and raw.startswith(UTF8_BOM):
            raw = raw[len(UTF8_BOM) :]
            offset += len(UTF8_BOM)
        line = decode_line(raw, path, lineno, offset, on_problem)
        offset += len(raw)

        if line.startswith("<<<"):
            marker = line.rstrip()
            header = _HEADER.fullmatch(marker)
            if header is not None:
                if current is not None:
                    report(
                        lineno,
                        "file_inside_member",
                        f"<<<FILE>>> while member {_label(current)} (line {current.line}) is still open; "
                        "that member is kept as truncated — add <<<END>>> before this line",
                    )
                    yield finish(current, truncated=True)
                ordinal += 1
                name = (header.group("name") or "").strip() or None
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
                current = Member(path, name, ordinal, lineno, "", offset=offset - len(raw))
                lines = []
                outside_reported = False
                continue
            if marker == _END:
                if current is None:
                    report(
                        lineno,
                        "end_without_file",
                        "<<<END>>> without an open member; ignored — is a <<<FILE name>>> line missing above?",
                    )
                else:
                    yield finish(current, truncated=False)
                    current = None
                    lines = []
                outside_reported = False
                continue

        if current is not None:
            lines.append(unescape_line(line))
        elif line.strip() and not outside_reported:
            report(
                lineno,
                "text_outside_member",
                "text outside any member; it and the lines up to the next marker are not part of "
                "any record — is a <<<FILE name>>> line missing above?",
            )
            outside_reported = True

    if raw_lines.error is not None:
        report(
            lineno + 1,
            "corrupt_stream",
            f"compressed data is truncated or corrupt ({raw_lines.error}); "
            "what was read before it is kept — check the file's download or copy",
        )
    if current is not None:
        report(
            max(lineno, 1),
            "eof_inside_member",
            f"end of file inside member {_label(current)} (line {current.line}); "
            "it is kept as truncated — add <<<END>>> at the end",
        )
        yield finish(current, truncated=True)


def _label(member: Member) -> str:
    return repr(member.name) if member.name is not None else f"#{member.ordinal} (unnamed)"


class _safe_lines:
    """Iterate a stream's lines, turning a decompressor's error into a recorded end."""

    def __init__(self, stream: Iterable[bytes]):
        self._stream = stream
        self.error: Optional[str] = None

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._stream
        except CORRUPT_STREAM_ERRORS as exc:
            self.error = str(exc) or type(exc).__name__


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
                for filename in files:
                    full = os.path.join(root, filename)
                    found.append((os.path.relpath(full, path).replace(os.sep, "/"), full))
            sources.extend(sorted(found))
        else:
            name = os.path.normpath(path).replace(os.sep, "/")
            if os.path.isabs(path) or name.startswith("../") or name == "..":
                name = os.path.basename(path)
            sources.append((name, path))
    return sources


def pack_file(name: str, path: str, out: BinaryIO, on_problem: ProblemHandler = raise_problem) -> bool:
    """Append one file as a member; a file that is not UTF-8 is reported and left out."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        body = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        on_problem(
            Problem(path, line, "not_utf8", f"bytes that are not UTF-8 at byte offset {exc.start}; "
                    "file left out — convert it to UTF-8 first")
        )
        return False
    if (why := check_member_name(name)) is not None:
        on_problem(Problem(path, None, "bad_name", f"{why}; file left out — rename it"))
        return False
    out.write(format_member(name, body).encode("utf-8"))
    return True
