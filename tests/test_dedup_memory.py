"""dedup's memory grows by its documented bytes per record (docs/dedup.md, "Memory"), counted by
tracemalloc over N and 2N records: never the clock, never a huge input."""

import collections
import os
import re
import tracemalloc
from pathlib import Path
from typing import Iterator

import numpy as np

from newsingest.record import Record, Source
from newsingest.stages.dedup import DedupOptions, LocalIndex, dedup_records, text_hash

from .conftest import ROOT

# docs/dedup.md, "Memory": "its peak is **at most N bytes a record** with the defaults"
_FOUND = re.search(r"\*\*at most (\d+) bytes a record\*\*",
                   (ROOT / "docs" / "dedup.md").read_text(encoding="utf-8"))
assert _FOUND is not None
DOCUMENTED_BYTES_PER_RECORD = int(_FOUND.group(1))
N = 4_096  # a multiple of the blocks facts are kept in, so that N and 2N records fill them alike


def _records(n: int) -> Iterator[Record]:
    """Short distinct texts, with exact copies, near copies (one word changed) and shared urls."""
    for i in range(n):
        base = i - 7 if i % 50 == 7 else i  # an exact or near copy of a text seven records back
        words = [f"w{(base * 7 + k) % 997}x{base}" for k in range(14)]
        if i % 100 == 7:
            words[-1] = "changed"
        text = " ".join(words)
        yield Record(id=f"r{i}", text=text, language="id", hash=text_hash(text), n_chars=len(text),
                     url=f"https://example.com/{i // 3}" if i % 9 == 0 else None,
                     source=Source(container="c", member=f"r{i}", line=i + 1))


def _peak(n: int) -> tuple[int, collections.Counter[str | None]]:
    """Bytes allocated at the peak of a whole dedup of ``n`` records, over what was held before."""
    tracemalloc.start()
    try:
        held = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        marked = dedup_records(lambda: _records(n))
        kinds = collections.Counter(record.dup_kind for record in marked)
        return tracemalloc.get_traced_memory()[1] - held, kinds
    finally:
        tracemalloc.stop()


def test_dedup_memory_grows_by_at_most_the_documented_bytes_per_record() -> None:
    _peak(2_048)  # lazy imports and caches, once
    small, small_kinds = _peak(N)
    large, large_kinds = _peak(2 * N)
    assert small_kinds["exact"] > 0 and small_kinds["near"] > 0  # every path ran
    assert large_kinds["exact"] >= 2 * small_kinds["exact"] - 2
    per_record = (large - small) / N
    assert per_record <= DOCUMENTED_BYTES_PER_RECORD, f"{per_record:.0f} bytes a record"


def test_signatures_and_cold_facts_are_in_temporary_files_that_close_removes(tmp_path: Path) -> None:
    index = LocalIndex(lambda: _records(3_000), DedupOptions(), spill_dir=os.fspath(tmp_path))
    assert index.n == 3_000 and index.signatures(np.array([2_999])).shape == (1, 64)
    assert index.column("id").size == 3_000 and list(tmp_path.iterdir()) == []  # unnamed, gone with the process
    held = sum(value.nbytes for value in index.data.values() if hasattr(value, "nbytes"))
    held += sum(block.nbytes for block in index.data["band_blocks"])
    assert held <= 3_000 * (12 + 8 * 12)  # length and date, a key a band
    index.close()
