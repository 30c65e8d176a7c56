"""The options of each stage and of reading records: plain frozen dataclasses.

The command line builds them from its options before any work starts, and the runner takes them
as they are. This module loads no stage (no extraction tables, language profiles, record model
or numpy), so that `--help` and a run over an empty input start at once; each stage's module
re-exports its own (`stages.split.SplitOptions`, `stages.normalize.Options`,
`stages.dedup.DedupOptions`, `io.jsonl.Reading`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .io.container import DEFAULT_MAX_MEMBER_BYTES

__all__ = [
    "DEFAULT_MAX_LINE_BYTES", "DEFAULT_TEXT_FIELD", "DIGIT_POLICIES", "DedupOptions", "NormalizeOptions", "Reading",
    "SplitOptions",
]


@dataclass(frozen=True)
class SplitOptions:
    """``keep_boilerplate``: leave `text` as in the container and only fill the metadata.
    ``languages``: restrict language identification to these codes.
    ``learn_furniture``: a line repeated verbatim in at least this many articles of one
    publisher (within a window of ``window`` articles) is furniture; 0 turns it off.
    ``encoding``: how the containers are decoded, ``auto`` or a codec name (newsingest.encoding).
    ``max_member_bytes``: a larger member is skipped and reported, never held.
    ``id_prefix``: put before every id (keeps ids unique across separately split dumps)."""

    keep_boilerplate: bool = False
    learn_furniture: int = 0
    window: int = 1000
    languages: Optional[frozenset[str]] = None  # the candidates, when the corpus's languages are known
    encoding: str = "auto"
    max_member_bytes: int = DEFAULT_MAX_MEMBER_BYTES
    id_prefix: str = ""


DIGIT_POLICIES = ("keep", "latin", "native")


@dataclass(frozen=True)
class NormalizeOptions:
    """What the user chose beyond the defaults (``--strip-diacritics``, ``--digits``)."""

    strip_diacritics: bool = False
    digits: str = "keep"

    def __post_init__(self) -> None:
        if self.digits not in DIGIT_POLICIES:
            raise ValueError(f"digits must be one of {', '.join(DIGIT_POLICIES)}, not {self.digits!r}")


@dataclass(frozen=True)
class DedupOptions:
    """``threshold``: Jaccard similarity of word shingles from which two texts are duplicates.
    ``num_perm``: MinHash permutations (4 bytes each per document). ``shingle``: words per shingle.
    ``recall``: the probability with which LSH must bring a pair at ``threshold`` together.
    ``index``: a folder of what earlier runs learnt (`dedup --index`), or None."""

    threshold: float = 0.8
    num_perm: int = 64
    shingle: int = 5
    recall: float = 0.99
    index: Optional[str] = None  # an index folder: mark against it and add to it (`stages.dedup_index`)

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {self.threshold}")
        if not 1 <= self.num_perm <= 1024:
            raise ValueError(f"num_perm must be from 1 to 1024, not {self.num_perm}")


# A longer line is reported as too_long without being held whole: memory stays bounded by this.
DEFAULT_MAX_LINE_BYTES = 256 * 2**20
# The field that holds the text of a record from another tool (`io.foreign`).
DEFAULT_TEXT_FIELD = "text"


@dataclass(frozen=True)
class Reading:
    """How JSONL inputs are read: ``skip_invalid`` reports and skips a line that is not a record
    (else it ends the run); a line longer than ``max_line_bytes`` is invalid (too_long);
    ``text_field`` names the text of records from other tools (`io.foreign`)."""

    skip_invalid: bool = False
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    text_field: str = DEFAULT_TEXT_FIELD
