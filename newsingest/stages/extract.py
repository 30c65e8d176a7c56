"""Article extraction: the clean body and its metadata, with every removed line kept (docs/extraction.md).

Scraped news carries page furniture inside its text: comment counters, ad slots,
related links, share buttons, copyright and source lines, captions. Each line is
classified by patterns per language; a line is removed when it is furniture and
sits in the head or the tail of the article (the furniture zones), or anywhere
when it is unmistakable furniture (an ad slot, a caption with a photo credit).
Nothing is dropped silently: a removed line goes to `boilerplate` with its
reason and line number, or to `captions`, or is the `title`.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional

from ..record import Boilerplate
from ..resources import languages as _languages
from ..resources import value
from ..resources import words as _data
from ..script import DIGIT_CLASS, INVISIBLE, NATIVE_DIGIT_RANGES
from .dates import FoundDate, decide_order, find_dates
from .urls import is_homepage

# --- headline -----------------------------------------------------------------------------------

_MAX_TITLE_CHARS = 200
_MAX_TITLE_WORDS = 30
# A headline that asks, exclaims or trails off (`?`, `!`, `…`) is short: a longer line so ended is
# a sentence of the body.
_MAX_OPEN_TITLE_WORDS = 20
# A line of this many words with a sentence end inside (`... nyata. Seperti ...`) is running text.
_MIN_MULTI_SENTENCE_WORDS = 16
_SENTENCE_END = tuple(".!?؟۔։。…:;؛,،")
_QUESTION_END = tuple("?!؟")
_ELLIPSIS_END = ("..", "…")
# What may close a line after its last punctuation: quotes and brackets (`.»`, `?"`, `.”`).
_CLOSERS = "\"'”’»›)]"
# A line that opens with a quote and ends with punctuation then a quote is speech quoted in the body
# (`"Kapan lagi kita bisa menonton bersama?"`), not a headline (`Jokowi: "Siapa Takut?"` is one).
_QUOTED_SPEECH = re.compile(r"^[\"'“‘«‹„].*[.!?؟…۔][\"'”’»›]$")

_DIGIT = DIGIT_CLASS
_URL = r"https?://[^\s<>\"')\]»]+"


# Optional punctuation between spaces is written `\s*(?:[:：]\s*)?`, never `\s*[:：]?\s*`: the same
# lines, but the second splits a long run of spaces between its two `\s*` every way, in quadratic
# (or, with three, cubic) time; tests/test_regex_linear.py holds every pattern to linear time.
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _longest_first(words: Iterable[str]) -> list[str]:
    """Each word once, longer before shorter (in an alternation, a word before its own prefix)."""
    return sorted(dict.fromkeys(words), key=len, reverse=True)


def _alt(*words: str) -> str:
    """An alternation of labels; a space in a label also matches a ZWNJ or no space."""
    return "(?:" + "|".join(re.escape(w).replace("\\ ", "[\\s\u200c]?") for w in _longest_first(words)) + ")"


def _words(words: Iterable[str]) -> str:
    """An alternation of words and phrases matched as written (a space matches a space)."""
    return "(?:" + "|".join(map(re.escape, _longest_first(words))) + ")"


def _data_of(language: str, concept: str, key: str) -> tuple[str, ...]:
    """``[concept] key`` of one language's resources (empty when it has none)."""
    return tuple(value(language, concept, key, ()))


# Letters that IGNORECASE matches to an ASCII letter and str.lower() does not turn into it.
_IGNORECASE_EXTRA = {"İ": "i", "ı": "i", "ſ": "s", "K": "k"}


