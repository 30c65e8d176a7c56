"""The dedup key and hash (docs/dedup.md)."""

from __future__ import annotations

import hashlib
import unicodedata


def dedup_key(text: str) -> str:
    """Text with what is not content folded away, so that equal articles get equal keys."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.split())


def text_hash(text: str) -> str:
    """Hex digest (BLAKE2b, 128 bits) of :func:`dedup_key`."""
    return hashlib.blake2b(dedup_key(text).encode("utf-8"), digest_size=16).hexdigest()
