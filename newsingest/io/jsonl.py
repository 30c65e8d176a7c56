"""JSONL in and out with orjson: one record a line, UTF-8, unescaped."""

from __future__ import annotations

import json
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Optional

import orjson
from pydantic import ValidationError

from ..errors import Problem, RecordError
from ..options import DEFAULT_MAX_LINE_BYTES as DEFAULT_MAX_LINE_BYTES
from ..options import Reading as Reading
from ..record import Record
from ..signals import checkpoint
from .foreign import DEFAULT_TEXT_FIELD, NotARecord, adopt
from .streams import CORRUPT_STREAM_ERRORS, UTF8_BOM, not_utf8, read_past

# Fields a record does not define pass through as they are. orjson reads an integer of more than
# 64 bits as a float and writes at most 254 levels of nesting: a line whose values hold a float of
# 2**63 or more is read again with the standard library (exact integers), and a record orjson cannot
# write is written by it; a field nested deeper than MAX_DEPTH is refused when read.
_ROUNDED_FROM = float(2**63)
MAX_DEPTH = 200

# Why a JSONL line is not a record: the `kind` of the Problem reported for it.
INVALID_LINE_KINDS = ("not_json", "not_utf8", "not_object", "invalid_record", "too_long", "corrupt_stream")

_SKIP_CHUNK = 2**20
_JSON_TYPES = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean"}


def dumps_record(record: Record) -> bytes:
    """One JSONL line for a record (fields in model order, so output is byte-stable)."""
    return dumps_value(record.model_dump()) + b"\n"


def dumps_value(data: Any) -> bytes:
    """JSON as newsingest writes it (UTF-8, unescaped, compact), integers beyond 64 bits included."""
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:  # an integer beyond 64 bits in a field of another tool's
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def loads_exact(text: bytes) -> Any:
    """JSON read with orjson, and again with the standard library when it holds a number of 19
    digits or more (so that integers beyond 64 bits stay exact). orjson.JSONDecodeError (a
    ValueError) when it is not JSON."""
    value = orjson.loads(text)
    if _holds_huge_float(value):
        value = json.loads(text)  # valid JSON (orjson said so), read again for exact integers
    return value


def _holds_huge_float(value: Any) -> bool:
    """Whether ``value`` holds a float of magnitude 2**63 or more, as orjson reads an integer that
    does not fit 64 bits (a float literal that large reads the same either way). A walk over the
    values read costs a few microseconds a record, where a search of the line's bytes for a long
    run of digits cost one for every 40 bytes of text."""
    stack = [value]
    while stack:
        item = stack.pop()
        for child in item.values() if type(item) is dict else item if type(item) is list else (item,):
            kind = type(child)
            if kind is float:
                if not -_ROUNDED_FROM < child < _ROUNDED_FROM:
                    return True
            elif kind is dict or kind is list:
                stack.append(child)
    return False


