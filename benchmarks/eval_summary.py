"""Print the language and normalization figures of one `make eval` run as one table, peers beside.

    python benchmarks/eval_summary.py FIGURES

FIGURES is the file the evaluation scripts filled (benchmarks/figures.py). A figure that no script
measured (its data was missing) is shown as "not measured", with the data it needs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# figure key, what it is, goal, the data it is measured on
ROWS = [
    ("zwnj_glued_precision", "glued ZWNJ restoration, every ZWNJ after a joining letter: precision", "≥ 0.99",
     "fa_zwnj_dev.jsonl (DATA)"),
    ("zwnj_glued_recall", "glued ZWNJ restoration: recall", "≥ 0.90", "fa_zwnj_dev.jsonl (DATA)"),
    ("zwnj_suffix_compound_recall", "of which suffixes and compounds (not می/نمی): recall", "≥ 0.85",
     "fa_zwnj_dev.jsonl (DATA)"),
    ("zwnj_clean_unchanged", "clean Persian sentences whose ZWNJ placement is unchanged (strict)", "≥ 0.995",
     "fa_zwnj_dev.jsonl (DATA)"),
    ("ms_news_ms", "Malay news leads labelled ms (held-out half)", "≥ 0.98", "benchmarks/langid/data (LANGDATA)"),
    ("id_news_id", "Indonesian news leads labelled id (held-out half)", "≥ 0.99", "benchmarks/langid/data (LANGDATA)"),
    ("ps_sentences_ps", "Pashto sentences labelled ps", "≥ 0.95", "benchmarks/langid/data (LANGDATA)"),
    ("short_records_weak", "credit, site-name and link-only records given und or a score < 0.5", "1.0",
     "benchmarks/langid/data (LANGDATA)"),
    ("letters_changed_ar_id", "letters changed per 1,000 characters, Arabic and Indonesian", "0",
     "ar_news_dev.jsonl, id_news_dev.jsonl (DATA)"),
]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    path = Path(argv[0])
    measured: dict[str, dict[str, tuple[float, str]]] = {}
    if path.exists():
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            measured.setdefault(row["figure"], {})[row["system"]] = (row["value"], row["detail"])
    systems: list[str] = []
    for per_system in measured.values():
        for name in per_system:
            if name not in systems:
                systems.append(name)
    systems.sort(key=lambda name: name != "newsingest")
    systems = systems or ["newsingest"]
    print("\nLanguage and normalization: the figures together (peers where they apply)")
    header = ["figure", *systems, "goal"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for key, label, goal, data in ROWS:
        per_system = measured.get(key)
        if not per_system:
            cells = [f"not measured: needs {data}"] + [""] * (len(systems) - 1)
        else:
            cells = []
            for name in systems:
                value = per_system.get(name)
                cells.append("" if value is None else _cell(value[0]) + (f" ({value[1]})" if value[1] else ""))
        print("| " + " | ".join([label, *cells, goal]) + " |")
    return 0


def _cell(value: float) -> str:
    return f"{value:.3f}" if value < 1.0 or value != int(value) else f"{value:.1f}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
