"""datasketch's MinHashLSH at its defaults (threshold 0.8, 128 permutations), as a user would run it.

Runs in the peers environment, never in newsingest's own. Reads {"shingles": [[str, ...], ...],
"groups": [int, ...]} (a document's shingles and its language group) as JSON on stdin; prints the
candidate pairs, the seconds spent and the memory its MinHash objects and index hold.
"""

import json
import sys
import time
import tracemalloc
from importlib.metadata import version

from datasketch import MinHash, MinHashLSH

data = json.load(sys.stdin)


def build():
    indexes: dict[int, MinHashLSH] = {}
    hashes = []
    for i, (shingles, group) in enumerate(zip(data["shingles"], data["groups"])):
        m = MinHash(num_perm=128)
        m.update_batch([s.encode("utf-8") for s in shingles])
        hashes.append(m)
        indexes.setdefault(group, MinHashLSH(threshold=0.8, num_perm=128)).insert(str(i), m)
    return indexes, hashes


start = time.perf_counter()
indexes, hashes = build()
pairs = set()
for i, (m, group) in enumerate(zip(hashes, data["groups"])):
    for key in indexes[group].query(m):
        j = int(key)
        if j != i:
            pairs.add((min(i, j), max(i, j)))
seconds = time.perf_counter() - start
del indexes, hashes
tracemalloc.start()  # a second build for memory: tracing slows everything down
kept = build()
memory = tracemalloc.get_traced_memory()[0]
json.dump({"version": version("datasketch"), "pairs": sorted(pairs), "seconds": seconds, "memory_bytes": memory},
          sys.stdout)
