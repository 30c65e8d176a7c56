"""The bad-input matrix for containers: every case through the CLI, with its exit code and exact
stderr, and the invariant (records + unreadable members = headers, no line lost) on each."""

import gzip
import io
import json
import random
import tracemalloc

import pytest

from newsingest.testing.accounting import account_container, check_container
from newsingest.io.container import format_member, read_container
from newsingest.stages.split import split_members

from .conftest import ROOT, SAMPLE, container, write

VIA = ["file", "-"]


def split(invoke, tmp_path, data: bytes, via: str, name: str = "c.txt"):
    """Run `split` on ``data`` given as a file or as stdin; the path that messages name."""
    if via == "file":
        path = write(tmp_path / name, data)
        return invoke(["split", "--jobs", "1", path]), path
    return invoke(["split", "--jobs", "1", "-"], input=data), "-"


def records(stdout: str):
    return [json.loads(line) for line in stdout.splitlines()]


# --- markers with odd spacing or case ---------------------------------------------------------

ODD_MARKERS = [
    ("<<< FILE a >>>", "<<<END>>>", "'<<< FILE a >>>'; read as <<<FILE a>>>"),
    ("<<<file a>>>", "<<<END>>>", "'<<<file a>>>'; read as <<<FILE a>>>"),
    ("<<<File: a>>>", "<<<END>>>", "'<<<File: a>>>'; read as <<<FILE a>>>"),
    ("\t<<<FILE a>>>", "<<<END>>>", "'\\t<<<FILE a>>>'; read as <<<FILE a>>>"),
    ("<<<FILE a>>>", "<<<End>>>", "'<<<End>>>'; read as <<<END>>>"),
    ("<<<FILE a>>>", "<<< END >>>\t", "'<<< END >>>\\t'; read as <<<END>>>"),
    ("<<<FILE a>>>", "  <<<END>>>", "'  <<<END>>>'; read as <<<END>>>"),
    ("<<<file>>>", "<<<END>>>", "'<<<file>>>'; read as <<<FILE>>>"),
]


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("header, end, shown", ODD_MARKERS)
def test_odd_marker_is_read_as_the_marker_and_reported(invoke, tmp_path, via, header, end, shown):
    data = f"{header}\nthe body\n{end}\n".encode()
    result, path = split(invoke, tmp_path, data, via)
    assert result.exit_code == 1
    line = 3 if "END" in shown.split("read as")[1] else 1
    assert result.stderr == f"{path}:{line}: marker written {shown} — write markers exactly\n"
    (record,) = records(result.stdout)
    assert record["text"] == "the body" and record["truncated"] is False
    check_container(data)


@pytest.mark.parametrize("header", ["<<<FILE  a>>>  ", "<<<FILE a>>>\t \t", "<<<FILE:a>>>"])
def test_forms_the_format_allows_are_not_reported(invoke, tmp_path, header):
    result, _ = split(invoke, tmp_path, f"{header}\nthe body\n<<<END>>> \t\n".encode(), "file")
    assert (result.exit_code, result.stderr) == (0, "")
    assert [r["id"] for r in records(result.stdout)] == ["a"]


@pytest.mark.parametrize("text", ["<<<file a>>>", "  <<<END>>>", "<<< END >>>", "\t<<<FILE x>>>\n<<<End>>>"])
def test_packed_lines_that_look_like_odd_markers_stay_text(invoke, tmp_path, text):
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text(f"Body line\n{text}\nlast line", encoding="utf-8")
    packed = tmp_path / "c.txt"
    assert invoke(["pack", str(source), "-o", str(packed)]).exit_code == 0
    members = list(read_container(io.BytesIO(packed.read_bytes()), "c.txt"))  # raises on any problem
    assert [m.body for m in members] == [f"Body line\n{text}\nlast line"]


def test_a_line_that_is_not_a_marker_in_any_spelling_stays_text():
    members = list(read_container(io.BytesIO(b"<<<FILE a>>>\n<<<FILEx>>>\n<<< ENDING >>>\n<<<>>>\n<<<END>>>\n"), "c"))
    assert members[0].body == "<<<FILEx>>>\n<<< ENDING >>>\n<<<>>>"


# --- line ends -----------------------------------------------------------------------------------


