"""Records in and out of Parquet (the optional extra `newsingest[parquet]`: pyarrow).

The columns are derived from the `Record` model, field by field (str: string, int: int64, float:
float64, bool: bool, Optional: nullable, list: list, a nested model: struct), so a field added to
`Record` is a column without a second list to edit. Fields a record does not define (records of
other tools pass through) cannot be columns of one fixed schema: they are kept together as the
JSON object of the nullable string column `extra` (null when there are none) and spread back into
the record when it is read.

The writer takes the JSONL lines every engine writes and keeps at most a row group in memory (as
Arrow arrays, not Python objects): a row group ends after ROW_GROUP_ROWS rows or ROW_GROUP_BYTES of
JSONL, whichever comes first. Columns are compressed with zstd. The same records give the same
bytes: the file's key-value metadata holds the version of newsingest and the options that shaped
the records, and nothing of the time or place of the run (`created_by` is pyarrow's own version).
The reader reads a row group at a time, and each row becomes a record as a JSONL line does
(`jsonl.record_from_dict`), a bad one reported as `FILE:ROW: ...` (rows counted from 1).
"""

from __future__ import annotations

import json
import types
import typing
from typing import Any, BinaryIO, Callable, Iterator, Optional, Union

import orjson
from pydantic import BaseModel

from ..errors import MissingExtra, Problem
from ..record import Record
from ..signals import checkpoint
from .foreign import DEFAULT_TEXT_FIELD
from .jsonl import Invalid, dumps_value, loads_exact, record_from_dict
from .streams import CORRUPT_STREAM_ERRORS, spool

NEEDS_PYARROW = "Parquet needs pyarrow: pip install 'newsingest[parquet]'"
MAGIC = b"PAR1"  # the first (and last) four bytes of every Parquet file
EXTRA = "extra"  # the column of the fields a record does not define, as one JSON object
METADATA_KEY = b"newsingest"  # the file's key-value metadata: {"version": ..., "options": {...}}
ROW_GROUP_ROWS = 10_000
ROW_GROUP_BYTES = 16 * 2**20  # of JSONL: a reader holds a row group, and a progress bar moves a row group at a time
_BATCH_ROWS = 1_000  # rows held as Python objects before they become Arrow arrays
_READ_ROWS = 1_000


def require_pyarrow() -> tuple[Any, Any]:
    """The modules pyarrow and pyarrow.parquet; MissingExtra naming the extra when they are not there."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise MissingExtra(NEEDS_PYARROW) from None
    return pyarrow, pyarrow.parquet


def is_parquet(stream: BinaryIO) -> bool:
    """Whether a buffered stream holds Parquet, by its leading bytes (read, not consumed). A stream
    that fails at its start (a damaged compressed file) is not: the JSONL reader reports it."""
    try:
        # typing.BinaryIO has no peek; the streams `open_stream` gives are buffered readers, which have
        return bool(stream.peek(len(MAGIC))[: len(MAGIC)] == MAGIC)  # type: ignore[attr-defined]
    except CORRUPT_STREAM_ERRORS:
        return False


# --- the schema ---------------------------------------------------------------------------------


def _arrow_type(annotation: Any) -> tuple[Any, bool]:
    """The Arrow type of a field's annotation, and whether it may be null."""
    pa, _ = require_pyarrow()
    origin = typing.get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        kinds = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(kinds) != 1:
            raise TypeError(f"no Arrow type for {annotation!r}: one type or None")
        return _arrow_type(kinds[0])[0], True
    if origin is typing.Annotated:
        return _arrow_type(typing.get_args(annotation)[0])
    if origin is list:
        item, nullable = _arrow_type(typing.get_args(annotation)[0])
        return pa.list_(pa.field("item", item, nullable=nullable)), False
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct(_fields(annotation)), False
    simple = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}
    if annotation in simple:
        return simple[annotation], False
    raise TypeError(f"no Arrow type for {annotation!r}")


def _fields(model: type[BaseModel]) -> list[Any]:
    pa, _ = require_pyarrow()
    fields = []
    for name, info in model.model_fields.items():
        kind, nullable = _arrow_type(info.annotation)
        fields.append(pa.field(name, kind, nullable=nullable))
    return fields


def record_schema() -> Any:
    """The Arrow schema of a record: one column a field of `Record`, then `extra`."""
    pa, _ = require_pyarrow()
    return pa.schema([*_fields(Record), pa.field(EXTRA, pa.string(), nullable=True)])


# --- writing ----------------------------------------------------------------------------------------


