"""`dedup` on a Dask cluster (the optional extra `newsingest[dask]`): the records of `dedup`, in shards.

Each JSONL input (a shard of `split -o DIR/`, say) is a partition. Workers compute the facts of
their partition's records (hash, language, length, date, url, MinHash signature, id) and keep
them. The questions `dedup.resolve` asks are answered across partitions without ever gathering
the corpus in one place:

- exact groups, stories (same url) and LSH candidates are found by a shuffle: each partition
  sends each key (language + hash, url, band + band key) to the bucket its key hashes to, and
  each bucket finds its groups on its own worker;
- candidate pairs are verified by tasks that get the shingles of the records in pairs only;
- the driver holds a few numbers per record (length, date, cluster root) and the pairs.

The result is the single-machine `dedup` of the inputs read in order, and each partition's
records are written, marked, to one shard `part-NNNNN.jsonl.gz` or `part-NNNNN.parquet` (atomically).
"""

from __future__ import annotations

import operator
import os
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional

import numpy as np

from ..stages.dedup import (
    PHASES,
    DedupOptions,
    Marks,
    FactColumns,
    band_keys,
    equal_key_groups,
    record_shingles,
    group_pairs,
    jaccard,
    mark,
    record_facts,
    report_problems,
    resolve,
    unique_pairs,
)
from ..errors import Problem
from ..io.formats import JSONL, records_output, shard_name
from ..io.inputs import read_input
from ..io.jsonl import Reading, dumps_record
from ..record import Record
from ..io.streams import reading
from ..progress import NO_PROGRESS, Progress, input_size
from .base import Heard, Reporter

if TYPE_CHECKING:
    from distributed import Client, Future

# The facts of one partition, kept on its worker: columns named by `FactColumns`, "sig", the
# records' (id, container, line) as "records", and what the worker heard as "heard".
Facts = dict[str, Any]

# Buckets of a shuffle: one per partition, at most this many.
MAX_BUCKETS = 256


def _read(path: str, how: Reading, on_invalid: Optional[Callable[[Problem], None]] = None) -> Iterator[Record]:
    """The records of one input; with ``how.skip_invalid`` a line that is not a record is skipped on
    every read (and told to ``on_invalid``), so record numbers stay the same from read to read."""
    skip = (on_invalid or _already_told) if how.skip_invalid else None
    with reading(path) as stream:
        yield from read_input(stream, path, skip, how.max_line_bytes, how.text_field)


def _already_told(problem: Problem) -> None:
    """A line the first read told of."""


# --- on the workers -----------------------------------------------------------------------------


def partition_facts(path: str, options: DedupOptions, how: Reading) -> Facts:
    """The facts of one partition's records, kept on the worker that computed them."""
    columns = FactColumns(options.num_perm)
    records: list[tuple[str, str, int]] = []
    heard = Heard()
    for record in _read(path, how, heard.skipped):
        columns.add(record_facts(record, options))
        records.append((record.id, record.source.container, record.source.line))
    data = columns.finish()
    blocks = data.pop("sig_blocks")
    data["sig"] = np.concatenate(blocks) if blocks else np.zeros((0, options.num_perm), dtype=np.uint32)
    data["records"] = records
    data["heard"] = heard
    return data


def _size(facts: Facts) -> int:
    return len(facts["records"])


def _columns(facts: Facts) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[int, str], Heard]:
    return facts["chars"], facts["date"], facts["id"], facts["prior"], facts["errors"], facts["heard"]


def _keys(facts: Facts, kind: str, offset: int, is_rep: Optional[np.ndarray], bands: int,
          rows: int) -> list[np.ndarray]:
    """Key columns (uint64) of a partition for a shuffle, the last column the records' global index."""
    index = np.arange(offset, offset + len(facts["records"]), dtype=np.uint64)
    if kind == "exact":
        return [np.stack([facts["lang"], facts["hash_hi"], facts["hash_lo"], index])]
    if kind == "url":
        has = facts["url"] != 0
        return [np.stack([facts["url"][has], index[has]])]
    sig, lang, index = facts["sig"][is_rep], facts["lang"][is_rep], index[is_rep]
    return [np.stack([np.full(index.size, band, dtype=np.uint64), band_keys(sig, lang, band, rows), index])
            for band in range(bands)]


def bucketed(facts: Facts, kind: str, offset: int, buckets: int, is_rep: Optional[np.ndarray] = None,
             bands: int = 0, rows: int = 0) -> list[np.ndarray]:
    """A partition's keys cut into ``buckets`` pieces by the hash of their last key column."""
    table = np.concatenate(_keys(facts, kind, offset, is_rep, bands, rows), axis=1)
    target = (table[-2] * np.uint64(0x9E3779B97F4A7C15) >> np.uint64(40)) % np.uint64(buckets)
    return [table[:, target == b] for b in range(buckets)]


