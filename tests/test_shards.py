"""Sharded output: atomic shards, the same records as one file, and --resume after an interruption."""

import gzip
import json
import os

import pytest
from click.testing import CliRunner

from newsingest.cli import cli
from newsingest.io.shards import ShardedOutput, parse_size

from .conftest import ROOT, SAMPLE


@pytest.fixture
def containers(tmp_path):
    paths = []
    text = (ROOT / SAMPLE).read_text(encoding="utf-8")
    for i in range(3):
        path = tmp_path / f"c{i}.txt"
        path.write_text(text.replace("<<<FILE ", f"<<<FILE c{i}/"), encoding="utf-8")
        paths.append(str(path))
    return paths


def shards_of(directory):
    names = sorted(n for n in os.listdir(directory) if n.startswith("part-"))
    return {n: (directory / n).read_bytes() for n in names}


def run(args):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_shards_hold_what_one_file_holds(containers, tmp_path):
    out = tmp_path / "out"
    # Five records of a container make about 28 KB, four about 20 KB (more with a long temporary path):
    # 24KB cuts after each container's fifth record whatever the path.
    assert run(["split", *containers, "-o", f"{out}/", "--shard-size", "24KB", "--jobs", "1"]).exit_code == 0
    shards = shards_of(out)
    assert list(shards) == ["part-00000.jsonl.gz", "part-00001.jsonl.gz", "part-00002.jsonl.gz"]
    whole = run(["split", *containers, "--jobs", "1"]).stdout.encode()
    assert b"".join(gzip.decompress(data) for data in shards.values()) == whole
    manifest = json.loads((out / ".newsingest" / "manifest.json").read_text())
    assert [e["complete"] for e in manifest["inputs"]] == [True, True, True]
    assert not [n for n in os.listdir(out) if n.endswith(".tmp")]


def test_resume_after_an_interruption_gives_the_same_shards(containers, tmp_path, monkeypatch):
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    args = ["--shard-size", "20KB", "--jobs", "1"]
    assert run(["split", *containers, "-o", f"{whole}/", *args]).exit_code == 0

    written = {"n": 0}
    original = ShardedOutput.write

    def interrupted(self, index, line):
        written["n"] += 1
        if written["n"] == 8:  # in the middle of the second shard
            raise KeyboardInterrupt
        original(self, index, line)

    monkeypatch.setattr(ShardedOutput, "write", interrupted)
    result = CliRunner().invoke(cli, ["split", *containers, "-o", f"{cut}/", *args])
    assert result.exit_code != 0
    assert list(shards_of(cut)) == ["part-00000.jsonl.gz"]  # no half shard under a shard's name
    assert not [n for n in os.listdir(cut) if n.endswith(".tmp")]

    monkeypatch.setattr(ShardedOutput, "write", original)
    assert run(["split", *containers, "-o", f"{cut}/", *args, "--resume"]).exit_code == 0
    assert shards_of(cut) == shards_of(whole)


def test_refuses_another_runs_directory_and_changed_inputs(containers, tmp_path):
    out = tmp_path / "out"
    assert run(["split", *containers, "-o", f"{out}/", "--jobs", "1"]).exit_code == 0
    again = run(["split", *containers, "-o", f"{out}/", "--jobs", "1"])
    assert again.exit_code == 1 and "holds shards of another run" in again.stderr
    changed = run(["split", containers[0], "-o", f"{out}/", "--jobs", "1", "--resume"])
    assert changed.exit_code == 1 and "differ from the interrupted run" in changed.stderr
    assert run(["split", containers[0], "--resume"]).exit_code == 2  # --resume without shards


@pytest.mark.parametrize("text, size", [("256MB", 256_000_000), ("1GB", 10**9), ("500KiB", 512_000), ("1000", 1000)])
def test_sizes(text, size):
    assert parse_size(text) == size


def test_bad_size_is_a_usage_error(containers, tmp_path):
    result = run(["split", containers[0], "-o", f"{tmp_path}/o/", "--shard-size", "lots"])
    assert result.exit_code == 2 and "not a size" in result.stderr


def test_resume_reads_the_manifest_where_version_0_1_wrote_it(containers, tmp_path, monkeypatch):
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    args = ["--shard-size", "20KB", "--jobs", "1"]
    assert run(["split", *containers, "-o", f"{whole}/", *args]).exit_code == 0
    original = ShardedOutput.write
    written = {"n": 0}

    def interrupted(self, index, line):
        written["n"] += 1
        if written["n"] == 8:
            raise KeyboardInterrupt
        original(self, index, line)

    monkeypatch.setattr(ShardedOutput, "write", interrupted)
    assert CliRunner().invoke(cli, ["split", *containers, "-o", f"{cut}/", *args]).exit_code != 0
    monkeypatch.setattr(ShardedOutput, "write", original)
    os.replace(cut / ".newsingest" / "manifest.json", cut / "_manifest.json")  # as newsingest 0.1 left it
    os.rmdir(cut / ".newsingest")
    assert run(["split", *containers, "-o", f"{cut}/", *args, "--resume"]).exit_code == 0
    assert shards_of(cut) == shards_of(whole)
    assert sorted(os.listdir(cut)) == sorted(os.listdir(whole)) == [".newsingest", *shards_of(whole)]  # moved
