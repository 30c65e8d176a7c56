"""Faults around a run: a full disk, an unwritable path, a reader that goes away, Ctrl-C, a worker
killed. Real processes where the fault is a process's (signals, pipes, devices)."""

import gzip
import os
import signal
import subprocess
import sys
import time

import pytest

from .conftest import ROOT, SAMPLE

NEWSINGEST = [sys.executable, "-m", "newsingest"]
GIVE_UP = 120  # seconds: only so that a hanging run fails the test instead of blocking it


def run(args, **kwargs):
    return subprocess.run([*NEWSINGEST, *args], capture_output=True, cwd=ROOT, timeout=GIVE_UP, **kwargs)


def leftovers(directory):
    return sorted(name for name in os.listdir(directory) if name.endswith(".tmp"))


@pytest.fixture(scope="module")
def big_container(tmp_path_factory):
    """The sample corpus many times over, under new member names: 2.4 MB, forty times what a pipe
    holds, and some thirty shards of 100 KB; a run that lasts a second or two."""
    text = (ROOT / SAMPLE).read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("big") / "big.txt"
    path.write_text("".join(text.replace("<<<FILE ", f"<<<FILE {i}/") for i in range(100)), encoding="utf-8")
    return path


# --- full disk, unwritable paths ----------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_stdout_on_a_full_disk():
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [*NEWSINGEST, "split", "--jobs", "1", SAMPLE], stdout=full, stderr=subprocess.PIPE, cwd=ROOT,
            timeout=GIVE_UP,
        )
    assert result.returncode == 1
    assert result.stderr.decode() == "newsingest: cannot write to standard output: No space left on device\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_output_option_on_a_full_disk_writes_the_device_in_place():
    result = run(["split", "--jobs", "1", SAMPLE, "-o", "/dev/full"])
    assert result.returncode == 1
    assert result.stderr.decode() == "newsingest: cannot write to /dev/full: No space left on device\n"
    assert not os.path.isfile("/dev/full")  # still the device: never replaced by a rename


def test_output_to_the_null_device_is_written_in_place():
    result = run(["split", "--jobs", "1", SAMPLE, "-o", os.devnull])
    assert (result.returncode, result.stderr) == (0, b"")
    assert not os.path.isfile(os.devnull)


@pytest.mark.parametrize(
    "where, why",
    [("missing/dir/out.jsonl", "No such file or directory"), ("afile/out.jsonl", "Not a directory")],
)
def test_unwritable_path(tmp_path, where, why):
    (tmp_path / "afile").write_text("x")
    output = tmp_path / where
    result = run(["split", "--jobs", "1", SAMPLE, "-o", str(output)])
    assert result.returncode == 1
    assert result.stderr.decode() == f"newsingest: cannot write to {output}: {why}\n"
    assert not output.exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = run(["split", "--jobs", "1", SAMPLE, "-o", str(folder / "out.jsonl")])
        assert result.returncode == 1
        assert result.stderr.decode() == f"newsingest: cannot write to {folder / 'out.jsonl'}: Permission denied\n"
        assert os.listdir(folder) == []
    finally:
        folder.chmod(0o755)


# --- a reader that goes away -------------------------------------------------------------------


@pytest.mark.parametrize("command", [["normalize"], ["dedup"], ["stats", "--json"], ["split", "--jobs", "1"]])
def test_head_ends_every_command_quietly(big_container, tmp_path, command):
    if command[0] == "split":
        source = str(big_container)
    else:
        records = tmp_path / "records.jsonl"
        assert run(["split", "--jobs", "1", str(big_container), "-o", str(records)]).returncode == 0
        source = str(records)
    pipeline = subprocess.run(
        f"{sys.executable} -m newsingest {' '.join(command)} {source} | head -1",
        shell=True, capture_output=True, cwd=ROOT, timeout=GIVE_UP,
        executable="/bin/bash", env={**os.environ, "PYTHONUNBUFFERED": "0"},
    )
    assert pipeline.returncode == 0
    assert pipeline.stderr == b""
    assert pipeline.stdout.count(b"\n") == 1
    status = subprocess.run(
        f"{sys.executable} -m newsingest {' '.join(command)} {source} | head -1 >/dev/null; echo ${{PIPESTATUS[0]}}",
        shell=True, capture_output=True, cwd=ROOT, timeout=GIVE_UP, executable="/bin/bash",
    )
    assert status.stdout == b"0\n" and status.stderr == b""