def _trie(words: Iterable[str]) -> str:
    """A pattern that finds whether a text holds one of ``words`` (not which): the words as a
    tree of their letters, so that each place of the text tries the few branches its next letters
    take, not every word. A word that another begins with stands for both."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in sorted(set(words)):
        node = tree
        for ch in word:
            if "" in node:  # a shorter word is already a prefix of this one
                break
            node = node.setdefault(ch, {})
        else:
            node.clear()
            node[""] = {}

    def pattern(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        branches = [re.escape(ch) + pattern(child) for ch, child in node.items() if ch]
        if "" in node or not branches:
            return ""
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return pattern(tree) if tree else "(?!)"  # no words: nothing holds one


class _Gated:
    """``pattern.search``, run only on lines that hold one of ``words``: a necessary condition,
    since every match of ``pattern`` holds one of them (lower case, matched case-insensitively
    like ``pattern``). An unanchored search tries every alternative at every position; a line
    without any of the words (most lines) is spared it."""

    def __init__(self, pattern: re.Pattern[str], words: tuple[str, ...]):
        self.pattern = pattern
        self._words = re.compile(_trie(words))

    def search(self, line: str) -> Optional[re.Match[str]]:
        folded = line
        if not line.isascii():
            for letter, ascii_letter in _IGNORECASE_EXTRA.items():
                if letter in folded:
                    folded = folded.replace(letter, ascii_letter)
        if self._words.search(folded.lower()) is None:
            return None
        return self.pattern.search(line)


# --- line patterns ---------------------------------------------------------------------------------
# Every label, phrase and name comes from the language resources (newsingest/resources/*.toml, one
# file per language): `_data(concept, key)` is that list over all languages. Only the structure of a
# line (anchors, separators, optional punctuation, numbers) is written here.

_SOURCE_LABELS = _alt(*_data("source", "labels"))
# The URL of a source line runs to the end of the line, whatever it holds (`'`, `«»`, Arabic
# letters); a closing bracket left at its end without its opening one is cut by `source_url`.
SOURCE_LINE = _rx(rf"^[\s(\[«\"'*•\-–—]*{_SOURCE_LABELS}\s*[:：]\s*(?P<url>https?://\S+)(?:\s+[)\]»])?\s*$")
_URL_CLOSERS = {")": "(", "]": "[", "»": "«"}


def source_url(line: str) -> str:
    """The URL of a source line (SOURCE_LINE matches it), without a closing bracket or a stop it does not open."""
    match = SOURCE_LINE.match(line)
    assert match is not None, "source_url takes a line that SOURCE_LINE matches"
    url = match.group("url")
    while url:
        last = url[-1]
        if last in ".,;،":
            url = url[:-1]
        elif last in _URL_CLOSERS and url.count(_URL_CLOSERS[last]) < url.count(last):
            url = url[:-1]
        else:
            break
    return url



_CREDIT_LABELS = _alt(*_data("source", "credit"))
CREDIT_LINE = _rx(
    rf"^(?:{_CREDIT_LABELS}\s*[:：]|{_words(_data('source', 'via'))}\s|{_words(_data('source', 'quoted_from'))}\s*[:：]?)\s*(?P<who>[^\d:/()|][^:/()|]{{1,59}}?)\s*[.|]?$"
)
# A credit alone on its line: `و م ع`, `/خاص/`, `- متابعة -`.
CREDIT_ALONE = _rx(rf"^[\s(\[/\-–—*]*{_alt(*_data('source', 'alone'))}[\s)\]/\-–—*.]*$")
# A word of a byline or a dateline place: no digit, no sentence or list punctuation, no dash.
_CREDIT_WORD = r"[^\s\d.!?؟:;؛،,()\[\]«»\"“”–—\-/|]+"
_CREDIT_SEGMENT = rf"{_CREDIT_WORD}(?:\s+{_CREDIT_WORD}){{0,2}}(?:\s*/\s*{_CREDIT_WORD}(?:\s+{_CREDIT_WORD}){{0,2}})?"
# `NAME – PLACE`, `DESK – PLACE – PLACE`: two or three short segments joined by a spaced en or em dash.
# Only right before the first paragraph (`_mark_head_credit`): elsewhere such lines are lists (`باستیا – نیس`).
DASH_CREDIT = re.compile(rf"^{_CREDIT_SEGMENT}(?:\s+[–—]\s+{_CREDIT_SEGMENT}){{1,2}}$")
# A contact line: `للتواصل أرسل sms إلى 88548`, `88591 - Stc`, an e-mail address alone.
CONTACT = _rx(
    rf"^(?:{_alt(*_data('contact', 'lead_ins'))}\s.{{0,80}}|.{{0,80}}{_words(_data('contact', 'phrases'))}.{{0,40}}"
    rf"|{_DIGIT}{{4,6}}\s*[-–]\s*{_words(_data('contact', 'carriers'))}|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)$"
)
# A promotion of a video or a live show: `Simak juga Video 'Jokowi …':`, `Saksikan Live DetikPagi:`.
PROMO = _rx(rf"^{_alt(*_data('promo', 'lead_ins'))}\b.{{0,200}}$")
# A show's slogan in quotes, alone on the line after a promotion: `"Ngopi Pagi Bareng Kami"`.
_QUOTED = re.compile(r"^[\"“'‘«][^\"“”'‘’«»]{1,120}[\"”'’»][.:!]?$")
# A line that sends to the next page: `Klik halaman berikutnya >>>`, `Berlanjut di halaman berikutnya.`
PAGE_TURN = _rx(
    rf"^{_alt(*_data('page_turn', 'verbs'))}\b[^.!?]{{0,40}}?{_alt(*_data('page_turn', 'next'))}[\s.…>»]*$"
)

COMMENT_COUNTER = _rx(
    rf"^[(\[]?\s*(?:{_alt(*_data('comments', 'labels'))}"
    rf"\s*(?:[:：]\s*)?(?:[(\[]\s*)?{_DIGIT}+(?:\s*[)\]])?|{_DIGIT}+\s*{_alt(*_data('comments', 'after'))})\s*[)\]]?$"
)
AD_SLOT = _rx(
    rf"^(?:\[\s*{_alt(*_data('ads', 'bracketed'))}[\w\s:-]*\]"
    rf"|[-–—*\s]*{_alt(*_data('ads', 'lines'))}[-–—*\s]*)$"
)
_RELATED = _alt(*_data("related", "labels"))
RELATED_LABEL = _rx(rf"^(?:\.{{2,}}|…)?\s*{_RELATED}\s*(?:[:：]|\.{{2,}}|…)?$")
RELATED_TEASER = _rx(rf"^(?:{_RELATED}\s*[:：]|{_alt(*_data('related', 'teaser'))}\s)\s*\S.{{0,200}}$")
_SOCIAL = _alt(*_data("share", "networks"))
SHARE_LABEL = _rx(
    rf"^(?:{_alt(*_data('share', 'labels'))}\s*[:：]?"
    rf"|(?:{_SOCIAL}[\s|,•·/]*){{2,}})$"
)
END_MARKER = _rx(
    rf"^[/(\[\-–—]*\s*{_alt(*_data('end', 'markers'))}\s*[/)\]\-–—.]*$"
    # Indonesian desks close with the initials of reporter and editor: (ant), (nvl/ptr)
    r"|^\((?:[a-z]{2,4}|\*)(?:/[a-z]{2,4})*\)$"
)
_COPYRIGHT_OPENING = (*_data("copyright", "marks"), *_data("copyright", "opening"))
COPYRIGHT = _rx(
    rf"^(?:{_words(_COPYRIGHT_OPENING)}|{_words(_data('copyright', 'words'))}\b)|{_words(_data('copyright', 'reserved'))}"
    rf"|{_words(_data('copyright', 'rights'))}.{{0,60}}{_words(_data('copyright', 'rights_held'))}|{_words(_data('copyright', 'notice'))}"
)
_COPYRIGHT_GATED = _Gated(COPYRIGHT, tuple(w.lower() for w in (
    *_COPYRIGHT_OPENING, *_data("copyright", "words"), *_data("copyright", "reserved"), *_data("copyright", "rights"),
    *_data("copyright", "notice"),
)))
NEWS_CODE = _rx(
    rf"^{_alt(*_data('news_code', 'labels'))}\s*(?:[:：]\s*)?(?=[\w{NATIVE_DIGIT_RANGES}-]*{_DIGIT})[\w{NATIVE_DIGIT_RANGES}-]+\s*\|?$"
)
# The desk or section of the site: `سرویس: سیاسی`, `Kanal: Nasional`, `القسم: سياسة`
SECTION = _rx(
    rf"^{_alt(*_data('section', 'labels'))}\s*[:：]\s*\S(?:.{{0,30}}\S)?\s*\|?$"
)
# `Penulis: X`, `خبرنگار: X` (labels in any case), or `By Jane Doe` (a capitalised name).
BYLINE = re.compile(
    rf"^(?:(?i:{_alt(*_data('byline', 'labels'))})"
    rf"\s*[:：]\s*\S.{{0,80}}|(?i:{_words(_data('byline', 'reported'))})\s*[:：]\s*\S.{{0,60}}"
    rf"|(?:{_words(_data('byline', 'by_role'))} )?{_words(_data('byline', 'by'))}\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){{0,3}})$"
)
BREADCRUMB = _rx(
    rf"^{_alt(*_data('breadcrumb', 'home'))}\s*(?:[>»›/|]\s*[^>»›/|]{{1,40}}){{1,6}}$"
)
# Short segments joined by a path separator with spaces around it: `اخبار / سیاست خارجی`.
_PATH_SEGMENT = r"[^\s>»›/|.!?؟:،,]+(?:\s[^\s>»›/|.!?؟:،,]+){0,2}"
BREADCRUMB_PATH = re.compile(rf"^{_PATH_SEGMENT}(?:\s[>»›/]\s{_PATH_SEGMENT}){{1,5}}$")
TAGS = _rx(
    rf"^{_alt(*_data('tags', 'labels'))}\s*[:：]"
)
_CHANNEL_NAMES = _data("subscription", "channels")
_CHANNELS = _words(_CHANNEL_NAMES)
_APP_DOWNLOAD = _data("subscription", "app_download")
_PAGE_ON = _data("subscription", "page_on")
# A phrase in Latin letters starts a word (`ikuti kami`, not `mengikuti kami`); Arabic-script
# phrases may follow a prefix (`وتابعونا`).
_SUB_PHRASES = _data("subscription", "phrases")
SUBSCRIPTION = _rx(
    rf"(?<!\w){_words(w for w in _SUB_PHRASES if w.isascii())}|{_words(w for w in _SUB_PHRASES if not w.isascii())}|\b{_words(_data('subscription', 'words'))}\b|{_words(_data('subscription', 'lead_ins'))} |"
    + "".join(rf"{re.escape(app)} .{{1,30}}{re.escape(download)}|" for app, download in _APP_DOWNLOAD)
    + rf"\b{_words(_data('subscription', 'follow'))}\b.{{0,20}}{_CHANNELS}|"
    + "".join(rf"{re.escape(page)} .{{1,30}} {re.escape(on)} {_CHANNELS}|" for page, on in _PAGE_ON)
    + rf"{_words(_data('subscription', 'channel_before'))}\W{{0,3}}{_CHANNELS}|{_CHANNELS}\W{{0,3}}{_words(_data('subscription', 'channel_after'))}"
)
# Every match holds one of these (a phrase, a word, a lead-in, the first word of a pair, a channel name).
_SUBSCRIPTION_GATED = _Gated(SUBSCRIPTION, tuple(w.lower() for w in (
    *_data("subscription", "phrases"), *_data("subscription", "words"), *(f"{w} " for w in _data("subscription", "lead_ins")),
    *(f"{app} " for app, _ in _APP_DOWNLOAD), *_data("subscription", "follow"), *(f"{page} " for page, _ in _PAGE_ON),
    *_CHANNEL_NAMES,
)))
# A follow-us call glued to the end of the last paragraph after its full stop: `… آخر جملة. تابع الجزيرة نت على:`,
# `… kalimat terakhir. Ikuti kami di Instagram`: its lead, at most four words, then a channel name,
# a closing phrase (`… دنبال کنید`) or a colon.
GLUED_FOOTER = _rx(
    r"(?:(?<=[.!?؟۔])|(?<=[.!?؟۔][\"”»')]))\s+"
    rf"(?P<footer>{_alt(*_data('footer', 'leads'))}(?:\s+[^\s.!?؟۔:：]+){{0,4}}?\s*"
    rf"(?:(?:{_CHANNELS}|{_words(_data('footer', 'ends'))})\s*(?:[:：]\s*)?|[:：]\s*))$"
)
# A unit of minutes, with the word that may follow a unit of its language (`min read`, `menit baca`).
_MINUTES = "(?:" + "|".join(
    _words(_data_of(lang, "reading_time", "units")) + (rf"(?:\s+{_words(suffix)})?" if suffix else "")
    for lang, suffix in ((lang, _data_of(lang, "reading_time", "unit_suffix")) for lang in _languages())
    if _data_of(lang, "reading_time", "units")
) + ")"
READING_TIME = _rx(
    rf"^(?:(?:{_alt(*_data('reading_time', 'labels'))}\s*(?:[:：]\s*)?)?{_DIGIT}+\s*"
    rf"{_MINUTES}(?:\s+{_alt(*_data('reading_time', 'after'))})?|"
    rf"{_alt(*_data('reading_time', 'phrases'))}\s*[:：]?.{{0,20}})$"
)
# `7 دقیقه پیش`, `2 hours ago`, `منذ ساعتين`, `3 jam lalu`: when the page was last touched.
RELATIVE_TIME = _rx(
    rf"^(?:{_alt(*_data('relative_time', 'updated'))}\s*(?:[:：]\s*)?)?"
    rf"(?:{_DIGIT}+|{_words(_data('relative_time', 'amounts'))})\s*{_words(_data('relative_time', 'units'))}\s*"
    rf"{_words(_data('relative_time', 'ago'))}$|^{_words(_data('relative_time', 'since'))}\s+.{{1,20}}$"
)
IMAGE_LABEL = _rx(
    rf"^{_alt(*_data('image', 'labels'))}\s*(?:[:：]\s*\S+(?:\s+\S+){{0,3}})?$"
    rf"|^{_alt(*_data('image', 'credits'))}\b.{{0,60}}$"
)
_CREDIT_WORDS = _alt(*_data("caption", "credit_words"))
# A photo caption ends with a parenthesised credit, `(Foto: ANTARA)`, `(منبع: THX)`, often between pipes.
_PHOTO_AGENCIES = _alt(*_data("agencies", "photo"))
_CREDIT_LABEL = _alt(*_data("caption", "credit_labels"))
_CAPTION_LABELS = _alt(*_data("caption", "labels"))
CAPTION = _rx(
    # ... (Foto: ANTARA), | ... (منبع: THX) |, ... (AP Photo/Name)
    rf"^\|?\s*(?P<caption>\S.{{10,}}?\(\s*(?:{_CREDIT_WORDS}\s*[:：]|[\w ]{{1,20}}\s{_words(_data('caption', 'agency_photo'))}\s*/)\s*[^()]{{1,60}}\))\s*\|?\s*$"
    # ... - عکاس: Name, ... | Photo credit: AFP, ... — فائل فوٹو
    rf"|^\|?\s*(?P<caption2>\S.{{10,}}?\s[-–—|/]\s*(?:{_CREDIT_LABEL}\s*[:：]\s*[^:|]{{1,40}}|{_alt(*_data('caption', 'file_photo'))}))\s*\|?\s*$"
    # Image caption, ... / عکس: ... / تسنیم / صورة أرشيفية: ...
    rf"|^(?P<caption3>{_CAPTION_LABELS}\s*[:：,،]\s*\S.{{20,}})$"
    # ... (رويترز), ... - (أ ف ب): a line that ends with a photo agency instead of a full stop
    rf"|^\|?\s*(?P<caption4>\S.{{10,}}?[^.!?؟۔\s]\s*[-–—]?\s*\(\s*{_PHOTO_AGENCIES}\s*\))\s*\|?\s*$"
)
# What CAPTION needs (its first and last forms a `(`, the second a separator after a space, the
# third its label first): most lines have none of it and are spared CAPTION's lazy scans.
_SPACED_SEPARATOR = re.compile(r"\s[-–—|/]")
_CAPTION_LABEL_FIRST = _rx(rf"{_CAPTION_LABELS}\s*[:：,،]")


def _caption(line: str) -> Optional[re.Match[str]]:
    """CAPTION.match(line), with its cheap necessary conditions tested first."""
    if "(" in line or _SPACED_SEPARATOR.search(line) or _CAPTION_LABEL_FIRST.match(line):
        return CAPTION.match(line)
    return None


URL_ONLY = _rx(rf"^(?:{_URL}|(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:{_words(_data('urls', 'domains'))}|[a-z]{{2}})(?:/[\w-]+)?/?)$")
# `Views: 1,234`, `بازدید: ۱۲`, `المشاهدات: ٩٤٤`, `Dilihat 120 kali`
VIEW_COUNTER = _rx(
    rf"^{_alt(*_data('views', 'labels'))}"
    rf"\s*(?:[:：]\s*)?{_DIGIT}[\d{NATIVE_DIGIT_RANGES},.٬]*\s*{_alt(*_data('views', 'after'))}?$"
)
_TIME = re.compile(rf"^{_DIGIT}{{1,2}}[:٫.]{_DIGIT}{{2}}(?:\s*{_words(_data('time', 'suffixes'))})?$", re.I)
_BULLET = re.compile(r"^[•·▪●◦‣\-–*]\s*")
_NUMBER = re.compile(rf"^{_DIGIT}+(?:[.,]{_DIGIT}+)?\s*[kKmM]?$")
_DATE_LABEL = _rx(
    rf"^{_alt(*_data('date_meta', 'labels'))}\s*(?:[:：]\s*)?(?=[\d{NATIVE_DIGIT_RANGES}]|\w+\s*(?:[,،]\s*)?[\d{NATIVE_DIGIT_RANGES}])"
)


@dataclass(frozen=True)
class Furniture:
    """A classification of one line: why it is furniture, and whether it may go anywhere."""

    reason: str
    anywhere: bool


# A date label must be followed by a digit, and a date has a four-digit year: a date line has a digit.
_ANY_DIGIT = re.compile(r"\d")
_ALNUM = re.compile(r"[^\W_]")  # \w is str.isalnum() or `_`


# What both breadcrumb patterns need: one of their separators.
_PATH_SEPARATOR = re.compile(r"[>»›/|]")


def _has_letters_or_digits(line: str) -> bool:
    return _ALNUM.search(line) is not None


def _bare(line: str) -> str:
    """A line without the bullet that page metadata often starts with."""
    return _BULLET.sub("", line)


# The furniture a line can be, in the order they are tried: (reason, removed anywhere?, test).
LINE_RULES: tuple[tuple[str, bool, Callable[[str], object]], ...] = (
    ("ad_slot", True, AD_SLOT.match),
    ("comment_counter", True, COMMENT_COUNTER.match),
    ("source_line", True, SOURCE_LINE.match),
    ("related_links", True, lambda s: RELATED_LABEL.match(s) or RELATED_TEASER.match(s)),
    ("page_turn", True, PAGE_TURN.match),
    ("share_label", True, SHARE_LABEL.match),
    ("image_label", True, IMAGE_LABEL.match),
    ("end_marker", False, END_MARKER.match),
    ("copyright", False, _COPYRIGHT_GATED.search),
    ("news_code", False, NEWS_CODE.match),
    ("link", False, URL_ONLY.match),
    ("section", False, SECTION.match),
    ("counter", False, VIEW_COUNTER.match),
    ("time_meta", False, RELATIVE_TIME.match),
    ("breadcrumb", False, lambda s: _PATH_SEPARATOR.search(s) and (BREADCRUMB.match(s) or BREADCRUMB_PATH.match(s))),
    ("tags", False, lambda s: len(s) <= 200 and TAGS.match(s)),
    ("reading_time", False, READING_TIME.match),
    ("credit", False, CREDIT_LINE.match),
    ("time_meta", False, lambda s: _TIME.match(_bare(s))),
    ("counter", False, lambda s: _NUMBER.match(_bare(s))),
    ("date_meta", False, lambda s: _ANY_DIGIT.search(s) and _is_date_meta(_bare(s))),
    ("byline", False, lambda s: len(s.split(None, 12)) <= 12 and BYLINE.match(s)),
    ("credit", False, CREDIT_ALONE.match),
    ("contact", False, CONTACT.match),
    # a promotion that ends as a label or a title (not a sentence) is one anywhere, between two pages
    ("promo", True, lambda s: not s.endswith((".", "!", "?")) and PROMO.match(s)),
    ("promo", False, PROMO.match),
    ("subscription", False, lambda s: len(s) <= 200 and _subscription(s)),
)


# --- which rules a line's first character leaves ------------------------------------------------
# Most lines are text: each was tried against every rule, each a regex with long alternations of
# labels. A rule anchored at the line's start can match only a line whose first character can begin
# one of its matches; the set of such characters is read from the rule's patterns, as a character
# class the regex engine itself tests (so case-insensitive matching is the patterns' own). For each
# first character met, the rules it leaves are found once and remembered.

def _regex_module(name: str, before_3_11: str) -> Any:
    """The regex engine's own parser and constants, wherever this Python keeps them."""
    try:
        return importlib.import_module(f"re.{name}")
    except ImportError:  # Python 3.10
        return importlib.import_module(before_3_11)


