"""Bad JSONL input to `normalize`, `dedup` and `stats`: each case with its exact message and exit code,
as a file and as `-`, without and with --skip-invalid."""

import gzip
import io
import json
import os
import subprocess
import sys
import zlib

import pytest

from newsingest.errors import RecordError
from newsingest.io.jsonl import read_records

from .conftest import write

COMMANDS = {"normalize": [], "dedup": [], "stats": ["--json"]}
VIAS = ["file", "stdin"]
AGAIN = ", or pass --skip-invalid to go on without it"


def rec(rid: str, text: str = "Some words of an article, long enough to be one.", **fields) -> dict:
    record = {"id": rid, "text": text, "hash": "0", "source": {"container": "c.txt", "member": rid, "line": 1},
              "n_chars": len(text)}
    record.update(fields)
    return record


def line(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"


LINE_A = line(rec("a"))
LINE_B = line(rec("b", "Another article entirely, with other words in it."))


def run(invoke, tmp_path, command: str, data: bytes, via: str, *options: str):
    """Run a records command on ``data`` from a file or from `-`; the name messages give it."""
    args = [command, *COMMANDS[command], *options]
    if via == "file":
        path = write(tmp_path / "in.jsonl", data)
        return invoke([*args, path]), path
    return invoke([*args, "-"], input=data), "-"


def kept(command: str, stdout: str) -> list:
    """What came out: the ids of the records, or for `stats` the number of articles counted."""
    if command == "stats":
        return [json.loads(stdout)["articles"]]
    return [json.loads(out)["id"] for out in stdout.splitlines()]


def kept_ab(command: str) -> list:
    return [2] if command == "stats" else ["a", "b"]


# name: (the bad line, its kind, what is wrong, what to do)
BAD_LINES = {
    "not_json": (b"{oops}\n", "not_json", "not JSON (unexpected character, expected a string key at column 2)",
                 "fix or remove this line"),
    "not_json_trailing_comma": (b'{"id": "c",}\n', "not_json", "not JSON (trailing comma is not allowed at column 11)",
                                "fix or remove this line"),
    "array": (b"[1, 2]\n", "not_object", "an array, not a record (a JSON object)", "each line must be one record"),
    "string": (b'"x"\n', "not_object", "a string, not a record (a JSON object)", "each line must be one record"),
    "null": (b"null\n", "not_object", "null, not a record (a JSON object)", "each line must be one record"),
    "number": (b"5\n", "not_object", "a number, not a record (a JSON object)", "each line must be one record"),
    "missing_fields": (b'{"id": "c"}\n', "invalid_record", "not a newsingest record, and no 'text' field (its fields: id)",
                       "pass --text-field NAME with the field that holds the text"),
    "missing_source": (line({k: v for k, v in rec("c").items() if k != "source"}), "invalid_record",
                       "not a newsingest record: source: Field required",
                       "`newsingest schema` lists the fields and their types"),
    "n_chars_not_a_number": (line(rec("c", n_chars="ten")), "invalid_record",
                             ("not a newsingest record: n_chars: Input should be a valid integer, unable to parse string"
                              " as an integer"), "`newsingest schema` lists the fields and their types"),
    "text_a_number": (line(dict(rec("c"), text=5)), "invalid_record",
                      "not a newsingest record: text: Input should be a valid string",
                      "`newsingest schema` lists the fields and their types"),
    "boilerplate_a_string": (line(rec("c", boilerplate="x")), "invalid_record",
                             "not a newsingest record: boilerplate: Input should be a valid list",
                             "`newsingest schema` lists the fields and their types"),
    "source_line_null": (line(rec("c", source={"container": "c.txt", "member": "c", "line": None})), "invalid_record",
                         "not a newsingest record: source.line: Input should be a valid integer",
                         "`newsingest schema` lists the fields and their types"),
    # \xff is the 24th byte of the line; the line starts after LINE_A.
    "invalid_utf8_in_a_string": (b'{"id": "c", "text": "ab\xffcd"}\n', "not_utf8",
                                 f"bytes that are not UTF-8 at column 24 (byte offset {len(LINE_A) + 23})",
                                 "the file was damaged or re-encoded: write it again with newsingest"),
}


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_a_bad_line_ends_the_run_with_its_place(invoke, tmp_path, case, command, via):
    bad, _, what, fix = BAD_LINES[case]
    result, path = run(invoke, tmp_path, command, LINE_A + bad + LINE_B, via)
    assert result.exit_code == 1
    assert result.stderr == f"{path}:2: {what} — {fix}{AGAIN}\n"
    if command != "normalize":  # normalize streams: the records before the bad line are already out
        assert result.stdout == ""


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_skip_invalid_reports_counts_and_goes_on(invoke, tmp_path, case, command, via):
    bad, kind, what, fix = BAD_LINES[case]
    result, path = run(invoke, tmp_path, command, LINE_A + bad + LINE_B, via, "--skip-invalid")
    assert result.exit_code == 1
    assert result.stderr == f"{path}:2: {what}; skipped — {fix}\nnewsingest: skipped 1 invalid line ({kind} 1)\n"
    assert kept(command, result.stdout) == kept_ab(command)


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_container_given_as_records_is_named_as_such(invoke, tmp_path, command, via):
    result, path = run(invoke, tmp_path, command, b"<<<FILE a>>>\nbody\n<<<END>>>\n", via)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:1: not JSON (unexpected character, expected a JSON value at column 1) — this looks like a"
        " container: run `newsingest split` first\n"
    )


