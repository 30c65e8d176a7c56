"""The library's plain exceptions: no click, no rich, so any caller can handle them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


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
        return f"{where}: {self.message}"


class ProblemError(NewsingestError):
    """Raised when a problem is not to be recovered from (strict mode, or no handler)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


class RecordError(ProblemError):
    """A JSONL line that is not a valid newsingest record."""
