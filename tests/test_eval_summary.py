"""`make eval` ends with one table of the figures the scripts noted: peers beside, missing data named."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = ROOT / "benchmarks" / "eval_summary.py"


def run(figures: Path) -> str:
    done = subprocess.run([sys.executable, str(SUMMARY), str(figures)], capture_output=True, text=True, check=True)
    return done.stdout


def test_noted_figures_are_printed_with_peers_beside_and_the_goal(tmp_path: Path) -> None:
    figures = tmp_path / "figures.jsonl"
    rows = [
        {"figure": "ms_news_ms", "system": "langdetect", "value": 0.0, "detail": "0/270"},
        {"figure": "ms_news_ms", "system": "newsingest", "value": 0.9852, "detail": "266/270"},
        {"figure": "zwnj_glued_recall", "system": "newsingest", "value": 0.8, "detail": ""},
    ]
    figures.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = run(figures)
    assert "| figure | newsingest | langdetect | goal |" in out
    assert "| Malay news leads labelled ms (held-out half) | 0.985 (266/270) | 0.000 (0/270) | ≥ 0.98 |" in out
    assert "| glued ZWNJ restoration: recall | 0.800 |  | ≥ 0.90 |" in out
    # a figure no script measured says which data it needs
    assert "| Pashto sentences labelled ps | not measured: needs benchmarks/langid/data (LANGDATA) |  | ≥ 0.95 |" in out


def test_without_a_figures_file_every_figure_says_it_was_not_measured(tmp_path: Path) -> None:
    out = run(tmp_path / "absent.jsonl")
    lines = [line for line in out.splitlines() if line.startswith("| ") and "figure" not in line]
    assert len(lines) == 9
    assert all("not measured: needs" in line for line in lines)


def test_note_writes_only_when_make_eval_names_a_file(tmp_path: Path) -> None:
    figures = tmp_path / "figures.jsonl"
    code = ("import sys; sys.path.insert(0, 'benchmarks'); from figures import note; "
            "note('ps_sentences_ps', 'newsingest', 0.5, '1/2')")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env={"PATH": "", "NEWSINGEST_FIGURES": ""})
    assert not figures.exists()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env={"NEWSINGEST_FIGURES": str(figures)})
    assert json.loads(figures.read_text(encoding="utf-8")) == {
        "figure": "ps_sentences_ps", "system": "newsingest", "value": 0.5, "detail": "1/2"}
