"""gzip output (`-o OUT.gz`, shards): level 5, mtime 0, no name in the header; zlib-ng when it is
installed (newsingest[fast]), the standard library's otherwise or with NEWSINGEST_STDLIB_GZIP=1,
the records the same bytes either way (newsingest/io/gz.py)."""

import gzip
import os
import shutil
import subprocess
import sys

import pytest

from newsingest.io import gz

from .conftest import ROOT, SAMPLE

NEWSINGEST = [sys.executable, "-m", "newsingest"]


def _split(output, stdlib, *more):
    """`split` of the sample corpus to ``output`` (a folder of shards when it ends in /)."""
    env = {**os.environ, gz.STDLIB_ENVIRONMENT: "1" if stdlib else ""}
    done = subprocess.run([*NEWSINGEST, "split", "-q", "-j", "1", SAMPLE, "-o", os.fspath(output), *more],
                          capture_output=True, cwd=ROOT, env=env)
    assert (done.returncode, done.stderr) == (0, b"")
    return None if os.fspath(output).endswith("/") else output.read_bytes()


@pytest.fixture(scope="module")
def records():
    """The records of the sample corpus as JSONL, uncompressed."""
    done = subprocess.run([*NEWSINGEST, "split", "-q", "-j", "1", SAMPLE], capture_output=True, cwd=ROOT, check=True)
    return done.stdout


def _header(data):
    """(flags, mtime, extra flags) of a gzip member's header."""
    assert data[:3] == b"\x1f\x8b\x08"
    return data[3], int.from_bytes(data[4:8], "little"), data[8]


@pytest.mark.parametrize("stdlib", [True, False], ids=["stdlib", "default"])
def test_gzip_output_holds_the_records_and_no_name_or_time(tmp_path, records, stdlib):
    data = _split(tmp_path / "out.jsonl.gz", stdlib)
    assert gzip.decompress(data) == records
    assert _header(data)[:2] == (0, 0)  # no FNAME (nor any other flag), mtime 0
    # The same records give the same bytes, whatever the file is called.
    assert _split(tmp_path / "other-name.jsonl.gz", stdlib) == data


@pytest.mark.skipif(shutil.which("gzip") is None, reason="no gzip command on this machine")
def test_gzip_command_reads_the_output(tmp_path, records):
    for stdlib in (True, False):
        _split(tmp_path / "out.jsonl.gz", stdlib)
        done = subprocess.run(["gzip", "-dc", os.fspath(tmp_path / "out.jsonl.gz")], capture_output=True, check=True)
        assert done.stdout == records


def test_the_standard_library_compresses_at_its_level(tmp_path, records):
    """Without zlib-ng (or with it turned off) the bytes are those of Python's gzip at gz.LEVEL (5)."""
    expected = tmp_path / "expected.gz"
    with open(expected, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=gz.LEVEL,
                                                    mtime=0) as out:
        out.write(records)
    assert _split(tmp_path / "out.jsonl.gz", stdlib=True) == expected.read_bytes()


def test_shards_are_compressed_the_same_way(tmp_path, records):
    for stdlib in (True, False):
        folder = tmp_path / f"shards-{stdlib}"
        _split(f"{folder}/", stdlib, "--shard-size", "20KB")
        shards = sorted(folder.glob("part-*.jsonl.gz"))
        assert len(shards) > 1
        assert b"".join(gzip.decompress(shard.read_bytes()) for shard in shards) == records
        assert {_header(shard.read_bytes())[:2] for shard in shards} == {(0, 0)}


def test_zlib_ng_compresses_when_installed_and_not_turned_off(monkeypatch):
    zlib_ng = pytest.importorskip("zlib_ng.gzip_ng", reason="zlib-ng (newsingest[fast], in the dev extra) is not installed")
    monkeypatch.delenv(gz.STDLIB_ENVIRONMENT, raising=False)
    assert gz.implementation() is zlib_ng
    for off in ("1", "yes"):
        monkeypatch.setenv(gz.STDLIB_ENVIRONMENT, off)
        assert gz.implementation() is gzip
    monkeypatch.setenv(gz.STDLIB_ENVIRONMENT, "0")
    assert gz.implementation() is zlib_ng


def test_without_zlib_ng_the_standard_library_compresses(monkeypatch):
    monkeypatch.delenv(gz.STDLIB_ENVIRONMENT, raising=False)
    monkeypatch.setitem(sys.modules, "zlib_ng", None)  # as if it were not installed
    assert gz.implementation() is gzip
