"""Conventions across commands: sizes as users type them, one name per idea (the old spellings
still read, shown nowhere), options that would do nothing refused, `pack -`, a reader that goes
away, what a shard folder's manifest records, and the set-up the README promises."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import click
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsingest.io.shards import MANIFEST, MAX_SIZE, SIZE_UNITS, parse_size

from .conftest import ROOT, SAMPLE, container, write

Invoke = Callable[..., Any]  # the `invoke` fixture: the command line run in this process
GIVE_UP = 120  # seconds: only so that a hang fails the test instead of blocking it


def records(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


# --- sizes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, size", [
    ("1000", 1000), ("1", 1), ("10B", 10), ("10b", 10),
    ("100k", 100 * 2**10), ("100K", 100 * 2**10), ("2G", 2 * 2**30), ("2g", 2 * 2**30), ("3M", 3 * 2**20),
    ("1T", 2**40), ("512MiB", 512 * 2**20), ("512mib", 512 * 2**20), ("500KiB", 512_000), ("2GiB", 2 * 2**30),
    ("1KB", 1000), ("1kb", 1000), ("256MB", 256_000_000), ("1GB", 10**9), ("2TB", 2 * 10**12),
    ("1.5GB", 1_500_000_000), ("1.5G", 3 * 2**29), ("0.5K", 512), (".5K", 512), ("1 MB", 10**6),
    (" 64MiB ", 64 * 2**20), ("0.0015KB", 1), ("1.0009KB", 1000), ("4611686018427387904", MAX_SIZE),
])
def test_sizes_as_users_type_them(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", [
    "1e6", "1E6", "1e3K", "1_000", "0x10", "-1", "+1", "0", "0KB", "0.0001KB", "1.5", "0.5B", "inf", "nan", "",
    "MB", "1XB", "1Ki", "1 0MB", "１０", "4611686018427387905", "5EB", "9" * 70, "lots",
])
def test_what_is_not_a_size(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"not a size: {text!r} (write a positive size such as")):
        parse_size(text)


@given(st.integers(1, 10**6), st.sampled_from(sorted(SIZE_UNITS)), st.sampled_from(["", " "]),
       st.sampled_from([str.upper, str.lower, lambda unit: unit]))
def test_a_whole_number_of_any_unit_is_exact(number: int, unit: str, space: str, case: Callable[[str], str]) -> None:
    assert parse_size(f"{number}{space}{case(unit)}") == number * SIZE_UNITS[unit]


@given(st.integers(0, 10**4), st.integers(0, 999), st.sampled_from(["KB", "MB", "GB", "K", "M", "G", "KiB", "GiB"]))
def test_a_fraction_of_a_unit_is_rounded_down_to_whole_bytes(whole: int, thousandths: int, unit: str) -> None:
    exact = (whole * 1000 + thousandths) * SIZE_UNITS[unit.upper()] // 1000
    text = f"{whole}.{thousandths:03d}{unit}"
    if exact == 0:
        with pytest.raises(ValueError):
            parse_size(text)
    else:
        assert parse_size(text) == exact


@pytest.mark.parametrize("args", [
    ["split", "--shard-size", "1e6", "-o", "x/"], ["normalize", "--max-line-bytes", "1e6"],
    ["split", "--max-member-bytes", "1.5"],
])
def test_a_size_the_command_line_refuses(invoke: Invoke, args: list[str]) -> None:
    result = invoke(args, input=b"")
    assert result.exit_code == 2 and "not a size" in result.stderr


def test_a_size_with_a_single_letter_unit_on_the_command_line(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(["split", "--jobs", "1", str(ROOT / SAMPLE), "-o", f"{out}/", "--shard-size", "1k"])
    assert result.exit_code == 0
    assert json.loads((out / MANIFEST).read_text())["shard_size"] == 1024


# --- one name per idea -----------------------------------------------------------------------------


def test_split_lang_and_its_old_spelling(in_root: Path, invoke: Invoke) -> None:
    new = invoke(["split", "--jobs", "1", "--lang", "fa,ar", SAMPLE])
    old = invoke(["split", "--jobs", "1", "--languages", "fa,ar", SAMPLE])
    assert (new.exit_code, old.exit_code) == (0, 0)
    assert [r["language"] for r in records(new.stdout)] == ["fa", "und", "ar", "fa", "ar"]
    assert old.stdout == new.stdout
    for spelling in ("--lang", "--languages"):
        refused = invoke(["split", spelling, "fa,xx", SAMPLE])
        assert refused.exit_code == 2 and "Invalid value for --lang: unknown language code(s) xx" in refused.stderr


@pytest.mark.parametrize("spelling", ["-o", "--output", "-d", "--directory"])
def test_unpack_output_folder_and_its_old_spelling(invoke: Invoke, tmp_path: Path, spelling: str) -> None:
    data = container("a.txt|one", "b/c.txt|two")
    for args, stdin in (([write(tmp_path / "c.txt", data)], None), (["-"], data)):
        out = tmp_path / f"out{len(args[0])}"
        result = invoke(["unpack", *args, spelling, str(out)], input=stdin)
        assert (result.exit_code, result.stderr) == (0, "")
        assert (out / "a.txt").read_text() == "one" and (out / "b" / "c.txt").read_text() == "two"


@pytest.mark.parametrize("command, new, old", [
    ("split", "--lang CODES", ("--languages",)),
    ("unpack", "-o, --output DIR", ("-d,", "--directory")),
])
def test_old_spellings_are_shown_nowhere(invoke: Invoke, command: str, new: str, old: tuple[str, ...]) -> None:
    shown = invoke([command, "--help"]).stdout
    assert new in shown
    assert [name for name in old if name in shown] == []


def test_a_missing_option_is_named_by_its_new_spelling(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke(["unpack", write(tmp_path / "c.txt", container("a|x"))])
    assert result.exit_code == 2 and result.stderr.endswith("Error: Missing option '-o' / '--output'.\n")


def test_one_name_per_idea_across_commands(invoke: Invoke) -> None:
    """Every spelling shown in --help, across commands: one idea, one name (and one metavar)."""
    from newsingest.cli import cli

    shown: dict[str, set[str]] = {}
    for command in cli.commands.values():
        for param in command.params:
            record = param.get_help_record(click.Context(command)) if isinstance(param, click.Option) else None
            if record:
                for spelling in re.findall(r"--?[\w-]+", record[0]):
                    shown.setdefault(spelling, set()).add(param.name)
    assert {spelling: names for spelling, names in shown.items() if len(names) > 1} == {
        "-o": {"output", "directory"}, "--output": {"output", "directory"},  # where the output goes: a file or a folder
        "--lang": {"lang", "languages"},  # the language(s): normalize --plain takes one, split candidates
    }
    assert "--languages" not in shown and "-d" not in shown and "--directory" not in shown


# --- options that would do nothing are usage errors ---------------------------------------------------

_LEAVE = " — leave it out\n"
_PLAIN = " does nothing with --plain: lines of text are normalized here, into one output"
_REMOTE = " does nothing with --scheduler ADDRESS: the cluster has its workers (--jobs counts those of --scheduler local)"
IDLE = {
    "top with json": (["stats", "--json", "--top", "3", "-"], "--top does nothing with --json: it holds every publisher"
                      + _LEAVE),
    "lang without plain": (["normalize", "--lang", "fa", "-"],
                           "--lang does nothing without --plain: records carry their own language" + _LEAVE),
    "plain needs lang": (["normalize", "--plain", "-"], "--plain needs --lang (for example --lang fa)\n"),
    **{f"plain with {option}": (["normalize", "--plain", "--lang", "fa", *args, "-"], option + _PLAIN + _LEAVE)
       for option, args in (("--skip-invalid", ["--skip-invalid"]), ("--scheduler", ["--scheduler", "local"]),
                            ("--resume", ["--resume"]), ("--shard-size", ["--shard-size", "1MB"]),
                            ("--max-line-bytes", ["--max-line-bytes", "1MB"]), ("--jobs", ["-j", "2"]),
                            ("--quiet", ["-q"]))},
    "plain with two": (["normalize", "--plain", "--lang", "fa", "-j", "1", "--skip-invalid", "-"],
                       "--skip-invalid and --jobs" + _PLAIN.replace("does", "do") + " — leave them out\n"),
    **{f"{command} jobs with a cluster": ([command, "-j", "2", "--scheduler", "tcp://127.0.0.1:9", "-o", "x/", "-"],
                                          "--jobs" + _REMOTE + _LEAVE) for command in ("split", "normalize", "dedup")},
    "plain into shards": (["normalize", "--plain", "--lang", "fa", "-o", "x/", "-"],
                          "normalize --plain writes one file, not shards: give -o FILE, or no -o for stdout\n"),
    "pack into shards": (["pack", "-", "-o", "x/"], "pack writes one file, not shards: give -o FILE, or no -o for stdout\n"),
    "pack --null without -": (["pack", "-0", SAMPLE], "--null separates the paths listed on standard input: give - to "
                              "read them\n"),
    # the rules that were there before, each checked for every command it concerns
    **{f"{command} --shard-size into one file": ([command, "--shard-size", "1MB", "-"],
                                                 "--shard-size goes with sharded output: -o DIR/\n")
       for command in ("split", "normalize", "dedup")},
    **{f"{command} --resume into one file": ([command, "--resume", "-"], "--resume goes with sharded output: -o DIR/\n")
       for command in ("split", "normalize")},
    "dedup --resume": (["dedup", "--resume", "-o", "x/", "-"], "No such option '--resume'.\n"),
}


@pytest.mark.parametrize("case", sorted(IDLE))
def test_an_option_that_would_do_nothing_is_a_usage_error(in_root: Path, invoke: Invoke, tmp_path: Path, case: str) -> None:
    args, message = IDLE[case]
    args = [f"{tmp_path}/x/" if arg == "x/" else arg for arg in args]
    result = invoke(args, input=b"")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith("Error: " + message)
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("args", [
    ["stats", "--top", "3", "-"], ["stats", "--json", "-"], ["normalize", "--plain", "--lang", "fa", "-"],
    ["normalize", "-j", "2", "-q", "--skip-invalid", "--max-line-bytes", "1MB", "-"],
    ["split", "-j", "1", "--keep-boilerplate", "--learn-furniture", "2", "--strict", SAMPLE],
])
def test_options_that_go_together_are_taken(in_root: Path, invoke: Invoke, args: list[str]) -> None:
    assert invoke(args, input=b"").exit_code == 0


def test_learn_furniture_with_keep_boilerplate_still_names_the_furniture(invoke: Invoke, tmp_path: Path) -> None:
    shared = "Dapatkan berita terbaru setiap hari di kanal kami"
    path = write(tmp_path / "c.txt", container(*(f"a{i}|Paragraf berita nomor {i}.\n{shared}\nParagraf kedua {i}."
                                                 for i in range(3))))
    got = records(invoke(["split", "-j", "1", "--keep-boilerplate", "--learn-furniture", "3", path]).stdout)
    assert all(shared in r["text"] and [b["reason"] for b in r["boilerplate"]] == ["repeated_line"] for r in got)


# --- pack - ------------------------------------------------------------------------------------------


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    (tmp_path / "articles" / "b").mkdir(parents=True)
    (tmp_path / "articles" / "one.txt").write_text("first\n<<<END>>>\n")
    (tmp_path / "articles" / "b" / "two words.txt").write_text("second")
    (tmp_path / "articles" / "b" / "skip.md").write_text("not listed")
    return tmp_path


def _shell(script: str, cwd: Path) -> "subprocess.CompletedProcess[bytes]":
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = f"newsingest() {{ '{sys.executable}' -m newsingest \"$@\"; }}\nset -o pipefail\n{script}"
    return subprocess.run(["bash", "-c", command], capture_output=True, cwd=cwd, timeout=GIVE_UP, env=env)


@pytest.mark.parametrize("listing", ["find articles -name '*.txt' | sort", "find articles -name '*.txt' -print0 | sort -z"])
def test_pack_reads_the_paths_find_lists(articles: Path, listing: str) -> None:
    null = "-0 " if "print0" in listing else ""
    piped = _shell(f"{listing} | newsingest pack {null}- -o dump.txt && newsingest split -j 1 dump.txt", articles)
    given = _shell("newsingest pack 'articles/b/two words.txt' articles/one.txt", articles)
    assert (piped.returncode, piped.stderr, given.returncode) == (0, b"", 0)
    assert (articles / "dump.txt").read_bytes() == given.stdout
    assert [(r["id"], r["text"]) for r in records(piped.stdout.decode())] == [
        ("articles/b/two words.txt", "second"), ("articles/one.txt", "first\n<<<END>>>")]


def test_pack_dash_as_an_argument_among_others(in_root: Path, invoke: Invoke, articles: Path) -> None:
    listed = f"{articles}/articles/one.txt\n\n{articles}/nothing-here.txt\n"
    result = invoke(["pack", f"{articles}/articles/b", "-", SAMPLE], input=listed)
    assert result.exit_code == 1
    assert result.stderr == (f"{articles}/nothing-here.txt: cannot be read (No such file or directory); file left "
                             "out — pack takes regular text files\n")
    names = re.findall(r"^<<<FILE (.*)>>>$", result.stdout, re.M)
    assert names == ["skip.md", "two words.txt", "one.txt", SAMPLE]


def test_a_listed_path_longer_than_any_path_is_reported_and_read_past(invoke: Invoke, articles: Path) -> None:
    from newsingest.io.container import MAX_LISTED_PATH

    for null, end in ((False, b"\n"), (True, b"\0")):
        listed = b"x" * (MAX_LISTED_PATH + 1) + end + f"{articles}/articles/one.txt".encode() + end + b"y" * 3_000_000
        result = invoke(["pack", *(["--null"] if null else []), "-"], input=listed)
        assert result.exit_code == 1
        assert result.stderr == (f"-:1: {MAX_LISTED_PATH + 1:,} bytes, longer than any path; left out — list one path "
                                 "a line (or each ended by a NUL byte with --null)\n-:3: 3,000,000 bytes, longer than "
                                 "any path; left out — list one path a line (or each ended by a NUL byte with --null)\n")
        assert result.stdout == "<<<FILE one.txt>>>\nfirst\n\\<<<END>>>\n\n<<<END>>>\n"


@given(st.lists(st.binary(min_size=0, max_size=40).filter(lambda b: b"\n" not in b), max_size=20),
       st.integers(1, 64))
def test_listed_paths_come_back_as_listed_whatever_the_reads(entries: list[bytes], step: int) -> None:
    import io

    from newsingest.io.container import listed_paths

    class Trickle(io.RawIOBase):  # a pipe that gives a few bytes a read
        def __init__(self, data: bytes) -> None:
            self.data = data

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            piece, self.data = self.data[:min(step, len(buffer))], self.data[step:]
            buffer[:len(piece)] = piece
            return len(piece)

    for null, end in ((False, b"\n"), (True, b"\0")):
        kept = [e for e in entries if e and (not null or b"\0" not in e)]
        data = b"".join(e + end for e in kept)
        assert list(listed_paths(io.BufferedReader(Trickle(data)), "-", null)) == [os.fsdecode(e) for e in kept]


# --- what a shard folder's manifest records -------------------------------------------------------------


def test_the_manifest_records_the_version_and_the_options_of_every_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsingest import __version__
    from newsingest.cli import cli
    from newsingest.io.shards import ShardedOutput

    inputs = []
    for k in range(3):
        path = tmp_path / f"r{k}.jsonl"
        split = subprocess.run([sys.executable, "-m", "newsingest", "split", "-j", "1", str(ROOT / SAMPLE)],
                               capture_output=True, check=True, timeout=GIVE_UP)
        path.write_bytes(split.stdout.replace(b'"id":"', f'"id":"{k}/'.encode()))
        inputs.append(str(path))
    out = tmp_path / "out"
    args = ["normalize", *inputs, "-o", f"{out}/", "--shard-size", "1KB", "--digits", "latin", "--skip-invalid"]
    original, seen = ShardedOutput.write, []

    def interrupted(self: ShardedOutput, index: int, line: bytes) -> None:
        seen.append(1)
        if len(seen) == 8:
            raise KeyboardInterrupt
        original(self, index, line)

    monkeypatch.setattr(ShardedOutput, "write", interrupted)
    from click.testing import CliRunner

    assert CliRunner().invoke(cli, [*args, "-j", "1"]).exit_code != 0
    monkeypatch.setattr(ShardedOutput, "write", original)
    assert CliRunner().invoke(cli, [*args, "-j", "2", "--max-line-bytes", "1MiB", "--resume"]).exit_code == 0
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["newsingest_version"] == __version__
    assert manifest["runs"] == [
        {"newsingest_version": __version__, "resume": False, "engine": "local", "jobs": 1, "skip_invalid": True,
         "max_line_bytes": 256 * 2**20, "text_field": "text"},
        {"newsingest_version": __version__, "resume": True, "engine": "local", "jobs": 2, "skip_invalid": True,
         "max_line_bytes": 2**20, "text_field": "text"},
    ]
    assert manifest["options"] == {"stage": "normalize", "strip_diacritics": False, "digits": "latin", "text_field": "text",
                                   "version": __version__}
    assert manifest["shard_size"] == 1000


# --- the set-up the README promises -------------------------------------------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def _quick_start_commands() -> list[str]:
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = quick.split("```")[1::2]
    return [line.split("#", 1)[0].strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_the_quick_start_puts_newsingest_on_the_path() -> None:
    commands = _quick_start_commands()
    assert commands == ["make run", "make test", "source .venv/bin/activate", "newsingest --version"]
    # the environment the quick start activates is the one the Makefile makes, and it has the command
    assert re.search(r"^VENV := \.venv$", MAKEFILE, re.M) and "$(PYTHON) -m venv $(VENV)" in MAKEFILE
    assert re.search(r"^\t\$\(PIP\) -e \.$", MAKEFILE, re.M)  # what `make run` installs: the package, editable
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.scripts]\nnewsingest = "newsingest.cli:main"' in pyproject
    assert "`.venv/bin/newsingest`" in README and "`pipx install .`" in README


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("target", ["run", "test"])
def test_the_make_targets_of_the_quick_start_exist(target: str) -> None:
    assert f"make {target}" in _quick_start_commands()
    planned = subprocess.run(["make", "-n", target], capture_output=True, text=True, cwd=ROOT, timeout=GIVE_UP)
    assert planned.returncode == 0, planned.stderr
    if target == "run":  # the command it runs is the one the quick start then puts on the PATH
        assert ".venv/bin/newsingest split -q sample_corpus/*.txt | .venv/bin/newsingest normalize -q" in planned.stdout


# --- a reader that goes away: `| head -1` ends every command with 0 ----------------------------------


@pytest.fixture(scope="module")
def many_publishers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Records of 5,000 publishers: `stats` prints far more than a pipe holds (64 KiB), tables or JSON."""
    from newsingest.io.jsonl import dumps_record
    from newsingest.record import Record, Source
    from newsingest.stages.dedup import text_hash

    folder = tmp_path_factory.mktemp("head")
    with open(folder / "records.jsonl", "wb") as out:
        for i in range(5_000):
            text = f"Artikel nomor {i} tentang berita hari ini di kota besar, dengan beberapa kata lagi."
            out.write(dumps_record(Record(id=str(i), text=text, language="id", hash=text_hash(text), n_chars=len(text),
                                          publisher=f"Penerbit {i}", date_published=f"20{i % 25:02d}-01-02",
                                          source=Source(container="c.txt", member=str(i), line=1))))
    (folder / "lines.txt").write_text("همکاريهاي بينالمللي مي شود\n" * 20_000, encoding="utf-8")
    (folder / "articles").mkdir()
    for i in range(300):
        (folder / "articles" / f"{i:03d}.txt").write_text(f"Artikel {i}\n" * 40, encoding="utf-8")
    (folder / "dump.txt").write_bytes(_shell("newsingest pack articles", folder).stdout)
    return folder


