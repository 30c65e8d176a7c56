"""Evaluate `normalize` on the development data: ZWNJ restoration, clean text, other scripts, speed.

    python benchmarks/eval_normalize.py [--data DIR] [--peer-python PATH] [--show-errors N]

DIR holds fa_zwnj_dev.jsonl, ar_news_dev.jsonl, ur_news_dev.jsonl, id_news_dev.jsonl
(default: ../shared/dev beside the repository, or $NEWSINGEST_DEV_DATA).

Scoring of ZWNJs works on the gaps between consecutive non-space characters: each
gap is joined, ZWNJ or space. Only gaps after a joining letter count (a ZWNJ
after ا د ذ ر ز ژ و is invisible, and `normalize` drops it). Categories of a
ZWNJ position, from the word that carries it:
  a  verbal prefix: the part before is می/نمی (optionally after a preverb)
  b  suffix after a joining letter: ها…, ای, ام, ات, اش, اند, ایم, اید, تر, ترین, ی…
  c  everything else (compounds: بین‌المللی, رئیس‌جمهور, به‌طور)
The Persian treebanks differ in writing plurals and comparatives joined (کتابها,
بزرگتر) or with a ZWNJ. A system ZWNJ before ها/تر where the gold wrote the word
joined is counted as "tolerated": P-tol does not count it as an error, P-strict does.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsingest.io.container import read_container  # noqa: E402
from newsingest.stages.normalize import PERSIAN_RULES, normalize_text  # noqa: E402
from newsingest.script import ARABIC_LETTERS, ARABIC_MARKS, LRM, NON_JOINING_LETTERS, RLM, TATWEEL, ZWJ, ZWNJ  # noqa: E402
from newsingest.stages.normalize.zwnj import restore_zwnj  # noqa: E402
from newsingest.stages.split import clean_body  # noqa: E402

from figures import note  # noqa: E402

WORD_CHARS = frozenset(ARABIC_LETTERS + ARABIC_MARKS)
CAT_A = re.compile(r"^(بر|در|فرا|فرو|باز|وا)?ن?می$")
CAT_B = re.compile(
    r"^(ها(ی(ی|م|ت|ش|مان|تان|شان)?|یم|یت|یش|ست|مان|تان|شان)?"
    r"|تر(ین|ی|ها)?|ای|ام|ات|اش|اند|ایم|اید|ایی|است|ی|یی|مان|تان|شان)$"
)
TOLERANT = re.compile(r"^(ها|تر)")
RULES_BEFORE_RESTORATION = [rule for rule in PERSIAN_RULES if rule is not restore_zwnj]


def prepare_gold(text: str) -> str:
    """The gold sentence as `normalize` would leave it if it restored nothing."""
    for rule in RULES_BEFORE_RESTORATION:
        text = rule(text)
    return text


def ours(texts: list[str], lang: str = "fa") -> list[str]:
    return [normalize_text(t, lang) for t in texts]


# --- ZWNJ scoring -------------------------------------------------------------------------------


def gaps_of(s: str):
    """Non-space characters and the label of the gap after each: '' joined, 'Z' ZWNJ, 'S' space."""
    chars, gaps, pending = [], [], ""
    for ch in s:
        if ch == ZWNJ:
            pending = pending if "S" in pending else "Z"
        elif ch.isspace():
            pending = "S"
        elif ch in (LRM, RLM, ZWJ):
            continue
        else:
            if chars:
                gaps.append(pending)
            chars.append(ch)
            pending = ""
    return chars, gaps


def word_pieces(chars, gaps, i):
    """The word pieces before and after gap i (pieces are split by ZWNJ or space)."""
    j = i
    while j > 0 and gaps[j - 1] == "" and chars[j - 1] in WORD_CHARS:
        j -= 1
    k = i + 1
    while k < len(chars) - 1 and gaps[k] == "" and chars[k + 1] in WORD_CHARS:
        k += 1
    return "".join(chars[j : i + 1]), "".join(chars[i + 1 : k + 1])


def category(before: str, after: str) -> str:
    if CAT_A.match(before):
        return "a"
    if CAT_B.match(after):
        return "b"
    return "c"


class Score:
    def __init__(self):
        self.counts = defaultdict(Counter)
        self.errors = Counter()
        self.unaligned = 0
        self.invisible = 0

    def row(self, cats: str):
        total = Counter()
        for cat in cats:
            total.update(self.counts[cat])
        tp, fp, tol, fn = total["tp"], total["fp"], total["tol"], total["fn"]
        p_strict = tp / (tp + fp + tol) if tp + fp + tol else 1.0
        p_tol = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * p_tol * recall / (p_tol + recall) if p_tol + recall else 0.0
        return tp, fp, tol, fn, p_strict, p_tol, recall, f1

    def add_pair(self, gold: str, out: str) -> None:
        """Score the ZWNJ gaps of one output against its gold sentence."""
        gc, gg = gaps_of(gold)
        oc, og = gaps_of(out)
        if gc == oc:
            pairs = [(i, og[i]) for i in range(len(gg))]
        else:  # a system that also changed letters: compare only gaps inside matching stretches
            pairs = []
            for block in difflib.SequenceMatcher(None, gc, oc, autojunk=False).get_matching_blocks():
                pairs += [(block.a + d, og[block.b + d]) for d in range(block.size - 1)]
            self.unaligned += len(gg) - len(pairs)
        for i, o in pairs:
            g = gg[i]
            if g != "Z" and o != "Z" or not (gc[i] in WORD_CHARS and gc[i + 1] in WORD_CHARS):
                continue
            if gc[i] in NON_JOINING_LETTERS:
                self.invisible += g == "Z"
                continue
            before, after = word_pieces(gc, gg, i)
            cat = category(before, after)
            if g == o:
                self.counts[cat]["tp"] += 1
                continue
            if g == "Z":
                self.counts[cat]["fn"] += 1
                self.errors[("FN", cat, f"{before}|{after}")] += 1
            elif g == "" and cat == "b" and TOLERANT.match(after):
                self.counts[cat]["tol"] += 1
            else:
                self.counts[cat]["fp"] += 1
                self.errors[("FP", cat, f"{before}|{after}")] += 1


def print_zwnj_table(title: str, score: Score, show: int = 0) -> None:
    print(f"\n{title}")
    print(f"  {'category':<40}{'TP':>6}{'FP':>5}{'tol':>5}{'FN':>6}{'P-strict':>10}{'P-tol':>8}{'R':>8}{'F1':>8}")
    for name, cats in (
        ("a  می/نمی prefix", "a"),
        ("b  suffix", "b"),
        ("c  compound/other", "c"),
        ("a+b (strict goal)", "ab"),
        ("b+c suffixes and compounds (not می/نمی)", "bc"),
        ("all", "abc"),
    ):
        tp, fp, tol, fn, ps, pt, r, f = score.row(cats)
        print(f"  {name:<40}{tp:>6}{fp:>5}{tol:>5}{fn:>6}{ps:>10.3f}{pt:>8.3f}{r:>8.3f}{f:>8.3f}")
    if score.unaligned:
        print(f"  ({score.unaligned} gaps not scored: the system changed the letters around them)")
    if show:
        for kind in ("FP", "FN"):
            items = [(k, n) for k, n in score.errors.most_common() if k[0] == kind][:show]
            print(f"  {kind}:", "  ".join(f"{k[1]}:{k[2]}×{n}" for k, n in items))


def zwnj_eval(name: str, golds: list[str], system, show: int) -> dict:
    """Glued, spaced and clean-text figures for one system (a function of a list of texts)."""
    figures = {}
    modes = (
        ("glued (every ZWNJ deleted)", lambda s: s.replace(ZWNJ, "")),
        ("spaced (every ZWNJ turned into a space)", lambda s: s.replace(ZWNJ, " ")),
    )
    for title, damage in modes:
        outputs, seconds = system([damage(g) for g in golds])
        score = Score()
        for gold, out in zip(golds, outputs):
            score.add_pair(gold, out)
        print_zwnj_table(f"[{name}] {title}", score, show)
        figures[title.split()[0]] = score
    outputs, seconds = system(golds)
    strict = tolerant = 0
    changed = Counter()
    for gold, out in zip(golds, outputs):
        score = Score()
        score.add_pair(gold, out)
        row = score.row("abc")
        strict += row[1] + row[2] + row[3] == 0
        tolerant += row[1] + row[3] == 0
        if show and row[1] + row[2] + row[3]:
            words = gold.split()
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, words, out.split(), autojunk=False).get_opcodes():
                if op != "equal":
                    style = "ZWNJ-text" if ZWNJ in gold else "no-ZWNJ-text"
                    changed[f"{' '.join(words[i1:i2])}→{' '.join(out.split()[j1:j2])} ({style})"] += 1
    n = len(golds)
    print(f"\n[{name}] clean text left alone (gold sentences, ZWNJs intact)")
    print(f"  ZWNJ placement unchanged, strict:   {strict}/{n} = {strict / n:.2%}")
    print(f"  ZWNJ placement unchanged, tolerant: {tolerant}/{n} = {tolerant / n:.2%}  (a ZWNJ added before ها/تر is no change)")
    if show:
        print("  changed:", "  ".join(f"{k}×{v}" for k, v in changed.most_common(show)))
    figures["clean"] = (strict / n, tolerant / n)
    return figures


# --- letters changed in other languages ---------------------------------------------------------


def letters_changed(before: str, after: str) -> int:
    """Letters replaced, deleted or inserted between two texts (white space, marks and tatweel aside)."""
    a = [ch for ch in before if ch.isalpha() and ch != TATWEEL]
    b = [ch for ch in after if ch.isalpha() and ch != TATWEEL]
    if a == b:
        return 0
    changed = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            changed += max(i2 - i1, j2 - j1)
    return changed


def letters_table(docs_by_lang: dict[str, list[str]], systems: dict) -> dict[tuple[str, str], tuple[int, int]]:
    """Print letters changed per 1,000 characters; return (letters changed, characters) by (language, system)."""
    changes = {}
    print("\nLetters changed per 1,000 characters (goal: 0 for Arabic and Indonesian)")
    print(f"  {'language':<12}{'documents':>10}{'characters':>12}" + "".join(f"{name:>12}" for name in systems))
    for lang, docs in docs_by_lang.items():
        chars = sum(len(d) for d in docs)
        cells = []
        for name, system in systems.items():
            outputs, _ = system(docs, lang)
            changed = sum(letters_changed(d, o) for d, o in zip(docs, outputs))
            changes[(lang, name)] = (changed, chars)
            cells.append(f"{1000 * changed / chars:>12.2f}")
        print(f"  {lang:<12}{len(docs):>10}{chars:>12,}" + "".join(cells))
    return changes


# --- speed -------------------------------------------------------------------------------------


def throughput(texts: list[str], lang: str, rules=None, repeat: int = 3) -> float:
    """Characters per second over ``texts``, best of ``repeat`` runs, single process."""
    chars = sum(len(t) for t in texts)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            if rules is None:
                normalize_text(text, lang)
            else:
                for rule in rules:
                    text = rule(text)
        best = min(best, time.perf_counter() - start)
    return chars / best


def note_zwnj(system: str, figures: dict) -> None:
    """The glued-restoration and clean-text figures of one system, for the summary table."""
    glued = figures["glued"]
    tp, fp, _, _, _, p_tol, recall, _ = glued.row("abc")
    if tp + fp:  # a system that inserts no ZWNJ has no precision to show
        note("zwnj_glued_precision", system, p_tol)
    note("zwnj_glued_recall", system, recall)
    note("zwnj_suffix_compound_recall", system, glued.row("bc")[6])
    note("zwnj_clean_unchanged", system, figures["clean"][0])


# --- peers --------------------------------------------------------------------------------------


# Normalizers of other packages, each run by benchmarks/peers/{name}_normalize.py.
PEERS = ("hazm", "shekar")


class Peer:
    """A normalizer from another package, run in its own environment (never a runtime dependency)."""

    def __init__(self, python: str, script: Path):
        self.python, self.script = python, script
        self.version = None

    def __call__(self, texts: list[str], lang: str = "fa"):
        run = subprocess.run(
            [self.python, str(self.script)], input=json.dumps(texts), capture_output=True, text=True, check=True
        )
        result = json.loads(run.stdout)
        self.version = result["version"]
        return result["outputs"], result["seconds"]


def timed_ours(texts: list[str], lang: str = "fa"):
    start = time.perf_counter()
    outputs = ours(texts, lang)
    return outputs, time.perf_counter() - start


# --- sample corpus -------------------------------------------------------------------------------


def sample_changes() -> None:
    """Every word the full Persian pipeline changes in the Persian sample articles."""
    print("\nZWNJ restorations in the Persian sample articles (sample_corpus/articles.txt)")
    with open(ROOT / "sample_corpus" / "articles.txt", "rb") as stream:
        members = list(read_container(stream, "articles.txt"))
    for member in members:
        if member.name not in ("000_ac134246e2de49ce.txt", "003_0fd4009b84a8a001.txt"):
            continue
        before = prepare_gold(clean_body(member.body))
        after, edits = restore_zwnj.count(before)
        words_before = before.split()
        changes = Counter()
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, words_before, after.split(), autojunk=False).get_opcodes():
            if op != "equal":
                changes[f"{' '.join(words_before[i1:i2])} → {' '.join(after.split()[j1:j2])}"] += 1
        print(f"  {member.name}: {edits} changes")
        for change, n in sorted(changes.items()):
            print(f"    {change}" + (f"  ×{n}" if n > 1 else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_data = os.environ.get("NEWSINGEST_DEV_DATA", str(ROOT.parent / "shared" / "dev"))
    parser.add_argument("--data", default=default_data, help="folder of the dev files")
    parser.add_argument("--peer-python", default=str(ROOT / ".venv-peers" / "bin" / "python"),
                        help="a Python with hazm and shekar installed, for the side-by-side figures")
    parser.add_argument("--show-errors", type=int, default=0, help="list the N most common errors")
    args = parser.parse_args()

    data = Path(args.data)
    fa_path = data / "fa_zwnj_dev.jsonl"
    if not fa_path.exists():
        print(f"eval: {fa_path} not found — pass --data DIR (the folder with fa_zwnj_dev.jsonl)", file=sys.stderr)
        return 2
    golds = [prepare_gold(json.loads(line)["text"]) for line in fa_path.open(encoding="utf-8")]
    docs = {
        lang: [json.loads(line)["text"] for line in (data / f"{lang}_news_dev.jsonl").open(encoding="utf-8")]
        for lang in ("ar", "ur", "id")
        if (data / f"{lang}_news_dev.jsonl").exists()
    }

    peers = {}
    if Path(args.peer_python).exists():
        for name in PEERS:
            peer = Peer(args.peer_python, ROOT / "benchmarks" / "peers" / f"{name}_normalize.py")
            try:
                peer(["آزمایش"])
                peers[name] = peer
            except (subprocess.CalledProcessError, OSError, ValueError) as exc:
                print(f"eval: {name} not usable with {args.peer_python} ({exc}); figures without it", file=sys.stderr)
    else:
        print("eval: no peer environment (.venv-peers); `make eval` creates it with hazm and shekar", file=sys.stderr)

    print(f"Persian ZWNJ dev sentences: {len(golds)} ({fa_path})")
    note_zwnj("newsingest", zwnj_eval("newsingest", golds, timed_ours, args.show_errors))
    for name, peer in peers.items():
        note_zwnj(f"{name} {peer.version}", zwnj_eval(f"{name} {peer.version}", golds, peer, 0))

    systems = {"newsingest": timed_ours, **peers}
    changed = letters_table({"fa (clean)": golds, **docs}, systems)
    for name in systems:
        counts = [changed[(lang, name)] for lang in ("ar", "id") if (lang, name) in changed]
        if counts:
            chars = sum(c for _, c in counts)
            label = name if name == "newsingest" else f"{name} {peers[name].version}"
            note("letters_changed_ar_id", label, 1000 * sum(n for n, _ in counts) / chars)

    print("\nThroughput, one process (characters per second)")
    persian = [json.loads(line)["text"].replace(ZWNJ, "") for line in fa_path.open(encoding="utf-8")]
    rows = [
        ("fa, rules without ZWNJ restoration", throughput(persian, "fa", RULES_BEFORE_RESTORATION)),
        ("fa, full pipeline (ZWNJs deleted)", throughput(persian, "fa")),
    ] + [(f"{lang}, full pipeline", throughput(texts, lang)) for lang, texts in docs.items()]
    for label, speed in rows:
        print(f"  {label:<40}{speed / 1e6:>8.2f} M")
    for name, peer in peers.items():
        outputs, seconds = peer(persian)
        print(f"  {name + ', fa (ZWNJs deleted)':<40}{sum(map(len, persian)) / seconds / 1e6:>8.2f} M")

    sample_changes()
    return 0


if __name__ == "__main__":
    sys.exit(main())
