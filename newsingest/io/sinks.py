"""Where the records of a run go: a stream (standard output or one file) or a folder of shards.

A sink is what the user asked for; `open` gives the writer of one run. Every writer commits
what it wrote when the run succeeds and drops what is half written when it does not (a file
appears only complete; a shard folder keeps its complete shards for `--resume`). Engines write
through the same three calls whichever sink it is: `skip` (records of an input already written
by an interrupted run), `write` and `input_done`. A sink writes JSONL or Parquet (`io/formats.py`):
by the file's name, or `format` (`--format`).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from typing import Any, Optional, Protocol, Union

from ..errors import OptionsConflict
from .formats import JSONL, format_of, known_format, records_output
from .places import check_output, is_url
from .shards import DEFAULT_SHARD_SIZE, ShardedOutput
from ..lifecycle import CommitOrAbort
from ..signals import checkpoint


class Writer(Protocol):
    """The writing end of one run."""

    def skip(self, input_index: int) -> Optional[int]:
        """Records of the input already written (0: none); None when all of them are."""

    def write(self, input_index: int, line: bytes) -> None:
        """One JSONL line, from the input of that index."""

    def input_done(self, input_index: int) -> None:
        """The input has no more records."""

    def __enter__(self) -> "Writer": ...

    def __exit__(self, *exc_info: Any) -> None: ...


@dataclass(frozen=True)
class StreamSink:
    """Standard output (``-``) or one file, written atomically: JSONL (compressed by its extension)
    or Parquet, by its name or ``format`` (None: by the name alone)."""

    path: str = "-"
    format: Optional[str] = None

    @property
    def file_format(self) -> str:
        """The format written (an OptionsConflict when the name and ``format`` do not go together)."""
        return format_of(self.path, self.format)

    def open(self, inputs: list[str], shaping: dict[str, Any], run: Optional[dict[str, Any]] = None) -> Writer:
        return _StreamWriter(self.path, self.file_format, shaping)


@dataclass(frozen=True)
class ShardSink:
    """A folder of `part-NNNNN.jsonl.gz` (or, ``format`` parquet, `part-NNNNN.parquet`) shards of about
    ``shard_size`` bytes of JSONL each (None: DEFAULT_SHARD_SIZE), with a manifest; ``resume`` goes on
    from the last complete shard of an interrupted run."""

    directory: str
    shard_size: Optional[int] = None
    resume: bool = False
    format: str = JSONL

    @property
    def file_format(self) -> str:
        return known_format(self.format)

    @property
    def size(self) -> int:
        return self.shard_size or DEFAULT_SHARD_SIZE

    def open(self, inputs: list[str], shaping: dict[str, Any], run: Optional[dict[str, Any]] = None) -> ShardedOutput:
        """``shaping``: the options that shape the records (compared by --resume); ``run``: the
        other options of the run (recorded in the manifest)."""
        return ShardedOutput(self.directory, self.size, inputs, self.resume, shaping, self.file_format, run or {})


Sink = Union[StreamSink, ShardSink]


def sink_for(output: str, shard_size: Optional[int] = None, resume: bool = False,
             format: Optional[str] = None) -> Sink:
    """The sink an output path or URL names: a folder (``DIR/``, ``s3://bucket/DIR/`` or an existing
    local directory) is shards, in ``format`` (JSONL when None); a file is in the format its name or
    ``format`` says. A URL whose scheme cannot be written is refused here."""
    check_output(output)
    if output.endswith(os.sep) or output.endswith("/") or (not is_url(output) and os.path.isdir(output)):
        sink: Sink = ShardSink(output, shard_size, resume, format or JSONL)
    else:
        if resume:
            raise OptionsConflict("--resume goes with sharded output: -o DIR/")
        if shard_size is not None:
            raise OptionsConflict("--shard-size goes with sharded output: -o DIR/")
        sink = StreamSink(output, format)
    sink.file_format  # noqa: B018 - a name or format newsingest does not write is refused here
    return sink


def one_file(output: str, command: str) -> str:
    """The output of a command that writes one file or stdout, never shards: a folder is refused."""
    check_output(output)
    if output != "-" and (output.endswith(os.sep) or os.path.isdir(output)):
        raise OptionsConflict(f"{command} writes one file, not shards: give -o FILE, or no -o for stdout")
    return output


class _StreamWriter(CommitOrAbort):
    def __init__(self, path: str, format: str, shaping: dict[str, Any]) -> None:
        self._stack = contextlib.ExitStack()
        self._out = self._stack.enter_context(records_output(path, format, shaping))

    def skip(self, input_index: int) -> Optional[int]:
        return 0

    def write(self, input_index: int, line: bytes) -> None:
        checkpoint()
        self._out.write(line)

    def input_done(self, input_index: int) -> None:
        pass

    def close(self) -> None:
        self._stack.close()

    def abort(self) -> None:
        error = RuntimeError("the run did not end well")
        with contextlib.suppress(Exception):
            self._stack.__exit__(type(error), error, None)
