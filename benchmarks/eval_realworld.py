"""Extraction figures on real scraped news (benchmarks/realworld/): the four figures of the issue.

    python benchmarks/eval_realworld.py [--data DIR] [--show-errors N] [--newsingest CMD] [-j N]

Why: the generated-furniture evaluation only meets furniture we wrote. Here the pages are news that
scrapers collected from real sites, laid out as a scraper writes them (benchmarks/realworld/build.py
and SOURCES.md), with the role of every line known. The script runs `newsingest split` as a
subprocess (by default the package of this checkout: `python -m newsingest` with this repository
first on PYTHONPATH; `--newsingest CMD` runs another, e.g. an installed `newsingest`) on
DIR/pages/*.txt and DIR/body/*.txt and compares its records with DIR/truth/*.jsonl:

  title        page dumps whose `title` is the headline line
  title FP     body-only members (no headline) that got a `title` anyway
  date         pages whose date line is numeric and settled (unambiguous, or ambiguous with an
               update stamp of the same page): `date_published` right / wrong day / missing; a
               wrong day on any page counts; textual date lines reported beside, as information
  ambiguous ok numeric dates with day and month both <= 12: right when the page gives evidence,
               null when it does not (details: right / wrong / missing, and null / guessed / wrong)
  furniture    furniture lines (real ones kept by the scrapers, and the date and source lines the
               build added) that are still a line of `text` (goal <= 2%)
  body lost    true body lines of the page dumps that are not in `text` (goal <= 0.1%), by the
               `boilerplate` reason (or captions/title) that took them; body-only members beside

Lines are compared after NFC, removing zero-width and bidirectional marks (ZWNJ included, so a
ZWNJ fix does not count as a loss), and collapsing white space. A body line also counts as kept when
it stands inside a longer line of `text` (a line joined with its neighbour is not lost).

DIR defaults to $NEWSINGEST_REALDATA, else benchmarks/realworld/data. Without data: with an
explicit --data the script says so and exits 2; with the default it prints how to build the data
and exits 0, so that `make eval` goes on. Output is the same for the same data and code.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from newsingest.script import INVISIBLE  # noqa: E402  (the characters that show nothing)
DEFAULT_DATA = ROOT / "benchmarks" / "realworld" / "data"
BUILD_HINT = ("missing data: run benchmarks/realworld/build.py --mirror SNAPSHOTS --out benchmarks/realworld/data "
              "(sources and commits in benchmarks/realworld/SOURCES.md), or pass --data DIR / make eval REALDATA=DIR")
GOALS = {"title": ">= 97%", "date": ">= 97%, 0 wrong days", "furniture": "<= 2%", "body": "<= 0.1%"}

_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))
_SPACE = re.compile(r"\s+")


def norm(line: str | None) -> str:
    if line is None:
        return ""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", line).translate(_INVISIBLE).replace("\u00a0", " ")).strip()


def run_split(cmd: list[str], files: list[Path], jobs: int) -> dict[tuple[str, str], dict]:
    """Records by (container stem, member id), from one `newsingest split` run over FILES."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    proc = subprocess.run([*cmd, "split", "-q", "-j", str(jobs), *map(str, files)], capture_output=True, env=env)
    if proc.returncode not in (0, 1) or not proc.stdout:
        sys.stderr.write(proc.stderr.decode("utf-8", "replace")[-2000:])
        raise SystemExit(f"eval_realworld: `{' '.join(cmd)} split` failed (exit {proc.returncode})")
    records = {}
    for raw in proc.stdout.decode("utf-8").splitlines():
        rec = json.loads(raw)
        container = Path(rec["source"]["container"])
        records[(container.parent.name, container.stem, rec["source"]["member"])] = rec
    return records


def ending(title: str) -> str:
    t = title.rstrip()
    for end, name in (("...", "…"), ("…", "…"), ("؟", "؟"), ("?", "?"), ("!", "!"), (".", "."), (":", ":"), ("»", "»"), ("\"", "quote")):
        if t.endswith(end):
            return name
    return "other"


class Tally:
    """Counts of one row of the table (overall, a language, a source, a site)."""

    def __init__(self):
        self.c = Counter()

    def pct(self, num: str, den: str) -> str:
        n, d = self.c[num], self.c[den]
        return f"{n}/{d} {100.0 * n / d:.1f}%" if d else "-"


