"""What the command line shows on a terminal with rich: progress on stderr, the tables of `stats`.

With cli.py, the only module that imports rich; the library never does.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

import click

from .errors import NewsingestError, printable
from .io.streams import OutputError, drop_stdout, standard_output
from .pipeline import Progress, Report
from .stages.stats import DUPLICATE_ROWS, PROBLEM_ROWS, CorpusStats, share_of

if TYPE_CHECKING:
    from rich.console import Console


def say(message: str) -> None:
    """A message on stderr, every character a terminal would act on shown escaped."""
    click.echo("\n".join(printable(line) for line in message.split("\n")), err=True)


@dataclass
class _Phase:
    name: str
    total: Optional[int]
    started: float
    ended: Optional[float] = None
    bytes_read: int = 0
    records: int = 0
    task: Any = None  # its bar, when bars are shown


class Watch(Progress):
    """What the command line shows of a run that writes records: a bar on stderr for each phase
    (bytes read of the input's size, rate, time left, records written), kept until the run ends;
    then, with ``verbose``, how long each phase took; then the closing line (`Report.summary`).

    Bars and the closing line are shown when stderr is a terminal, or when ``forced``
    (--progress); never when ``quiet``. ``verbose`` (-v) shows the timings and the closing line
    wherever stderr goes."""

    REFRESH = 0.1  # seconds between two updates of a bar (counts in between are added up)

    def __init__(self, quiet: bool = False, forced: bool = False, verbose: bool = False) -> None:
        terminal = sys.stderr is not None and sys.stderr.isatty()
        self.shown = not quiet and (terminal or forced)
        self.verbose = verbose and not quiet
        self.phases: list[_Phase] = []
        self._forced = forced and not terminal
        self._bars: Any = None  # started with the first phase, stopped with the run
        self._stopped = False
        self._pending = [0, 0]  # bytes read and records written not yet given to the bar
        self._flushed = 0.0

    # --- Progress -------------------------------------------------------------------------------

    def phase(self, name: str, total: Optional[int] = None) -> None:
        now = time.monotonic()
        self._end_phase(now, True)
        phase = _Phase(name, total, now)
        if self.shown and self._bars is None and not self._stopped:
            self._bars = _bars(self._forced)
            self._bars.start()
        if self._bars is not None:
            phase.task = self._bars.add_task(name, total=total, records=0, reads=total is not None)
        self.phases.append(phase)
        self._flushed = now

    def read(self, count: int) -> None:
        if self.phases:
            self.phases[-1].bytes_read += count
            self._pending[0] += count
            self._flush_now_and_then()

    def wrote(self, count: int) -> None:
        if self.phases:
            self.phases[-1].records += count
            self._pending[1] += count
            self._flush_now_and_then()

    # --- the end ----------------------------------------------------------------------------------

    def stop(self, finished: bool = True) -> None:
        """The run has ended (``finished``: its last phase went to its end): the bars go (they are
        transient)."""
        self._end_phase(time.monotonic(), finished)
        self._stopped = True
        if self._bars is not None:
            self._bars.stop()
            self._bars = None

    def tell(self, report: Report) -> None:
        """The timings (verbose) and the closing line, once the run has ended."""
        if self.verbose:
            for phase in self.phases:
                say(f"newsingest: {_timing(phase)}")
        summary = report.summary()
        if summary is not None and (self.shown or self.verbose):
            say(summary)

    # --- inside -------------------------------------------------------------------------------------

    def _flush_now_and_then(self) -> None:
        now = time.monotonic()
        if now - self._flushed >= self.REFRESH:
            self._flush()
            self._flushed = now

    def _flush(self) -> None:
        read, records = self._pending
        if self._bars is not None and self.phases and (read or records):
            phase = self.phases[-1]
            fields = {"records": phase.records} if records else {}
            if read:
                fields["reads"] = True
            self._bars.update(phase.task, advance=read, **fields)
        self._pending = [0, 0]

    def _end_phase(self, now: float, finished: bool) -> None:
        if not self.phases or self.phases[-1].ended is not None:
            return
        self._flush()
        phase = self.phases[-1]
        phase.ended = now
        if self._bars is not None and finished:  # the bar full, of what the phase read (a read may stop early)
            done = max(phase.bytes_read, 1)
            self._bars.update(phase.task, total=done, completed=done, reads=phase.bytes_read > 0,
                              elapsed=now - phase.started)


def _timing(phase: _Phase) -> str:
    seconds = (phase.ended or time.monotonic()) - phase.started
    parts = [f"{phase.name}: {seconds:.1f} s"]
    if phase.bytes_read:
        parts.append(f"{_bytes(phase.bytes_read)} read ({_bytes(phase.bytes_read / max(seconds, 1e-9))}/s)")
    if phase.records:
        parts.append(f"{phase.records:,} records written")
    return ", ".join(parts)


def _bytes(count: float) -> str:
    from rich.filesize import decimal

    return decimal(int(count))


def _bars(forced: bool) -> Any:
    """The rich display of the phases' bars, on stderr (``forced``: drawn though it is no terminal)."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, ProgressColumn, TextColumn, TransferSpeedColumn
    from rich.progress import Progress as Bars
    from rich.table import Column
    from rich.text import Text

    download, speed = DownloadColumn(), TransferSpeedColumn()

    def cell() -> Column:  # never wrapped: the bar is what gives way on a narrow terminal
        return Column(no_wrap=True)

    class Read(ProgressColumn):
        def __init__(self) -> None:
            super().__init__(cell())

        def render(self, task: Any) -> Text:
            return download.render(task) if task.fields["reads"] else Text("")

    class Rate(ProgressColumn):
        def __init__(self) -> None:
            super().__init__(cell())

        def render(self, task: Any) -> Text:
            if not task.fields["reads"]:
                return Text("")
            if task.finished and task.fields.get("elapsed"):
                return Text(f"{_bytes(task.completed / task.fields['elapsed'])}/s", style="progress.data.speed")
            return speed.render(task)

    class Time(ProgressColumn):
        max_refresh = 0.5

        def __init__(self) -> None:
            super().__init__(cell())

        def render(self, task: Any) -> Text:
            if task.finished:
                return Text(f"took {_clock(task.fields.get('elapsed') or 0)}", style="progress.elapsed")
            left = task.time_remaining if task.fields["reads"] and task.total is not None else None
            if left is not None:
                return Text(f"eta {_clock(left)}", style="progress.remaining")
            return Text(_clock(task.elapsed or 0), style="progress.elapsed")

    class Records(ProgressColumn):
        def __init__(self) -> None:
            super().__init__(cell())

        def render(self, task: Any) -> Text:
            count = task.fields["records"]
            return Text(f"{count:,} {'record' if count == 1 else 'records'}" if count else "")

    console = Console(stderr=True, force_terminal=True if forced else None)
    return Bars(TextColumn("{task.description}", markup=False, table_column=cell()), BarColumn(bar_width=40),
                Read(), Rate(), Time(), Records(), console=console, redirect_stdout=False, transient=True)


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}"


