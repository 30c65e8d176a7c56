"""What the command line shows on a terminal with rich: progress on stderr, the tables of `stats`.

With cli.py, the only module that imports rich; the library never does.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Callable, Iterator

import click

from .engines.base import nothing_written
from .errors import NewsingestError, printable
from .io.streams import OutputError, drop_stdout, standard_output
from .stages.stats import DUPLICATE_ROWS, PROBLEM_ROWS, CorpusStats, share_of


def say(message: str) -> None:
    """A message on stderr, every character a terminal would act on shown escaped."""
    click.echo("\n".join(printable(line) for line in message.split("\n")), err=True)


@contextlib.contextmanager
def counting(description: str, quiet: bool) -> Iterator[Callable[[int], None]]:
    """A live count of records written, on stderr, only when stderr is a terminal."""
    if quiet or sys.stderr is None or not sys.stderr.isatty():
        yield nothing_written
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,}"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), redirect_stdout=False, transient=True) as progress:
        task = progress.add_task(description, total=None)
        yield lambda count: progress.advance(task, count)


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


def print_stats(corpus: CorpusStats, top: int) -> None:
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