_sre = _regex_module("_constants", "sre_constants")
_sre_parse = _regex_module("_parser", "sre_parse")

_CATEGORY_CLASSES = {
    _sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_NOT_DIGIT: r"\D", _sre.CATEGORY_SPACE: r"\s",
    _sre.CATEGORY_NOT_SPACE: r"\S", _sre.CATEGORY_WORD: r"\w", _sre.CATEGORY_NOT_WORD: r"\W",
}


class _AnyFirst(Exception):
    """A pattern whose matches may begin with any character (or be empty)."""


def _first_items(items: list[tuple[Any, Any]], ignore_case: bool, out: set[tuple[bool, str]]) -> bool:
    """Add to ``out`` what may begin a match of a sequence of parsed items, as (case-insensitive?,
    class item source); True when the sequence may match the empty string."""
    for op, arg in items:
        if op is _sre.LITERAL:
            out.add((ignore_case, f"\\U{arg:08x}"))
            return False
        if op is _sre.IN:
            members = []
            for kind, operand in arg:
                if kind is _sre.LITERAL:
                    members.append(f"\\U{operand:08x}")
                elif kind is _sre.RANGE:
                    members.append(f"\\U{operand[0]:08x}-\\U{operand[1]:08x}")
                elif kind is _sre.CATEGORY and operand in _CATEGORY_CLASSES:
                    members.append(_CATEGORY_CLASSES[operand])
                else:  # NEGATE and anything else: any character may begin
                    raise _AnyFirst
            out.update((ignore_case, member) for member in members)
            return False
        if op is _sre.AT or op is _sre.ASSERT or op is _sre.ASSERT_NOT:
            continue  # zero-width: they only narrow what follows
        if op is _sre.BRANCH:
            empty = False
            for branch in arg[1]:
                empty = _first_items(list(branch), ignore_case, out) or empty
            if not empty:
                return False
            continue
        if op is _sre.SUBPATTERN:
            _, add, remove, sub = arg
            case = (ignore_case or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
            if not _first_items(list(sub), case, out):
                return False
            continue
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) or op is getattr(_sre, "POSSESSIVE_REPEAT", None):
            low, _, sub = arg
            if not _first_items(list(sub), ignore_case, out) and low > 0:
                return False
            continue
        if op is getattr(_sre, "ATOMIC_GROUP", None):
            if not _first_items(list(arg), ignore_case, out):
                return False
            continue
        raise _AnyFirst  # ANY, NOT_LITERAL, group references, ...
    return True


