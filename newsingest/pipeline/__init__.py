"""The library runner: inputs, a stage, a sink and an engine, whichever the caller picks.

    from newsingest.pipeline import split_files, ShardSink, Dask
    report = split_files(["dump.txt.gz"], sink=ShardSink("corpus/"), engine=Dask("tcp://scheduler:8786"))

Every function reads its inputs (paths, ``-`` for standard input), runs one stage on the engine
(`Local(jobs)` on this machine, `Dask(address)` on a cluster) and writes the records to the sink
(`StreamSink(path)`: standard output or one file; `ShardSink(folder, size, resume)`: shards), in
JSONL or Parquet (`StreamSink("corpus.parquet")`, `ShardSink(folder, format="parquet")`).
The records are the same bytes whatever the engine, the number of jobs or a resume. What went
wrong with the data goes to the `Report` (returned, clean or not); an error that stops the run
is raised (a `NewsingestError`; `OptionsConflict` for options that do not go together — checked
here, once, before anything is read). A `Progress` is told of the run's phases, bytes read and
records written as it goes; the report's `outcome` says what the run wrote, once it has ended.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterator, Mapping, Optional, Sequence

from ..engines.base import Engine
from ..engines.dask import Dask
from ..engines.local import Local
from ..errors import OptionsConflict
from ..io.places import check_input, is_url
from ..io.container import DEFAULT_MAX_MEMBER_BYTES, listed_paths, pack_file, pack_sources, read_container
from ..io.formats import FORMATS, PARQUET
from ..io.shards import shards_in
from ..io.sinks import ShardSink, Sink, StreamSink, one_file, sink_for
from ..io.streams import open_output, read_text_lines, reading, standard_input
from ..options import DedupOptions, NormalizeOptions, Reading, SplitOptions
from ..stages.stats_html import DEFAULT_TITLE
from ..stages.unpack import member_problems, unpack_members
from ..progress import NO_PROGRESS, Progress, Tally
from .report import Outcome, Report

if TYPE_CHECKING:
    from ..record import Record
    from ..stages.stats import CorpusStats

# The stages (their tables, record model and numpy) are imported by the functions that run them,
# so that importing the runner, and a run over an empty input, cost little (docs/scale.md).

__all__ = [
    "FORMATS", "Dask", "Engine", "Local", "OptionsConflict", "Outcome", "Progress", "Reading", "Report", "ShardSink",
    "Sink", "StreamSink", "check_given", "check_stats_outputs", "dedup_files", "normalize_files", "normalize_lines",
    "pack_files", "sink_for", "split_files", "stats_files", "unpack_file", "write_stats_html",
]


def _check(paths: Sequence[str], sink: Sink, engine: Engine, stage: str, index: Optional[str] = None) -> list[str]:
    """The inputs, once the options are known to go together (every rule lives here)."""
    paths = list(paths) or ["-"]
    if sink.file_format == PARQUET:
        from ..io.parquet import require_pyarrow

        require_pyarrow()
    if isinstance(engine, Dask):
        from ..io.inputs import readable_once

        if not isinstance(sink, ShardSink):
            raise OptionsConflict("--scheduler writes shards: give -o DIR/")
        if any(is_url(path) for path in [*paths, sink.directory]):
            raise OptionsConflict("--scheduler reads and writes files its workers share: URLs go with this "
                                  "machine's engine (leave out --scheduler)")
        if "-" in paths or any(readable_once(path) for path in paths):
            raise OptionsConflict("--scheduler needs files: workers read them, not standard input or a pipe")
        if stage != "split" and sink.shard_size is not None:
            raise OptionsConflict(f"{stage} --scheduler writes one shard per input: --shard-size goes with split, "
                                  "or with this machine's engine")
    if index is not None and is_url(index):
        raise OptionsConflict("--index is a folder of this machine: give a local path")
    if index is not None and isinstance(engine, Dask):
        raise OptionsConflict("--index goes with this machine's engine (leave out --scheduler; --jobs N "
                              "spreads the hashing): the index is read and written here")
    if isinstance(sink, ShardSink) and sink.resume:
        if stage == "dedup":
            raise OptionsConflict("--resume goes with split and normalize: dedup compares every record with "
                                  "every other, so it runs whole")
        if "-" in paths:
            raise OptionsConflict("--resume needs input files: standard input cannot be read again")
    return _checked_inputs(paths)


def _checked_inputs(paths: Sequence[str]) -> list[str]:
    """The inputs (``-`` when none), every URL among them readable (`io.places.check_input`)."""
    paths = list(paths) or ["-"]
    for path in paths:
        check_input(path)
    return paths


# Options that would do nothing beside others, as the command line spells them: (command, the
# options, when they would do nothing, why). Giving one is a usage error, never silently ignored.
_IDLE: tuple[tuple[str, tuple[str, ...], Callable[[Mapping[str, object]], bool], str], ...] = (
    ("normalize",
     ("--skip-invalid", "--scheduler", "--resume", "--shard-size", "--format", "--text-field", "--max-line-bytes",
      "--jobs", "--quiet", "--progress", "--verbose"),
     lambda given: "--plain" in given, "with --plain: lines of text are normalized here, into one output"),
    ("normalize", ("--lang",), lambda given: "--plain" not in given,
     "without --plain: records carry their own language"),
    ("stats", ("--top",), lambda given: "--json" in given and "--html" not in given,
     "with --json: it holds every publisher"),
    ("stats", ("--title",), lambda given: "--html" not in given, "without --html: it is the page's title"),
    *((command, ("--jobs",), lambda given: given.get("--scheduler", "local") != "local",
       "with --scheduler ADDRESS: the cluster has its workers (--jobs counts those of --scheduler local)")
      for command in ("split", "normalize", "dedup")),
)


def check_given(command: str, given: Mapping[str, object]) -> None:
    """The options a user gave to a command (by their spelling, `--jobs`, with their values), once
    they are known to go together: an option that would do nothing is an OptionsConflict."""
    if command == "normalize" and "--plain" in given and "--lang" not in given:
        raise OptionsConflict("--plain needs --lang (for example --lang fa)")
    for rule_command, options, idle, why in _IDLE:
        found = [option for option in options if option in given]
        if rule_command == command and found and idle(given):
            one = len(found) == 1
            raise OptionsConflict(f"{' and '.join(found)} {'does' if one else 'do'} nothing {why} — leave "
                                  f"{'it' if one else 'them'} out")
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
    """Records (JSONL or Parquet) normalized by their language (`stages.normalize`)."""
    paths = _check(paths, sink, engine, "normalize")
    return _writing(sink, report, progress,
                    lambda report, progress: engine.normalize(paths, options, sink, report, how, progress))


def dedup_files(paths: Sequence[str], options: DedupOptions = DedupOptions(), drop: bool = False,
                sink: Sink = StreamSink(), engine: Engine = Local(), report: Optional[Report] = None,
                how: Reading = Reading(), progress: Progress = NO_PROGRESS) -> Report:
    """Records (JSONL or Parquet) marked as duplicates, or only the kept copies with ``drop`` (`stages.dedup`)."""
    paths = _check(paths, sink, engine, "dedup", options.index)

    def run(report: Report, progress: Progress) -> None:
        assert report.outcome is not None
        report.outcome.dropped = drop
        engine.dedup(paths, options, drop, sink, report, how, progress)

    return _writing(sink, report, progress, run)


def normalize_lines(paths: Sequence[str], lang: str, options: NormalizeOptions = NormalizeOptions(),
                    output: str = "-", report: Optional[Report] = None) -> Report:
    """Plain text, line by line, normalized with the rules of ``lang``."""
    from ..stages.normalize import normalize_text

    report = report or Report()
    paths = _checked_inputs(paths)
    with open_output(one_file(output, "normalize --plain")) as out:
        for path in paths:
            with reading(path) as stream:
                for line in read_text_lines(stream, path, report):
                    out.write(normalize_text(line, lang, options).encode("utf-8") + b"\n")
    return report


def stats_files(paths: Sequence[str], how: Reading = Reading(), report: Optional[Report] = None) -> CorpusStats:
    """The figures of a corpus, in one streaming pass (`stages.stats`)."""
    from ..io.inputs import read_input
    from ..stages.stats import collect_stats

    report = report or Report()
    paths = _checked_inputs(paths)

    def records() -> Iterator[Record]:
        for path in paths:
            with reading(path) as stream:
                yield from read_input(stream, path, report.skipped if how.skip_invalid else None,
                                      how.max_line_bytes, how.text_field)

    return collect_stats(records())


def check_stats_outputs(html: Optional[str], as_json: bool) -> None:
    """`stats --html` and `--json`: a page and the figures never both on standard output."""
    if html == "-" and as_json:
        raise OptionsConflict("--html - and --json would both write to standard output: give --html FILE")


def write_stats_html(corpus: CorpusStats, output: str, top: int = 15, title: str = DEFAULT_TITLE,
                     sources: Sequence[str] = ()) -> None:
    """The page of a corpus's figures (`stages.stats_html`), written atomically to ``output`` (``-``: stdout)."""
    from ..stages.stats_html import render_html

    page = render_html(corpus, top, title, sources).encode("utf-8")
    with open_output(output) as out:
        out.write(page)


