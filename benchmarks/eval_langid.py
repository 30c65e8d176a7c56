"""Evaluate language identification against plain seeded langdetect, in one run.

    python benchmarks/eval_langid.py [--data DIR]

DIR holds langid/{lang}.txt, 1,000 sentences a language (default: ../shared/dev beside the
repository, or $NEWSINGEST_DEV_DATA). Prints accuracy by language at sentence and paragraph
level (5 consecutive sentences), the fa/ar/ur confusion matrix, Persian typed with Arabic
letters, speed (texts per second) for sentences, paragraphs and 3,000-character articles,
memory, and how the langdetect sample size trades accuracy for speed.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsingest.script import TO_ARABIC  # noqa: E402
from newsingest.stages import langid  # noqa: E402

ARABIC_SCRIPT = ("fa", "ar", "ur")


def plain_langdetect():
    """langdetect as a user would call it, seeded so that it is repeatable."""
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def run(text: str) -> str:
        try:
            code = detect(text)
        except LangDetectException:
            return "und"
        return "zh" if code.startswith("zh-") else code  # compare languages, not Chinese scripts

    return run


def ours(text: str) -> str:
    return langid.detect(text).language


def load(data: Path) -> dict[str, list[str]]:
    folder = data / "langid"
    return {
        path.stem: [line.strip() for line in path.open(encoding="utf-8") if line.strip()]
        for path in sorted(folder.glob("*.txt"))
    }


def paragraphs_of(sentences: list[str], size: int = 5) -> list[str]:
    return [" ".join(sentences[i : i + size]) for i in range(0, len(sentences) - size + 1, size)]


def articles_of(sentences: list[str], chars: int = 3000) -> list[str]:
    out, current = [], []
    for sentence in sentences:
        current.append(sentence)
        if sum(len(s) + 1 for s in current) >= chars:
            out.append(" ".join(current)[:chars])
            current = []
    return out


def accuracy(texts_by_lang: dict[str, list[str]], system) -> dict[str, float]:
    return {lang: sum(system(t) == lang for t in texts) / len(texts) for lang, texts in texts_by_lang.items() if texts}


def speed(texts: list[str], system, seconds: float = 2.0) -> float:
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            system(text)
            done += 1
            if time.perf_counter() - start >= seconds:
                break
    return done / (time.perf_counter() - start)


def confusion(texts_by_lang: dict[str, list[str]], system) -> dict[str, Counter]:
    return {lang: Counter(system(t) for t in texts_by_lang[lang]) for lang in ARABIC_SCRIPT if lang in texts_by_lang}


def print_confusion(name: str, matrix: dict[str, Counter]) -> None:
    columns = list(ARABIC_SCRIPT) + ["other"]
    print(f"  {name:<12}" + "".join(f"{c:>7}" for c in columns))
    for gold, counts in matrix.items():
        other = sum(n for lang, n in counts.items() if lang not in ARABIC_SCRIPT)
        print(f"  {'gold ' + gold:<12}" + "".join(f"{counts[c]:>7}" for c in ARABIC_SCRIPT) + f"{other:>7}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = os.environ.get("NEWSINGEST_DEV_DATA", str(ROOT.parent / "shared" / "dev"))
    parser.add_argument("--data", default=default, help="folder holding langid/{lang}.txt")
    args = parser.parse_args()
    data = Path(args.data)
    if not (data / "langid").is_dir():
        print(f"eval_langid: {data / 'langid'} not found — pass --data DIR (the folder with langid/)", file=sys.stderr)
        return 2

    sentences = load(data)
    paragraphs = {lang: paragraphs_of(s) for lang, s in sentences.items()}
    plain = plain_langdetect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    acc = {
        ("newsingest", "sentence"): accuracy(sentences, ours),
        ("newsingest", "paragraph"): accuracy(paragraphs, ours),
        ("langdetect", "sentence"): accuracy(sentences, plain),
        ("langdetect", "paragraph"): accuracy(paragraphs, plain),
    }
    print(f"Language identification on {data / 'langid'} (sentences; paragraphs of 5 sentences)")
    print(f"  {'language':<10}{'texts':>7}{'newsingest sent':>17}{'langdetect sent':>17}{'newsingest para':>17}{'langdetect para':>17}")
    for lang in sorted(sentences):
        cells = [acc[(s, level)].get(lang, 0.0) for level in ("sentence",) for s in ("newsingest", "langdetect")]
        cells += [acc[(s, "paragraph")].get(lang, 0.0) for s in ("newsingest", "langdetect")]
        print(f"  {lang:<10}{len(sentences[lang]):>7}" + "".join(f"{c:>17.2%}" for c in cells))

    print("\nfa/ar/ur confusion, sentences (rows: gold; columns: predicted)")
    print_confusion("newsingest", confusion(sentences, ours))
    print_confusion("langdetect", confusion(sentences, plain))

    if "fa" in sentences:
        arabic_typed = [s.translate(str.maketrans(TO_ARABIC)) for s in sentences["fa"]]
        print("\nPersian typed with Arabic ي and ك: "
              f"newsingest {sum(ours(t) == 'fa' for t in arabic_typed) / len(arabic_typed):.2%}, "
              f"langdetect {sum(plain(t) == 'fa' for t in arabic_typed) / len(arabic_typed):.2%} (sentences labelled fa)")

    print("\nSpeed, one process (texts per second)")
    print(f"  {'texts':<34}{'newsingest':>12}{'langdetect':>12}{'ratio':>8}")
    for label, langs in (("Arabic script (fa, ar, ur)", ARABIC_SCRIPT), ("other scripts", None)):
        chosen = [l for l in sentences if (l in ARABIC_SCRIPT) == (langs is not None)]
        for unit, texts in (
            ("sentences", [t for l in chosen for t in sentences[l][:200]]),
            ("paragraphs", [t for l in chosen for t in paragraphs[l][:40]]),
            ("3,000-char articles", [t for l in chosen for t in articles_of(sentences[l])[:10]]),
        ):
            a, b = speed(texts, ours), speed(texts, plain)
            print(f"  {label + ', ' + unit:<34}{a:>12,.0f}{b:>12,.0f}{a / b:>8.1f}x")
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"\nMemory: peak resident set {rss_after / 1024:.0f} MB for this process (both detectors loaded; "
          f"{rss_before / 1024:.0f} MB before the first detection)")

    print(f"\nSample size for langdetect (newsingest uses {langid.SAMPLE_CHARS}): accuracy and speed, "
          "Latin and Cyrillic 3,000-char articles")
    latin = {l: articles_of(s)[:15] for l, s in sentences.items() if l not in ARABIC_SCRIPT and l not in ("zh", "hi")}
    default = langid.SAMPLE_CHARS
    try:
        for size in (150, 300, 600, 1000, 3000):
            langid.SAMPLE_CHARS = size
            detect = lambda t: langid.detect(t).language  # noqa: E731
            texts = [t for ts in latin.values() for t in ts]
            right = sum(detect(t) == l for l, ts in latin.items() for t in ts)
            print(f"  {size:>5} chars: accuracy {right / len(texts):.2%}, {speed(texts, detect, 1.0):,.0f} articles/s")
    finally:
        langid.SAMPLE_CHARS = default
    return 0


if __name__ == "__main__":
    sys.exit(main())
