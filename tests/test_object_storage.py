"""Inputs and outputs on object storage (a real S3 API: moto's server on 127.0.0.1, never the
network), URLs refused where they cannot go, and zstd in and out."""

import gzip
import io
import json
import logging
import os
import socket
import sys

import pytest

from newsingest.io import places, zstd
from newsingest.io.places import temporary_name

from .conftest import ROOT, container, write

SAMPLE = str(ROOT / "sample_corpus" / "articles.txt")


def _available(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


needs_s3 = pytest.mark.skipif(not (_available("moto.server") and _available("s3fs")),
                              reason="the S3 tests need moto[server] and s3fs (pip install -e '.[dev]')")
needs_zstd = pytest.mark.skipif(not (_available("zstandard") or _available("compression.zstd")),
                                reason="the zstd tests need zstandard (pip install -e '.[dev]')")


def invoke(args, input=None):
    from click.testing import CliRunner

    from newsingest.cli import cli

    return CliRunner().invoke(cli, args, input=input, catch_exceptions=False)


def records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# --- the S3 server ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def s3_server():
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request log on stderr
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, monkeypatch, request):
    """A fresh bucket on the local S3 server, its URL `s3://NAME`; the credentials and endpoint as
    a user sets them (the standard AWS variables)."""
    import s3fs

    for name, value in {"AWS_ENDPOINT_URL": s3_server, "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    s3fs.S3FileSystem.clear_instance_cache()
    fs = s3fs.S3FileSystem()
    bucket = "test-" + request.node.name.lower().replace("_", "-")[:40].strip("-[]")
    bucket = "".join(c if c.isalnum() or c == "-" else "-" for c in bucket).strip("-")
    fs.mkdir(bucket)
    yield f"s3://{bucket}"
    fs.rm(bucket, recursive=True)
    s3fs.S3FileSystem.clear_instance_cache()


def _fs():
    import s3fs

    return s3fs.S3FileSystem()


def keys(url: str) -> list[str]:
    """Every key under a bucket, as names relative to it."""
    bucket = url.removeprefix("s3://")
    fs = _fs()
    fs.invalidate_cache()
    return sorted(path.removeprefix(bucket + "/") for path in fs.find(bucket))


def put(url: str, data: bytes) -> str:
    with _fs().open(url, "wb") as handle:
        handle.write(data)
    return url


def get(url: str) -> bytes:
    return _fs().cat_file(url)


def local_split(tmp_path, *args) -> bytes:
    out = tmp_path / "local.jsonl"
    result = invoke(["split", SAMPLE, "-o", str(out), "-q", "-j", "1", *args])
    assert result.exit_code == 0, result.stderr
    return out.read_bytes()


# --- object storage ------------------------------------------------------------------------------


@needs_s3
def test_split_from_s3_into_shards_on_s3(s3, tmp_path):
    dump = put(f"{s3}/in/dump.txt.gz", gzip.compress(open(SAMPLE, "rb").read(), mtime=0))
    result = invoke(["split", dump, "-o", f"{s3}/corpus/", "-q", "-j", "1"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert keys(s3) == ["corpus/.newsingest/manifest.json", "corpus/part-00000.jsonl.gz", "in/dump.txt.gz"]
    manifest = json.loads(get(f"{s3}/corpus/.newsingest/manifest.json"))
    assert manifest["shards"] == [{"name": "part-00000.jsonl.gz", "records": 5}]
    assert manifest["inputs"][0]["fingerprint"]["path"] == dump
    # The records of a run on this machine, the container's place named as it was given.
    local = tmp_path / "dump.txt.gz"
    local.write_bytes(get(dump))
    here = invoke(["split", str(local), "-q", "-j", "1"])
    shard = gzip.decompress(get(f"{s3}/corpus/part-00000.jsonl.gz")).decode()
    assert shard.count(f'"container":"{dump}"') == 5
    assert shard == here.stdout.replace(f'"container":{json.dumps(str(local))}', f'"container":"{dump}"')


@needs_s3
def test_split_into_one_object_on_s3_and_read_back(s3, tmp_path):
    expected = local_split(tmp_path)
    result = invoke(["split", SAMPLE, "-o", f"{s3}/out.jsonl.gz", "-q", "-j", "1"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert keys(s3) == ["out.jsonl.gz"]
    assert gzip.decompress(get(f"{s3}/out.jsonl.gz")) == expected
    # normalize, dedup and stats read it from there.
    normalized = invoke(["normalize", f"{s3}/out.jsonl.gz", "-q", "-j", "1"])
    assert normalized.exit_code == 0
    assert normalized.stdout == invoke(["normalize", "-q", "-j", "1", "-"], input=expected).stdout
    deduped = invoke(["dedup", f"{s3}/out.jsonl.gz", "-o", f"{s3}/dedup.jsonl", "-q", "-j", "1"])
    assert (deduped.exit_code, deduped.stderr) == (0, "")
    assert get(f"{s3}/dedup.jsonl").decode() == invoke(["dedup", "-q", "-j", "1", "-"], input=expected).stdout
    stats = invoke(["stats", "--json", f"{s3}/dedup.jsonl"])
    assert stats.exit_code == 0 and json.loads(stats.stdout)["articles"] == 5


@needs_s3
def test_a_failed_run_leaves_nothing_under_the_final_name(s3, tmp_path):
    bad = put(f"{s3}/bad.txt", container("a|first article", "a|the name again") + b"<<<FILE b>>>\nno end\n")
    for out in (f"{s3}/out.jsonl", f"{s3}/out.jsonl.zst"):
        result = invoke(["split", bad, "--strict", "-o", out, "-q", "-j", "1"])
        assert result.exit_code == 1
        assert keys(s3) == ["bad.txt"]  # neither the object nor its temporary key


@needs_s3
def test_a_stopped_run_drops_its_temporary_key(s3, monkeypatch):
    from newsingest.io import places as where
    from newsingest.signals import Stopped

    commits = []

    def stop(self):  # a signal between the last record and the move into place
        commits.append(self.url)
        raise Stopped(15)

    monkeypatch.setattr(where.AtomicObject, "commit", stop)
    with pytest.raises(Stopped):
        invoke(["split", SAMPLE, "-o", f"{s3}/out.jsonl", "-q", "-j", "1"])
    assert commits == [f"{s3}/out.jsonl"] and keys(s3) == []


@needs_s3
def test_resume_on_s3_goes_on_from_the_last_complete_shard(s3, tmp_path):
    from newsingest.io import shards

    dump = put(f"{s3}/dump.txt", open(SAMPLE, "rb").read())
    whole = invoke(["split", dump, "-o", f"{s3}/whole/", "--shard-size", "1", "-q", "-j", "1"])
    assert whole.exit_code == 0
    # An interrupted run: its third shard never completed.
    original = shards.ShardedOutput._close_shard
    closed = []

    def close_two(self):
        if len(closed) == 2:
            raise KeyboardInterrupt
        closed.append(1)
        original(self)

    shards.ShardedOutput._close_shard = close_two
    try:
        stopped = invoke(["split", dump, "-o", f"{s3}/part/", "--shard-size", "1", "-q", "-j", "1"])
    finally:
        shards.ShardedOutput._close_shard = original
    assert stopped.exit_code == 130
    assert [k for k in keys(s3) if k.startswith("part/")] == [
        "part/.newsingest/manifest.json", "part/part-00000.jsonl.gz", "part/part-00001.jsonl.gz"]
    resumed = invoke(["split", dump, "-o", f"{s3}/part/", "--shard-size", "1", "--resume", "-q", "-j", "1"])
    assert (resumed.exit_code, resumed.stderr) == (0, "")
    names = [k.removeprefix("whole/") for k in keys(s3) if k.startswith("whole/")]
    assert len(names) == 6  # five shards and the manifest
    for name in names:
        if name.endswith("manifest.json"):  # the same shards; the resumed folder's manifest lists two runs
            whole_runs, part_runs = (json.loads(get(f"{s3}/{folder}/{name}"))["runs"] for folder in ("whole", "part"))
            assert [run["resume"] for run in part_runs] == [False, True] and len(whole_runs) == 1
            continue
        assert get(f"{s3}/part/{name}") == get(f"{s3}/whole/{name}")


@needs_s3
def test_missing_object_is_a_usage_error(s3):
    result = invoke(["split", f"{s3}/no/such.txt"])
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Error: {s3}/no/such.txt: no such object — check the URL, and that the "
                                  "credentials in use can see it\n")


@needs_s3
def test_urls_where_they_cannot_go_are_usage_errors(s3, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    dump = put(f"{s3}/dump.txt", open(SAMPLE, "rb").read())
    cases = [
        (["split", dump, "-o", f"{s3}/c/", "--scheduler", "local"], "--scheduler reads and writes files"),
        (["split", SAMPLE, "-o", f"{s3}/c/", "--scheduler", "local"], "--scheduler reads and writes files"),
        (["pack", f"{s3}/dir", "-o", "x.txt"], "pack reads files and folders of this machine"),
        (["unpack", dump, "-d", f"{s3}/files"], "unpack writes files into a folder of this machine"),
    ]
    for args, message in cases:
        result = invoke(args)
        assert result.exit_code == 2 and message in result.stderr, (args, result.stderr)
    assert os.listdir(tmp_path) == [] and keys(s3) == ["dump.txt"]


@needs_s3
def test_unpack_and_pack_with_urls_where_they_can(s3, tmp_path):
    packed = invoke(["pack", str(ROOT / "sample_corpus"), "-o", f"{s3}/packed.txt"])
    assert packed.exit_code == 0
    unpacked = invoke(["unpack", f"{s3}/packed.txt", "-d", str(tmp_path / "files")])
    assert unpacked.exit_code == 0
    assert sorted(os.listdir(tmp_path / "files")) == sorted(os.listdir(ROOT / "sample_corpus"))


@pytest.mark.parametrize("url", ["ftp://host/out/", "foo://x/out.jsonl", "https://example.org/out.jsonl",
                                 "http://example.org/corpus/"])
def test_an_output_url_that_cannot_be_written_is_a_usage_error(url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    scheme = url.split(":")[0]
    for args in (["split", SAMPLE, "-o", url], ["pack", SAMPLE, "-o", url],
                 ["normalize", "--plain", "--lang", "fa", "-o", url, "-"]):
        result = invoke(args, input="x\n")
        assert result.exit_code == 2, args
        assert f"Error: {url}: cannot write to {scheme}:// URLs" in result.stderr
        assert "outputs are local paths, - or URLs s3://, gs://, hf://, memory://, file://" in result.stderr
    assert os.listdir(tmp_path) == []  # no folder named `ftp:`, `https:`...


@pytest.mark.parametrize("command", ["split", "normalize", "dedup", "stats"])
def test_an_input_url_of_another_scheme_is_a_usage_error(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke([command, "ftp://host/dump.txt"])
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: ftp://host/dump.txt: cannot read ftp:// URLs; inputs are local files, - or "
                                  "URLs s3://, gs://, hf://, memory://, file://, https://, http://\n")
    assert os.listdir(tmp_path) == []


def test_a_missing_backend_names_the_extra(tmp_path, monkeypatch):
    import fsspec.registry  # noqa: F401 - imported, so that its registry is in sys.modules

    registry = sys.modules["fsspec.registry"]._registry  # the backends imported so far
    monkeypatch.setitem(sys.modules, "s3fs", None)
    monkeypatch.delitem(registry, "s3", raising=False)
    monkeypatch.chdir(tmp_path)
    result = invoke(["split", SAMPLE, "-o", "s3://bucket/corpus/"])
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: s3://bucket/corpus/: s3:// URLs need fsspec and its s3 backend: "
                                  "pip install 'newsingest[cloud]'\n")
    monkeypatch.setitem(sys.modules, "gcsfs", None)
    monkeypatch.delitem(registry, "gs", raising=False)
    result = invoke(["stats", "gs://bucket/corpus.jsonl"])
    assert result.exit_code == 2
    assert "pip install 'newsingest[cloud]' gcsfs" in result.stderr
    assert os.listdir(tmp_path) == []


def test_memory_urls_give_the_bytes_of_local_files(tmp_path):
    import fsspec

    memory = fsspec.filesystem("memory")
    expected = local_split(tmp_path)
    with memory.open("/t-mem/dump.txt", "wb") as handle:
        handle.write(open(SAMPLE, "rb").read())
    try:
        result = invoke(["split", "memory://t-mem/dump.txt", "-o", "memory://t-mem/out/", "-q", "-j", "1"])
        assert (result.exit_code, result.stderr) == (0, "")
        assert sorted(memory.ls("/t-mem/out", detail=False)) == ["/t-mem/out/.newsingest",
                                                                 "/t-mem/out/part-00000.jsonl.gz"]
        shard = gzip.decompress(memory.cat_file("/t-mem/out/part-00000.jsonl.gz"))
        assert shard == expected.replace(json.dumps(SAMPLE).encode(), b'"memory://t-mem/dump.txt"')
        again = invoke(["split", "memory://t-mem/dump.txt", "-o", "memory://t-mem/out/", "-q"])
        assert again.exit_code == 1 and "holds shards of another run (.newsingest, ...)" in again.stderr
    finally:
        memory.rm("/t-mem", recursive=True)


def test_temporary_names_stay_beside_and_hidden():
    name = temporary_name("out.jsonl.gz")
    assert name.startswith(".out.jsonl.gz.") and name.endswith(".tmp")
    assert places.join("s3://b/corpus/", "part-00000.jsonl.gz") == "s3://b/corpus/part-00000.jsonl.gz"
    assert [places.is_url(p) for p in ("s3://b/k", "-", "dir/s3:x", "C:\\x", "file:///tmp/x")] == [
        True, False, False, False, True]


# --- zstd -------------------------------------------------------------------------------------------


@needs_zstd
def test_zstd_round_trip_and_stable_bytes(tmp_path):
    expected = local_split(tmp_path)
    first, second = tmp_path / "a.jsonl.zst", tmp_path / "b.jsonl.zst"
    for out, jobs in ((first, "1"), (second, "2")):
        assert invoke(["split", SAMPLE, "-o", str(out), "-q", "-j", jobs]).exit_code == 0
    assert first.read_bytes()[:4] == zstd.MAGIC and first.read_bytes() == second.read_bytes()
    from_file = invoke(["normalize", str(first), "-q", "-j", "1"])
    from_stdin = invoke(["normalize", "-", "-q", "-j", "1"], input=first.read_bytes())
    assert from_file.exit_code == from_stdin.exit_code == 0
    assert from_file.stdout == from_stdin.stdout == invoke(["normalize", "-", "-q", "-j", "1"], input=expected).stdout


@needs_zstd
def test_zstd_containers_in_and_frames_after_frames(tmp_path):
    data = open(SAMPLE, "rb").read()
    raw = io.BytesIO()
    for part in (data[:1000], data[1000:]):  # two frames, one after the other (as `cat a.zst b.zst`)
        with zstd.writer(raw) as out:
            out.write(part)
    path = write(tmp_path / "dump.txt.zst", raw.getvalue())
    result = invoke(["split", path, "-q", "-j", "1"])
    assert result.exit_code == 0
    assert [r["text"] for r in records(result.stdout)] == [r["text"] for r in records(local_split(tmp_path).decode())]


@needs_zstd
def test_truncated_and_damaged_zstd_are_reported(tmp_path):
    good = io.BytesIO()
    with zstd.writer(good) as out:
        out.write(local_split(tmp_path) * 200)
    data = good.getvalue()
    cut = write(tmp_path / "cut.jsonl.zst", data[: len(data) // 2])
    result = invoke(["stats", cut])
    assert result.exit_code == 1
    assert "compressed data is truncated or corrupt (compressed file ended before the end-of-stream marker was " \
           "reached)" in result.stderr
    damaged = write(tmp_path / "bad.jsonl.zst", data[:20] + bytes(200) + data[220:])
    result = invoke(["stats", "--skip-invalid", damaged])
    assert result.exit_code == 1 and "compressed data is truncated or corrupt (zstd: " in result.stderr


def test_zstd_without_its_module_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "zstandard", None)
    monkeypatch.setattr(zstd, "_stdlib", lambda: None)
    result = invoke(["split", SAMPLE, "-o", str(tmp_path / "x.jsonl.zst")])
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: zstd (.zst) needs the zstandard module: pip install 'newsingest[zstd]'\n")
    assert os.listdir(tmp_path) == []
    zst = write(tmp_path / "x.zst", zstd.MAGIC + bytes(10))
    result = invoke(["stats", zst])
    assert result.exit_code == 2 and "pip install 'newsingest[zstd]'" in result.stderr


@pytest.mark.skipif(not _available("aiohttp"), reason="http:// inputs need aiohttp (pip install -e '.[dev]')")
def test_http_input_and_file_urls(tmp_path):
    import functools
    import http.server
    import threading

    served = tmp_path / "served"
    served.mkdir()
    (served / "dump.txt.gz").write_bytes(gzip.compress(open(SAMPLE, "rb").read(), mtime=0))
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/dump.txt.gz"
        out = f"file://{tmp_path}/out/records.jsonl.gz"
        os.mkdir(tmp_path / "out")
        result = invoke(["split", url, "-o", out, "-q", "-j", "1"])
        assert (result.exit_code, result.stderr) == (0, "")
        missing = invoke(["stats", url.replace("dump", "none")])
        assert missing.exit_code == 2 and "no such object" in missing.stderr
    finally:
        server.shutdown()
        server.server_close()
    assert os.listdir(tmp_path / "out") == [os.path.basename(out)]  # no temporary file left
    read_back = invoke(["stats", "--json", out])
    assert read_back.exit_code == 0 and json.loads(read_back.stdout)["articles"] == 5
