"""The library runner: inputs, a stage, a sink and an engine, whichever the caller picks.

    from newsingest.pipeline import split_files, ShardSink, Dask
    report = split_files(["dump.txt.gz"], sink=ShardSink("corpus/"), engine=Dask("tcp://scheduler:8786"))

Every function reads its inputs (paths, ``-`` for standard input), runs one stage on the engine
(`Local(jobs)` on this machine, `Dask(address)` on a cluster) and writes the records to the sink
(`StreamSink(path)`: standard output or one file; `ShardSink(folder, size, resume)`: shards).
The records are the same bytes whatever the engine, the number of jobs or a resume. What went
wrong with the data goes to the `Report` (returned, clean or not); an error that stops the run
is raised (a `NewsingestError`; `OptionsConflict` for options that do not go together — checked
here, once, before anything is read). A `Progress` is told of the run's phases, bytes read and
records written as it goes; the report's `outcome` says what the run wrote, once it has ended.
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence

from ..engines.base import Engine
from ..engines.dask import Dask
from ..engines.local import Local
from ..errors import OptionsConflict
from ..io.container import pack_file, pack_sources, read_container
from ..io.inputs import readable_once
from ..io.jsonl import Reading, read_records
from ..io.shards import shards_in
from ..io.sinks import ShardSink, Sink, StreamSink, sink_for
from ..io.streams import open_output, read_text_lines, reading
from ..stages.dedup import DedupOptions
from ..stages.normalize import Options as NormalizeOptions
from ..stages.normalize import normalize_text
from ..stages.split import SplitOptions
from ..stages.stats import CorpusStats, collect_stats
from ..stages.unpack import member_problems, unpack_members
from ..progress import NO_PROGRESS, Progress, Tally
from .report import Outcome, Report

__all__ = [
    "Dask", "Engine", "Local", "OptionsConflict", "Outcome", "Progress", "Reading", "Report", "ShardSink", "Sink",
    "StreamSink", "dedup_files", "normalize_files", "normalize_lines", "pack_files", "sink_for", "split_files",
    "stats_files", "unpack_file",
]


def _check(paths: Sequence[str], sink: Sink, engine: Engine, stage: str) -> list[str]:
    """The inputs, once the options are known to go together (every rule lives here)."""
    paths = list(paths) or ["-"]
    if isinstance(engine, Dask):
        if not isinstance(sink, ShardSink):
            raise OptionsConflict("--scheduler writes shards: give -o DIR/")
        if "-" in paths or any(readable_once(path) for path in paths):
            raise OptionsConflict("--scheduler needs files: workers read them, not standard input or a pipe")
        if stage != "split" and sink.shard_size is not None:
            raise OptionsConflict(f"{stage} --scheduler writes one shard per input: --shard-size goes with split, "
                                  "or with this machine's engine")
    if isinstance(sink, ShardSink) and sink.resume:
        if stage == "dedup":
            raise OptionsConflict("--resume goes with split and normalize: dedup compares every record with "
                                  "every other, so it runs whole")
        if "-" in paths:
            raise OptionsConflict("--resume needs input files: standard input cannot be read again")
    return paths


def _writing(sink: Sink, report: Optional[Report], progress: Progress,
             run: Callable[[Report, Progress], None]) -> Report:
    """Run ``run`` with the report and a tally of ``progress``; then fill the report's outcome."""
    report = report or Report()
    tally = Tally(progress)
    outcome = Outcome(sink.directory if isinstance(sink, ShardSink) else sink.path)
    report.outcome = outcome  # an engine may tell it what it found (dedup's duplicates)
    run(report, tally)
    outcome.records = tally.records
    if isinstance(sink, ShardSink):
        outcome.files = shards_in(sink.directory)
    return report


def split_files(paths: Sequence[str], options: SplitOptions = SplitOptions(), sink: Sink = StreamSink(),
                engine: Engine = Local(), report: Optional[Report] = None,
                progress: Progress = NO_PROGRESS) -> Report:
    """Containers into one record per article (`stages.split`)."""
    paths = _check(paths, sink, engine, "split")
    return _writing(sink, report, progress,
                    lambda report, progress: engine.split(paths, options, sink, report, progress))


def normalize_files(paths: Sequence[str], options: NormalizeOptions = NormalizeOptions(),
                    sink: Sink = StreamSink(), engine: Engine = Local(), report: Optional[Report] = None,
                    how: Reading = Reading(), progress: Progress = NO_PROGRESS) -> Report:
    """JSONL records normalized by their language (`stages.normalize`)."""
    paths = _check(paths, sink, engine, "normalize")
    return _writing(sink, report, progress,
                    lambda report, progress: engine.normalize(paths, options, sink, report, how, progress))


def dedup_files(paths: Sequence[str], options: DedupOptions = DedupOptions(), drop: bool = False,
                sink: Sink = StreamSink(), engine: Engine = Local(), report: Optional[Report] = None,
                how: Reading = Reading(), progress: Progress = NO_PROGRESS) -> Report:
    """JSONL records marked as duplicates, or only the kept copies with ``drop`` (`stages.dedup`)."""
    paths = _check(paths, sink, engine, "dedup")

    def run(report: Report, progress: Progress) -> None:
        assert report.outcome is not None
        report.outcome.dropped = drop
        engine.dedup(paths, options, drop, sink, report, how, progress)

    return _writing(sink, report, progress, run)


def normalize_lines(paths: Sequence[str], lang: str, options: NormalizeOptions = NormalizeOptions(),
                    output: str = "-", report: Optional[Report] = None) -> Report:
    """Plain text, line by line, normalized with the rules of ``lang``."""
    report = report or Report()
    with open_output(output) as out:
        for path in list(paths) or ["-"]:
            with reading(path) as stream:
                for line in read_text_lines(stream, path, report):
                    out.write(normalize_text(line, lang, options).encode("utf-8") + b"\n")
    return report


def stats_files(paths: Sequence[str], how: Reading = Reading(), report: Optional[Report] = None) -> CorpusStats:
    """The figures of a corpus, in one streaming pass (`stages.stats`)."""
    report = report or Report()

    def records():
        for path in list(paths) or ["-"]:
            with reading(path) as stream:
                yield from read_records(stream, path, report.skipped if how.skip_invalid else None,
                                        how.max_line_bytes)

    return collect_stats(records())


def pack_files(paths: Sequence[str], output: str = "-", report: Optional[Report] = None) -> Report:
    """Text files into one container, each a member named by its relative path."""
    report = report or Report()
    with open_output(output) as out:
        for name, path in pack_sources(paths):
            pack_file(name, path, out, report)
    return report


def unpack_file(container: str, directory: str, force: bool = False, max_member_bytes: Optional[int] = None,
                report: Optional[Report] = None) -> Report:
    """Each member of a container back as the file it was packed from."""
    report = report or Report()
    limits = {} if max_member_bytes is None else {"max_member_bytes": max_member_bytes}
    with reading(container) as stream:
        members = read_container(stream, container, member_problems(report), **limits)
        unpack_members(members, directory, force, report)
    return report
