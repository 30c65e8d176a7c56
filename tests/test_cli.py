"""The CLI as a user meets it: exit codes and exact output, each input as a file and as `-`."""

import gzip
import json
import os
import subprocess
import sys

import pytest

from newsingest.cli import cli

from .conftest import FIXTURES, ROOT, SAMPLE, container, write

README = (ROOT / "README.md").read_text(encoding="utf-8")


def split_args(tmp_path, data: bytes, via: str):
    """Arguments and stdin for `split` reading `data` from a file or from `-`."""
    if via == "file":
        return [write(tmp_path / "c.txt", data)], None, str(tmp_path / "c.txt")
    return ["-"], data, "-"


def records(stdout: str):
    return [json.loads(line) for line in stdout.splitlines()]


# --- split on the sample corpus -------------------------------------------------------------


def test_split_sample_corpus_matches_golden(in_root, invoke):
    result = invoke(["split", SAMPLE])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (FIXTURES / "sample_corpus.jsonl").read_text(encoding="utf-8")


def test_split_sample_corpus_from_stdin_gives_the_same_records(in_root, invoke):
    result = invoke(["split", "-"], input=(ROOT / SAMPLE).read_bytes())
    assert result.exit_code == 0
    golden = records((FIXTURES / "sample_corpus.jsonl").read_text(encoding="utf-8"))
    for record in golden:
        record["source"]["container"] = "-"
    assert records(result.stdout) == golden


def test_split_sample_corpus_fields(in_root, invoke):
    got = records(invoke(["split", SAMPLE]).stdout)
    assert [r["language"] for r in got] == ["fa", "id", "ar", "fa", "ar"]
    assert [r["id"] for r in got] == [
        "000_ac134246e2de49ce.txt",
        "001_2118e107573771ff.txt",
        "002_31fba6f3bdce44c8.txt",
        "003_0fd4009b84a8a001.txt",
        "004_f118cac7954edc78.txt",
    ]
    story = "https://baoquocte.vn/thu-tuong-trung-quoc-tham-belarus-giuong-cao-ngon-co-phan-doi-ba-quyen-va-tieu-chuan-kep-khang-dinh-tinh-ban-tot-thuc-su-283620.html"
    assert [r["url"] for r in got] == [story, story, None, None, None]
    assert got[3]["title"] == "تاکید چین بر همکاری با روسیه در جهت منافع ملی دو کشور"
    assert got[0]["title"] is None  # the first line is a sentence, not a headline
    assert all(r["n_chars"] == len(r["text"]) for r in got)
    assert got[0]["source"] == {"container": SAMPLE, "member": "000_ac134246e2de49ce.txt", "line": 1}


def test_split_twice_gives_identical_bytes_across_processes(in_root, tmp_path):
    outputs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run(
            [sys.executable, "-m", "newsingest", "split", SAMPLE], capture_output=True, env=env, check=True
        )
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0] == (FIXTURES / "sample_corpus.jsonl").read_bytes()


def test_split_to_gzip_output_is_deterministic(in_root, invoke, tmp_path):
    out = tmp_path / "corpus.jsonl.gz"
    assert invoke(["split", SAMPLE, "-o", str(out)]).exit_code == 0
    first = out.read_bytes()
    assert invoke(["split", SAMPLE, "-o", str(out)]).exit_code == 0
    assert out.read_bytes() == first
    assert gzip.decompress(first) == (FIXTURES / "sample_corpus.jsonl").read_bytes()


def test_split_several_containers_keeps_ids_unique(invoke, tmp_path):
    a = write(tmp_path / "a.txt", container("x.txt|first article text here"))
    b = write(tmp_path / "b.txt", container("x.txt|second article text here"))
    result = invoke(["split", a, b])
    assert result.exit_code == 0
    assert [r["id"] for r in records(result.stdout)] == ["x.txt", "x.txt#2"]


# --- container problems: one test each, exact message and exit code ----------------------------

