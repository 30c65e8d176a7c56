"""The engine of one machine: every stage in this process, its per-article work on ``jobs``
worker processes (`engines.pool`). The records and their bytes are the same whatever ``jobs``.

Each stage's module (its tables, its record model, numpy) is imported when the stage has work,
so that a run over an input without members starts and ends without them."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import chain, islice
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional

from ..io.container import read_container
from ..io.streams import reading
from ..options import DedupOptions, NormalizeOptions, Reading, SplitOptions
from ..stages.ids import IdAllocator
from ..progress import Progress, input_size
from .pool import Workers
from ..io.sinks import Sink
from .base import PHASES, Reporter, duplicates_told, invalid_lines, run_options, shaping

if TYPE_CHECKING:
    from ..errors import Problem
    from ..io.container import Member
    from ..record import Record


@dataclass(frozen=True)
class Local:
    """Worker processes on this machine: ``jobs`` of them (1: all in this process)."""

    jobs: int = 1

    def split(self, paths: list[str], options: SplitOptions, sink: Sink, report: Reporter, progress: Progress) -> None:
        ids = IdAllocator(options.id_prefix)
        with Workers(self.jobs) as workers, sink.open(paths, shaping("split", options), run_options(self)) as out:
            progress.phase(PHASES["split"], input_size(paths))
            for index, path in enumerate(paths):
                skip = out.skip(index)
                with reading(path, progress.read) as stream:
                    if skip is None:  # written by an earlier run: its members only take their ids
                        for member in read_container(stream, path, report, options.encoding,
                                                     options.max_member_bytes):
                            if member.has_text:
                                ids(member)
                    else:
                        told = _InOrder(report, skip, options.window if options.learn_furniture > 0 else 1)
                        members = read_container(stream, path, told.reader, options.encoding,
                                                 options.max_member_bytes)
                        for line in _split_lines(told.counted(members), ids, options, workers, told.record, skip):
                            told.flush()
                            out.write(index, line)
                            told.written += 1
                            progress.wrote(1)
                        told.flush(everything=True)
                out.input_done(index)

    def normalize(self, paths: list[str], options: NormalizeOptions, sink: Sink, report: Reporter, how: Reading,
                  progress: Progress) -> None:
        from ..io.jsonl import dumps_record
        from ..stages.normalize import normalize_records

        shaped = shaping("normalize", options, text_field=how.text_field)
        with Workers(self.jobs) as workers, sink.open(paths, shaped, run_options(self, how)) as out:
            progress.phase(PHASES["normalize"], input_size(paths))
            sources: deque[int] = deque()  # the input of each record in flight, in order
            records = _tagged(paths, out.skip, how, report, sources, progress.read)
            for record in normalize_records(records, options, workers, report):
                index = sources.popleft()
                while index < 0:  # inputs that ended before this record
                    out.input_done(-index - 1)
                    index = sources.popleft()
                out.write(index, dumps_record(record))
                progress.wrote(1)
            for index in sources:
                out.input_done(-index - 1)

    def dedup(self, paths: list[str], options: DedupOptions, drop: bool, sink: Sink, report: Reporter, how: Reading,
              progress: Progress) -> None:
        from ..io.inputs import RereadableRecords, readable_once
        from ..io.jsonl import dumps_record
        from ..stages.dedup import PHASES as DEDUP_PHASES
        from ..stages.dedup import dedup_records

        if any(readable_once(path) for path in paths):
            progress.phase(DEDUP_PHASES["copy"])  # to a temporary file: it is read several times
        with RereadableRecords(paths, invalid_lines(how, report), how.max_line_bytes, how.text_field,
                               progress.read) as records, Workers(self.jobs) as workers:
            commit: Optional[Callable[[], None]] = None
            if options.index is not None:  # marked against the index, which then takes the records in
                from ..stages.dedup_index import dedup_indexed

                run = dedup_indexed(records, options.index, options, drop=drop, jobs=workers, on_problem=report,
                                    progress=progress, size=records.size, on_duplicates=duplicates_told(report))
                marked, commit = run.records, run.commit
            else:
                marked = dedup_records(records, options, drop=drop, jobs=workers, on_problem=report,
                                       progress=progress, size=records.size, on_duplicates=duplicates_told(report))
            with sink.open(paths, shaping("dedup", options, drop=drop, text_field=how.text_field),
                           run_options(self, how)) as out:
                for record in marked:
                    out.write(0, dumps_record(record))
                    progress.wrote(1)
                for index in range(len(paths)):
                    out.input_done(index)
            if commit is not None:  # only once the output is complete
                commit()


class _InOrder:
    """The problems of one input in the order one process tells them, whatever the number of jobs:
    what the reader finds ahead, while workers hold earlier members, is held back until the
    records read before it are written (those of whole furniture windows, which one process
    reads before it makes their records). Counts are of members with text, from the input's first."""

    def __init__(self, report: Reporter, skip: int, window: int) -> None:
        self.report = report
        self.written = skip  # the members whose records are written (or were, before a resume)
        self.read = 0  # the members with text the reader has given
        self.window = window
        self.held: deque[tuple[int, Problem]] = deque()

    def counted(self, members: Iterable[Member]) -> Iterator[Member]:
        for member in members:
            if member.has_text:
                self.read += 1
            yield member

    def reader(self, problem: Problem) -> None:
        after = self.read // self.window * self.window  # told once this many records are written
        if after <= self.written and not self.held:
            self.report(problem)
        else:
            self.held.append((after, problem))

    def record(self, problem: Problem) -> None:
        """A failure on the next record to be written."""
        self.flush()
        self.report(problem)

    def flush(self, everything: bool = False) -> None:
        while self.held and (everything or self.held[0][0] <= self.written):
            self.report(self.held.popleft()[1])


def _split_lines(members: Iterable[Member], ids: IdAllocator, options: SplitOptions, workers: Workers,
                 report: Callable[[Problem], None], skip: int) -> Iterator[bytes]:
    """The JSONL lines of the members' records (`stages.split`), the stage loaded when the first
    member comes."""
    members = iter(members)
    first = next(members, None)
    if first is None:
        return
    from ..stages.split import split_lines

    yield from split_lines(chain((first,), members), ids, options, workers, on_problem=report, skip=skip)


def _tagged(paths: list[str], skip: Callable[[int], Optional[int]], how: Reading, report: Reporter,
            sources: deque[int], counted: Callable[[int], None]) -> Iterator[Record]:
    """The records of every input in turn, each one's input index put on ``sources`` as it goes
    out (and -index-1 when an input ends), so that records coming back in order find their input."""
    from ..io.inputs import read_input

    for index, path in enumerate(paths):
        done = skip(index)
        if done is not None:
            with reading(path, counted) as stream:
                for record in islice(read_input(stream, path, invalid_lines(how, report), how.max_line_bytes,
                                                how.text_field),
                                     done, None):
                    sources.append(index)
                    yield record
        sources.append(-index - 1)
