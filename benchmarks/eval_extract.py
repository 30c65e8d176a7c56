"""Evaluate `extract_article` on clean news bodies wrapped in generated page furniture.

    python benchmarks/eval_extract.py [--data DIR] [--seed N] [--per-language N] [--show-errors N] [--stand-in]

DIR holds ar_news_dev.jsonl, ur_news_dev.jsonl, id_news_dev.jsonl (NTREX-128 documents) and
fa_zwnj_dev.jsonl (Persian sentences, grouped into pseudo-articles); default: ../shared/dev
beside the repository, or $NEWSINGEST_DEV_DATA. `benchmarks/furniture.py` wraps every body in
head, mid-body and tail furniture and knows the label of every line, so the figures are exact:

  furniture removed  furniture and caption lines that are not a line of `art.text` (pipes and
                     white space at the ends ignored)
  captions found     caption lines whose words are in `art.captions`
  body removed       body lines missing from `art.text` (whitespace folded; a body line still counts
                     as kept without a trailing `|` or without its dateline, or inside a longer line)
  title/url/date     exact match over all articles ("all", None == None counts) and over the
                     articles where the expected value is not None ("set")
  unaccounted        non-blank input lines found nowhere in text, title, captions or boilerplate

Output on stdout is the same for the same seed; timing goes to stderr. `--stand-in` runs a
trivial extractor of this script's own, to check the harness without the real one.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from furniture import COMMON, HELD_OUT, LANGS, Article, bodies_from_sentences, body_from_document, generate  # noqa: E402

DATA_FILES = {"ar": "ar_news_dev.jsonl", "ur": "ur_news_dev.jsonl", "id": "id_news_dev.jsonl", "fa": "fa_zwnj_dev.jsonl"}
ERROR_KINDS = ["body removed", "furniture kept", "caption not found", "title", "url", "date", "unaccounted", "crash"]


def default_data_dir() -> Path:
    return Path(os.environ.get("NEWSINGEST_DEV_DATA") or Path(__file__).resolve().parent.parent.parent / "shared" / "dev")


def load_bodies(data: Path, seed: int):
    """Clean bodies by language: NTREX documents as they are, Persian sentences grouped into articles."""
    bodies = {}
    for lang, name in DATA_FILES.items():
        rows = [json.loads(line) for line in (data / name).open(encoding="utf-8") if line.strip()]
        if lang == "fa":
            bodies[lang] = bodies_from_sentences([row["text"] for row in rows], lang, seed)
        else:
            bodies[lang] = [body_from_document(row["text"], lang, f"{name}:{i + 1}") for i, row in enumerate(rows)]
    return bodies


# --- the stand-in extractor ---------------------------------------------------------------------


@dataclass
class StandInArticle:
    text: str
    title: str | None = None
    url: str | None = None
    publisher_url: str | None = None
    publisher: str | None = None
    date_published: str | None = None
    captions: list[str] = field(default_factory=list)
    boilerplate: list[SimpleNamespace] = field(default_factory=list)


STAND_IN_SOURCE = re.compile(r"^(?:منبع|Sumber|Source|المصدر|ماخذ)\s*:\s*(https?://\S+)\s*$")
STAND_IN_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def stand_in_extract(body: str) -> StandInArticle:
    """Deliberately naive: short lines are furniture, a short first line is the title."""
    lines = body.split("\n")
    art = StandInArticle(text="")
    kept = []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped:
            continue
        if number == 1 and len(stripped.split()) <= 14 and stripped[-1] not in ".!?؟۔":
            art.title = stripped
            continue
        if match := STAND_IN_SOURCE.match(stripped):
            art.url = art.url or match.group(1)
        if len(stripped.split()) <= 6 or match:
            art.boilerplate.append(SimpleNamespace(text=line, reason="short line", line=number))
        else:
            kept.append(line)
    if match := STAND_IN_DATE.search(body):
        art.date_published = match.group(0)
    art.text = "\n".join(kept)
    return art


# --- scoring ----------------------------------------------------------------------------------


def fold(text: str | None) -> str:
    return " ".join((text or "").split())


def core(text: str) -> str:
    """A line without surrounding white space and decorative pipes."""
    return fold(fold(text).strip("|"))


def same_url(a: str | None, b: str | None) -> bool:
    return (a or "").strip() == (b or "").strip()


def same_host(a: str | None, b: str | None) -> bool:
    """Publisher URLs compared by host and path, ignoring scheme, `www.` and a final slash."""
    def key(u: str | None) -> str:
        u = (u or "").strip().lower()
        u = re.sub(r"^[a-z]+://", "", u)
        return re.sub(r"^www\.", "", u).rstrip("/")
    return key(a) == key(b)


@dataclass
class Tally:
    """Counts for one group of articles (a language, a family, or all)."""

    articles: int = 0
    furniture: int = 0
    furniture_removed: int = 0
    captions: int = 0
    captions_found: int = 0
    body: int = 0
    body_removed: int = 0
    lines: int = 0
    unaccounted: int = 0
    crashes: int = 0
    hits: Counter = field(default_factory=Counter)  # title/url/date/publisher_url: all and set
    totals: Counter = field(default_factory=Counter)

    def add(self, other: "Tally") -> None:
        for name in ("articles", "furniture", "furniture_removed", "captions", "captions_found", "body",
                     "body_removed", "lines", "unaccounted", "crashes"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.hits.update(other.hits)
        self.totals.update(other.totals)


def score(article: Article, art, errors: dict[str, list[str]], kinds: dict) -> Tally:
    """Compare one extraction with the article's labels; append readable errors."""
    t = Tally(articles=1)
    text_lines = [fold(line) for line in (art.text or "").split("\n")]
    text_set = set(text_lines)
    text_cores = {core(line) for line in text_lines}
    captions = [fold(c) for c in (art.captions or [])]
    boiler = [fold(b.text) for b in (art.boilerplate or [])]
    boiler_set = set(boiler)
    title = fold(art.title)
    where = f"{article.id} ({article.family})"

    def kept(text: str) -> bool:
        n = core(text)
        return fold(text) in text_set or n in text_cores or bool(n) and any(n in line for line in text_lines)

    for number, line in enumerate(article.lines, 1):
        if line.label == "blank":
            continue
        t.lines += 1
        if line.label == "body":
            t.body += 1
            if not any(kept(v) for v in (line.text, *line.variants)):
                t.body_removed += 1
                errors["body removed"].append(f"{where} line {number}: {line.text[:140]}")
        elif line.label in ("furniture", "caption"):
            t.furniture += 1
            removed = (core(line.text) or fold(line.text)) not in (text_cores if core(line.text) else text_set)
            t.furniture_removed += removed
            kinds[(line.kind, line.family)][0] += 1
            kinds[(line.kind, line.family)][1] += removed
            if not removed:
                errors["furniture kept"].append(f"{where} line {number} [{line.kind}]: {line.text[:140]}")
            if line.label == "caption":
                t.captions += 1
                words = fold(line.caption)
                found = any(words in c or (len(c) >= 0.5 * len(words) and c in fold(line.text)) for c in captions)
                t.captions_found += found
                if not found:
                    errors["caption not found"].append(f"{where} line {number}: {line.text[:140]}  captions={captions}")
        elif line.label == "title":
            kinds[("(title line)", article.family)][0] += 1
            kinds[("(title line)", article.family)][1] += fold(line.text) not in text_set

        # Invariant: every non-blank input line ends up somewhere.
        n, c = fold(line.text), core(line.text)
        accounted = (
            n in text_set or n in boiler_set or n == title or n in captions
            or (c and (c in text_cores or c == core(title) or c in {core(x) for x in captions + boiler}))
            or any(len(x) >= 8 and x in n for x in text_lines + captions + [title])
            or any(n in b for b in boiler if b)
            or (line.label == "body" and any(kept(v) for v in line.variants))
        )
        if not accounted:
            t.unaccounted += 1
            errors["unaccounted"].append(f"{where} line {number} [{line.label}]: {line.text[:140]}")

    checks = [
        ("title", article.title, art.title, lambda a, b: fold(a) == fold(b)),
        ("url", article.url, art.url, same_url),
        ("date", article.date, art.date_published, lambda a, b: (a or None) == (b or None)),
        ("publisher_url", article.publisher_url, getattr(art, "publisher_url", None), same_host),
    ]
    for name, expected, got, same in checks:
        ok = same(expected, got) if expected is not None else got in (None, "")
        t.totals[name + ":all"] += 1
        t.hits[name + ":all"] += ok
        if expected is not None:
            t.totals[name + ":set"] += 1
            t.hits[name + ":set"] += ok
        if not ok and name != "publisher_url":
            extra = f" [{article.date_case}]" if name == "date" else ""
            errors[name].append(f"{where}{extra}: expected {expected!r}, got {got!r}")
    return t


