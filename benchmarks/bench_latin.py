"""`split` CPU per article on short Latin-script articles against short Arabic-script ones.

    python benchmarks/bench_latin.py [--data DIR] [--langdata DIR] [--chars 250] [--runs 3]

Cuts articles of about --chars characters (at a space) from the development documents
(DIR/id_news_dev.jsonl, DIR/ar_news_dev.jsonl) and from the sentences of DIR/langid/{lang}.txt,
and, when --langdata names the sets of benchmarks/langid/build.py, from ms_news and id_news.
Each group is wrapped in a container and split in this process (`split_files`, `--jobs 1`):
every group once to warm up, then every group in turn, --runs times; the figure is the best CPU
time (user + system, getrusage; never the clock) per article. Prints, for each group, CPU per
article, its ratio to the Arabic news articles, how many articles went to langdetect and the CPU
per article spent there, and how many got the group's language.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Iterator, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsingest.engines.local import Local  # noqa: E402
from newsingest.io.container import escape_line  # noqa: E402
from newsingest.io.sinks import StreamSink  # noqa: E402
from newsingest.pipeline import split_files  # noqa: E402
from newsingest.stages import langid  # noqa: E402
from newsingest.stages.split import SplitOptions  # noqa: E402

# Languages of the langid sentences measured (Latin script, and Arabic script to compare).
SENTENCE_LANGUAGES = ("id", "en", "fr", "de", "es", "tr", "vi", "ar", "fa", "ur")
REFERENCE = "ar news"


def cut(text: str, chars: int) -> Iterator[str]:
    """Consecutive pieces of ``text`` of about ``chars`` characters, each ended at a space."""
    text = " ".join(text.split())
    while len(text) >= chars:
        end = text.rfind(" ", chars // 2, chars)
        end = end if end > 0 else chars
        yield text[:end]
        text = text[end + 1 :]


def from_jsonl(path: Path, chars: int, language: Optional[str] = None) -> list[str]:
    pieces: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if language is None or row.get("language") == language:
                pieces.extend(cut(row["text"], chars))
    return pieces


def from_sentences(path: Path, chars: int) -> list[str]:
    return list(cut(" ".join(line.strip() for line in path.open(encoding="utf-8")), chars))


def groups(data: Path, langdata: Optional[Path], chars: int) -> dict[str, tuple[str, list[str]]]:
    """Name: (expected language, articles)."""
    found: dict[str, tuple[str, list[str]]] = {
        "ar news": ("ar", from_jsonl(data / "ar_news_dev.jsonl", chars)),
        "id news": ("id", from_jsonl(data / "id_news_dev.jsonl", chars)),
    }
    for lang in SENTENCE_LANGUAGES:
        path = data / "langid" / f"{lang}.txt"
        if path.exists():
            found[f"{lang} sentences"] = (lang, from_sentences(path, chars)[:400])
    if langdata is not None:
        for lang in ("ms", "id"):
            path = langdata / f"{lang}_news.jsonl"
            if path.exists():
                found[f"{lang} news (langid set)"] = (lang, from_jsonl(path, chars, lang))
    return found


def container(articles: list[str], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i, article in enumerate(articles):
            out.write(f"<<<FILE {i:05d}.txt>>>\n{escape_line(article)}\n<<<END>>>\n")


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(path: Path, out: Path) -> tuple[float, int, float]:
    """(CPU seconds of a run, langdetect calls in it, CPU seconds spent in them)."""
    calls, inside = 0, 0.0
    original = langid._langdetect

    def counted(text: str, languages: tuple[str, ...]) -> Optional[langid.Guess]:
        nonlocal calls, inside
        calls += 1
        start = cpu()
        try:
            return original(text, languages)
        finally:
            inside += cpu() - start

    langid._langdetect = counted
    try:
        start = cpu()
        split_files([str(path)], SplitOptions(), StreamSink(str(out)), Local(1))
        return cpu() - start, calls, inside
    finally:
        langid._langdetect = original


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = os.environ.get("NEWSINGEST_DEV_DATA", str(ROOT.parent / "shared" / "dev"))
    parser.add_argument("--data", default=default, help="folder holding id_news_dev.jsonl, ar_news_dev.jsonl, langid/")
    parser.add_argument("--langdata", default=None, help="folder of benchmarks/langid/build.py's sets (ms_news, id_news)")
    parser.add_argument("--chars", type=int, default=250, help="characters an article (default 250)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each group; the best is kept (default 3)")
    args = parser.parse_args()
    data = Path(args.data)
    if not (data / "ar_news_dev.jsonl").exists() or not (data / "id_news_dev.jsonl").exists():
        print(f"bench_latin: {data} holds no ar_news_dev.jsonl and id_news_dev.jsonl — pass --data DIR", file=sys.stderr)
        return 2
    found = groups(data, Path(args.langdata) if args.langdata else None, args.chars)
    best: dict[str, tuple[float, int, float]] = {}
    labels: dict[str, Counter[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {name: Path(tmp) / f"{i}.txt" for i, name in enumerate(found)}
        for name, (_, articles) in found.items():
            container(articles, paths[name])
        out = Path(tmp) / "out.jsonl"
        for run in range(args.runs + 1):  # the first run warms up: profiles, word lists, caches
            for name in found:  # the groups in turn, so that other work on the machine weighs on each alike
                seconds, calls, inside = measure(paths[name], out)
                if run and (name not in best or seconds < best[name][0]):
                    best[name] = (seconds, calls, inside)
                if not run:
                    with out.open("rb") as records:
                        labels[name] = Counter(json.loads(line)["language"] for line in records)
    reference = best[REFERENCE][0] / len(found[REFERENCE][1])
    print(f"split --jobs 1, articles of about {args.chars} characters; CPU per article, best of {args.runs}")
    print(f"  {'articles':<26}{'count':>6}{'CPU µs':>9}{'× ar news':>11}{'langdetect':>12}{'its µs':>8}"
          f"{'labelled':>10}  other labels")
    for name, (lang, articles) in found.items():
        seconds, calls, inside = best[name]
        count, per = len(articles), seconds / len(articles)
        other = ", ".join(f"{label} {n}" for label, n in labels[name].most_common() if label != lang)
        print(f"  {name:<26}{count:>6}{per * 1e6:>9.0f}{per / reference:>10.2f}×{calls:>12}{inside / count * 1e6:>8.0f}"
              f"{labels[name][lang] / count:>10.1%}  {other or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
