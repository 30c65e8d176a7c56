"""The command line: a thin Click layer over the library. The only module that imports click and rich.

Exit codes: 0 clean, 1 bad data (problems were reported on stderr), 2 bad usage,
3 internal error, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import sys
from collections import Counter
from typing import BinaryIO, Iterable, Iterator, Optional, Sequence, TypeVar

import click
import orjson

from . import __version__
from .io.container import DEFAULT_MAX_MEMBER_BYTES, pack_file, pack_sources, read_container
from .io.encoding import EncodingError, canonical
from .stages.dedup import DedupOptions, dedup_records
from .errors import NewsingestError, Problem, ProblemError, printable
from .io.inputs import RereadableRecords
from .io.jsonl import DEFAULT_MAX_LINE_BYTES, dumps_record, read_records, write_records
from .stages.langid import KNOWN_LANGUAGES
from .stages.normalize import DIGIT_POLICIES, normalize_records, normalize_text
from .stages.normalize import Options as NormalizeOptions
from .engines.local import Workers, default_jobs
from .record import Record, record_json_schema
from .io.shards import ShardedOutput, parse_size
from .signals import Stopped, signals_stop_the_run
from .stages.split import IdAllocator, SplitOptions, split_members
from .stages.stats import CorpusStats, collect_stats
from .io.streams import OutputError, drop_stdout, open_input, open_output, read_text_lines, standard_output
from .stages.unpack import member_problems, unpack_members

EXIT_DATA = 1
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

T = TypeVar("T")

INPUTS = click.argument(
    "inputs", nargs=-1, type=click.Path(exists=True, dir_okay=False, allow_dash=True), metavar="[INPUT]..."
)
OUTPUT = click.option(
    "-o", "--output", default="-", show_default=True, metavar="OUT",
    help="Write here instead of stdout; OUT ending in .gz is compressed. Written atomically.",
)
QUIET = click.option("-q", "--quiet", is_flag=True, help="No progress display.")
SKIP_INVALID = click.option(
    "--skip-invalid", is_flag=True,
    help="Skip lines that are not records: report each, count them by reason, go on (exit 1 at the end).",
)
MAX_LINE_BYTES = click.option(
    "--max-line-bytes", default="256MiB", show_default=True, metavar="SIZE",
    help="A longer line is an invalid line (too_long), never held in memory.",
)
JOBS = click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=default_jobs, show_default="all cores",
    help="Worker processes. The output is the same bytes whatever the number.",
)


def say(message: str) -> None:
    """A message on stderr, every character a terminal would act on shown escaped."""
    click.echo("\n".join(printable(line) for line in message.split("\n")), err=True)


class ProblemPrinter:
    """Prints each problem as FILE:LINE: message on stderr and counts them; stops when strict.

    At most SHOWN problems of one kind are printed for one input; the rest are counted, and
    `finish` says how many were not shown (a container of a million repeated names is not a
    million lines of messages)."""

    SHOWN = 100

    def __init__(self, strict: bool = False):
        self.strict = strict
        self.count = 0
        self._by_kind: Counter = Counter()

    def __call__(self, problem: Problem) -> None:
        self.count += 1
        key = (problem.path, problem.kind)
        self._by_kind[key] += 1
        if self._by_kind[key] <= self.SHOWN:
            say(str(problem))
        if self.strict:
            raise ProblemError(problem)

    def finish(self) -> None:
        for (path, kind), n in self._by_kind.items():
            if n > self.SHOWN:
                say(f"newsingest: {path}: {n - self.SHOWN:,} more {kind} problems not shown "
                    f"({n:,} in all; the first {self.SHOWN} are above)")


def _progress(items: Iterable[T], description: str, quiet: bool) -> Iterator[T]:
    """Show a live count on stderr, only when stderr is a terminal."""
    if quiet or sys.stderr is None or not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,}"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), redirect_stdout=False, transient=True) as progress:
        task = progress.add_task(description, total=None)
        for item in items:
            yield item
            progress.advance(task)


@contextlib.contextmanager
def _opened(path: str) -> Iterator[BinaryIO]:
    try:
        stream = open_input(path)
    except OSError as exc:
        raise click.ClickException(printable(f"{path}: cannot read: {exc.strerror or exc}")) from None
    try:
        yield stream
    finally:
        if path != "-":
            stream.close()


class InvalidLines:
    """With --skip-invalid: prints each skipped line's problem on stderr and counts them by reason."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()

    def __call__(self, problem: Problem) -> None:
        self.counts[problem.kind] += 1
        say(str(problem))

    def finish(self) -> None:
        """The summary line, and exit 1 when a line was skipped: the output holds every valid record,
        but the input had problems."""
        if not self.counts:
            return
        total = sum(self.counts.values())
        reasons = ", ".join(f"{kind} {n:,}" for kind, n in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0])))
        lines = "line" if total == 1 else "lines"
        say(f"newsingest: skipped {total:,} invalid {lines} ({reasons})")
        sys.exit(EXIT_DATA)


