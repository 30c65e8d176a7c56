"""newsingest: raw scraped multilingual news dumps in, a clean, deduplicated JSONL corpus out.

The library API; the CLI (`newsingest.cli`) is a thin layer over these functions.
"""

__version__ = "0.1.0"

from .io.container import Member, format_member, read_container
from .stages.dedup import dedup_key, text_hash
from .errors import NewsingestError, Problem, ProblemError, RecordError
from .io.jsonl import read_records, write_records
from .stages.langid import detect_language
from .stages.normalize import normalize_record, normalize_records, normalize_text
from .record import Record, Source
from .stages.split import split_members
from .stages.stats import CorpusStats, collect_stats
from .io.streams import open_input, open_output

__all__ = [
    "CorpusStats",
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
