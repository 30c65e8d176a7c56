"""`make hostile`: the red-team matrix with real processes at full size.

Every case runs `newsingest` as a user would (a shell command line), in a folder of its own, and
the table says what came of it: the exit code, records in and out, what was left behind (files
in the output folder and in TMPDIR, processes of the run still alive) and the peak resident
memory of the largest process of the command line. The decompression bombs are built at the
sizes the issue names (a 4 GiB line in gzip, a 1 GiB line in bz2); the 200,000-record dedup
checks that dedup of its own output changes nothing.

    make hostile                         # every case
    .venv/bin/python benchmarks/hostile.py --only bomb,signal   # cases whose name holds a word
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SAMPLE = ROOT / "sample_corpus" / "articles.txt"

# Runs a shell command line in a session of its own and reports its peak RSS (the largest of
# every process it waited for) and how many processes of that session are still alive after it.
_MEASURE = r"""
import os, resource, subprocess, sys, time
shell = subprocess.Popen(["bash", "-c", sys.argv[1]], start_new_session=True)
code = shell.wait()
time.sleep(0.5)
alive = 0
for entry in os.listdir("/proc"):
    try:
        fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        continue
    alive += entry.isdigit() and int(fields[3]) == shell.pid and fields[0] != "Z"
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, alive, file=open(sys.argv[2], "w"))
sys.exit(code)
"""


@dataclass
class Row:
    case: str
    command: str
    exit: str
    records: str
    leftovers: str
    rss_mb: str
    seconds: float


def count_lines(path: Path) -> int:
    if not path.exists():
        return 0
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        return sum(1 for _ in handle)


def leftovers(folder: Path, tmp: Path, alive: int) -> str:
    stray = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name.endswith(".tmp"))
    stray += [f"TMPDIR/{p.name}" for p in tmp.iterdir()]
    parts = []
    if stray:
        parts.append(f"files: {', '.join(stray[:3])}")
    if alive:
        parts.append(f"{alive} process(es)")
    return "; ".join(parts) or "none"


def session_processes(session: int) -> int:
    """Processes of a session (the run and every process it started) still alive."""
    alive = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        alive += int(fields[3]) == session and fields[0] != "Z"
    return alive


class Harness:
    def __init__(self, work: Path, only: list[str]):
        self.work = work
        self.only = only
        self.rows: list[Row] = []

    def wanted(self, case: str) -> bool:
        return not self.only or any(word in case for word in self.only)

    def folder(self, case: str) -> Path:
        folder = self.work / case.replace(" ", "_").replace("/", "_")
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "tmp").mkdir(parents=True)
        return folder

    def env(self, folder: Path) -> dict:
        return {**os.environ, "TMPDIR": str(folder / "tmp"), "PYTHONDONTWRITEBYTECODE": "1",
                "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}"}

    def run(self, case: str, command: str, setup=None, records_in=None, output: str = "", shown: str = "") -> None:
        """Run ``command`` (newsingest on the PATH) in the case's folder and add its row."""
        if not self.wanted(case):
            return
        folder = self.folder(case)
        if setup:
            setup(folder)
        rss_file = folder / "rss.txt"
        start = time.perf_counter()
        result = subprocess.run([PYTHON, "-c", _MEASURE, command, str(rss_file)], cwd=folder, env=self.env(folder),
                                capture_output=True)
        seconds = time.perf_counter() - start
        rss, alive = (int(v) for v in rss_file.read_text().split()) if rss_file.exists() else (0, 0)
        rss_file.unlink(missing_ok=True)
        out = folder / output if output else None
        records = f"{records_in if records_in is not None else '-'} → {count_lines(out) if out else '-'}"
        self.rows.append(Row(case, shown or command, str(result.returncode), records,
                             leftovers(folder, folder / "tmp", alive), f"{rss // 1024:,}", seconds))
        print(f"  {case}: exit {result.returncode}, {seconds:.1f} s; {result.stderr.decode()[-300:].strip()}",
              file=sys.stderr)

    def signal_case(self, case: str, args: list[str], signum: int, feed: bytes, hold_stdin: bool,
                    output: str = "") -> None:
        """Start a run, let it start its workers, send a signal; then look for what it left."""
        if not self.wanted(case):
            return
        folder = self.folder(case)
        process = subprocess.Popen(["newsingest", *args], cwd=folder, env=self.env(folder), stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE if not output else subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, start_new_session=True)
        process.stdin.write(feed)  # held open, the run cannot end; else its output, never read, holds it
        if hold_stdin:
            process.stdin.flush()
        else:
            process.stdin.close()
        deadline = time.monotonic() + 120
        while len(_children(process.pid)) < 2 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.01)
        start = time.perf_counter()
        process.send_signal(signum)
        stderr = process.stderr.read()
        process.wait()
        seconds = time.perf_counter() - start
        time.sleep(0.5)
        name = signal.Signals(signum).name
        self.rows.append(Row(case, f"newsingest {' '.join(args)}, then {name}", str(process.returncode),
                             stderr.decode().strip() or "(killed)",
                             leftovers(folder, folder / "tmp", session_processes(process.pid)), "-", seconds))


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    found += [int(child) for child in handle.read().split()]
            except OSError:
                continue
    except OSError:
        pass
    return found


