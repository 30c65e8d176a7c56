"""The Arabic script as the pipeline sees it: letters, marks, digits, joining, invisible characters, folds.

Every stage that asks "is this an Arabic-script letter?", "does this letter join the next?" or
folds Arabic yeh and kaf to their Persian forms takes the answer from here, so the stages cannot
drift apart (tests/test_single_facts.py fails on a copy anywhere else). Sets are strings or
frozensets; names ending in ``_CLASS`` are ready regex character classes (``[...]``), names ending
in ``_RANGES`` are class bodies to put inside one.
"""

from __future__ import annotations

import unicodedata
from typing import Callable, Iterable

# --- invisible characters -----------------------------------------------------------------------

ZWNJ = "\u200c"
ZWJ = "\u200d"
LRM, RLM, ALM = "\u200e", "\u200f", "\u061c"
# The bidi marks: invisible, they only steer the direction of neutral characters around them.
BIDI_MARKS = LRM + RLM + ALM
# The bidi embeddings and overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI): they
# reorder the text after them, so a terminal must never get them raw and normalize removes them.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Tatweel (kashida) stretches a joint; it is a glyph, not a letter.
TATWEEL = "\u0640"
# A tatweel after a proclitic at the start of a word and before a space, digit, quote or Latin
# letter marks a detached clitic (بـ 390, الـ 18, لـ "صراع العروش"): it is kept there. The one-letter
# proclitics, and the quotes that may follow such a tatweel.
PROCLITICS = "\u0628\u0644\u0643\u0648\u0641"  # ب ل ك و ف
QUOTES = "\"'«»“”„‘’‚‹›"
# The soft hyphen marks where a word may break and shows only there: a word holding it is the
# word without it (`bo\u00adleh` is `boleh`).
SOFT_HYPHEN = "\u00ad"
# Every character that shows nothing: zero width space, word joiner, byte order mark, the joiners,
# the bidi marks and controls. A line ending in `.` then one of them still ends in a full stop.
INVISIBLE = "\u200b\u2060\ufeff" + ZWNJ + ZWJ + BIDI_MARKS + BIDI_CONTROLS

# --- blocks -------------------------------------------------------------------------------------

# Arabic, Arabic Supplement, Arabic Extended-A: where the letters and marks of the script are.
ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF))
# Presentation Forms-A and -B: positional glyphs that old encoders and PDFs put into text.
PRESENTATION_FORM_BLOCKS = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFE))
# The ligature words inside Presentation Forms-A (ﷲ ﷺ ﷼ …): whole words in Arabic spelling.
LIGATURE_WORD_BLOCK = (0xFDF0, 0xFDFD)


def _chars(blocks: Iterable[tuple[int, int]], predicate: Callable[[str], bool]) -> str:
    return "".join(chr(cp) for start, end in blocks for cp in range(start, end + 1) if predicate(chr(cp)))


def char_class(chars: str) -> str:
    """A regex character class body for ``chars`` (each escaped)."""
    return "".join("\\" + ch if ch in "\\]^-[" else ch for ch in chars)


# --- letters and marks --------------------------------------------------------------------------

# By Unicode category, so that a letter added to the blocks is a letter here too.
ARABIC_LETTERS = _chars(ARABIC_BLOCKS, lambda ch: unicodedata.category(ch) == "Lo")
ARABIC_MARKS = _chars(ARABIC_BLOCKS, lambda ch: unicodedata.category(ch) == "Mn")

# Marks stripped by --strip-diacritics: harakat, tanwin, shadda, sukun, superscript
# alef and Quranic annotation signs. Hamza above and below (U+0654, U+0655) are
# kept: they spell letters (e.g. the Persian ezafe on heh), they do not vocalise.
DIACRITICS = "".join(
    ch for ch in ARABIC_MARKS if ch not in "\u0654\u0655" and not ("\u0610" <= ch <= "\u061a")
)


def _expand(ranges: Iterable[tuple[int, int]]) -> str:
    return "".join(chr(cp) for start, end in ranges for cp in range(start, end + 1))


# Letters that join only the letter before them, or none: joining type R (right-joining) or U
# (non-joining) in Unicode's ArabicShaping.txt, for the letters of ARABIC_BLOCKS. A ZWNJ after
# one of them changes nothing, so normalize drops it there and never puts one there.
NON_JOINING_LETTERS = frozenset(_expand((
    (0x0621, 0x0625),  # ء آ أ ؤ إ
    (0x0627, 0x0627),  # ا
    (0x0629, 0x0629),  # ة
    (0x062F, 0x0632),  # د ذ ر ز
    (0x0648, 0x0648),  # و
    (0x0671, 0x0677),  # ٱ ٲ ٳ ٴ ٵ ٶ ٷ
    (0x0688, 0x0699),  # ڈ … ژ … ڙ (dal and reh with marks)
    (0x06C0, 0x06C0),  # ۀ
    (0x06C3, 0x06CB),  # ۃ ۄ ۅ ۆ ۇ ۈ ۉ ۊ ۋ
    (0x06CD, 0x06CD),  # ۍ
    (0x06CF, 0x06CF),  # ۏ
    (0x06D2, 0x06D3),  # ے ۓ
    (0x06D5, 0x06D5),  # ە
    (0x06EE, 0x06EF),
    (0x0759, 0x075B), (0x076B, 0x076C), (0x0771, 0x0771), (0x0773, 0x0774), (0x0778, 0x0779),
    (0x08AA, 0x08AE), (0x08B1, 0x08B2), (0x08B9, 0x08B9),
)))
JOINING_LETTERS = "".join(ch for ch in ARABIC_LETTERS if ch not in NON_JOINING_LETTERS)

