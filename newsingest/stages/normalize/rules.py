"""Normalization rules (docs/normalization.md).

Each rule is a small named object that is called like a pure ``str -> str``
function; ``rule.count(text)`` gives the result together with the number of
edits it made, which `normalize` reports per rule. Most rules are one regular
expression whose every match is an edit.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable, Mapping, Optional, Union

from ...script import (
    ALEF_MADDA,
    ALM,
    ARABIC_INDIC_DIGITS,
    ARABIC_LETTERS,
    ARABIC_MARKS,
    BIDI_CONTROLS,
    DIACRITICS,
    FARSI_YEH,
    JOINING_LETTERS,
    KEHEH,
    LATIN_DIGITS,
    LIGATURE_WORD_BLOCK,
    LETTER_CLASS,
    LRM,
    MARK_CLASS,
    NATIVE_DIGIT_RANGES,
    PERSIAN_DIGITS,
    PRESENTATION_FORM_BLOCKS,
    PROCLITICS,
    QUOTES,
    RLM,
    TATWEEL,
    TO_ARABIC,
    YEH_KAF_FOLD,
    ZWJ,
    ZWNJ,
    char_class,
)

_LETTER = LETTER_CLASS
_MARK = MARK_CLASS
_LETTER_OR_MARK = f"[{char_class(ARABIC_LETTERS + ARABIC_MARKS + TATWEEL)}]"  # tatweel goes later


class Rule:
    """A named text rewrite; calling it gives the text, ``count`` also the number of edits."""

    def __init__(self, name: str, doc: str, apply: Callable[[str], tuple[str, int]],
                 plain: Optional[Callable[[str], tuple[str, int]]] = None):
        self.name = name
        self.__doc__ = doc
        self._apply = apply
        # The same rewrite without the shortcut that leaves alone a text it cannot change (the
        # tests hold ``apply`` to it).
        self.plain = plain or apply

    def __call__(self, text: str) -> str:
        return self._apply(text)[0]

    def count(self, text: str) -> tuple[str, int]:
        return self._apply(text)

    def __repr__(self) -> str:
        return f"<rule {self.name}>"


# Up to this many characters, testing each with `in` (a fast search of the text for one character)
# costs less than one scan of the text by a regular expression.
_FEW_CHARS = 24


def regex_rule(name: str, doc: str, pattern: str, replacement: Union[str, Callable[[re.Match[str]], str], Mapping[str, str]],
               needs: str = "") -> Rule:
    """A rule that replaces every match of ``pattern``; a mapping replaces by the matched text.
    ``needs``: characters one of which every match holds (a text holding none is left as it is
    without running the pattern), if they are few; "" when there are no such characters."""
    compiled = re.compile(pattern)
    if isinstance(replacement, Mapping):
        table = dict(replacement)
        repl: Union[str, Callable[[re.Match[str]], str]] = lambda match: table[match.group()]  # noqa: E731
    else:
        repl = replacement

    def apply(text: str) -> tuple[str, int]:
        return compiled.subn(repl, text)

    if not needs or len(needs) > _FEW_CHARS:
        return Rule(name, doc, apply)

    def apply_where_needed(text: str) -> tuple[str, int]:
        for ch in needs:
            if ch in text:
                return compiled.subn(repl, text)
        return text, 0

    return Rule(name, doc, apply_where_needed, plain=apply)


def char_map_rule(name: str, doc: str, table: Mapping[str, str]) -> Rule:
    """A rule that maps single characters (``""`` deletes)."""
    chars = "".join(table)
    return regex_rule(name, doc, f"[{char_class(chars)}]", table, needs=chars)


# --- every language ---------------------------------------------------------------------------


def _nfc(text: str) -> tuple[str, int]:
    # Line by line: nothing composes across a line break, and where the quick check cannot tell
    # (a hamza above, U+0654, in Persian) is_normalized composes the line, not the whole text.
    is_normalized = unicodedata.is_normalized
    for line in text.split("\n"):
        if not is_normalized("NFC", line):
            break
    else:
        return text, 0
    composed = unicodedata.normalize("NFC", text)
    return composed, max(1, len(text) - len(composed))


unicode_nfc = Rule("unicode_nfc", "Compose characters (NFC) so that one letter has one encoding.", _nfc)


def _is_ligature_word(ch: str) -> bool:
    return LIGATURE_WORD_BLOCK[0] <= ord(ch) <= LIGATURE_WORD_BLOCK[1]


def _presentation_form_table(ligature_words: bool) -> dict[str, str]:
    """NFKC of the presentation forms: the letters, or (``ligature_words``) only the ligature words."""
    table = {}
    for start, end in PRESENTATION_FORM_BLOCKS:
        for cp in range(start, end + 1):
            ch = chr(cp)
            if _is_ligature_word(ch) != ligature_words:
                continue
            base = unicodedata.normalize("NFKC", ch)
            if base != ch:
                # The isolated forms of harakat decompose to a space + the mark; keep the mark only.
                table[ch] = base.lstrip(" ") if base.strip(" ") else base
    return table


presentation_forms = char_map_rule(
    "presentation_forms",
    "Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFE) to base letters, except the ligature words; "
    "nothing else is NFKC'd.",
    _presentation_form_table(ligature_words=False),
)

# Expanded only where their Arabic spelling is the language's (ar; fa, whose letter fold follows):
# in Urdu and elsewhere ﷺ spelt out would bring in Arabic ى and ه, so the ligature stays.
ligature_words = char_map_rule(
    "ligature_words",
    "Arabic ligature words (U+FDF0–U+FDFD: ﷲ, ﷺ, ﷼ …) spelt out.",
    _presentation_form_table(ligature_words=True),
)

invisible_chars = char_map_rule(
    "invisible_chars",
    "Remove BOM, zero-width space, soft hyphen, word joiner and bidi embedding/isolate controls.",
    {ch: "" for ch in "\ufeff\u200b\u00ad\u2060" + BIDI_CONTROLS},
)

bidi_marks = char_map_rule(
    "bidi_marks", "Remove the bidi marks LRM, RLM and ALM.", {LRM: "", RLM: "", ALM: ""}
)

# A tatweel that marks a detached clitic: after a proclitic (ب ل ك و ف, the article ال, and their
# combinations وال بال لل) at the start of a word, before a space, digit, quote or Latin letter.
_CLITIC_TATWEEL = re.compile(
    f"(?P<clitic>(?<![{char_class(ARABIC_LETTERS + ARABIC_MARKS + TATWEEL)}])"
    f"(?:[وف]?(?:[بك]?ال|لل)|[وف]?[{PROCLITICS}]){_MARK}*)?"
    f"(?P<run>{TATWEEL}+)"
    f"(?P<detached>(?=[\\s0-9{NATIVE_DIGIT_RANGES}{char_class(QUOTES)}A-Za-z\u00c0-\u024f]|\\Z))?"
)


def _tatweel(text: str) -> tuple[str, int]:
    if TATWEEL not in text:
        return text, 0
    edits = 0

    def one(match: "re.Match[str]") -> str:
        nonlocal edits
        clitic, run = match.group("clitic"), match.group("run")
        if clitic is not None and match.group("detached") is not None:
            edits += len(run) - 1
            return clitic + TATWEEL
        edits += len(run)
        return (clitic or "")

    # The pattern runs on the words that hold a tatweel, cut at spaces and line breaks: no match
    # spans one, and one is white space both to the look-behind and to the look-ahead, as the
    # edge of a word is (so each word gives the matches it gives inside the text).
    pieces: list[str] = []
    find, rfind, end, at = text.find, text.rfind, len(text), 0
    where = find(TATWEEL)
    while where >= 0:
        space = rfind(" ", at, where)
        start = max(at, space + 1, rfind("\n", max(at, space + 1), where) + 1)
        stop = find(" ", where)
        stop = end if stop < 0 else stop
        line = find("\n", where, stop)
        stop = stop if line < 0 else line
        pieces.append(text[at:start])
        pieces.append(_CLITIC_TATWEEL.sub(one, text[start:stop]))
        at = stop
        where = find(TATWEEL, stop)
    pieces.append(text[at:])
    return "".join(pieces), edits


tatweel = Rule(
    "tatweel",
    "Remove tatweel (kashida), a stretching glyph, except one that marks a detached clitic (بـ 390, الـ 18).",
    _tatweel,
)

odd_spaces = char_map_rule(
    "odd_spaces",
    "No-break and other typographic spaces to a plain space.",
    {ch: " " for ch in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"},
)

# White space as `re`'s \s and str.isspace() know it (none after U+3000), but for the plain space and
# the line break: the characters that a space stands for even alone.
_ODD_WHITESPACE = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace() and ch not in " \n")
# A run of white space within a line that is not one plain space: `[^\S\n]{2,}|[^\S\n ]` spelt out,
# the same matches, where `re` tests a short list of characters instead of a category at each one.
_SPACE_RUN = re.compile(f"[{char_class(_ODD_WHITESPACE)}][ {char_class(_ODD_WHITESPACE)}]*| [ {char_class(_ODD_WHITESPACE)}]+")
_LINE_EDGES = re.compile(r"^ | $", re.M)
_BLANK_RUN = re.compile(r"\n{3,}")


def _fold_whitespace(text: str) -> tuple[str, int]:
    # Each pattern runs only where a plain substring test finds something for it: most texts
    # have nothing to fold.
    spaces = edges = blanks = 0
    if "  " in text or any(ch in text for ch in _ODD_WHITESPACE):
        text, spaces = _SPACE_RUN.subn(" ", text)
    if text[:1] == " " or text[-1:] == " " or " \n" in text or "\n " in text:
        text, edges = _LINE_EDGES.subn("", text)
    if "\n\n\n" in text:
        text, blanks = _BLANK_RUN.subn("\n\n", text)
    stripped = text.strip("\n")
    return stripped, spaces + edges + blanks + (stripped != text)


fold_whitespace = Rule(
    "whitespace",
    "Fold runs of white space to one space, trim lines, keep at most one blank line in a row.",
    _fold_whitespace,
)

# --- Persian ----------------------------------------------------------------------------------

persian_letters = char_map_rule(
    "persian_letters", "Arabic yeh and alef maksura to Persian yeh, Arabic kaf to keheh.", YEH_KAF_FOLD
)

persian_digits = char_map_rule(
    "persian_digits", "Arabic-Indic digits to Persian digits.", dict(zip(ARABIC_INDIC_DIGITS, PERSIAN_DIGITS))
)

_JOINER_CONTROLS = f"{ZWNJ}{ZWJ}{LRM}{RLM}{ALM}"
lost_zwnj_marks = regex_rule(
    "lost_zwnj_marks",
    "Bidi marks (LRM, RLM, ALM) and ZWJ between two Arabic-script letters stand for a lost ZWNJ.",
    # The whole run of controls between two letters, when it holds one that is not a ZWNJ; the
    # lookahead tests that once, where `[…]*[…][…]*` took quadratic time on a long run.
    f"(?<={_LETTER_OR_MARK})(?=[{_JOINER_CONTROLS}]*[{ZWJ}{LRM}{RLM}{ALM}])[{_JOINER_CONTROLS}]+(?={_LETTER_OR_MARK})",
    ZWNJ,
    needs=f"{ZWJ}{LRM}{RLM}{ALM}",
)

_ZWNJ_RUN = re.compile(ZWNJ + "+")
_LETTER_SET = frozenset(ARABIC_LETTERS)
_JOINING_SET = frozenset(JOINING_LETTERS)
_MARK_SET = frozenset(ARABIC_MARKS)


def _zwnj_cleanup(text: str) -> tuple[str, int]:
    if ZWNJ not in text:
        return text, 0
    edits = 0

    def one_or_none(match: "re.Match[str]") -> str:
        nonlocal edits
        before = match.start() - 1
        while before >= 0 and text[before] in _MARK_SET:  # a letter's harakat sit between it and the ZWNJ
            before -= 1
        after = match.end()
        keep = before >= 0 and text[before] in _JOINING_SET and after < len(text) and text[after] in _LETTER_SET
        if keep and text[after] == ALEF_MADDA and (before == 0 or text[before - 1] not in _LETTER_SET):
            keep = False  # one letter before آ is no morpheme: ک‌آمده is a broken word
        result = ZWNJ if keep else ""
        edits += result != match.group()
        return result

    return _ZWNJ_RUN.sub(one_or_none, text), edits


zwnj_cleanup = Rule(
    "zwnj_cleanup",
    "Collapse ZWNJ runs; drop a ZWNJ unless it stands between a joining letter and a letter.",
    _zwnj_cleanup,
)

# Spacing around punctuation, only where a Persian/Arabic letter touches it, so
# that URLs, e-mail addresses, decimals (3.5, ۳٫۵), percentages, times and dates,
# which have no letter of the script beside their punctuation, are never touched.
_CLOSING = char_class("،؛؟!.,:;»)]")
# Spaces that should not be there: between a letter and clause-ending punctuation,
# and after an opening bracket or guillemet. The pattern starts with the space (what comes before
# it is looked at from there), so that `re` looks for a space and not at every character.
_EXTRA_SPACE = re.compile(
    f" (?:(?<={_LETTER} ) *(?=[{_CLOSING}](?:\\s|$|[{_CLOSING}]|{_LETTER}))"
    f"|(?<=[«(\\[] ) *(?={_LETTER}))"
)
# Spaces that are missing: after ، ؛ ؟ » and before « next to a letter, and after
# . ! : between two words (two letters each side, so ق.ظ and ه.ش keep their dots).
# The punctuation is matched (a space then goes after it, or before «), so that `re` looks only
# at the punctuation; no two matches ask for the same space.
_MISSING_SPACE = re.compile(
    f"[،؛؟».!:«](?:(?<=[،؛؟»])(?={_LETTER})|(?<={_LETTER}{_LETTER}[.!:])(?={_LETTER}{_LETTER})"
    f"|(?<={_LETTER}«)|(?<={_LETTER}:«))"
)


def _spaced(match: "re.Match[str]") -> str:
    mark = match.group()
    return " «" if mark == "«" else mark + " "


def _punctuation_spacing(text: str) -> tuple[str, int]:
    text, removed = _EXTRA_SPACE.subn("", text)
    text, added = _MISSING_SPACE.subn(_spaced, text)
    return text, removed + added


punctuation_spacing = Rule(
    "punctuation_spacing",
    "No space before closing punctuation or after an opening bracket; one space after ، ؛ ؟ and between sentences.",
    _punctuation_spacing,
)

# --- Arabic -----------------------------------------------------------------------------------

# Persian yeh is unambiguous only inside a word (it then has dots like Arabic yeh);
# at the end it may stand for yeh or alef maksura, so it is left alone there.
arabic_letters = regex_rule(
    "arabic_letters",
    "Persian keheh to Arabic kaf; Persian yeh inside a word to Arabic yeh.",
    f"{KEHEH}|{FARSI_YEH}(?={_MARK}*{_LETTER})",
    TO_ARABIC,
    needs=KEHEH + FARSI_YEH,
)

arabic_digits = char_map_rule(
    "arabic_digits", "Persian digits to Arabic-Indic digits.", dict(zip(PERSIAN_DIGITS, ARABIC_INDIC_DIGITS))
)

# --- options ----------------------------------------------------------------------------------

strip_diacritics = char_map_rule(
    "strip_diacritics", "Remove harakat, tanwin, shadda, sukun and Quranic marks.", {ch: "" for ch in DIACRITICS}
)

digits_to_latin = char_map_rule(
    "digits_latin",
    "Arabic-Indic and Persian digits to 0-9.",
    {**dict(zip(ARABIC_INDIC_DIGITS, LATIN_DIGITS)), **dict(zip(PERSIAN_DIGITS, LATIN_DIGITS))},
)

# A number standing on its own (not inside a word, URL or e-mail address) in Latin digits.
_LONE_NUMBER = r"(?<![\w@/.:%+-])[0-9]+(?:[.,:/٫٬-][0-9]+)*(?![\w@]|[.:/-]\w)"


def _native_digits_rule(name: str, digits: str) -> Rule:
    table = str.maketrans(LATIN_DIGITS, digits)
    return regex_rule(name, f"Numbers written in 0-9 to {name.split('_')[-1]} digits, outside words and URLs.",
                      _LONE_NUMBER, lambda m: m.group().translate(table), needs=LATIN_DIGITS)


digits_to_persian = _native_digits_rule("digits_native_fa", PERSIAN_DIGITS)
digits_to_arabic = _native_digits_rule("digits_native_ar", ARABIC_INDIC_DIGITS)