def bucket_groups(kind: str, every_pair: bool, *pieces: np.ndarray) -> list[np.ndarray]:
    """Groups of equal keys in one bucket (global indices); for LSH bands, the candidate pairs."""
    table = np.concatenate(pieces, axis=1)
    keys, index = list(table[:-1]), table[-1].astype(np.int64)
    groups = [index[g] for g in equal_key_groups(keys)]
    if kind != "band":
        return groups
    return [group_pairs(groups, every_pair)]


def partition_shingles(path: str, offset: int, wanted: list[int], options: DedupOptions,
                       failed: list[int], how: Reading) -> dict[int, np.ndarray]:
    """Shingle hashes of the records of a partition whose global index is in ``wanted``."""
    wanted_set, failed_set = set(wanted), set(failed)
    out: dict[int, np.ndarray] = {}
    for index, record in enumerate(_read(path, how), offset):
        if index in wanted_set:
            out[index] = np.zeros(0, np.uint32) if index in failed_set else record_shingles(record, options)
    return out


def pair_similarities(pairs: np.ndarray, *shingles: dict[int, np.ndarray]) -> np.ndarray:
    held = {k: v for part in shingles for k, v in part.items()}
    return np.array([jaccard(held[a], held[b]) if held[a].size or held[b].size else 0.0 for a, b in pairs.tolist()],
                    dtype=np.float64)


def _take(facts: Facts, field: str, local: list[int]) -> list[Any]:
    values = facts[field]
    return [values[i] for i in local]


def write_partition(path: str, out_path: str, marks: Marks, drop: bool, how: Reading, format: str = JSONL,
                    shaping: Optional[dict[str, Any]] = None) -> int:
    """Write one partition's records, marked, as one shard; return how many were written."""
    count = 0
    with records_output(out_path, format, shaping or {}) as out:
        for record in mark(_read(path, how), marks, drop):
            out.write(dumps_record(record))
            count += 1
    return count


# --- the driver ---------------------------------------------------------------------------------


