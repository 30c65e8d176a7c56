"""The container reader takes runs of ordinary lines as one block (`io/container.py` `_Run`): the
members, their places and every problem are those of reading the same bytes a line at a time."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest.io import container
from newsingest.io.container import read_container

PIECES = [b"<<<FILE a>>>\n", b"<<<FILE>>>\n", b"<<<END>>>\n", b"  <<<file b>>>\n", b"\\<<<END>>>\n",
          b" \\\\<<<FILE x>>>\n", b"text <<<FILE>>> inside\n", b"\n", b"  \t\n", b"\r\n", b"\xd8\xb3\xd9\x84\n",
          b"bad \xff\xfe bytes\n", b"nul \x00 byte\n", b"x" * 40 + b"\n", b"y" * 70, b"\xef\xbb\xbf", b"\xd8", b"\r",
          b"\\\n", b"<<<"]


def _read(data: bytes, limit: int) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    problems: list[tuple[object, ...]] = []
    members: list[tuple[object, ...]] = [(m.name, m.ordinal, m.line, m.offset, m.body, m.truncated, m.encoding)
               for m in read_container(io.BytesIO(data), "c.txt", lambda p: problems.append(
                   (p.line, p.kind, p.message)), max_member_bytes=limit)]
    return members, problems


def _line_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(container, "_runs_of_lines",
                        lambda stream, limit, head=b"": container._bounded_lines(stream.readline, limit, head))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.sampled_from([30, 64, 1000]))
def test_runs_read_as_lines_do(pieces: list[bytes], limit: int) -> None:
    data = b"".join(pieces)
    fast = _read(data, limit)
    with pytest.MonkeyPatch.context() as patch:
        _line_at_a_time(patch)
        assert _read(data, limit) == fast


@pytest.mark.parametrize("end", [b"\n", b"\r\n"])
def test_long_members_and_lines_across_blocks(end: bytes) -> None:
    big = (b"word " * 30 + end) * 5000  # blocks of the reader end inside members and lines
    data = (b"<<<FILE a>>>" + end + big + b"<<<END>>>" + end + b"\n" + b"<<<FILE b>>>" + end
            + b"z" * 200_000 + end + b"<<<END>>>" + end + b"stray" + end + b"<<<FILE c>>>" + end + big)
    for limit in (100_000, 10**9):
        fast = _read(data, limit)
        with pytest.MonkeyPatch.context() as patch:
            _line_at_a_time(patch)
            assert _read(data, limit) == fast
    members, problems = _read(data, 10**9)
    assert [m[0] for m in members] == ["a", "b", "c"] and members[0][4] == big[:-1].decode()
    assert [p[1] for p in problems] == ["text_outside_member", "eof_inside_member"]
