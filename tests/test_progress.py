"""A run you can watch: the phases, bytes and records every engine tells its `Progress`, the bars
`--progress` draws, the timings of `-v` and the closing line. Nothing here reads the clock."""

import gzip
import io
import json
import os
import re
import sys

import orjson
import pytest

from newsingest.pipeline import Local, Report, ShardSink, StreamSink, dedup_files, normalize_files, split_files
from newsingest.pipeline.report import Outcome
from newsingest.progress import Progress
from newsingest.stages.dedup import PHASES

from .conftest import ROOT, SAMPLE, container, write

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Recorder(Progress):
    """Each phase as [name, total, bytes read, records written]."""

    def __init__(self):
        self.phases = []

    def phase(self, name, total=None):
        self.phases.append([name, total, 0, 0])

    def read(self, count):
        self.phases[-1][2] += count

    def wrote(self, count):
        self.phases[-1][3] += count


@pytest.fixture
def dump(tmp_path):
    """The sample corpus three times over (members renamed), as a plain and as a gzip container."""
    text = (ROOT / SAMPLE).read_text(encoding="utf-8")
    data = "".join(text.replace("<<<FILE ", f"<<<FILE {k}/") for k in range(3)).encode("utf-8")
    plain = write(tmp_path / "dump.txt", data)
    packed = write(tmp_path / "dump.txt.gz", gzip.compress(data))
    return plain, packed


def _lines(path):
    with open(path, "rb") as handle:
        return handle.read().decode("utf-8").splitlines()


@pytest.mark.parametrize("jobs", [1, 2])
def test_split_reads_the_input_files_bytes_as_stored_and_counts_the_records(dump, tmp_path, jobs):
    plain, packed = dump
    progress = Recorder()
    out = tmp_path / "out.jsonl"
    report = split_files([plain, packed], sink=StreamSink(str(out)), engine=Local(jobs), progress=progress)
    size = os.path.getsize(plain) + os.path.getsize(packed)  # compressed bytes for the .gz
    assert os.path.getsize(packed) < os.path.getsize(plain)
    assert progress.phases == [["splitting", size, size, 30]]
    assert len(_lines(out)) == 30
    assert report.outcome == Outcome(str(out), 30)


def test_split_of_standard_input_has_no_total_but_counts_its_bytes(dump, tmp_path, monkeypatch):
    plain, _ = dump
    data = open(plain, "rb").read()
    monkeypatch.setattr(sys, "stdin", type("Stdin", (), {"buffer": io.BufferedReader(io.BytesIO(data))})())
    progress = Recorder()
    split_files(["-"], sink=StreamSink(str(tmp_path / "o.jsonl")), progress=progress)
    assert progress.phases == [["splitting", None, len(data), 15]]


def test_normalize_reads_the_input_files_bytes(dump, tmp_path):
    plain, _ = dump
    records = tmp_path / "records.jsonl.gz"
    split_files([plain], sink=StreamSink(str(records)))
    progress = Recorder()
    report = normalize_files([str(records)], sink=ShardSink(f"{tmp_path}/n/", shard_size=10_000), progress=progress)
    size = os.path.getsize(records)
    assert progress.phases == [["normalizing", size, size, 15]]
    shards = sorted(name for name in os.listdir(tmp_path / "n") if name.startswith("part-"))
    assert len(shards) > 1
    assert report.outcome == Outcome(f"{tmp_path}/n/", 15, len(shards))


def _corpus(tmp_path):
    """JSONL records: the sample's 5, an exact copy of each under other ids, and 2 of them one word short."""
    plain = write(tmp_path / "sample.txt", (ROOT / SAMPLE).read_bytes())
    split_files([plain], sink=StreamSink(str(tmp_path / "a.jsonl")))
    records = [orjson.loads(line) for line in _lines(tmp_path / "a.jsonl")]
    lines = [orjson.dumps(r) for r in records]
    lines += [orjson.dumps({**r, "id": "copy/" + r["id"]}) for r in records]
    for r in records[3:5]:
        words = r["text"].split(" ")
        lines.append(orjson.dumps({**r, "id": "near/" + r["id"], "text": " ".join(words[:-1])}))
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return str(path)


