"""Hostile input and faults: one bad article, an unusual input path or a signal never costs a run,
nothing is left behind, and exit 3 stays for bugs (docs/robustness.md, "The red-team matrix").

Real processes where the fault is a process's (signals, closed or full standard streams, pipes,
FIFOs); in-process runs elsewhere. Nothing here reads the clock: a run that could hang is
guarded by a generous limit, and a process is signalled only once it can no longer finish on
its own (its input or its output is held open by the test).
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import os
import resource
import signal
import socket
import stat
import subprocess
import sys
import time
import tracemalloc

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest.testing.accounting import UNREADABLE_KINDS
from newsingest.cli import cli
from newsingest.io.container import read_container
from newsingest.stages.dedup import DedupOptions, dedup_key, dedup_records, jaccard, shingle_hashes, text_hash
from newsingest.errors import Problem
from newsingest.stages.normalize import normalize_records
from newsingest.engines.pool import Workers
from newsingest.record import Record, Source
from newsingest.io.shards import ShardedOutput
from newsingest.stages.split import SplitOptions, split_members
from newsingest.stages.stats import collect_stats

from .conftest import ROOT, SAMPLE, container, write
from .guards import time_limit, wait_limit

NEWSINGEST = [sys.executable, "-m", "newsingest"]
GIVE_UP = 120  # seconds: only so that a hang fails the test instead of blocking it


def run(args, **kwargs):
    return subprocess.run([*NEWSINGEST, *args], capture_output=True, cwd=ROOT, timeout=GIVE_UP, **kwargs)


def shell(script: str, cwd, **kwargs):
    """A bash command line, with `newsingest` the command under test."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = f"newsingest() {{ {sys.executable} -m newsingest \"$@\"; }}\n{script}"
    return subprocess.run(["bash", "-c", command], capture_output=True, cwd=cwd, timeout=GIVE_UP, env=env, **kwargs)


def invoke(args, input=None):
    return CliRunner().invoke(cli, args, input=input, catch_exceptions=False)


def records_of(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def record(rid, text, lang="id", **fields):
    return Record(id=rid, text=text, language=lang, hash=text_hash(text), n_chars=len(text),
                  source=Source(container="c.txt", member=rid, line=1), **fields)


def jsonl(*records: Record) -> bytes:
    from newsingest.io.jsonl import dumps_record

    return b"".join(dumps_record(r) for r in records)


def via_file_and_stdin(tmp_path, data: bytes, name: str = "c.txt"):
    path = write(tmp_path / name, data)
    return [([path], None), (["-"], data)]


# --- one bad article never costs the run -----------------------------------------------------------

BODY = "Sebuah paragraf yang cukup panjang untuk dianggap sebagai isi berita dan bukan sebagai hiasan halaman."


@pytest.mark.parametrize("line", ["http://[abc", "Source: http://[x", "منبع: http://[::1", "lihat http://[abc di sini"])
def test_a_malformed_url_in_an_article_costs_nothing(tmp_path, line):
    data = container(f"a|Judul berita hari ini\n{BODY}\n{line}", f"b|{BODY}")
    for args, stdin in via_file_and_stdin(tmp_path, data):
        for extra in ([], ["--learn-furniture", "2"], ["--jobs", "2"]):
            result = invoke(["split", *args, *extra], input=stdin)
            assert (result.exit_code, result.stderr) == (0, ""), extra
            got = records_of(result.stdout)
            assert [r["id"] for r in got] == ["a", "b"] and all(r["problems"] == [] for r in got)
            kept = got[0]["text"] + "\n".join(b["text"] for b in got[0]["boilerplate"])
            assert line in kept  # the line is kept, as text or as furniture


FAIL_ON = "MEMBER THAT FAILS"


def _fails_on_marked(original):
    def patched(member, *args, **kwargs):
        if FAIL_ON in member.body:
            raise ValueError("a bug met in one article")
        return original(member, *args, **kwargs)

    return patched


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("learn", [[], ["--learn-furniture", "2"]])
def test_an_article_that_fails_is_kept_as_read_with_its_problem(tmp_path, monkeypatch, jobs, learn):
    from newsingest.stages import split

    monkeypatch.setattr(split, "_extract", _fails_on_marked(split._extract))
    data = container(f"a|{BODY}", f"b|Judul\n{BODY}\n{FAIL_ON}", f"c|{BODY} Lagi.")
    path = write(tmp_path / "c.txt", data)
    result = invoke(["split", path, "--jobs", jobs, *learn])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:4: member 'b': extraction: ValueError: a bug met in one article; the record is kept (text as read "
        "where extraction failed), with the failure in its `problems` — please report it\n"
    )
    got = records_of(result.stdout)
    assert [r["id"] for r in got] == ["a", "b", "c"]
    assert got[1]["text"] == f"Judul\n{BODY}\n{FAIL_ON}" and got[1]["hash"] == text_hash(got[1]["text"])
    assert got[1]["problems"] == [{"stage": "split", "error": "extraction: ValueError: a bug met in one article"}]
    assert got[1]["language"] == "id"  # identification and hashing still ran
    assert got[0]["problems"] == got[2]["problems"] == []


def test_each_step_of_an_article_fails_on_its_own(monkeypatch):
    from newsingest.stages import split

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    member = next(read_container(io.BytesIO(container(f"a|Judul berita\n{BODY}")), "c.txt"))
    monkeypatch.setattr(split, "identify", boom)
    monkeypatch.setattr(split, "text_hash", boom)
    got = split.member_to_record(member, "a")
    assert got.title == "Judul berita" and got.text == BODY  # extraction kept
    assert (got.language, got.language_score) == ("und", 0.0)
    assert [p.error for p in got.problems] == ["language identification: RuntimeError: boom", "hashing: RuntimeError: boom"]
    assert len(got.hash) == 32


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_record_that_normalize_cannot_handle_is_written_as_it_came(monkeypatch, jobs):
    from newsingest.stages import normalize

    original = normalize.normalize_record

    def failing(record, options=normalize.DEFAULT):
        if record.id == "b":
            raise ValueError("a bug met in one record")
        return original(record, options)

    monkeypatch.setattr(normalize, "normalize_record", failing)
    data = jsonl(record("a", "satu"), record("b", "dua  spasi"), record("c", "tiga"))
    result = invoke(["normalize", "-", "--jobs", jobs], input=data)
    assert result.exit_code == 1
    assert result.stderr == ("c.txt:1: record 'b': normalize failed (ValueError: a bug met in one record); written as "
                             "it came, with the failure in its `problems` — please report it\n")
    got = records_of(result.stdout)
    assert [r["text"] for r in got] == ["satu", "dua  spasi", "tiga"]
    assert got[1]["problems"] == [{"stage": "normalize", "error": "ValueError: a bug met in one record"}]
    assert got[1]["normalization"] is None and got[0]["normalization"] == []


def test_a_record_whose_dedup_facts_fail_stands_alone(monkeypatch):
    from newsingest.stages import dedup

    original = dedup.dedup_key

    def failing(text):
        if text.startswith("rusak"):
            raise ValueError("a bug met in one record")
        return original(text)

    data = jsonl(record("a", BODY), record("b", "rusak " + BODY), record("c", BODY))
    monkeypatch.setattr(dedup, "dedup_key", failing)
    result = invoke(["dedup", "-"], input=data)
    assert result.exit_code == 1
    assert "c.txt:1: record 'b': dedup could not compute its facts (ValueError: a bug met in one record)" in result.stderr
    got = records_of(result.stdout)
    assert [(r["id"], r["dup_of"]) for r in got] == [("a", None), ("b", None), ("c", "a")]
    assert got[1]["problems"] == [{"stage": "dedup", "error": "ValueError: a bug met in one record"}]


_hostile_lines = st.sampled_from([
    "http://[abc", "Source: http://[x", "منبع: https://[::1/a", "Sumber: http://x.id/%zz", "www.[bad",
    "99/99/9999", "31/02/2021", "10/7/2025 19:30", "۱۴۰۲/۱۳/۴۰", "1445/09/10", "0000-00-00", "2021-02-30T25:61",
    "(رويترز) (AFP) (", "© ©", "کد خبر: " + "۱" * 200, "x" * 5000, "ب" * 5000, "a\u200c" * 300,
    "\u202e\u2066معکوس\u2069", "Foto: ANTARA" + " " * 500 + "|", "JAKARTA (ANTARA) -", "<script>alert(1)</script>",
    "\ufeff\u200b\u00ad", "👩\u200d💻" * 50, "", "   ",
])


@settings(max_examples=120, deadline=None)
@given(st.lists(st.lists(st.one_of(_hostile_lines, st.text(max_size=40)), max_size=8), min_size=1, max_size=5))
def test_hostile_lines_go_through_every_stage(bodies):
    data = container(*(f"m{i}|" + "\n".join(lines) for i, lines in enumerate(bodies)))
    problems: list[Problem] = []
    members = list(read_container(io.BytesIO(data), "c.txt", problems.append))
    records = list(split_members(iter(members), on_problem=problems.append))
    unreadable = sum(p.kind in UNREADABLE_KINDS for p in problems)
    assert len(records) + unreadable == len(bodies)  # records + reported = headers
    assert not [p for p in problems if p.kind == "record_failed"]
    normalized = list(normalize_records(records, on_problem=problems.append))
    marked = list(dedup_records(lambda: iter(normalized), on_problem=problems.append))
    assert [r.id for r in marked] == [r.id for r in records]
    assert collect_stats(marked).articles == len(records)
    assert not [p for p in problems if p.kind == "record_failed"]


# --- inputs that can be read once only ---------------------------------------------------------


@pytest.fixture
def dup_records(tmp_path):
    text = " ".join(f"kata{i}" for i in range(60))
    data = jsonl(record("a", text), record("b", "lain " * 20), record("c", text), record("d", text + " akhir"))
    path = tmp_path / "in.jsonl"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("how", [
    "cat in.jsonl | newsingest dedup -",
    "cat in.jsonl | newsingest dedup /dev/stdin",
    "newsingest dedup <(cat in.jsonl)",
    "mkfifo fifo && { cat in.jsonl > fifo & } && newsingest dedup fifo",
    "newsingest dedup /dev/stdin < in.jsonl",
])
@pytest.mark.parametrize("drop", ["", "--drop"])
def test_dedup_reads_an_input_that_can_be_read_once(tmp_path, dup_records, how, drop):
    expected = run(["dedup", str(dup_records), *([drop] if drop else [])])
    assert expected.returncode == 0 and expected.stdout.count(b"\n") == (2 if drop else 4)
    got = shell(f"set -e; export TMPDIR={tmp_path}/tmp; mkdir -p $TMPDIR; {how} {drop}; ls -A $TMPDIR", tmp_path)
    assert (got.returncode, got.stderr) == (0, b"")
    assert got.stdout == expected.stdout  # every record, marked as from the file; no spool left


@pytest.mark.parametrize("change", ["append", "truncate", "rewrite"])
def test_dedup_stops_when_its_input_changes_between_reads(tmp_path, dup_records, monkeypatch, change):
    from newsingest.stages import dedup

    original = dedup.resolve

    def changing(index, options, *more):
        data = dup_records.read_bytes()
        if change == "append":
            dup_records.write_bytes(data + data)
        elif change == "truncate":
            dup_records.write_bytes(data[: data.index(b"\n") + 1])
        else:
            os.utime(dup_records, ns=(0, 0))
        return original(index, options, *more)

    monkeypatch.setattr(dedup, "resolve", changing)
    out = tmp_path / "out.jsonl"
    result = invoke(["dedup", str(dup_records), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"newsingest: {dup_records}: changed while it was being read (")
    assert result.stderr.endswith("no output was completed — the input is read several times: let it be written in "
                                  "full first, or pipe it in (a pipe is copied once)\n")
    assert not out.exists()


# --- values that are no values -----------------------------------------------------------------


@pytest.mark.parametrize("args, hint", [
    (["dedup", "--threshold", "nan"], "'--threshold': nan is not a number from 0 to 1"),
    (["dedup", "--max-line-bytes", "inf"], "--max-line-bytes: not a size: 'inf'"),
    (["normalize", "--max-line-bytes", "1e30"], "--max-line-bytes: not a size: '1e30'"),
    (["split", "--shard-size", "inf", "-o", "x/"], "--shard-size: not a size: 'inf'"),
    (["split", "--max-member-bytes", "nan"], "--max-member-bytes: not a size: 'nan'"),
    (["split", "--encoding", "idna"], "--encoding: encoding 'idna' cannot be read a line at a time"),
])
def test_values_that_are_not_finite_or_usable_are_usage_errors(args, hint):
    result = invoke(args, input=b"")
    assert result.exit_code == 2 and f"Invalid value for {hint}" in result.stderr


def _nested(depth: int) -> dict:
    value: object = 1
    for _ in range(depth):
        value = {"x": value}
    return value  # type: ignore[return-value]


@pytest.mark.parametrize("command", [["normalize"], ["dedup"], ["stats", "--json"]])
def test_a_field_nested_too_deep_is_refused_or_skipped(command):
    deep = record("b", "dua").model_dump() | {"extra": _nested(260)}
    data = jsonl(record("a", "satu")) + json.dumps(deep).encode() + b"\n" + jsonl(record("c", "tiga"))
    refused = invoke([*command, "-"], input=data)
    assert refused.exit_code == 1
    assert refused.stderr == ("-:2: field 'extra' is nested more than 200 levels deep — flatten it: records are "
                              "written with at most 200 levels, or pass --skip-invalid to go on without it\n")
    skipped = invoke([*command, "--skip-invalid", "-"], input=data)
    assert skipped.exit_code == 1 and "skipped 1 invalid line (invalid_record 1)" in skipped.stderr
    shallow = record("b", "dua").model_dump() | {"extra": _nested(150)}
    fine = invoke([*command, "-"], input=json.dumps(shallow).encode() + b"\n")
    assert (fine.exit_code, fine.stderr) == (0, "")


@pytest.mark.parametrize("score", ['"NaN"', '"Infinity"', "1.5", "-0.1"])
def test_a_language_score_that_is_no_confidence_is_refused_at_once(score):
    line = jsonl(record("a", "satu")).replace(b'"language_score":0.0', b'"language_score":' + score.encode())
    result = invoke(["normalize", "-"], input=line)
    assert result.exit_code == 1 and "-:1: not a newsingest record: language_score:" in result.stderr


def test_integers_beyond_64_bits_pass_through_exactly():
    line = jsonl(record("a", "satu")).replace(b'"problems":[]', b'"problems":[],"big":18446744073709551616,'
                                              b'"neg":-9223372036854775809,"list":[123456789012345678901234567890],'
                                              b'"deep":{"a":[{"b":-99999999999999999999}]}')
    for command in (["normalize"], ["dedup"]):
        result = invoke([*command, "-"], input=line)
        assert (result.exit_code, result.stderr) == (0, "")
        assert b'"big":18446744073709551616,"neg":-9223372036854775809,"list":[123456789012345678901234567890],' \
               b'"deep":{"a":[{"b":-99999999999999999999}]}' in result.stdout_bytes
    huge = jsonl(record("a", "satu")).replace(b'"n_chars":4', b'"n_chars":18446744073709551616')
    assert invoke(["stats", "-"], input=huge).exit_code == 1  # a field of ours stays 64-bit


def test_stats_sums_beyond_64_bits():
    records = [record(str(i), "x").model_copy(update={"n_chars": 2**62}) for i in range(8)]
    result = invoke(["stats", "--json", "-"], input=jsonl(*records))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["chars"] == 8 * 2**62


# --- decompression bombs: bounded memory, reported, never a crash ------------------------------

# The cases of the issue scaled down by one ratio: a 4 GiB line (gzip, zstd) and a 1 GiB line (bz2)
# against the default 64 MiB limit become a 64 MiB and a 16 MiB line against 1 MiB.
LIMIT = 2**20


def _bomb(kind: str) -> bytes:
    from newsingest.io import zstd

    size = 16 * LIMIT if kind == "bz2" else 64 * LIMIT
    plain = io.BytesIO()
    compress = {"gz": lambda: gzip.GzipFile(fileobj=plain, mode="wb", mtime=0), "bz2": lambda: bz2.BZ2File(plain, "wb"),
                "zst": lambda: zstd.writer(plain)}[kind]()
    with compress as out:
        out.write(b"<<<FILE before>>>\nkept\n<<<END>>>\n<<<FILE bomb>>>\n")
        chunk = b"a" * LIMIT
        for _ in range(size // LIMIT):
            out.write(chunk)
        out.write(b"\n<<<END>>>\n<<<FILE after>>>\nkept too\n<<<END>>>\n")
    return plain.getvalue()


@pytest.fixture(scope="module", params=["gz", "bz2", "zst"])
def bomb(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("bomb") / f"bomb.txt.{request.param}"
    path.write_bytes(_bomb(request.param))
    return path


def test_a_bomb_member_is_skipped_in_bounded_memory(bomb):
    from newsingest.io.streams import open_input

    problems = []
    tracemalloc.start()
    try:
        with open_input(str(bomb)) as stream:
            names = [m.name for m in read_container(stream, str(bomb), problems.append, max_member_bytes=LIMIT)]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert names == ["before", "after"]
    assert [(p.line, p.kind) for p in problems] == [(4, "member_too_large")]
    assert peak < 4 * LIMIT  # the limit, a read chunk and the decompressor's buffers; never the line


def test_a_bomb_is_reported_by_split_and_unpack(bomb, tmp_path):
    result = invoke(["split", str(bomb), "--max-member-bytes", "1MiB"])
    assert result.exit_code == 1
    assert [r["id"] for r in records_of(result.stdout)] == ["before", "after"]
    assert result.stderr == (f"{bomb}:4: member 'bomb' is larger than 1 MiB (--max-member-bytes); skipped — raise "
                             "--max-member-bytes if it is a real article\n")
    unpacked = invoke(["unpack", str(bomb), "-o", str(tmp_path / "out"), "--max-member-bytes", "1MiB"])
    assert unpacked.exit_code == 1 and unpacked.stderr == result.stderr
    assert sorted(os.listdir(tmp_path / "out")) == ["after", "before"]


@pytest.mark.parametrize("line_end", [b"\r", b"\r\n"])
def test_a_long_line_is_never_held_with_any_line_end(line_end):
    data = b"<<<FILE a>>>" + line_end + b"x" * (3 * LIMIT) + line_end + b"<<<END>>>" + line_end
    data += b"<<<FILE b>>>" + line_end + b"kept" + line_end + b"<<<END>>>" + line_end
    problems = []
    names = [m.name for m in read_container(io.BytesIO(data), "c.txt", problems.append, max_member_bytes=LIMIT)]
    assert names == ["b"] and "member_too_large" in [p.kind for p in problems]


def test_a_long_utf16_line_is_never_held():
    text = "<<<FILE a>>>\n" + "ش" * (2 * LIMIT) + "\n<<<END>>>\n<<<FILE b>>>\nkept\n<<<END>>>\n"
    problems = []
    members = read_container(io.BytesIO(text.encode("utf-16")), "c.txt", problems.append, max_member_bytes=LIMIT)
    assert [m.body for m in members] == ["kept"]
    assert [(p.line, p.kind) for p in problems] == [(1, "member_too_large")]


def test_a_flood_of_one_problem_shows_a_hundred_and_a_count(tmp_path):
    path = write(tmp_path / "c.txt.gz", gzip.compress(b"<<<FILE a>>>\nx\n<<<END>>>\n" * 5_000, mtime=0))
    result = invoke(["split", path, "--jobs", "1"])
    assert result.exit_code == 1
    assert result.stdout.count("\n") == 5_000
    lines = result.stderr.splitlines()
    assert len(lines) == 101 and all("already used at line 1" in line for line in lines[:100])
    assert lines[100] == (f"newsingest: {path}: 4,899 more duplicate_name problems not shown (4,999 in all; the first "
                          "100 are above)")


# --- files that are not files -------------------------------------------------------------------


def test_pack_leaves_out_what_is_not_a_regular_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("kept\n")
    os.mkfifo(folder / "fifo")
    (folder / "dangling").symlink_to("nowhere")
    (folder / "loop1").symlink_to("loop2")
    (folder / "loop2").symlink_to("loop1")
    (folder / "dirlink").symlink_to(tmp_path)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock"))
    try:
        with wait_limit(60, "pack of a folder with a FIFO"):
            result = invoke(["pack", str(folder)])
    finally:
        server.close()
    assert result.exit_code == 1
    assert result.stdout == "<<<FILE a.txt>>>\nkept\n\n<<<END>>>\n"
    fix = "file left out — pack takes regular text files"
    assert result.stderr.splitlines() == [
        f"{folder}/dangling: a dangling symbolic link; {fix}",
        f"{folder}/dirlink: a folder, not a regular file; {fix}",
        f"{folder}/fifo: a named pipe (FIFO), not a regular file; {fix}",
        f"{folder}/loop1: a symbolic link that loops; {fix}",
        f"{folder}/loop2: a symbolic link that loops; {fix}",
        f"{folder}/sock: a socket, not a regular file; {fix}",
    ]


def test_pack_escapes_every_line_the_reader_could_take_for_a_marker(tmp_path):
    body = "one\n\f<<<END>>>\nafter\n\v<<<FILE evil.txt>>>\ninjected\n\r<<<END>>>\n \t\v\\<<<FILE x>>>\n"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(body.encode())
    packed = invoke(["pack", str(tmp_path / "in")])
    assert (packed.exit_code, packed.stderr) == (0, "")
    write(tmp_path / "c.txt", packed.stdout_bytes)
    unpacked = invoke(["unpack", str(tmp_path / "c.txt"), "-o", str(tmp_path / "out")])
    assert (unpacked.exit_code, unpacked.stderr) == (0, "")
    assert os.listdir(tmp_path / "out") == ["a.txt"]
    assert (tmp_path / "out" / "a.txt").read_bytes() == body.encode()


@pytest.mark.parametrize("letter, count", [("ش", 121), ("ش", 127), ("語", 81), ("😀", 63)])
def test_unpack_writes_the_longest_names_of_multibyte_scripts(tmp_path, letter, count):
    name = letter * count  # 242 to 255 bytes: the longest a file name may be
    assert 242 <= len(name.encode()) <= 255
    data = container(f"{name}|body")
    result = invoke(["unpack", "-", "-o", str(tmp_path / "out")], input=data)
    assert (result.exit_code, result.stderr) == (0, "")
    assert (tmp_path / "out" / name).read_text() == "body"


# --- shards on a full disk, resume that keeps its promise ----------------------------------------


def _file_size_limit(size: int):
    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


@pytest.fixture
def big_container(tmp_path):
    text = (ROOT / SAMPLE).read_text(encoding="utf-8")
    path = tmp_path / "big.txt"
    path.write_text("".join(text.replace("<<<FILE ", f"<<<FILE {i}/") for i in range(40)), encoding="utf-8")
    return path


@pytest.mark.parametrize("output", ["out/", "out.jsonl"])
def test_a_full_disk_while_writing_is_exit_1_with_nothing_left(tmp_path, big_container, output):
    target = tmp_path / output
    result = subprocess.run(
        [*NEWSINGEST, "split", "--jobs", "1", str(big_container), "-o", f"{tmp_path}/{output}",
         *(["--shard-size", "100KB"] if output.endswith("/") else [])],
        capture_output=True, cwd=ROOT, timeout=GIVE_UP, preexec_fn=_file_size_limit(4_000),
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},  # no compiled module cut short by the limit
    )
    assert result.returncode == 1
    assert result.stderr.decode().startswith("newsingest: cannot write to ")
    assert result.stderr.decode().endswith(": File too large\n")
    left = os.listdir(tmp_path)
    assert not [n for n in left if n.endswith(".tmp")]
    if output == "out/":
        assert not [n for n in os.listdir(target) if n.endswith(".tmp")]
        manifest = json.loads((target / ".newsingest" / "manifest.json").read_text())  # still a whole manifest
        assert manifest["shards"] == []
    else:
        assert not target.exists()


def test_shards_in_a_folder_that_cannot_be_made(tmp_path, big_container):
    result = invoke(["split", str(big_container), "-o", "/proc/no/such/", "--jobs", "1"])
    assert result.exit_code == 1 and result.stderr.startswith("newsingest: cannot write to /proc/no/such/")


def _interrupt_after(monkeypatch, records: int) -> None:
    original = ShardedOutput.write
    written = {"n": 0}

    def interrupted(self, index, line):
        written["n"] += 1
        if written["n"] == records:
            raise KeyboardInterrupt
        original(self, index, line)

    monkeypatch.setattr(ShardedOutput, "write", interrupted)


def shards_of(directory) -> dict:
    return {n: gzip.decompress((directory / n).read_bytes()) for n in sorted(os.listdir(directory))
            if n.startswith("part-")}


@pytest.fixture
def furnished(tmp_path):
    """1,200 articles; 100 of them (the 1,001st to the 1,100th) carry the site's line under the
    text: furniture learnt from the second window of 1,000 articles, which holds all 100 of them."""
    members = [f"a{i}|Judul nomor {i}\n{BODY} Nomor {i}." + ("\nBaca berita lain di situs kami" if 1_000 <= i < 1_100 else "")
               for i in range(1_200)]
    return write(tmp_path / "site.txt", container(*members))


def test_resume_with_learnt_furniture_gives_the_shards_of_an_uninterrupted_run(tmp_path, furnished, monkeypatch):
    args = [furnished, "--learn-furniture", "50", "--shard-size", "4KB", "--jobs", "1"]
    assert invoke(["split", *args, "-o", f"{tmp_path}/whole/"]).exit_code == 0
    whole = shards_of(tmp_path / "whole")
    texts = [r["text"] for data in whole.values() for r in records_of(data.decode())]
    assert len(texts) == 1_200 and not any("Baca berita lain" in text for text in texts)
    # Cut at the 1,070th record: the resumed part of the window holds 30-odd of the 100 lines, fewer
    # than 50; learnt from that part alone, the line would stay in their text.
    _interrupt_after(monkeypatch, 1_070)
    cut = CliRunner().invoke(cli, ["split", *args, "-o", f"{tmp_path}/cut/"])
    assert cut.exit_code != 0
    monkeypatch.undo()
    done = json.loads((tmp_path / "cut" / ".newsingest" / "manifest.json").read_text())["inputs"][0]["done"]
    assert 1_050 < done < 1_070
    resumed = invoke(["split", *args, "-o", f"{tmp_path}/cut/", "--resume"])
    assert (resumed.exit_code, resumed.stderr) == (0, "")
    assert shards_of(tmp_path / "cut") == whole


@pytest.mark.parametrize("changed, shown", [
    (["--keep-boilerplate"], "keep_boilerplate: False then, True now"),
    (["--learn-furniture", "3"], "learn_furniture: 0 then, 3 now"),
    (["--lang", "id"], "languages: None then, ['id'] now"),
    (["--max-member-bytes", "1MiB"], "max_member_bytes: 67108864 then, 1048576 now"),
    (["--id-prefix", "x/"], "id_prefix: '' then, 'x/' now"),
    (["--shard-size", "30KB"], "shard_size: 20000 then, 30000 now"),
])
def test_resume_refuses_options_that_change_the_records(tmp_path, big_container, monkeypatch, changed, shown):
    args = [str(big_container), "-o", f"{tmp_path}/out/", "--jobs", "1"]
    _interrupt_after(monkeypatch, 60)
    assert CliRunner().invoke(cli, ["split", *args, "--shard-size", "20KB"]).exit_code != 0
    monkeypatch.undo()
    size = [] if "--shard-size" in changed else ["--shard-size", "20KB"]
    result = invoke(["split", *args, *size, *changed, "--resume"])
    assert result.exit_code == 1
    assert result.stderr == (f"newsingest: {tmp_path}/out/: the options differ from the interrupted run's ({shown}); "
                             "resume with the same options — or start afresh in an empty folder without --resume\n")


@pytest.mark.parametrize("place", [".newsingest/manifest.json", "_manifest.json"])  # now, and in newsingest 0.1
@pytest.mark.parametrize("manifest", ["", "{", '{"shards": []}', "[1, 2]", '{"inputs": [{}], "shards": [], "shard_size": 1}'])
def test_a_damaged_manifest_is_an_error_not_a_crash(tmp_path, big_container, manifest, place):
    (tmp_path / "out" / ".newsingest").mkdir(parents=True)
    (tmp_path / "out" / place).write_text(manifest)
    result = invoke(["split", str(big_container), "-o", f"{tmp_path}/out/", "--resume"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"newsingest: {tmp_path}/out/{place}: the manifest is damaged (")
    assert result.stderr.endswith("the run cannot be resumed — start afresh in an empty folder without --resume\n")


# --- modes, links and syncs of what is written --------------------------------------------------


def test_an_output_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old")
    out.chmod(0o600)
    assert invoke(["split", SAMPLE_PATH, "-o", str(out), "--jobs", "1"]).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.read_text() != "old"


SAMPLE_PATH = str(ROOT / SAMPLE)


def test_new_files_and_shards_follow_the_umask(tmp_path):
    previous = os.umask(0o077)
    try:
        assert invoke(["split", SAMPLE_PATH, "-o", f"{tmp_path}/out/", "--jobs", "1"]).exit_code == 0
        assert invoke(["split", SAMPLE_PATH, "-o", f"{tmp_path}/one.jsonl", "--jobs", "1"]).exit_code == 0
    finally:
        os.umask(previous)
    files = [path for path in (tmp_path / "out").rglob("*") if path.is_file()]  # the manifest's folder too
    assert len(files) == 2
    for path in [*files, tmp_path / "one.jsonl"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_an_output_through_a_symbolic_link_writes_its_target(tmp_path):
    target = tmp_path / "data" / "corpus.jsonl"
    target.parent.mkdir()
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    assert invoke(["split", SAMPLE_PATH, "-o", str(link), "--jobs", "1"]).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().count("\n") == 5 and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(os.listdir(target.parent)) == ["corpus.jsonl"]


def test_every_written_file_is_synced_before_it_takes_its_name(tmp_path, monkeypatch):
    synced = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    assert invoke(["split", SAMPLE_PATH, "-o", f"{tmp_path}/out/", "--shard-size", "20KB", "--jobs", "1"]).exit_code == 0
    shards = len([n for n in os.listdir(tmp_path / "out") if n.startswith("part-")])
    manifests = 1 + shards + 1  # at the start, after each shard, at the end
    assert len(synced) >= 2 * (shards + manifests)  # each file, then its folder


# --- dedup: verified, transitive, idempotent -----------------------------------------------------

WORDS = [f"kata{i}" for i in range(300)]


def _changed(words, start, count, tag):
    words = list(words)
    for i in range(start, start + 10 * count, 10):
        words[i] = f"{tag}{i}"
    return words


def chain():
    """c0 ~ c1 and c1 ~ c2 (a hub with copies of its own), but c0 is not like c2."""
    c1 = _changed(WORDS, 0, 6, "x")
    texts = {"c0": _changed(c1, 150, 6, "y"), "c1": c1, "c2": WORDS,
             **{f"o{k}": _changed(WORDS, 221, 3, f"o{k}") for k in range(3)}}
    return [record(name, " ".join(words)) for name, words in texts.items()]


def similarity(a: Record, b: Record) -> float:
    return jaccard(shingle_hashes(dedup_key(a.text), 5), shingle_hashes(dedup_key(b.text), 5))


def shares_a_band(a: Record, b: Record, options: DedupOptions = DedupOptions()) -> bool:
    from newsingest.stages.dedup import choose_bands, minhash

    bands, rows = choose_bands(options.threshold, options.num_perm)
    sa, sb = (minhash(shingle_hashes(dedup_key(r.text), 5), options.num_perm) for r in (a, b))
    return any((sa[k * rows:(k + 1) * rows] == sb[k * rows:(k + 1) * rows]).all() for k in range(bands))


def test_no_dup_of_below_the_threshold_in_a_chain():
    records = chain()
    by_id = {r.id: r for r in records}
    assert similarity(by_id["c0"], by_id["c1"]) >= 0.8 and similarity(by_id["c1"], by_id["c2"]) >= 0.8
    assert similarity(by_id["c0"], by_id["c2"]) < 0.8
    out = list(dedup_records(lambda: iter(records)))
    for r in out:
        if r.dup_of:
            assert similarity(by_id[r.id], by_id[r.dup_of]) >= 0.8, (r.id, r.dup_of)
    marks = {r.id: (r.dup_of, r.dup_cluster) for r in out}
    assert marks["c0"] == (None, "c2")  # kept itself, in the cluster it is joined to
    assert marks["c1"] == ("c2", "c2") and marks["o0"] == ("c2", "c2")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.lists(st.integers(0, 299), max_size=12)), min_size=2, max_size=9))
def test_every_dup_of_is_verified_and_every_alike_pair_shares_a_cluster(edits):
    bases = [WORDS, [f"lain{i}" for i in range(300)], [f"juga{i}" for i in range(300)]]
    records = []
    for n, (base, changes) in enumerate(edits):
        words = list(bases[base])
        for i in changes:
            words[i] = f"z{n}_{i}"
        records.append(record(f"r{n}", " ".join(words)))
    out = list(dedup_records(lambda: iter(records)))
    by_id = {r.id: r for r in records}
    marked = {r.id: r for r in out}
    for r in out:
        assert r.dup_of != r.id
        if r.dup_of and r.dup_kind == "near":
            assert similarity(by_id[r.id], by_id[r.dup_of]) >= 0.8
    for a in records:
        for b in records:
            # Every pair alike that LSH brings together (probability 0.99 or more at the threshold;
            # a pair that shares no band is never compared: docs/dedup.md) is in one cluster.
            if a.id < b.id and similarity(a, b) >= 0.8 and shares_a_band(a, b):
                assert marked[a.id].dup_cluster is not None and marked[a.id].dup_cluster == marked[b.id].dup_cluster
    dropped = list(dedup_records(lambda: iter(records), drop=True))
    again = list(dedup_records(lambda: iter(dropped), drop=True))
    assert [r.model_dump() for r in again] == [r.model_dump() for r in dropped]


@pytest.mark.parametrize("drop", [[], ["--drop"]])
def test_dedup_of_its_own_output_changes_nothing(tmp_path, drop):
    records = chain() + [record("far", "sesuatu yang lain sama sekali " * 10, url="https://x.id/1"),
                         record("c2copy", " ".join(WORDS), url="https://x.id/1")]
    first = invoke(["dedup", "-", *drop], input=jsonl(*records))
    assert (first.exit_code, first.stderr) == (0, "")
    second = invoke(["dedup", "-", *drop], input=first.stdout_bytes)
    assert (second.exit_code, second.stderr) == (0, "")
    assert second.stdout == first.stdout


def test_drop_leaves_no_story_that_names_a_dropped_record():
    url = "https://x.id/story"
    text = " ".join(WORDS)
    records = [record("copy", text, url=url), record("original", text + " tambahan", url=url),
               record("translation", text, lang="fa", url=url), record("lone", "sendiri " * 30, url="https://x.id/2")]
    kept = records_of(invoke(["dedup", "-", "--drop"], input=jsonl(*records)).stdout)
    ids = {r["id"] for r in kept}
    assert ids == {"original", "translation", "lone"}
    assert all(r["story"] is None or r["story"] in ids for r in kept)
    assert {r["id"]: r["story"] for r in kept} == {"original": "original", "translation": "original", "lone": None}


def test_colliding_ids_are_qualified_and_reported(tmp_path):
    text = " ".join(WORDS)
    day1 = jsonl(record("1.txt", text), record("2.txt", "hari pertama " * 20))
    day2 = jsonl(record("1.txt", text + " ulang"), record("2.txt", "hari kedua " * 20))
    paths = [write(tmp_path / "day1.jsonl", day1), write(tmp_path / "day2.jsonl", day2)]
    result = invoke(["dedup", *paths])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"c.txt:1: id '{name}' is the id of an earlier record too; written as '{name}#2', so that dup_of and story "
        "name one record — give each split run its own --id-prefix" for name in ("1.txt", "2.txt")
    ]
    got = [(r["id"], r["dup_of"]) for r in records_of(result.stdout)]
    assert got == [("1.txt", "1.txt#2"), ("2.txt", None), ("1.txt#2", None), ("2.txt#2", None)]
    assert all(r["dup_of"] != r["id"] for r in records_of(result.stdout))
    prefixed = invoke(["split", SAMPLE_PATH, "--id-prefix", "2024-05-01/", "--jobs", "1"])
    assert all(r["id"].startswith("2024-05-01/") for r in records_of(prefixed.stdout))


# --- what reaches a terminal ----------------------------------------------------------------------


def test_escape_sequences_in_data_are_shown_escaped(tmp_path):
    key = "\x1b]52;c;ZXZpbA==\x07\x1b[2J"
    line = json.dumps(record("a", "satu").model_dump() | {"source": {"container": "c", "member": None, "line": 1,
                                                                     key: 1}}).encode() + b"\n"
    result = invoke(["stats", "-"], input=line)
    assert result.exit_code == 1 and "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J" in result.stderr
    name = tmp_path / "evil\x1b[31m\u202e.txt"
    name.write_bytes(b"stray\n<<<FILE a>>>\nx\n<<<END>>>\n")
    split = invoke(["split", str(name), "--jobs", "1"])
    assert split.exit_code == 1 and "\x1b" not in split.stderr and "\u202e" not in split.stderr
    assert "evil\\x1b[31m\\u202e.txt:1: text outside any member" in split.stderr
    missing = invoke(["split", str(tmp_path / "no\x1b[2Jfile.txt")])
    assert missing.exit_code == 2  # Click's own message is escaped by the entry point (checked below)
    shown = run(["split", str(tmp_path / "no\x1b[2Jfile.txt")])
    assert shown.returncode == 2 and b"\x1b" not in shown.stderr and b"no\\x1b[2Jfile.txt" in shown.stderr


def test_stats_shows_emoji_codes_and_markup_as_written():
    records = [record("a", "satu").model_copy(update={"publisher": ":pile_of_poo: [bold]x[/bold]"})]
    result = invoke(["stats", "-"], input=jsonl(*records))
    assert result.exit_code == 0 and ":pile_of_poo: [bold]x[/bold]" in result.stdout and "💩" not in result.stdout


# --- signals and standard streams, with real processes ----------------------------------------------


def children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
        except FileNotFoundError:  # a thread that ended meanwhile
            continue
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_until(condition, what: str, process=None) -> None:
    with wait_limit(GIVE_UP, what):
        while not condition():
            if process is not None:
                assert process.poll() is None, f"the run ended before {what}"
            time.sleep(0.01)  # a poll, not a spin: the awaited processes need the processor


STOPPING = [(signal.SIGTERM, 143, b"newsingest: terminated (SIGTERM)\n"),
            (signal.SIGHUP, 129, b"newsingest: hung up (SIGHUP)\n"),
            (signal.SIGINT, 130, b"newsingest: interrupted\n"),
            (signal.SIGKILL, -9, b"")]


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="needs /proc")
@pytest.mark.parametrize("signum, code, message", STOPPING, ids=lambda v: getattr(v, "name", None))
def test_a_signal_stops_split_with_nothing_left_behind(tmp_path, big_container, signum, code, message):
    out = tmp_path / "out" / "corpus.jsonl"
    out.parent.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen([*NEWSINGEST, "split", "--jobs", "2", "-", "-o", str(out)], stdin=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=ROOT, env=env)
    process.stdin.write(big_container.read_bytes())  # and standard input stays open: the run cannot end
    process.stdin.flush()
    wait_until(lambda: len(children(process.pid)) >= 2, "two workers started", process)
    workers = children(process.pid)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=GIVE_UP)
    assert (process.returncode, stderr) == (code, message)
    wait_until(lambda: not any(alive(pid) for pid in workers), "the workers ended")
    assert os.listdir(out.parent) == [] and sorted(os.listdir(tmp_path)) == ["big.txt", "out"]


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="needs /proc")
@pytest.mark.parametrize("signum, code, message", STOPPING, ids=lambda v: getattr(v, "name", None))
def test_a_signal_stops_dedup_with_nothing_left_behind(tmp_path, big_container, signum, code, message):
    records = run(["split", "--jobs", "1", str(big_container)]).stdout
    assert len(records) > 1_000_000  # more than a pipe holds: the run waits for its reader
    spools = tmp_path / "tmp"
    spools.mkdir()
    env = {**os.environ, "TMPDIR": str(spools)}
    process = subprocess.Popen([*NEWSINGEST, "dedup", "--jobs", "2", "-"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    process.stdin.write(records)
    process.stdin.close()  # the input is spooled; the output is never read, so the run cannot end
    wait_until(lambda: len(children(process.pid)) >= 2, "two workers started", process)
    workers = children(process.pid)
    process.send_signal(signum)
    with wait_limit(GIVE_UP, "the run ends"):
        stderr = process.stderr.read()
        process.wait()
    assert (process.returncode, stderr) == (code, message)
    wait_until(lambda: not any(alive(pid) for pid in workers), "the workers ended")
    assert os.listdir(spools) == []  # the spool of standard input never had a name


CLOSED = {
    "split": ("newsingest split {sample}", 1, "newsingest: cannot write to standard output: it is closed"),
    "normalize": ("newsingest normalize records.jsonl", 1, "newsingest: cannot write to standard output: it is closed"),
    "dedup": ("newsingest dedup records.jsonl", 1, "newsingest: cannot write to standard output: it is closed"),
    "stats": ("newsingest stats records.jsonl", 1, "newsingest: cannot write to standard output: it is closed"),
    "stats --json": ("newsingest stats --json records.jsonl", 1,
                     "newsingest: cannot write to standard output: it is closed"),
    "schema": ("newsingest schema", 1, "newsingest: cannot write to standard output: it is closed"),
    "pack": ("newsingest pack {sample}", 1, "newsingest: cannot write to standard output: it is closed"),
}
_CLOSED_TAIL = " — give -o FILE, or leave standard output open\n"


@pytest.fixture(scope="module")
def records_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("records")
    (folder / "records.jsonl").write_bytes(run(["split", "--jobs", "1", SAMPLE]).stdout)
    return folder


@pytest.mark.parametrize("command", sorted(CLOSED))
def test_a_closed_stdout_is_a_clear_error_for_every_command(records_file, command):
    line, code, message = CLOSED[command]
    result = shell(line.format(sample=ROOT / SAMPLE) + " >&-", records_file)
    assert (result.returncode, result.stderr.decode()) == (code, message + _CLOSED_TAIL)


@pytest.mark.parametrize("command", ["split -", "normalize -", "dedup -", "stats -", "unpack - -o out"])
def test_a_closed_stdin_is_a_clear_error(records_file, command):
    result = shell(f"newsingest {command} <&- >/dev/null", records_file)
    assert result.returncode == 1
    assert result.stderr == b"newsingest: cannot read standard input: it is closed - give an input file, or pipe data in\n".replace(b" - ", " — ".encode())


@pytest.mark.parametrize("command", ["split {sample}", "stats records.jsonl", "schema", "split --strict -"])
def test_a_closed_stderr_still_gives_the_exit_code(records_file, command):
    code = 1 if command.endswith("-") else 0
    line = command.format(sample=ROOT / SAMPLE)
    stdin = "<<<END>>>\n" if command.endswith("-") else ""
    result = shell(f"printf '{stdin}' | newsingest {line} 2>&- >/dev/null", records_file)
    assert result.returncode == code


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("command", ["stats records.jsonl", "stats --json records.jsonl", "schema"])
def test_stats_and_schema_on_a_full_disk(records_file, command):
    result = shell(f"newsingest {command} > /dev/full", records_file)
    assert result.returncode == 1
    assert result.stderr == b"newsingest: cannot write to standard output: No space left on device\n"


@pytest.mark.parametrize("command", ["stats records.jsonl", "stats --json records.jsonl", "schema"])
def test_stats_and_schema_into_head_exit_0(records_file, command):
    result = shell(f"set -o pipefail; newsingest {command} | head -1", records_file)
    assert (result.returncode, result.stderr) == (0, b"")


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_stats_on_a_terminal_encoding_without_the_scripts(records_file, encoding):
    result = shell(f"PYTHONIOENCODING={encoding} newsingest stats records.jsonl", records_file)
    assert (result.returncode, result.stderr) == (0, b"")
    assert b"fa" in result.stdout


# --- one pool for a run; workers end when the reader goes away --------------------------------------


def test_one_worker_pool_serves_every_input(tmp_path, monkeypatch):
    from newsingest.engines import pool as parallel

    started = []
    original = parallel.Workers._executor

    def counted(self):
        if self._pool is None:
            started.append(1)
        return original(self)

    monkeypatch.setattr(parallel.Workers, "_executor", counted)
    paths = [write(tmp_path / f"c{i}.txt", container(*(f"m{i}_{k}|{BODY}" for k in range(40)))) for i in range(20)]
    result = invoke(["split", *paths, "--jobs", "2"])
    assert (result.exit_code, result.stdout.count("\n")) == (0, 800)
    assert started == [1]


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="needs /proc")
def test_workers_end_at_once_when_the_reader_stops():
    records = [record(str(i), f"{BODY} {i}") for i in range(5_000)]
    with Workers(2) as workers:
        stream = normalize_records(iter(records), jobs=workers)
        next(stream)
        pids = list(workers._pool._processes)
        assert len(pids) == 2
        stream.close()  # what a closed pipe does to the generator that feeds it
        wait_until(lambda: not any(alive(pid) for pid in pids), "the workers ended")


def test_a_split_of_many_members_with_one_name_is_linear(tmp_path):
    # 200,000 members with the same name: quadratic id handling would take hours; linear, seconds.
    data = gzip.compress(b"<<<FILE a>>>\nx\n<<<END>>>\n" * 200_000, mtime=0)
    members = list(read_container(gzip.GzipFile(fileobj=io.BytesIO(data)), "c.txt", lambda p: None))
    with time_limit(GIVE_UP, "ids of 200,000 members of one name"):
        from newsingest.stages.split import IdAllocator

        ids = IdAllocator()
        names = [ids(m) for m in members]
    assert names[0] == "a" and names[-1] == "a#200000" and len(set(names)) == 200_000


def test_every_option_of_a_stage_is_in_the_manifest_that_resume_compares():
    import json
    from dataclasses import fields

    from newsingest.engines.base import shaping
    from newsingest.stages.dedup import DedupOptions
    from newsingest.stages.normalize import Options as NormalizeOptions

    for stage, options in (("split", SplitOptions(languages=frozenset({"fa", "ar"}))), ("normalize", NormalizeOptions()),
                           ("dedup", DedupOptions())):
        recorded = json.loads(json.dumps(shaping(stage, options)))
        assert {f.name for f in fields(options)} <= set(recorded) and recorded["stage"] == stage
    assert shaping("split", SplitOptions(languages=frozenset({"fa", "ar"})))["languages"] == ["ar", "fa"]


@pytest.mark.parametrize("args", [["split", "--max-member-bytes", "2GiB"], ["normalize", "--max-line-bytes", "3G"],
                                  ["unpack", "-", "-o", "x", "--max-member-bytes", "5GB"]])
def test_limits_stay_below_what_a_record_can_be_written_with(args):
    # orjson crashes the interpreter on a string of 2 GiB or more: no text may come near it.
    result = invoke(args, input=b"")
    assert result.exit_code == 2 and "is more than the 1 GiB a record's text may have" in result.stderr
