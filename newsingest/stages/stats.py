"""Corpus statistics as a mergeable accumulator: one streaming pass, memory by distinct keys only.

No rich in here: the CLI renders these figures as tables, `--json` prints `to_dict()`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Optional

from .urls import publisher_name

if TYPE_CHECKING:
    from ..record import Record

# Length classes (characters of text), for the histogram: the lower bound of each bin.
LENGTH_BINS = (0, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000)


# The rows of the duplicate and problem figures, as the tables and the page of `stats` name them.
DUPLICATE_ROWS = (
    ("exact duplicates", "exact"), ("near duplicates", "near"), ("kept copies of a cluster", "kept_in_cluster"),
    ("linked as one story (same url)", "in_story"),
)
PROBLEM_ROWS = (
    ("cut short in their container", "truncated"), ("language undetermined", "language_und"),
    ("no text left", "empty_text"), ("a stage failed on them (see `problems`)", "stage_failed"),
)


def share_of(n: int, total: int) -> str:
    """``n`` as a whole percentage of ``total`` (``-`` when there is nothing to share)."""
    return f"{n / total:.0%}" if total else "-"


def length_bin(n_chars: int) -> str:
    """The label of the bin a length falls in, e.g. `1,000-3,000`."""
    for low, high in zip(LENGTH_BINS, LENGTH_BINS[1:]):
        if n_chars < high:
            return f"{low:,}-{high:,}"
    return f"{LENGTH_BINS[-1]:,}+"


# A year (astronomical, so maybe signed and longer than four digits), then maybe a month.
YEAR_MONTH = re.compile(r"([+-]?[0-9]{4,})(?:-([0-9]{2}))?")


def month_of(date: Optional[str]) -> str:
    """The month of a date as `YYYY-MM` (`YYYY` for a bare year), for the histogram by month."""
    if not date:
        return "(no date)"
    match = YEAR_MONTH.match(date)
    if not match:
        return "(not a date)"
    return f"{match[1]}-{match[2]}" if match[2] else match[1]


def publisher_of(record: Record) -> str:
    """Who published a record: its publisher, else the domain of its URL or publisher URL."""
    return publisher_name(record.publisher, record.url, record.publisher_url) or "(unknown)"


@dataclass
class CorpusStats:
    """Counts that can be added record by record and merged across shards."""

    articles: int = 0
    chars: int = 0
    articles_by_language: Counter[str] = field(default_factory=Counter)
    chars_by_language: Counter[str] = field(default_factory=Counter)
    mixed_language: int = 0
    by_publisher: Counter[str] = field(default_factory=Counter)
    by_month: Counter[str] = field(default_factory=Counter)
    by_length: Counter[str] = field(default_factory=Counter)
    duplicates: Counter[str] = field(default_factory=Counter)  # exact, near, kept_in_cluster, in_story
    normalization: Counter[str] = field(default_factory=Counter)
    boilerplate: Counter[str] = field(default_factory=Counter)
    captions: int = 0
    problems: Counter[str] = field(default_factory=Counter)  # truncated, language_und, empty_text, stage_failed

    def add(self, record: Record) -> None:
        self.articles += 1
        self.chars += record.n_chars
        self.articles_by_language[record.language] += 1
        self.chars_by_language[record.language] += record.n_chars
        self.mixed_language += record.languages is not None
        self.by_publisher[publisher_of(record)] += 1
        self.by_month[month_of(record.date_published)] += 1
        self.by_length[length_bin(record.n_chars)] += 1
        if record.dup_kind:
            self.duplicates[record.dup_kind] += 1
        elif record.dup_cluster:
            self.duplicates["kept_in_cluster"] += 1
        if record.story:
            self.duplicates["in_story"] += 1
        for edits in record.normalization or ():
            self.normalization[edits.rule] += edits.count
        self.boilerplate.update(item.reason for item in record.boilerplate)
        self.captions += len(record.captions)
        self.problems["truncated"] += record.truncated
        self.problems["language_und"] += record.language == "und"
        self.problems["empty_text"] += record.n_chars == 0
        self.problems["stage_failed"] += bool(record.problems)

    def merge(self, other: "CorpusStats") -> "CorpusStats":
        self.articles += other.articles
        self.chars += other.chars
        self.mixed_language += other.mixed_language
        self.captions += other.captions
        for name in ("articles_by_language", "chars_by_language", "by_publisher", "by_month", "by_length",
                     "duplicates", "normalization", "boilerplate", "problems"):
            getattr(self, name).update(getattr(other, name))
        return self

    def languages(self) -> list[tuple[str, int, int]]:
        """(language, articles, characters), most articles first, then by code, so the order is stable."""
        return [
            (lang, n, self.chars_by_language[lang])
            for lang, n in sorted(self.articles_by_language.items(), key=lambda item: (-item[1], item[0]))
        ]

    def to_dict(self, top: Optional[int] = None) -> dict[str, Any]:
        """All figures, in a stable order; ``top`` cuts the publisher list (None: all of them)."""

        def ranked(counter: Counter[str], limit: Optional[int] = None) -> dict[str, int]:
            items = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
            return dict(items[:limit] if limit else items)

        return {
            "articles": self.articles,
            "chars": self.chars,
            "languages": {lang: {"articles": n, "chars": c} for lang, n, c in self.languages()},
            "mixed_language_articles": self.mixed_language,
            "publishers": ranked(self.by_publisher, top),
            "months": dict(sorted(self.by_month.items())),
            "lengths": {label: self.by_length[label] for label in _length_labels() if self.by_length[label]},
            "duplicates": {key: self.duplicates[key] for key in ("exact", "near", "kept_in_cluster", "in_story")},
            "normalization": ranked(self.normalization),
            "boilerplate": ranked(self.boilerplate),
            "captions": self.captions,
            "problems": {key: self.problems[key] for key in ("truncated", "language_und", "empty_text", "stage_failed")},
        }


def _length_labels() -> list[str]:
    return [length_bin(low) for low in LENGTH_BINS]


def collect_stats(records: Iterable[Record]) -> CorpusStats:
    stats = CorpusStats()
    for record in records:
        stats.add(record)
    return stats
