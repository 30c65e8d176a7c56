"""newsingest: raw scraped multilingual news dumps in, a clean, deduplicated JSONL corpus out.

The library API; the CLI (`newsingest.cli`) is a thin layer over these functions. The runner
(`split_files`, `normalize_files`, `dedup_files`, ...) reads inputs, runs a stage on an engine
(`Local`, `Dask`) and writes to a sink (`StreamSink`, `ShardSink`); the stages themselves are
generators over records (`split_members`, `normalize_records`, ...).
"""

__version__ = "0.2.0"

from .io.container import Member, format_member, read_container
from .stages.dedup import dedup_key, text_hash
from .errors import NewsingestError, Problem, ProblemError, RecordError
from .io.jsonl import read_records, write_records
from .stages.langid import Identification, detect_language, identify
from .stages.normalize import normalize_record, normalize_records, normalize_text
from .record import Record, Source
from .stages.split import split_members
from .stages.stats import CorpusStats, collect_stats
from .io.streams import open_input, open_output
from .pipeline import (
    Dask, Local, Reading, Report, ShardSink, StreamSink, dedup_files, normalize_files, normalize_lines, pack_files,
    split_files, stats_files, unpack_file,
)

__all__ = [
    "CorpusStats",
    "Dask",
    "Identification",
    "Local",
    "Reading",
    "Report",
    "ShardSink",
    "StreamSink",
    "dedup_files",
    "identify",
    "normalize_files",
    "normalize_lines",
    "pack_files",
    "split_files",
    "stats_files",
    "unpack_file",
    "Member",
    "NewsingestError",
    "Problem",
    "ProblemError",
    "Record",
    "RecordError",
    "Source",
    "collect_stats",
    "dedup_key",
    "detect_language",
    "format_member",
    "normalize_record",
    "normalize_records",
    "normalize_text",
    "open_input",
    "open_output",
    "read_container",
    "read_records",
    "split_members",
    "text_hash",
    "write_records",
]
