"""Deduplication on a generated corpus with planted duplicates, beside datasketch's MinHashLSH.

    python benchmarks/bench_dedup.py [--data DIR] [--docs N] [--seed S] [--peer-python PATH]

Base articles are random runs of 12-25 sentences of the development data (one language each:
fa, ar, ur, id). A fifth of them get planted copies: exact copies, copies typed differently
(ZWNJ deleted, Arabic ي/ك for Persian ی/ک, other spacing and case), and copies with one
sentence changed or added. Ground truth is the real Jaccard similarity of word 5-shingles of
the dedup key: a pair is a duplicate at 0.8 when it reaches 0.8. Reported: recall of exact and
of near pairs (found when both are in one cluster), precision of what is asserted (for newsingest
each duplicate and its kept copy; for datasketch, which does not verify, its candidate pairs),
documents per second (an untraced run), and memory per document (tracemalloc peak of a second run,
divided by the documents), for newsingest and for datasketch's MinHashLSH at its defaults
(threshold 0.8, 128 permutations).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
import tracemalloc
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsingest.stages.dedup import DedupOptions, dedup_key, find_duplicates, jaccard, shingle_hashes, text_hash  # noqa: E402
from newsingest.record import Record, Source  # noqa: E402
from newsingest.script import ARABIC_YEH, FARSI_YEH, TO_ARABIC, ZWNJ  # noqa: E402

THRESHOLD = 0.8
_SENTENCE_END = re.compile(r"(?<=[.!?؟۔])\s+")


def sentence_pools(data: Path) -> dict[str, list[str]]:
    pools: dict[str, list[str]] = {}
    for lang in ("ar", "ur", "id"):
        texts = [json.loads(line)["text"] for line in (data / f"{lang}_news_dev.jsonl").open(encoding="utf-8")]
        pools[lang] = [s for t in texts for s in _SENTENCE_END.split(t) if len(s.split()) >= 4]
    pools["fa"] = [json.loads(line)["text"] for line in (data / "fa_zwnj_dev.jsonl").open(encoding="utf-8")]
    return pools


def retype(text: str, lang: str, rng: random.Random) -> str:
    """The same article as another site would have typed it."""
    if lang == "fa":
        text = text.replace(ZWNJ, "" if rng.random() < 0.5 else " ")
        for persian, arabic in TO_ARABIC.items():  # every Persian yeh and keheh typed the Arabic way
            text = text.replace(persian, arabic)
    elif lang == "ar":
        text = text.replace(ARABIC_YEH, FARSI_YEH).replace("ة", "ه")
    return re.sub(r" ", lambda m: "  " if rng.random() < 0.1 else " ", text.upper() if lang == "id" else text)


def generate(pools: dict[str, list[str]], docs: int, seed: int) -> tuple[list[Record], list[int]]:
    """Records and, for each, the id of its planted family (its base article)."""
    rng = random.Random(seed)
    langs = sorted(pools)
    records: list[Record] = []
    family: list[int] = []

    def add(text: str, lang: str, base: int) -> None:
        rid = f"doc{len(records)}"
        records.append(Record(id=rid, text=text, language=lang, hash=text_hash(text), n_chars=len(text),
                              source=Source(container="generated", member=rid, line=1)))
        family.append(base)

    while len(records) < docs:
        lang = rng.choice(langs)
        sentences = rng.sample(pools[lang], rng.randint(12, 25))
        base = len(records)
        add(" ".join(sentences), lang, base)
        if rng.random() < 0.2:
            for _ in range(rng.randint(1, 3)):
                kind = rng.choice(["exact", "retyped", "changed", "added"])
                copy = list(sentences)
                if kind == "changed":
                    copy[rng.randrange(len(copy))] = rng.choice(pools[lang])
                elif kind == "added":
                    copy.insert(rng.randrange(len(copy) + 1), rng.choice(pools[lang]))
                text = " ".join(copy)
                add(retype(text, lang, rng) if kind == "retyped" else text, lang, base)
    return records[:docs], family[:docs]


class Similarity:
    """Ground truth: texts with one folded letter sequence are one text (exact duplicates, as the
    hash says); otherwise the real Jaccard similarity of the word 5-shingles of their dedup keys,
    taken on the first text of each exact group, as `dedup` does."""

    def __init__(self, records: list[Record]) -> None:
        self.keys = [dedup_key(r.text) for r in records]
        first: dict[str, int] = {}
        self.canonical = [first.setdefault(k.replace(" ", ""), i) for i, k in enumerate(self.keys)]
        self.record_shingles: dict[int, object] = {}

    def exact(self, a: int, b: int) -> bool:
        return self.canonical[a] == self.canonical[b]

    def jaccard(self, a: int, b: int) -> float:
        if self.exact(a, b):
            return 1.0
        ca, cb = self.canonical[a], self.canonical[b]
        for c in (ca, cb):
            if c not in self.record_shingles:
                self.record_shingles[c] = shingle_hashes(self.keys[c], 5)
        return jaccard(self.record_shingles[ca], self.record_shingles[cb])


def truth(similarity: Similarity, family: list[int]) -> tuple[set, set]:
    """Planted pairs that are duplicates at the threshold: (exact pairs, near pairs)."""
    members = defaultdict(list)
    for i, f in enumerate(family):
        members[f].append(i)
    exact, near = set(), set()
    for group in members.values():
        for a, b in combinations(group, 2):
            if similarity.exact(a, b):
                exact.add((a, b))
            elif similarity.jaccard(a, b) >= THRESHOLD:
                near.add((a, b))
    return exact, near


def score(found: set, exact: set, near: set, similarity: Similarity) -> tuple[float, float, float]:
    recall_exact = len(found & exact) / len(exact) if exact else 1.0
    recall_near = len(found & near) / len(near) if near else 1.0
    precision = sum(similarity.jaccard(a, b) >= THRESHOLD for a, b in found) / len(found) if found else 1.0
    return recall_exact, recall_near, precision


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=os.environ.get("NEWSINGEST_DEV_DATA", str(ROOT.parent / "shared" / "dev")))
    parser.add_argument("--docs", type=int, default=5_000, help="articles of the side-by-side run")
    parser.add_argument("--scale-docs", type=int, default=50_000, help="articles of the newsingest-only run (0: none)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--peer-python", default=str(ROOT / ".venv-peers" / "bin" / "python"))
    args = parser.parse_args()
    data = Path(args.data)
    if not (data / "fa_zwnj_dev.jsonl").exists():
        print(f"bench_dedup: {data} has no development data — pass --data DIR", file=sys.stderr)
        return 2

    records, family = generate(sentence_pools(data), args.docs, args.seed)
    similarity = Similarity(records)
    exact, near = truth(similarity, family)
    print(f"Deduplication: {len(records):,} generated articles (seed {args.seed}), planted duplicate pairs "
          f"at Jaccard >= {THRESHOLD}: {len(exact):,} exact (after folding), {len(near):,} near")

    options = DedupOptions(threshold=THRESHOLD)
    find_duplicates(lambda: iter(records[:50]), options)  # warm up: tables and permutations are built once
    start = time.perf_counter()
    result = find_duplicates(lambda: iter(records), options)
    seconds = time.perf_counter() - start
    tracemalloc.start()  # a second run for memory: tracing slows everything down
    find_duplicates(lambda: iter(records), options)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    clusters = defaultdict(list)
    for i, root in enumerate(result.root):
        clusters[int(root)].append(i)
    same_cluster = {pair for members in clusters.values() for pair in combinations(members, 2)}
    # What dedup asserts: each duplicate is like its kept copy.
    asserted = {tuple(sorted((i, int(k)))) for i, k in enumerate(result.keep) if k != i}
    recall_exact, recall_near, _ = score(same_cluster, exact, near, similarity)
    precision = score(asserted, set(), set(), similarity)[2]
    rows = [(f"newsingest ({options.num_perm} perm, {result.bands}x{result.rows} bands, verified)",
             recall_exact, recall_near, precision, len(records) / seconds, peak / len(records))]

    if Path(args.peer_python).exists():
        languages = sorted({r.language for r in records})
        payload = {
            "shingles": [_shingle_strings(dedup_key(r.text)) for r in records],
            "groups": [languages.index(r.language) for r in records],
        }
        run = subprocess.run([args.peer_python, str(ROOT / "benchmarks" / "peers" / "datasketch_lsh.py")],
                             input=json.dumps(payload), capture_output=True, text=True)
        if run.returncode == 0:
            peer = json.loads(run.stdout)
            pairs = {tuple(p) for p in peer["pairs"]}
            rows.append((f"datasketch {peer['version']} MinHashLSH (0.8, 128 perm, candidates)",
                         *score(pairs, exact, near, similarity), len(records) / peer["seconds"],
                         peer["memory_bytes"] / len(records)))
        else:
            print(f"bench_dedup: datasketch did not run ({run.stderr.strip().splitlines()[-1:]})", file=sys.stderr)
    else:
        print("bench_dedup: no peer environment (.venv-peers); `make bench` creates it with datasketch", file=sys.stderr)

    print(f"  {'system':<62}{'recall exact':>13}{'recall near':>12}{'precision':>10}{'docs/s':>9}{'bytes/doc':>10}")
    for name, re_, rn, p, rate, mem in rows:
        print(f"  {name:<62}{re_:>13.4f}{rn:>12.4f}{p:>10.4f}{rate:>9,.0f}{mem:>10,.0f}")
    if len(rows) == 2:
        print(f"  newsingest/datasketch: {rows[0][4] / rows[1][4]:.1f}x the documents per second, "
              f"{rows[0][5] / rows[1][5]:.3f}x the memory per document")
    print(f"  newsingest: {result.candidates:,} candidate pairs, {result.verified:,} verified; signatures "
          f"{result.signature_bytes / len(records):.0f} bytes per document")
    if args.scale_docs:
        big, _ = generate(sentence_pools(data), args.scale_docs, args.seed + 1)
        start = time.perf_counter()
        find_duplicates(lambda: iter(big), options)
        seconds = time.perf_counter() - start
        tracemalloc.start()
        found = find_duplicates(lambda: iter(big), options)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"  newsingest on {len(big):,} articles: {len(big) / seconds:,.0f} docs/s, {peak / len(big):,.0f} bytes "
              f"per document at the peak (signatures {found.signature_bytes / len(big):.0f}), "
              f"{found.verified:,} near pairs verified of {found.candidates:,} candidates")
    return 0


def _shingle_strings(key: str) -> list[str]:
    words = key.split()
    size = min(5, len(words))
    return sorted({" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}) if words else []


if __name__ == "__main__":
    sys.exit(main())
