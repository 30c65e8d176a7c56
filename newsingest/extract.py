"""Metadata read off an article's text: its headline and its labelled source URL."""

from __future__ import annotations

import re
from typing import Optional

# A headline is one short line that does not end a sentence.
_MAX_TITLE_CHARS = 200
_MAX_TITLE_WORDS = 30
_SENTENCE_END = tuple(".!?؟۔։。…:;؛,،")

# `Source: URL` in the languages we meet; the label alone on the line with the URL.
_SOURCE_LABELS = (
    "source", "sources", "sumber", "kaynak", "quelle", "fuente", "fonte", "bron", "источник",
    "منبع", "مأخذ", "ماخذ", "المصدر", "مصدر", "ذریعہ",
)
_SOURCE_LINE = re.compile(
    r"^[\s(\[«\"'*•\-–—]*(?:" + "|".join(map(re.escape, _SOURCE_LABELS)) + r")\s*[:：]\s*(https?://[^\s<>\"')\]»]+)",
    re.IGNORECASE,
)


def extract_title(text: str) -> Optional[str]:
    """The first line, when it reads as a headline (short, no sentence end, more text follows)."""
    first, _, rest = text.partition("\n")
    title = first.strip()
    if not title or not rest.strip():
        return None
    if len(title) > _MAX_TITLE_CHARS or len(title.split()) > _MAX_TITLE_WORDS or len(title.split()) < 2:
        return None
    if title.endswith(_SENTENCE_END) or "://" in title:
        return None
    return title


def extract_url(text: str) -> Optional[str]:
    """The URL of the last labelled source line (`منبع: URL`, `Sumber: URL`, ...), else None."""
    for line in reversed(text.split("\n")):
        match = _SOURCE_LINE.match(line)
        if match:
            return match.group(1).rstrip(".,;،")
    return None
