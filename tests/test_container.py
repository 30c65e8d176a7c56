"""The container reader and writer, at the library level."""

import bz2
import gzip
import io
import lzma

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest.io.container import (
    escape_line,
    format_member,
    pack_file,
    pack_sources,
    read_container,
    unescape_line,
)
from newsingest.errors import ProblemError
from newsingest.io.streams import open_input


def read(data: bytes, path="c.txt"):
    problems = []
    members = list(read_container(io.BytesIO(data), path, problems.append))
    return members, problems


def test_members_with_names_bodies_and_header_lines():
    members, problems = read(b"<<<FILE a.txt>>>\nline one\nline two\n<<<END>>>\n\n<<<FILE b.txt>>>\nbee\n<<<END>>>\n")
    assert problems == []
    assert [(m.name, m.line, m.ordinal, m.body, m.truncated) for m in members] == [
        ("a.txt", 1, 1, "line one\nline two", False),
        ("b.txt", 6, 2, "bee", False),
    ]


@pytest.mark.parametrize(
    "header, name",
    [
        ("<<<FILE a b.txt>>>", "a b.txt"),
        ("<<<FILE: a.txt>>>", "a.txt"),
        ("<<<FILE:a.txt>>>", "a.txt"),
        ("<<<FILE>>>", None),
        ("<<<FILE:>>>", None),
        ("<<<FILE a.txt>>>   \t", "a.txt"),
        ("<<<FILE a.txt>>>\r", "a.txt"),
        ("<<<FILE x>>>y>>>", "x>>>y"),
    ],
)
def test_header_forms(header, name):
    members, problems = read(f"{header}\ntext\n<<<END>>>  \r\n".encode())
    assert problems == []
    assert [(m.name, m.body) for m in members] == [(name, "text")]


def test_not_a_header_is_body_text():
    members, _ = read(b"<<<FILE a>>>\n<<<FILEx>>>\n<<<END>>> and more\n<<<END>>>\n")
    assert members[0].body == "<<<FILEx>>>\n<<<END>>> and more"


def test_utf8_bom_at_start_is_not_content():
    members, problems = read(b"\xef\xbb\xbf<<<FILE a>>>\n\xef\xbb\xbfkept\n<<<END>>>\n")
    assert problems == []
    assert members[0].body == "\ufeffkept"  # only the file's first bytes are a BOM


def test_crlf_container_body_keeps_its_bytes():
    members, problems = read(b"<<<FILE a>>>\r\nx\r\ny\r\n<<<END>>>\r\n")
    assert problems == []
    assert members[0].body == "x\r\ny\r"


def test_default_handler_raises_on_first_problem():
    with pytest.raises(ProblemError) as info:
        list(read_container(io.BytesIO(b"<<<END>>>\n"), "c.txt"))
    assert str(info.value) == "c.txt:1: <<<END>>> without an open member; ignored — is a <<<FILE name>>> line missing above?"


def test_unnamed_members_get_ordinals():
    members, _ = read(b"<<<FILE>>>\na\n<<<END>>>\n<<<FILE>>>\nb\n<<<END>>>\n")
    assert [(m.name, m.ordinal) for m in members] == [(None, 1), (None, 2)]


@pytest.mark.parametrize(
    "compress", [gzip.compress, bz2.compress, lzma.compress], ids=["gzip", "bz2", "xz"]
)
def test_compressed_input_recognised_by_leading_bytes(tmp_path, compress):
    path = tmp_path / "dump.bin"  # no telling extension on purpose
    path.write_bytes(compress(b"<<<FILE a>>>\nhello\n<<<END>>>\n"))
    with open_input(str(path)) as stream:
        members = list(read_container(stream, str(path)))
    assert [m.body for m in members] == ["hello"]


def test_truncated_gzip_is_reported_and_what_was_read_is_kept(tmp_path):
    body = "".join(f"line {i} {i * 7919 % 10007}\n" for i in range(20000)).encode()
    data = gzip.compress(b"<<<FILE a>>>\nhello\n<<<END>>>\n<<<FILE b>>>\n" + body + b"<<<END>>>\n")
    path = tmp_path / "cut.gz"
    path.write_bytes(data[: len(data) // 2])
    problems = []
    with open_input(str(path)) as stream:
        members = list(read_container(stream, str(path), problems.append))
    assert [p.kind for p in problems] == ["corrupt_stream", "eof_inside_member"]
    assert members[0].body == "hello" and members[1].truncated
    assert members[1].body.startswith("line 0 0\nline 1 7919\n")


@pytest.mark.parametrize(
    "line, escaped",
    [
        ("<<<END>>>", "\\<<<END>>>"),
        ("<<<FILE a>>>", "\\<<<FILE a>>>"),
        ("\\<<<END>>>", "\\\\<<<END>>>"),
        ("  <<<END>>>", "  \\<<<END>>>"),
        ("plain", "plain"),
        ("a <<<END>>>", "a <<<END>>>"),
        ("\\ not a marker", "\\ not a marker"),
    ],
)
def test_escape_and_unescape(line, escaped):
    assert escape_line(line) == escaped
    assert unescape_line(escaped) == line


# Text with many line breaks, marker-like lines and backslashes, so the escape is exercised.
_tricky_lines = st.sampled_from(
    ["<<<END>>>", "<<<FILE x>>>", "\\<<<END>>>", "\\\\<<<FILE>>>", " <<<END>>>", "", "\r", "<<<", "\ufeff"]
)
bodies = st.lists(st.one_of(st.text(), _tricky_lines), max_size=12).map("\n".join)
names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"), min_size=1
).filter(lambda s: s == s.strip())


@settings(max_examples=300)
@given(st.lists(st.tuples(st.one_of(st.none(), names), bodies), max_size=5))
def test_read_gives_back_exactly_what_was_formatted(members):
    data = "".join(format_member(name, body) for name, body in members).encode("utf-8")
    read_back, _ = read(data)
    assert [(m.name, m.body) for m in read_back] == members


@settings(max_examples=100, deadline=None)
@given(bodies)
def test_pack_then_read_round_trips_file_contents(tmp_path_factory, body):
    folder = tmp_path_factory.mktemp("pack")
    path = folder / "article.txt"
    path.write_bytes(body.encode("utf-8"))
    out = io.BytesIO()
    assert pack_file("article.txt", str(path), out)
    members, _ = read(out.getvalue())
    assert [(m.name, m.body) for m in members] == [("article.txt", body)]


def test_pack_sources_names_files_relative_to_the_folder(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "sub" / "a.txt").write_text("a")
    assert [name for name, _ in pack_sources([str(tmp_path)])] == ["b.txt", "sub/a.txt"]