def evaluate(data: Path, records: dict, show: int) -> None:
    rows: dict[tuple, Tally] = defaultdict(Tally)
    examples: dict[str, list[str]] = defaultdict(list)
    reasons_lost: dict[str, Counter] = defaultdict(Counter)

    def note(kind: str, text: str):
        if len(examples[kind]) < show:
            examples[kind].append(text)

    for truth_file in sorted((data / "truth").glob("*.jsonl")):
        for raw in truth_file.open(encoding="utf-8"):
            t = json.loads(raw)
            folder = "pages" if t["variant"] == "page" else "body"
            rec = records.get((folder, truth_file.stem, t["member"]))
            keys = [("all",), ("lang", t["language"]), ("source", t["source"]), ("site", t["source"], t["site"])]
            tallies = [rows[k] for k in keys]

            def add(name, n=1):
                for tl in tallies:
                    tl.c[name] += n

            where = f"{truth_file.stem} {t['member']}"
            if rec is None:
                add("missing_record")
                note("no record", where)
                continue
            text_lines = [norm(x) for x in (rec.get("text") or "").split("\n")]
            text_set = set(text_lines)
            text_all = "\n".join(text_lines)
            boiler = {}
            for b in rec.get("boilerplate") or []:
                boiler.setdefault(norm(b["text"]), b["reason"])
            captions = {norm(c) for c in rec.get("captions") or []}

            if t["variant"] == "page":
                add("pages")
                got = norm(rec.get("title"))
                if got == norm(t["title"]):
                    add("title_ok")
                elif not got:
                    end = ending(t["title"])
                    add("title_missing")
                    add(f"title_missing_end_{end}")
                    note(f"title missing (headline ends in {end})", f"{where}: {t['title']!r}")
                else:
                    add("title_wrong")
                    note("title wrong", f"{where}: want {t['title']!r}, got {rec.get('title')!r}")
                got_date = rec.get("date_published")
                if t["date"] and t["date_numeric"]:
                    order = t.get("date_order") or "ymd"
                    if t.get("date_ambiguous"):
                        add("date_amb")
                    if t.get("date_ambiguous") and not t.get("date_evidence"):
                        # Nothing on the page settles day and month: the goal is no date at all.
                        add("date_amb_open")
                        if not got_date:
                            add("date_amb_open_null")
                            add("date_amb_good")
                        elif got_date == t["date"]:
                            add("date_amb_open_guessed")
                            note("ambiguous date guessed", f"{where}: line {t['date_line']!r} -> {got_date}")
                        else:
                            add("date_wrong")
                            add("date_amb_open_wrong")
                            note("numeric date wrong day", f"{where}: line {t['date_line']!r} -> {got_date}, want none (ambiguous)")
                    else:
                        add("date_numeric")
                        add(f"date_numeric_{order}")
                        if got_date == t["date"]:
                            add("date_ok")
                            add(f"date_ok_{order}")
                            if t.get("date_ambiguous"):
                                add("date_amb_good")
                        elif got_date:
                            add("date_wrong")
                            add(f"date_wrong_{order}")
                            note("numeric date wrong day", f"{where}: line {t['date_line']!r} -> {got_date}, want {t['date']}")
                        else:
                            add("date_missing")
                            add(f"date_missing_{order}")
                            note("numeric date missing", f"{where}: line {t['date_line']!r}, want {t['date']}")
                        if t.get("date_ambiguous"):
                            add("date_amb_settled")
                            add("date_amb_settled_" + ("ok" if got_date == t["date"] else "wrong" if got_date else "missing"))
                elif t["date"]:
                    add("date_text")
                    if got_date == t["date"]:
                        add("date_text_ok")
                    elif got_date:
                        add("date_text_wrong")
                        note("textual date wrong day", f"{where}: line {t['date_line']!r} -> {got_date}, want {t['date']}")
                    else:
                        note("textual date missing", f"{where}: line {t['date_line']!r}, want {t['date']}")
                elif got_date:
                    add("date_undated_set")  # no date line: the date came from the body (a dateline), not judged
                if norm(rec.get("url")) == norm(t["url"]):
                    add("url_ok")
                for line in t["furniture_lines"]:
                    kind = "date line" if line in (t["date_line"], t.get("updated_line")) else ("source line" if re.match(r"^\S+: https?://", line) and line.endswith(t["url"]) else "real")
                    add("furniture")
                    add(f"furniture_{kind}")
                    if norm(line) in text_set:
                        add("furniture_left")
                        add(f"furniture_left_{kind}")
                        note(f"furniture left ({kind})", f"{where}: {line[:160]!r}")
            else:
                add("bodies")
                if rec.get("title"):
                    add("title_fp")
                    note("title taken from a body-only member", f"{where}: {rec['title'][:160]!r}")

            prefix = "" if t["variant"] == "page" else "bodyonly_"
            for line in t["body_lines"]:
                n = norm(line)
                add(prefix + "body")
                if n in text_set or (n and n in text_all):
                    continue
                add(prefix + "body_lost")
                if n in boiler:
                    reason = boiler[n]
                elif n in captions:
                    reason = "caption"
                elif n == norm(rec.get("title")):
                    reason = "title"
                else:
                    reason = "changed/other"
                if not prefix:
                    reasons_lost[t["language"]][reason] += 1
                    reasons_lost["all"][reason] += 1
                note(f"body lost ({reason})", f"{where} [{t['variant']}]: {line[:160]!r}")

    def line(label: str, tl: Tally) -> str:
        c = tl.c
        date = f"{c['date_ok']}/{c['date_numeric']} {100.0 * c['date_ok'] / c['date_numeric']:.1f}% wrong {c['date_wrong']} missing {c['date_missing']}" if c["date_numeric"] else "-"
        ambiguous = f"{c['date_amb_good']}/{c['date_amb']}" if c["date_amb"] else "-"
        return (f"{label:34} title {tl.pct('title_ok', 'pages'):>17}  FP {c['title_fp']:>3}/{c['bodies']:<4} "
                f"date {date:>38} ambiguous ok {ambiguous:>7}  furniture left {tl.pct('furniture_left', 'furniture'):>17}  body lost {tl.pct('body_lost', 'body'):>17}")

    print("Real-world extraction figures (benchmarks/realworld; goals: title " + GOALS["title"] + ", numeric date "
          + GOALS["date"] + ", furniture left " + GOALS["furniture"] + ", body lost " + GOALS["body"] + ")")
    print(line("overall", rows[("all",)]))
    print("by language:")
    for k in sorted(k for k in rows if k[0] == "lang"):
        print(line("  " + k[1], rows[k]))
    print("by source / site:")
    for k in sorted(k for k in rows if k[0] == "source"):
        print(line("  " + k[1], rows[k]))
        for s in sorted(s for s in rows if s[0] == "site" and s[1] == k[1]):
            print(line("    " + s[2], rows[s]))

    c = rows[("all",)].c
    print("\ndetails (overall):")
    print(f"  url right: {rows[('all',)].pct('url_ok', 'pages')}")
    print(f"  body lines lost in body-only members (the first line taken as a title, mostly): {rows[('all',)].pct('bodyonly_body_lost', 'bodyonly_body')}")
    print("  titles missing by headline ending: " + ", ".join(f"{k.rsplit('_', 1)[1]} {v}" for k, v in sorted(c.items()) if k.startswith("title_missing_end_")) + f"; titles wrong: {c['title_wrong']}")
    print("  numeric dates the page settles, by order: " + ", ".join(
        f"{o} right {c['date_ok_' + o]}/{c['date_numeric_' + o]} wrong {c['date_wrong_' + o]} missing {c['date_missing_' + o]}"
        for o in ("ymd", "dmy", "mdy")))
    print(f"  ambiguous numeric dates (day and month both <= 12): {c['date_amb']}; with evidence on the page (an update stamp "
          f"in the same style): right {c['date_amb_settled_ok']}/{c['date_amb_settled']} wrong {c['date_amb_settled_wrong']} "
          f"missing {c['date_amb_settled_missing']}; without: null {c['date_amb_open_null']}/{c['date_amb_open']} (the goal), "
          f"guessed right {c['date_amb_open_guessed']}, wrong day {c['date_amb_open_wrong']}")
    print(f"  textual date lines: right {c['date_text_ok']}/{c['date_text']}, wrong day {c['date_text_wrong']}; pages without a date line that got a date (from the body): {c['date_undated_set']}")
    print("  furniture left by kind: " + ", ".join(f"{kind} {c['furniture_left_' + kind]}/{c['furniture_' + kind]}" for kind in ("real", "date line", "source line")))
    for lang in sorted(reasons_lost):
        print(f"  body lines lost by reason ({lang}): " + (", ".join(f"{r} {n}" for r, n in reasons_lost[lang].most_common()) or "none"))
    if c["missing_record"]:
        print(f"  members without a record: {c['missing_record']}")
    if show:
        for kind in sorted(examples):
            print(f"\n== {kind} (first {len(examples[kind])})")
            for e in examples[kind]:
                print("  " + e)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, help="the built set (default: $NEWSINGEST_REALDATA or benchmarks/realworld/data)")
    ap.add_argument("--show-errors", type=int, default=0, metavar="N", help="print N examples of each failure kind")
    ap.add_argument("--newsingest", default=f"{sys.executable} -m newsingest", help="the command to run (default: this checkout's package)")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    args = ap.parse_args(argv)

    explicit = args.data is not None or bool(os.environ.get("NEWSINGEST_REALDATA"))
    data = args.data or Path(os.environ.get("NEWSINGEST_REALDATA") or DEFAULT_DATA)
    if not (data / "truth").is_dir() or not (data / "pages").is_dir():
        print(f"eval_realworld: {BUILD_HINT} ({data} has no pages/ and truth/)", file=sys.stderr if explicit else sys.stdout)
        return 2 if explicit else 0
    files = sorted((data / "pages").glob("*.txt")) + sorted((data / "body").glob("*.txt"))
    records = run_split(args.newsingest.split(), files, args.jobs)
    evaluate(data, records, args.show_errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
