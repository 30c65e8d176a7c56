"""Build the language-id development sets (Malay, Indonesian, Pashto, short records) from fetched
snapshots of public scraped news.

    python benchmarks/langid/build.py --mirror DIR [DIR ...] [--out DIR] [--seed 20250724] [--per-set 500]

Why: langdetect has no Malay profile (every Malay article is `id`), Pashto sentences are missed, and
a record that is only a site name, a credit line or a URL gets a confident language. These sets,
made of text that scrapers collected from real news sites (SOURCES.md), measure all three.

--mirror takes the git directories of the snapshots, or folders that hold them as OWNER+NAME/repo
(the layout of a mirror folder). Nothing is fetched: the script only reads local snapshots at the
commits pinned in SOURCES (a missing snapshot or commit is said clearly, exit status 2).

Output (DIR, default benchmarks/langid/data):
  ms_news.jsonl        Malay news leads (first 1-3 sentences) from Malaysian outlets
  id_news.jsonl        Indonesian news leads from Indonesian outlets
  ps_news.jsonl        Pashto leads (VOA Pashto, Azadi Radio) and paragraphs (2-3 sentences of one
                       page of the Leipzig Pashto news corpus)
  ps_sentences.jsonl   single Pashto news sentences (none of them in ps_news.jsonl)
  short_records.jsonl  site names, bare URLs and credit lines taken from the same pages: "und"
  manifest.json        sources, commits, counts, seed

One JSON object a line: text, language, source, url (when the source gives one), kind (lead,
paragraph, sentence, site_name, url, credit) and split ("dev" or "heldout": a seeded hash of the
record's key, half and half, so rules are written on dev and measured on heldout).

Same snapshots and seed, same bytes: selection is by a seeded hash of each record's key (the lowest
N per set); how many sentences a lead keeps comes from the same hash.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks/, for the snapshot reader
from snapshots import Missing, Snapshot, Source, find_snapshot  # noqa: E402

DEFAULT_SEED = 20250724
HERE = Path(__file__).resolve().parent


# --- sources --------------------------------------------------------------------------------------

MALAYA = Source("malaya-news", "mesolitica/malaysian-dataset", "3645040af9dae4c00072c1a2ec7f30ed5ca054c0",
                "Apache-2.0 (repository LICENSE at this commit); articles owned by their publishers")
DETIK = Source("detik", "Mukhammad-develop/lang_scrape", "fa39f0fa1bcc828c9e934d4e9f96f84262aa3404", "no licence stated")
ZAMAI = Source("zamai-pashto", "ZamAI-ORG/pashto-datasets", "387e50ebc0d308f70dc401442295848b1df24ffb",
               "CC BY 4.0 (repository LICENSE); articles owned by VOA / RFE/RL; Leipzig Corpora Collection terms for the pus_news_2020 corpus")
SOURCES = [MALAYA, DETIK, ZAMAI]


# --- records --------------------------------------------------------------------------------------


@dataclass
class Rec:
    text: str
    language: str
    source: str
    kind: str
    key: str  # what selection and the dev/heldout split hash (the URL, or a sentence or page id)
    url: Optional[str] = None


def seeded(seed: int, what: str, key: str) -> int:
    return int(hashlib.sha1(f"{seed}:{what}:{key}".encode("utf-8")).hexdigest()[:15], 16)


def split_of(seed: int, key: str) -> str:
    return "dev" if seeded(seed, "split", key) % 2 == 0 else "heldout"


def host(url: str) -> str:
    m = re.match(r"https?://([^/?#]+)", url)
    return m.group(1).lower().removeprefix("www.") if m else ""


_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\u00a0", " ")).strip()


# A sentence ends at . ! ? (or Arabic-script ؟ ۔), a closing quote or bracket allowed, before space
# and a capital or digit, and not after a short capitalised abbreviation (Dr. Jl. No. St. Sdn.).
_LATIN_END = re.compile(r"[.!?][\"'”’)]?(?=\s+[\"'“‘(]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"(?:^|\s)(?:[A-Z][a-z]{0,2}|[A-Z])\.$")
_ARABIC_END = re.compile(r"(?<=[.!?؟۔])\s+")


def sentences(text: str, arabic: bool = False) -> list[str]:
    text = clean(text)
    if arabic:
        return [s for s in _ARABIC_END.split(text) if s]
    out, start = [], 0
    for m in _LATIN_END.finditer(text):
        if m.group(0)[0] == "." and _ABBREVIATION.search(text[start:m.start() + 1]):
            continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def lead(paragraphs: Iterable[str], n: int, arabic: bool = False) -> str:
    """The first N sentences of the first paragraphs (a lead may run over a paragraph break)."""
    out: list[str] = []
    for para in paragraphs:
        out.extend(sentences(para, arabic))
        if len(out) >= n:
            break
    # A scraper that dropped the dateline's place leaves its colon or dash: ": Tan Sri ...".
    return _LEFTOVER.sub("", " ".join(out[:n]))


_LEFTOVER = re.compile(r"^(?:[\s:–—-]+|Now Playing )")


def lead_length(seed: int, key: str) -> int:
    return 1 + seeded(seed, "lead", key) % 3


# Lines that carry no language: an agency sign-off, a credit, a share or size widget.
CREDIT = re.compile(
    r"^(?:[-–—]{1,2} ?[A-Za-z][A-Za-z .!]{1,24}|\((?:[a-z]{2,5}/)+[a-z]{2,5}\)|"
    r"(?:Editor|Penulis|Pewarta|Reporter|Wartawan|Foto|Video oleh|Hak atas foto|Sumber)\s*:?\s*[A-Z][^.]{1,50}|"
    r"A- A\+(?: \(Ubah saiz teks\))?|A\+ A-|Bagikan ?:|Loading Instagram|loading\.\.\.|\[Gambas:Video 20detik\]|"
    r"\(Visited \d+ times?, \d+ visits? today\)|Laporan [Ww]artawan .{2,80}|.{0,200}(?:©|[Rr]ights [Rr]eserved|registered marks).{0,200}|\* Data diambil dari .{0,80})$"
)

# Outlets by host, and the language of their pages (the truth of ms_news and id_news). Malaysian
# outlets that also publish in English: only their Malay sections count (MALAY_SECTION).
MALAY_HOSTS = {
    "utusan.com.my": "Utusan Malaysia", "m.utusan.com.my": "Utusan Malaysia", "ww1.utusan.com.my": "Utusan Malaysia",
    "astroawani.com": "Astro Awani", "sinarharian.com.my": "Sinar Harian", "malaysiakini.com": "Malaysiakini",
    "kosmo.com.my": "Kosmo!", "harakahdaily.net": "Harakah Daily", "hmetro.com.my": "Harian Metro",
    "agendadaily.com": "AgendaDaily", "bharian.com.my": "Berita Harian", "freemalaysiatoday.com": "Free Malaysia Today",
    "mstar.com.my": "mStar", "bernama.com": "Bernama", "mediapermata.com.bn": "Media Permata",
    "pelitabrunei.gov.bn": "Pelita Brunei",
}
MALAY_SECTION = {"malaysiakini.com": re.compile(r"/berita/"), "freemalaysiatoday.com": re.compile(r"/bahasa/")}
INDONESIAN_HOST = re.compile(
    r"(?:^|\.)(?:detik\.com|kompas\.com|tempo\.co|antaranews\.com|tribunnews\.com|republika\.co\.id|cnnindonesia\.com|"
    r"merdeka\.com|liputan6\.com|tirto\.id|kumparan\.com|okezone\.com|sindonews\.com|viva\.co\.id|suara\.com|"
    r"jawapos\.com|inews\.id|beritasatu\.com|idntimes\.com|kontan\.co\.id|bisnis\.com|grid\.id|pikiran-rakyat\.com|"
    r"jpnn\.com|mediaindonesia\.com|tempo\.co\.id|cnbcindonesia\.com|harianhaluan\.com|wartaekonomi\.co\.id)$"
)
# A page of a Malaysian outlet written in English (an English section the URL does not show).
ENGLISH = re.compile(r"\b(?:the|of|and|is|was|that|with|for|has|have|said)\b", re.IGNORECASE)


def english_page(text: str) -> bool:
    words = len(text.split())
    return words > 0 and len(ENGLISH.findall(text)) / words > 0.08


MIN_LEAD_CHARS = 40


def read_malaya(snap: Snapshot, src: Source, seed: int) -> Iterator[Rec]:
    """mesolitica/malaysian-dataset `news/*.json`: pages found by Google News searches on Malaysian
    topics, from Malaysian and Indonesian outlets alike; the outlet (URL host) gives the language."""
    seen: set[str] = set()
    for path in snap.paths(r"news/[^/]+\.json"):
        for row in json.loads(snap.read(path).decode("utf-8")):
            url, text = clean(row.get("url") or ""), row.get("text") or ""
            h = host(url)
            if not text.strip() or not h or url in seen:
                continue
            seen.add(url)
            paras = [p for p in text.split("\n") if p.strip() and not CREDIT.match(p.strip())]
            for p in text.split("\n"):
                if CREDIT.match(p.strip()) and len(p.strip()) <= 60:
                    yield Rec(p.strip(), "und", src.name, "credit", "credit:" + p.strip(), url)
            if h in MALAY_HOSTS:
                if h in MALAY_SECTION and not MALAY_SECTION[h].search(url):
                    continue
                lang, site = "ms", MALAY_HOSTS[h]
            elif INDONESIAN_HOST.search(h):
                lang, site = "id", clean(row.get("news") or h)
            else:
                continue
            text_lead = lead(paras, lead_length(seed, url))
            if len(text_lead) < MIN_LEAD_CHARS or (lang == "ms" and (english_page(" ".join(paras[:3])) or english_page(text_lead))):
                continue
            yield Rec(text_lead, lang, f"{src.name}:{h}", "lead", url, url)
            yield Rec(site, "und", src.name, "site_name", "site:" + site)
            yield Rec(url, "und", src.name, "url", "url:" + url, url)


def read_detik(snap: Snapshot, src: Source, seed: int) -> Iterator[Rec]:
    """Page dumps of detik.com: the headline is the first line, then the page as scraped."""
    for raw in snap.read("id/from_client/sample_1000.jsonl").decode("utf-8").splitlines():
        if not raw.strip():
            continue
        row = json.loads(raw)
        url = clean(row.get("source_url") or "")
        lines = [x.strip() for x in (row.get("text") or "").replace("\r", "").split("\n")[1:] if x.strip()]
        for x in lines:
            if CREDIT.match(x) and len(x) <= 60 and x != "-":
                yield Rec(x, "und", src.name, "credit", "credit:" + x, url)
        body = [x for x in lines if not CREDIT.match(x) and len(x) > 1]
        text_lead = lead(body, lead_length(seed, url))
        if url and len(text_lead) >= MIN_LEAD_CHARS:
            yield Rec(text_lead, "id", f"{src.name}:{host(url)}", "lead", url, url)
            yield Rec(url, "und", src.name, "url", "url:" + url, url)


LEIPZIG = "Pashto-Data/Pashto_High_value_dataset/pus_news_2020_100K.tar.gz"
LEIPZIG_SOURCES = "Pashto-Data/structured_data/pus_news_2020_100K-inv_so.txt"
MIN_SENTENCE_WORDS = 5


def leipzig_sentences(snap: Snapshot) -> dict[int, str]:
    """Sentence id -> sentence of the Leipzig corpus pus_news_2020_100K. The archive in the snapshot
    is cut short: its first member (the sentences file) is read up to the cut, the last partial
    line dropped."""
    raw = zlib.decompressobj(31)
    data = b""
    try:
        data = raw.decompress(snap.read(LEIPZIG))
    except zlib.error:
        pass
    name = data[512:612].split(b"\0")[0].decode("utf-8")
    if not name.endswith("-sentences.txt"):
        raise Missing(f"{snap.git_dir}: {LEIPZIG} does not start with the sentences file")
    body = data[1024:].split(b"\n")[:-1]
    out: dict[int, str] = {}
    for line in body:
        sid, _, sentence = line.decode("utf-8", "replace").partition("\t")
        if sid.isdigit() and "\0" not in sentence:
            out[int(sid)] = clean(sentence)
    return out


def read_zamai(snap: Snapshot, src: Source, seed: int) -> Iterator[Rec]:
    path = "Pashto-Data-Gathering-Pipeline/gathered_data/20250717_054056_all_gathered_articles.json"
    seen: set[str] = set()
    for row in json.loads(snap.read(path).decode("utf-8")):
        url = clean(row.get("url") or "")
        if not url or url in seen:
            continue
        seen.add(url)
        site = clean(row.get("source") or host(url))
        text_lead = lead([row.get("content") or ""], lead_length(seed, url), arabic=True)
        if len(text_lead) >= MIN_LEAD_CHARS:
            yield Rec(text_lead, "ps", f"{src.name}:{host(url)}", "lead", url, url)
        yield Rec(site, "und", src.name, "site_name", "site:" + site)
        yield Rec(url, "und", src.name, "url", "url:" + url, url)
    sents = leipzig_sentences(snap)
    pages: dict[int, list[int]] = defaultdict(list)
    for line in snap.read(LEIPZIG_SOURCES).decode("utf-8").splitlines():
        source_id, _, sid = line.partition("\t")
        if source_id.isdigit() and sid.isdigit() and int(sid) in sents:
            pages[int(source_id)].append(int(sid))
    for so, ids in sorted(pages.items()):
        ids = sorted(i for i in ids if len(sents[i].split()) >= MIN_SENTENCE_WORDS)
        if len(ids) >= 2:
            n = 2 + seeded(seed, "paragraph", str(so)) % 2
            yield Rec(" ".join(sents[i] for i in ids[:n]), "ps", "leipzig:pus_news_2020", "paragraph", f"page:{so}")
            ids = ids[n:]
        for i in ids:
            yield Rec(sents[i], "ps", "leipzig:pus_news_2020", "sentence", f"page:{so}:sentence:{i}")


READERS = {"malaya-news": read_malaya, "detik": read_detik, "zamai-pashto": read_zamai}


# --- sets -----------------------------------------------------------------------------------------


def pick(recs: list[Rec], n: int, seed: int) -> list[Rec]:
    """The N records of lowest seeded hash, one per key (and per text), in hash order."""
    by_key: dict[str, Rec] = {}
    for r in recs:
        by_key.setdefault(r.key, r)
    ranked = sorted(by_key.values(), key=lambda r: (seeded(seed, "pick", r.key), r.key))
    out, texts = [], set()
    for r in ranked:
        if r.text in texts:
            continue
        texts.add(r.text)
        out.append(r)
        if len(out) == n:
            break
    return out


def write_set(path: Path, recs: list[Rec], seed: int) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for r in recs:
            row = {"text": r.text, "language": r.language, "source": r.source, "kind": r.kind}
            if r.url:
                row["url"] = r.url
            row["split"] = split_of(seed, r.key)
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mirror", nargs="+", type=Path, required=True, help="snapshot git dirs, or folders holding OWNER+NAME/repo")
    ap.add_argument("--out", type=Path, default=HERE / "data")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--per-set", type=int, default=500, help="records per set (each of ms, id, ps leads, ps sentences)")
    ap.add_argument("--short", type=int, default=600, help="short records (site names, URLs, credit lines) in all")
    args = ap.parse_args(argv)

    missing = [str(m) for m in args.mirror if not m.exists()]
    if missing:
        print("build: missing snapshot path(s): " + ", ".join(missing) + " (fetch the repositories listed in benchmarks/langid/SOURCES.md)", file=sys.stderr)
        return 2
    try:
        snaps = {s.name: find_snapshot(args.mirror, s.repo, s.commit) for s in SOURCES}
        pool: list[Rec] = [r for s in SOURCES for r in READERS[s.name](snaps[s.name], s, args.seed)]
    except Missing as e:
        print(f"build: {e}; fetch it (SOURCES.md) and pass its folder to --mirror", file=sys.stderr)
        return 2

    ps_news = [r for r in pool if r.language == "ps" and r.kind == "lead"]
    sets = {
        "ms_news": pick([r for r in pool if r.language == "ms"], args.per_set, args.seed),
        "id_news": pick([r for r in pool if r.language == "id"], args.per_set, args.seed),
        # every Pashto lead (there are few), then Leipzig paragraphs up to the set's size
        "ps_news": ps_news + pick([r for r in pool if r.kind == "paragraph"], max(0, args.per_set - len(ps_news)), args.seed),
        "ps_sentences": pick([r for r in pool if r.kind == "sentence"], args.per_set, args.seed),
    }
    short = [r for r in pool if r.language == "und"]
    names = pick([r for r in short if r.kind == "site_name"], args.short // 3, args.seed)
    credits = pick([r for r in short if r.kind == "credit"], args.short // 3, args.seed)
    urls = pick([r for r in short if r.kind == "url"], args.short - len(names) - len(credits), args.seed)
    sets["short_records"] = names + credits + urls

    args.out.mkdir(parents=True, exist_ok=True)
    set_facts: dict[str, object] = {}
    manifest: dict[str, object] = {
        "seed": args.seed, "per_set": args.per_set,
        "sources": [{"name": s.name, "repo": s.repo, "commit": s.commit, "licence": s.licence} for s in SOURCES],
        "sets": set_facts,
    }
    for name, recs in sets.items():
        write_set(args.out / f"{name}.jsonl", recs, args.seed)
        by_source: dict[str, int] = defaultdict(int)
        by_kind: dict[str, int] = defaultdict(int)
        for r in recs:
            by_source[r.source] += 1
            by_kind[r.kind] += 1
        dev = sum(1 for r in recs if split_of(args.seed, r.key) == "dev")
        set_facts[name] = {"records": len(recs), "dev": dev, "heldout": len(recs) - dev,
                           "by_source": dict(sorted(by_source.items())), "by_kind": dict(sorted(by_kind.items()))}
        print(f"{name:14} {len(recs):4} records ({dev} dev), " + ", ".join(f"{k} {v}" for k, v in sorted(by_kind.items())), file=sys.stderr)
    (args.out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
