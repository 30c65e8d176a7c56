"""What a run tells its user besides the records: problems, skipped lines, and whether it was clean.

The library decides what is reported and how often; the caller decides where it is shown (the
command line prints on stderr). A run is clean when nothing was reported.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, Optional

from ..errors import Problem, ProblemError


def _ignore(message: str) -> None:
    pass


class Report:
    """Counts the problems of a run and shows them through ``show``.

    At most SHOWN problems of one kind are shown for one input; the rest are counted, and
    `finish` says how many were not shown (a container of a million repeated names is not a
    million lines of messages). ``strict``: the first problem ends the run (ProblemError).
    Lines skipped by ``--skip-invalid`` are `skipped`: each shown, counted by reason, summed up
    at the end."""

    SHOWN = 100

    def __init__(self, show: Callable[[str], None] = _ignore, strict: bool = False) -> None:
        self.show = show
        self.strict = strict
        self.problems = 0
        self.skipped_lines: Counter = Counter()
        self._by_kind: Counter = Counter()
        self.last_raised: Optional[Problem] = None  # the problem that ended a strict run (shown already)

    def problem(self, problem: Problem) -> None:
        self.problems += 1
        key = (problem.path, problem.kind)
        self._by_kind[key] += 1
        if self._by_kind[key] <= self.SHOWN:
            self.show(str(problem))
        if self.strict:
            self.last_raised = problem
            raise ProblemError(problem)

    __call__ = problem

    def skipped(self, problem: Problem) -> None:
        """A line that is not a record, skipped on the user's word (--skip-invalid)."""
        self.skipped_lines[problem.kind] += 1
        self.show(str(problem))

    @property
    def clean(self) -> bool:
        return not self.problems and not self.skipped_lines

    def finish(self) -> None:
        """The summary lines: problems not shown, lines skipped by reason."""
        for (path, kind), n in self._by_kind.items():
            if n > self.SHOWN:
                self.show(f"newsingest: {path}: {n - self.SHOWN:,} more {kind} problems not shown "
                          f"({n:,} in all; the first {self.SHOWN} are above)")
        if self.skipped_lines:
            total = sum(self.skipped_lines.values())
            reasons = ", ".join(f"{kind} {n:,}" for kind, n in
                                sorted(self.skipped_lines.items(), key=lambda kv: (-kv[1], kv[0])))
            self.show(f"newsingest: skipped {total:,} invalid {'line' if total == 1 else 'lines'} ({reasons})")
