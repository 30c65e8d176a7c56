"""Language-aware text normalization over plain functions and over records."""

from __future__ import annotations

from typing import Callable, Iterable, Iterator, Optional

from ..record import Record
from .rules import fold_whitespace, unicode_nfc

Rule = Callable[[str], str]

# Rules for every language, in order.
COMMON_RULES: tuple[Rule, ...] = (unicode_nfc, fold_whitespace)


def rules_for(lang: str) -> tuple[Rule, ...]:
    """The rules that run for a language code."""
    return COMMON_RULES


def normalize_text(text: str, lang: str = "und") -> str:
    """Normalize ``text`` with the rules for ``lang``."""
    for rule in rules_for(lang):
        text = rule(text)
    return text


def _normalize_optional(text: Optional[str], lang: str) -> Optional[str]:
    return None if text is None else normalize_text(text, lang)


def normalize_record(record: Record) -> Record:
    """A copy of the record with ``text`` and ``title`` normalized for its language."""
    text = normalize_text(record.text, record.language)
    return record.model_copy(
        update={"text": text, "title": _normalize_optional(record.title, record.language), "n_chars": len(text)}
    )


def normalize_records(records: Iterable[Record]) -> Iterator[Record]:
    for record in records:
        yield normalize_record(record)


__all__ = ["COMMON_RULES", "normalize_text", "normalize_record", "normalize_records", "rules_for"]
