"""Build the shipped ZWNJ lexicon from wordfreq's Persian word list.

Source: wordfreq 3.1.1, file wordfreq/data/small_fa.msgpack.gz
(data licence CC BY-SA 4.0; wordfreq code Apache-2.0).

Output: newsingest/resources/fa_lexicon.tsv.gz, one "word<TAB>zipf*100" line per
word, most frequent first.  Only Arabic-script words are kept; spelling is normalised
the same way restore_zwnj() expects its input (Persian ی/ک, no ZWNJ after a
non-joining letter, no leading/trailing ZWNJ).  Frequencies of words that
collapse to the same normalised form are summed.

Usage (in an environment of its own; wordfreq is not a dependency of newsingest):
    python -m venv .venv-lexicon && .venv-lexicon/bin/pip install wordfreq==3.1.1
    .venv-lexicon/bin/python tools/build_fa_lexicon.py [out_path]
"""
import gzip
import importlib.util
import math
import os
import re
import sys

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


def main(out_path: str) -> None:
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
    rows = sorted(((w, round(100 * (math.log10(p) + 9))) for w, p in freq.items()),
                  key=lambda r: (-r[1], r[0]))
    with gzip.open(out_path, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("# Persian word frequencies (zipf*100) derived from wordfreq 3.1.1 "
                "small_fa list; CC BY-SA 4.0, (c) Robyn Speer / wordfreq contributors\n")
        for w, z in rows:
            f.write(f"{w}\t{z}\n")
    n_z = sum(ZWNJ in w for w, _ in rows)
    print(f"wrote {out_path}: {len(rows)} words, {n_z} with ZWNJ, "
          f"{os.path.getsize(out_path)} bytes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else
         os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "newsingest", "resources", "fa_lexicon.tsv.gz"))