class ParquetLines:
    """A Parquet file written to ``stream`` from JSONL record lines; ``options``: what shaped the
    records (kept in the file's metadata, without the engine, which does not change them)."""

    def __init__(self, stream: BinaryIO, options: dict[str, Any], row_group_rows: int = ROW_GROUP_ROWS,
                 row_group_bytes: int = ROW_GROUP_BYTES) -> None:
        pa, pq = require_pyarrow()

        from .. import __version__

        self._pa = pa
        shaping = {key: value for key, value in options.items() if key != "engine"}
        metadata = {METADATA_KEY: json.dumps({"version": __version__, "options": shaping}, sort_keys=True)}
        self._schema = record_schema().with_metadata(metadata)
        self._names = [name for name in self._schema.names if name != EXTRA]
        self._known = set(self._names)
        self._rows: list[dict[str, Any]] = []
        self._batches: list[Any] = []
        self._group_rows, self._group_bytes = 0, 0
        self._limits = (row_group_rows, row_group_bytes)
        self._writer = pq.ParquetWriter(stream, self._schema, compression="zstd")

    def write(self, line: bytes) -> None:
        checkpoint()
        data = loads_exact(line)
        row = {name: data.get(name) for name in self._names}
        extra = {key: value for key, value in data.items() if key not in self._known}
        row[EXTRA] = dumps_value(extra).decode("utf-8") if extra else None
        self._rows.append(row)
        self._group_rows += 1
        self._group_bytes += len(line)
        if len(self._rows) >= _BATCH_ROWS:
            self._to_arrow()
        if self._group_rows >= self._limits[0] or self._group_bytes >= self._limits[1]:
            self._end_row_group()

    def _to_arrow(self) -> None:
        if self._rows:
            self._batches.append(self._pa.RecordBatch.from_pylist(self._rows, schema=self._schema))
            self._rows = []

    def _end_row_group(self) -> None:
        self._to_arrow()
        if self._batches:
            table = self._pa.Table.from_batches(self._batches, schema=self._schema)
            self._writer.write_table(table, row_group_size=max(1, table.num_rows))
        self._batches, self._group_rows, self._group_bytes = [], 0, 0

    def close(self) -> None:
        self._end_row_group()
        self._writer.close()

    def __enter__(self) -> "ParquetLines":
        return self

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        if exc_type is None:
            self.close()
        else:  # the file is dropped: no footer is written to it, now or when the writer is collected
            self._writer.is_open = False


# --- reading ----------------------------------------------------------------------------------------


def _seekable(stream: BinaryIO) -> bool:
    """Whether a stream can be read from its end (a regular file, or a spooled copy of one)."""
    raw = getattr(stream, "raw", None)
    return raw is not None and stream.seekable()


def read_parquet_records(stream: BinaryIO, path: str, on_invalid: Optional[Callable[[Problem], None]] = None,
                         text_field: str = DEFAULT_TEXT_FIELD) -> Iterator[Record]:
    """Yield the records of a Parquet stream, one row group at a time. A stream that cannot be read
    from its end (standard input, a pipe, a compressed file) is first copied to an unnamed
    temporary file. A row that is not a record is reported at ``path:ROW`` as a JSONL line is."""
    _, pq = require_pyarrow()
    invalid = Invalid(path, on_invalid)
    copy = None if _seekable(stream) else spool(stream)
    try:
        try:
            batches = pq.ParquetFile(copy or stream).iter_batches(batch_size=_READ_ROWS)
        except Exception as exc:  # pyarrow says ArrowInvalid, OSError...: a file it cannot read
            error = _damaged(invalid, 1, exc)
            if error:
                raise error from None
            return
        row = 0
        while True:
            try:
                batch = next(batches, None)
            except Exception as exc:
                error = _damaged(invalid, row + 1, exc)
                if error:
                    raise error from None
                return
            if batch is None:
                return
            for data in batch.to_pylist():
                row += 1
                extra = data.pop(EXTRA, None)
                if isinstance(extra, str):
                    try:
                        fields = loads_exact(extra.encode("utf-8"))
                    except ValueError:
                        fields = None
                    if not isinstance(fields, dict):
                        error = invalid(row, "invalid_record", f"the {EXTRA} column is not a JSON object",
                                        f"write the fields a record does not define as one JSON object in {EXTRA}")
                        if error:
                            raise error from None
                        continue
                    data.update((key, value) for key, value in fields.items() if key not in data)
                elif extra is not None:
                    data[EXTRA] = extra  # another tool's own column of that name
                record = record_from_dict(data, row, invalid, text_field)
                if record is not None:
                    yield record
    finally:
        if copy is not None:
            copy.close()


def _damaged(invalid: Invalid, row: int, exc: Exception) -> Any:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return invalid(row, "corrupt_stream", f"not a readable Parquet file ({reason})",
                   "check the file's download or copy")


def parquet_rows(path: str) -> int:
    """How many records a Parquet file holds (from its footer)."""
    _, pq = require_pyarrow()
    return int(pq.ParquetFile(path).metadata.num_rows)


def file_metadata(path: str) -> dict[str, Any]:
    """What newsingest put in a Parquet file's metadata: the version and the options of the run."""
    _, pq = require_pyarrow()
    value = (pq.ParquetFile(path).schema_arrow.metadata or {}).get(METADATA_KEY)
    return dict(orjson.loads(value)) if value else {}
