"""JSONL in and out with orjson: one record a line, UTF-8, unescaped."""

from __future__ import annotations

from typing import BinaryIO, Iterable, Iterator

import orjson
from pydantic import ValidationError

from .errors import Problem, RecordError
from .record import Record

_DUMP_OPTIONS = orjson.OPT_APPEND_NEWLINE


def dumps_record(record: Record) -> bytes:
    """One JSONL line for a record (fields in model order, so output is byte-stable)."""
    return orjson.dumps(record.model_dump(), option=_DUMP_OPTIONS)


def write_records(records: Iterable[Record], stream: BinaryIO) -> int:
    """Write records as JSONL; return how many were written."""
    count = 0
    for record in records:
        stream.write(dumps_record(record))
        count += 1
    return count


def read_records(stream: BinaryIO, path: str) -> Iterator[Record]:
    """Yield the records of a JSONL stream; a bad line raises RecordError with its line number."""
    for lineno, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            hint = (
                " — this looks like a container: run `newsingest split` first"
                if line.lstrip().startswith(b"<<<")
                else " — is this a JSONL file written by newsingest?"
            )
            raise RecordError(Problem(path, lineno, "not_json", f"not JSON ({exc}){hint}")) from None
        if not isinstance(obj, dict):
            raise RecordError(
                Problem(path, lineno, "not_object", f"a record must be a JSON object, not {type(obj).__name__}")
            )
        try:
            yield Record.model_validate(obj)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "record"
            raise RecordError(
                Problem(path, lineno, "invalid_record", f"not a newsingest record: {where}: {first['msg']}")
            ) from None
