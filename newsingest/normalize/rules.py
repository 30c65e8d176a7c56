"""Normalization rules: each a small, named, pure ``str -> str`` function (docs/normalization.md)."""

from __future__ import annotations

import re
import unicodedata

# Horizontal white space: space, tab and the other Unicode space separators.
_HSPACE_RUN = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def unicode_nfc(text: str) -> str:
    """Compose characters (NFC) so that one letter has one encoding."""
    return unicodedata.normalize("NFC", text)


def fold_whitespace(text: str) -> str:
    """Fold runs of spaces and tabs to one space, trim lines, keep at most one blank line."""
    lines = [_HSPACE_RUN.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")
