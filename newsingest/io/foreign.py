"""Records from other tools: a JSON object with a text field, made into a newsingest record.

`normalize`, `dedup` and `stats` read what other tools write (trafilatura's JSON, datatrove's
JSONL, ...) when each object has at least its text (``--text-field NAME``, ``text`` by default).
:func:`adopt` fills what such an object lacks and leaves a record of ours as it is; the rules are
in docs/foreign-records.md:

- a record of ours has ``hash`` or ``n_chars``, or a ``source`` object with a ``container``;
- ``text`` is the text field's value (the field is renamed, not copied); ``hash`` and ``n_chars``
  are computed from it as `split` computes them; ``source`` is ``{container: FILE, member: null,
  line: LINE}``;
- ``id`` is the object's own id when it is a non-empty string or a number (as its decimal
  string), else ``NAME:LINE`` (the file's name, ``stdin`` for standard input);
- ``language`` is identified from the text when it is missing, null or empty (with
  ``language_score`` and ``languages``); ``url`` is taken from a string ``source`` (trafilatura's)
  when there is no ``url``; ``date_published`` from a ``date`` that is an ISO date (YYYY-MM-DD);
  ``url``, ``title``, ``language`` and an ISO ``date`` missing at the top are taken from a
  ``metadata`` object (datatrove's) that has them;
- a field of the object that has one of our names but not our type (trafilatura's ``source``
  URL, a ``title`` that is a list, ...) or that ours replaces is kept under ``original``,
  ``{name: value}`` (null and empty values excepted): nothing is lost, and the record is valid.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from pydantic import ValidationError

from ..options import DEFAULT_TEXT_FIELD
from ..record import Record
from ..stages.ids import container_label

__all__ = ["DEFAULT_TEXT_FIELD", "NotARecord", "ORIGINAL", "adopt", "is_ours", "stable_id"]

# The extra field that keeps another tool's values that ours replaced or that do not fit ours.
ORIGINAL = "original"
# What to do about an object with neither our shape nor the text field: one wording, everywhere.
TEXT_FIELD_FIX = "pass --text-field NAME with the field that holds the text"

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SHOWN_FIELDS = 8


class NotARecord(ValueError):
    """An object that is neither a record of ours nor one with the text field: ``what`` is wrong,
    ``fix`` says what to do."""

    def __init__(self, what: str, fix: str = TEXT_FIELD_FIX) -> None:
        super().__init__(f"{what} — {fix}")
        self.what = what
        self.fix = fix


def is_ours(data: dict[str, Any]) -> bool:
    """Whether an object is meant as a newsingest record (then it is validated as it stands)."""
    source = data.get("source")
    return "hash" in data or "n_chars" in data or (isinstance(source, dict) and "container" in source)


def stable_id(path: str, line: int) -> str:
    """The id of an object that brings none: its file's name and its line, ``NAME:LINE``."""
    return f"{container_label(path)}:{line}"


def adopt(data: dict[str, Any], path: str, line: int, text_field: str = DEFAULT_TEXT_FIELD) -> dict[str, Any]:
    """``data`` as a newsingest record's fields: unchanged when it is a record of ours, else filled
    from its text field (module docstring). Raises NotARecord when it has no text to fill from."""
    if is_ours(data):
        return data
    # Loaded for another tool's objects only: a stage that reads our records never needs them.
    from ..stages.dedup import text_hash
    from ..stages.langid import UNDETERMINED, Identification, identify

    if text_field not in data:
        raise NotARecord(f"not a newsingest record, and no {text_field!r} field ({_fields_of(data)})")
    text = data[text_field]
    if not isinstance(text, str):
        raise NotARecord(f"the {text_field!r} field is {_kind(text)}, not text",
                         "give the field that holds the text as a string with --text-field NAME")
    record = {key: value for key, value in data.items() if key != text_field}
    original: dict[str, Any] = {}

    def put(name: str, value: Any) -> None:
        """Our value for ``name``; theirs, when another, kept under ``original``."""
        theirs = record.pop(name, None)
        if theirs is not None and theirs != "" and theirs != value:
            original[name] = theirs
        record[name] = value

    put("text", text)
    own_id = data.get("id")
    if isinstance(own_id, str) and own_id:
        pass
    elif isinstance(own_id, (int, float)) and not isinstance(own_id, bool):
        record["id"] = str(own_id)
    else:
        put("id", stable_id(path, line))
    metadata = data.get("metadata")
    if isinstance(metadata, dict):  # datatrove keeps url, language, date... in `metadata`
        for name in ("url", "title", "language"):
            if record.get(name) is None and isinstance(metadata.get(name), str) and metadata[name]:
                record[name] = metadata[name]
    theirs_source = record.get("source")
    if isinstance(theirs_source, str) and record.get("url") is None:
        record["url"] = theirs_source  # trafilatura's `source` is the page's URL
    put("source", {"container": path, "member": None, "line": line})
    put("hash", text_hash(text))
    put("n_chars", len(text))
    date = record.get("date")
    if date is None and isinstance(metadata, dict):
        date = metadata.get("date")
    if record.get("date_published") is None and isinstance(date, str) and _is_iso_date(date):
        record["date_published"] = date
    if not isinstance(record.get("language"), str) or not record["language"]:
        try:
            found = identify(text)
        except Exception:  # noqa: BLE001 - one object's failure is not the run's: its language is unknown
            found = Identification(UNDETERMINED, 0.0)
        put("language", found.language)
        put("language_score", found.score)
        put("languages", [{"language": code, "share": share} for code, share in found.shares.items()]
            if found.shares else None)
    _set_aside_misfits(record, original, set(data) - {text_field, "id"})
    if original:
        if ORIGINAL in record:  # the object's own `original` is kept in ours
            original[ORIGINAL] = record.pop(ORIGINAL)
        record[ORIGINAL] = original
    return record


def _set_aside_misfits(record: dict[str, Any], original: dict[str, Any], theirs: set[str]) -> None:
    """Fields of the object (``theirs``) that have our names but not our types, moved to ``original``."""
    while True:
        try:
            Record.model_validate(record)
            return
        except ValidationError as exc:
            names = {error["loc"][0] for error in exc.errors(include_url=False, include_input=False)
                     if error["loc"] and error["loc"][0] in theirs and error["loc"][0] in record}
        if not names:
            return  # not theirs: the caller's validation reports it
        for name in sorted(str(name) for name in names):
            value = record.pop(name)
            if value is not None and value != "":
                original[name] = value


def _is_iso_date(value: str) -> bool:
    if _ISO_DATE.fullmatch(value) is None:
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", list: "an array", dict: "an object"}.get(
        type(value), type(value).__name__)


def _fields_of(data: dict[str, Any]) -> str:
    names = list(data)
    if not names:
        return "it has no field"
    shown = ", ".join(names[:_SHOWN_FIELDS]) + (", …" if len(names) > _SHOWN_FIELDS else "")
    return f"its fields: {shown}"

