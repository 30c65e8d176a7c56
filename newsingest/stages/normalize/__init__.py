"""Language-aware text normalization: plain functions over text, and a stage over records.

Persian rules run only for ``fa`` and Arabic rules only for ``ar``; every other
language gets only the rules that touch no letter and no digit.
"""

from __future__ import annotations

import os
from functools import partial
from typing import Callable, Iterable, Iterator, Optional

from ...errors import Problem
from ...options import DIGIT_POLICIES
from ...options import NormalizeOptions as Options
from ...engines.pool import Jobs, ordered_map
from ...record import Record, RecordProblem, RuleCount
from . import rules as r
from .rules import Rule
from .zwnj import joiners_in_words, restore_zwnj

DEFAULT = Options()

# Invisible characters, bidi marks, tatweel and presentation forms go first, so
# that the letter rules see the letters; NFC runs again at the end because
# removing a character can leave a letter and its mark next to each other.
_CLEAN_START: tuple[Rule, ...] = (r.unicode_nfc, r.presentation_forms, r.unicode_nfc, r.invisible_chars)
_CLEAN_END: tuple[Rule, ...] = (r.bidi_marks, r.tatweel, r.odd_spaces, r.fold_whitespace)

COMMON_RULES: tuple[Rule, ...] = _CLEAN_START + _CLEAN_END + (r.unicode_nfc,)
# Arabic and Persian also spell out the ligature words (ﷺ), before NFC runs again.
_CLEAN_START_AR: tuple[Rule, ...] = (r.unicode_nfc, r.presentation_forms, r.ligature_words, r.unicode_nfc, r.invisible_chars)

# ZWNJ cleanup runs before white space is folded: dropping a ZWNJ between two
# spaces leaves a double space.
PERSIAN_RULES: tuple[Rule, ...] = (
    *_CLEAN_START_AR,
    r.persian_letters,
    joiners_in_words,
    r.lost_zwnj_marks,
    r.bidi_marks,
    r.tatweel,
    r.zwnj_cleanup,
    r.odd_spaces,
    r.fold_whitespace,
    r.persian_digits,
    restore_zwnj,
    r.punctuation_spacing,
    r.unicode_nfc,
)

ARABIC_RULES: tuple[Rule, ...] = (
    *_CLEAN_START_AR,
    *_CLEAN_END,
    r.arabic_letters,
    r.arabic_digits,
    r.unicode_nfc,
)

_BY_LANGUAGE = {"fa": PERSIAN_RULES, "ar": ARABIC_RULES}
_NATIVE_DIGITS = {"fa": r.digits_to_persian, "ar": r.digits_to_arabic}


def rules_for(lang: str, options: Options = DEFAULT) -> tuple[Rule, ...]:
    """The rules that run, in order, for a language code and options."""
    chosen = _BY_LANGUAGE.get(lang, COMMON_RULES)
    extra: list[Rule] = []
    if options.strip_diacritics:
        extra.append(r.strip_diacritics)
    if options.digits == "latin":
        extra.append(r.digits_to_latin)
    elif options.digits == "native" and lang in _NATIVE_DIGITS:
        extra.append(_NATIVE_DIGITS[lang])
    if not extra:
        return chosen
    # The options run once invisible characters and tatweel are gone (so numbers
    # and marks stand next to what they really touch) and before white space is
    # folded and the rules that look at neighbours (spacing, ZWNJs) run.
    at = chosen.index(r.tatweel) + 1
    return chosen[:at] + tuple(extra) + chosen[at:]


def normalize_text(text: str, lang: str = "und", options: Options = DEFAULT) -> str:
    """Normalize ``text`` with the rules for ``lang``."""
    return normalize_counted(text, lang, options)[0]


def normalize_counted(
    text: str, lang: str, options: Options = DEFAULT, counts: Optional[dict[str, int]] = None
) -> tuple[str, dict[str, int]]:
    """Like :func:`normalize_text`, also adding the number of edits of each rule to ``counts``."""
    counts = {} if counts is None else counts
    composed = None  # what NFC last gave: NFC again on the same text changes nothing
    for rule in rules_for(lang, options):
        if rule is r.unicode_nfc:
            if text == composed:
                continue
            text, edits = rule.count(text)
            composed = text
        else:
            text, edits = rule.count(text)
        if edits:
            counts[rule.name] = counts.get(rule.name, 0) + edits
    return text, counts


def normalize_record(record: Record, options: Options = DEFAULT) -> Record:
    """A copy of the record with ``text`` and ``title`` normalized and ``normalization`` counts."""
    counts: dict[str, int] = {}
    text, _ = normalize_counted(record.text, record.language, options, counts)
    title = None if record.title is None else normalize_counted(record.title, record.language, options, counts)[0]
    return record.model_copy(
        update={"text": text, "title": title, "n_chars": len(text), "normalization": [RuleCount(rule=rule, count=n) for rule, n in sorted(counts.items())]}
    )


def _normalize_safely(record: Record, options: Options) -> tuple[Record, Optional[str]]:
    """The record normalized; when that fails, the record as it was, with the failure noted."""
    try:
        return normalize_record(record, options), None
    except Exception as exc:  # noqa: BLE001 - one record's failure must not end the run
        if os.environ.get("NEWSINGEST_DEBUG"):
            raise
        error = f"{type(exc).__name__}: {exc}"
        return record.model_copy(update={"problems": [*record.problems, RecordProblem(stage="normalize", error=error)]}), error


def normalize_records(
    records: Iterable[Record], options: Options = DEFAULT, jobs: Jobs = 1,
    on_problem: Optional[Callable[[Problem], None]] = None,
) -> Iterator[Record]:
    """Records normalized in order; with ``jobs`` > 1 on that many processes, same output. A record
    that cannot be normalized is written as it came, with the failure in its `problems`, and
    ``on_problem`` hears of it."""
    for record, error in ordered_map(partial(_normalize_safely, options=options), records, jobs):
        if error is not None and on_problem is not None:
            on_problem(Problem(record.source.container, record.source.line, "record_failed",
                               f"record {record.id!r}: normalize failed ({error}); written as it came, with the "
                               "failure in its `problems` — please report it"))
        yield record


__all__ = [
    "ARABIC_RULES",
    "COMMON_RULES",
    "DIGIT_POLICIES",
    "Options",
    "PERSIAN_RULES",
    "normalize_counted",
    "normalize_record",
    "normalize_records",
    "normalize_text",
    "rules_for",
]
