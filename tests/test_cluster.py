"""`split --scheduler local`: a Dask LocalCluster of two worker processes gives the records of one process."""

import gzip
import os

import pytest
from click.testing import CliRunner

from newsingest.cli import cli
from newsingest.cluster import plan

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
    from newsingest import cluster

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