def write_stdout(text: str) -> None:
    """Data on standard output; a write that fails (a full disk, a closed stdout) is an OutputError."""
    out = standard_output()
    try:
        out.write(text.encode("utf-8"))
        out.flush()
    except NewsingestError:
        drop_stdout()
        raise


def _cell(value: str) -> str:
    """A value from the data as a table cell: rich markup escaped, control characters made visible."""
    from rich.markup import escape

    if not value:
        return "(empty)"
    return escape(printable(value))


def _console() -> Console:
    """A rich console on standard output for data: no emoji codes or highlighting taken from the
    data, a reader that went away is a BrokenPipeError (exit 0, like every command), and a
    failed write names standard output."""
    from rich.console import Console

    class DataConsole(Console):
        def on_broken_pipe(self) -> None:  # rich would exit 1
            raise BrokenPipeError

    standard_output()  # a closed stdout is an error before anything is printed
    return DataConsole(highlight=False, emoji=False)


def print_stats(corpus: CorpusStats, top: int) -> None:
    try:
        _print_tables(corpus, top, _console())
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        drop_stdout()
        raise OutputError("standard output", exc) from None


def _print_tables(corpus: CorpusStats, top: int, console: Console) -> None:
    from rich.table import Table

    figures = corpus.to_dict()

    def table(title: str, *columns: str) -> Table:
        t = Table(title=title, title_justify="left", min_width=len(title) + 2)
        for i, column in enumerate(columns):
            t.add_column(column, justify="left" if i == 0 else "right")
        return t

    def share(n: int) -> str:
        return share_of(n, corpus.articles)

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

    def counted(title: str, section: str, rows: tuple[tuple[str, str], ...]) -> None:
        counts = table(title, "", "articles")
        for label, key in rows:
            counts.add_row(label, f"{figures[section][key]:,}")
        console.print(counts)

    counted("Duplicates", "duplicates", DUPLICATE_ROWS)

    for title, key, unit in (("Normalization edits by rule", "normalization", "edits"),
                             ("Lines taken out of the text, by reason", "boilerplate", "lines")):
        if figures[key]:
            counts = table(title, "rule" if key == "normalization" else "reason", unit)
            for name, n in figures[key].items():
                counts.add_row(_cell(name), f"{n:,}")
            if key == "boilerplate":
                counts.add_row("(captions)", f"{corpus.captions:,}")
            console.print(counts)

    counted("Records with problems", "problems", PROBLEM_ROWS)