# Inputs that are records, though not written the way newsingest writes them: all pass, quietly.
GOOD_INPUTS = {
    "blank_lines": b"\n" + LINE_A + b"\n   \n\t\n" + LINE_B + b"\n",
    "crlf_line_ends": LINE_A.replace(b"\n", b"\r\n") + b"\r\n" + LINE_B.replace(b"\n", b"\r\n"),
    "utf8_bom_at_the_start": b"\xef\xbb\xbf" + LINE_A + LINE_B,
    "no_final_newline": LINE_A + LINE_B.rstrip(b"\n"),
    "gzip": gzip.compress(LINE_A + LINE_B, mtime=0),
    "unknown_fields_pass_through": line(dict(rec("a"), extra={"x": [1]})) + LINE_B,
}


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(GOOD_INPUTS))
def test_inputs_that_are_records(invoke, tmp_path, case, command, via):
    for options in ((), ("--skip-invalid",)):
        result, _ = run(invoke, tmp_path, command, GOOD_INPUTS[case], via, *options)
        assert (result.exit_code, result.stderr) == (0, "")
        assert kept(command, result.stdout) == kept_ab(command)


def test_a_bom_is_only_allowed_at_the_start(invoke):
    result = invoke(["stats", "--json", "-"], input=LINE_A + b"\xef\xbb\xbf" + LINE_B)
    assert result.exit_code == 1
    assert result.stderr == (
        "-:2: not JSON (UTF-8 byte order mark (BOM) is not supported at column 1) — fix or remove this line" + AGAIN + "\n"
    )


def test_unknown_fields_are_kept(invoke):
    result = invoke(["normalize", "-"], input=line(dict(rec("a"), extra={"x": [1]})))
    assert json.loads(result.stdout)["extra"] == {"x": [1]}


# --- a gzip input cut short -------------------------------------------------------------------


def truncated_gzip() -> bytes:
    """Lines A and B in full, then a third line of which the compressed data stops halfway."""
    gz = zlib.compressobj(9, zlib.DEFLATED, 31)
    head = gz.compress(LINE_A + LINE_B) + gz.flush(zlib.Z_FULL_FLUSH)
    tail = gz.compress(line(rec("c", " ".join(f"word{i}" for i in range(2000))))) + gz.flush()
    return head + tail[: len(tail) // 4]


CUT = "compressed data is truncated or corrupt (Compressed file ended before the end-of-stream marker was reached)"


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_truncated_gzip_ends_the_run(invoke, tmp_path, command, via):
    result, path = run(invoke, tmp_path, command, truncated_gzip(), via)
    assert result.exit_code == 1
    assert result.stderr == f"{path}:3: {CUT} — check the file's download or copy{AGAIN}\n"


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_truncated_gzip_with_skip_invalid_keeps_what_was_read(invoke, tmp_path, command, via):
    result, path = run(invoke, tmp_path, command, truncated_gzip(), via, "--skip-invalid")
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:3: {CUT}; the rest of the file is skipped — check the file's download or copy\n"
        "newsingest: skipped 1 invalid line (corrupt_stream 1)\n"
    )
    assert kept(command, result.stdout) == kept_ab(command)


