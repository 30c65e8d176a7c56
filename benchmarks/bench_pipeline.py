"""Speed and memory of newsingest's stages and whole pipeline, beside a hand-written peer pipeline.

    python benchmarks/bench_pipeline.py [--sizes 50MB] [--growth 50MB,100MB,200MB,400MB] [--runs 3] [--data DIR]

For each of --sizes a container is generated (benchmarks/make_corpus.py, seed 1). Measured, as
the median of --runs runs: `split`, `normalize`, `dedup` one by one, the whole pipeline
`split | normalize | dedup` with --jobs 1 and --jobs 2, and the peer pipeline (hazm's normalizer,
langdetect, sha1, json.dumps per article; in .venv-peers). Characters are those of the articles'
bodies in the container; peak RSS is the largest resident set of any process of a run.

Then, for each of --growth, one run of the whole pipeline with --jobs 1 and with --jobs 2: how
time and each stage's peak RSS grow with the corpus.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsingest.io.container import read_container  # noqa: E402

BIN = ROOT / ".venv" / "bin"
PEER = ROOT / ".venv-peers" / "bin" / "python"


def run_processes(commands: list[list[str]], stdin_path: str | None, stdout_path: str) -> tuple[float, list[int], float]:
    """Run commands as a pipeline; (wall seconds, peak RSS in bytes of each, CPU seconds of all)."""
    start = time.perf_counter()
    procs, previous = [], open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    with open(stdout_path, "wb") as sink:
        for i, command in enumerate(commands):
            last = i == len(commands) - 1
            proc = subprocess.Popen(command, stdin=previous, stdout=sink if last else subprocess.PIPE,
                                    stderr=subprocess.DEVNULL)
            if i and previous not in (None, subprocess.DEVNULL):
                previous.close()
            previous = proc.stdout
            procs.append(proc)
        peaks, cpu = [], 0.0
        for proc in procs:
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            peaks.append(usage.ru_maxrss * 1024)
            cpu += usage.ru_utime + usage.ru_stime  # of the process and its waited-for workers
    seconds = time.perf_counter() - start
    failed = [c[0] for c, p in zip(commands, procs) if p.returncode not in (0, 1)]
    if failed:
        raise SystemExit(f"bench_pipeline: {failed} failed")
    return seconds, peaks, cpu


def runs_of(commands, stdin_path, stdout_path, runs):
    """Wall seconds and CPU seconds of each of ``runs`` runs, and the largest peak RSS."""
    results = [run_processes(commands, stdin_path, stdout_path) for _ in range(runs)]
    return [r[0] for r in results], [r[2] for r in results], max(max(r[1]) for r in results)


def make_corpus(path: str, size: str, data: str) -> tuple[int, int]:
    """Generate a container; return (characters of the articles' bodies, articles)."""
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), path, "--size", size,
                    "--data", data], check=True, stderr=subprocess.DEVNULL)
    chars = count = 0
    with open(path, "rb") as stream:
        for member in read_container(stream, path, lambda p: None):
            chars, count = chars + len(member.body), count + 1
    return chars, count


def pipeline(ns: list[str], corpus: str, jobs: str) -> list[list[str]]:
    return [ns + ["split", "-q", "--jobs", jobs, corpus], ns + ["normalize", "-q", "--jobs", jobs],
            ns + ["dedup", "-q", "--jobs", jobs]]


