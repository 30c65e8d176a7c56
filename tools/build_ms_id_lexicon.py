"""Build the shipped Malay/Indonesian word ratios from wordfreq's Malay and Indonesian word lists.

Source: wordfreq 3.1.1, files wordfreq/data/small_ms.msgpack.gz and small_id.msgpack.gz
(data licence CC BY-SA 4.0; wordfreq code Apache-2.0).

Output: newsingest/resources/ms_id_words.tsv.gz, one "word<TAB>ratio" line per word, where
ratio is 100 × log10(frequency in Malay / frequency in Indonesian), rounded: positive for a
word Malay writes more often, negative for one Indonesian writes more often. Sorted by
ratio (Malay's strongest first), then by word.

- Words: lower-case letters a-z only (wordfreq splits `kanak-kanak` into `kanak kanak`, and
  so does the reader in langid.py); no digits, apostrophes or other scripts.
- Minimum frequency: a word is kept when one of the lists has it at Zipf MIN_ZIPF or more
  (3.0: once in a million words, where wordfreq's small lists stop).
- Smoothing: a word missing from a list counts as FLOOR_ZIPF there (a third of the lists'
  cut-off: a missing word is rarer than the cut-off, not absent from the language).
- Shared words: a word whose ratio is smaller than MIN_RATIO either way (the function words
  both languages write, and the names both write about equally) is left out: it would add
  nothing but noise to the sum.
- Capped: no ratio is larger than MAX_RATIO either way, so that no single word decides a text.

Usage (in an environment of its own; wordfreq is not a dependency of newsingest):
    python -m venv .venv-lexicon && .venv-lexicon/bin/pip install wordfreq==3.1.1
    .venv-lexicon/bin/python tools/build_ms_id_lexicon.py [out_path]
"""

from __future__ import annotations

import gzip
import os
import re
import sys

import msgpack  # type: ignore[import-untyped,import-not-found,unused-ignore]  # not a dependency of newsingest
import wordfreq  # type: ignore[import-untyped,import-not-found,unused-ignore]

MIN_ZIPF = 3.0
FLOOR_ZIPF = 2.5
MIN_RATIO = 0.5
MAX_RATIO = 1.5
WORD = re.compile(r"^[a-z]+$")


def zipf(language: str) -> dict[str, float]:
    """The Zipf frequency of each word of wordfreq's small list for ``language``."""
    src = os.path.join(os.path.dirname(wordfreq.__file__), "data", f"small_{language}.msgpack.gz")
    with gzip.open(src) as f:
        bins = msgpack.load(f, raw=False)
    # bins[0] is a header; the words of bins[i] have the frequency 10 ** (-i / 100).
    out: dict[str, float] = {}
    for i, words in enumerate(bins[1:]):
        for word in words:
            if WORD.match(word):
                out.setdefault(word, 9 - i / 100)
    return out


def ratios(malay: dict[str, float], indonesian: dict[str, float]) -> list[tuple[str, int]]:
    rows = []
    for word in sorted(set(malay) | set(indonesian)):
        z_ms, z_id = malay.get(word, 0.0), indonesian.get(word, 0.0)
        if max(z_ms, z_id) < MIN_ZIPF:
            continue
        ratio = max(z_ms, FLOOR_ZIPF) - max(z_id, FLOOR_ZIPF)
        if abs(ratio) < MIN_RATIO:
            continue
        rows.append((word, round(100 * max(-MAX_RATIO, min(MAX_RATIO, ratio)))))
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def main(out_path: str) -> None:
    rows = ratios(zipf("ms"), zipf("id"))
    # No file name and mtime=0 in the gzip header: the same bytes on every build.
    with open(out_path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(
            (
                "# 100 x log10(frequency in Malay / in Indonesian), derived from wordfreq 3.1.1 small_ms and small_id;"
                " CC BY-SA 4.0, (c) Robyn Speer / wordfreq contributors\n"
                + "".join(f"{word}\t{ratio}\n" for word, ratio in rows)
            ).encode("utf-8")
        )
    malay = sum(1 for _, ratio in rows if ratio > 0)
    print(f"wrote {out_path}: {len(rows)} words ({malay} Malay, {len(rows) - malay} Indonesian), "
          f"{os.path.getsize(out_path)} bytes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else
         os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "newsingest", "resources", "ms_id_words.tsv.gz"))