# --- report -----------------------------------------------------------------------------------


def pct(hits: int, total: int) -> str:
    return f"{100 * hits / total:5.1f}" if total else "    -"


def ratio(hits: int, total: int) -> str:
    return f"{hits}/{total} {pct(hits, total).strip()}%" if total else "-"


def table(rows: list[tuple[str, Tally]]) -> str:
    head = ("group", "articles", "furniture removed", "captions found", "body removed", "title all/set",
            "url all/set", "date all/set", "pub url set", "unaccounted")
    body = []
    for name, t in rows:
        def both(key: str) -> str:
            return f"{pct(t.hits[key + ':all'], t.totals[key + ':all'])}/{pct(t.hits[key + ':set'], t.totals[key + ':set']).strip()}"
        body.append((
            name, str(t.articles), ratio(t.furniture_removed, t.furniture), ratio(t.captions_found, t.captions),
            ratio(t.body_removed, t.body).replace("%", "% "), both("title"), both("url"), both("date"),
            pct(t.hits["publisher_url:set"], t.totals["publisher_url:set"]).strip(), str(t.unaccounted),
        ))
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    fmt = lambda r: "  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(r, widths)))  # noqa: E731
    return "\n".join([fmt(head), "  ".join("-" * w for w in widths), *map(fmt, body)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(default_data_dir()), help="folder of the dev files")
    parser.add_argument("--seed", type=int, default=13, help="seed of the generator (default 13)")
    parser.add_argument("--per-language", type=int, default=200,
                        help="articles a language; bodies are reused, wrapped afresh, when there are fewer")
    parser.add_argument("--show-errors", type=int, default=0, help="list the first N errors of each kind")
    parser.add_argument("--stand-in", action="store_true", help="use a trivial built-in extractor (harness check)")
    args = parser.parse_args()

    data = Path(args.data)
    missing = [name for name in DATA_FILES.values() if not (data / name).is_file()]
    if missing:
        print(f"eval_extract: {', '.join(missing)} not found in {data} — pass --data DIR (the folder with "
              f"{', '.join(DATA_FILES.values())}) or set NEWSINGEST_DEV_DATA", file=sys.stderr)
        return 2

    if args.stand_in:
        extract, which = stand_in_extract, "stand-in (benchmarks/eval_extract.py)"
    else:
        try:
            from newsingest.stages.extract import extract_article as extract
        except ImportError as exc:
            print(f"eval_extract: cannot import newsingest.stages.extract.extract_article ({exc}); "
                  "use --stand-in to check the harness", file=sys.stderr)
            return 2
        which = "newsingest.stages.extract.extract_article"

    articles = generate(load_bodies(data, args.seed), args.seed, args.per_language)
    errors: dict[str, list[str]] = defaultdict(list)
    kinds: dict = defaultdict(lambda: [0, 0])
    by_group: dict[str, Tally] = defaultdict(Tally)
    by_case: dict[str, Counter] = defaultdict(Counter)
    started = time.perf_counter()
    for article in articles:
        try:
            art = extract(article.body)
        except Exception as exc:  # noqa: BLE001 - a crash is a result to report, not a reason to stop
            errors["crash"].append(f"{article.id}: {type(exc).__name__}: {exc}")
            art = StandInArticle(text="")
            crashed = True
        else:
            crashed = False
        t = score(article, art, errors, kinds)
        t.crashes = int(crashed)
        for group in (article.lang, article.family, "all"):
            by_group[group].add(t)
        by_case[article.date_case]["n"] += 1
        by_case[article.date_case]["ok"] += (article.date or None) == (getattr(art, "date_published", None) or None)
    elapsed = time.perf_counter() - started

    print(f"extractor: {which}")
    print(f"seed: {args.seed}   articles: {len(articles)} ({args.per_language} a language)   "
          f"template families: " + ", ".join(f"{f} {by_group[f].articles}" for f in (COMMON, HELD_OUT)))
    print()
    rows = [(lang, by_group[lang]) for lang in LANGS if by_group[lang].articles] + [("all", by_group["all"])]
    rows += [(f"family {f}", by_group[f]) for f in (COMMON, HELD_OUT)]
    print(table(rows))
    total = by_group["all"]
    print()
    print(f"invariant: lines unaccounted: {total.unaccounted} of {total.lines} non-blank lines   "
          f"crashes: {total.crashes}")
    print("date by case: " + "   ".join(
        f"{case} {pct(c['ok'], c['n']).strip()}% of {c['n']}" for case, c in sorted(by_case.items())))
    print()
    print("furniture removed by kind (lines, % removed; common | held_out templates):")
    for kind in sorted({k for k, _ in kinds}):
        cells = []
        for family in (COMMON, HELD_OUT):
            n, removed = kinds.get((kind, family), (0, 0))
            cells.append(f"{n:5d} {pct(removed, n)}%")
        print(f"  {kind:16s} {cells[0]}  | {cells[1]}")
    print("  ((title line): the headline line itself, kept in the text when not removed)")

    if args.show_errors:
        for name in ERROR_KINDS:
            if errors[name]:
                print(f"\n{name}: {len(errors[name])}, first {min(args.show_errors, len(errors[name]))}")
                for entry in errors[name][: args.show_errors]:
                    print("  " + entry)
    print(f"eval_extract: {len(articles)} articles extracted in {elapsed:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
