"""Start-up: processor and wall seconds of `newsingest --help` and of `split` over an empty input.

    python benchmarks/bench_startup.py [--runs 5] [--tree DIR]...

Each command runs ``--runs`` times in a fresh interpreter (`python -m newsingest`); printed: the
best and the median of the processor time (user + system of the child) and of the wall clock.
With several ``--tree`` (source trees of newsingest, e.g. an older checkout), the trees take
turns, so that a busy machine weighs on each alike. Bytecode is cached under a temporary
folder (`PYTHONPYCACHEPREFIX`), as an installed package has it. The figures of docs/scale.md
("Start-up") came from it.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = {
    "newsingest --help": (["--help"], 0),
    "newsingest split < /dev/null": (["split"], 1),
    "echo -n | newsingest split -": (["split", "-"], 1),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tree", action="append", type=Path)
    args = parser.parse_args()
    trees = args.tree or [ROOT]
    cache = tempfile.mkdtemp()
    times: dict[tuple[str, Path], list[tuple[float, float]]] = {}
    for _ in range(args.runs + 1):  # the first round fills the bytecode caches and is not counted
        for tree in trees:
            env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONPYCACHEPREFIX": os.path.join(cache, tree.name)}
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            for name, (arguments, code) in COMMANDS.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                done = subprocess.run([sys.executable, "-m", "newsingest", *arguments], env=env, cwd=cache,
                                      stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                wall = time.perf_counter() - start
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if done.returncode != code:
                    sys.exit(f"{name} in {tree}: exit {done.returncode}, not {code}")
                cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                times.setdefault((name, tree), []).append((cpu, wall))
    for (name, tree), runs in times.items():
        cpu = sorted(run[0] for run in runs[1:])
        wall = sorted(run[1] for run in runs[1:])
        where = f" [{tree}]" if len(trees) > 1 else ""
        print(f"{name:30s} CPU {cpu[0]:.3f} s ({cpu[len(cpu) // 2]:.3f}), "
              f"wall {wall[0]:.3f} s ({wall[len(wall) // 2]:.3f}){where}")


if __name__ == "__main__":
    main()
