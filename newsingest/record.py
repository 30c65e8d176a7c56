"""The one record type that flows through every command, and its JSONL form."""

from __future__ import annotations

from typing import Annotated, Any, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Integers are 64-bit, as in every columnar format and in orjson; a larger one is refused at the
# record, never written as something else.
Int64 = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
# A share or a confidence: a finite number from 0 to 1 (NaN and infinities are not written as JSON).
Fraction = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class Source(BaseModel):
    """Where a record came from, so any record can be traced back to its container line."""

    model_config = ConfigDict(extra="forbid")

    container: str = Field(description="Container path as given, '-' for standard input.")
    member: Optional[str] = Field(description="Member name from the header line, null when unnamed.")
    line: Int64 = Field(description="Line number (1-based) of the member's <<<FILE>>> header.")


class Boilerplate(BaseModel):
    """A line removed from `text` as page furniture, kept so that nothing is lost."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The line as it stood in the member.")
    reason: str = Field(description="Why it was removed: comment_counter, ad_slot, related_links, ...")
    line: Int64 = Field(description="Line number in the container.")


class RecordProblem(BaseModel):
    """Something that failed on this record in one stage; the record was kept as it was before."""

    model_config = ConfigDict(extra="forbid")

    stage: str = Field(description="The stage that failed: split, normalize, dedup.")
    error: str = Field(description="What went wrong, as the error said it.")


class LanguageShare(BaseModel):
    """One language of a mixed-language record and its share of the letters."""

    model_config = ConfigDict(extra="forbid")

    language: str = Field(description="Language code.")
    share: Fraction = Field(description="Share of the record's letters, by paragraph, from 0 to 1.")


class RuleCount(BaseModel):
    """How many edits one normalization rule made in a record."""

    model_config = ConfigDict(extra="forbid")

    rule: str = Field(description="The rule's name (docs/normalization.md).")
    count: Int64 = Field(description="Number of edits it made in `text` and `title`.")


# Version 2 (newsingest 0.2): `languages` and `normalization` are lists of fixed structs (an object
# keyed by language or rule cannot become a column). Version 1 records (no `schema_version`) are
# read and written as version 2; CHANGELOG.md says what changed.
SCHEMA_VERSION = 2


def _pairs(value: object, key: str, item: str) -> object:
    """A version 1 object ``{name: value}`` as the version 2 list of ``{key: name, item: value}``."""
    if isinstance(value, dict):
        return [{key: name, item: amount} for name, amount in value.items()]
    return value


class Record(BaseModel):
    """One article. Unknown fields are kept so that records pass through untouched."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(description="Stable, unique id: the member name, or container name + '#' + ordinal.")
    text: str = Field(description="Article body without its furniture; newlines normalised to \\n.")
    title: Optional[str] = Field(default=None, description="Headline, when the first line reads as one.")
    language: str = Field(
        default="und", description="Language code (ISO 639-1 where one exists), 'und' when too little text to tell."
    )
    language_score: Fraction = Field(default=0.0, description="Confidence of `language`, 0.0 for 'und'.")
    languages: Optional[list[LanguageShare]] = Field(
        default=None,
        description="Share of the letters in each language, by paragraph, largest first, when more than one "
        "language holds a real part.",
    )
    url: Optional[str] = Field(default=None, description="The article's own URL, from a labelled source line.")
    publisher_url: Optional[str] = Field(default=None, description="The publisher's home page, when the text links it.")
    publisher: Optional[str] = Field(
        default=None, description="The publisher named by a credit line, a copyright line or a dateline agency."
    )
    date_published: Optional[str] = Field(
        default=None, description="ISO 8601 date the text states (dateline first, then date lines); never guessed."
    )
    captions: list[str] = Field(default_factory=list, description="Photo captions taken out of the text.")
    boilerplate: list[Boilerplate] = Field(
        default_factory=list, description="Lines removed from the text, each with its reason and line number."
    )
    hash: str = Field(description="Hex digest of the dedup key of `text` (docs/dedup.md).")
    source: Source
    n_chars: Int64 = Field(description="Number of characters (code points) of `text`.")
    truncated: bool = Field(
        default=False, description="True when the member was cut short by a new header or end of file."
    )
    encoding: Optional[str] = Field(
        default=None,
        description="Text encoding the container was read in (utf-8, utf-16, windows-1256, ...); null before `split`.",
    )
    dup_of: Optional[str] = Field(default=None, description="After `dedup`: the id of the kept copy, for a duplicate.")
    dup_cluster: Optional[str] = Field(
        default=None, description="After `dedup`: the cluster of copies (the kept copy's id), for every member."
    )
    dup_kind: Optional[str] = Field(default=None, description="After `dedup`: 'exact' or 'near', for a duplicate.")
    story: Optional[str] = Field(
        default=None, description="After `dedup`: id of the first record with the same `url` (translations of a story)."
    )
    normalization: Optional[list[RuleCount]] = Field(
        default=None,
        description="Edits made by `normalize`, counted by rule (rules with no edit left out); null before "
        "normalization.",
    )
    problems: list[RecordProblem] = Field(
        default_factory=list,
        description="Stages that failed on this record (it was kept as it was before that stage); empty when none did.",
    )
    schema_version: int = Field(
        default=SCHEMA_VERSION, ge=1, le=SCHEMA_VERSION,
        description="Version of this record format (CHANGELOG.md); a version 1 record is read and written as the "
        "current one.",
    )

    @field_validator("languages", mode="before")
    @classmethod
    def _languages_of_version_1(cls, value: object) -> object:
        return _pairs(value, "language", "share")

    @field_validator("normalization", mode="before")
    @classmethod
    def _normalization_of_version_1(cls, value: object) -> object:
        return _pairs(value, "rule", "count")

    @field_validator("schema_version", mode="after")
    @classmethod
    def _current_version(cls, value: int) -> int:
        return SCHEMA_VERSION  # an older record is upgraded as it is read


def record_json_schema() -> dict[str, Any]:
    """JSON Schema of :class:`Record`, for ``newsingest schema``."""
    return Record.model_json_schema()
