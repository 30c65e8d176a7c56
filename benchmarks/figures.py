"""The figures an issue's table asks for, noted by each evaluation script and printed together at the end.

`make eval` sets NEWSINGEST_FIGURES to a file; each script calls `note(...)` for the figures it
measures (one JSON line each), and `benchmarks/eval_summary.py` prints them as one table with the
peers beside newsingest and the goal. Run alone (no NEWSINGEST_FIGURES), a script notes nothing.
"""

from __future__ import annotations

import json
import os


def note(figure: str, system: str, value: float, detail: str = "") -> None:
    """Record one measured figure (a share in [0, 1]) of one system."""
    path = os.environ.get("NEWSINGEST_FIGURES")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps({"figure": figure, "system": system, "value": value, "detail": detail},
                           ensure_ascii=False) + "\n")