def test_dedup_names_each_pass_over_its_input_with_the_input_size(tmp_path):
    corpus = _corpus(tmp_path)
    size = os.path.getsize(corpus)
    progress = Recorder()
    report = dedup_files([corpus], sink=StreamSink(str(tmp_path / "d.jsonl")), progress=progress)
    assert [(name, total) for name, total, _, _ in progress.phases] == [
        (PHASES["facts"], size), (PHASES["candidates"], None), (PHASES["verifying"], size),
        (PHASES["clusters"], None), (PHASES["ids"], size), (PHASES["writing"], size),
    ]
    by_name = {name: (read, wrote) for name, _, read, wrote in progress.phases}
    assert by_name[PHASES["facts"]] == by_name[PHASES["writing"]][:1] + (0,) == (size, 0)
    assert by_name[PHASES["writing"]] == (size, 12)
    assert 0 < by_name[PHASES["verifying"]][0] <= size  # read as far as the last record in a pair
    kinds = [json.loads(line)["dup_kind"] for line in _lines(tmp_path / "d.jsonl")]
    assert (kinds.count("exact"), kinds.count("near")) == (5, 2)
    assert report.outcome == Outcome(str(tmp_path / "d.jsonl"), 12, None, 5, 2, False)


def test_dedup_of_standard_input_copies_it_first_then_knows_its_size(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path)
    data = open(corpus, "rb").read()
    monkeypatch.setattr(sys, "stdin", type("Stdin", (), {"buffer": io.BufferedReader(io.BytesIO(data))})())
    progress = Recorder()
    dedup_files(["-"], drop=True, sink=StreamSink(str(tmp_path / "d.jsonl")), progress=progress)
    assert progress.phases[0] == [PHASES["copy"], None, 0, 0]
    assert progress.phases[1] == [PHASES["facts"], len(data), len(data), 0]
    assert progress.phases[-1] == [PHASES["writing"], len(data), len(data), 5]


# --- what the command line shows ------------------------------------------------------------------


def test_progress_draws_the_bars_on_stderr_and_leaves_stdout_exact(in_root, invoke):
    quiet = invoke(["split", SAMPLE])
    shown = invoke(["split", "--progress", SAMPLE])
    assert shown.exit_code == 0
    assert shown.stdout == quiet.stdout
    frames = ANSI.sub("", shown.stderr)
    size = f"{os.path.getsize(SAMPLE) / 1000:.1f}"
    assert re.search(rf"splitting .* {size}/{size} kB .* 5 records", frames)
    assert frames.rstrip("\n").splitlines()[-1] == "newsingest: wrote 5 records to standard output"


def test_no_terminal_no_flag_nothing_on_stderr(in_root, invoke, tmp_path):
    for args in (["split", SAMPLE], ["split", SAMPLE, "-o", str(tmp_path / "o.jsonl")]):
        result = invoke(args)
        assert (result.exit_code, result.stderr) == (0, "")


def test_quiet_is_quiet_and_goes_against_progress_and_verbose(in_root, invoke):
    assert invoke(["split", "-q", SAMPLE]).stderr == ""
    for flag in ("--progress", "-v"):
        result = invoke(["split", "-q", flag, SAMPLE])
        assert result.exit_code == 2
        assert f"-q goes against {'--progress' if flag == '--progress' else '-v'}" in result.stderr


