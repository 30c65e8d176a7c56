"""The one record type that flows through every command, and its JSONL form."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict, Field


class Source(BaseModel):
    """Where a record came from, so any record can be traced back to its container line."""

    model_config = ConfigDict(extra="forbid")

    container: str = Field(description="Container path as given, '-' for standard input.")
    member: Optional[str] = Field(description="Member name from the header line, null when unnamed.")
    line: int = Field(description="Line number (1-based) of the member's <<<FILE>>> header.")


class Record(BaseModel):
    """One article. Unknown fields are kept so that records pass through untouched."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(description="Stable, unique id: the member name, or container name + '#' + ordinal.")
    text: str = Field(description="Article body; newlines normalised to \\n, blank lines trimmed at both ends.")
    title: Optional[str] = Field(default=None, description="Headline when the first line reads as one.")
    language: str = Field(default="und", description="Language code, 'und' when too little text to tell.")
    language_score: float = Field(default=0.0, description="Confidence of `language`, 0.0 for 'und'.")
    url: Optional[str] = Field(default=None, description="The article's source URL from a labelled line.")
    hash: str = Field(description="Hex digest of the dedup key of `text` (docs/dedup.md).")
    source: Source
    n_chars: int = Field(description="Number of characters (code points) of `text`.")
    truncated: bool = Field(
        default=False, description="True when the member was cut short by a new header or end of file."
    )
    normalization: Optional[dict[str, int]] = Field(
        default=None, description="Edits made by `normalize`, counted by rule; null before normalization."
    )


def record_json_schema() -> dict:
    """JSON Schema of :class:`Record`, for ``newsingest schema``."""
    return Record.model_json_schema()