def _first_class(patterns: Iterable[re.Pattern[str]]) -> Optional[re.Pattern[str]]:
    """A pattern matching one character: every first character of a match of any of ``patterns``
    (and perhaps more); None when a match may begin with anything."""
    items: set[tuple[bool, str]] = set()
    try:
        for pattern in patterns:
            parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
            if _first_items(list(parsed), bool(pattern.flags & re.IGNORECASE), items):
                return None
    except _AnyFirst:
        return None
    except Exception:  # noqa: BLE001 — the engine's private parser differs in this Python: no gate
        # A gate only saves work; without one every rule is tried, which is always right.
        return None
    exact = "".join(sorted(member for case, member in items if not case))
    folded = "".join(sorted(member for case, member in items if case))
    parts = ([f"[{exact}]"] if exact else []) + ([f"(?i:[{folded}])"] if folded else [])
    return re.compile("|".join(parts) or "(?!)")


def _rules_for(first: str) -> tuple[int, ...]:
    """The indexes of LINE_RULES a line beginning with ``first`` may match, in order."""
    return tuple(i for i, gate in enumerate(_RULE_GATES) if gate is None or gate.match(first))


class _RulesByFirst(dict[str, tuple[int, ...]]):
    def __missing__(self, first: str) -> tuple[int, ...]:
        rules = self[first] = _rules_for(first)
        return rules


