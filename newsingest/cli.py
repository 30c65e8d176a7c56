"""The command line: options parsed, the library runner called, its outcome mapped to an exit code.

Exit codes: 0 clean, 1 bad data (problems were reported on stderr), 2 bad usage,
3 internal error, 128 + the signal's number when a signal stopped the run (130 Ctrl-C).
Nothing else happens here: the work is in `newsingest.pipeline`, what a terminal shows in
`newsingest.terminal`.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import sys
from typing import Any, Callable, Iterator, Optional, Sequence, Union

import click
from click.core import ParameterSource

from . import __version__
from .errors import MissingExtra, NewsingestError, OptionsConflict, ProblemError
from .engines import pool
from .engines.pool import default_jobs
from .io.encoding import EncodingError, canonical
from .io.places import is_url
from .io.shards import parse_size
from .io.streams import drop_stdout
from .options import DEFAULT_TEXT_FIELD, DIGIT_POLICIES, DedupOptions, NormalizeOptions, Reading, SplitOptions
from .pipeline import (
    FORMATS, Dask, Local, Report, check_given, check_stats_outputs, dedup_files, normalize_files, normalize_lines,
    pack_files, sink_for, split_files, stats_files, unpack_file, write_stats_html,
)
from .signals import Stopped, signals_stop_the_run
from .stages.stats_html import DEFAULT_TITLE
from .terminal import Watch, print_stats, say, write_stdout

# Only what parsing needs is imported here: a stage's module (its tables, the record model, numpy)
# is imported when a command runs it, so that `--help` and an empty input start at once.

EXIT_DATA = 1
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

# The longest text a record may hold: orjson, which writes every record, cannot take a string of
# 2 GiB or more (it crashes the interpreter), so members and lines stay well below.
MAX_TEXT_BYTES = 2**30


# --- option values ------------------------------------------------------------------------------


def _size(value: Optional[str], name: str, maximum: Optional[int] = None) -> Optional[int]:
    if value is None:
        return None
    try:
        size = parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=name) from None
    if maximum is not None and size > maximum:
        raise click.BadParameter(f"{value} is more than the {maximum // 2**30} GiB a record's text may have",
                                 param_hint=name)
    return size


def _text_size(ctx: click.Context, param: click.Parameter, value: Optional[str]) -> Optional[int]:
    return _size(value, "--" + param.name.replace("_", "-"), MAX_TEXT_BYTES)


def _shard_size(ctx: click.Context, param: click.Parameter, value: Optional[str]) -> Optional[int]:
    return _size(value, "--shard-size")


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number from 0 to 1")
    return value


def _encoding(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """`auto`, or the canonical name of a codec that can carry the container format."""
    if value == "auto":
        return value
    try:
        return canonical(value)
    except EncodingError as exc:
        raise click.BadParameter(str(exc), param_hint="--encoding") from None


def _languages(ctx: click.Context, param: click.Parameter, value: Optional[str]) -> Optional[frozenset[str]]:
    if value is None:
        return None
    from .stages.langid import KNOWN_LANGUAGES

    codes = frozenset(code.strip() for code in value.split(",") if code.strip())
    unknown = sorted(codes - KNOWN_LANGUAGES)
    if not codes or unknown:
        raise click.BadParameter(
            f"unknown language code(s) {', '.join(unknown) or '(none given)'}; known: {', '.join(sorted(KNOWN_LANGUAGES))}",
            param_hint="--lang",
        )
    return codes


def _engine(scheduler: Optional[str], jobs: int) -> Union[Local, Dask]:
    return Local(jobs) if scheduler is None else Dask(scheduler, workers=jobs)


class _PathOrUrl(click.Path):
    """A local path as click.Path checks it, or a URL, which the library checks (scheme, backend, object)."""

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> Any:
        if isinstance(value, str) and is_url(value):
            return value
        return super().convert(value, param, ctx)


# --- options shared by commands -----------------------------------------------------------------


class _Renamed(click.Option):
    """An option whose old spellings are still read, but shown nowhere (--help, error messages):
    one name per idea across commands, and command lines written before still work."""

    def __init__(self, param_decls: Sequence[str], old: Sequence[str] = (), **attrs: Any) -> None:
        super().__init__([*param_decls, *old], **attrs)
        self.old_names = tuple(old)

    @contextlib.contextmanager
    def _new_names_only(self) -> Iterator[None]:
        every, self.opts = self.opts, [name for name in self.opts if name not in self.old_names]
        try:
            yield
        finally:
            self.opts = every

    def get_help_record(self, ctx: click.Context) -> Optional[tuple[str, str]]:
        with self._new_names_only():
            return super().get_help_record(ctx)

    def get_error_hint(self, ctx: Optional[click.Context]) -> str:
        with self._new_names_only():
            return super().get_error_hint(ctx)  # type: ignore[arg-type,unused-ignore]  # Optional since Click 8.4


INPUTS = click.argument(
    "inputs", nargs=-1, type=_PathOrUrl(exists=True, dir_okay=False, allow_dash=True), metavar="[INPUT]..."
)
OUTPUT = click.option(
    "-o", "--output", default="-", show_default=True, metavar="OUT",
    help="Write here instead of stdout; OUT ending in .gz, .bz2, .xz or .zst is compressed JSONL, in .parquet "
    "Parquet; OUT ending in / is a folder of shards; OUT may be an s3://, gs://, hf:// URL (newsingest[cloud]). "
    "Written atomically.",
)
FORMAT = click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default=None,
    help="Records as JSONL or Parquet (newsingest[parquet]); default: as the name of -o says, JSONL for stdout "
    "and for shards (part-NNNNN.jsonl.gz or part-NNNNN.parquet).",
)
SHARD_SIZE = click.option(
    "--shard-size", default=None, metavar="SIZE", callback=_shard_size,
    help="With -o DIR/: start a new shard after this much JSONL (default 256MB); with --scheduler, "
    "split cuts its partitions at this much input.",
)
RESUME = click.option(
    "--resume", is_flag=True, help="With -o DIR/: go on from the last complete shard of an interrupted run."
)
QUIET = click.option("-q", "--quiet", is_flag=True, help="No progress display, no closing line.")
PROGRESS = click.option(
    "--progress", is_flag=True,
    help="Show the progress bars and the closing line even when stderr is not a terminal.",
)
VERBOSE = click.option(
    "-v", "--verbose", is_flag=True,
    help="At the end, how long each phase took, and the closing line, wherever stderr goes.",
)
SKIP_INVALID = click.option(
    "--skip-invalid", is_flag=True,
    help="Skip lines that are not records: report each, count them by reason, go on (exit 1 at the end).",
)
MAX_LINE_BYTES = click.option(
    "--max-line-bytes", default="256MiB", show_default=True, metavar="SIZE", callback=_text_size,
    help="A longer line is an invalid line (too_long), never held in memory.",
)
TEXT_FIELD = click.option(
    "--text-field", default=DEFAULT_TEXT_FIELD, show_default=True, metavar="NAME",
    help="Lines from other tools (trafilatura, datatrove, ...) need only their text, in field NAME: the rest of a "
    "record is filled in (docs/foreign-records.md).",
)
MAX_MEMBER_BYTES = click.option(
    "--max-member-bytes", default="64MiB", show_default=True, metavar="SIZE", callback=_text_size,
    help="A larger member is reported and skipped while it is read, never held in memory.",
)
JOBS = click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=default_jobs, show_default="all cores",
    help="Worker processes (with --scheduler local: Dask workers). The output is the same bytes whatever the number.",
)


# What click.option gives: a decorator of a command's function.
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def scheduler_option(what: str) -> Decorator:
    return click.option(
        "--scheduler", default=None, metavar="ADDRESS",
        help=f"Run on a Dask cluster (ADDRESS of its scheduler, or `local`){what}; needs -o DIR/ and newsingest[dask].",
    )


def watch_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """What a run that writes records shows: -q, --progress, -v."""
    for option in reversed((QUIET, PROGRESS, VERBOSE)):
        command = option(command)
    return command


def records_run_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options of a command that reads records and runs on an engine: --scheduler (one shard per
    input), --skip-invalid, --max-line-bytes, --text-field, --jobs, and -q, --progress, -v."""
    for option in reversed((scheduler_option(", one shard per input"), SKIP_INVALID, MAX_LINE_BYTES, TEXT_FIELD,
                            JOBS)):
        command = option(command)
    return watch_options(command)