# --- inputs ------------------------------------------------------------------------------------


def bomb(path: Path, line_bytes: int, kind: str) -> None:
    """A container whose second member is one line of ``line_bytes`` bytes, compressed."""
    opener = gzip.open if kind == "gz" else bz2.open
    chunk = b"a" * 2**24
    with opener(path, "wb", compresslevel=1 if kind == "gz" else 9) as out:
        out.write(b"<<<FILE before>>>\nkept\n<<<END>>>\n<<<FILE bomb>>>\n")
        for _ in range(line_bytes // len(chunk)):
            out.write(chunk)
        out.write(b"\n<<<END>>>\n<<<FILE after>>>\nkept too\n<<<END>>>\n")


def _cut(data: bytes, share: float) -> bytes:
    return data[: int(len(data) * share)]


def big_sample(folder: Path, copies: int = 400) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    path = folder / "big.txt"
    path.write_text("".join(text.replace("<<<FILE ", f"<<<FILE {i}/") for i in range(copies)), encoding="utf-8")
    return path


def synthetic_records(path: Path, n: int, seed: int = 11) -> None:
    """``n`` records of Indonesian-like word salad: a tenth exact copies, a tenth near copies."""
    rng = random.Random(seed)
    vocabulary = [f"kata{i}" for i in range(20_000)]
    texts: list[str] = []
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            roll = rng.random()
            if texts and roll < 0.1:
                text = rng.choice(texts)
            elif texts and roll < 0.2:
                words = rng.choice(texts).split()
                for _ in range(2):
                    words[rng.randrange(len(words))] = rng.choice(vocabulary)
                text = " ".join(words)
            else:
                text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(40, 120)))
                if len(texts) < 5_000:
                    texts.append(text)
                else:
                    texts[rng.randrange(len(texts))] = text
            record = {"id": f"r{i}", "text": text, "language": "id", "hash": "x",
                      "source": {"container": "synthetic", "member": f"r{i}", "line": i + 1}, "n_chars": len(text)}
            out.write(json.dumps(record) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="comma-separated words: run the cases whose name holds one")
    parser.add_argument("--work", default=None, help="folder for inputs and outputs (default: a temporary one)")
    parser.add_argument("--dedup-records", type=int, default=200_000)
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="newsingest-hostile-"))
    h = Harness(work, [w for w in args.only.split(",") if w])
    sample = str(SAMPLE)
    inputs = work / "inputs"
    inputs.mkdir(exist_ok=True)

    def copy(*names):
        def setup(folder: Path):
            if any("bomb" in name or "line1g" in name for name in names):
                bombs()
            for name in names:
                shutil.copy(work / "inputs" / name, folder / name)
        return setup

    def bombs() -> None:
        if not (inputs / "line1g.jsonl.bz2").exists():
            print("building a 4 GiB-line gzip bomb and a 1 GiB-line bz2 bomb...", file=sys.stderr)
            bomb(inputs / "bomb4g.txt.gz", 4 * 2**30, "gz")
            bomb(inputs / "bomb1g.txt.bz2", 2**30, "bz2")
            with bz2.open(inputs / "line1g.jsonl.bz2", "wb") as out:  # a JSONL "record" of one 1 GiB line
                for _ in range(64):
                    out.write(b"a" * 2**24)
                out.write(b"\n")
    split_records = subprocess.run(["bash", "-c", f"{ROOT}/.venv/bin/newsingest split -q {sample}"],
                                   capture_output=True).stdout
    (inputs / "records.jsonl").write_bytes(split_records)

    # --- one bad article, values that are no values
    h.run("malformed URL in an article", "printf '<<<FILE a>>>\\nJudul\\nIsi berita yang cukup panjang di sini.\\n"
          "http://[abc\\n<<<END>>>\\n' > c.txt && newsingest split c.txt -o out.jsonl", records_in=1, output="out.jsonl",
          shown="newsingest split c.txt (a line http://[abc)")
    h.run("malformed source URL, --learn-furniture", "printf '<<<FILE a>>>\\nIsi berita yang cukup panjang di sini.\\n"
          "Source: http://[x\\n<<<END>>>\\n' > c.txt && newsingest split --learn-furniture 2 c.txt -o out.jsonl",
          records_in=1, output="out.jsonl", shown="newsingest split --learn-furniture 2 c.txt (a line Source: http://[x)")
    for how, line in (("pipe", "cat records.jsonl | newsingest dedup /dev/stdin > out.jsonl"),
                      ("process substitution", "newsingest dedup <(cat records.jsonl) > out.jsonl"),
                      ("named FIFO", "mkfifo f && { cat records.jsonl > f & } && newsingest dedup f > out.jsonl")):
        h.run(f"dedup of a {how}", line, copy("records.jsonl"), records_in=5, output="out.jsonl")
    h.run("--threshold nan", "newsingest dedup --threshold nan records.jsonl", copy("records.jsonl"))
    h.run("--max-line-bytes inf", "newsingest stats --max-line-bytes inf records.jsonl", copy("records.jsonl"))
    h.run("--shard-size inf", f"newsingest split --shard-size inf {sample} -o out/")
    h.run("--encoding idna", f"newsingest split --encoding idna {sample}")
    h.run("field nested 260 deep", PYTHON + " -c \"import json; r=json.loads(open('records.jsonl').readline()); "
          "v=1\nfor _ in range(260): v={'x': v}\nr['extra']=v; print(json.dumps(r))\" > deep.jsonl && "
          "newsingest normalize deep.jsonl -o out.jsonl", copy("records.jsonl"), records_in=1, output="out.jsonl",
          shown="newsingest normalize deep.jsonl (an extra field 260 levels deep)")
    h.run("language_score \"NaN\"", "sed 's/\"language_score\":[0-9.]*/\"language_score\":\"NaN\"/' records.jsonl "
          "> nan.jsonl && newsingest normalize nan.jsonl -o out.jsonl", copy("records.jsonl"), records_in=5,
          output="out.jsonl", shown="newsingest normalize nan.jsonl (language_score \"NaN\")")
    h.run("stats --json, sums beyond 2^64", "sed 's/\"n_chars\":[0-9]*/\"n_chars\":9223372036854775807/' records.jsonl "
          "> big.jsonl && newsingest stats --json big.jsonl > out.json", copy("records.jsonl"),
          shown="newsingest stats --json big.jsonl (n_chars 2^63-1 each)")
    h.run("stats on an ASCII stdout", "PYTHONIOENCODING=ascii newsingest stats records.jsonl > out.txt",
          copy("records.jsonl"))
    h.run("stats on a latin-1 stdout", "PYTHONIOENCODING=latin-1 newsingest stats records.jsonl > out.txt",
          copy("records.jsonl"))

    # --- bombs
    for name, kind in (("bomb4g.txt.gz", "4 GiB line, gzip"), ("bomb1g.txt.bz2", "1 GiB line, bz2")):
        h.run(f"bomb: split, {kind}", f"newsingest split {name} -o out.jsonl", copy(name), records_in=3,
              output="out.jsonl")
    h.run("bomb: unpack, 4 GiB line, gzip", "newsingest unpack bomb4g.txt.gz -o out", copy("bomb4g.txt.gz"))
    h.run("bomb: normalize, 1 GiB JSONL line, bz2", "newsingest normalize --skip-invalid line1g.jsonl.bz2 -o out.jsonl",
          copy("line1g.jsonl.bz2"), records_in=1, output="out.jsonl")
    h.run("1,000,000 members of one name", PYTHON + " -c \"import gzip; gzip.open('same.txt.gz','wb')"
          ".write(b'<<<FILE a>>>\\nx\\n<<<END>>>\\n'*1_000_000)\" && newsingest split -j 2 same.txt.gz -o out.jsonl "
          "2> err.txt; code=$?; wc -l < err.txt >&2; exit $code", records_in=1_000_000, output="out.jsonl",
          shown="newsingest split -j 2 same.txt.gz (1,000,000 members named a)")

    # --- files, disks and streams
    h.run("pack of a FIFO, socket and links", "mkdir d && echo hi > d/a.txt && mkfifo d/fifo && ln -s nowhere d/dangling"
          " && ln -s l1 d/l2 && ln -s l2 d/l1 && " + PYTHON + " -c \"import socket; socket.socket(socket.AF_UNIX)"
          ".bind('d/sock')\" && timeout 60 newsingest pack d -o out.txt", shown="newsingest pack d (FIFO, socket, "
          "dangling link, link loop)")
    h.run("shards on a full disk", "ulimit -f 8 && newsingest split -j 1 --shard-size 100KB big.txt -o out/",
          lambda folder: big_sample(folder, 40), shown="newsingest split --shard-size 100KB big.txt -o out/ "
          "(files limited to 8 KiB)")
    for command in (f"split {sample}", "normalize records.jsonl", "dedup records.jsonl", "stats records.jsonl",
                    "stats --json records.jsonl", "schema", f"pack {sample}"):
        h.run(f"closed stdout: {command.replace(sample, 'articles.txt').replace(' records.jsonl', '')}",
              f"newsingest {command} >&-", copy("records.jsonl"),
              shown=f"newsingest {command.replace(sample, 'articles.txt')} >&-")
    for command in ("split -", "normalize -", "dedup -", "stats -"):
        h.run(f"closed stdin: {command.split()[0]}", f"newsingest {command} <&- > out.jsonl")
    for command in ("stats records.jsonl", "stats --json records.jsonl", "schema"):
        h.run(f"full stdout: {command}", f"newsingest {command} > /dev/full", copy("records.jsonl"))
        h.run(f"into head: {command}", f"set -o pipefail; newsingest {command} | head -1", copy("records.jsonl"))

    # --- the earlier matrix: containers, encodings, JSONL lines, faults, unpack
    def container(name: str, data: bytes):
        return lambda folder: (folder / name).write_bytes(data)

    good = b"<<<FILE a>>>\nSebuah berita yang cukup panjang di sini.\n<<<END>>>\n"
    for case, name, data, n in (
        ("odd marker", "c.txt", b"<<< FILE a >>>\nteks berita\n<<<End>>>\n", 1),
        ("CR-only line ends", "c.txt", good.replace(b"\n", b"\r"), 1),
        ("binary content (NUL bytes)", "c.txt", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)), 0),
        ("empty file", "c.txt", b"", 0),
        ("only blank lines", "c.txt", b"\n \n\t\n", 0),
        ("truncated gzip (cut at 70%)", "c.txt.gz", _cut(gzip.compress(SAMPLE.read_bytes() * 40, mtime=0), 0.7), 200),
        ("END without FILE, FILE inside, EOF inside", "c.txt", b"<<<END>>>\n<<<FILE a>>>\nx\n<<<FILE b>>>\ny\n", 2),
        ("text outside members, empty member, repeated name", "c.txt",
         b"stray\n<<<FILE a>>>\n<<<END>>>\n<<<FILE b>>>\nx\n<<<END>>>\n<<<FILE b>>>\ny\n<<<END>>>\n", 3),
        ("bytes that are not UTF-8", "c.txt", good.replace(b"berita", b"ber\xffita"), 1),
        ("Windows-1256 container", "c.txt", "".join(f"<<<FILE a{i}>>>\nالتعاون الدولي بين البلدين في مجال "
                                                    f"الاقتصاد والتجارة رقم {i}\n<<<END>>>\n" for i in range(20))
         .encode("cp1256"), 20),
        ("UTF-16 container with BOM", "c.txt", "".join(good.decode().replace("FILE a", f"FILE a{i}")
                                                       for i in range(3)).encode("utf-16"), 3),
    ):
        h.run(f"container: {case}", f"newsingest split {name} -o out.jsonl", container(name, data), records_in=n,
              output="out.jsonl")
    h.run("container: a directory as input", "mkdir d && newsingest split d")
    h.run("container: a missing file", "newsingest split missing.txt")
    h.run("container: --encoding klingon", f"newsingest split --encoding klingon {sample}")
    h.run("container: one 200 MB line, --max-member-bytes 256MiB",
          PYTHON + " -c \"open('line.txt','wb').write(b'<<<FILE a>>>\\n' + b'kata ' * 40_000_000 + b'\\n<<<END>>>\\n')\" "
          "&& newsingest split -j 1 --max-member-bytes 256MiB line.txt -o out.jsonl", records_in=1, output="out.jsonl",
          shown="newsingest split --max-member-bytes 256MiB line.txt (one 200 MB line)")
    h.run("container: 1,000,000 tiny members", PYTHON + " -c \"open('tiny.txt','wb').write(b''.join(b'<<<FILE m%d>>>"
          "\\nx y\\n<<<END>>>\\n' % i for i in range(1_000_000)))\" && newsingest split -j 2 tiny.txt -o out.jsonl",
          records_in=1_000_000, output="out.jsonl", shown="newsingest split -j 2 tiny.txt (1,000,000 tiny members)")
    lines = split_records.splitlines(keepends=True)
    bad_lines = (lines[0] + b"not json\n" + b"[1, 2]\n" + b'{"id": "x"}\n' + b'{"id": "\xff"}\n' + lines[1]
                 + b"x" * 2_000_000 + b"\n" + lines[2])
    for extra, label in (("", "first bad line ends the run"), ("--skip-invalid --max-line-bytes 1MiB", "skipped")):
        h.run(f"JSONL: bad lines, {label}", f"newsingest normalize {extra} bad.jsonl -o out.jsonl",
              container("bad.jsonl", bad_lines), records_in=3, output="out.jsonl")
    h.run("JSONL: truncated gzip", "newsingest stats --skip-invalid bad.jsonl.gz > out.txt",
          container("bad.jsonl.gz", gzip.compress(split_records * 50, mtime=0)[:-300]))
    h.run("fault: split > /dev/full", f"newsingest split {sample} > /dev/full")
    h.run("fault: -o /dev/full", f"newsingest split {sample} -o /dev/full")
    h.run("fault: -o into a missing folder", f"newsingest split {sample} -o missing/out.jsonl")
    for command in (f"split -j 2 big.txt", "normalize -j 2 big.jsonl", "dedup -j 2 big.jsonl"):
        h.run(f"fault: {command.split()[0]} | head -1", f"set -o pipefail; newsingest {command} | head -1 > /dev/null",
              lambda folder: (big_sample(folder), (folder / "big.jsonl").write_bytes(split_records * 400)))
    h.run("fault: SIGINT mid-shards, then --resume", "newsingest split -j 1 --shard-size 100KB big.txt -o whole/ && "
          "{ newsingest split -j 1 --shard-size 100KB big.txt -o cut/ & pid=$!; while [ ! -e cut/part-00002.jsonl.gz ];"
          " do sleep 0.05; done; kill -INT $pid; wait $pid; echo \"interrupted: $?\" >&2; } && "
          "newsingest split -j 1 --shard-size 100KB big.txt -o cut/ --resume && diff -r whole cut",
          big_sample, records_in=2000, shown="split -o cut/ (SIGINT after 2 shards), then --resume; diff -r with an "
          "uninterrupted run")
    h.run("unpack: hostile names", "newsingest unpack c.txt -o out", container(
        "c.txt", b"<<<FILE ../../etc/passwd>>>\nx\n<<<END>>>\n<<<FILE /etc/passwd>>>\nx\n<<<END>>>\n"
                 b"<<<FILE con.txt>>>\nx\n<<<END>>>\n<<<FILE ok.txt>>>\nx\n<<<END>>>\n"))

    # --- signals, with real processes
    feed = big_sample(inputs).read_bytes()
    records = subprocess.run(["bash", "-c", f"{ROOT}/.venv/bin/newsingest split -q -j 2 {inputs / 'big.txt'}"],
                             capture_output=True).stdout
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGKILL):
        name = signal.Signals(signum).name
        h.signal_case(f"signal: split -j 2, {name}", ["split", "-j", "2", "-", "-o", "out.jsonl"], signum, feed,
                      hold_stdin=True, output="out.jsonl")
        h.signal_case(f"signal: dedup -j 2, {name}", ["dedup", "-j", "2", "-"], signum, records, hold_stdin=False)

    # --- 200,000 records through dedup, twice
    if h.wanted("dedup of"):
        synthetic_records(inputs / "many.jsonl", args.dedup_records)
        n = args.dedup_records
        h.run(f"dedup of {n:,} records", "newsingest dedup -j 2 many.jsonl -o once.jsonl && "
              "newsingest dedup -j 2 once.jsonl -o twice.jsonl && cmp once.jsonl twice.jsonl",
              copy("many.jsonl"), records_in=n, output="twice.jsonl",
              shown=f"dedup of {n:,} records, then dedup of its output (cmp: identical)")
        h.run(f"dedup --drop of {n:,} records", "newsingest dedup -j 2 --drop many.jsonl -o once.jsonl && "
              "newsingest dedup -j 2 --drop once.jsonl -o twice.jsonl && cmp once.jsonl twice.jsonl",
              copy("many.jsonl"), records_in=n, output="twice.jsonl",
              shown=f"dedup --drop of {n:,} records, then of its output (cmp: identical)")

    print("| case | command | exit | records in → out (or stderr) | left behind | peak RSS (MB) | seconds |")
    print("|---|---|---|---|---|---|---|")
    for row in h.rows:
        command = row.command.replace(f"{ROOT}/", "").replace("|", "\\|")
        print(f"| {row.case.replace('|', '&#124;')} | `{command}` | {row.exit} | {row.records} | {row.leftovers} | "
              f"{row.rss_mb} | {row.seconds:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