LETTER_CLASS = f"[{char_class(ARABIC_LETTERS)}]"
MARK_CLASS = f"[{char_class(ARABIC_MARKS)}]"
JOINING_CLASS = f"[{char_class(JOINING_LETTERS)}]"

# The letters of a Persian word as the ZWNJ lexicon sees it: hamza to yeh without tatweel and the
# later U+063B–U+063F, the extended letters to yeh barree with hamza, ae, and U+06FA–U+06FF.
# tools/build_fa_lexicon.py keeps the words made of them and normalize/zwnj.py cuts text into
# words with them: the two must agree, so both take them from here.
WORD_LETTER_RANGES = "\u0621-\u063a\u0641-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff"


def range_chars(body: str) -> frozenset[str]:
    """The characters of a class body made of characters and ranges (``a-z``), as the names
    ending in ``_RANGES`` are."""
    chars: set[str] = set()
    at = 0
    while at < len(body):
        if body[at + 1:at + 2] == "-" and at + 2 < len(body):
            chars.update(map(chr, range(ord(body[at]), ord(body[at + 2]) + 1)))
            at += 3
        else:
            chars.add(body[at])
            at += 1
    return frozenset(chars)


WORD_LETTERS = range_chars(WORD_LETTER_RANGES)
# Harakat, tanwin, shadda, sukun, hamza marks, superscript alef and the Quranic signs after ae.
WORD_MARK_RANGES = "\u064b-\u065f\u0670\u06d6-\u06ed"

# Language identification counts a character as an Arabic-script letter by these ranges (tatweel
# and superscript alef included, as they sit inside words) and reads words of
# LANGID_WORD_LETTER_RANGES.
LANGID_WORD_LETTER_RANGES = "\u0620-\u064a\u066e-\u06d3\u06d5\u0750-\u077f"
# The letters of the presentation forms, for text that still holds them.
PRESENTATION_LETTER_RANGES = "\ufb50-\ufdfb\ufe70-\ufefc"
LANGID_LETTER_RANGES = (
    LANGID_WORD_LETTER_RANGES + "\u06ee\u06ef\u06fa-\u06fc\u06ff\u08a0-\u08c9" + PRESENTATION_LETTER_RANGES
)

# --- digits -------------------------------------------------------------------------------------

ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"  # Extended Arabic-Indic: Persian and Urdu write these
LATIN_DIGITS = "0123456789"
# Persian and Arabic-Indic digits as a class body, and any digit of the three as a class.
NATIVE_DIGIT_RANGES = f"{PERSIAN_DIGITS[0]}-{PERSIAN_DIGITS[-1]}{ARABIC_INDIC_DIGITS[0]}-{ARABIC_INDIC_DIGITS[-1]}"
DIGIT_CLASS = f"[0-9{NATIVE_DIGIT_RANGES}]"

# --- folds --------------------------------------------------------------------------------------

ARABIC_YEH, ALEF_MAKSURA, ARABIC_KAF = "\u064a", "\u0649", "\u0643"  # ي ى ك
FARSI_YEH, KEHEH = "\u06cc", "\u06a9"  # ی ک
HEH, AE = "\u0647", "\u06d5"  # ه ە
ALEF_MADDA = "\u0622"  # آ

# Persian typed on an Arabic keyboard: Arabic yeh and alef maksura are Persian yeh, Arabic kaf is
# keheh. Persian normalization applies it; language id, dates and dedup compare text through it.
YEH_KAF_FOLD = {ARABIC_YEH: FARSI_YEH, ALEF_MAKSURA: FARSI_YEH, ARABIC_KAF: KEHEH}
# The other way, for Arabic text: keheh to kaf, and Persian yeh to Arabic yeh (only inside a word,
# where both have dots: a final Persian yeh may also stand for alef maksura).
TO_ARABIC = {KEHEH: ARABIC_KAF, FARSI_YEH: ARABIC_YEH}
# Deduplication goes further: every variant that the same article is typed or scraped with is
# one letter, on top of the yeh/kaf fold.
DEDUP_FOLD = {
    **YEH_KAF_FOLD,
    "\u06aa": KEHEH,  # ڪ swash kaf
    "\u0629": HEH,  # ة teh marbuta: written ه as often as ة in scraped text
    AE: HEH,  # ە ae (what ۀ decomposes to)
    "\u0671": "\u0627",  # ٱ alef wasla (أ إ آ fold by losing their hamza or madda mark)
}
