"""The ids of `split`'s records: a member's name, made unique within a run.

Light to import (no extraction table, language profile or record model): a run hands out the
ids of the members a resumed run skips before it loads the stage itself.
"""

from __future__ import annotations

import os

from ..io.container import Member

__all__ = ["IdAllocator", "container_label"]


def container_label(path: str) -> str:
    """The name that stands for a container in the ids of its unnamed members."""
    return "stdin" if path == "-" else os.path.basename(path)


class IdAllocator:
    """Hands out unique ids within one run: a repeated member name gets ``#2``, ``#3``, ...;
    every id starts with ``prefix``."""

    def __init__(self, prefix: str = "") -> None:
        self._counts: dict[str, int] = {}
        self.prefix = prefix

    def __call__(self, member: Member) -> str:
        base = member.name if member.name is not None else f"{container_label(member.container)}#{member.ordinal}"
        base = self.prefix + base
        count = self._counts.get(base, 0) + 1
        self._counts[base] = count
        if count == 1:
            return base
        candidate = f"{base}#{count}"
        while candidate in self._counts:  # `a#2` may also be a real member name
            count += 1
            candidate = f"{base}#{count}"
        self._counts[base] = count
        self._counts[candidate] = 1
        return candidate
