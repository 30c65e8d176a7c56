"""What every engine offers, and the small facts they share."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Protocol

from ..errors import Problem
from ..options import Reading
from ..progress import Progress


# The phases `split` and `normalize` tell their `Progress` of (dedup's: `stages.dedup.PHASES`).
PHASES = {"plan": "planning partitions", "split": "splitting", "normalize": "normalizing"}


class Reporter(Protocol):
    """Where a run's problems go (`pipeline.report.Report`): called with a problem, or told of a
    line skipped on the user's word."""

    def __call__(self, problem: Problem) -> None: ...

    def problem(self, problem: Problem) -> None: ...

    def skipped(self, problem: Problem) -> None: ...


class Engine(Protocol):
    """Runs a stage over input files into a sink, telling ``progress`` of its phases, the bytes it
    reads and the records it writes. Every engine gives the same records."""

    def split(self, paths: list[str], options: Any, sink: Any, report: Any, progress: Progress) -> None: ...

    def normalize(self, paths: list[str], options: Any, sink: Any, report: Any, how: Reading,
                  progress: Progress) -> None: ...

    def dedup(self, paths: list[str], options: Any, drop: bool, sink: Any, report: Any, how: Reading,
              progress: Progress) -> None: ...


def invalid_lines(how: Reading, report: Any) -> Optional[Callable[[Problem], None]]:
    """Where a line that is not a record goes: skipped and counted, or (None) it ends the run."""
    return report.skipped if how.skip_invalid else None


def duplicates_told(report: Any) -> Optional[Callable[[int, int], None]]:
    """Where a dedup run tells how many exact and near duplicates it found: the report's outcome
    (`pipeline.report.Outcome`), when it has one."""
    outcome = getattr(report, "outcome", None)
    return None if outcome is None else outcome.found


def shaping(stage: str, options: Any, **more: Any) -> dict[str, Any]:
    """The options that shape a stage's records, as JSON: a shard folder's manifest keeps them, and
    `--resume` goes on only with the same ones (and the same version of newsingest)."""
    from .. import __version__

    fields = {key: sorted(value) if isinstance(value, (set, frozenset)) else value
              for key, value in dataclasses.asdict(options).items()}
    return {"stage": stage, **fields, **more, "version": __version__}


def run_options(engine: Any, how: Optional[Reading] = None) -> dict[str, Any]:
    """The options of a run that leave its records as they are: the engine and its workers, how
    record lines are read. A shard folder's manifest keeps them for each run, a resume included;
    `--resume` does not compare them (the records are the same whatever they are)."""
    return {"engine": type(engine).__name__.lower(), **dataclasses.asdict(engine),
            **(dataclasses.asdict(how) if how is not None else {})}


@dataclass
class Heard:
    """What a worker found to report (problems, skipped lines), sent back to the driver to report."""

    problems: list[Problem] = field(default_factory=list)
    skipped_lines: list[Problem] = field(default_factory=list)

    def problem(self, problem: Problem) -> None:
        self.problems.append(problem)

    def skipped(self, problem: Problem) -> None:
        self.skipped_lines.append(problem)

    def tell(self, report: Any) -> None:
        for problem in self.skipped_lines:
            report.skipped(problem)
        for problem in self.problems:
            report.problem(problem)
