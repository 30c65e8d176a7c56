"""libFuzzer target (atheris): every stage on any container, with hostile lines mixed in.

For every input, read as a container (with lines the fuzzer also picks from a list of known
troublemakers: malformed URLs, impossible dates, mixed scripts, huge tokens): split, normalize,
dedup and stats never raise; no article fails (a `record_failed` problem would mean a bug caught
at the article); and records + members reported unreadable = headers.

    make fuzz                                     # every target, FUZZ_SECONDS each
    .venv/bin/python fuzz/fuzz_pipeline.py .fuzz/pipeline -max_total_time=60 -max_len=4096
"""

from __future__ import annotations

import io
import os
import sys

import atheris

with atheris.instrument_imports(include=["newsingest"]):
    from newsingest.testing.accounting import UNREADABLE_KINDS, _count_headers
    from newsingest.io.container import read_container
    from newsingest.stages.dedup import dedup_records
    from newsingest.stages.normalize import normalize_records
    from newsingest.stages.split import split_members
    from newsingest.stages.stats import collect_stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _seeds import fuzz, seed_containers  # noqa: E402

HOSTILE = [
    b"http://[abc", b"Source: http://[x", "منبع: https://[::1/a".encode(), b"www.[bad", b"99/99/9999", b"10/7/2025 19:30",
    "۱۴۰۲/۱۳/۴۰".encode(), b"1445/09/10", b"2021-02-30T25:61", "(رويترز) (AFP) (".encode(), b"x" * 3000,
    "ب".encode() * 1500, "\u202e\u2066معکوس\u2069".encode(), b"JAKARTA (ANTARA) -", b"\xef\xbb\xbf\xe2\x80\x8b",
]


def with_hostile_lines(data: bytes) -> bytes:
    """The input, with a hostile line after each line whose first byte picks one."""
    out = []
    for line in data.split(b"\n"):
        out.append(line)
        if line and line[0] % 5 == 0:
            out.append(HOSTILE[line[0] % len(HOSTILE)])
    return b"\n".join(out)


def test_one_input(data: bytes) -> None:
    data = with_hostile_lines(data)
    problems = []
    members = list(read_container(io.BytesIO(data), "fuzz.txt", problems.append))
    records = list(split_members(iter(members), on_problem=problems.append))
    unreadable = sum(p.kind in UNREADABLE_KINDS for p in problems)
    assert len(records) + unreadable == _count_headers(data), "records + unreadable members != headers"
    normalized = list(normalize_records(records, on_problem=problems.append))
    marked = list(dedup_records(lambda: iter(normalized), on_problem=problems.append))
    assert [r.id for r in marked] == [r.id for r in records]
    collect_stats(marked)
    failed = [p for p in problems if p.kind == "record_failed"]
    assert not failed, failed[0]


if __name__ == "__main__":
    fuzz(test_one_input, seed_containers)