def _depth_over(value: Any, limit: int) -> bool:
    """Whether ``value`` nests lists and objects more than ``limit`` levels deep."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def write_records(records: Iterable[Record], stream: BinaryIO) -> int:
    """Write records as JSONL; return how many were written. Stops between two records when a
    signal asked the run to stop."""
    count = 0
    for record in records:
        line = dumps_record(record)
        checkpoint()
        stream.write(line)
        count += 1
    return count


def read_records(
    stream: BinaryIO,
    path: str,
    on_invalid: Optional[Callable[[Problem], None]] = None,
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    text_field: str = DEFAULT_TEXT_FIELD,
) -> Iterator[Record]:
    """Yield the records of a JSONL stream.

    A line that is not a record raises RecordError with its line number; with ``on_invalid``,
    the line is skipped and its Problem (``kind`` in INVALID_LINE_KINDS) handed to it instead,
    so a caller can report and count it. Blank lines are not records and are passed over;
    a UTF-8 byte order mark before the first line is allowed. No line longer than
    ``max_line_bytes`` is held in memory: it is reported as too_long. An object from another
    tool, with its text in ``text_field``, is made a record (`io.foreign.adopt`).
    """

    invalid = Invalid(path, on_invalid)
    lineno, offset = 0, 0
    lines = _bounded_lines(stream, max_line_bytes)
    while True:
        try:
            line = next(lines, None)
        except CORRUPT_STREAM_ERRORS as exc:
            # The decompressor gives up: what came before is read, the rest cannot be.
            reason = str(exc) or type(exc).__name__
            error = invalid(lineno + 1, "corrupt_stream", f"compressed data is truncated or corrupt ({reason})",
                            "check the file's download or copy")
            if error:
                raise error from None
            return
        if line is None:
            return
        lineno += 1
        if isinstance(line, int):  # a line too long to hold
            error = invalid(lineno, "too_long", f"line longer than {max_line_bytes:,} bytes (--max-line-bytes)",
                            "raise --max-line-bytes if it is a real record")
            offset += line
            if error:
                raise error
            continue
        start, offset = offset, offset + len(line)
        if lineno == 1 and line.startswith(UTF8_BOM):
            line, start = line[len(UTF8_BOM) :], start + len(UTF8_BOM)
        if not line or line.isspace():
            continue
        error = None
        try:
            obj = loads_exact(line)
        except orjson.JSONDecodeError as exc:
            error = _not_json(invalid, lineno, start, line, exc.msg, exc.colno)
        else:
            if not isinstance(obj, dict):
                kind = "null" if obj is None else _JSON_TYPES.get(type(obj), type(obj).__name__)
                error = invalid(lineno, "not_object", f"{kind}, not a record (a JSON object)",
                                "each line must be one record")
            else:
                record = record_from_dict(obj, lineno, invalid, text_field)
                if record is not None:
                    yield record
        if error:
            raise error from None


class Invalid:
    """What is done with an input's line (or row) that is not a record: without ``on_invalid``,
    the RecordError to raise is returned; with it, the Problem is handed to it (skipped) and None
    is returned. The message is `FILE:LINE: what — fix`."""

    def __init__(self, path: str, on_invalid: Optional[Callable[[Problem], None]] = None) -> None:
        self.path, self.on_invalid = path, on_invalid

    def __call__(self, lineno: int, kind: str, what: str, fix: str, skippable: bool = True) -> Optional[RecordError]:
        if self.on_invalid is None:
            extra = ", or pass --skip-invalid to go on without it" if skippable else ""
            return RecordError(Problem(self.path, lineno, kind, f"{what} — {fix}{extra}"))
        skipped = "the rest of the file is skipped" if kind == "corrupt_stream" else "skipped"
        self.on_invalid(Problem(self.path, lineno, kind, f"{what}; {skipped} — {fix}"))
        return None


def record_from_dict(obj: dict[str, Any], place: int, invalid: Invalid,
                     text_field: str = DEFAULT_TEXT_FIELD) -> Optional[Record]:
    """The one way a record read from any input (a JSONL line, a Parquet row) becomes a Record,
    another tool's object filled in first (`io.foreign.adopt`, its text in ``text_field``).
    One that is not a record is reported at ``place`` (its line or row) through ``invalid``:
    its RecordError is raised, or it is skipped and None returned."""
    try:
        record = Record.model_validate(adopt(obj, invalid.path, place, text_field))
    except NotARecord as exc:
        error = invalid(place, "invalid_record", exc.what, exc.fix)
    except ValidationError as exc:
        error = invalid(place, "invalid_record", _validation_summary(exc),
                        "`newsingest schema` lists the fields and their types")
    else:
        deep = next((key for key, value in (record.model_extra or {}).items()
                     if _depth_over(value, MAX_DEPTH - 1)), None)
        if deep is None:
            return record
        error = invalid(place, "invalid_record", f"field {deep!r} is nested more than {MAX_DEPTH} levels deep",
                        f"flatten it: records are written with at most {MAX_DEPTH} levels")
    if error:
        raise error from None
    return None


def _not_json(invalid: Invalid, lineno: int, start: int, line: bytes, msg: str, colno: int) -> Optional[RecordError]:
    try:
        if "UTF-8" in msg:
            line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return invalid(
            lineno, "not_utf8", not_utf8("", 0, exc.start + 1, start + exc.start, "").message,
            "the file was damaged or re-encoded: write it again with newsingest",
        )
    what = f"not JSON ({msg} at column {colno})"
    if line.lstrip().startswith(b"<<<"):
        return invalid(lineno, "not_json", what, "this looks like a container: run `newsingest split` first",
                       skippable=False)
    return invalid(lineno, "not_json", what, "fix or remove this line")


def _validation_summary(exc: ValidationError) -> str:
    """The first thing wrong with a record, e.g. `text: Input should be a valid string`, and how many more."""
    errors = exc.errors(include_url=False, include_input=False)
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"]) or "record"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"not a newsingest record: {where}: {first['msg']}{more}"


def _bounded_lines(stream: BinaryIO, limit: int) -> Iterator[bytes | int]:
    """The lines of a stream; a line longer than ``limit`` bytes (line end not counted) is
    read past in chunks and given as its length instead, so it is never held whole."""
    readline = stream.readline
    while line := readline(limit + 2):
        if len(line) <= limit or len(line.rstrip(b"\r\n")) <= limit:
            yield line
            continue
        held, line = [line], b""
        yield read_past(readline, held, _SKIP_CHUNK)
