"""Corpus statistics as a mergeable accumulator: one pass, memory by distinct keys only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from .record import Record


@dataclass
class LanguageCount:
    articles: int = 0
    chars: int = 0


@dataclass
class CorpusStats:
    """Counts that can be added record by record and merged across shards."""

    articles: int = 0
    chars: int = 0
    truncated: int = 0
    by_language: dict[str, LanguageCount] = field(default_factory=dict)

    def add(self, record: Record) -> None:
        self.articles += 1
        self.chars += record.n_chars
        self.truncated += record.truncated
        entry = self.by_language.setdefault(record.language, LanguageCount())
        entry.articles += 1
        entry.chars += record.n_chars

    def merge(self, other: "CorpusStats") -> "CorpusStats":
        self.articles += other.articles
        self.chars += other.chars
        self.truncated += other.truncated
        for lang, count in other.by_language.items():
            entry = self.by_language.setdefault(lang, LanguageCount())
            entry.articles += count.articles
            entry.chars += count.chars
        return self

    def languages(self) -> list[tuple[str, LanguageCount]]:
        """Languages, most articles first, then by code, so the order is stable."""
        return sorted(self.by_language.items(), key=lambda item: (-item[1].articles, item[0]))

    def to_dict(self) -> dict:
        return {
            "articles": self.articles,
            "chars": self.chars,
            "truncated": self.truncated,
            "languages": {lang: {"articles": c.articles, "chars": c.chars} for lang, c in self.languages()},
        }


def collect_stats(records: Iterable[Record]) -> CorpusStats:
    stats = CorpusStats()
    for record in records:
        stats.add(record)
    return stats