@pytest.mark.parametrize("via", VIA)
def test_cr_only_file_is_read_as_lines_and_reported_once(invoke, tmp_path, via):
    data = b"<<<FILE a>>>\rFirst headline\rThe first paragraph of the story goes on here.\r<<<END>>>\r\r<<<FILE b>>>\rbee\r<<<END>>>\r"
    result, path = split(invoke, tmp_path, data, via)
    assert result.exit_code == 1
    assert result.stderr == f"{path}: line ends are CR only (old Mac style); read as lines — convert them to LF (\\n)\n"
    got = records(result.stdout)
    assert [(r["id"], r["title"], r["text"], r["source"]["line"]) for r in got] == [
        ("a", "First headline", "The first paragraph of the story goes on here.", 1),
        ("b", None, "bee", 6),
    ]
    assert records(invoke(["split", "-"], input=data.replace(b"\r", b"\n")).stdout) == [
        dict(r, source=dict(r["source"], container="-")) for r in got
    ]
    check_container(data)


def test_crlf_file_is_not_reported(invoke, tmp_path):
    result, _ = split(invoke, tmp_path, b"<<<FILE a>>>\r\nthe body\r\n<<<END>>>\r\n", "file")
    assert (result.exit_code, result.stderr) == (0, "")


# --- binary content, empty files ---------------------------------------------------------------

PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"
BINARY = "binary content (NUL bytes); only <<<FILE>>> members in it are read — is this a container?"


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize(
    "data, line",
    [
        (PNG_HEAD + bytes(range(256)) * 40, 3),
        (random.Random(7).randbytes(200_000), None),
        (b"\x00" * 100_000, 1),
    ],
    ids=["png", "random", "nul"],
)
def test_binary_input_gives_one_clear_message(invoke, tmp_path, via, data, line):
    if line is None:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
    result, path = split(invoke, tmp_path, data, via, name="image.png")
    assert result.exit_code == 1
    assert result.stderr == f"{path}:{line}: {BINARY}\n"
    assert result.stdout == ""
    check_container(data)


def test_nul_bytes_inside_a_member_are_kept_and_reported(invoke, tmp_path):
    data = b"<<<FILE a>>>\nbefore\nwith \x00 a NUL\n<<<END>>>\n"
    result, path = split(invoke, tmp_path, data, "file")
    assert result.exit_code == 1
    assert result.stderr == f"{path}:3: {BINARY}\n"
    assert records(result.stdout)[0]["text"] == "before\nwith \x00 a NUL"
    check_container(data)


@pytest.mark.parametrize("via", VIA)
def test_empty_file(invoke, tmp_path, via):
    result, path = split(invoke, tmp_path, b"", via)
    assert result.exit_code == 1
    assert result.stderr == f"{path}: empty file, no members — is this the right file?\n"
    assert result.stdout == ""
    check_container(b"")


@pytest.mark.parametrize("via", VIA)
def test_file_of_blank_lines(invoke, tmp_path, via):
    result, path = split(invoke, tmp_path, b"\n \n\t\n", via)
    assert result.exit_code == 1
    assert result.stderr == f"{path}: no members, only blank lines — is this the right file?\n"
    check_container(b"\n \n\t\n")


def test_empty_gzip_file_is_empty_too(invoke, tmp_path):
    result, path = split(invoke, tmp_path, gzip.compress(b""), "file", name="c.txt.gz")
    assert (result.exit_code, result.stderr) == (1, f"{path}: empty file, no members — is this the right file?\n")


# --- paths that are not files --------------------------------------------------------------------