def _subscription(line: str) -> bool:
    """A call to subscribe or follow: anywhere in a short line; in a long one (over 15 words, a
    sentence of content that names a channel), only opening the line. A call glued after a sentence
    (GLUED_FOOTER) leaves the line text: the call alone is cut from the last line."""
    if _SUBSCRIPTION_GATED.search(line) is None:
        return False
    glued = GLUED_FOOTER.search(line)
    if glued is not None and line[: glued.start()].strip():
        return False
    if len(line.split(None, 15)) <= 15:
        return True
    first = SUBSCRIPTION.search(line)
    assert first is not None  # _SUBSCRIPTION_GATED found one
    return len(line[: first.start()].split()) <= 3


# For each rule of LINE_RULES, the patterns one of which begins every line it takes (None: any line).
# A line that _bare strips of its bullet begins with the bullet or with what follows it.
_RULE_STARTS: tuple[Optional[tuple[re.Pattern[str], ...]], ...] = (
    (AD_SLOT,), (COMMENT_COUNTER,), (SOURCE_LINE,), (RELATED_LABEL, RELATED_TEASER), (PAGE_TURN,), (SHARE_LABEL,),
    (IMAGE_LABEL,), (END_MARKER,), None, (NEWS_CODE,), (URL_ONLY,), (SECTION,), (VIEW_COUNTER,), (RELATIVE_TIME,),
    (BREADCRUMB, BREADCRUMB_PATH), (TAGS,), (READING_TIME,), (CREDIT_LINE,), (_BULLET, _TIME), (_BULLET, _NUMBER),
    None, (BYLINE,), (CREDIT_ALONE,), (CONTACT,), (PROMO,), (PROMO,), None,
)
assert len(_RULE_STARTS) == len(LINE_RULES)
_RULE_GATES = tuple(None if starts is None else _first_class(starts) for starts in _RULE_STARTS)
_RULES_BY_FIRST = _RulesByFirst()
_DATE_LABEL_FIRST = _first_class((_DATE_LABEL,)) or re.compile("")


def classify_line(line: str) -> Optional[Furniture]:
    """Why a line is page furniture, or None when it reads as article text."""
    s = line.strip().strip("|").strip()
    if not s:
        return Furniture("rule", True) if line.strip() else None
    if not _has_letters_or_digits(s):
        return Furniture("rule", True)
    if len(s) > 300:
        return None  # furniture lines are short; a paragraph is never furniture
    for index in _RULES_BY_FIRST[s[0]]:
        reason, anywhere, test = LINE_RULES[index]
        if test(s):
            return Furniture(reason, anywhere)
    return None


def _is_date_meta(bare: str) -> object:
    return (_DATE_LABEL_FIRST.match(bare) and _DATE_LABEL.match(bare)) or (len(bare) <= 60 and _is_only_date(bare))


def _is_only_date(text: str) -> bool:
    """A line that is a date and little else (a weekday, a time, separators)."""
    found = find_dates(text)
    if not found:
        return False
    rest = text[: found[0].start] + text[found[0].end :]
    return len(re.sub(r"[\W\d_]+", "", rest)) <= 12


def _is_paragraph(line: str) -> bool:
    """A line that reads as running text: long, or a sentence; it ends a furniture zone."""
    words = len(line.split(None, 10))  # at most 11 parts: a huge line is not copied word by word
    return words >= 10 or (words >= 4 and line.rstrip(" |").endswith(_SENTENCE_END[:7]))


_UNKNOWN = Furniture("", False)

