"""The formats newsingest writes records in, told by the output's name or `--format`: one table.

A record output is JSONL (one record a line, compressed or not) or Parquet (one file of typed
columns, `io/parquet.py`). A file's name says which; a name newsingest does not write is refused
before anything is read, with the names it does write. A folder of shards (`-o DIR/`) takes its
format from `--format` (JSONL by default).
"""

from __future__ import annotations

import contextlib
import os
import re
from typing import Any, Iterator, Optional, Protocol

from ..errors import OptionsConflict

JSONL, PARQUET = "jsonl", "parquet"
FORMATS = (JSONL, PARQUET)

# What a record file's name may end with: the format, and the compression of the whole file
# (None: none). JSONL may be compressed as a whole; a Parquet file compresses its own columns.
# `streams.open_output` compresses by the same table.
COMPRESSIONS: dict[str, str] = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz", ".zst": "zstd"}
FORMAT_EXTENSIONS: dict[str, str] = {".jsonl": JSONL, ".ndjson": JSONL, ".parquet": PARQUET}

# The file of each shard of a folder, numbered from 0.
SHARD_NAMES: dict[str, str] = {JSONL: "part-{:05d}.jsonl.gz", PARQUET: "part-{:05d}.parquet"}

# An extension: a dot, then a letter, then letters and digits (`x.2024-05` has none).
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]*$")


def shard_name(index: int, format: str = JSONL) -> str:
    """The name of shard number ``index`` of a folder in ``format``."""
    return SHARD_NAMES[format].format(index)


def known_format(format: str) -> str:
    """``format`` when newsingest writes it, else an OptionsConflict listing those it writes."""
    if format not in FORMATS:
        raise OptionsConflict(f"--format {format}: not a format newsingest writes ({', '.join(FORMATS)})")
    return format


def compression_of(path: str) -> Optional[str]:
    """The compression a record file's name asks for (`gzip`, ...), None for none."""
    return COMPRESSIONS.get(_extension(os.path.basename(path)))


def _accepted() -> str:
    compressed = ", ".join(f"NAME.jsonl{suffix}" for suffix in COMPRESSIONS)
    return (f"JSONL as -, NAME, NAME.jsonl, NAME.ndjson, {compressed} (or NAME{next(iter(COMPRESSIONS))}, ...); "
            "Parquet as NAME.parquet; shards as DIR/ with --format jsonl|parquet")


def format_of(path: str, format: Optional[str] = None) -> str:
    """The format of the record file ``path`` (``-``: standard output), by its name and ``format``
    (`--format`, None when not given). A name newsingest does not write, or one that says another
    format than ``format``, is an OptionsConflict."""
    if format is not None:
        known_format(format)
    name = "" if path == "-" else os.path.basename(path)
    extension = _extension(name)
    compressed = extension in COMPRESSIONS
    if compressed:  # the extension under the compression says the format
        name = name[: -len(extension)]
        extension = _extension(name)
    named = FORMAT_EXTENSIONS.get(extension) if extension else JSONL
    if named is None:
        raise OptionsConflict(f"-o {path}: newsingest does not write {extension} files — it writes {_accepted()}")
    if format is not None and extension and named != format:
        raise OptionsConflict(f"-o {path} names a {named.upper()} file, --format says {format}: "
                              "drop --format, or give a name that goes with it")
    if (format or named) == PARQUET and compressed:
        raise OptionsConflict(f"-o {path}: a Parquet file compresses its own columns (zstd) — name it NAME.parquet")
    return format or named


def _extension(name: str) -> str:
    """The extension of a file name, in lower case; empty when it has none."""
    match = _EXTENSION.search(name)
    return match.group().lower() if match else ""


class LineWriter(Protocol):
    """Takes records as the JSONL lines every engine writes (`jsonl.dumps_record`)."""

    def write(self, line: bytes) -> Any: ...


@contextlib.contextmanager
def records_output(path: str, format: str, shaping: dict[str, Any]) -> Iterator[LineWriter]:
    """A record file (``-``: standard output) in ``format``, written atomically as `streams.open_output`
    writes any output; ``shaping``: the run's options (a Parquet file keeps them in its metadata)."""
    from .streams import open_output

    if format == PARQUET:
        from .parquet import ParquetLines, require_pyarrow

        require_pyarrow()
        with open_output(path) as stream, ParquetLines(stream, shaping) as writer:
            yield writer
        return
    with open_output(path) as stream:
        yield stream
