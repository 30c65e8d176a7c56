"""Record inputs: JSONL or Parquet, told by their leading bytes (`read_input`), and inputs read
more than once (`dedup` reads its input three times or more).

A regular file is simply opened again. Anything that can be read only once (standard input, a
pipe, a named FIFO, `/dev/stdin`, a process substitution `<(zcat x.gz)`, a URL: an object is
fetched once, and cannot change between reads) is copied once into an
unnamed temporary file, which is gone when the run ends, however it ends. A file that changes
between two reads (appended to, cut short, rewritten) stops the run with an error instead of
giving records out of step.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from itertools import chain
from typing import BinaryIO, Callable, Iterable, Iterator, Optional, cast

from ..errors import InputChanged, Problem
from .foreign import DEFAULT_TEXT_FIELD
from .jsonl import DEFAULT_MAX_LINE_BYTES, Invalid, loads_exact, read_records, record_from_dict
from .parquet import is_parquet, read_parquet_records
from ..record import Record
from .places import is_url, open_raw
from .streams import UTF8_BOM, Counted, PositionalReader, cannot_read, open_stream, spool, standard_input


def read_input(stream: BinaryIO, path: str, on_invalid: Optional[Callable[[Problem], None]] = None,
               max_line_bytes: int = DEFAULT_MAX_LINE_BYTES, text_field: str = DEFAULT_TEXT_FIELD,
               ) -> Iterator[Record]:
    """The records of an input opened by `streams.reading`: Parquet when its leading bytes say so
    (the `PAR1` magic, whatever its name), else JSONL (`jsonl.read_records` says what
    ``on_invalid``, ``max_line_bytes`` and ``text_field`` do)."""
    if is_parquet(stream):
        return read_parquet_records(stream, path, on_invalid, text_field)
    return read_records(stream, path, on_invalid, max_line_bytes, text_field)


def _fingerprint(path: str) -> tuple[int, int, int, int]:
    info = os.stat(path)
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns


def readable_once(path: str) -> bool:
    """Whether ``path`` is read only once: standard input, a URL, or anything but a regular file."""
    if path == "-" or is_url(path):
        return True
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


@dataclass
class _Input:
    path: str  # as given, for messages (`-` for standard input)
    spooled: Optional[BinaryIO] = None  # the copy of an input that can be read only once
    fingerprint: Optional[tuple[int, int, int, int]] = None  # of a regular file, when first read
    records: Optional[int] = None  # how many records the first whole read gave
    clean: bool = False  # the first whole read found every non-blank line a record, in JSONL

    def open(self, counted: Optional[Callable[[int], None]] = None) -> BinaryIO:
        if self.spooled is not None:
            raw = cast(BinaryIO, PositionalReader(self.spooled.fileno()))  # a raw reader, buffered by open_stream
            return open_stream(raw if counted is None else cast(BinaryIO, Counted(raw, counted)))
        try:
            stream = open(self.path, "rb")  # noqa: SIM115
            now = os.fstat(stream.fileno())
        except OSError as exc:
            raise cannot_read(self.path, exc) from None
        fingerprint = (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns)
        if self.fingerprint is None:
            self.fingerprint = fingerprint
        elif fingerprint != self.fingerprint:
            stream.close()
            raise self.changed("its size or modification time changed")
        return open_stream(stream if counted is None else cast(BinaryIO, Counted(stream, counted)))

    @property
    def size(self) -> int:
        if self.spooled is not None:
            return os.fstat(self.spooled.fileno()).st_size
        return self.fingerprint[2] if self.fingerprint is not None else os.stat(self.path).st_size

    def changed(self, how: str) -> InputChanged:
        return InputChanged(
            f"{self.path}: changed while it was being read ({how}); no output was completed — the input is read "
            "several times: let it be written in full first, or pipe it in (a pipe is copied once)"
        )


class RereadableRecords:
    """The records of JSONL or Parquet inputs, to be read from the start again as often as needed.

    Use it as a context manager (spooled copies are closed at the end). Lines that are not
    records go to ``on_invalid`` on the first read only (the same lines are skipped on every
    read, so record numbers stay in step); without it the first such line raises RecordError.
    ``counted`` is told of the bytes each read takes from the inputs as stored (progress).
    """

    def __init__(self, paths: list[str], on_invalid: Optional[Callable[[Problem], None]] = None,
                 max_line_bytes: int = DEFAULT_MAX_LINE_BYTES, text_field: str = DEFAULT_TEXT_FIELD,
                 counted: Optional[Callable[[int], None]] = None):
        self._inputs = [_Input(path) for path in paths]
        self._on_invalid = on_invalid
        self._max_line_bytes = max_line_bytes
        self._text_field = text_field
        self._counted = counted
        self._reads = 0

    @property
    def size(self) -> Optional[int]:
        """The bytes one whole read takes from the inputs (spooled copies included), once entered."""
        try:
            return sum(item.size for item in self._inputs)
        except OSError:
            return None

    def __enter__(self) -> "RereadableRecords":
        try:
            for item in self._inputs:
                if readable_once(item.path):
                    raw = standard_input() if item.path == "-" else open_raw(item.path)
                    try:
                        item.spooled = spool(raw)
                    finally:
                        if item.path != "-":
                            raw.close()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        for item in self._inputs:
            if item.spooled is not None:
                with contextlib.suppress(OSError):
                    item.spooled.close()
                item.spooled = None

    def __call__(self) -> Iterator[Record]:
        """One read of every input, in order."""
        self._reads += 1
        first = self._reads == 1
        for item in self._inputs:
            yield from self._read(item, first)

    def _read(self, item: _Input, first: bool) -> Iterator[Record]:
        invalid: list[Problem] = []
        told = self._on_invalid if first or self._on_invalid is None else _already_reported

        def on_invalid(problem: Problem) -> None:
            invalid.append(problem)
            assert told is not None
            told(problem)

        count = 0
        with item.open(self._counted) as stream:
            jsonl = not is_parquet(stream)
            for record in read_input(stream, item.path, None if told is None else on_invalid, self._max_line_bytes,
                                     self._text_field):
                count += 1
                if item.records is not None and count > item.records:
                    raise item.changed(f"more records than the {item.records:,} of the first read")
                yield record
        if item.records is None:
            item.records, item.clean = count, jsonl and not invalid
        elif count != item.records:
            raise item.changed(f"{count:,} records instead of the {item.records:,} of the first read")
        if item.fingerprint is not None:
            try:
                unchanged = _fingerprint(item.path) == item.fingerprint
            except OSError:
                unchanged = False
            if not unchanged:
                raise item.changed("its size or modification time changed")

    def at(self, indices: Iterable[int]) -> Iterator[tuple[int, Record]]:
        """The records numbered ``indices`` (ascending, counted over all the inputs from 0), each
        with its number, read as far as the last one. Once a whole read has found every non-blank
        line of each JSONL input a record (the usual case), the lines between those wanted are only
        counted, not parsed; inputs before the first wanted are not opened."""
        wanted = iter(indices)
        target = next(wanted, None)
        if target is None:
            return
        if not all(item.clean and item.records is not None for item in self._inputs):
            yield from picked(enumerate(self()), chain((target,), wanted))
            return
        self._reads += 1
        start = 0
        for item in self._inputs:
            assert item.records is not None
            if target >= start + item.records:
                start += item.records
                continue
            index = start
            with item.open(self._counted) as stream:
                for lineno, line in enumerate(iter(stream.readline, b""), 1):
                    if lineno == 1 and line.startswith(UTF8_BOM):
                        line = line[len(UTF8_BOM):]
                    if line.isspace() or not line:
                        continue
                    if index == target:
                        found = record_from_dict(loads_exact(line), lineno, Invalid(item.path), self._text_field)
                        assert found is not None  # a record on the first read, and the file is unchanged
                        yield index, found
                        target = next(wanted, None)
                        if target is None:
                            return
                    index += 1
            start += item.records


def picked(numbered: Iterable[tuple[int, Record]], indices: Iterable[int]) -> Iterator[tuple[int, Record]]:
    """The items of ``numbered`` (ascending numbers) numbered ``indices`` (ascending), read as far
    as the last one."""
    wanted = iter(indices)
    target = next(wanted, None)
    if target is None:
        return
    for index, record in numbered:
        if index == target:
            yield index, record
            target = next(wanted, None)
            if target is None:
                return


def _already_reported(problem: Problem) -> None:
    """A line reported on the first read."""
