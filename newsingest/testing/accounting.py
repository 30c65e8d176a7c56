"""The container invariant: nothing is lost between a container and its records.

For every container, records emitted + members reported as unreadable = member
headers seen, and every non-blank line of every member is found in its record
(`text`, `title`, `captions` or `boilerplate`). Tests and fuzzers check it on
any bytes; it holds the whole container in memory, so it is not for production runs.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import BinaryIO, Optional

from ..io.container import Member, is_header_line, read_container
from ..errors import Problem
from ..stages.extract import Article, account_lines
from ..record import Record
from ..stages.split import DEFAULT, SplitOptions, split_members

# Problem kinds that stand for a member whose header was seen but that gives no record.
UNREADABLE_KINDS = frozenset({"empty_member", "member_too_large"})


@dataclass
class Accounting:
    """What :func:`account_container` found; ``ok`` when the invariant holds."""

    headers: int = 0  # header lines in the container, counted apart from the reader's state machine
    members: int = 0  # members the reader yielded
    records: int = 0  # records split_members emitted
    unreadable: int = 0  # problems of a kind in UNREADABLE_KINDS
    lost: list[tuple[int, str]] = field(default_factory=list)  # (header line, body line) found in no record field
    mismatched: list[str] = field(default_factory=list)  # records whose source does not match their member
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.records + self.unreadable == self.headers
            and self.members == self.headers
            and not self.lost
            and not self.mismatched
        )

    def explain(self) -> str:
        """A one-paragraph account, for an assertion message."""
        parts = [
            f"headers seen {self.headers}, members read {self.members}, records {self.records}, "
            f"unreadable {self.unreadable}"
        ]
        parts += [f"line of the member at line {at} in no record field: {text!r}" for at, text in self.lost[:5]]
        parts += self.mismatched[:5]
        return "; ".join(parts)


def account_container(data: bytes, path: str = "container.txt", options: Optional[SplitOptions] = None) -> Accounting:
    """Read ``data`` (a container, possibly compressed, possibly damaged) and check the invariant.

    Headers are counted on the container's lines with :func:`~newsingest.container.is_header_line`,
    apart from the reader, so that a member the reader drops or merges shows as a difference.
    Never raises on bad input: every problem goes into ``problems``.
    """
    options = options or DEFAULT
    result = Accounting()
    members: list[Member] = list(read_container(open_input_bytes(data), path, result.problems.append))
    result.members = len(members)
    result.headers = _count_headers(data)
    result.unreadable = sum(1 for p in result.problems if p.kind in UNREADABLE_KINDS)
    kept = [m for m in members if m.has_text]
    records: list[Record] = list(split_members(iter(kept), options=options))
    result.records = len(records)
    for member, record in zip(kept, records):
        if (record.source.line, record.source.member) != (member.line, member.name):
            result.mismatched.append(
                f"record {record.id!r} says line {record.source.line}, its member is at line {member.line}"
            )
        article = Article(
            text=record.text,
            title=record.title,
            captions=list(record.captions),
            boilerplate=list(record.boilerplate),
        )
        result.lost += [(member.line, line) for line in account_lines(member.body, article)]
    return result


def check_container(data: bytes, path: str = "container.txt", options: Optional[SplitOptions] = None) -> Accounting:
    """:func:`account_container`, raising AssertionError with an explanation when the invariant fails."""
    result = account_container(data, path, options)
    if not result.ok:
        raise AssertionError(f"{path}: invariant broken: {result.explain()}")
    return result


def open_input_bytes(data: bytes) -> BinaryIO:
    """Like :func:`~newsingest.streams.open_input`, on bytes in memory (compression told by leading bytes)."""
    from ..io.streams import _decompressor

    raw = io.BufferedReader(io.BytesIO(data))
    opener = _decompressor(raw.peek(6)[:6])
    return opener(raw) if opener else raw


def _count_headers(data: bytes) -> int:
    from ..io.container import iter_raw_lines
    from ..io.streams import UTF8_BOM

    lines = iter_raw_lines(open_input_bytes(data))
    count = 0
    first = True
    for raw in lines:
        if not isinstance(raw, bytes):  # a line too long to hold (its length) is never a header
            first = False
            continue
        if first and raw.startswith(UTF8_BOM):
            raw = raw[len(UTF8_BOM):]
        first = False
        if is_header_line(raw.decode("utf-8", "replace")):
            count += 1
    return count


__all__ = ["Accounting", "UNREADABLE_KINDS", "account_container", "check_container", "open_input_bytes"]
