"""Every engine and sink gives the records of one process: Dask, shards, and shards resumed after an
interruption, for `split`, `normalize` and `dedup`, with every option that shapes the records."""

import gzip
import json
import os
import shutil

import numpy as np
import orjson

import pytest
from click.testing import CliRunner

from newsingest.cli import cli
from newsingest.engines.dask import Dask
from newsingest.engines.dask_split import plan

from .conftest import ROOT, SAMPLE

pytest.importorskip("distributed")


@pytest.fixture
def containers(tmp_path):
    text = (ROOT / SAMPLE).read_text(encoding="utf-8")
    paths = []
    for i in range(2):
        path = tmp_path / f"c{i}.txt"
        # several copies, an unnamed member and a repeated name: ids depend on what came before
        body = "".join(text.replace("<<<FILE ", f"<<<FILE c{i}/{k}/") for k in range(6))
        body += "<<<FILE>>>\nAn article without a name, long enough to be one.\n<<<END>>>\n"
        body += text.split("<<<END>>>")[0].replace("<<<FILE ", f"<<<FILE c{i}/0/") + "<<<END>>>\n"
        path.write_text(body, encoding="utf-8")
        paths.append(str(path))
    gz = tmp_path / "c2.txt.gz"
    gz.write_bytes(gzip.compress(text.encode("utf-8")))
    return paths + [str(gz)]


@pytest.fixture(scope="module")
def cluster():
    """One local cluster of two worker processes for the module (starting one takes seconds)."""
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as running:
        yield Dask(running.scheduler_address)


def test_partitions_cut_at_member_boundaries_with_the_ids_of_one_run(containers):
    parts = plan(containers, lambda problem: None, target=20_000)
    assert len(parts) > len(containers)  # the plain containers were cut
    for part in parts:
        if part.start:
            with open(part.path, "rb") as handle:
                handle.seek(part.start)
                assert handle.read(7) == b"<<<FILE"
    ids = [i for part in parts for i in part.ids]
    assert len(ids) == len(set(ids))
    assert parts[-1].start == 0 and parts[-1].end is None  # compressed: one partition


def test_dask_gives_the_records_of_one_process(containers, tmp_path, cluster):
    single = CliRunner().invoke(cli, ["split", "--jobs", "1", *containers], catch_exceptions=False)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["split", "--scheduler", cluster.address, "--shard-size", "20KB", *containers, "-o", f"{out}/"],
        catch_exceptions=False,
    )
    # the repeated names are reported once, by the driver, as by the single-process run
    assert (result.exit_code, result.stderr) == (single.exit_code, single.stderr) == (1, single.stderr)
    assert single.stderr.count("already used") == 2
    shards = sorted(n for n in os.listdir(out) if n.startswith("part-"))
    assert len(shards) > 3  # the plain containers were cut at --shard-size
    merged = b"".join(gzip.decompress((out / n).read_bytes()) for n in shards).decode("utf-8")
    assert merged == single.stdout


def test_scheduler_needs_a_shard_directory(containers):
    result = CliRunner().invoke(cli, ["split", "--scheduler", "local", containers[0]])
    assert result.exit_code == 2 and "give -o DIR/" in result.stderr