# The longest text a record may hold: orjson, which writes every record, cannot take a string of
# 2 GiB or more (it crashes the interpreter), so members and lines stay well below.
MAX_TEXT_BYTES = 2**30


def _size_option(value: str, name: str, maximum: Optional[int] = None) -> int:
    try:
        size = parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=name) from None
    if maximum is not None and size > maximum:
        raise click.BadParameter(f"{value} is more than the {maximum // 2**30} GiB a record's text may have",
                                 param_hint=name)
    return size


def _line_limit(value: str) -> int:
    return _size_option(value, "--max-line-bytes", MAX_TEXT_BYTES)


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number from 0 to 1")
    return value


def _read_all_records(
    inputs: Sequence[str], on_invalid=None, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
) -> Iterator[Record]:
    """Records of every input in turn; ``on_invalid`` receives the lines skipped (None: a bad line
    ends the run)."""
    for path in inputs:
        with _opened(path) as stream:
            yield from read_records(stream, path, on_invalid, max_line_bytes)


def _records_or_exit(run) -> None:
    """Run a records command; a bad JSONL line ends it with its FILE:LINE message and exit 1."""
    try:
        run()
    except ProblemError as exc:
        say(str(exc.problem))
        sys.exit(EXIT_DATA)
    except NewsingestError as exc:
        say(f"newsingest: {exc}")
        sys.exit(EXIT_DATA)


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader of stdout went away (`| head`): that ends the run, quietly and successfully.
            drop_stdout()  # so that Python's final flush does not fail on the closed pipe
            ctx.exit(0)
        except KeyboardInterrupt:
            # Handled here, not by Click, which would print an empty line first.
            drop_stdout()
            say("newsingest: interrupted")
            ctx.exit(EXIT_INTERRUPTED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsingest")
def cli() -> None:
    """Turn raw scraped news dumps into a clean, deduplicated JSONL corpus.

    \b
    Example:
        newsingest split dump.txt.gz | newsingest normalize | newsingest dedup | newsingest stats
    """


MAX_MEMBER_BYTES = click.option(
    "--max-member-bytes", default="64MiB", show_default=True, metavar="SIZE",
    help="A larger member is reported and skipped while it is read, never held in memory.",
)


@cli.command()
@INPUTS
@OUTPUT
@click.option("--strict", is_flag=True, help="Stop at the first container problem (exit 1).")
@click.option("--keep-boilerplate", is_flag=True, help="Leave text as in the container; only fill the metadata.")
@click.option(
    "--learn-furniture", type=click.IntRange(min=0), default=0, show_default=True, metavar="N",
    help="Also remove lines repeated verbatim in N or more articles of one publisher (0: off).",
)
@click.option(
    "--languages", default=None, metavar="CODES",
    help="Comma-separated candidate languages (e.g. fa,ar,id), for corpora whose languages are known.",
)
@click.option(
    "--shard-size", default="256MB", show_default=True, metavar="SIZE",
    help="With -o DIR/: start a new part-NNNNN.jsonl.gz after this much JSONL.",
)
@click.option("--resume", is_flag=True, help="With -o DIR/: go on from the last complete shard of an interrupted run.")
@click.option(
    "--scheduler", default=None, metavar="ADDRESS",
    help="Run on a Dask cluster (ADDRESS of its scheduler, or `local`); needs -o DIR/ and newsingest[dask].",
)
@click.option(
    "--encoding", default="auto", show_default=True, metavar="NAME", callback=lambda ctx, param, value: _encoding(value),
    help="Text encoding of the containers: auto (byte order mark, else UTF-8, else detected from the first 64 KiB), "
    "or a name such as utf-8, utf-16, windows-1256.",
)
@MAX_MEMBER_BYTES
@click.option(
    "--id-prefix", default="", metavar="TEXT",
    help="Put TEXT before every id (e.g. 2024-05-01/), so that dumps split apart keep apart ids.",
)
@JOBS
@QUIET
def split(
    inputs: tuple[str, ...], output: str, strict: bool, keep_boilerplate: bool, learn_furniture: int,
    languages: Optional[str], shard_size: str, resume: bool, scheduler: Optional[str], encoding: str,
    max_member_bytes: str, id_prefix: str, jobs: int, quiet: bool,
) -> None:
    """Split containers into one JSONL record per article, its furniture taken out.

    INPUT is a container file or - for stdin (the default); gzip, bz2 and xz
    are recognised by their leading bytes. Each article's title, URL, publisher,
    date and captions are read off its text; page furniture (comment counters,
    ads, related links, source and copyright lines...) leaves `text` for
    `boilerplate`, with its reason. Problems are reported on stderr as
    FILE:LINE: message; the run goes on and exits 1 at the end (0 when clean).

    \b
    Example:
        newsingest split dump.txt.gz | newsingest normalize | newsingest stats
        newsingest split a.txt b.txt.xz -o corpus.jsonl.gz
    """
    printer = ProblemPrinter(strict)
    allowed = _language_list(languages)
    options = SplitOptions(
        keep_boilerplate=keep_boilerplate, learn_furniture=learn_furniture, languages=allowed, encoding=encoding,
        max_member_bytes=_size_option(max_member_bytes, "--max-member-bytes", MAX_TEXT_BYTES), id_prefix=id_prefix,
    )
    if scheduler is not None:
        _finish_split(lambda: _split_on_cluster(list(inputs), output, scheduler, options, printer, jobs, resume), printer)
        return
    if output.endswith(os.sep) or os.path.isdir(output):
        size = _size_option(shard_size, "--shard-size")
        _finish_split(
            lambda: _split_to_shards(list(inputs or ("-",)), output, size, resume, printer, options, jobs, quiet), printer
        )
        return
    if resume:
        raise click.UsageError("--resume goes with sharded output: -o DIR/")

    def to_output() -> None:
        ids = IdAllocator(options.id_prefix)
        with Workers(jobs) as workers, open_output(output) as out:
            for path in inputs or ("-",):
                with _opened(path) as stream:
                    members = read_container(stream, path, printer, options.encoding, options.max_member_bytes)
                    records = split_members(members, ids, options, workers, on_problem=printer)
                    write_records(_progress(records, "articles", quiet), out)

    _finish_split(to_output, printer)


def _finish_split(work, printer: ProblemPrinter) -> None:
    """Run a split; a stop (--strict) or a failure is exit 1, and so is any problem reported."""
    try:
        work()
    except ProblemError:
        printer.finish()
        sys.exit(EXIT_DATA)
    except NewsingestError as exc:
        printer.finish()
        say(f"newsingest: {exc}")
        sys.exit(EXIT_DATA)
    printer.finish()
    if printer.count:
        sys.exit(EXIT_DATA)


def _encoding(value: str) -> str:
    """`auto`, or the canonical name of a codec that can carry the container format."""
    if value == "auto":
        return value
    try:
        return canonical(value)
    except EncodingError as exc:
        raise click.BadParameter(str(exc), param_hint="--encoding") from None


def _language_list(value: Optional[str]) -> Optional[frozenset[str]]:
    if value is None:
        return None
    codes = frozenset(code.strip() for code in value.split(",") if code.strip())
    unknown = sorted(codes - KNOWN_LANGUAGES)
    if not codes or unknown:
        raise click.BadParameter(
            f"unknown language code(s) {', '.join(unknown) or '(none given)'}; known: {', '.join(sorted(KNOWN_LANGUAGES))}",
            param_hint="--languages",
        )
    return codes


def _split_on_cluster(inputs, directory, scheduler, options, printer, jobs, resume) -> None:
    """`split --scheduler`: partitions of the containers on a Dask cluster, one shard each."""
    _check_cluster_paths(inputs, directory)
    try:
        from .engines.dask_split import split_on_dask
    except ImportError:
        raise click.ClickException("--scheduler needs Dask: pip install 'newsingest[dask]'") from None
    try:
        split_on_dask(inputs, directory, scheduler, options, printer, workers=jobs, resume=resume)
    except ImportError:
        raise click.ClickException("--scheduler needs Dask: pip install 'newsingest[dask]'") from None


def _dedup_on_cluster(inputs, directory, scheduler, options, drop, jobs, printer) -> None:
    """`dedup --scheduler`: every input a partition on a Dask cluster, each written back as one shard."""
    _check_cluster_paths(inputs, directory)
    try:
        from .engines.dask_dedup import dedup_on_dask

        dedup_on_dask(inputs, directory, scheduler, options, drop=drop, workers=jobs, on_problem=printer)
    except ImportError:
        raise click.ClickException("--scheduler needs Dask: pip install 'newsingest[dask]'") from None


def _check_cluster_paths(inputs, directory) -> None:
    if not (directory.endswith(os.sep) or os.path.isdir(directory)):
        raise click.UsageError("--scheduler writes shards: give -o DIR/")
    if not inputs or "-" in inputs:
        raise click.UsageError("--scheduler needs files: workers read them, not standard input")


def _split_to_shards(inputs, directory, size, resume, printer, options, jobs, quiet) -> None:
    """`split -o DIR/`: records into atomic shards; with --resume, on from the last complete shard."""
    ids = IdAllocator(options.id_prefix)
    counted = _progress(iter(int, 1), "articles", quiet)  # an endless counter, advanced per record
    shaping = {**options.shaping(), "version": __version__}
    with contextlib.closing(counted), Workers(jobs) as workers, \
            ShardedOutput(directory, size, inputs, resume, shaping) as shards:
        for index, path in enumerate(inputs):
            skip = shards.skip(index)
            with _opened(path) as stream:
                members = read_container(stream, path, printer, options.encoding, options.max_member_bytes)
                if skip is None:  # done in an earlier run: its members only take their ids
                    for member in members:
                        if member.has_text:
                            ids(member)
                    continue
                for record in split_members(members, ids, options, workers, on_problem=printer, skip=skip):
                    shards.write(index, dumps_record(record))
                    next(counted)
            shards.input_done(index)


@cli.command()
@INPUTS
@OUTPUT
@click.option("--plain", is_flag=True, help="Input is plain text: normalize each line with --lang.")
@click.option("--lang", default=None, metavar="CODE", help="Language of --plain input (fa, ar, id, ...).")
@click.option("--strip-diacritics", is_flag=True, help="Remove Arabic-script harakat and Quranic marks.")
@click.option(
    "--digits", type=click.Choice(DIGIT_POLICIES), default="keep", show_default=True,
    help="keep: as written (Arabic-Indic unified to Persian in fa); latin: 0-9; native: the language's own.",
)
@SKIP_INVALID
@MAX_LINE_BYTES
@JOBS
@QUIET
def normalize(
    inputs: tuple[str, ...], output: str, plain: bool, lang: Optional[str], strip_diacritics: bool, digits: str,
    skip_invalid: bool, max_line_bytes: str, jobs: int, quiet: bool,
) -> None:
    """Normalize text and title of records according to their language.

    Persian rules (letters, digits, ZWNJ cleanup and restoration, punctuation
    spacing) run only on `fa` records, Arabic rules only on `ar`; other
    languages get only the rules that touch no letter. Each record gains a
    `normalization` field counting the edits by rule.

    \b
    Example:
        newsingest split dump.txt | newsingest normalize > clean.jsonl
        echo 'همکاریهای بینالمللی' | newsingest normalize --plain --lang fa
    """
    if plain and not lang:
        raise click.UsageError("--plain needs --lang (for example --lang fa)")
    if lang and not plain:
        raise click.UsageError("--lang goes with --plain; records carry their own language")
    if plain and skip_invalid:
        raise click.UsageError("--skip-invalid goes with records, not --plain: every text line is normalized")
    limit = _line_limit(max_line_bytes)
    skipped = InvalidLines() if skip_invalid else None
    options = NormalizeOptions(strip_diacritics=strip_diacritics, digits=digits)

    printer = ProblemPrinter()
    if plain:
        with open_output(output) as out:
            for path in inputs or ("-",):
                with _opened(path) as stream:
                    for line in read_text_lines(stream, path, printer):
                        out.write(normalize_text(line, lang, options).encode("utf-8") + b"\n")
        printer.finish()
        if printer.count:
            sys.exit(EXIT_DATA)
        return

    def run() -> None:
        with Workers(jobs) as workers, open_output(output) as out:
            records = _read_all_records(inputs or ("-",), skipped, limit)
            write_records(_progress(normalize_records(records, options, workers, printer), "articles", quiet), out)

    _records_or_exit(run)
    printer.finish()
    if skipped is not None:
        skipped.finish()
    if printer.count:
        sys.exit(EXIT_DATA)


@cli.command()
@INPUTS
@OUTPUT
@click.option(
    "--threshold", type=click.FloatRange(0.0, 1.0, min_open=True), default=0.8, show_default=True,
    callback=_finite, help="Jaccard similarity of word shingles from which two articles are near duplicates.",
)
@click.option(
    "--num-perm", type=click.IntRange(8, 1024), default=64, show_default=True,
    help="MinHash permutations: 4 bytes of memory each per article.",
)
@click.option("--drop", is_flag=True, help="Write only the kept copies.")
@click.option(
    "--scheduler", default=None, metavar="ADDRESS",
    help="Run on a Dask cluster (ADDRESS of its scheduler, or `local`), one shard per input; needs -o DIR/ "
    "and newsingest[dask].",
)
@SKIP_INVALID
@MAX_LINE_BYTES
@JOBS
@QUIET
def dedup(
    inputs: tuple[str, ...], output: str, threshold: float, num_perm: int, drop: bool, scheduler: Optional[str],
    skip_invalid: bool, max_line_bytes: str, jobs: int, quiet: bool,
) -> None:
    """Mark exact and near duplicates, within each language, and link translations of a story.

    Exact duplicates have the same dedup hash; near duplicates share enough word
    shingles (MinHash with LSH bands chosen for --threshold, every candidate
    verified by its real Jaccard similarity). Each record gets `dup_of` (the
    kept copy's id), `dup_cluster`, `dup_kind` and `story` (records with the same
    url). The kept copy is the one most like the others, then the longest text,
    then the earliest date, then the first (docs/dedup.md).
    Input is read three times or more: what can be read only once (stdin,
    a pipe, a FIFO) is first copied to an unnamed temporary file.

    \b
    Example:
        newsingest split dump.txt | newsingest normalize | newsingest dedup | newsingest stats
        newsingest dedup corpus.jsonl.gz --drop --threshold 0.9 -o unique.jsonl.gz
        newsingest dedup corpus/part-*.jsonl.gz --scheduler tcp://scheduler:8786 -o unique/
    """
    options = DedupOptions(threshold=threshold, num_perm=num_perm)
    limit = _line_limit(max_line_bytes)
    printer = ProblemPrinter()
    if scheduler is not None:
        if skip_invalid or limit != DEFAULT_MAX_LINE_BYTES:
            raise click.UsageError("--skip-invalid and --max-line-bytes do not go with --scheduler yet")
        _records_or_exit(lambda: _dedup_on_cluster(list(inputs), output, scheduler, options, drop, jobs, printer))
    else:
        skipped = InvalidLines() if skip_invalid else None

        def run() -> None:
            with RereadableRecords(list(inputs or ("-",)), skipped, limit) as records, Workers(jobs) as workers:
                marked = dedup_records(records, options, drop=drop, jobs=workers, on_problem=printer)
                with open_output(output) as out:
                    write_records(_progress(marked, "articles", quiet), out)

        _records_or_exit(run)
        if skipped is not None:
            skipped.finish()
    printer.finish()
    if printer.count:
        sys.exit(EXIT_DATA)


@cli.command()
@INPUTS
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON instead of tables.")
@click.option("--top", type=click.IntRange(min=1), default=15, show_default=True, help="Publishers shown in the table.")
@SKIP_INVALID
@MAX_LINE_BYTES
def stats(inputs: tuple[str, ...], as_json: bool, top: int, skip_invalid: bool, max_line_bytes: str) -> None:
    """Show what is in a corpus: languages, publishers, dates, lengths, duplicates, edits.

    One streaming pass over records (files, .gz, or stdin); memory grows only
    with the number of distinct languages, publishers and months.

    \b
    Example:
        newsingest split dump.txt | newsingest normalize | newsingest dedup | newsingest stats
        newsingest stats corpus.jsonl.gz --json
    """
    limit = _line_limit(max_line_bytes)
    skipped = InvalidLines() if skip_invalid else None
    result: list[CorpusStats] = []
    _records_or_exit(lambda: result.append(collect_stats(_read_all_records(inputs or ("-",), skipped, limit))))
    if as_json:
        # The standard library writes integers of any size (sums of lengths can pass 2**64).
        _records_or_exit(lambda: _write_stdout(json.dumps(result[0].to_dict(), indent=2, ensure_ascii=False) + "\n"))
    else:
        _records_or_exit(lambda: _print_stats(result[0], top))
    if skipped is not None:
        skipped.finish()


def _write_stdout(text: str) -> None:
    """Data on standard output; a write that fails (a full disk, a closed stdout) is an OutputError."""
    out = standard_output()
    try:
        out.write(text.encode("utf-8"))
        out.flush()
    except NewsingestError:
        drop_stdout()
        raise


# Characters shown as \\uXXXX in tables: control characters, and bidi controls that would reorder the cells.
_UNSHOWN = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F),
                          *range(0x2066, 0x206A)])