# A sentence end inside a line: a full stop after a word (or alone between spaces), then more words.
_INNER_FULL_STOP = re.compile(r"(?:[^\W\d_]{2}|\s)[.۔](?=\s+[^\W\d_])")
# A lead fragment: it opens with the dash left of a dateline (`- Badan Siber dan Sandi Negara (`),
# or ends with a bracket or quote still open.
_LEAD_DASH = re.compile(r"^[-–—]\s")
_OPEN_END = tuple("([{«“‹")
# A site's credit that opens a lead: `KOMPAS.com - ...`, `SITE.INFO - متابعة`.
_DOMAIN = rf"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:{_words(_data('urls', 'domains'))}|[a-z]{{2}})"
SITE_CREDIT = _rx(rf"^(?P<site>{_DOMAIN})\s*[-–—|]\s*")
# The whole line is such a credit, with a place or a desk of a few words: furniture of the head.
SITE_CREDIT_LINE = _rx(rf"^(?P<site>{_DOMAIN})\s*[-–—|]\s*[^\W\d_][^\s.!?؟:|]*(?:\s+[^\W\d_][^\s.!?؟:|]*){{0,3}}$")
# What opens a body's first line and never a headline: an agency's word and name, then a colon or a
# dash (`خبرگزاری فارس: ...`); who wrote it (`تحليل من ...`, `Oleh: ...`); a pointer elsewhere.
_LEAD_OPENING = _rx(
    rf"^(?:{_alt(*_data('lead', 'agency'))}[^:：\-–—.!?؟]{{0,40}}[:：\-–—]"
    rf"|{_alt(*_data('lead', 'by'))}(?:\s*[:：]|\s)"
    rf"|{_alt(*_data('lead', 'elsewhere'))}\s)"
)


def _invisible_stripped(line: str) -> str:
    """A line without white space and invisible marks at its ends (`… دادند.\u200f`)."""
    return line.strip().strip(INVISIBLE).strip()


def _ending(title: str) -> str:
    """How a line ends: `sentence` (a full stop, a colon ...), `question` (`?`, `!`, `؟`),
    `ellipsis` (`...`, `..`, `…`) or `open` (no punctuation), closing quotes looked through."""
    bare = title.rstrip(_CLOSERS + INVISIBLE + " \t")
    if bare.endswith(_ELLIPSIS_END):
        return "ellipsis"
    if bare.endswith(_QUESTION_END):
        return "question"
    if bare.endswith(_SENTENCE_END):
        return "sentence"
    return "open"


def _is_headline(line: str, has_more: bool, kind: Optional[Furniture] = _UNKNOWN) -> bool:
    """Whether a first line reads as a headline by itself (what follows it aside).

    ``kind``: classify_line(line), when the caller has it already. A headline is short and
    does not end like a sentence; one that asks, exclaims or trails off is shorter still.
    """
    title = _invisible_stripped(line)
    if not title or not has_more:
        return False
    if len(title) > _MAX_TITLE_CHARS:
        return False
    words = len(title.split())
    ending = _ending(title)
    if words > (_MAX_TITLE_WORDS if ending == "open" else _MAX_OPEN_TITLE_WORDS) or ending == "sentence":
        return False
    if words >= _MIN_MULTI_SENTENCE_WORDS and _INNER_FULL_STOP.search(title):
        return False
    if _QUOTED_SPEECH.match(title) or _LEAD_DASH.match(title) or title.endswith(_OPEN_END):
        return False  # speech quoted in the body, or a lead fragment
    if "\t" in title or title.strip("|").count("|") >= 2:
        return False  # a table's row
    if "://" in title or SITE_CREDIT.match(title) or _LEAD_OPENING.match(title):
        return False
    if kind is _UNKNOWN:
        kind = classify_line(title)
    return kind is None


def _headline_sized(line: str) -> bool:
    """A line as short as a headline, and not two sentences."""
    title = _invisible_stripped(line)
    words = len(title.split())
    return len(title) <= _MAX_TITLE_CHARS and words <= _MAX_TITLE_WORDS and not (
        words >= _MIN_MULTI_SENTENCE_WORDS and _INNER_FULL_STOP.search(title)
    )


def _takes_title(content: list[tuple[int, str]], kinds: list[Optional[Furniture]]) -> bool:
    """Whether the first line is the headline: it reads as one, and body text follows it.

    A one-word headline needs a paragraph as the first line after it that is not furniture
    (a date line may stand between); a line that the very next one continues in lower case
    (`Setelah menjaja` / `pada Selasa ...`) is the start of a sentence, not a headline.
    """
    first = content[0][1]
    if not _is_headline(first, len(content) > 1, kinds[0]):
        return False
    if kinds[1] is None and _ending(first) == "open":
        word = content[1][1].split(None, 1)[0]
        if word.isalpha() and word.islower() and word.isascii():
            return False
    following = next((line for (_, line), kind in zip(content[1:], kinds[1:]) if kind is None), None)
    if len(first.split()) < 2:
        return following is not None and _is_paragraph(following)
    return True


# --- the article ------------------------------------------------------------------------------


@dataclass
class Article:
    """An article split from its furniture; each line taken out is in `boilerplate`, with its reason."""

    text: str
    title: Optional[str] = None
    url: Optional[str] = None
    publisher_url: Optional[str] = None
    publisher: Optional[str] = None
    date_published: Optional[str] = None
    captions: list[str] = field(default_factory=list)
    boilerplate: list[Boilerplate] = field(default_factory=list)


def _core(line: str) -> str:
    """A body line without surrounding white space and stray pipes (`lead text |`)."""
    return line.strip().strip("|").strip()


# Spaces inside the parentheses are bounded like the name: unbounded, a long run of them took quadratic time.
_AGENCY = re.compile(r"\(\s{0,40}([^()\d]{2,40}?)\s{0,40}\)")
# What may stand before the date in a dateline: a place of one to four words, perhaps the
# agency in parentheses, and separators: `ناننينغ `, `JAKARTA, `, `اهواز (مهر) - `.
_DATELINE_PREFIX = re.compile(
    r"^[^\W\d][\w.'\-\u200c]*(?:\s+[^\W\d][\w.'\-\u200c]*){0,3}\s*(?:(?P<agency>\([^()\d]{2,40}\))\s*)?"
    # A separator run does not start with a `-` that the word before could hold: trying every
    # split of `word----` between the two took quadratic time, and never changes the result.
    r"(?:(?<![\w.'\-\u200c])[,،\-–—:]+\s*|[,،–—:][,،\-–—:]*\s*)?$"
)
# A known agency in parentheses after a place of up to four words, perhaps with a country after a
# comma: `دبي، الإمارات العربية المتحدة (CNN)--`, `JAKARTA, Indonesia (AP) —`, `(ANTARA) -`.
_PLACE = r"[^\W\d][\w.'\-\u200c]*(?:\s+[^\W\d][\w.'\-\u200c]*){0,3}"
_AGENCY_DATELINE = _rx(
    rf"^\s*(?:{_PLACE}\s*(?:[,،]\s*{_PLACE}\s*)?)?\(\s*(?P<agency>{_alt(*_data('agencies', 'news'))})\s*\)\s*[-–—:]"
)
_PLACE_AGENCY = re.compile(r"^\s*[^\W\d][\w.'\-]*(?:\s+[^\W\d][\w.'\-]*){0,3}\s*(?:[,،]\s*)?(\([^()]{2,40}\))\s*[-–—:]")


