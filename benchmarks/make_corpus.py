"""Generate a container of a chosen size for benchmarks, deterministic for a seed.

    python benchmarks/make_corpus.py OUT.txt [--size 200MB] [--seed 1] [--data DIR]

Articles are the sample corpus and the development documents (fa, ar, ur, id) wrapped in page
furniture (benchmarks/furniture.py), with the variation real dumps have: Persian with its ZWNJs
deleted or turned into spaces, Arabic ي/ك typed in Persian, and 5% duplicates (exact or retyped).
The development documents are few, so after the first batch each article's sentences (or lines)
are drawn at random from all those of its language: articles stay distinct, and the only
duplicates are the 5% made on purpose.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from eval_extract import load_bodies  # noqa: E402
from furniture import Body, generate  # noqa: E402

from newsingest.io.container import format_member, read_container  # noqa: E402
from newsingest.io.shards import parse_size  # noqa: E402
from newsingest.script import ARABIC_YEH, FARSI_YEH, TO_ARABIC, ZWNJ  # noqa: E402


def damage(text: str, lang: str, rng: random.Random) -> str:
    """What scraping does to Persian text."""
    if lang != "fa":
        return text
    roll = rng.random()
    if roll < 0.5:
        text = text.replace(ZWNJ, "")
    elif roll < 0.7:
        text = text.replace(ZWNJ, " ")
    if rng.random() < 0.3:
        text = text.translate(str.maketrans(TO_ARABIC))
    return text


def remix(bodies: dict[str, list[Body]], rng: random.Random, count: int) -> dict[str, list[Body]]:
    """``count`` new bodies a language, each shaped like one of the old and each of its sentences
    (or lines) drawn from all of its language's."""
    mixed = {}
    for lang, pool in bodies.items():
        units = [body.sentence(i) for body in pool for i in range(len(body.spans))]
        mixed[lang] = []
        for body in (rng.choice(pool) for _ in range(count)):
            glue = "\n" if "\n" in body.text.strip() else " "
            text, spans = "", []
            for _ in body.spans:
                unit = rng.choice(units)
                text += glue if text else ""
                spans.append((len(text), len(text) + len(unit)))
                text += unit
            mixed[lang].append(Body(lang, f"remix of {body.source}", text, spans))
    return mixed


def articles(data: Path, seed: int):
    """Endless (name, body) pairs: the sample articles, then generated ones, batch after batch."""
    with open(ROOT / "sample_corpus" / "articles.txt", "rb") as stream:
        for member in read_container(stream, "sample"):
            yield member.name, member.body
    bodies = load_bodies(data, seed)
    batch = 0
    while True:
        rng = random.Random(seed * 1_000_003 + batch)
        for article in generate(remix(bodies, rng, 100) if batch else bodies, seed + batch, 100):
            yield f"b{batch}/{article.id}.txt", damage(article.body, article.lang, rng)
        batch += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--size", default="200MB")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", default=os.environ.get("NEWSINGEST_DEV_DATA", str(ROOT.parent / "shared" / "dev")))
    args = parser.parse_args()
    if not (Path(args.data) / "fa_zwnj_dev.jsonl").exists():
        print(f"make_corpus: {args.data} has no development data — pass --data DIR", file=sys.stderr)
        return 2
    target = parse_size(args.size)
    rng = random.Random(args.seed)
    written, count, recent = 0, 0, []
    with open(args.out, "wb") as out:
        for name, body in articles(Path(args.data), args.seed):
            if recent and rng.random() < 0.05:  # a duplicate of a recent article, maybe retyped
                old_name, old_body = rng.choice(recent)
                name, body = f"dup{count}-{old_name}", old_body if rng.random() < 0.5 else old_body.replace(FARSI_YEH, ARABIC_YEH)
            data = format_member(name, body).encode("utf-8")
            out.write(data)
            written += len(data)
            count += 1
            recent = (recent + [(name, body)])[-200:]
            if written >= target:
                break
    print(f"{args.out}: {count:,} articles, {written:,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
