"""libFuzzer target (atheris): the container reader and the container invariant on any bytes.

For every input: the reader with a collecting handler never raises; with the default handler it
raises only ProblemError; and records + unreadable members = headers, every line of every member
in its record (newsingest.testing.accounting.check_container raises AssertionError otherwise).

    make fuzz                                     # every target, FUZZ_SECONDS each
    .venv/bin/python fuzz/fuzz_container.py .fuzz/container -max_total_time=60 -max_len=4096
"""

from __future__ import annotations

import io
import os
import sys

import atheris

with atheris.instrument_imports(include=["newsingest"]):
    from newsingest.testing.accounting import check_container
    from newsingest.io.container import read_container
    from newsingest.errors import ProblemError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _seeds import fuzz, seed_containers  # noqa: E402


def test_one_input(data: bytes) -> None:
    members = list(read_container(io.BytesIO(data), "fuzz.txt", lambda problem: None))
    assert [m.ordinal for m in members] == list(range(1, len(members) + 1))
    try:
        list(read_container(io.BytesIO(data), "fuzz.txt"))
    except ProblemError:
        pass  # the documented stop at the first problem
    check_container(data, "fuzz.txt")


if __name__ == "__main__":
    fuzz(test_one_input, seed_containers)