def _cell(value: str) -> str:
    """A value from the data as a table cell: rich markup escaped, control characters made visible."""
    from rich.markup import escape

    if not value:
        return "(empty)"
    return escape("".join(f"\\u{ord(ch):04x}" if ord(ch) in _UNSHOWN else ch for ch in value))


def _console():
    """A rich console on standard output for data: no emoji codes or highlighting taken from the
    data, a reader that went away is a BrokenPipeError (exit 0, like every command), and a
    failed write names standard output."""
    from rich.console import Console

    class DataConsole(Console):
        def on_broken_pipe(self) -> None:  # rich would exit 1
            raise BrokenPipeError

    standard_output()  # a closed stdout is an error before anything is printed
    return DataConsole(highlight=False, emoji=False)


def _print_stats(corpus: CorpusStats, top: int) -> None:
    try:
        _print_tables(corpus, top, _console())
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        drop_stdout()
        raise OutputError("standard output", exc) from None


def _print_tables(corpus: CorpusStats, top: int, console) -> None:
    from rich.table import Table

    figures = corpus.to_dict()

    def table(title: str, *columns: str) -> Table:
        t = Table(title=title, title_justify="left", min_width=len(title) + 2)
        for i, column in enumerate(columns):
            t.add_column(column, justify="left" if i == 0 else "right")
        return t

    def share(n: int) -> str:
        return f"{n / corpus.articles:.0%}" if corpus.articles else "-"

    languages = table("Articles by language", "language", "articles", "characters", "share")
    for lang, n, chars in corpus.languages():
        languages.add_row(_cell(lang), f"{n:,}", f"{chars:,}", share(n))
    languages.add_section()
    languages.add_row("all", f"{corpus.articles:,}", f"{corpus.chars:,}", "100%" if corpus.articles else "-")
    console.print(languages)
    if corpus.mixed_language:
        console.print(f"{corpus.mixed_language:,} article(s) mix languages (see their `languages` field).")

    publishers = table("Articles by publisher or domain", "publisher", "articles", "share")
    ranked = list(figures["publishers"].items())
    for name, n in ranked[:top]:
        publishers.add_row(_cell(name), f"{n:,}", share(n))
    if len(ranked) > top:
        rest = sum(n for _, n in ranked[top:])
        publishers.add_row(f"({len(ranked) - top:,} more)", f"{rest:,}", share(rest))
    console.print(publishers)

    months = table("Articles by month of publication", "month", "articles")
    for month, n in figures["months"].items():
        months.add_row(_cell(month), f"{n:,}")
    console.print(months)

    lengths = table("Length of text (characters)", "length", "articles", "")
    widest = max(figures["lengths"].values(), default=1)
    for label, n in figures["lengths"].items():
        lengths.add_row(label, f"{n:,}", "█" * max(1, round(30 * n / widest)))
    console.print(lengths)

    dups = figures["duplicates"]
    duplicates = table("Duplicates", "", "articles")
    for label, key in (("exact duplicates", "exact"), ("near duplicates", "near"),
                       ("kept copies of a cluster", "kept_in_cluster"), ("linked as one story (same url)", "in_story")):
        duplicates.add_row(label, f"{dups[key]:,}")
    console.print(duplicates)

    for title, key, unit in (("Normalization edits by rule", "normalization", "edits"),
                             ("Lines taken out of the text, by reason", "boilerplate", "lines")):
        if figures[key]:
            counts = table(title, "rule" if key == "normalization" else "reason", unit)
            for name, n in figures[key].items():
                counts.add_row(_cell(name), f"{n:,}")
            if key == "boilerplate":
                counts.add_row("(captions)", f"{corpus.captions:,}")
            console.print(counts)

    problems = table("Records with problems", "", "articles")
    for label, key in (("cut short in their container", "truncated"), ("language undetermined", "language_und"),
                       ("no text left", "empty_text"), ("a stage failed on them (see `problems`)", "stage_failed")):
        problems.add_row(label, f"{figures['problems'][key]:,}")
    console.print(problems)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True), metavar="FILES_OR_DIRS...")