@pytest.mark.parametrize("via", ["file", "-"])
def test_verbose_times_each_phase_then_closes_with_the_summary(tmp_path, invoke, via):
    data = (ROOT / SAMPLE).read_bytes()
    source = write(tmp_path / "c.txt", data) if via == "file" else "-"
    out = tmp_path / "out.jsonl"
    result = invoke(["split", "-v", source, "-o", str(out)], input=data if via == "-" else None)
    assert result.exit_code == 0
    timing, summary = result.stderr.splitlines()
    assert re.fullmatch(r"newsingest: splitting: \d+\.\d s, [\d.]+ kB read \([\d.]+ [kM]?B/s\), 5 records written",
                        timing)
    assert summary == f"newsingest: wrote 5 records to {out}"


def test_summary_of_split_to_shards_counts_the_files(in_root, invoke, tmp_path):
    result = invoke(["split", "-v", SAMPLE, "-o", f"{tmp_path}/c/", "--shard-size", "5KB"])
    shards = [name for name in os.listdir(tmp_path / "c") if name.startswith("part-")]
    assert len(shards) == 4
    assert result.stderr.splitlines()[-1] == f"newsingest: wrote 5 records to {tmp_path}/c/ (4 files)"


def test_summary_counts_the_problems(invoke, tmp_path):
    path = write(tmp_path / "c.txt", container("a|", "b|some text of b", "c|") + b"<<<FILE d>>>\ncut short\n")
    result = invoke(["split", "-v", path])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "newsingest: wrote 2 records to standard output; 3 problems reported"


def test_summary_of_dedup_counts_exact_and_near_duplicates_and_lists_its_phases(tmp_path, invoke):
    corpus = _corpus(tmp_path)
    result = invoke(["dedup", "-v", "--jobs", "1", corpus])
    assert result.exit_code == 0
    *timings, summary = result.stderr.splitlines()
    assert [line.split(": ")[1] for line in timings] == [
        "reading and hashing", "finding candidates", "verifying candidates", "clustering", "reading ids", "writing",
    ]
    kinds = [json.loads(line)["dup_kind"] for line in result.stdout.splitlines()]
    assert (kinds.count("exact"), kinds.count("near")) == (5, 2)
    assert summary == "newsingest: wrote 12 records to standard output; 5 exact and 2 near duplicates marked"
    dropped = invoke(["dedup", "--progress", "--drop", corpus])
    assert ANSI.sub("", dropped.stderr).splitlines()[-1] == (
        "newsingest: wrote 5 records to standard output; 5 exact and 2 near duplicates dropped")


def test_summary_counts_skipped_lines(tmp_path, invoke):
    corpus = _corpus(tmp_path)
    with open(corpus, "ab") as handle:
        handle.write(b"not a record\n")
    result = invoke(["normalize", "-v", "--skip-invalid", corpus])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "newsingest: wrote 12 records to standard output; 1 invalid line skipped"


def test_summary_words():
    report = Report()
    report.outcome = Outcome("corpus/", 1, 1)
    assert report.summary() == "newsingest: wrote 1 record to corpus/ (1 file)"
    report.outcome = Outcome("x.jsonl.gz", 20_000, None, 1_234, 1, True)
    report.problems = 1
    assert report.summary() == ("newsingest: wrote 20,000 records to x.jsonl.gz; 1,234 exact and 1 near duplicate "
                                "dropped; 1 problem reported")
    assert Report().summary() is None  # a run that writes no records


def test_a_run_that_fails_ends_with_its_error_not_a_summary(tmp_path, invoke):
    bad = write(tmp_path / "bad.jsonl", b"not json\n")
    result = invoke(["normalize", "-v", bad])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}:1: not JSON") and len(result.stderr.splitlines()) == 1


def test_every_phase_is_in_the_docs():
    from newsingest.engines.base import PHASES as ENGINE_PHASES

    doc = (ROOT / "docs" / "progress.md").read_text(encoding="utf-8")
    assert [name for name in PHASES.values() if f"| `{name}` |" not in doc] == []
    assert [name for name in ENGINE_PHASES.values() if f"`{name}`" not in doc] == []
