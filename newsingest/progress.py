"""What a run says of its advance while it goes: the phases it passes through, the bytes it reads,
the records it writes.

The engines and the stages call a `Progress`; this one does nothing (the library shows nothing on
its own), the command line's draws bars on stderr (`newsingest.terminal`). Bytes are those taken
from the input files as they are stored (compressed bytes for a .gz, .bz2 or .xz input), so that
a phase that reads the whole input ends where the sum of the input files' sizes is.
"""

from __future__ import annotations

import os
import stat
from typing import Optional, Sequence


class Progress:
    """Told of a run's phases, bytes read and records written; shows nothing (subclass it)."""

    def phase(self, name: str, total: Optional[int] = None) -> None:
        """A new phase begins (the one before has ended): ``total`` is the bytes it reads, when it
        reads the whole input and the input's size is known; None otherwise."""

    def read(self, count: int) -> None:
        """``count`` more bytes were taken from an input."""

    def wrote(self, count: int) -> None:
        """``count`` more records were written to the output."""


NO_PROGRESS = Progress()


class Tally(Progress):
    """A `Progress` that counts what it is told (records written, bytes read, the phases by
    name) and passes it on."""

    def __init__(self, shown: Progress = NO_PROGRESS) -> None:
        self.shown = shown
        self.records = 0
        self.bytes_read = 0
        self.phases: list[tuple[str, Optional[int]]] = []

    def phase(self, name: str, total: Optional[int] = None) -> None:
        self.phases.append((name, total))
        self.shown.phase(name, total)

    def read(self, count: int) -> None:
        self.bytes_read += count
        self.shown.read(count)

    def wrote(self, count: int) -> None:
        self.records += count
        self.shown.wrote(count)


def input_size(paths: Sequence[str]) -> Optional[int]:
    """The bytes of one whole read of ``paths``: the sum of their sizes, or None when one of
    them is standard input or anything but a regular file (a pipe has no size)."""
    total = 0
    for path in paths:
        if path == "-":
            return None
        try:
            info = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        total += info.st_size
    return total