def test_directory_as_input(invoke, tmp_path):
    result = invoke(["split", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Error: Invalid value for '[INPUT]...': File '{tmp_path}' is a directory.\n")


def test_missing_file_as_input(invoke, tmp_path):
    missing = tmp_path / "missing.txt"
    result = invoke(["split", str(missing)])
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Error: Invalid value for '[INPUT]...': File '{missing}' does not exist.\n")


# --- truncated gzip -------------------------------------------------------------------------------


@pytest.mark.parametrize("via", VIA)
def test_truncated_gzip(invoke, tmp_path, via):
    words = random.Random(3).choices(["alpha", "beta", "gamma", "delta", "epsilon"], k=4000)
    whole = gzip.compress(container("a|hello", "b|" + "\n".join(" ".join(words[i : i + 8]) for i in range(0, 4000, 8))))
    data = whole[: len(whole) // 2]
    result, path = split(invoke, tmp_path, data, via, name="c.txt.gz")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}:")
    assert "compressed data is truncated or corrupt" in lines[0]
    assert lines[0].endswith("what was read before it is kept — check the file's download or copy")
    assert lines[1].startswith(f"{path}:") and "end of file inside member 'b' (line 4)" in lines[1]
    assert [(r["id"], r["truncated"]) for r in records(result.stdout)] == [("a", False), ("b", True)]
    check_container(data)


# --- size: a huge member, a million tiny ones ---------------------------------------------------


def _peak_split(data: bytes) -> int:
    """Peak bytes allocated while splitting a container, records streamed away one by one."""
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for _ in split_members(read_container(io.BufferedReader(io.BytesIO(data)), "c.txt")):
            pass
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def test_memory_of_a_single_line_member_grows_linearly_with_it():
    small, large = 200_000, 2_000_000
    peaks = [_peak_split(format_member("big", "word " * (n // 5)).encode()) for n in (small, large)]
    # Ten times the member, at most ten times (plus slack) the memory: nothing holds a square or a copy per line.
    assert peaks[1] / peaks[0] < 12


def test_single_line_member_of_megabytes_keeps_every_byte(tmp_path, invoke):
    body = "ab " * 2_000_000
    data = format_member("big", body).encode()
    result = invoke(["split", "--jobs", "1", write(tmp_path / "c.txt", data)])
    assert (result.exit_code, result.stderr) == (0, "")
    (record,) = records(result.stdout)
    assert record["n_chars"] == len(body)


def _peak_read(n: int) -> tuple[int, int]:
    """Peak bytes while reading n tiny members (not keeping them), and the size of their name set."""
    data = b"".join(b"<<<FILE m%d>>>\nx\n<<<END>>>\n" % i for i in range(n))
    names = {f"m{i}": i for i in range(n)}
    name_set = sum(len(k) + 49 for k in names) + names.__sizeof__()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        count = sum(1 for _ in read_container(io.BytesIO(data), "c.txt"))
        return tracemalloc.get_traced_memory()[1] - base, name_set, count
    finally:
        tracemalloc.stop()


def test_many_tiny_members_cost_no_more_than_their_name_set():
    small_peak, small_set, small_count = _peak_read(3_000)
    large_peak, large_set, large_count = _peak_read(30_000)
    assert (small_count, large_count) == (3_000, 30_000)
    # What 27,000 more members cost is what their names cost in the set of names seen, and no more.
    assert large_peak - small_peak <= 1.5 * (large_set - small_set)


# --- the invariant ---------------------------------------------------------------------------------


def test_invariant_holds_on_the_sample_corpus():
    result = check_container((ROOT / SAMPLE).read_bytes(), SAMPLE)
    assert result.headers == result.records == 5 and result.unreadable == 0


def test_invariant_counts_empty_members_as_unreadable():
    result = check_container(container("a|hello there", "b|", "c| \n "))
    assert (result.headers, result.records, result.unreadable) == (3, 1, 2)


def test_invariant_sees_a_lost_member(monkeypatch):
    import newsingest.testing.accounting as accounting

    real = accounting.read_container
    monkeypatch.setattr(accounting, "read_container", lambda *a: list(real(*a))[1:])
    result = account_container(container("a|hello there", "b|and here"))
    assert not result.ok and (result.headers, result.members, result.records) == (2, 1, 1)


def test_invariant_sees_a_lost_line(monkeypatch):
    import newsingest.testing.accounting as accounting

    real = accounting.split_members

    def drop_last_line(*args, **kwargs):
        for record in real(*args, **kwargs):
            yield record.model_copy(update={"text": record.text.rsplit("\n", 1)[0]})

    monkeypatch.setattr(accounting, "split_members", drop_last_line)
    result = account_container(container("a|The first line of a paragraph that goes on.\nThe second line, to lose."))
    assert not result.ok and result.lost == [(1, "The second line, to lose.")]


@pytest.mark.parametrize(
    "data",
    [
        b"<<<END>>>\n<<<FILE a>>>\nx\n<<<FILE b>>>\ny\n",
        b"stray\n<<<FILE a>>>\nx\n<<<END>>>\n<<<FILE a>>>\n\n<<<END>>>\n",
        b"\xef\xbb\xbf<<<FILE a>>>\nbad \xff byte\n<<<END>>>\n",
        b"<<<FILE a>>>\r\\<<<END>>>\r<<<END>>>",
    ],
    ids=["unclosed", "stray-and-duplicate", "not-utf8", "cr-escaped"],
)
def test_invariant_holds_on_damaged_containers(data):
    check_container(data)
    check_container(gzip.compress(data))