# What follows the date of a dateline: perhaps a time (and its zone), then the agency in
# parentheses or slashes, or a separator (`- `, `— `, `: `, `| `); or, when the line is only a
# date line (`Published on Friday, Feb 7, 2020 at 18:50`), at most a time to its end. A date followed
# by a word is inside a sentence (`the 7 October 2016 elections`, `pemilu 17 April 2019 lalu`).
# Every run of spaces is followed by something that cannot be a space, so the match stays linear.
_CLOCK = rf"{_DIGIT}{{1,2}}[:.]{_DIGIT}{{2}}(?::{_DIGIT}{{2}})?(?:\s+[^\W\d]{{1,5}}\.?)?"  # 10:30, 10.30 WIB
_DATELINE_END = re.compile(
    rf"\s*(?:[,،]\s*)?(?:(?:[^\W\d]{{1,6}}\s+)?{_CLOCK}\s*(?:[,،]\s*)?)?"  # `, 10:30`, ` pukul 10.30 WIB`, ` at 18:50`
    r"(?:[(\[/|:\-–—]|$)"
)


def _dateline(first: str) -> tuple[Optional[FoundDate], Optional[str]]:
    """(date, agency) from a dateline that opens the first paragraph: `CITY, DATE (AGENCY) - ...`."""
    head = first[:160]
    date, agency_text = None, None
    found = find_dates(head)
    if found and found[0].start <= 60 and _DATELINE_END.match(first, found[0].end):
        prefix = _DATELINE_PREFIX.match(head[: found[0].start])
        if found[0].start == 0 or prefix:
            date = found[0]
            after = _AGENCY.match(head[found[0].end :].lstrip())
            agency_text = (prefix and prefix.group("agency")) or (after and after.group(0))
    if agency_text is None:  # `JAKARTA (ANTARA) - ...`: a place, then the agency
        place = _PLACE_AGENCY.match(head)
        agency_text = place.group(1) if place else None
    if agency_text is None:  # `دبي، الإمارات العربية المتحدة (CNN)--`: a known agency after a longer place
        known = _AGENCY_DATELINE.match(head)
        return date, (known.group("agency").strip() if known else None)
    match = _AGENCY.match(agency_text) if agency_text else None
    agency = match.group(1).strip() if match and len(match.group(1).split()) <= 4 else None
    return date, agency


# What a copyright line says besides its owner: marks, opening words, rights reserved (and a full stop after).
_COPYRIGHT_WORDS = "|".join([
    *map(re.escape, _longest_first((*_COPYRIGHT_OPENING, *_data("copyright", "words")))),
    *(re.escape(w) + r"\.?" for w in _longest_first(_data("copyright", "reserved"))),
])


def _publisher_from_copyright(line: str) -> Optional[str]:
    text = re.sub(_COPYRIGHT_WORDS, " ", line, flags=re.I)
    text = re.sub(rf"{_DIGIT}{{4}}(?:\s*[-–]\s*{_DIGIT}{{4}})?", " ", text)
    text = re.sub(r"[|•·,.،:]+", " ", text)
    words = text.split()
    if 1 <= len(words) <= 6 and not any(w.lower() in ("reserved", "rights") for w in words):
        return " ".join(words)
    return None


def extract_article(
    body: str,
    *,
    keep_boilerplate: bool = False,
    furniture_lines: frozenset[str] = frozenset(),
    first_line: int = 1,
) -> Article:
    """Split an article body into text, metadata, captions and the furniture removed.

    ``first_line`` is the line number of the body's first line in its container;
    ``furniture_lines`` are lines learnt as furniture from the corpus (repeated
    verbatim across articles of one publisher).
    """
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    numbered = [(first_line + i, line) for i, line in enumerate(lines)]
    content = [(n, line) for n, line in numbered if line.strip()]
    article = Article(text="")
    if not content:
        return article

    # The headline: the first line when it reads as one; a verbatim repeat of it goes too.
    removed: dict[int, tuple[str, str]] = {}  # index in `content` -> (reason, text)
    start = 0
    kinds = [classify_line(line) for _, line in content]
    if _takes_title(content, kinds):
        article.title = content[0][1].strip()
        start = 1
        for i in range(1, min(len(content), 6)):
            if content[i][1].strip() == article.title:
                removed[i] = ("title_repeat", content[i][1])

    for i, (_, line) in enumerate(content):
        if i < start or i in removed:
            continue
        stripped = line.strip()
        if stripped in furniture_lines:
            kinds[i] = Furniture("repeated_line", True)
        elif kinds[i] is None and len(stripped) <= 400 and _caption(stripped):
            kinds[i] = Furniture("caption", True)
        elif kinds[i] is None and len(stripped) <= 100 and SITE_CREDIT_LINE.match(_core(stripped)):
            kinds[i] = Furniture("credit", False)
    _mark_related_block(content, kinds, start)
    _mark_promo_slogans(content, kinds)
    _mark_head_credit(content, kinds, start)

    # Furniture zones: the head (after the title) and the tail, up to the first paragraph.
    # Short lines that are not furniture (a subtitle, a name) do not end a zone, so that
    # one unknown label does not shield the furniture behind it; they stay in the text.
    edge = set()
    i = start
    if start == 0 and kinds[0] is None and _headline_sized(content[0][1]) and _ending(content[0][1]) != "sentence":
        # A first line not taken as the headline but shaped like one (short, not a sentence with
        # its full stop) does not end the head zone: the date line and the other furniture under
        # it are still read and removed.
        edge.add(0)
        i = 1
    while i < len(content) and (kinds[i] is not None or i in removed or not _is_paragraph(content[i][1])):
        edge.add(i)
        i += 1
    j = len(content) - 1
    while j >= i and (kinds[j] is not None or j in removed or not _is_paragraph(content[j][1])):
        edge.add(j)
        j -= 1

    kept: list[tuple[int, str]] = []
    for index, (number, line) in enumerate(content):
        if index < start:
            continue
        kind = kinds[index]
        if index in removed:
            reason = removed[index][0]
        elif kind is not None and (kind.anywhere or index in edge):
            reason = kind.reason
        else:
            kept.append((number, line))
            continue
        if reason == "caption":
            match = CAPTION.match(line.strip())
            assert match is not None  # _caption matched the line
            article.captions.append(next(g for g in match.groups() if g is not None).strip())
        else:
            article.boilerplate.append(Boilerplate(text=line, reason=reason, line=number))
        if keep_boilerplate:
            kept.append((number, line))

    _cut_glued_footer(article, kept)
    _fill_metadata(article, [line for _, line in kept])
    if keep_boilerplate:
        article.text = clean_body(body)
    else:
        article.text = _join_paragraphs(kept, {n for n, line in numbered if not line.strip()})
    return article


