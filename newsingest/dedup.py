"""The dedup key and hash (docs/dedup.md).

The key folds everything that is not content, so the same article typed or
scraped differently (Arabic or Persian yeh, a lost ZWNJ, presentation forms,
other digits, other spacing) gets the same hash, and `normalize` never changes
a record's hash.
"""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from functools import lru_cache

# Letter variants that are one letter for deduplication.
_LETTER_FOLDS = {
    "\u064a": "\u06cc",  # ي Arabic yeh
    "\u0649": "\u06cc",  # ى alef maksura
    "\u0643": "\u06a9",  # ك Arabic kaf
    "\u06aa": "\u06a9",  # ڪ swash kaf
    "\u0629": "\u0647",  # ة teh marbuta: written ه as often as ة in scraped text
    "\u06d5": "\u0647",  # ە ae (what ۀ decomposes to)
    "\u0671": "\u0627",  # ٱ alef wasla (أ إ آ fold by losing their hamza or madda mark)
}


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, object]:
    """One translate table: marks, format characters and tatweel deleted; punctuation and
    white space to a space; digits of every script to 0-9; letter variants folded."""
    table: dict[int, object] = {}
    for cp in range(sys.maxunicode + 1):
        category = unicodedata.category(chr(cp))
        if category in ("Mn", "Me", "Cf"):
            table[cp] = None
        elif category[0] in "PZ" or category == "Cc":
            table[cp] = " "
        elif category == "Nd":
            table[cp] = str(unicodedata.digit(chr(cp)))
    table[0x0640] = None  # tatweel
    for variant, base in _LETTER_FOLDS.items():
        table[ord(variant)] = base
    return table


def dedup_key(text: str) -> str:
    """Text with what is not content folded away; words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return " ".join(decomposed.translate(_fold_table()).split())


def text_hash(text: str) -> str:
    """Hex digest (BLAKE2b, 128 bits) of the dedup key without its spaces.

    Spaces are left out because word boundaries are themselves typed differently
    (می‌شود, میشود, می شود), so only the sequence of folded letters counts.
    """
    return hashlib.blake2b(dedup_key(text).replace(" ", "").encode("utf-8"), digest_size=16).hexdigest()