PROBLEMS = {
    "end_without_file": (
        b"<<<END>>>\n<<<FILE a>>>\nbody\n<<<END>>>\n",
        "{path}:1: <<<END>>> without an open member; ignored — is a <<<FILE name>>> line missing above?",
        [("a", False)],
    ),
    "file_inside_member": (
        b"<<<FILE a>>>\nfirst body\n<<<FILE b>>>\nsecond body\n<<<END>>>\n",
        "{path}:3: <<<FILE>>> while member 'a' (line 1) is still open; that member is kept as truncated"
        " — add <<<END>>> before this line",
        [("a", True), ("b", False)],
    ),
    "eof_inside_member": (
        b"<<<FILE a>>>\nbody\n",
        "{path}:2: end of file inside member 'a' (line 1); it is kept as truncated — add <<<END>>> at the end",
        [("a", True)],
    ),
    "text_outside_member": (
        b"stray words\nmore stray words\n<<<FILE a>>>\nbody\n<<<END>>>\n",
        "{path}:1: text outside any member; it and the lines up to the next marker are not part of any record"
        " — is a <<<FILE name>>> line missing above?",
        [("a", False)],
    ),
    "empty_member": (
        b"<<<FILE a>>>\n  \n\n<<<END>>>\n<<<FILE b>>>\nbody\n<<<END>>>\n",
        "{path}:1: member 'a' is empty; no record is written for it",
        [("b", False)],
    ),
    "duplicate_name": (
        b"<<<FILE a>>>\none\n<<<END>>>\n<<<FILE a>>>\ntwo\n<<<END>>>\n",
        "{path}:4: member name 'a' already used at line 1; both are kept, with different ids — rename one of them",
        [("a", False), ("a#2", False)],
    ),
    "not_utf8": (
        b"<<<FILE a>>>\nab\xffcd\n<<<END>>>\n",
        "{path}:2: bytes that are not UTF-8 at column 3 (byte offset 15); replaced with U+FFFD"
        " — convert the file to UTF-8 to keep them",
        [("a", False)],
    ),
}


@pytest.mark.parametrize("via", ["file", "stdin"])
@pytest.mark.parametrize("kind", sorted(PROBLEMS))
def test_container_problem_reported_and_recovered(invoke, tmp_path, kind, via):
    data, message, expected = PROBLEMS[kind]
    args, stdin, path = split_args(tmp_path, data, via)
    result = invoke(["split", *args], input=stdin)
    assert result.exit_code == 1
    assert result.stderr == message.format(path=path) + "\n"
    assert [(r["id"], r["truncated"]) for r in records(result.stdout)] == expected


def test_not_utf8_bytes_are_replaced_not_dropped(invoke, tmp_path):
    result = invoke(["split", write(tmp_path / "c.txt", PROBLEMS["not_utf8"][0])])
    assert records(result.stdout)[0]["text"] == "ab\ufffdcd"


