"""The library's plain exceptions and problem reports: no click, no rich, so any caller can handle them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .script import BIDI_CONTROLS, BIDI_MARKS

# Characters that a terminal acts on instead of showing: C0 and C1 controls (ESC starts the
# sequences that move the cursor, set the title or write the clipboard), DEL, and the bidi
# controls and marks that reorder the rest of a line. Shown escaped wherever data reaches a terminal.
_UNSAFE = [*range(0x00, 0x20), *range(0x7F, 0xA0), *map(ord, BIDI_MARKS + BIDI_CONTROLS), 0x2028, 0x2029]
_ESCAPES = {cp: (f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}") for cp in _UNSAFE}


def printable(text: str) -> str:
    """``text`` with every character a terminal would act on written as an escape (``\\x1b``, ``\\u202e``)."""
    return text.translate(_ESCAPES)


class NewsingestError(Exception):
    """Base class: every error the library raises on bad input derives from it."""


@dataclass(frozen=True)
class Problem:
    """A problem found at a place in an input, printed as ``FILE:LINE: message``."""

    path: str
    line: Optional[int]
    kind: str
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return printable(f"{where}: {self.message}")


class ProblemError(NewsingestError):
    """Raised when a problem is not to be recovered from (strict mode, or no handler)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


class RecordError(ProblemError):
    """A JSONL line that is not a valid newsingest record."""


class InputChanged(NewsingestError):
    """An input read more than once (by `dedup`) was not the same on a later read."""


class OptionsConflict(NewsingestError):
    """Options that do not go together (a usage error: the command line exits 2)."""


class MissingExtra(NewsingestError):
    """A feature whose optional dependencies are not installed."""