class DaskIndex:
    """What `dedup.resolve` asks of a corpus, answered by tasks on a Dask cluster."""

    def __init__(self, client: Client, paths: list[str], options: DedupOptions, how: Reading = Reading(),
                 progress: Progress = NO_PROGRESS) -> None:
        self.client, self.paths, self.options, self.how = client, paths, options, how
        progress.phase(PHASES["facts"], input_size(paths))
        self.facts = client.map(partition_facts, paths, options=options, how=how, pure=False)
        _as_they_end(self.facts, [os.path.getsize(path) for path in paths], progress)
        sizes = client.gather(client.map(_size, self.facts))
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.n = int(self.offsets[-1])
        columns = client.gather(client.map(_columns, self.facts))
        self.chars, self.date, self.id_hashes, self.prior = (
            np.concatenate([c[k] for c in columns]) if columns else np.zeros(0, dtype)
            for k, dtype in enumerate((np.int64, np.int32, np.uint64, np.uint64))
        )
        self.errors = {i + int(self.offsets[p]): error for p, c in enumerate(columns) for i, error in c[4].items()}
        self.heard = [c[5] for c in columns]
        self.signature_bytes = self.n * options.num_perm * 4
        self.buckets = max(1, min(len(paths), MAX_BUCKETS))

    def _partition_of(self, index: int) -> int:
        return int(np.searchsorted(self.offsets, index, side="right")) - 1

    def _shuffle(self, kind: str, members: Optional[np.ndarray] = None, bands: int = 0, rows: int = 0,
                 every_pair: bool = False) -> list[np.ndarray]:
        client, buckets = self.client, self.buckets
        pieces: list[list[Future]] = []
        for p, facts in enumerate(self.facts):
            start, stop = int(self.offsets[p]), int(self.offsets[p + 1])
            mask = None if members is None else members[start:stop]
            cut = client.submit(bucketed, facts, kind, start, buckets, mask, bands, rows, pure=False)
            pieces.append([client.submit(operator.getitem, cut, b) for b in range(buckets)])
        groups = [client.submit(bucket_groups, kind, every_pair, *[piece[b] for piece in pieces])
                  for b in range(buckets)]
        return [group for found in client.gather(groups) for group in found]

    def exact_groups(self) -> list[np.ndarray]:
        return self._shuffle("exact")

    def url_groups(self) -> list[np.ndarray]:
        return self._shuffle("url")

    def band_pairs(self, members: np.ndarray, bands: int, rows: int, every_pair: bool = False) -> np.ndarray:
        found = self._shuffle("band", members, bands, rows, every_pair)
        return unique_pairs(np.concatenate(found)) if found else np.zeros((0, 2), dtype=np.int64)

    def similarities(self, pairs: np.ndarray) -> np.ndarray:
        """Each pair's similarity, by tasks that get the shingles of the two partitions it spans."""
        result = np.zeros(len(pairs), dtype=np.float64)
        if not len(pairs):
            return result
        part = np.searchsorted(self.offsets, pairs, side="right") - 1  # the partition of each member
        shingles: dict[int, Future] = {}
        for p in np.unique(part).tolist():
            members = np.unique(pairs[part == p]).tolist()
            failed = [i for i in members if i in self.errors]
            shingles[p] = self.client.submit(partition_shingles, self.paths[p], int(self.offsets[p]), members,
                                             self.options, failed, self.how, pure=False)
        spans, which = np.unique(part, axis=0, return_inverse=True)
        which = which.reshape(-1)
        tasks = [self.client.submit(pair_similarities, pairs[which == k], shingles[int(pa)],
                                    *([shingles[int(pb)]] if pb != pa else []))
                 for k, (pa, pb) in enumerate(spans.tolist())]
        for k, values in enumerate(self.client.gather(tasks)):
            result[which == k] = values
        return result

    def _fetch(self, field: str, indices: Iterable[int]) -> dict[int, Any]:
        """The values of a column of the facts (of the type the column holds), by global index."""
        by_part: dict[int, list[int]] = {}
        for i in indices:
            by_part.setdefault(self._partition_of(int(i)), []).append(int(i))
        tasks = {p: self.client.submit(_take, self.facts[p], field, [i - int(self.offsets[p]) for i in wanted])
                 for p, wanted in by_part.items()}
        fetched = self.client.gather(tasks)
        return {i: value for p, wanted in by_part.items() for i, value in zip(wanted, fetched[p])}

    def signatures(self, indices: np.ndarray) -> np.ndarray:
        found = self._fetch("sig", indices)
        return np.stack([found[int(i)] for i in indices])

    def records_of(self, indices: Iterable[int]) -> dict[int, tuple[str, str, int]]:
        return self._fetch("records", list(indices))

    def ids(self, indices: Iterable[int]) -> dict[int, str]:
        return {i: found[0] for i, found in self.records_of(indices).items()}


def _as_they_end(futures: list[Future], sizes: list[int], progress: Progress, counts: bool = False) -> None:
    """Tell ``progress`` of each partition's bytes (and, with ``counts``, the records its task
    returns) as its task ends."""
    from dask.distributed import as_completed

    which = {future.key: index for index, future in enumerate(futures)}
    for future in as_completed(futures):
        progress.read(sizes[which[future.key]])
        if counts:
            progress.wrote(future.result())


def dedup_on_dask(client: Client, paths: list[str], directory: str, options: DedupOptions, drop: bool,
                  report: Reporter,
                  how: Reading = Reading(), format: str = JSONL,
                  shaping: Optional[dict[str, Any]] = None, progress: Progress = NO_PROGRESS,
                  on_duplicates: Optional[Callable[[int, int], None]] = None) -> list[tuple[str, int]]:
    """Deduplicate record files on a Dask cluster, one shard per input in ``directory`` (in ``format``,
    ``shaping`` in a Parquet shard's metadata); return each shard's name and record count. Problems
    and skipped lines go to ``report``, the phases to ``progress``, the numbers of exact and near
    duplicates to ``on_duplicates``."""
    index = DaskIndex(client, paths, options, how, progress)
    for heard in index.heard:
        heard.tell(report)
    result = resolve(index, options, drop, progress)  # its reads are the workers': no bytes counted here
    report_problems(result, index, report)
    if on_duplicates is not None:
        on_duplicates(*result.duplicates())
    ids = index.ids(result.referenced().tolist())
    names = [shard_name(p, format) for p in range(len(paths))]
    tasks = []
    for p, path in enumerate(paths):
        start, stop = int(index.offsets[p]), int(index.offsets[p + 1])
        tasks.append(client.submit(write_partition, path, os.path.join(directory, names[p]),
                                   result.marks(start, stop, ids), drop, how, format, shaping, pure=False))
    progress.phase(PHASES["writing"], input_size(paths))
    _as_they_end(tasks, [os.path.getsize(path) for path in paths], progress, counts=True)
    return list(zip(names, client.gather(tasks)))