@pytest.mark.parametrize("kind", sorted(PROBLEMS))
def test_strict_stops_at_the_first_problem(invoke, tmp_path, kind):
    data, message, _ = PROBLEMS[kind]
    twice = data if kind == "eof_inside_member" else data + data  # a second problem that must not show
    path = write(tmp_path / "c.txt", twice)
    out = tmp_path / "out.jsonl"
    result = invoke(["split", "--strict", path, "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == message.format(path=path) + "\n"
    assert not out.exists()  # nothing half-written under the output name
    assert os.listdir(tmp_path) == ["c.txt"]


def test_clean_container_exits_zero_with_empty_stderr(invoke, tmp_path):
    result = invoke(["split", write(tmp_path / "c.txt", container("a|Some article text."))])
    assert (result.exit_code, result.stderr) == (0, "")


def test_missing_input_is_a_usage_error(invoke):
    result = invoke(["split", "no/such/file.txt"])
    assert result.exit_code == 2
    assert "'no/such/file.txt' does not exist" in result.stderr


def test_unknown_option_is_a_usage_error(invoke):
    result = invoke(["split", "--no-such-option"])
    assert result.exit_code == 2
    assert "Error: No such option '--no-such-option'." in result.stderr


# --- pack ---------------------------------------------------------------------------------


def test_pack_then_split_gives_the_files_back(invoke, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text("<<<END>>>\nfirst line\n\\<<<FILE x>>>\nlast", encoding="utf-8")
    (folder / "two.txt").write_text("second file\n", encoding="utf-8")
    out = tmp_path / "dump.txt"
    result = invoke(["pack", str(folder), "-o", str(out)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    got = records(invoke(["split", str(out)]).stdout)
    assert [(r["id"], r["text"]) for r in got] == [
        ("one.txt", "<<<END>>>\nfirst line\n\\<<<FILE x>>>\nlast"),
        ("two.txt", "second file"),
    ]


def test_pack_reports_a_file_that_is_not_utf8(invoke, tmp_path):
    good = write(tmp_path / "good.txt", b"fine text")
    bad = write(tmp_path / "bad.txt", b"line\nbroken \xff here")
    result = invoke(["pack", good, bad])
    assert result.exit_code == 1
    assert result.stderr == f"{bad}:2: bytes that are not UTF-8 at byte offset 12; file left out — convert it to UTF-8 first\n"
    assert result.stdout.startswith("<<<FILE good.txt>>>\n")


def test_sample_corpus_is_the_packed_seed_articles(in_root):
    text = (ROOT / SAMPLE).read_text(encoding="utf-8")
    names = [line[len("<<<FILE ") : -3] for line in text.splitlines() if line.startswith("<<<FILE ")]
    assert len(names) == 5 and names == sorted(names)


# --- normalize and stats -------------------------------------------------------------------


@pytest.mark.parametrize("via", ["file", "stdin"])
def test_normalize_folds_whitespace_and_composes(invoke, tmp_path, via):
    record = records(invoke(["split", "-"], input=container("a|  Cafe\u0301   au  lait\t ici.\n\n\n\nFin.  ")).stdout)[0]
    line = json.dumps(record, ensure_ascii=False) + "\n"
    if via == "file":
        result = invoke(["normalize", write(tmp_path / "r.jsonl", line.encode())])
    else:
        result = invoke(["normalize", "-"], input=line)
    assert (result.exit_code, result.stderr) == (0, "")
    (out,) = records(result.stdout)
    assert out["text"] == "Café au lait ici.\n\nFin."
    assert out["n_chars"] == len(out["text"])
    assert out["hash"] == record["hash"]


def test_normalize_bad_line_says_where_and_what_to_do(invoke, tmp_path):
    path = write(tmp_path / "r.jsonl", b"\n<<<FILE a>>>\n")
    result = invoke(["normalize", path])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:2: not JSON (")
    assert result.stderr.endswith("this looks like a container: run `newsingest split` first\n")


def test_normalize_record_missing_a_field(invoke):
    result = invoke(["normalize", "-"], input='{"id": "a"}\n')
    assert result.exit_code == 1
    assert result.stderr == (
        "-:1: not a newsingest record, and no 'text' field (its fields: id) — pass --text-field NAME with the field"
        " that holds the text, or pass --skip-invalid to go on without it\n"
    )


def test_stats_json_on_sample_pipeline(in_root, invoke):
    split = invoke(["split", SAMPLE]).stdout
    normalized = invoke(["normalize"], input=split).stdout
    result = invoke(["stats", "--json"], input=normalized)
    assert (result.exit_code, result.stderr) == (0, "")
    figures = json.loads(result.stdout)
    assert {lang: v["articles"] for lang, v in figures["languages"].items()} == {"fa": 2, "ar": 2, "id": 1}
    assert figures["articles"] == 5
    assert figures["chars"] == sum(r["n_chars"] for r in records(normalized))
    assert figures["publishers"] == {"baoquocte.vn": 2, "unewsagency.com": 1, "خبرگزاری تسنیم": 1, "شينخوا": 1}
    assert figures["months"] == {"(no date)": 4, "2021-03": 1}
    assert figures["boilerplate"]["related_links"] == 4 and figures["captions"] == 2
    assert figures["normalization"]["zwnj_restored"] == 32
    assert figures["problems"] == {"truncated": 0, "language_und": 0, "empty_text": 0, "stage_failed": 0}


def table_rows(stdout: str, title: str) -> list[list[str]]:
    """The cells of the rows of one titled table of the `stats` report."""
    block = stdout.split(title, 1)[1].split("└", 1)[0]
    rows = [line.split("│")[1:-1] for line in block.splitlines() if line.startswith("│")]
    return [[cell.strip() for cell in row] for row in rows]


def test_stats_table_on_sample_pipeline(in_root, invoke):
    split = invoke(["split", SAMPLE]).stdout
    deduped = invoke(["dedup"], input=invoke(["normalize"], input=split).stdout).stdout
    result = invoke(["stats"], input=deduped)
    assert (result.exit_code, result.stderr) == (0, "")
    out = result.stdout
    assert [row[:2] for row in table_rows(out, "Articles by language")] == [
        ["ar", "2"], ["fa", "2"], ["id", "1"], ["all", "5"]
    ]
    assert ["baoquocte.vn", "2", "40%"] in table_rows(out, "Articles by publisher or domain")
    assert ["2021-03", "1"] in table_rows(out, "Articles by month of publication")
    assert ["linked as one story (same url)", "2"] in table_rows(out, "Duplicates")
    assert ["zwnj_restored", "32"] in table_rows(out, "Normalization edits by rule")
    assert ["related_links", "4"] in table_rows(out, "Lines taken out of the text, by reason")
    lengths = table_rows(out, "Length of text (characters)")
    assert [row[:2] for row in lengths] == [["1,000-3,000", "4"], ["3,000-10,000", "1"]]
    assert lengths[0][2] == "█" * 30


def test_stats_reads_gzip(in_root, invoke, tmp_path):
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(gzip.compress((FIXTURES / "sample_corpus.jsonl").read_bytes()))
    result = invoke(["stats", "--json", str(path)])
    assert json.loads(result.stdout)["articles"] == 5


# --- schema, help, entry points ---------------------------------------------------------------


def test_schema_lists_every_record_field(invoke):
    result = invoke(["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    golden = records((FIXTURES / "sample_corpus.jsonl").read_text(encoding="utf-8"))[0]
    assert set(schema["properties"]) == set(golden)


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example_and_is_in_the_readme(invoke, command):
    result = invoke([command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert f"newsingest {command}" in README


def test_python_dash_m_works():
    run = subprocess.run([sys.executable, "-m", "newsingest", "--version"], capture_output=True, text=True)
    from newsingest import __version__

    assert (run.returncode, run.stdout.strip()) == (0, f"newsingest, version {__version__}")


def test_closed_pipe_ends_quietly(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"".join(container(f"m{i}|article number {i} with some words") for i in range(3000)))
    run = subprocess.run(
        f"'{sys.executable}' -m newsingest split '{big}' | head -1",
        shell=True, capture_output=True, text=True, executable="/bin/bash",
    )
    assert run.stderr == ""
    assert json.loads(run.stdout)["id"] == "m0"
    piped = subprocess.run(
        ["bash", "-c", f"set -o pipefail; '{sys.executable}' -m newsingest split '{big}' | head -1 > /dev/null"]
    )
    assert piped.returncode == 0


def test_readme_documents_the_exit_codes():
    for code in ("0", "1", "2", "3", "130", "143", "129"):
        assert f"| {code} |" in README


# --- normalize on the sample corpus ----------------------------------------------------------


def test_normalize_sample_restores_persian_and_keeps_arabic_letters(in_root, invoke):
    normalized = records(invoke(["normalize", str(FIXTURES / "sample_corpus.jsonl")]).stdout)
    original = records((FIXTURES / "sample_corpus.jsonl").read_text(encoding="utf-8"))
    by_id = {r["id"]: r for r in normalized}
    persian = by_id["000_ac134246e2de49ce.txt"]
    assert "همکاری\u200cهای" in persian["text"] and "همکاریهای" not in persian["text"]
    assert {e["rule"]: e["count"] for e in persian["normalization"]}["zwnj_restored"] >= 10
    for before in original:
        if before["language"] in ("ar", "id"):
            after = by_id[before["id"]]
            letters = lambda s: [ch for ch in s if ch.isalpha() and ch != "\u0640"]  # noqa: E731
            assert letters(after["text"]) == letters(before["text"])


def test_normalize_plain_lines(invoke, tmp_path):
    data = "همکاريهاي بينالمللي\nمي شود ، كتاب\n".encode()
    for args, stdin in ((["-"], data), ([write(tmp_path / "in.txt", data)], None)):
        result = invoke(["normalize", "--plain", "--lang", "fa", *args], input=stdin)
        assert (result.exit_code, result.stderr) == (0, "")
        assert result.stdout == "همکاری\u200cهای بین\u200cالمللی\nمی\u200cشود، کتاب\n"


def test_normalize_plain_needs_a_language(invoke):
    result = invoke(["normalize", "--plain"], input="x\n")
    assert result.exit_code == 2
    assert "Error: --plain needs --lang (for example --lang fa)" in result.stderr


def test_normalize_options_reach_the_rules(invoke):
    result = invoke(["normalize", "--plain", "--lang", "ar", "--strip-diacritics", "--digits", "latin"], input="كَتَبَ ٢٠٢٤\n")
    assert result.stdout == "كتب 2024\n"


# --- extraction options --------------------------------------------------------------------------


def test_split_keep_boilerplate(in_root, invoke):
    got = records(invoke(["split", "--keep-boilerplate", SAMPLE]).stdout)
    assert got[0]["text"].endswith("نظر (0)")
    assert [b["reason"] for b in got[0]["boilerplate"]] == ["source_line", "comment_counter"]
    assert got[0]["url"] is not None


def test_split_learns_furniture_repeated_across_articles(invoke, tmp_path):
    shared = "Dapatkan berita terbaru setiap hari di kanal kami"
    bodies = [f"a|Paragraf pertama berita nomor {i}.\n{shared}\nParagraf kedua berita nomor {i}." for i in range(3)]
    path = write(tmp_path / "c.txt", container(*[b.replace("a|", f"a{i}|", 1) for i, b in enumerate(bodies)]))
    plain = records(invoke(["split", path]).stdout)
    assert all(shared in r["text"] for r in plain)
    learnt = records(invoke(["split", "--learn-furniture", "3", path]).stdout)
    assert all(shared not in r["text"] for r in learnt)
    assert all([b["reason"] for b in r["boilerplate"]] == ["repeated_line"] for r in learnt)
    assert records(invoke(["split", "--learn-furniture", "4", path]).stdout) == plain


def test_split_languages_option(in_root, invoke):
    got = records(invoke(["split", "--lang", "fa,ar", SAMPLE]).stdout)
    assert [r["language"] for r in got] == ["fa", "und", "ar", "fa", "ar"]  # Indonesian is no candidate
    result = invoke(["split", "--lang", "fa,xx", SAMPLE])
    assert result.exit_code == 2 and "unknown language code(s) xx" in result.stderr


# --- dedup -----------------------------------------------------------------------------------------


def test_dedup_sample_links_translations_and_drops_nothing(in_root, invoke, tmp_path):
    normalized = invoke(["normalize", str(FIXTURES / "sample_corpus.jsonl")]).stdout
    path = write(tmp_path / "n.jsonl", normalized.encode())
    for args, stdin in ((["dedup", path], None), (["dedup", "-"], normalized), (["dedup"], normalized)):
        result = invoke(args, input=stdin)
        assert (result.exit_code, result.stderr) == (0, "")
        got = records(result.stdout)
        assert [r["id"] for r in got] == [r["id"] for r in records(normalized)]
        assert [r["story"] for r in got] == ["000_ac134246e2de49ce.txt"] * 2 + [None] * 3
        assert all(r["dup_of"] is None and r["dup_cluster"] is None for r in got)


def test_dedup_marks_and_drops_copies(invoke, tmp_path):
    base = records((FIXTURES / "sample_corpus.jsonl").read_text(encoding="utf-8"))
    copy = dict(base[2], id="copy", text=base[2]["text"].replace("ي", "ی"))  # another typing of one article
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in base + [copy])
    got = records(invoke(["dedup", "-"], input=lines).stdout)
    assert got[-1]["dup_of"] == base[2]["id"] and got[-1]["dup_kind"] == "exact"
    assert got[2]["dup_cluster"] == base[2]["id"]
    dropped = records(invoke(["dedup", "--drop"], input=lines).stdout)
    assert [r["id"] for r in dropped] == [r["id"] for r in base]


def test_dedup_bad_line_names_stdin(invoke):
    result = invoke(["dedup", "-"], input='{"id": "a"}\n')
    assert result.exit_code == 1
    assert result.stderr == (
        "-:1: not a newsingest record, and no 'text' field (its fields: id) — pass --text-field NAME with the field"
        " that holds the text, or pass --skip-invalid to go on without it\n"
    )


# --- jobs ----------------------------------------------------------------------------------------


def test_output_is_the_same_bytes_whatever_the_number_of_jobs(in_root, invoke, tmp_path):
    many = tmp_path / "many.txt"
    members = (ROOT / SAMPLE).read_text(encoding="utf-8")
    many.write_text("".join(members.replace("<<<FILE ", f"<<<FILE {i}/") for i in range(12)), encoding="utf-8")
    outputs = {}
    for jobs in ("1", "2", "3"):
        split = invoke(["split", "--jobs", jobs, str(many)])
        normalized = invoke(["normalize", "--jobs", jobs], input=split.stdout)
        deduped = invoke(["dedup", "--jobs", jobs], input=normalized.stdout)
        assert (split.exit_code, normalized.exit_code, deduped.exit_code) == (0, 0, 0)
        outputs[jobs] = (split.stdout, normalized.stdout, deduped.stdout)
    assert outputs["1"] == outputs["2"] == outputs["3"]
    assert len(records(outputs["1"][2])) == 60
    assert sum(r["dup_of"] is not None for r in records(outputs["1"][2])) == 55  # 11 copies of each article
