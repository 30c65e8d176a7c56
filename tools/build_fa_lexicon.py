"""Build the shipped ZWNJ lexicon from wordfreq's Persian word list and Persian treebank TRAIN halves.

Sources (only these; never a dev or test half of a treebank):
  * wordfreq 3.1.1, file wordfreq/data/small_fa.msgpack.gz (data CC BY-SA 4.0; code Apache-2.0).
  * UD_Persian-PerDT at commit d728a98d73bd2e52b693c582f249e162a76b6b8f, its train split:
    fa_perdt-ud-train.conllu, or not-to-release/train_ner.txt (the same split, one token a line)
    where the CoNLL-U file is not at hand (CC BY-SA 4.0).
  * UD_Persian-Seraji at commit e53af38f4adc0edcdc056b8a2378cad791dc322a: fa_seraji-ud-train.conllu
    (CC BY-SA 4.0).
  The treebanks are given as files (--treebank PATH, CoNLL-U or one token a line) or read from
  bare git copies of the two repositories at the commits above (--mirror DIR: DIR holds
  UniversalDependencies+UD_Persian-PerDT/repo and UniversalDependencies+UD_Persian-Seraji/repo;
  for each treebank the first of its files present at the commit is read, and one that has none is
  skipped with a note). The header line of the output names every source read.

Treebank words: the FORM column of CoNLL-U (the surface tokens: a multiword token's line, not the
words it stands for; a FORM holding spaces counts as its words), normalised like wordfreq's words.
Word types seen at least --min-count times (default 2, so that one-off typos stay out) get a
frequency on wordfreq's Zipf scale: zipf = log10(count / N * 1e9), N the number of Arabic-script
word tokens of all treebanks read (count per billion tokens, log10). Merge: a word wordfreq lacks
takes its treebank figure; a spelling with a ZWNJ takes the larger of the two; a spelling without
one that wordfreq has keeps wordfreq's web figure, so that the treebanks' own style (PerDT writes
آنها joined) does not outweigh the web, and a glued twin that the web writes much more often
(میدانی beside می‌دانی) still beats a treebank ZWNJ spelling under the restorer's MARGIN.

Output: newsingest/resources/fa_lexicon.tsv.gz, one "word<TAB>zipf*100" line per word, most
frequent first. Only Arabic-script words are kept; spelling is normalised the same way
restore_zwnj() expects its input (Persian ی/ک, no ZWNJ after a non-joining letter, no
leading/trailing ZWNJ). Frequencies of wordfreq words that collapse to the same normalised form
are summed. The build is deterministic: the same sources give the same bytes.

Usage (in an environment of its own; wordfreq is not a dependency of newsingest):
    python -m venv .venv-lexicon && .venv-lexicon/bin/pip install wordfreq==3.1.1 msgpack
    .venv-lexicon/bin/python tools/build_fa_lexicon.py --mirror DIR [--min-count 2] [out_path]
    .venv-lexicon/bin/python tools/build_fa_lexicon.py --treebank fa_perdt-ud-train.conllu \\
        --treebank fa_seraji-ud-train.conllu [out_path]
"""
import argparse
import gzip
import importlib.util
import math
import os
import re
import subprocess
import sys
from collections import Counter
from typing import Iterable, Iterator, List, Optional, Tuple

import msgpack
import wordfreq

# The script's character model, loaded from its file: importing the package would need its
# dependencies, which this environment does not have.
_spec = importlib.util.spec_from_file_location(
    "newsingest_script", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "newsingest", "script.py")
)
script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(script)

ZWNJ = script.ZWNJ
# Letters that do not join to the following letter: a ZWNJ after them is
# invisible, so we drop it to get one canonical spelling.
NON_JOINING = script.NON_JOINING_LETTERS
WORD_RE = re.compile(f"^[{script.WORD_LETTER_RANGES}{ZWNJ}]+$")
# Persian yeh and keheh for their Arabic twins, and heh for ae.
_FOLD = {**script.YEH_KAF_FOLD, script.AE: script.HEH}

# The treebank TRAIN halves: (repository, commit, files in order of preference).
PINNED = (
    ("UniversalDependencies/UD_Persian-PerDT", "d728a98d73bd2e52b693c582f249e162a76b6b8f",
     ("fa_perdt-ud-train.conllu", "not-to-release/train_ner.txt")),
    ("UniversalDependencies/UD_Persian-Seraji", "e53af38f4adc0edcdc056b8a2378cad791dc322a",
     ("fa_seraji-ud-train.conllu",)),
)


def normalise(word: str) -> str:
    for old, new in _FOLD.items():
        word = word.replace(old, new)
    word = word.replace(script.ZWJ, "")
    word = word.strip(ZWNJ)
    word = re.sub(ZWNJ + "+", ZWNJ, word)
    out = []
    for i, ch in enumerate(word):
        if ch == ZWNJ and out and out[-1] in NON_JOINING:
            continue
        out.append(ch)
    return "".join(out)


