"""`split --scheduler local`: a Dask LocalCluster of two worker processes gives the records of one process."""

import gzip
import os

import numpy as np
import orjson

import pytest
from click.testing import CliRunner

from newsingest.cli import cli
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


def test_dask_gives_the_records_of_one_process(containers, tmp_path, monkeypatch):
    from newsingest.engines import dask_split as cluster

    monkeypatch.setattr(cluster, "PARTITION_BYTES", 20_000)
    single = CliRunner().invoke(cli, ["split", "--jobs", "1", *containers], catch_exceptions=False)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["split", "--scheduler", "local", "--jobs", "2", *containers, "-o", f"{out}/"], catch_exceptions=False
    )
    # the repeated names are reported once, by the driver, as by the single-process run
    assert (result.exit_code, result.stderr) == (single.exit_code, single.stderr) == (1, single.stderr)
    assert single.stderr.count("already used") == 2
    shards = sorted(n for n in os.listdir(out) if n.startswith("part-"))
    assert len(shards) > 3
    merged = b"".join(gzip.decompress((out / n).read_bytes()) for n in shards).decode("utf-8")
    assert merged == single.stdout


def test_scheduler_needs_a_shard_directory(containers):
    result = CliRunner().invoke(cli, ["split", "--scheduler", "local", containers[0]])
    assert result.exit_code == 2 and "give -o DIR/" in result.stderr


def test_dedup_on_dask_gives_the_records_of_one_process(containers, tmp_path):
    single_split = CliRunner().invoke(cli, ["split", "--jobs", "1", *containers], catch_exceptions=False)
    lines = single_split.stdout.splitlines(keepends=True)
    # near duplicates too: every third record loses one word of its text, and one url is shared
    edited = []
    for k, line in enumerate(lines):
        record = orjson.loads(line)
        if k % 3 == 1:
            words = record["text"].split(" ")
            record["text"] = " ".join(words[: len(words) // 2] + words[len(words) // 2 + 1 :])
        edited.append(orjson.dumps(record) + b"\n")
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
            cli, ["dedup", "--scheduler", "local", "--jobs", "2", *extra, *parts, "-o", f"{out}/"],
            catch_exceptions=False,
        )
        assert (result.exit_code, result.stderr) == (0, "")
        shards = sorted(out.iterdir())
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


def test_dask_with_learnt_furniture_gives_the_records_of_one_process(tmp_path, monkeypatch):
    from newsingest.engines import dask_split as cluster

    from .conftest import container

    body = "Sebuah paragraf yang cukup panjang untuk dianggap sebagai isi berita dan bukan hiasan halaman."
    members = [f"a{i}|Judul {i}\n{body} Nomor {i}.\nBaca berita lain di situs kami setiap hari" for i in range(2_300)]
    path = tmp_path / "site.txt"
    path.write_bytes(container(*members))
    monkeypatch.setattr(cluster, "PARTITION_BYTES", 30_000)  # many cuts asked for: only window ends allowed
    args = ["--learn-furniture", "50", str(path)]
    single = CliRunner().invoke(cli, ["split", "--jobs", "1", *args], catch_exceptions=False)
    assert single.exit_code == 0 and "Baca berita lain" not in single.stdout.split('"boilerplate"')[0]
    parts = plan([str(path)], lambda problem: None, 30_000, cluster.SplitOptions(learn_furniture=50))
    assert [len(p.ids) for p in parts] == [1_000, 1_000, 300]  # cut only between windows
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["split", "--scheduler", "local", "--jobs", "2", *args, "-o", f"{out}/"],
                                catch_exceptions=False)
    assert (result.exit_code, result.stderr) == (0, "")
    merged = b"".join(gzip.decompress((out / n).read_bytes()) for n in sorted(os.listdir(out))).decode("utf-8")
    assert merged == single.stdout