HEAD = {
    "stats": "newsingest stats --top 5000 records.jsonl",
    "stats from stdin": "cat records.jsonl | newsingest stats --top 5000 -",
    "stats --json": "newsingest stats --json records.jsonl",
    "split": "newsingest split -j 1 dump.txt",
    "split -j 2": "newsingest split -j 2 dump.txt",
    "normalize": "newsingest normalize records.jsonl",
    "normalize --plain": "newsingest normalize --plain --lang fa lines.txt",
    "dedup": "newsingest dedup -j 1 records.jsonl",
    "pack": "newsingest pack articles",
    "pack -": "find articles -name '*.txt' | sort | newsingest pack -",
    "schema": "newsingest schema",
}


@pytest.mark.parametrize("command", sorted(HEAD))
def test_every_command_into_head_exits_0(many_publishers: Path, command: str) -> None:
    line = HEAD[command]
    if command not in ("schema", "split -j 2", "stats from stdin"):  # (the last two print what another does)
        whole = _shell(line + " | wc -c", many_publishers)
        assert whole.returncode == 0 and int(whole.stdout) > 2**16  # more than a pipe holds: a write meets the close
    result = _shell(line + " | head -1; echo \"exit ${PIPESTATUS[-2]}\" >&2", many_publishers)
    assert result.stderr == b"exit 0\n"
    assert result.returncode == 0 and result.stdout.count(b"\n") == 1