def test_a_truncated_input_does_not_stop_the_next_one(invoke, tmp_path):
    cut = write(tmp_path / "cut.jsonl.gz", truncated_gzip())
    whole = write(tmp_path / "whole.jsonl", line(rec("d")))
    result = invoke(["normalize", "--skip-invalid", cut, whole])
    assert result.exit_code == 1
    assert kept("normalize", result.stdout) == ["a", "b", "d"]


# --- enormous lines ------------------------------------------------------------------------------

BIG = 50_000_000


@pytest.fixture(scope="module")
def enormous_record() -> bytes:
    text = ("article-word " * (BIG // 13 + 1))[:BIG]
    return line(rec("big", text))


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_50_mb_record_goes_through(invoke, tmp_path, enormous_record, command, via):
    result, _ = run(invoke, tmp_path, command, enormous_record + LINE_A, via)
    assert (result.exit_code, result.stderr) == (0, "")
    if command == "stats":
        assert json.loads(result.stdout)["chars"] == BIG + len(rec("a")["text"])
    else:
        first = json.loads(result.stdout.splitlines()[0])
        assert (first["id"], first["n_chars"]) == ("big", BIG)


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_50_mb_line_of_garbage_is_reported(invoke, tmp_path, command, via):
    data = LINE_A + b"x" * BIG + b"\n" + LINE_B
    result, path = run(invoke, tmp_path, command, data, via)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:2: not JSON (unexpected character, expected a JSON value at column 1) — fix or remove this line{AGAIN}\n"
    )
    result, path = run(invoke, tmp_path, command, data, via, "--skip-invalid")
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:2: not JSON (unexpected character, expected a JSON value at column 1); skipped — fix or remove this"
        " line\nnewsingest: skipped 1 invalid line (not_json 1)\n"
    )
    assert kept(command, result.stdout) == kept_ab(command)


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_line_over_max_line_bytes_is_too_long(invoke, tmp_path, command, via):
    long_record = line(rec("c", "word " * 1000))  # a record, but longer than the limit
    data = LINE_A + b"x" * 5000 + b"\n" + long_record + LINE_B
    result, path = run(invoke, tmp_path, command, data, via, "--max-line-bytes", "1KB")
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:2: line longer than 1,000 bytes (--max-line-bytes) — raise --max-line-bytes if it is a real record"
        f"{AGAIN}\n"
    )
    result, path = run(invoke, tmp_path, command, data, via, "--max-line-bytes", "1KB", "--skip-invalid")
    assert result.exit_code == 1
    too_long = "line longer than 1,000 bytes (--max-line-bytes); skipped — raise --max-line-bytes if it is a real record"
    assert result.stderr == (
        f"{path}:2: {too_long}\n{path}:3: {too_long}\nnewsingest: skipped 2 invalid lines (too_long 2)\n"
    )
    assert kept(command, result.stdout) == kept_ab(command)


def test_max_line_bytes_is_the_length_without_the_line_end():
    limit = len(LINE_A) - 1  # LINE_A without its "\n" is exactly at the limit
    for data in (LINE_A + LINE_A, LINE_A + LINE_A.rstrip(b"\n"), LINE_A.replace(b"\n", b"\r\n") * 2):
        assert [r.id for r in read_records(io.BytesIO(data), "x", None, limit)] == ["a", "a"]
    problems = []
    assert [r.id for r in read_records(io.BytesIO(b" " + LINE_A + LINE_A), "x", problems.append, limit)] == ["a"]
    assert [(p.line, p.kind) for p in problems] == [(1, "too_long")]


def test_bad_max_line_bytes_is_a_usage_error(invoke):
    result = invoke(["stats", "--max-line-bytes", "lots"], input=LINE_A)
    assert result.exit_code == 2
    assert "Invalid value for --max-line-bytes: not a size: 'lots' (write a positive size such as 256MB, 512MiB or 2G)" in result.stderr


MEASURE = (
    "import resource, sys\n"
    "from newsingest.cli import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "finally:\n"
    "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, file=sys.stderr)\n"
)


def peak_memory(*args: str) -> int:
    """Peak resident memory, in bytes, of `newsingest ARGS` in a process of its own."""
    done = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    return int(done.stderr.splitlines()[-1])


def test_memory_for_a_garbage_line_is_bounded_by_the_line_or_the_limit(tmp_path):
    small = write(tmp_path / "small.jsonl", b"x" * 1000 + b"\n")
    big = write(tmp_path / "big.jsonl", b"x" * BIG + b"\n")
    base = peak_memory("stats", small)
    assert peak_memory("stats", big) - base < 3 * BIG  # the line, and the parser's copy of it
    assert peak_memory("stats", "--max-line-bytes", "1MiB", big) - base < BIG // 10  # never held whole