def _watch(quiet: bool, progress: bool, verbose: bool) -> Watch:
    if quiet and (progress or verbose):
        raise click.UsageError(f"-q goes against {'--progress' if progress else '-v'}: give one or the other")
    return Watch(quiet, progress, verbose)


# --- outcome to exit code -------------------------------------------------------------------------


def _run(work: Callable[[Report], object], report: Report, watch: Optional[Watch] = None) -> None:
    """Run the library call; a problem that stopped it, or any problem reported, is exit 1.
    ``watch``: its bars end with the run, and it tells how the run went when it went to its end."""
    try:
        try:
            work(report)
        except BaseException:
            if watch is not None:
                watch.stop(finished=False)
            raise
        if watch is not None:
            watch.stop()
    except (OptionsConflict, MissingExtra) as exc:
        raise click.UsageError(str(exc)) from None
    except ProblemError as exc:
        if exc.problem is not report.last_raised:  # a bad record line: not reported yet
            say(str(exc.problem))
        report.finish()
        sys.exit(EXIT_DATA)
    except NewsingestError as exc:
        report.finish()
        say(f"newsingest: {exc}")
        sys.exit(EXIT_DATA)
    report.finish()
    if watch is not None:
        watch.tell(report)
    if not report.clean:
        sys.exit(EXIT_DATA)


