"""The engine of a Dask cluster (the optional extra `newsingest[dask]`): the records one machine
gives, written by the workers as shards of a folder.

`split` cuts containers into partitions of about the shard size (`engines.dask_split`), `dedup`
takes every input as a partition (`engines.dask_dedup`), and `normalize` every input too. Each
partition is one shard, `part-NNNNN.jsonl.gz` (or `.parquet`) in partition order, written atomically by its
worker; the folder's manifest holds the options, so `--resume` skips the shards that exist
and refuses other options or inputs. The sink is a `ShardSink` (`newsingest.pipeline` checks).
"""

from __future__ import annotations

import contextlib
import os
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional, Sequence

from ..errors import MissingExtra
from ..io.formats import JSONL, PARQUET, records_output, shard_name
from ..io.shards import ShardedOutput
from ..io.streams import reading
from ..options import DedupOptions, NormalizeOptions, Reading, SplitOptions
from ..progress import Progress, input_size
from ..io.sinks import ShardSink
from .base import PHASES, Heard, Reporter, duplicates_told, run_options, shaping

if TYPE_CHECKING:
    from distributed import Client

NEEDS_DASK = "--scheduler needs Dask: pip install 'newsingest[dask]'"


@dataclass(frozen=True)
class Dask:
    """A Dask cluster: the ``address`` of its scheduler, or ``local`` for a cluster of ``workers``
    processes on this machine."""

    address: str = "local"
    workers: int = 2

    def split(self, paths: list[str], options: SplitOptions, sink: ShardSink, report: Reporter,
              progress: Progress) -> None:
        from .dask_split import partition_bytes, plan, run_partition

        shaped = shaping("split", options, engine="dask")
        with sink.open(paths, shaped, run_options(self)) as manifest, self._client() as client:
            size = input_size(paths)
            progress.phase(PHASES["plan"], size)
            partitions = plan(paths, report, sink.size, options, progress.read)
            progress.phase(PHASES["split"], size)
            self._run(client, run_partition, partitions, [partition_bytes(p) for p in partitions], sink.directory,
                      manifest, report, progress, options=options, format=sink.file_format, shaping=shaped)

    def normalize(self, paths: list[str], options: NormalizeOptions, sink: ShardSink, report: Reporter, how: Reading,
                  progress: Progress) -> None:
        shaped = shaping("normalize", options, text_field=how.text_field, engine="dask")
        with sink.open(paths, shaped, run_options(self, how)) as manifest, self._client() as client:
            progress.phase(PHASES["normalize"], input_size(paths))
            self._run(client, normalize_partition, list(paths), [os.path.getsize(path) for path in paths],
                      sink.directory, manifest, report, progress, options=options, how=how,
                      format=sink.file_format, shaping=shaped)

    def dedup(self, paths: list[str], options: DedupOptions, drop: bool, sink: ShardSink, report: Reporter,
              how: Reading, progress: Progress) -> None:
        from .dask_dedup import dedup_on_dask

        shaped = shaping("dedup", options, drop=drop, text_field=how.text_field, engine="dask")
        with sink.open(paths, shaped, run_options(self, how)) as manifest, self._client() as client:
            shards = dedup_on_dask(client, paths, sink.directory, options, drop, report, how, sink.file_format,
                                   shaped, progress, duplicates_told(report))
            manifest.written_elsewhere(shards)

    @contextlib.contextmanager
    def _client(self) -> Iterator[Client]:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise MissingExtra(NEEDS_DASK) from None
        if self.address != "local":
            with Client(self.address) as client:
                yield client
            return
        with warnings.catch_warnings():  # a busy default port is no news for a run that shows no dashboard
            warnings.filterwarnings("ignore", message="Port .* is already in use")
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
        with cluster, Client(cluster) as client:
            yield client

    @staticmethod
    def _run(client: Client, task: Callable[..., tuple[int, Heard]], partitions: Sequence[object], sizes: list[int],
             directory: str, manifest: ShardedOutput, report: Reporter, progress: Progress, **arguments: Any) -> None:
        """One task a partition, each writing shard number ``index``; a shard that exists was written
        by an interrupted run and is kept. The problems the workers found are reported here;
        ``progress`` hears of each partition's bytes (``sizes``) and records as its task ends."""
        from dask.distributed import as_completed

        names = [shard_name(index, arguments["format"]) for index in range(len(partitions))]
        written_before = {index for index, name in enumerate(names) if os.path.exists(os.path.join(directory, name))}
        todo = [(index, partition) for index, partition in enumerate(partitions) if index not in written_before]
        counts = {index: _records_in(os.path.join(directory, names[index]), arguments["format"])
                  for index in sorted(written_before)}
        progress.read(sum(sizes[index] for index in written_before))
        futures = {client.submit(task, partition, os.path.join(directory, names[index]), pure=False, **arguments): index
                   for index, partition in todo}
        told: dict[int, Heard] = {}
        for future in as_completed(futures):
            index = futures[future]
            counts[index], told[index] = future.result()
            progress.read(sizes[index])
            progress.wrote(counts[index])
        for index in sorted(told):  # reported in input order, whatever order the workers finished in
            told[index].tell(report)
        manifest.written_elsewhere([(names[index], counts[index]) for index in range(len(partitions))])


def _records_in(path: str, format: str) -> int:
    if format == PARQUET:
        from ..io.parquet import parquet_rows

        return parquet_rows(path)
    with reading(path) as stream:
        return sum(1 for line in stream if line.strip())


def normalize_partition(path: str, out_path: str, options: NormalizeOptions, how: Reading, format: str = JSONL,
                        shaping: Optional[dict[str, Any]] = None) -> tuple[int, Heard]:
    """Normalize one input into one shard (in ``format``, ``shaping`` in a Parquet shard's metadata);
    return the count and what to report."""
    from ..io.inputs import read_input
    from ..io.jsonl import dumps_record
    from ..stages.normalize import normalize_records

    heard = Heard()
    count = 0
    with records_output(out_path, format, shaping or {}) as out, reading(path) as stream:
        records = read_input(stream, path, heard.skipped if how.skip_invalid else None, how.max_line_bytes,
                             how.text_field)
        for record in normalize_records(records, options, on_problem=heard.problem):
            out.write(dumps_record(record))
            count += 1
    return count, heard