def _join_paragraphs(kept: list[tuple[int, str]], blank: set[int]) -> str:
    """Kept lines joined; a blank line between two of them in the member stays one blank line."""
    parts: list[str] = []
    previous = None
    for number, line in kept:
        if previous is not None:
            parts.append("\n\n" if any(n in blank for n in range(previous + 1, number)) else "\n")
        parts.append(_strip_pipes(line))
        previous = number
    return "".join(parts)


def _strip_pipes(line: str) -> str:
    """A lead that ends in a stray `|` (a caption separator left behind) loses it."""
    return _core(line) if line.strip().startswith("|") or line.strip().endswith("|") else line


def clean_body(body: str) -> str:
    """Newlines normalised to ``\\n`` and blank lines trimmed at both ends; nothing else."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])


def _mark_related_block(content: list[tuple[int, str]], kinds: list[Optional[Furniture]], start: int) -> None:
    """A related-links label near the end takes the short headline lines after it."""
    for i in range(max(start, len(content) - 15), len(content)):
        kind = kinds[i]
        if kind is not None and kind.reason == "related_links" and RELATED_LABEL.match(content[i][1].strip()):
            rest = range(i + 1, len(content))
            if all(kinds[k] is not None or len(content[k][1].strip()) <= 150 for k in rest):
                for k in rest:
                    if kinds[k] is None:
                        kinds[k] = Furniture("related_links", False)
            return


def _mark_head_credit(content: list[tuple[int, str]], kinds: list[Optional[Furniture]], start: int) -> None:
    """A `NAME – PLACE` byline (DASH_CREDIT) in the head, right before the first paragraph."""
    i = start
    while i + 1 < len(content) and (kinds[i] is not None or not _is_paragraph(content[i][1])):
        if kinds[i] is None and _is_paragraph(content[i + 1][1]) and DASH_CREDIT.match(content[i][1].strip()):
            kinds[i] = Furniture("byline", False)
        i += 1


def _mark_promo_slogans(content: list[tuple[int, str]], kinds: list[Optional[Furniture]]) -> None:
    """A show's slogan in quotes, alone on the line right after a promotion, is part of it."""
    for i in range(1, len(content)):
        previous = kinds[i - 1]
        if kinds[i] is None and previous is not None and previous.reason == "promo" and _QUOTED.match(content[i][1].strip()):
            kinds[i] = Furniture("promo", False)


def _cut_glued_footer(article: Article, kept: list[tuple[int, str]]) -> None:
    """A follow-us call glued after the last sentence of the text goes to `boilerplate`; the sentence stays."""
    if not kept:
        return
    number, line = kept[-1]
    match = GLUED_FOOTER.search(line.rstrip())
    if match is None or not line[: match.start()].strip():
        return
    kept[-1] = (number, line[: match.start()].rstrip())
    article.boilerplate.append(Boilerplate(text=match.group("footer"), reason="subscription", line=number))


# `Updated: 7/24/2025`, `آخر تحديث: ...`: the day of the last change, not of publication.
_UPDATED_LABEL = _rx(rf"^{_alt(*_data('relative_time', 'updated'))}\b")


def _fill_metadata(article: Article, kept: list[str]) -> None:
    credit = copyright_owner = None
    labelled_dates: list[FoundDate] = []
    meta_dates: list[FoundDate] = []
    stamps: list[FoundDate] = []  # the dates of the page's own lines: evidence of its day/month order
    for item in article.boilerplate:
        line, reason = item.text.strip(), item.reason
        if reason == "source_line":
            article.url = source_url(_core(line))
        elif reason in ("link", "subscription"):
            for url in re.findall(_URL, line):
                if is_homepage(url) and article.publisher_url is None:
                    article.publisher_url = url.rstrip(".,;،")
        elif reason == "credit" and credit is None and (
                match := CREDIT_LINE.match(_core(line)) or SITE_CREDIT_LINE.match(_core(line))):
            credit = (match.group("who") if match.re is CREDIT_LINE else match.group("site")).strip()
        elif reason == "copyright" and copyright_owner is None:
            copyright_owner = _publisher_from_copyright(line)
        if reason == "date_meta":
            found = find_dates(line)
            stamps.extend(found)
            label = _BULLET.sub("", _core(line))
            if found and not _UPDATED_LABEL.match(label):  # the day of a later change is evidence only
                (labelled_dates if _DATE_LABEL.match(label) else meta_dates).append(found[0])
        elif _ANY_DIGIT.search(line):  # any line the page printed around the article may hold a stamp
            stamps.extend(find_dates(line))
    opening = next((line for line in kept[:3] if _is_paragraph(line)), kept[0] if kept else None)
    dateline_date, agency = _dateline(opening) if opening else (None, None)
    if dateline_date is not None:
        stamps.append(dateline_date)
    # The dateline is the journalist's own statement of the day; a page's date
    # stamp is often shifted by a time zone or a later update, so it comes second.
    # A numeric date whose day and month could be either way (10/7/2025) counts only
    # when another stamp of the page settles the order; else the next one is taken.
    for candidate in ([dateline_date] if dateline_date else []) + labelled_dates + meta_dates:
        date = decide_order(candidate, (other for other in stamps if other is not candidate))
        if date is not None:
            article.date_published = date.isoformat()
            break
    article.publisher = credit or copyright_owner or agency


def account_lines(body: str, article: Article) -> list[str]:
    """Non-blank lines of ``body`` found nowhere in the article: empty when nothing was lost."""
    places = {_core(line) for line in article.text.split("\n")}
    places |= {_core(item.text) for item in article.boilerplate}
    places |= {_core(c) for c in article.captions}
    if article.title:
        places.add(_core(article.title))
    glued = [_core(item.text) for item in article.boilerplate if item.reason == "subscription"]
    missing = []
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        core = _core(line)
        if line.strip() and core not in places and not any(core in c for c in article.captions):
            # a line whose glued footer went to `boilerplate`: its sentence is in `text`
            if not any(g and core.endswith(g) and _core(core[: -len(g)]) in places for g in glued):
                missing.append(line)
    return missing