class _Command(click.Command):
    """A command whose options are checked together before it runs: the library says which ones
    would do nothing beside the others (`pipeline.check_given`)."""

    def invoke(self, ctx: click.Context) -> Any:
        unset = (None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)
        given = {next((name for name in param.opts if name.startswith("--")), param.opts[0]): ctx.params[param.name]
                 for param in self.params if isinstance(param, click.Option) and param.name
                 and ctx.get_parameter_source(param.name) not in unset}
        try:
            check_given(self.name or "", given)
        except OptionsConflict as exc:
            raise click.UsageError(str(exc), ctx) from None
        return super().invoke(ctx)


class _Group(click.Group):
    command_class = _Command


    def invoke(self, ctx: click.Context) -> Any:
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


# --- commands ---------------------------------------------------------------------------------------


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
    "--lang", "languages", cls=_Renamed, old=("--languages",), default=None, metavar="CODES", callback=_languages,
    help="Comma-separated candidate languages (e.g. fa,ar,id), for corpora whose languages are known.",
)
@FORMAT
@SHARD_SIZE
@RESUME
@scheduler_option("")
@click.option(
    "--encoding", default="auto", show_default=True, metavar="NAME", callback=_encoding,
    help="Text encoding of the containers: auto (byte order mark, else UTF-8, else detected from the first 64 KiB), "
    "or a name such as utf-8, utf-16, windows-1256.",
)
@MAX_MEMBER_BYTES
@click.option(
    "--id-prefix", default="", metavar="TEXT",
    help="Put TEXT before every id (e.g. 2024-05-01/), so that dumps split apart keep apart ids.",
)
@JOBS
@watch_options
def split(
    inputs: tuple[str, ...], output: str, strict: bool, keep_boilerplate: bool, learn_furniture: int,
    languages: Optional[frozenset[str]], output_format: Optional[str], shard_size: Optional[int], resume: bool,
    scheduler: Optional[str], encoding: str, max_member_bytes: int, id_prefix: str, jobs: int, quiet: bool,
    progress: bool, verbose: bool,
) -> None:
    """Split containers into one JSONL record per article, its furniture taken out.

    INPUT is a container file, a URL or - for stdin (the default); gzip, bz2,
    xz and zstd are recognised by their leading bytes. Each article's title, URL, publisher,
    date and captions are read off its text; page furniture (comment counters,
    ads, related links, source and copyright lines...) leaves `text` for
    `boilerplate`, with its reason. Problems are reported on stderr as
    FILE:LINE: message; the run goes on and exits 1 at the end (0 when clean).

    \b
    Example:
        newsingest split dump.txt.gz | newsingest normalize | newsingest stats
        newsingest split a.txt b.txt.xz -o corpus.jsonl.gz
        newsingest split dumps/*.txt -o corpus/ --format parquet
    """
    options = SplitOptions(keep_boilerplate=keep_boilerplate, learn_furniture=learn_furniture, languages=languages,
                           encoding=encoding, max_member_bytes=max_member_bytes, id_prefix=id_prefix)
    report = Report(say, strict)
    watch = _watch(quiet, progress, verbose)
    _run(lambda report: split_files(inputs, options, sink_for(output, shard_size, resume, output_format),
                                    _engine(scheduler, jobs), report, watch), report, watch)


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
@FORMAT
@SHARD_SIZE
@RESUME
@records_run_options
def normalize(
    inputs: tuple[str, ...], output: str, plain: bool, lang: Optional[str], strip_diacritics: bool, digits: str,
    output_format: Optional[str], shard_size: Optional[int], resume: bool, scheduler: Optional[str],
    skip_invalid: bool, max_line_bytes: int, text_field: str, jobs: int, quiet: bool, progress: bool, verbose: bool,
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
    options = NormalizeOptions(strip_diacritics=strip_diacritics, digits=digits)
    report = Report(say)
    if plain:
        assert lang is not None  # the library refuses --plain without --lang
        _run(lambda report: normalize_lines(inputs, lang, options, output, report), report)
        return
    how = Reading(skip_invalid, max_line_bytes, text_field)
    watch = _watch(quiet, progress, verbose)
    _run(lambda report: normalize_files(inputs, options, sink_for(output, shard_size, resume, output_format),
                                        _engine(scheduler, jobs), report, how, watch), report, watch)


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
    "--index", "index", default=None, metavar="DIR",
    help="Mark the input against the corpus indexed in DIR (made if missing) without reading it, then add "
         "the input to it (docs/dedup.md).",
)
@FORMAT
@SHARD_SIZE
@records_run_options
def dedup(
    inputs: tuple[str, ...], output: str, threshold: float, num_perm: int, drop: bool, index: Optional[str],
    output_format: Optional[str],
    shard_size: Optional[int], scheduler: Optional[str], skip_invalid: bool, max_line_bytes: int, text_field: str,
    jobs: int, quiet: bool, progress: bool, verbose: bool,
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
        newsingest dedup day2.jsonl --index corpus.index/ -o day2.marked.jsonl
    """
    options = DedupOptions(threshold=threshold, num_perm=num_perm, index=index)
    how = Reading(skip_invalid, max_line_bytes, text_field)
    report = Report(say)
    watch = _watch(quiet, progress, verbose)
    _run(lambda report: dedup_files(inputs, options, drop, sink_for(output, shard_size, format=output_format),
                                    _engine(scheduler, jobs), report, how, watch), report, watch)


@cli.command()
@INPUTS
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON instead of tables.")
@click.option("--top", type=click.IntRange(min=1), default=15, show_default=True, help="Publishers shown in the table.")
@click.option(
    "--html", default=None, metavar="FILE",
    help="Write the report as one self-contained HTML page of charts to FILE (atomically; - for stdout); "
    "stdout then gets nothing, or the JSON with --json.",
)
@click.option("--title", default=DEFAULT_TITLE, show_default=True, metavar="TEXT", help="The title of the --html page.")
@SKIP_INVALID
@MAX_LINE_BYTES
@TEXT_FIELD
def stats(inputs: tuple[str, ...], as_json: bool, top: int, html: Optional[str], title: str, skip_invalid: bool,
          max_line_bytes: int, text_field: str) -> None:
    """Show what is in a corpus: languages, publishers, dates, lengths, duplicates, edits.

    One streaming pass over records (files, .gz, or stdin); memory grows only
    with the number of distinct languages, publishers and months.

    \b
    Example:
        newsingest split dump.txt | newsingest normalize | newsingest dedup | newsingest stats
        newsingest stats corpus.jsonl.gz --json
        newsingest stats corpus.jsonl.gz --html report.html
    """
    def show(report: Report) -> None:
        check_stats_outputs(html, as_json)
        corpus = stats_files(inputs, Reading(skip_invalid, max_line_bytes, text_field), report)
        if html is not None:
            write_stats_html(corpus, html, top, title, list(inputs) or ["-"])
        if as_json:  # the standard library writes integers of any size (sums of lengths can pass 2**64)
            write_stdout(json.dumps(corpus.to_dict(), indent=2, ensure_ascii=False) + "\n")
        elif html is None:
            print_stats(corpus, top)

    _run(show, Report(say))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=_PathOrUrl(exists=True, allow_dash=True),
                metavar="FILES_OR_DIRS...")
@OUTPUT
@click.option("-0", "--null", is_flag=True, help="The paths listed on stdin (-) each end with a NUL byte, as "
              "find -print0 writes them, instead of a new line.")
def pack(paths: tuple[str, ...], output: str, null: bool) -> None:
    """Pack text files into a container; the member name is the file's relative path.

    A FILES_OR_DIRS of - reads paths from stdin, one a line (with -0: as find
    -print0 writes them), each packed as if given here; a listed path that is
    not there is reported (exit 1). Body lines that would read as markers are
    escaped, so `split` gives every file back exactly. Files that are not
    UTF-8 are reported and left out (exit 1).

    \b
    Example:
        newsingest pack articles/ -o dump.txt && newsingest split dump.txt
        find articles -name '*.txt' | newsingest pack - -o dump.txt
    """
    _run(lambda report: pack_files(paths, output, report, null), Report(say))


@cli.command()
@click.argument("container", type=_PathOrUrl(exists=True, dir_okay=False, allow_dash=True))
@click.option(
    "-o", "--output", "directory", cls=_Renamed, old=("-d", "--directory"), required=True,
    type=click.Path(file_okay=False), metavar="DIR", help="Folder to write the files into (created if missing).",
)
@click.option("--force", is_flag=True, help="Replace files that already exist in DIR.")
@MAX_MEMBER_BYTES
def unpack(container: str, directory: str, force: bool, max_member_bytes: int) -> None:
    """Write each member of a container to DIR/NAME: the inverse of `pack`.

    Files come back byte for byte as `pack` read them. A member whose name
    would write outside DIR (.., absolute or Windows paths, control
    characters, device names, a symbolic link on the way) is reported and
    skipped (exit 1); an unnamed member is written as member-NNNNNN.txt (its
    ordinal). Existing files are kept unless --force. Each file is written
    atomically.

    \b
    Example:
        newsingest pack articles/ -o dump.txt && newsingest unpack dump.txt -o copy/
    """
    _run(lambda report: unpack_file(container, directory, force, max_member_bytes, report), Report(say))


@cli.command()
def schema() -> None:
    """Print the JSON Schema of a record.

    \b
    Example:
        newsingest schema > record.schema.json
    """
    import orjson

    from .record import record_json_schema

    text = orjson.dumps(record_json_schema(), option=orjson.OPT_INDENT_2).decode() + "\n"
    _run(lambda report: write_stdout(text), Report(say))


# --- the entry point ---------------------------------------------------------------------------------


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
    code = code if isinstance(code, int) else 0
    if pool.ABORTED:
        # Workers were ended at once (a signal, a reader that went away, an error): what they
        # leave behind in this process (a thread of the pool stuck on a pipe to a dead worker)
        # must not keep it from ending. Every output is already committed or removed.
        for stream in (sys.stderr, sys.stdout):
            with contextlib.suppress(Exception):
                if stream is not None:
                    stream.flush()
        os._exit(code)
    sys.exit(code)
