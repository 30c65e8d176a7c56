"""`split` on a Dask cluster (the optional extra `newsingest[dask]`): the same records, in shards.

The driver reads each container once, as `split` does, to report its problems and to plan
partitions: runs of members of about the shard size (`--shard-size`), cut only where a member has ended,
with the ids the single-machine run gives (they depend on what came before). Workers read
their partition's bytes themselves, extract the articles with the same functions as the
single-machine run, and write one shard each (`part-NNNNN.jsonl.gz` or `.parquet`, atomically). A
compressed container cannot be read from the middle: it is one partition; so is a UTF-16 or
UTF-32 one (its line ends are not single bytes). Every partition is decoded in the encoding
the driver decided for its whole container, never detected again from its middle.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Optional

from ..io.container import Member, read_container
from ..io.encoding import ends_lines_with_lf_byte
from ..io.formats import JSONL, records_output
from ..io.jsonl import dumps_record
from ..stages.split import IdAllocator, SplitOptions, split_members
from ..io.streams import is_compressed, open_input
from ..errors import Problem
from .base import Heard

@dataclass(frozen=True)
class Partition:
    """Members of one container: bytes [start, end) (end None: to the end), and their ids."""

    index: int
    path: str
    start: int
    end: Optional[int]
    first_line: int
    first_ordinal: int
    ids: tuple[str, ...]
    encoding: str = "auto"  # of the whole container, as the driver decided it


def plan(paths: list[str], on_problem: Callable[[Problem], None], target: int, options: SplitOptions = SplitOptions(),
         bytes_read: Optional[Callable[[int], None]] = None) -> list[Partition]:
    """Read the containers once (reporting their problems, telling ``bytes_read`` of the bytes read)
    and cut them into partitions. With furniture learnt in windows, a cut falls only between two
    windows, so each partition learns from the same articles as one process does."""
    window = options.window if options.learn_furniture > 0 else 1
    partitions: list[Partition] = []
    ids = IdAllocator(options.id_prefix)
    for path in paths:
        splittable = not is_compressed(path)
        start, first_line, first_ordinal = 0, 1, 0
        names: list[str] = []
        previous_closed = True
        decided = options.encoding
        counted = 0  # members with text in this container so far
        with open_input(path, bytes_read) as stream:
            for member in read_container(stream, path, on_problem, options.encoding, options.max_member_bytes):
                decided = member.encoding
                splittable = splittable and ends_lines_with_lf_byte(decided)
                if (splittable and previous_closed and names and member.offset - start >= target
                        and counted % window == 0):
                    partitions.append(Partition(len(partitions), path, start, member.offset, first_line,
                                                first_ordinal, tuple(names), decided))
                    start, first_line, first_ordinal, names = member.offset, member.line, member.ordinal - 1, []
                if member.has_text:
                    names.append(ids(member))
                    counted += 1
                previous_closed = not member.truncated
        partitions.append(Partition(len(partitions), path, start, None, first_line, first_ordinal, tuple(names), decided))
    return partitions


def partition_bytes(partition: Partition) -> int:
    """The bytes of its container a partition takes (all of a compressed one)."""
    end = os.path.getsize(partition.path) if partition.end is None else partition.end
    return end - partition.start


def _members(partition: Partition, max_member_bytes: int) -> Iterator[Member]:
    """The partition's members, with the line numbers and ordinals they have in the whole container."""
    if partition.start == 0 and partition.end is None:
        stream = open_input(partition.path)
    else:
        with open(partition.path, "rb") as handle:
            handle.seek(partition.start)
            data = handle.read(None if partition.end is None else partition.end - partition.start)
        stream = io.BufferedReader(io.BytesIO(data))
    with stream:
        for member in read_container(stream, partition.path, lambda problem: None, partition.encoding,
                                     max_member_bytes):
            member.line += partition.first_line - 1
            member.ordinal += partition.first_ordinal
            yield member


def run_partition(partition: Partition, out_path: str, options: SplitOptions, format: str = JSONL,
                  shaping: Optional[dict[str, Any]] = None) -> tuple[int, Heard]:
    """Extract one partition's articles and write them as one shard (in ``format``, ``shaping`` in a
    Parquet shard's metadata); return the record count and the articles' own problems (for the
    driver to report)."""
    names = iter(partition.ids)
    count = 0
    heard = Heard()
    # records_output writes the shard complete before it takes its name: a shard that exists is whole.
    with records_output(out_path, format, shaping or {}) as out:
        members = _members(partition, options.max_member_bytes)
        for record in split_members(members, lambda member: next(names), options, on_problem=heard.problem):
            out.write(dumps_record(record))
            count += 1
    return count, heard
