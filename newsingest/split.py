"""From container members to records: the `split` stage."""

from __future__ import annotations

import os
from typing import Iterable, Iterator

from .container import Member
from .dedup import text_hash
from .extract import extract_title, extract_url
from .langid import detect_language
from .record import Record, Source


def clean_body(body: str) -> str:
    """Newlines normalised to ``\\n`` and blank lines trimmed at both ends; nothing else."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])


def container_label(path: str) -> str:
    """The name that stands for a container in the ids of its unnamed members."""
    return "stdin" if path == "-" else os.path.basename(path)


def member_to_record(member: Member, record_id: str) -> Record:
    text = clean_body(member.body)
    language, score = detect_language(text)
    return Record(
        id=record_id,
        text=text,
        title=extract_title(text),
        language=language,
        language_score=score,
        url=extract_url(text),
        hash=text_hash(text),
        source=Source(container=member.container, member=member.name, line=member.line),
        n_chars=len(text),
        truncated=member.truncated,
    )


class IdAllocator:
    """Hands out unique ids within one run: a repeated member name gets ``#2``, ``#3``, ..."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def __call__(self, member: Member) -> str:
        base = member.name if member.name is not None else f"{container_label(member.container)}#{member.ordinal}"
        count = self._counts.get(base, 0) + 1
        self._counts[base] = count
        if count == 1:
            return base
        candidate = f"{base}#{count}"
        while candidate in self._counts:  # `a#2` may also be a real member name
            count += 1
            candidate = f"{base}#{count}"
        self._counts[base] = count
        self._counts[candidate] = 1
        return candidate


def split_members(members: Iterable[Member], ids: IdAllocator | None = None) -> Iterator[Record]:
    """One record per member that has any text; empty members were reported by the reader."""
    ids = ids or IdAllocator()
    for member in members:
        if not member.body.strip():
            continue
        yield member_to_record(member, ids(member))
