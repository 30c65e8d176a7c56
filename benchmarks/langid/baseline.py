"""Measure today's language id on the sets of build.py, and list words that tell Malay from Indonesian.

    python benchmarks/langid/baseline.py [--data DIR] [--evidence FILE]

Run by `make eval` (LANGDATA=DIR); without the sets it says how to build them and exits 0
(2 when --data names a folder without them).

Prints, for each set and for its dev and heldout halves, the share of records given the set's
language (short records: given `und` or a score below 0.5) and the labels of the others, with
accuracy by score bin, and how many records a second `identify` labels on the ms/id sets. Writes FILE (default benchmarks/langid/ms_id_evidence.tsv): for candidate
evidence words, the number of DEV records of ms_news and id_news that hold each (heldout records
are not read), the curated Malay/Indonesian pairs first, then the words the dev halves themselves
separate best.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple, Optional

from newsingest.stages.langid import identify

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from eval_langid import plain_langdetect  # noqa: E402
from figures import note  # noqa: E402

HERE = Path(__file__).resolve().parent


class Guess(NamedTuple):
    """A label and its score, as identify gives them (plain langdetect's score is taken as 1)."""

    language: str
    score: float
SETS = ("ms_news", "id_news", "ps_news", "ps_sentences", "short_records")
WEAK = 0.5

# Malay / Indonesian pairs: spelling and function words, institutions, month names.
PAIRS = [
    ("kerana", "karena"), ("wang", "uang"), ("kerajaan", "pemerintah"), ("boleh", "bisa"), ("sahaja", "saja"),
    ("daripada", "dari"), ("beliau", "dia"), ("manakala", "sedangkan"), ("iaitu", "yaitu"), ("bagaimanapun", "namun"),
    ("semalam", "kemarin"), ("baharu", "baru"), ("polis", "polisi"), ("kenyataan", "pernyataan"), ("mahkamah", "pengadilan"),
    ("peratus", "persen"), ("bilion", "miliar"), ("juta", "juta"), ("kereta", "mobil"), ("percuma", "gratis"),
    ("jabatan", "dinas"), ("menteri", "menteri"), ("ahli", "anggota"), ("negeri", "provinsi"), ("berkata", "mengatakan"),
    ("ialah", "adalah"), ("sebarang", "apapun"), ("tersebut", "tersebut"), ("selepas", "setelah"), ("sebelum", "sebelum"),
    ("bulan", "bulan"), ("januari", "januari"), ("februari", "februari"), ("ogos", "agustus"), ("mac", "maret"),
    ("julai", "juli"), ("jun", "juni"), ("mei", "mei"), ("disember", "desember"), ("oktober", "oktober"), ("november", "november"),
    ("rm", "rp"), ("datuk", "bapak"), ("malaysia", "indonesia"), ("kuala", "jakarta"), ("umno", "dpr"),
    ("tidak", "tidak"), ("tak", "nggak"), ("sini", "sini"), ("agar", "agar"), ("supaya", "supaya"),
    ("hospital", "rumah sakit"), ("bas", "bus"), ("teksi", "taksi"), ("cukai", "pajak"), ("syarikat", "perusahaan"),
]
WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


def words(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def phrase_in(phrase: str, text_words: set[str], text: str) -> bool:
    return phrase in text_words if " " not in phrase else phrase in text.lower()


def load(data: Path, name: str) -> list[dict[str, str]]:
    with (data / f"{name}.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def right(rec: dict[str, str], language: str, score: float) -> bool:
    if rec["language"] == "und":
        return language == "und" or score < WEAK
    return language == rec["language"]


def report(name: str, recs: list[dict[str, str]], guesses: list[Any]) -> list[str]:
    out = []
    for half in ("all", "dev", "heldout"):
        rows = [(r, g) for r, g in zip(recs, guesses) if half == "all" or r["split"] == half]
        if not rows:
            continue
        ok = sum(1 for r, g in rows if right(r, g.language, g.score))
        wrong = Counter(g.language for r, g in rows if not right(r, g.language, g.score))
        kinds = Counter(r["kind"] for r, _ in rows)
        by_kind = ""
        if len(kinds) > 1:
            parts = []
            for kind in sorted(kinds):
                k_ok = sum(1 for r, g in rows if r["kind"] == kind and right(r, g.language, g.score))
                parts.append(f"{kind} {k_ok}/{kinds[kind]}")
            by_kind = "; " + ", ".join(parts)
        errs = ", ".join(f"{lang} {n}" for lang, n in wrong.most_common(6)) or "-"
        out.append(f"| {name} | {half} | {len(rows)} | {ok / len(rows):.1%} | {errs}{by_kind} |")
    return out


def calibration(all_rows: list[tuple[dict[str, str], float, bool]]) -> list[str]:
    """Accuracy of the labelled (not und) guesses by score bin, over every set's records."""
    bins = [(0.0, 0.5), (0.5, 0.8), (0.8, 0.95), (0.95, 0.999), (0.999, 1.01)]
    out = []
    for lo, hi in bins:
        rows = [ok for _, s, ok in all_rows if lo <= s < hi]
        if rows:
            label = f"[{lo}, {min(hi, 1.0)}{']' if hi > 1 else ')'}"
            out.append(f"| {label} | {len(rows)} | {sum(rows) / len(rows):.1%} |")
    return out


def note_figures(sets: dict[str, list[dict[str, str]]], guesses: dict[str, list[Any]]) -> None:
    """The summary table's language-id figures, for newsingest (its ``guesses`` of each set) and
    for plain seeded langdetect."""
    plain = plain_langdetect()
    for figure, name, half in (("ms_news_ms", "ms_news", "heldout"), ("id_news_id", "id_news", "heldout"),
                               ("ps_sentences_ps", "ps_sentences", "all"), ("short_records_weak", "short_records", "all")):
        rows = [(r, g) for r, g in zip(sets[name], guesses[name]) if half == "all" or r["split"] == half]
        for system, labelled in (("newsingest", rows), ("langdetect", [(r, Guess(plain(r["text"]), 1.0)) for r, _ in rows])):
            ok = sum(1 for r, g in labelled if right(r, g.language, g.score))
            note(figure, system, ok / len(rows), f"{ok}/{len(rows)}")


def evidence(ms: list[dict[str, str]], ids: list[dict[str, str]], path: Path) -> None:
    ms_dev = [r["text"] for r in ms if r["split"] == "dev"]
    id_dev = [r["text"] for r in ids if r["split"] == "dev"]
    ms_words = [words(t) for t in ms_dev]
    id_words = [words(t) for t in id_dev]

    def count(phrase: str, texts: list[str], wsets: list[set[str]]) -> int:
        return sum(1 for t, w in zip(texts, wsets) if phrase_in(phrase, w, t))

    lines = [f"# dev halves only: ms_news {len(ms_dev)} records, id_news {len(id_dev)} records (records holding the word)",
             "word\tside\tcounterpart\tms_dev_records\tid_dev_records\torigin"]
    seen: set[str] = set()
    for m, i in PAIRS:
        for word, side, other in ((m, "ms", i), (i, "id", m)):
            if word in seen:
                continue
            seen.add(word)
            lines.append(f"{word}\t{side if m != i else 'both'}\t{other if m != i else ''}\t"
                         f"{count(word, ms_dev, ms_words)}\t{count(word, id_dev, id_words)}\tcurated")
    ms_df = Counter(w for ws in ms_words for w in ws)
    id_df = Counter(w for ws in id_words for w in ws)
    # Smoothed log-odds of a record holding the word, Malay against Indonesian; at least 8 records.
    scored = []
    for w in set(ms_df) | set(id_df):
        a, b = ms_df[w], id_df[w]
        if a + b < 8 or w in seen:
            continue
        lo = math.log((a + 0.5) / (len(ms_dev) - a + 0.5)) - math.log((b + 0.5) / (len(id_dev) - b + 0.5))
        scored.append((lo, w, a, b))
    scored.sort(key=lambda x: (-abs(x[0]), x[1]))
    for lo, w, a, b in scored[:80]:
        lines.append(f"{w}\t{'ms' if lo > 0 else 'id'}\t\t{a}\t{b}\tdev log-odds {lo:+.2f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None, help=f"the sets (default: {HERE / 'data'})")
    ap.add_argument("--evidence", type=Path, default=HERE / "ms_id_evidence.tsv")
    args = ap.parse_args(argv)
    data = args.data or HERE / "data"
    missing = [s for s in SETS if not (data / f"{s}.jsonl").exists()]
    if missing:
        print(f"baseline: {', '.join(missing)} missing in {data}; build them first: "
              "python benchmarks/langid/build.py --mirror SNAPSHOTS (sources and commits in "
              "benchmarks/langid/SOURCES.md), or pass --data DIR / make eval LANGDATA=DIR", file=sys.stderr)
        # Without data: an explicit --data is a usage error; the default lets `make eval` go on.
        return 2 if args.data else 0
    args.data = data
    sets = {s: load(args.data, s) for s in SETS}
    guesses = {name: [identify(r["text"]) for r in recs] for name, recs in sets.items()}
    print("| set | half | records | right | wrong labels (and by kind) |")
    print("|---|---|---|---|---|")
    for name, recs in sets.items():
        for line in report(name, recs, guesses[name]):
            print(line)
    rows = []
    for name in ("ms_news", "id_news", "ps_news", "ps_sentences"):
        for r, g in zip(sets[name], guesses[name]):
            if g.language != "und":
                rows.append((r, g.score, g.language == r["language"]))
    print()
    print("| score bin (labelled guesses, ms/id/ps sets) | guesses | right |")
    print("|---|---|---|")
    for line in calibration(rows):
        print(line)
    short = list(zip(sets["short_records"], guesses["short_records"]))
    print()
    print("| short record kind | records | confident label (score >= 0.5), commonest |")
    print("|---|---|---|")
    for kind in sorted({r["kind"] for r, _ in short}):
        ks = [(r, g) for r, g in short if r["kind"] == kind]
        conf = Counter(f"{g.language}" for r, g in ks if g.language != "und" and g.score >= WEAK)
        print(f"| {kind} | {len(ks)} | {sum(conf.values())}: " + ", ".join(f"{l} {n}" for l, n in conf.most_common(5)) + " |")
    note_figures(sets, guesses)
    texts = [r["text"] for name in ("ms_news", "id_news") for r in sets[name]]
    best = 0.0
    for _ in range(3):  # the best of three passes: the least disturbed by other work on the machine
        start = time.process_time()
        for text in texts:
            identify(text)
        best = max(best, len(texts) / (time.process_time() - start))
    print(f"\nidentify, one process: {best:,.0f} records a CPU second on ms_news and id_news ({len(texts)} records, best of 3)")
    evidence(sets["ms_news"], sets["id_news"], args.evidence)
    print(f"\nevidence words: {args.evidence}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