def pack_files(paths: Sequence[str], output: str = "-", report: Optional[Report] = None,
               null: bool = False) -> Report:
    """Text files into one container, each a member named by its relative path. ``-`` stands for
    the paths listed on standard input, one a line (each ended by a NUL byte with ``null``), each
    packed as if it were given here."""
    if null and "-" not in paths:
        raise OptionsConflict("--null separates the paths listed on standard input: give - to read them")
    if any(is_url(path) for path in paths):
        raise OptionsConflict("pack reads files and folders of this machine: copy them here first "
                              "(its output, -o, may be a URL)")
    report = report or Report()
    with open_output(one_file(output, "pack")) as out:
        for given in paths:
            listed = listed_paths(standard_input(), given, null, report) if given == "-" else (given,)
            for path in listed:
                for name, source in pack_sources([path]):
                    pack_file(name, source, out, report)
    return report


def unpack_file(container: str, directory: str, force: bool = False, max_member_bytes: Optional[int] = None,
                report: Optional[Report] = None) -> Report:
    """Each member of a container back as the file it was packed from."""
    report = report or Report()
    if is_url(directory):
        raise OptionsConflict("unpack writes files into a folder of this machine: give a local -d DIR "
                              "(the container may be a URL)")
    _checked_inputs([container])
    limit = DEFAULT_MAX_MEMBER_BYTES if max_member_bytes is None else max_member_bytes
    with reading(container) as stream:
        members = read_container(stream, container, member_problems(report), max_member_bytes=limit)
        unpack_members(members, directory, force, report)
    return report
