"""Character classes of the Arabic script, built once from explicit ranges.

Regular expressions in the rules use these as ``[...]`` class bodies, so the
definition of "an Arabic-script letter" lives in one place.
"""

from __future__ import annotations

import unicodedata

ZWNJ = "\u200c"
ZWJ = "\u200d"
LRM, RLM, ALM = "\u200e", "\u200f", "\u061c"
TATWEEL = "\u0640"

_ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF))

# Letters that join only to the letter before them: a ZWNJ after one of them changes nothing.
NON_JOINING_LETTERS = frozenset("اآأإٱءؤدذرزژوةۀەۇۆۈۋۅۉڈڑړډږۄۊ")


def _chars(predicate) -> str:
    return "".join(
        chr(cp) for start, end in _ARABIC_BLOCKS for cp in range(start, end + 1) if predicate(chr(cp))
    )


ARABIC_LETTERS = _chars(lambda ch: unicodedata.category(ch) == "Lo")
ARABIC_MARKS = _chars(lambda ch: unicodedata.category(ch) == "Mn")
JOINING_LETTERS = "".join(ch for ch in ARABIC_LETTERS if ch not in NON_JOINING_LETTERS)
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
LATIN_DIGITS = "0123456789"

# Marks stripped by --strip-diacritics: harakat, tanwin, shadda, sukun, superscript
# alef and Quranic annotation signs. Hamza above and below (U+0654, U+0655) are
# kept: they spell letters (e.g. the Persian ezafe on heh), they do not vocalise.
DIACRITICS = "".join(
    ch for ch in ARABIC_MARKS if ch not in "\u0654\u0655" and not ("\u0610" <= ch <= "\u061a")
)


def char_class(chars: str) -> str:
    """A regex character class body for ``chars`` (each escaped)."""
    return "".join("\\" + ch if ch in "\\]^-[" else ch for ch in chars)