# --- Ctrl-C ---------------------------------------------------------------------------------------


def _start(args):
    return subprocess.Popen([*NEWSINGEST, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)


def _wait_for(condition, process):
    while not condition():
        assert process.poll() is None, "the run ended before the fault could be made"
        time.sleep(0.05)


def test_sigint_mid_run_leaves_no_file(big_container, tmp_path):
    output = tmp_path / "out.jsonl"
    process = subprocess.Popen([*NEWSINGEST, "split", "--jobs", "1", "-", "-o", str(output)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    # Megabytes more than a pipe holds: once written, the run is reading them; and standard
    # input stays open, so the run cannot end before the signal.
    process.stdin.write(big_container.read_bytes())
    process.stdin.flush()
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=GIVE_UP)
    assert process.returncode == 130
    assert stderr == b"newsingest: interrupted\n"
    assert stdout == b""
    assert not output.exists() and os.listdir(tmp_path) == []


def shards(directory):
    return {n: gzip.decompress((directory / n).read_bytes()) for n in sorted(os.listdir(directory)) if n.startswith("part-")}


def test_sigint_then_resume_gives_the_shards_of_an_uninterrupted_run(big_container, tmp_path):
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    args = [str(big_container), "--shard-size", "100KB", "--jobs", "1"]
    assert run(["split", *args, "-o", f"{whole}/"]).returncode == 0
    assert len(shards(whole)) > 3

    process = _start(["split", *args, "-o", f"{cut}/"])
    _wait_for(lambda: os.path.exists(cut / "part-00001.jsonl.gz"), process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=GIVE_UP)
    assert (process.returncode, stderr) == (130, b"newsingest: interrupted\n")
    assert leftovers(cut) == []
    partial = shards(cut)
    assert 2 <= len(partial) < len(shards(whole))
    assert all(partial[name] == shards(whole)[name] for name in partial)  # only complete, right shards

    resumed = run(["split", *args, "-o", f"{cut}/", "--resume"])
    assert (resumed.returncode, resumed.stderr) == (0, b"")
    assert shards(cut) == shards(whole)


# --- a worker killed ------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as handle:
            found += [int(child) for child in handle.read().split()]
    return found


WORKER_DIED = (
    b"newsingest: a worker process died before finishing (was it killed, or out of memory?); "
    b"no output file was completed \xe2\x80\x94 run again, with fewer --jobs if memory is short\n"
)


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="needs /proc")
@pytest.mark.parametrize("sharded", [False, True], ids=["file", "shards"])
def test_killed_worker_ends_the_run_with_a_clear_message(big_container, tmp_path, sharded):
    output = tmp_path / ("out/" if sharded else "out.jsonl")
    args = [str(big_container), "--jobs", "2", *(["--shard-size", "100KB"] if sharded else [])]
    process = _start(["split", *args, "-o", f"{output}/" if sharded else str(output)])
    _wait_for(lambda: len(children(process.pid)) >= 2, process)
    os.kill(children(process.pid)[-1], signal.SIGKILL)  # a worker, as soon as there are two
    _, stderr = process.communicate(timeout=GIVE_UP)  # never hangs: a timeout here fails the test
    assert process.returncode == 1
    assert stderr == WORKER_DIED
    if not sharded:
        assert not output.exists() and leftovers(tmp_path) == []
        return
    clean = tmp_path / "clean"
    assert run(["split", *args, "-o", f"{clean}/"]).returncode == 0
    written = shards(output)
    assert leftovers(output) == []
    assert all(written[name] == shards(clean)[name] for name in written)  # no wrong shard