# --- several bad lines, several inputs, several reads ---------------------------------------------


def test_summary_counts_by_reason_most_first(invoke, tmp_path):
    data = LINE_A + b"[1]\n{x\n" + line(dict(rec("c"), text=5)) + b"nope\n" + LINE_B
    result = invoke(["stats", "--json", "--skip-invalid", write(tmp_path / "in.jsonl", data)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "newsingest: skipped 4 invalid lines (not_json 2, invalid_record 1, not_object 1)"
    assert [message.split(": ")[0][-2:] for message in result.stderr.splitlines()[:-1]] == [":2", ":3", ":4", ":5"]


@pytest.mark.parametrize("via", VIAS)
def test_dedup_skips_the_same_lines_on_every_read_and_reports_them_once(invoke, tmp_path, via):
    copy = line(rec("copy"))  # the same text as a: its duplicate
    data = b"{bad\n" + LINE_A + b"[]\n" + LINE_B + b"null\n" + copy + b'{"id": "x"}\n'
    result, path = run(invoke, tmp_path, "dedup", data, via, "--skip-invalid")
    assert result.exit_code == 1
    assert [message.split(": ")[0] for message in result.stderr.splitlines()] == [
        f"{path}:1", f"{path}:3", f"{path}:5", f"{path}:7", "newsingest",
    ]
    assert result.stderr.splitlines()[-1] == (
        "newsingest: skipped 4 invalid lines (not_object 2, invalid_record 1, not_json 1)"
    )
    out = [json.loads(row) for row in result.stdout.splitlines()]
    assert [(r["id"], r["dup_of"]) for r in out] == [("a", None), ("b", None), ("copy", "a")]
    result, _ = run(invoke, tmp_path, "dedup", data, via, "--skip-invalid", "--drop")
    assert kept("dedup", result.stdout) == ["a", "b"]


@pytest.mark.parametrize("command", ["normalize", "dedup"])
def test_a_failed_run_leaves_no_output_file(invoke, tmp_path, command):
    out = tmp_path / "out.jsonl"
    result = invoke([command, "-o", str(out), "-"], input=LINE_A + b"{oops}\n")
    assert result.exit_code == 1
    assert not out.exists()
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("command", ["normalize", "dedup"])
def test_skipping_writes_the_output_file(invoke, tmp_path, command):
    out = tmp_path / "out.jsonl"
    result = invoke([command, "-o", str(out), "--skip-invalid", "-"], input=LINE_A + b"{oops}\n" + LINE_B)
    assert result.exit_code == 1
    assert kept(command, out.read_text(encoding="utf-8")) == ["a", "b"]


@pytest.mark.parametrize("option", [["--skip-invalid"], ["--format", "parquet"]])
def test_skip_invalid_with_plain_is_a_usage_error(invoke, option):
    result = invoke(["normalize", "--plain", "--lang", "fa", *option], input="x\n")
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Error: {option[0]} does nothing with --plain: lines of text are normalized "
                                  "here, into one output — leave it out\n")


def test_the_library_raises_or_hands_over_each_bad_line():
    data = LINE_A + b"[]\n" + LINE_B
    with pytest.raises(RecordError) as raised:
        list(read_records(io.BytesIO(data), "r.jsonl"))
    assert (raised.value.problem.line, raised.value.problem.kind) == (2, "not_object")
    problems = []
    assert [r.id for r in read_records(io.BytesIO(data), "r.jsonl", problems.append)] == ["a", "b"]
    assert str(problems[0]) == "r.jsonl:2: an array, not a record (a JSON object); skipped — each line must be one record"


# --- stats on odd values -------------------------------------------------------------------------

ODD_RECORDS = [
    rec("empty", ""),
    rec("zero", "x", n_chars=0),
    rec("negative", "x", n_chars=-5),
    rec("huge", "x", n_chars=10**15),
    rec("ancient", date_published="0001-01-01"),
    rec("bc", date_published="-0044-03-15"),
    rec("future", date_published="9999-12-31"),
    rec("bare_year", date_published="2024"),
    rec("not_a_date", date_published="yesterday"),
    rec("unknown_language", language="xx-Qaaa"),
    rec("empty_language", language=""),
    rec("markup", language="[bold]", publisher="[/]", normalization={"[x]": -1}),
    rec("controls", language="fa\u202e\x00", publisher="A\u2067B\x1b[31m"),
    rec("bad_url", url="http://[::1", publisher_url="not a url"),
    rec("odd_dedup", dup_kind="weird", dup_cluster="nowhere", story="nowhere"),
    rec("odd_lines", boilerplate=[{"text": "", "reason": "[/]", "line": 0}], captions=[""], languages={}),
]


@pytest.mark.parametrize("as_json", [True, False])
def test_stats_never_crashes_on_odd_values(invoke, as_json):
    data = b"".join(line(r) for r in ODD_RECORDS)
    result = invoke(["stats", *(["--json"] if as_json else []), "-"], input=data)
    assert (result.exit_code, result.stderr) == (0, "")
    if as_json:
        figures = json.loads(result.stdout)
        assert figures["articles"] == len(ODD_RECORDS)
        assert figures["months"] == {"(no date)": 11, "(not a date)": 1, "-0044-03": 1, "0001-01": 1, "2024": 1,
                                     "9999-12": 1}
        assert figures["problems"]["empty_text"] == 2
        assert figures["languages"]["[bold]"]["articles"] == 1
        assert figures["publishers"]["(unknown)"] == 14
    else:
        assert "[bold]" in result.stdout and "[/]" in result.stdout  # shown, not taken for markup
        assert "fa\\u202e\\x00" in result.stdout  # bidi and control characters made visible
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
        assert "(not a date)" in result.stdout


def test_dedup_and_normalize_take_odd_values_too(invoke):
    data = b"".join(line(r) for r in ODD_RECORDS)
    for command in ("normalize", "dedup"):
        result = invoke([command, "-"], input=data)
        assert (result.exit_code, result.stderr) == (0, "")
        assert len(result.stdout.splitlines()) == len(ODD_RECORDS)


# --- records read again by number (`dedup`'s later reads) ---------------------------------------


def _inputs(tmp_path, *contents: bytes) -> list[str]:
    paths = []
    for i, data in enumerate(contents):
        path = tmp_path / f"in{i}.jsonl"
        path.write_bytes(data)
        paths.append(str(path))
    return paths


AT_FIRST = b"\xef\xbb\xbf" + line(rec("r0")) + b"\n  \n" + line(rec("r1")).replace(b"\n", b"\r\n") + line(rec("r2"))
AT_SECOND = line(rec("r3")) + b"\n" + line(rec("r4")) + line(rec("r5"))


@pytest.mark.parametrize("wanted", [[], [0], [2, 3], [0, 1, 2, 3, 4, 5], [5], [1, 4]])
def test_records_at_numbers_are_those_of_a_whole_read(tmp_path, wanted):
    from newsingest.io.inputs import RereadableRecords

    with RereadableRecords(_inputs(tmp_path, AT_FIRST, AT_SECOND)) as records:
        whole = list(records())
        assert [(i, r.id) for i, r in records.at(wanted)] == [(i, whole[i].id) for i in wanted]
        assert [r.id for r in records()] == [r.id for r in whole]  # and a whole read after it is the same


def test_records_at_numbers_parse_only_the_lines_wanted(tmp_path, monkeypatch):
    from newsingest.io import inputs

    parsed = []
    real = inputs.loads_exact
    monkeypatch.setattr(inputs, "loads_exact", lambda text: parsed.append(text) or real(text))
    with inputs.RereadableRecords(_inputs(tmp_path, AT_FIRST, AT_SECOND)) as records:
        list(records())
        assert [r.id for _, r in records.at([1, 4])] == ["r1", "r4"]
    assert [json.loads(text)["id"] for text in parsed] == ["r1", "r4"]


def test_records_at_numbers_skip_the_lines_that_were_not_records(tmp_path):
    from newsingest.io.inputs import RereadableRecords

    heard = []
    bad = AT_FIRST.replace(line(rec("r1")).replace(b"\n", b"\r\n"), b'{"id": "x"}\n' + b"not json\n")
    with RereadableRecords(_inputs(tmp_path, bad, AT_SECOND), on_invalid=heard.append) as records:
        whole = [r.id for r in records()]
        assert whole == ["r0", "r2", "r3", "r4", "r5"]
        assert [(i, r.id) for i, r in records.at([1, 3])] == [(1, "r2"), (3, "r4")]
    assert [problem.line for problem in heard] == [4, 5]  # told once, on the first read