def growth(ns: list[str], sizes: list[str], data: str, tmp: str) -> None:
    print("\nGrowth: one run each of split|normalize|dedup; peak RSS of each stage with --jobs 2")
    print(f"  {'size':>6} {'articles':>9} {'--jobs 1 s':>11} {'--jobs 2 s':>11} {'2 vs 1':>7} {'M chars/s':>10}"
          f" {'split MB':>9} {'normalize MB':>13} {'dedup MB':>9}")
    for size in sizes:
        corpus = os.path.join(tmp, f"growth-{size}.txt")
        chars, count = make_corpus(corpus, size, data)
        out = os.path.join(tmp, "growth-out.jsonl")
        one, _, _ = run_processes(pipeline(ns, corpus, "1"), None, out)
        two, peaks, _ = run_processes(pipeline(ns, corpus, "2"), None, out)
        os.remove(corpus)
        print(f"  {size:>6} {count:>9,} {one:>11.1f} {two:>11.1f} {one / two:>6.2f}x {chars / two / 1e6:>10.2f}"
              + "".join(f" {p / 2**20:>{w}.0f}" for p, w in zip(peaks, (9, 13, 9))))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50MB", help="sizes of the full table (every stage, the peer)")
    parser.add_argument("--growth", default="50MB,100MB,200MB,400MB", help="sizes of the growth table; '' for none")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", default=os.environ.get("NEWSINGEST_DEV_DATA", str(ROOT.parent / "shared" / "dev")))
    args = parser.parse_args()
    ns = [str(BIN / "newsingest")]
    print(f"Machine: {os.cpu_count()} cores; medians of {args.runs} runs; peak RSS of the largest process;")
    print("CPU s: user + system seconds of every process of the run; ratios to the peer are medians of")
    print("run-by-run ratios (run i of newsingest against run i of the peer)")
    print(f"  {'size':>6} {'articles':>9} {'stage':<34}{'seconds':>8}{'CPU s':>7}{'M chars/s':>10}"
          f"{'per CPU s':>10}{'articles/s':>11}{'peak MB':>8}{'vs peer':>8}{'CPU vs peer':>12}")
    with tempfile.TemporaryDirectory(prefix="newsingest-bench-") as tmp:
        for size in args.sizes.split(",") if args.sizes else []:
            corpus = os.path.join(tmp, f"corpus-{size}.txt")
            chars, count = make_corpus(corpus, size, args.data)
            split_out, norm_out, out = (os.path.join(tmp, n) for n in ("s.jsonl", "n.jsonl", "d.jsonl"))
            rows = [
                ("split --jobs 1", [ns + ["split", "-q", "--jobs", "1", corpus]], None, split_out),
                ("split --jobs 2", [ns + ["split", "-q", "--jobs", "2", corpus]], None, split_out),
                ("normalize --jobs 1", [ns + ["normalize", "-q", "--jobs", "1", split_out]], None, norm_out),
                ("dedup --jobs 1", [ns + ["dedup", "-q", "--jobs", "1", norm_out]], None, out),
            ]
            for jobs in ("1", "2"):
                rows.append((f"split|normalize|dedup --jobs {jobs}", pipeline(ns, corpus, jobs), None, out))
            peer = None
            if PEER.exists():
                peer = runs_of([[str(PEER), str(ROOT / "benchmarks" / "peers" / "peer_pipeline.py"), corpus]],
                               None, out, args.runs)
            for label, commands, stdin, stdout in rows + ([("peer: hazm + langdetect + sha1 + json", None, None, None)]
                                                          if peer else []):
                walls, cpus, peak = runs_of(commands, stdin, stdout, args.runs) if commands else peer
                wall, cpu = statistics.median(walls), statistics.median(cpus)
                ratio = cpu_ratio = ""
                if peer and "|" in label or not commands:
                    ratio = f"{statistics.median(p / w for p, w in zip(peer[0], walls)):.1f}x"
                    cpu_ratio = f"{statistics.median(p / c for p, c in zip(peer[1], cpus)):.1f}x"
                print(f"  {size:>6} {count:>9,} {label:<34}{wall:>8.1f}{cpu:>7.1f}{chars / wall / 1e6:>10.2f}"
                      f"{chars / cpu / 1e6:>10.2f}{count / wall:>11,.0f}{peak / 2**20:>8.0f}{ratio:>8}{cpu_ratio:>12}")
            os.remove(corpus)
        if args.growth:
            growth(ns, args.growth.split(","), args.data, tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
