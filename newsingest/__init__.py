"""newsingest: raw scraped multilingual news dumps in, a clean, deduplicated JSONL corpus out.

The library API; the CLI (`newsingest.cli`) is a thin layer over these functions. The runner
(`split_files`, `normalize_files`, `dedup_files`, ...) reads inputs, runs a stage on an engine
(`Local`, `Dask`) and writes to a sink (`StreamSink`, `ShardSink`); the stages themselves are
generators over records (`split_members`, `normalize_records`, ...).

Each name is imported from its module when it is first used (`newsingest.Record` loads the record
model, `newsingest.identify` the language tables), so that `import newsingest` and the command
line start at once.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

# Where each name of the API is defined.
_HOMES = {
    "Member": ".io.container", "format_member": ".io.container", "read_container": ".io.container",
    "dedup_key": ".stages.dedup", "text_hash": ".stages.dedup",
    "NewsingestError": ".errors", "Problem": ".errors", "ProblemError": ".errors", "RecordError": ".errors",
    "read_records": ".io.jsonl", "write_records": ".io.jsonl",
    "Identification": ".stages.langid", "detect_language": ".stages.langid", "identify": ".stages.langid",
    "normalize_record": ".stages.normalize", "normalize_records": ".stages.normalize",
    "normalize_text": ".stages.normalize",
    "Record": ".record", "Source": ".record",
    "split_members": ".stages.split",
    "CorpusStats": ".stages.stats", "collect_stats": ".stages.stats",
    "open_input": ".io.streams", "open_output": ".io.streams",
    **dict.fromkeys(
        ("Dask", "Local", "Reading", "Report", "ShardSink", "StreamSink", "dedup_files", "normalize_files",
         "normalize_lines", "pack_files", "split_files", "stats_files", "unpack_file"), ".pipeline"),
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'newsingest' has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value  # found at once the next time
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:
    from .errors import NewsingestError, Problem, ProblemError, RecordError
    from .io.container import Member, format_member, read_container
    from .io.jsonl import read_records, write_records
    from .io.streams import open_input, open_output
    from .pipeline import (
        Dask, Local, Reading, Report, ShardSink, StreamSink, dedup_files, normalize_files, normalize_lines,
        pack_files, split_files, stats_files, unpack_file,
    )
    from .record import Record, Source
    from .stages.dedup import dedup_key, text_hash
    from .stages.langid import Identification, detect_language, identify
    from .stages.normalize import normalize_record, normalize_records, normalize_text
    from .stages.split import split_members
    from .stages.stats import CorpusStats, collect_stats