def wordfreq_frequencies() -> dict:
    src = os.path.join(os.path.dirname(wordfreq.__file__), "data", "small_fa.msgpack.gz")
    with gzip.open(src) as f:
        bins = msgpack.load(f, raw=False)
    # bins[0] is a header; bins[i] holds words whose frequency is 10**(-i/100).
    freq = {}
    for i, words in enumerate(bins[1:]):
        p = 10 ** (-i / 100)
        for w in words:
            if not WORD_RE.match(w):
                continue
            w = normalise(w)
            if len(w) < 1 or not w.strip(ZWNJ):
                continue
            freq[w] = freq.get(w, 0.0) + p
    return freq


def surface_forms(lines: Iterable[str]) -> Iterator[str]:
    """The surface tokens of a CoNLL-U file (multiword tokens once, not their words), or of a
    file of one token a line (blank lines between sentences)."""
    skip_to = 0
    for line in lines:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            skip_to = 0
            continue
        cols = line.split("\t")
        if len(cols) < 10:  # one token a line
            yield from line.split()
            continue
        ident, form = cols[0], cols[1]
        if "." in ident:  # an empty node
            continue
        if "-" in ident:  # a multiword token: its surface form, then skip its words
            yield from form.split()
            skip_to = int(ident.split("-")[1])
            continue
        if int(ident) <= skip_to:
            continue
        yield from form.split()


def treebank_counts(texts: Iterable[Tuple[str, List[str]]]) -> Tuple[Counter, int]:
    counts: Counter = Counter()
    tokens = 0
    for _, lines in texts:
        for tok in surface_forms(lines):
            if not WORD_RE.match(tok):
                continue
            w = normalise(tok)
            if not w:
                continue
            counts[w] += 1
            tokens += 1
    return counts, tokens


def from_mirror(mirror: str) -> List[Tuple[str, List[str]]]:
    out = []
    for repo, commit, files in PINNED:
        gitdir = os.path.join(mirror, repo.replace("/", "+"), "repo")
        for name in files:
            run = subprocess.run(["git", "-C", gitdir, "show", f"{commit}:{name}"], capture_output=True)
            if run.returncode == 0:
                out.append((f"{repo}@{commit[:10]} {name}", run.stdout.decode("utf-8").splitlines()))
                break
        else:
            print(f"note: no train file of {repo} at {commit[:10]} in {gitdir}; skipped", file=sys.stderr)
    return out


def main(argv: Optional[List[str]] = None) -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", default=os.path.join(here, "..", "newsingest", "resources", "fa_lexicon.tsv.gz"))
    parser.add_argument("--mirror", help="folder of bare git copies of the treebank repositories")
    parser.add_argument("--treebank", action="append", default=[], help="a treebank TRAIN file (CoNLL-U or a token a line)")
    parser.add_argument("--min-count", type=int, default=2, help="treebank words seen fewer times are left out")
    args = parser.parse_args(argv)

    texts = from_mirror(args.mirror) if args.mirror else []
    for path in args.treebank:
        with open(path, encoding="utf-8") as f:
            texts.append((os.path.basename(path), f.read().splitlines()))
    freq = {w: math.log10(p) + 9 for w, p in wordfreq_frequencies().items()}
    from_web = len(freq)
    counts, n = treebank_counts(texts)
    added = 0
    for w, c in counts.items():
        if c < args.min_count:
            continue
        z = math.log10(c / n * 1e9)
        if w not in freq:
            added += 1
            freq[w] = z
        elif ZWNJ in w:
            freq[w] = max(freq[w], z)
    rows = sorted(((w, round(100 * z)) for w, z in freq.items()), key=lambda r: (-r[1], r[0]))
    sources = "; ".join(name for name, _ in texts)
    # No file name and no time in the gzip header: the same sources give the same bytes.
    with open(args.out, "wb") as out, gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as raw:
        raw.write(("# Persian word frequencies (zipf*100) derived from wordfreq 3.1.1 small_fa list, "
                   "(c) Robyn Speer / wordfreq contributors"
                   + (f", and treebank train halves ({sources}; {n} tokens, words seen {args.min_count}+ times)"
                      if texts else "")
                   + "; CC BY-SA 4.0\n").encode("utf-8"))
        for w, z in rows:
            raw.write(f"{w}\t{z}\n".encode("utf-8"))
    n_z = sum(ZWNJ in w for w, _ in rows)
    print(f"wrote {args.out}: {len(rows)} words ({from_web} from wordfreq, {added} more from the treebanks), "
          f"{n_z} with ZWNJ, {os.path.getsize(args.out)} bytes")


if __name__ == "__main__":
    main()
