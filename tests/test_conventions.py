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

import click
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsingest.io.shards import MAX_SIZE, SIZE_UNITS, parse_size

from .conftest import ROOT, SAMPLE, container, write

GIVE_UP = 120  # seconds: only so that a hang fails the test instead of blocking it


def records(text: str) -> list[dict]:
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
def test_sizes_as_users_type_them(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", [
    "1e6", "1E6", "1e3K", "1_000", "0x10", "-1", "+1", "0", "0KB", "0.0001KB", "1.5", "0.5B", "inf", "nan", "",
    "MB", "1XB", "1Ki", "1 0MB", "１０", "4611686018427387905", "5EB", "9" * 70, "lots",
])
def test_what_is_not_a_size(text):
    with pytest.raises(ValueError, match=re.escape(f"not a size: {text!r} (write a positive size such as")):
        parse_size(text)


@given(st.integers(1, 10**6), st.sampled_from(sorted(SIZE_UNITS)), st.sampled_from(["", " "]),
       st.sampled_from([str.upper, str.lower, lambda unit: unit]))
def test_a_whole_number_of_any_unit_is_exact(number, unit, space, case):
    assert parse_size(f"{number}{space}{case(unit)}") == number * SIZE_UNITS[unit]


@given(st.integers(0, 10**4), st.integers(0, 999), st.sampled_from(["KB", "MB", "GB", "K", "M", "G", "KiB", "GiB"]))
def test_a_fraction_of_a_unit_is_rounded_down_to_whole_bytes(whole, thousandths, unit):
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
def test_a_size_the_command_line_refuses(invoke, args):
    result = invoke(args, input=b"")
    assert result.exit_code == 2 and "not a size" in result.stderr


def test_a_size_with_a_single_letter_unit_on_the_command_line(invoke, tmp_path):
    out = tmp_path / "out"
    result = invoke(["split", "--jobs", "1", str(ROOT / SAMPLE), "-o", f"{out}/", "--shard-size", "1k"])
    assert result.exit_code == 0
    assert json.loads((out / "_manifest.json").read_text())["shard_size"] == 1024


# --- one name per idea -----------------------------------------------------------------------------


def test_split_lang_and_its_old_spelling(in_root, invoke):
    new = invoke(["split", "--jobs", "1", "--lang", "fa,ar", SAMPLE])
    old = invoke(["split", "--jobs", "1", "--languages", "fa,ar", SAMPLE])
    assert (new.exit_code, old.exit_code) == (0, 0)
    assert [r["language"] for r in records(new.stdout)] == ["fa", "und", "ar", "fa", "ar"]
    assert old.stdout == new.stdout
    for spelling in ("--lang", "--languages"):
        refused = invoke(["split", spelling, "fa,xx", SAMPLE])
        assert refused.exit_code == 2 and "Invalid value for --lang: unknown language code(s) xx" in refused.stderr


@pytest.mark.parametrize("spelling", ["-o", "--output", "-d", "--directory"])
def test_unpack_output_folder_and_its_old_spelling(invoke, tmp_path, spelling):
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
def test_old_spellings_are_shown_nowhere(invoke, command, new, old):
    shown = invoke([command, "--help"]).stdout
    assert new in shown
    assert [name for name in old if name in shown] == []


def test_a_missing_option_is_named_by_its_new_spelling(invoke, tmp_path):
    result = invoke(["unpack", write(tmp_path / "c.txt", container("a|x"))])
    assert result.exit_code == 2 and result.stderr.endswith("Error: Missing option '-o' / '--output'.\n")


def test_one_name_per_idea_across_commands(invoke):
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
