"""gzip output: processor seconds and size per 100 MB of JSONL, for each library and level.

    python benchmarks/bench_gzip.py RECORDS.jsonl [--levels 1,3,5,6,9] [--runs 3]

The records are written a line at a time through `newsingest.io.streams.open_output`, as every
command writes `-o OUT.gz` and shards, once with the standard library's gzip and once with
zlib-ng where it is installed (newsingest[fast]); ISA-L (`isal.igzip`) is measured too where it
is installed, by 64 KiB writes, for comparison only. Processor time (user + system of this
process, `resource.getrusage`), best of ``--runs``; never the wall clock alone. The figures of
docs/scale.md ("gzip output") came from it.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsingest.io import gz, streams  # noqa: E402


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _best(runs: int, work: Callable[[], int]) -> tuple[float, int]:
    """The least processor time of ``runs`` runs of ``work``, and the size it returned."""
    best, size = float("inf"), 0
    for _ in range(runs):
        start = _cpu()
        size = work()
        best = min(best, _cpu() - start)
    return best, size


def write_through_newsingest(lines: list[bytes], out: str) -> int:
    """Write ``lines`` to ``out`` as every command writes `-o OUT.gz`; the compressed size."""
    with streams.open_output(out) as stream:
        for line in lines:
            stream.write(line)
    return os.path.getsize(out)


def newsingest_gzip(records: str, runs: int) -> tuple[float, float]:
    """(processor seconds per 100 MB, compressed size / JSONL size) of the JSONL file ``records``
    written as `-o OUT.jsonl.gz` is, at newsingest's own level and library, best of ``runs``."""
    lines = Path(records).read_bytes().splitlines(keepends=True)
    total = sum(map(len, lines))
    with tempfile.TemporaryDirectory() as tmp:
        seconds, size = _best(runs, lambda: write_through_newsingest(lines, os.path.join(tmp, "out.jsonl.gz")))
    return seconds * 100e6 / total, size / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("records", type=Path)
    parser.add_argument("--levels", default="1,3,5,6,9")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    lines = args.records.read_bytes().splitlines(keepends=True)
    total = sum(map(len, lines))
    scale = 100e6 / total
    out = os.path.join(tempfile.mkdtemp(), "out.jsonl.gz")

    def through_newsingest() -> int:
        return write_through_newsingest(lines, out)

    print(f"{total / 1e6:.1f} MB of JSONL; per 100 MB:")
    libraries = [("standard library", "1")]
    try:
        import zlib_ng  # noqa: F401
    except ImportError:
        print("(zlib-ng is not installed: pip install 'newsingest[fast]')")
    else:
        libraries.append(("zlib-ng", ""))
    for name, stdlib in libraries:
        os.environ[gz.STDLIB_ENVIRONMENT] = stdlib
        for level in (int(text) for text in args.levels.split(",")):
            gz.LEVEL = level
            seconds, size = _best(args.runs, through_newsingest)
            print(f"{name:18s} level {level}: {seconds * scale:6.2f} s CPU, {size * scale / 1e6:6.1f} MB", flush=True)
    try:
        from isal import igzip
    except ImportError:
        return
    data = b"".join(lines)
    for level in (1, 2, 3):

        def isal() -> int:
            sink = io.BytesIO()
            with igzip.GzipFile(filename="", fileobj=sink, mode="wb", compresslevel=level, mtime=0) as stream:
                for at in range(0, len(data), 1 << 16):
                    stream.write(data[at : at + (1 << 16)])
            return len(sink.getvalue())

        seconds, size = _best(args.runs, isal)
        print(f"{'ISA-L (64 KiB)':18s} level {level}: {seconds * scale:6.2f} s CPU, {size * scale / 1e6:6.1f} MB", flush=True)


if __name__ == "__main__":
    main()