def _with_near_duplicates(lines: list[bytes]) -> list[bytes]:
    """The JSONL lines with every third record one word short: near duplicates of their copies."""
    edited = []
    for k, line in enumerate(lines):
        record = orjson.loads(line)
        if k % 3 == 1:
            words = record["text"].split(" ")
            record["text"] = " ".join(words[: len(words) // 2] + words[len(words) // 2 + 1 :])
        edited.append(orjson.dumps(record) + b"\n")
    return edited


def test_dedup_on_dask_gives_the_records_of_one_process(containers, tmp_path, cluster):
    single_split = CliRunner().invoke(cli, ["split", "--jobs", "1", *containers], catch_exceptions=False)
    lines = single_split.stdout.splitlines(keepends=True)
    edited = _with_near_duplicates(lines)  # near duplicates too
    parts = []
    for p in range(4):  # partitions of different sizes, one of them empty
        path = tmp_path / f"in-{p}.jsonl"
        path.write_bytes(b"".join(edited[p * len(edited) // 3 : (p + 1) * len(edited) // 3]))
        parts.append(str(path))
    for extra in ([], ["--drop"], ["--threshold", "0.5"]):
        single = CliRunner().invoke(cli, ["dedup", "--jobs", "1", *extra, *parts], catch_exceptions=False)
        assert single.exit_code == 0
        out = tmp_path / f"out{extra}"
        result = CliRunner().invoke(
            cli, ["dedup", "--scheduler", cluster.address, *extra, *parts, "-o", f"{out}/"],
            catch_exceptions=False,
        )
        assert (result.exit_code, result.stderr) == (0, "")
        shards = sorted(path for path in out.iterdir() if path.name.startswith("part-"))
        assert [s.name for s in shards] == [f"part-{p:05d}.jsonl.gz" for p in range(4)]
        merged = b"".join(gzip.decompress(s.read_bytes()) for s in shards).decode("utf-8")
        assert merged == single.stdout
        assert '"dup_kind":"near"' in merged or extra == ["--drop"]


def test_dedup_on_dask_reports_a_bad_line_with_its_place(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\nnot json\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["dedup", "--scheduler", "local", "--jobs", "1", str(bad), "-o", f"{tmp_path}/o/"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}:1: not a newsingest record")


def test_dedup_scheduler_needs_files_and_a_shard_directory(tmp_path):
    result = CliRunner().invoke(cli, ["dedup", "--scheduler", "local", "-o", f"{tmp_path}/o/"], input="")
    assert result.exit_code == 2 and "workers read them" in result.stderr
    (tmp_path / "x.jsonl").write_text("", encoding="utf-8")
    result = CliRunner().invoke(cli, ["dedup", "--scheduler", "local", str(tmp_path / "x.jsonl")])
    assert result.exit_code == 2 and "give -o DIR/" in result.stderr


def test_equal_keys_of_different_partitions_meet_in_one_bucket():
    from newsingest.engines.dask_dedup import bucket_groups, bucketed

    def facts(hashes):
        n = len(hashes)
        return {"lang": np.full(n, 7, np.uint64), "hash_hi": np.array(hashes, np.uint64),
                "hash_lo": np.array(hashes, np.uint64) * np.uint64(3), "url": np.zeros(n, np.uint64), "records": [("", "", 1)] * n}

    first, second = bucketed(facts([5, 6, 9]), "exact", 0, 4), bucketed(facts([9, 1, 5, 5]), "exact", 3, 4)
    groups = [sorted(g.tolist()) for b in range(4) for g in bucket_groups("exact", False, first[b], second[b])]
    assert sorted(groups) == [[0, 5, 6], [2, 3]]
    assert sum(piece.shape[1] for piece in first) == 3  # every key in exactly one bucket


def test_dask_with_learnt_furniture_gives_the_records_of_one_process(tmp_path, cluster):
    from newsingest.stages.split import SplitOptions

    from .conftest import container

    body = "Sebuah paragraf yang cukup panjang untuk dianggap sebagai isi berita dan bukan hiasan halaman."
    members = [f"a{i}|Judul {i}\n{body} Nomor {i}.\nBaca berita lain di situs kami setiap hari" for i in range(2_300)]
    path = tmp_path / "site.txt"
    path.write_bytes(container(*members))
    args = ["--learn-furniture", "50", str(path)]
    single = CliRunner().invoke(cli, ["split", "--jobs", "1", *args], catch_exceptions=False)
    assert single.exit_code == 0 and "Baca berita lain" not in single.stdout.split('"boilerplate"')[0]
    parts = plan([str(path)], lambda problem: None, 30_000, SplitOptions(learn_furniture=50))
    assert [len(p.ids) for p in parts] == [1_000, 1_000, 300]  # cut only between windows
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["split", "--scheduler", cluster.address, "--shard-size", "30KB", *args,
                                      "-o", f"{out}/"], catch_exceptions=False)
    assert (result.exit_code, result.stderr) == (0, "")
    merged = b"".join(gzip.decompress((out / n).read_bytes()) for n in sorted(os.listdir(out))
                      if n.startswith("part-")).decode("utf-8")
    assert merged == single.stdout


# --- every option, every engine, every sink: the same records ----------------------------------------

from newsingest.errors import OptionsConflict  # noqa: E402
from newsingest.io.jsonl import Reading  # noqa: E402
from newsingest.io.shards import MANIFEST, ShardedOutput  # noqa: E402
from newsingest.pipeline import (  # noqa: E402
    Local, ShardSink, StreamSink, dedup_files, normalize_files, split_files,
)
from newsingest.stages.dedup import DedupOptions  # noqa: E402
from newsingest.stages.normalize import Options as NormalizeOptions  # noqa: E402
from newsingest.stages.split import SplitOptions  # noqa: E402


def _shards(folder) -> bytes:
    """The records of a folder's shards, in order, as JSONL (a Parquet shard's rows read back)."""
    from newsingest.io.inputs import read_input
    from newsingest.io.jsonl import dumps_record
    from newsingest.io.streams import reading

    records = []
    for path in _parts(folder):
        if path.suffix == ".parquet":
            with reading(str(path)) as stream:
                records.extend(dumps_record(record) for record in read_input(stream, str(path)))
        else:
            records.append(gzip.decompress(path.read_bytes()))
    return b"".join(records)


def _parts(folder) -> list:
    return sorted(path for path in folder.iterdir() if path.name.startswith("part-"))


def _runs(folder, cluster) -> list[tuple]:
    """What the manifest says of the runs that wrote the folder: the version, resumed or not, the engine."""
    from newsingest import __version__

    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["newsingest_version"] == __version__
    engines = {"local": ("jobs", 2), "dask": ("address", cluster.address)}
    assert all(run["newsingest_version"] == __version__ and run[engines[run["engine"]][0]] == engines[run["engine"]][1]
               for run in manifest["runs"])
    return [(run["engine"], run["resume"]) for run in manifest["runs"]]


def _interrupted(run, after: int, monkeypatch) -> None:
    """Run with shards, stopped (as by Ctrl-C) after ``after`` records were written."""
    original = ShardedOutput.write
    seen = []

    def write(self, index, line):
        seen.append(1)
        if len(seen) > after:
            raise KeyboardInterrupt
        original(self, index, line)

    with monkeypatch.context() as patch:
        patch.setattr(ShardedOutput, "write", write)
        with pytest.raises(KeyboardInterrupt):
            run()


def _same_everywhere(stage, paths, options, one_file, tmp_path, monkeypatch, cluster, size=4_000, resumable=True,
                     per_input=False, format="jsonl"):
    """`stage` into shards on one machine (with 2 jobs), resumed after an interruption, and on Dask
    (then resumed after a shard was lost) gives the bytes of one process into one file. In Parquet,
    the records read back are those bytes, and a shard written again is the same bytes."""
    stage(paths, options, StreamSink(str(one_file)), Local(1))
    expected = one_file.read_bytes()
    assert expected
    if format == "parquet":  # one Parquet file: the same bytes whatever the number of jobs
        stage(paths, options, StreamSink(str(tmp_path / "one.parquet")), Local(1))
        stage(paths, options, StreamSink(str(tmp_path / "two.parquet")), Local(2))
        assert (tmp_path / "one.parquet").read_bytes() == (tmp_path / "two.parquet").read_bytes()

    shards = tmp_path / "shards"
    stage(paths, options, ShardSink(str(shards), size, format=format), Local(2))
    assert _shards(shards) == expected
    assert len(_parts(shards)) > 1 and {p.suffix for p in _parts(shards)} == {".gz" if format == "jsonl" else ".parquet"}
    assert _runs(shards, cluster) == [("local", False)]

    if resumable:
        resumed = tmp_path / "resumed"
        _interrupted(lambda: stage(paths, options, ShardSink(str(resumed), size, format=format), Local(2)),
                     expected.count(b"\n") // 2, monkeypatch)
        assert 0 < len(_parts(resumed))
        stage(paths, options, ShardSink(str(resumed), size, resume=True, format=format), Local(2))
        assert _shards(resumed) == expected
        assert [p.read_bytes() for p in _parts(resumed)] == [p.read_bytes() for p in _parts(shards)]
        assert _runs(resumed, cluster) == [("local", False), ("local", True)]

    on_dask = tmp_path / "dask"
    dask_size = None if per_input else size  # normalize and dedup on Dask: one shard per input
    stage(paths, options, ShardSink(str(on_dask), dask_size, format=format), cluster)
    assert _shards(on_dask) == expected
    if resumable:
        whole = [p.read_bytes() for p in _parts(on_dask)]
        lost = _parts(on_dask)[len(paths) // 2]
        lost.unlink()
        stage(paths, options, ShardSink(str(on_dask), dask_size, resume=True, format=format), cluster)
        assert _shards(on_dask) == expected
        assert [p.read_bytes() for p in _parts(on_dask)] == whole
        assert _runs(on_dask, cluster) == [("dask", False), ("dask", True)]
    else:
        assert _runs(on_dask, cluster) == [("dask", False)]


SPLIT_OPTIONS = {
    "defaults": SplitOptions(),
    "keep boilerplate": SplitOptions(keep_boilerplate=True),
    "learnt furniture": SplitOptions(learn_furniture=2, window=5),
    "languages": SplitOptions(languages=frozenset({"fa", "ar", "id"})),
    "encoding": SplitOptions(encoding="utf-8"),
    "member limit": SplitOptions(max_member_bytes=4_500),
    "id prefix": SplitOptions(id_prefix="2024-05-01/"),
}


@pytest.mark.parametrize("name", SPLIT_OPTIONS)
def test_split_gives_the_same_records_on_every_engine_and_sink(name, containers, tmp_path, monkeypatch, cluster):
    def stage(paths, options, sink, engine):
        return split_files(paths, options, sink, engine)

    _same_everywhere(stage, containers, SPLIT_OPTIONS[name], tmp_path / "one.jsonl", tmp_path, monkeypatch, cluster)


@pytest.mark.parametrize("name", ["defaults", "learnt furniture"])
def test_split_gives_the_same_parquet_records_on_every_engine_and_sink(name, containers, tmp_path, monkeypatch,
                                                                        cluster):
    def stage(paths, options, sink, engine):
        return split_files(paths, options, sink, engine)

    _same_everywhere(stage, containers, SPLIT_OPTIONS[name], tmp_path / "one.jsonl", tmp_path, monkeypatch, cluster,
                     format="parquet")


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    """JSONL inputs for normalize and dedup: the split sample, near duplicates, and one bad line."""
    folder = tmp_path_factory.mktemp("records")
    text = (ROOT / SAMPLE).read_text(encoding="utf-8")
    container = folder / "c.txt"
    container.write_text("".join(text.replace("<<<FILE ", f"<<<FILE {k}/") for k in range(4)), encoding="utf-8")
    split_files([str(container)], sink=StreamSink(str(folder / "all.jsonl")))
    lines = (folder / "all.jsonl").read_bytes().splitlines(keepends=True)
    edited = _with_near_duplicates(lines)
    paths = []
    for p in range(3):
        path = folder / f"in-{p}.jsonl"
        path.write_bytes(b"".join(edited[p::3]) + (b"not a record\n" if p == 1 else b""))
        paths.append(str(path))
    return paths


NORMALIZE_OPTIONS = {
    "defaults": NormalizeOptions(),
    "latin digits": NormalizeOptions(digits="latin"),
    "no diacritics, native digits": NormalizeOptions(strip_diacritics=True, digits="native"),
}


@pytest.mark.parametrize("name", NORMALIZE_OPTIONS)
def test_normalize_gives_the_same_records_on_every_engine_and_sink(name, records, tmp_path, monkeypatch, cluster):
    def stage(paths, options, sink, engine):
        report = normalize_files(paths, options, sink, engine, how=Reading(skip_invalid=True))
        assert dict(report.skipped_lines) == {"not_json": 1}

    _same_everywhere(stage, records, NORMALIZE_OPTIONS[name], tmp_path / "one.jsonl", tmp_path, monkeypatch,
                     cluster, size=2_000, per_input=True)


def test_normalize_gives_the_same_parquet_records_on_every_engine_and_sink(records, tmp_path, monkeypatch, cluster):
    def stage(paths, options, sink, engine):
        report = normalize_files(paths, options, sink, engine, how=Reading(skip_invalid=True))
        assert dict(report.skipped_lines) == {"not_json": 1}

    _same_everywhere(stage, records, NormalizeOptions(), tmp_path / "one.jsonl", tmp_path, monkeypatch,
                     cluster, size=2_000, per_input=True, format="parquet")


DEDUP_OPTIONS = {
    "defaults": (DedupOptions(), False),
    "drop": (DedupOptions(), True),
    "threshold 0.5": (DedupOptions(threshold=0.5), False),
    "32 permutations": (DedupOptions(num_perm=32), True),
}


@pytest.mark.parametrize("name", DEDUP_OPTIONS)
def test_dedup_gives_the_same_records_on_every_engine_and_sink(name, records, tmp_path, monkeypatch, cluster):
    options, drop = DEDUP_OPTIONS[name]

    def stage(paths, options, sink, engine):
        report = dedup_files(paths, options, drop, sink, engine, how=Reading(skip_invalid=True))
        assert dict(report.skipped_lines) == {"not_json": 1}

    _same_everywhere(stage, records, options, tmp_path / "one.jsonl", tmp_path, monkeypatch, cluster,
                     size=2_000, resumable=False, per_input=True)
    assert b'"dup_kind":"near"' in (tmp_path / "one.jsonl").read_bytes() or drop


@pytest.mark.parametrize("drop", [False, True])
def test_dedup_gives_the_same_parquet_records_on_every_engine_and_sink(drop, records, tmp_path, monkeypatch,
                                                                       cluster):
    def stage(paths, options, sink, engine):
        dedup_files(paths, options, drop, sink, engine, how=Reading(skip_invalid=True))

    _same_everywhere(stage, records, DedupOptions(), tmp_path / "one.jsonl", tmp_path, monkeypatch, cluster,
                     size=2_000, resumable=False, per_input=True, format="parquet")


def test_options_that_do_not_go_together_are_refused_before_anything_is_read(records, tmp_path, cluster):
    with pytest.raises(OptionsConflict, match="give -o DIR/"):
        split_files(records, sink=StreamSink(str(tmp_path / "x.jsonl")), engine=cluster)
    with pytest.raises(OptionsConflict, match="not standard input"):
        dedup_files(["-"], sink=ShardSink(str(tmp_path / "d")), engine=cluster)
    with pytest.raises(OptionsConflict, match="dedup compares every record"):
        dedup_files(records, sink=ShardSink(str(tmp_path / "d"), resume=True))
    with pytest.raises(OptionsConflict, match="standard input cannot be read again"):
        normalize_files(["-"], sink=ShardSink(str(tmp_path / "n"), resume=True))
    with pytest.raises(OptionsConflict, match="one shard per input"):
        dedup_files(records, sink=ShardSink(str(tmp_path / "d"), 2_000), engine=cluster)
    assert not (tmp_path / "x.jsonl").exists() and not (tmp_path / "d").exists()


def test_a_resume_on_another_engine_or_with_other_options_is_refused(containers, tmp_path, cluster):
    folder = tmp_path / "shards"
    split_files(containers, sink=ShardSink(str(folder), 4_000), engine=cluster)
    with pytest.raises(Exception, match="engine"):
        split_files(containers, sink=ShardSink(str(folder), 4_000, resume=True), engine=Local(1))
    with pytest.raises(Exception, match="keep_boilerplate"):
        split_files(containers, SplitOptions(keep_boilerplate=True), ShardSink(str(folder), 4_000, resume=True),
                    cluster)


@pytest.fixture(scope="module")
def foreign(tmp_path_factory):
    """Records from other tools (tests/fixtures: trafilatura, datatrove), by the name of their text field."""
    folder = tmp_path_factory.mktemp("foreign")
    fixtures = ROOT / "tests" / "fixtures"
    renamed = folder / "datatrove-content.jsonl"
    renamed.write_bytes(b"".join(
        orjson.dumps({("content" if key == "text" else key): value for key, value in orjson.loads(line).items()})
        + b"\n" for line in (fixtures / "datatrove.jsonl").read_bytes().splitlines()))
    return {"text": [str(fixtures / "trafilatura.jsonl"), str(fixtures / "datatrove.jsonl")],
            "content": [str(fixtures / "content_field.jsonl"), str(renamed)]}


@pytest.mark.parametrize("text_field", ["text", "content"])
@pytest.mark.parametrize("stage_name", ["normalize", "dedup"])
def test_records_from_other_tools_are_the_same_on_every_engine_and_sink(text_field, stage_name, foreign, tmp_path,
                                                                         monkeypatch, cluster):
    how = Reading(text_field=text_field)

    def stage(paths, options, sink, engine):
        if stage_name == "normalize":
            return normalize_files(paths, options, sink, engine, how=how)
        return dedup_files(paths, options, False, sink, engine, how=how)

    options = NormalizeOptions() if stage_name == "normalize" else DedupOptions()
    _same_everywhere(stage, foreign[text_field], options, tmp_path / "one.jsonl", tmp_path, monkeypatch, cluster,
                     size=2_000, resumable=stage_name == "normalize", per_input=True)
    assert b'"source":{"container":"' in (tmp_path / "one.jsonl").read_bytes()
def test_dask_reads_parquet_inputs_as_one_process_does(records, tmp_path, cluster):
    inputs = []
    for k, path in enumerate(records):
        inputs.append(str(tmp_path / f"in-{k}.parquet"))
        normalize_files([path], sink=StreamSink(inputs[-1]), how=Reading(skip_invalid=True))
    for stage in (lambda sink, engine: dedup_files(inputs, sink=sink, engine=engine),
                  lambda sink, engine: normalize_files(inputs, sink=sink, engine=engine)):
        for name in ("one.jsonl", "dask"):
            sink = StreamSink(str(tmp_path / name)) if name == "one.jsonl" else ShardSink(str(tmp_path / name))
            assert stage(sink, Local(1) if name == "one.jsonl" else cluster).clean
        assert _shards(tmp_path / "dask") == (tmp_path / "one.jsonl").read_bytes()
        assert len(_parts(tmp_path / "dask")) == len(inputs)
        (tmp_path / "one.jsonl").unlink()
        shutil.rmtree(tmp_path / "dask")


def test_dask_tells_progress_of_each_partition_as_its_task_ends(containers, tmp_path, cluster):
    from newsingest.pipeline import ShardSink, dedup_files, split_files
    from newsingest.stages.dedup import PHASES

    from .test_progress import Recorder

    size = sum(os.path.getsize(path) for path in containers)
    progress = Recorder()
    report = split_files(containers, sink=ShardSink(f"{tmp_path}/s/", 20_000), engine=cluster, progress=progress)
    records = report.outcome.records
    assert progress.phases == [["planning partitions", size, size, 0], ["splitting", size, size, records]]
    shards = sorted(str(path) for path in (tmp_path / "s").iterdir() if path.name.startswith("part-"))
    assert report.outcome.files == len(shards) > 3
    progress = Recorder()
    shard_bytes = sum(os.path.getsize(path) for path in shards)
    report = dedup_files(shards, sink=ShardSink(f"{tmp_path}/d/"), engine=cluster, progress=progress)
    assert progress.phases[0] == [PHASES["facts"], shard_bytes, shard_bytes, 0]
    assert progress.phases[-1] == [PHASES["writing"], shard_bytes, shard_bytes, records]
    assert {name for name, *_ in progress.phases[1:-1]} <= set(PHASES.values())
    assert report.outcome.exact > 0 and report.outcome.files == len(shards)
