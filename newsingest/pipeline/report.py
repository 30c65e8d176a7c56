"""What a run tells its user besides the records: problems, skipped lines, whether it was clean,
and what it did (its `Outcome`, said in one closing line by `Report.summary`).

The library decides what is reported and how often; the caller decides where it is shown (the
command line prints on stderr). A run is clean when nothing was reported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Optional

from ..errors import Problem, ProblemError


def _ignore(message: str) -> None:
    pass


def _count(n: int, thing: str, things: str = "") -> str:
    return f"{n:,} {thing if n == 1 else (things or thing + 's')}"


@dataclass
class Outcome:
    """What a run that writes records did: how many it wrote, where (``output``: a file, a folder
    of shards, ``-`` for standard output) and into how many files (None: one stream); for dedup,
    how many exact and near duplicates it found (marked, or ``dropped``)."""

    output: str = "-"
    records: int = 0
    files: Optional[int] = None
    exact: Optional[int] = None
    near: Optional[int] = None
    dropped: bool = False

    def found(self, exact: int, near: int) -> None:
        self.exact, self.near = exact, near


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
        self.skipped_lines: Counter[str] = Counter()
        self._by_kind: Counter[tuple[str, str]] = Counter()
        self.last_raised: Optional[Problem] = None  # the problem that ended a strict run (shown already)
        self.outcome: Optional[Outcome] = None  # filled by a run that writes records, when it ends

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

    def summary(self) -> Optional[str]:
        """The closing line of a run that wrote records: what it wrote where, the duplicates it
        found, the problems and skipped lines (None when the run writes no records)."""
        outcome = self.outcome
        if outcome is None:
            return None
        where = "standard output" if outcome.output == "-" else outcome.output
        if outcome.files is not None:
            where += f" ({_count(outcome.files, 'file')})"
        parts = [f"wrote {_count(outcome.records, 'record')} to {where}"]
        if outcome.exact is not None and outcome.near is not None:
            parts.append(f"{outcome.exact:,} exact and {_count(outcome.near, 'near duplicate')} "
                         f"{'dropped' if outcome.dropped else 'marked'}")
        if self.problems:
            parts.append(f"{_count(self.problems, 'problem')} reported")
        if self.skipped_lines:
            parts.append(f"{_count(sum(self.skipped_lines.values()), 'invalid line')} skipped")
        return "newsingest: " + "; ".join(parts)
