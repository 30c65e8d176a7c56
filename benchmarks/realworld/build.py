"""Build the real-world extraction development set from fetched snapshots of public news datasets.

    python benchmarks/realworld/build.py --mirror DIR [DIR ...] --out DIR [--seed 20250724] [--per-source 300]

Why: the generated-furniture evaluation (benchmarks/eval_extract.py) only measures furniture we wrote
ourselves. This set is made of news that scrapers collected from real sites (SOURCES.md), in the form
a scraper writes a page: the headline line exactly as the site wrote it, for a seeded share of pages
a date line in the site's own style, the body paragraphs with the real furniture the scraper kept,
and a labelled source line. Every line's role is known, so the evaluation is exact.

--mirror takes the git directories of the snapshots, or folders that hold them as OWNER+NAME/repo
(the layout of a mirror folder). Nothing is fetched: the script only reads local snapshots at the
commits pinned in SOURCES (a missing snapshot or commit is said clearly, exit status 2).

Output (DIR):
  pages/SOURCE.txt    containers of page dumps (member name SITE/ID)
  body/SOURCE.txt     the same articles, body lines only (a headline found there is a false positive)
  truth/SOURCE.jsonl  one line per member and variant: title, url, date (YYYY-MM-DD or null),
                      date_numeric, date_line, date_order (ymd, dmy, mdy or null for a textual date),
                      date_ambiguous (day and month both 12 or less and unequal, year last),
                      date_evidence (an update stamp in the same style settles the order),
                      updated_line, body_lines, furniture_lines, site, language
  manifest.json       sources, commits, counts, seed

Same snapshots and seed, same bytes: selection is by a seeded hash of each article's URL (the
lowest N per source, kept in a bounded heap while the source streams past, one data file at a time);
every other random choice comes from a generator seeded by the member name.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import hashlib
import heapq
import io
import json
import random
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks/, for the snapshot reader
from snapshots import Missing, Snapshot, Source, find_snapshot  # noqa: E402

csv.field_size_limit(1 << 26)

DEFAULT_SEED = 20250724
DATE_SHARE = 0.75  # share of pages (of sources that give a date) that state it on a date line
UPDATED_SHARE = 0.4  # share of pages with a numeric day/month date line that also print a later update stamp
UPDATED_LABEL = {"ar": "آخر تحديث"}


# --- snapshots ------------------------------------------------------------------------------------


SOURCES = [
    Source("saudinewsnet", "parallelfold/SaudiNewsNet", "4e39239966c2ae8a3faa591201acb9cd1f51199d",
           "CC BY-NC-SA 4.0 (dataset); articles owned by their newspapers", language="ar"),
    Source("farsnews", "language-ml/course-nlp-ir-1-text-exploring", "48c7d56a33a6f75709e90b001529bf7705420674",
           "Apache-2.0 (repository LICENSE); articles owned by Fars News Agency", language="fa"),
    Source("varzesh3", "language-ml/course-nlp-ir-1-text-exploring", "48c7d56a33a6f75709e90b001529bf7705420674",
           "Apache-2.0 (repository LICENSE); articles owned by Varzesh3", language="fa"),
    Source("urdunews", "azaan-imran192/Urdu-News-Articles", "6773082b0579b603b905849762970786134753d9",
           "no licence stated", language="ur"),
    Source("detik", "Mukhammad-develop/lang_scrape", "fa39f0fa1bcc828c9e934d4e9f96f84262aa3404",
           "no licence stated", language="id"),
]


# --- articles -------------------------------------------------------------------------------------


@dataclass
class Article:
    """One article as its source stores it: lines labelled body or furniture, in page order."""

    source: str
    site: str
    language: str
    title: str
    url: str
    lines: list[tuple[str, str]]  # (kind, text), kind "body" or "furniture"
    date: datetime.datetime | None = None
    calendar: str = "gregorian"  # the site's own calendar, for its date line
    key: str = field(default="", repr=False)


def _clean(line: str) -> str:
    return line.replace("\r", "").replace("\u00a0", " ").strip()


# In every source: a line without a letter or digit (a rule, a stray mark), or a bare URL.
GENERIC_FURNITURE = re.compile(r"^(?:[^\w]*|https?://\S+)$")


def _labelled(lines, furniture: re.Pattern | None) -> list[tuple[str, str]]:
    out = []
    for line in lines:
        line = _clean(line)
        if not line:
            continue
        known = GENERIC_FURNITURE.match(line) or (furniture and furniture.search(line))
        out.append(("furniture" if known else "body", line))
    return out


# Furniture the scrapers kept, told by lines seen again and again in each source (SOURCES.md).
SAUDI_FURNITURE = re.compile(
    r"^(?:للتواصل مع الكاتب ارسل رسالة SMS|للتواصل أرسل sms إلى \d+|\d{5,6} - (?:Stc|Mobily|Zain)"
    r"|تبدأ بالرمز \(\d+\) ثم مسافة ثم نص الرسالة إلى|\.\.\.المزيد|لقراءة .{0,30}أنقر هن+ا"
    r"|[^\s–-][^–]{1,40} – عين اليوم|عين اليوم – [^–]{2,25}|[*\s]+|\S+@\S+\.\w+|/+ ?انتهى ?/+)$",
    re.IGNORECASE,
)
FARS_FURNITURE = re.compile(
    r"^(?:انتها[یي]\s*(?:\u200c)?\s*(?:پيام|پیام|متن)\s*/.*|/?انتهای پیام/?|بازگشت به صفحه نخست.*"
    r"|[=*.\-_\s]+|ادامه دارد\.\.\.|عکس\s*:\s*[^:.]{2,40}|منبع\s*:\s*[^:/.]{2,50})$"
)
DETIK_FURNITURE = re.compile(
    r"^(?:-|(?:Berlanjut|Bersambung) (?:ke|di) halaman (?:berikutnya|selanjutnya).*"
    r"|(?:Simak|Baca) (?:berita )?selengkapnya di (?:sini|halaman (?:berikutnya|selanjutnya))\.*"
    r"|Klik halaman (?:berikutnya|selanjutnya) >+|Saksikan juga\b.*|Ikuti (?:berita|perkembangan)\b.*di Google News \.?"
    r"|Baca juga\s*:.*|ADVERTISEMENT|SCROLL TO (?:CONTINUE|RESUME) WITH CONTENT|\([a-z]{2,5}(?:/[a-z]{2,5})*\))$"
)


def read_saudinewsnet(snap: Snapshot, src: Source):
    for path in snap.paths(r"dataset/\d{4}-\d{2}-\d{2}\.zip"):
        with zipfile.ZipFile(io.BytesIO(snap.read(path))) as z:
            for name in sorted(z.namelist()):
                for row in json.loads(z.read(name).decode("utf-8")):
                    title, url = _clean(row.get("title") or ""), _clean(row.get("url") or "")
                    try:
                        date = datetime.datetime.strptime(row.get("date_extracted", ""), "%Y-%m-%d %H:%M:%S")
                    except ValueError:
                        date = None
                    yield Article(src.name, row.get("source") or "unknown", src.language, title, url,
                                  _labelled((row.get("content") or "").split("\n"), SAUDI_FURNITURE), date)


def _jalali_to_gregorian(jy: int, jm: int, jd: int) -> datetime.date:
    """Solar Hijri to Gregorian by day count (the 33-year arithmetic rule, exact for 1300-1473)."""
    jy += 1595
    days = -355668 + 365 * jy + (jy // 33) * 8 + ((jy % 33) + 3) // 4 + jd
    days += (jm - 1) * 31 if jm < 7 else (jm - 7) * 30 + 186
    gy = 400 * (days // 146097)
    days %= 146097
    if days > 36524:
        days -= 1
        gy += 100 * (days // 36524)
        days %= 36524
        if days >= 365:
            days += 1
    gy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        gy += (days - 1) // 365
        days = (days - 1) % 365
    gd = days + 1
    leap = (gy % 4 == 0 and gy % 100 != 0) or gy % 400 == 0
    for gm, n in enumerate([31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], 1):
        if gd <= n:
            return datetime.date(gy, gm, gd)
        gd -= n
    raise ValueError("day out of range")


def fars_date(url: str) -> tuple[int, int, int] | None:
    """Fars news codes start with the solar date: 13911222000865 (1391/12/22), 8203150021 (1382/03/15)."""
    m = re.search(r"/news/(\d{10,14})", url)
    if not m:
        return None
    code = m.group(1)
    y, mo, d = (int(code[:4]), int(code[4:6]), int(code[6:8])) if code.startswith("13") and len(code) >= 12 \
        else (1300 + int(code[:2]), int(code[2:4]), int(code[4:6]))
    if not (1370 <= y <= 1405 and 1 <= mo <= 12 and 1 <= d <= (31 if mo <= 6 else 30)):
        return None
    return y, mo, d


def read_course_json(snap: Snapshot, src: Source, pattern: str, site: str):
    for path in snap.paths(pattern):
        for row in json.loads(snap.read(path).decode("utf-8")):
            url = _clean(row.get("link") or "")
            # The lead opens with the agency's label on a line of its own ("خبرگزاري فارس :\n..."): the
            # page shows them as one line. Other paragraphs keep their own line breaks.
            lead = re.sub(r"^(\s*خبرگزار[یي] فارس\s*:)\s*\n\s*", r"\1 ", row.get("abstract") or "")
            paras = [x for p in [lead, *(row.get("paragraphs") or [])] for x in p.split("\n")]
            lines = _labelled(paras, FARS_FURNITURE)
            art = Article(src.name, site, src.language, _clean(row.get("title") or ""), url, lines)
            jal = fars_date(url) if site == "farsnews" else None
            if jal:
                g = _jalali_to_gregorian(*jal)
                art.date, art.calendar = datetime.datetime(g.year, g.month, g.day), "solar"
                art.key = "%04d/%02d/%02d" % jal
            yield art


_URDU_SENTENCE = re.compile(r"(?<=[۔؟!])\s+")


def read_urdunews(snap: Snapshot, src: Source):
    """The scraper joined each page's paragraphs with spaces; we cut it again at sentence ends, two to a line."""
    with zipfile.ZipFile(io.BytesIO(snap.read("Group4_Project .zip"))) as z:
        text = z.read("output_file.csv").decode("utf-8-sig")
    for row in csv.DictReader(io.StringIO(text)):
        url = _clean(row.get("link") or "")
        sentences = [s for s in _URDU_SENTENCE.split(_clean(re.sub(r"\s+", " ", row.get("content") or ""))) if s]
        paras = [" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2)]
        site = (re.match(r"https?://([^/]+)", url) or [None, "unknown"])[1].removeprefix("www.")
        yield Article(src.name, site, src.language, _clean(row.get("title") or ""), url, _labelled(paras, None))


def read_detik(snap: Snapshot, src: Source):
    """Page dumps already: the headline is the first line, then the scraped page as it was."""
    for raw in snap.read("id/from_client/sample_1000.jsonl").decode("utf-8").splitlines():
        if not raw.strip():
            continue
        row = json.loads(raw)
        lines = (row.get("text") or "").replace("\r", "").split("\n")
        url = _clean(row.get("source_url") or "")
        site = (re.match(r"https?://([^/]+)", url) or [None, "unknown"])[1].removeprefix("www.")
        yield Article(src.name, site, src.language, _clean(lines[0]), url, _labelled(lines[1:], DETIK_FURNITURE))


READERS = {
    "saudinewsnet": read_saudinewsnet,
    "farsnews": lambda s, src: read_course_json(s, src, r"exploring-datasets/news/fars-news-\d+\.json", "farsnews"),
    "varzesh3": lambda s, src: read_course_json(s, src, r"exploring-datasets/sports/varzesh3-\d+\.json", "varzesh3"),
    "urdunews": read_urdunews,
    "detik": read_detik,
}


# --- pages ----------------------------------------------------------------------------------------

AR_MONTHS = "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر".split()
AR_DAYS = "الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد".split()
FA_SOLAR = "فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند".split()
FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
SOURCE_LABEL = {"ar": "المصدر", "fa": "منبع", "id": "Sumber", "ur": "ماخذ"}


def month_first_site(site: str) -> bool:
    """Sites that print numeric dates month first, as US-made systems do (a fixed hash of the name)."""
    return int(hashlib.sha1(f"month-first:{site}".encode("utf-8")).hexdigest(), 16) % 2 == 0


def numeric_stamp(d: datetime.datetime, order: str, with_time: bool) -> str:
    """`24/07/2015 19:30` day first (zero-padded), `7/24/2015 19:30` month first (as US systems print it)."""
    text = f"{d.month}/{d.day}/{d.year}" if order == "mdy" else d.strftime("%d/%m/%Y")
    return f"{text} {d:%H:%M}" if with_time else text


def date_line(art: Article, rng: random.Random) -> tuple[str, bool, str]:
    """A date line in the site's own style; returns (line, numeric, order), order "ymd", "dmy", "mdy" or ""."""
    d = art.date
    if art.calendar == "solar":
        y, mo, da = (int(x) for x in art.key.split("/"))
        style = rng.choice(["jalali_numeric", "jalali_numeric_fa", "jalali_text", "iso"])
        if style == "jalali_numeric":
            return f"{y:04d}/{mo:02d}/{da:02d}", True, "ymd"
        if style == "jalali_numeric_fa":
            return f"{y:04d}/{mo:02d}/{da:02d} - {rng.randint(7, 22):02d}:{rng.choice([0, 15, 30, 45]):02d}".translate(FA_DIGITS), True, "ymd"
        if style == "jalali_text":
            return f"{da} {FA_SOLAR[mo - 1]} {y}".translate(FA_DIGITS), False, ""
        return d.strftime("%Y-%m-%d"), True, "ymd"
    style = rng.choice(["iso", "dmy_time", "dmy", "text", "text_weekday"])
    if style == "iso":
        return d.strftime("%Y-%m-%d"), True, "ymd"
    if style in ("dmy_time", "dmy"):
        order = "mdy" if month_first_site(art.site) else "dmy"
        return numeric_stamp(d, order, style == "dmy_time"), True, order
    text = f"{d.day} {AR_MONTHS[d.month - 1]} {d.year}"
    return (f"{AR_DAYS[d.weekday()]} {text}" if style == "text_weekday" else text), False, ""


def updated_line(art: Article, order: str, seed: int, name: str) -> str | None:
    """For a share of pages with a numeric day/month date line: an `آخر تحديث:` stamp in the same
    style, a few days later on a day over 12, so its numbers show the site's day/month order."""
    rng = random.Random(f"{seed}:{name}:updated")  # apart from the page's generator: other choices stay
    if order not in ("dmy", "mdy") or rng.random() >= UPDATED_SHARE:
        return None
    later = art.date + datetime.timedelta(days=1)
    while later.day <= 12:
        later += datetime.timedelta(days=1)
    later = later.replace(hour=rng.randint(7, 22), minute=rng.choice([0, 5, 20, 40]))
    return f"{UPDATED_LABEL[art.language]}: {numeric_stamp(later, order, True)}"


def member_name(art: Article) -> str:
    return f"{art.site}/{hashlib.sha1(art.url.encode('utf-8')).hexdigest()[:12]}"


def page(art: Article, seed: int) -> tuple[list[str], dict]:
    """The page dump and its truth: headline, [date line], lines in page order, source line."""
    name = member_name(art)
    rng = random.Random(f"{seed}:{name}")
    out, furniture = [art.title], []
    truth = {"member": name, "variant": "page", "source": art.source, "site": art.site, "language": art.language,
             "title": art.title, "url": art.url, "date": None, "date_numeric": None, "date_line": None,
             "date_order": None, "date_ambiguous": None, "date_evidence": None}
    updated = None
    if art.date is not None and rng.random() < DATE_SHARE:
        line, numeric, order = date_line(art, rng)
        out.append(line)
        furniture.append(line)
        d = art.date
        ambiguous = order in ("dmy", "mdy") and d.day <= 12 and d.day != d.month
        updated = updated_line(art, order, seed, name)
        truth.update(date=art.date.strftime("%Y-%m-%d"), date_numeric=numeric, date_line=line,
                     date_order=order or None, date_ambiguous=ambiguous, date_evidence=updated is not None)
    for kind, text in art.lines:
        out.append(text)
        (furniture if kind == "furniture" else truth.setdefault("body_lines", [])).append(text)
    if updated is not None:
        out.append(updated)
        furniture.append(updated)
        truth["updated_line"] = updated
    label = SOURCE_LABEL[art.language] if rng.random() < 0.85 else "Source"
    source_line = f"{label}: {art.url}"
    out.append(source_line)
    furniture.append(source_line)
    truth.setdefault("body_lines", [])
    truth["furniture_lines"] = furniture
    return out, truth


def body_only(art: Article) -> tuple[list[str], dict]:
    body = [text for kind, text in art.lines if kind == "body"]
    return body, {"member": member_name(art), "variant": "body", "source": art.source, "site": art.site,
                  "language": art.language, "title": None, "url": None, "date": None, "date_numeric": None,
                  "date_line": None, "date_order": None, "date_ambiguous": None, "date_evidence": None,
                  "body_lines": body, "furniture_lines": []}


def usable(art: Article) -> bool:
    body = [t for k, t in art.lines if k == "body"]
    return bool(art.title and art.url.startswith("http") and body and sum(len(t) for t in body) >= 200
                and not any(t.startswith("<<<") for _, t in art.lines) and not art.title.startswith("<<<"))


def sample(articles, n: int, seed: int) -> list[Article]:
    """The N articles with the lowest seeded hash of their URL, held in a bounded heap (one URL once)."""
    heap: list[tuple[int, str, Article]] = []
    seen: set[str] = set()
    for art in articles:
        if not usable(art) or art.url in seen:
            continue
        seen.add(art.url)
        h = -int.from_bytes(hashlib.sha256(f"{seed}:{art.url}".encode("utf-8")).digest()[:8], "big")
        if len(heap) < n:
            heapq.heappush(heap, (h, art.url, art))
        elif h > heap[0][0]:
            heapq.heapreplace(heap, (h, art.url, art))
    return sorted((a for _, _, a in heap), key=member_name)


def write_container(path: Path, members: list[tuple[str, list[str]]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for name, lines in members:
            f.write(f"<<<FILE {name}>>>\n" + "\n".join(lines) + "\n<<<END>>>\n\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mirror", nargs="+", type=Path, required=True, help="snapshot git dirs, or folders holding OWNER+NAME/repo")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--per-source", type=int, default=300)
    ap.add_argument("--only", default="", help="comma-separated source names")
    args = ap.parse_args(argv)

    missing = [str(m) for m in args.mirror if not m.exists()]
    if missing:
        print("build: missing snapshot path(s): " + ", ".join(missing) + " (fetch the repositories listed in benchmarks/realworld/SOURCES.md)", file=sys.stderr)
        return 2
    wanted = [s for s in SOURCES if not args.only or s.name in args.only.split(",")]
    try:
        snaps = {s.name: find_snapshot(args.mirror, s.repo, s.commit) for s in wanted}
    except Missing as e:
        print(f"build: {e}; fetch it (SOURCES.md) and pass its folder to --mirror", file=sys.stderr)
        return 2

    for sub in ("pages", "body", "truth"):
        (args.out / sub).mkdir(parents=True, exist_ok=True)
    manifest = {"seed": args.seed, "per_source": args.per_source, "sources": []}
    for src in wanted:
        chosen = sample(READERS[src.name](snaps[src.name], src), args.per_source, args.seed)
        pages, bodies, truths = [], [], []
        for art in chosen:
            lines, truth = page(art, args.seed)
            pages.append((truth["member"], lines))
            truths.append(truth)
            blines, btruth = body_only(art)
            bodies.append((btruth["member"], blines))
            truths.append(btruth)
        write_container(args.out / "pages" / f"{src.name}.txt", pages)
        write_container(args.out / "body" / f"{src.name}.txt", bodies)
        with (args.out / "truth" / f"{src.name}.jsonl").open("w", encoding="utf-8", newline="\n") as f:
            for t in truths:
                f.write(json.dumps(t, ensure_ascii=False, sort_keys=True) + "\n")
        sites = sorted({a.site for a in chosen})
        entry = {"name": src.name, "repo": src.repo, "commit": src.commit, "language": src.language, "licence": src.licence,
                 "articles": len(chosen), "sites": sites,
                 "dated_pages": sum(1 for t in truths if t["date"]),
                 "real_furniture_lines": sum(1 for a in chosen for k, _ in a.lines if k == "furniture")}
        manifest["sources"].append(entry)
        print(f"{src.name:13} {src.language} {len(chosen):4} articles, {entry['dated_pages']:4} dated pages, "
              f"{entry['real_furniture_lines']:4} real furniture lines, sites: {', '.join(sites)}", file=sys.stderr)
    (args.out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