@OUTPUT
def pack(paths: tuple[str, ...], output: str) -> None:
    """Pack text files into a container; the member name is the file's relative path.

    Body lines that would read as markers are escaped, so `split` gives every
    file back exactly. Files that are not UTF-8 are reported and left out (exit 1).

    \b
    Example:
        newsingest pack articles/ -o dump.txt && newsingest split dump.txt
    """
    printer = ProblemPrinter()
    _records_or_exit(lambda: _pack(paths, output, printer))
    printer.finish()
    if printer.count:
        sys.exit(EXIT_DATA)


def _pack(paths: Sequence[str], output: str, printer: ProblemPrinter) -> None:
    with open_output(output) as out:
        for name, path in pack_sources(paths):
            pack_file(name, path, out, printer)


@cli.command()
@click.argument("container", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option(
    "-d", "--directory", required=True, type=click.Path(file_okay=False), metavar="DIR",
    help="Folder to write the files into (created if missing).",
)
@click.option("--force", is_flag=True, help="Replace files that already exist in DIR.")
@MAX_MEMBER_BYTES
def unpack(container: str, directory: str, force: bool, max_member_bytes: str) -> None:
    """Write each member of a container to DIR/NAME: the inverse of `pack`.

    Files come back byte for byte as `pack` read them. A member whose name
    would write outside DIR (.., absolute or Windows paths, control
    characters, device names, a symbolic link on the way) is reported and
    skipped (exit 1); an unnamed member is written as member-NNNNNN.txt (its
    ordinal). Existing files are kept unless --force. Each file is written
    atomically.

    \b
    Example:
        newsingest pack articles/ -o dump.txt && newsingest unpack dump.txt -d copy/
    """
    printer = ProblemPrinter()
    limit = _size_option(max_member_bytes, "--max-member-bytes", MAX_TEXT_BYTES)

    def run() -> None:
        with _opened(container) as stream:
            members = read_container(stream, container, member_problems(printer), max_member_bytes=limit)
            unpack_members(members, directory, force, printer)

    _records_or_exit(run)
    printer.finish()
    if printer.count:
        sys.exit(EXIT_DATA)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of a record.

    \b
    Example:
        newsingest schema > record.schema.json
    """
    _records_or_exit(lambda: _write_stdout(orjson.dumps(record_json_schema(), option=orjson.OPT_INDENT_2).decode() + "\n"))


def _placeholders_for_closed_streams() -> None:
    """Put the null device on standard descriptors that were closed when the run started (`>&-`),
    so that no file opened later takes their number (a worker's stray output must not land in an
    output file). Python has already set sys.stdin/stdout/stderr to None for them: reading or
    writing data there is still refused with a clear message."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            with contextlib.suppress(OSError):
                null = os.open(os.devnull, os.O_RDWR)
                if null != fd:
                    os.dup2(null, fd)
                    os.close(null)


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Console entry point: maps what can go wrong to documented exit codes, without tracebacks."""
    _placeholders_for_closed_streams()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")  # a text a terminal's encoding lacks is escaped
    try:
        with signals_stop_the_run():
            code = cli.main(args=argv, prog_name="newsingest", standalone_mode=False)
    except Stopped as exc:
        drop_stdout()  # what is still buffered for a reader that may not read again is not waited for
        say(exc.message)
        code = exc.exit_code
    except click.ClickException as exc:
        shown = io.StringIO()
        exc.show(file=shown)  # Click's own words (usage, hint, error), with file names escaped like ours
        say(shown.getvalue().rstrip("\n"))
        code = exc.exit_code
    except (click.Abort, KeyboardInterrupt):
        drop_stdout()
        say("newsingest: interrupted")
        code = EXIT_INTERRUPTED
    except NewsingestError as exc:
        say(f"newsingest: {exc}")
        code = EXIT_DATA
    except Exception as exc:  # noqa: BLE001 - last resort: a bug must not show a traceback to the user
        if os.environ.get("NEWSINGEST_DEBUG"):
            raise
        say(
            f"newsingest: internal error: {type(exc).__name__}: {exc}\n"
            "Please report it with the input that caused it; set NEWSINGEST_DEBUG=1 to see the traceback."
        )
        code = EXIT_INTERNAL
    sys.exit(code if isinstance(code, int) else 0)
