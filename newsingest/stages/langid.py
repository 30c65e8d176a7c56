"""Language identification you can trust: script first, Arabic-script letters and words, seeded langdetect.

- Deterministic: langdetect draws random samples; every detector here is seeded, so the
  same text gets the same label in any process and any order.
- Never raises: text with fewer than MIN_LETTERS letters is `und` with score 0.0.
- Script first: letters are counted by script; a script used by one language decides
  alone, and langdetect only chooses among the languages of the text's script.
- Arabic script: Persian, Arabic, Urdu, Pashto, Sorani Kurdish and Uyghur are told apart by
  letters only one of them uses and by their commonest words (Persian typed with Arabic
  ي/ك is still Persian); langdetect, restricted to ar/fa/ur, decides only what they leave open.
- Fast: langdetect reads a bounded sample of the text (SAMPLE_CHARS), not all of it.
"""

from __future__ import annotations

import math
import random
import re
import threading
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter
from typing import Iterable, Mapping, Optional

import numpy as np
import numpy.typing as npt

from ..resources import by_language, languages, value, words
from ..script import LANGID_LETTER_RANGES, LANGID_WORD_LETTER_RANGES, SOFT_HYPHEN, YEH_KAF_FOLD, ZWNJ

UNDETERMINED = "und"
# Fewer letters than this and no method is better than chance: call it `und`.
MIN_LETTERS = 8
# langdetect reads this many characters (cut at a word boundary); see `make eval` for the trade-off.
SAMPLE_CHARS = 300
_SEED = 0

# --- scripts ------------------------------------------------------------------------------------

_SCRIPT_RANGES = {
    "arabic": LANGID_LETTER_RANGES,
    "latin": "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff",
    "cyrillic": "\u0400-\u0481\u048a-\u04ff\u0500-\u052f",
    "greek": "\u0386-\u03ff\u1f00-\u1fff",
    "hebrew": "\u05d0-\u05ea\u05f0-\u05f2",
    # Indic scripts and Thai: vowel signs count too, since a word is mostly signs and consonants.
    "devanagari": "\u0900-\u0963\u0971-\u097f",
    "bengali": "\u0980-\u09e3\u09f0\u09f1",
    "gurmukhi": "\u0a00-\u0a63\u0a70-\u0a75",
    "gujarati": "\u0a80-\u0ae3",
    "tamil": "\u0b80-\u0bd7",
    "telugu": "\u0c00-\u0c63",
    "kannada": "\u0c80-\u0ce3",
    "malayalam": "\u0d00-\u0d63\u0d7a-\u0d7f",
    "thai": "\u0e01-\u0e3a\u0e40-\u0e4e",
    "hangul": "\uac00-\ud7a3\u1100-\u11ff\u3131-\u318e",
    "kana": "\u3041-\u3096\u30a1-\u30fa",
    "han": "\u4e00-\u9fff\u3400-\u4dbf",
    "armenian": "\u0531-\u0556\u0561-\u0587",
    "georgian": "\u10a0-\u10ff",
    "khmer": "\u1780-\u17b3",
    "lao": "\u0e81-\u0eb0\u0eb2\u0eb3\u0ebd-\u0ec4",
    "myanmar": "\u1000-\u102a",
    "sinhala": "\u0d85-\u0dc6",
}
def _script_table() -> dict[int, str]:
    """One translate table: each letter of a known script to a one-character tag of its script."""
    table: dict[int, str] = {}
    for tag, chars in enumerate(_SCRIPT_RANGES.values()):
        spec = chars.replace("\\", "")
        i = 0
        while i < len(spec):  # the class syntax above: single characters and a-b ranges
            if i + 2 < len(spec) and spec[i + 1] == "-":
                low, high = ord(spec[i]), ord(spec[i + 2])
                i += 3
            else:
                low = high = ord(spec[i])
                i += 1
            for cp in range(low, high + 1):
                table.setdefault(cp, chr(0x41 + tag))
    return table


_SCRIPT_NAMES = {chr(0x41 + tag): name for tag, name in enumerate(_SCRIPT_RANGES)}
_SCRIPT_TABLE: dict[int, str] = _script_table()
_ARABIC_TAG = next(tag for tag, name in _SCRIPT_NAMES.items() if name == "arabic")


# Scripts with one language (langdetect code, or ISO 639-1 where langdetect has no profile).
_SINGLE_LANGUAGE = {
    "greek": "el", "hebrew": "he", "bengali": "bn", "gurmukhi": "pa", "gujarati": "gu", "tamil": "ta",
    "telugu": "te", "kannada": "kn", "malayalam": "ml", "thai": "th", "hangul": "ko", "kana": "ja",
    "armenian": "hy", "georgian": "ka", "khmer": "km", "lao": "lo", "myanmar": "my", "sinhala": "si",
}
# langdetect's profiles by script.
_LANGDETECT_BY_SCRIPT = {
    "latin": ("af", "ca", "cs", "cy", "da", "de", "en", "es", "et", "fi", "fr", "hr", "hu", "id", "it", "lt",
              "lv", "nl", "no", "pl", "pt", "ro", "sk", "sl", "so", "sq", "sv", "sw", "tl", "tr", "vi"),
    "cyrillic": ("bg", "mk", "ru", "uk"),
    "devanagari": ("hi", "mr", "ne"),
    "han": ("zh-cn", "zh-tw", "ja"),
    "arabic": ("ar", "fa", "ur"),
}
ARABIC_SCRIPT_LANGUAGES = ("fa", "ar", "ur", "ps", "ckb", "ug")
# Malay, which langdetect lacks, is told from Indonesian after langdetect (`_malay_or_indonesian`).
MALAY, INDONESIAN = "ms", "id"
# Every code `detect` can return (besides `und`): what `split --lang` accepts.
KNOWN_LANGUAGES = frozenset(
    [MALAY] + [code for codes in _LANGDETECT_BY_SCRIPT.values() for code in codes if not code.startswith("zh-")]
    + ["zh"] + list(_SINGLE_LANGUAGE.values()) + list(ARABIC_SCRIPT_LANGUAGES)
)


class _KeepOnly(dict[int, Optional[str]]):
    """translate() table: the characters it maps are kept (or replaced), any other vanishes
    (remembered, so each character costs a Python call once per process, not each time)."""

    def __missing__(self, key: int) -> None:
        self[key] = None
        return None


# A letter of a known script becomes its tag.
_TRANSLATE = _KeepOnly(_SCRIPT_TABLE)
# The same as an array over the Basic Multilingual Plane (where every known script lies): the
# tag's byte, or 0. str.translate looks each character up in a dict, some 40 ns a character
# outside ASCII; an array lookup over the text's code points costs a few microseconds a call.
_TAG_BYTES = np.zeros(0x10001, dtype=np.uint8)
for _cp, _tag in _SCRIPT_TABLE.items():
    _TAG_BYTES[_cp] = ord(_tag)
# Shorter or ASCII texts are translated: below this length the array's fixed cost is higher.
_ARRAY_FROM_CHARS = 160


def _tag_array(text: str) -> npt.NDArray[np.uint8]:
    """The tag's byte of each character of ``text`` (0 for a character of no known script)."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    tags: npt.NDArray[np.uint8] = _TAG_BYTES[np.minimum(points, 0x10000)]
    return tags


def _script_tags(text: str) -> str:
    """One tag character for each letter of a known script, in text order."""
    if text.isascii() or len(text) < _ARRAY_FROM_CHARS:
        return text.translate(_TRANSLATE)
    tags = _tag_array(text)
    known: npt.NDArray[np.uint8] = tags[tags != 0]
    return known.tobytes().decode("ascii")


def script_counts(text: str) -> Counter[str]:
    """Letters of each script in ``text``, scripts in the order they first occur."""
    tags = _script_tags(text)
    counts: dict[str, int] = {}
    while tags:  # one pass of count and replace a script (a text has one to three)
        tag = tags[0]
        counts[_SCRIPT_NAMES[tag]] = tags.count(tag)
        tags = tags.replace(tag, "")
    return Counter(counts)


# --- Arabic script ------------------------------------------------------------------------------

# Letters that one language of the Arabic script uses and the others do not.
_EXCLUSIVE_LETTERS = {
    "ps": "ټډړښځڅږګڼۍ",
    "ur": "ٹڈڑںےۓہ",
    "ckb": "ڵڕێ",
    "ug": "ۇۈۋ",
}
# Letters of Persian and its neighbours that Arabic lacks (پ چ ژ گ; Persian yeh and keheh).
_NOT_ARABIC = "پچژگیک"
# Letters that Arabic uses and Persian-family text rarely does.
_ARABIC_LETTERS = "ةىأإؤ"

# The commonest function words of each language (newsingest/resources/*.toml, `[langid] function_words`),
# in the order of ARABIC_SCRIPT_LANGUAGES; written with Persian ی and ک, as text is folded to them first.
# Words both Persian and Arabic use (من, او, هم, کل, غیر, حتی) are left out of both.
_FUNCTION_WORDS: dict[str, list[str]] = {
    lang: list(value(lang, "langid", "function_words", ())) for lang in ARABIC_SCRIPT_LANGUAGES if lang in languages()
}
_FOLD = {**YEH_KAF_FOLD, ZWNJ: " "}


def _fold_letters(text: str) -> str:
    """``text`` with _FOLD applied; one str.replace a letter is faster than a translate table."""
    for old, new in _FOLD.items():
        text = text.replace(old, new)
    return text


_WORD_LETTERS = LANGID_WORD_LETTER_RANGES
_WORD = re.compile(f"[{_WORD_LETTERS}]+")
# `ال` first, the letter that may not stand before it checked after it: a literal prefix lets the
# regex engine skip to each `ال` instead of trying the look-behind at every character.
_ARTICLE_WORD = re.compile(f"ال(?<![{_WORD_LETTERS}]ال)[{_WORD_LETTERS}]{{2,}}")


@dataclass(frozen=True)
class Guess:
    language: str
    score: float


_VOTING_LETTERS = "".join(_EXCLUSIVE_LETTERS.values()) + _NOT_ARABIC + _ARABIC_LETTERS


def _languages_of_words(function_words: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """Each function word with the languages it belongs to, in the order of ``function_words``."""
    languages: dict[str, tuple[str, ...]] = {}
    for lang, words_of_lang in function_words.items():
        for word in words_of_lang:
            languages[word] = languages.get(word, ()) + (lang,)
    return languages


_WORD_LANGUAGES = _languages_of_words(_FUNCTION_WORDS)


class _Votes(dict[str, float]):
    """Votes by language: a Counter (0 for a language without votes, ``most_common``) whose votes
    may be halves, where a Counter's are counts."""

    def __missing__(self, key: str) -> float:
        return 0

    def most_common(self) -> list[tuple[str, float]]:
        return sorted(self.items(), key=itemgetter(1), reverse=True)


def _arabic_script_votes(text: str) -> _Votes:
    """Evidence for each Arabic-script language, from letters and function words."""
    letters = {ch: text.count(ch) for ch in _VOTING_LETTERS}  # str.count is far faster than a translate table
    votes = _Votes()
    for lang, exclusive in _EXCLUSIVE_LETTERS.items():
        n = sum(letters[ch] for ch in exclusive)
        if n:
            votes[lang] += 3 * n
    not_arabic = sum(letters[ch] for ch in _NOT_ARABIC)
    arabic = sum(letters[ch] for ch in _ARABIC_LETTERS)
    if votes["ug"]:
        arabic -= letters["ى"]  # Uyghur writes its vowel i with ى
    folded = _fold_letters(text)
    words = Counter(_WORD.findall(folded))
    # Each function word once, with its count, in the order words first occur (the order votes are cast in).
    for word in [word for word in words if word in _WORD_LANGUAGES]:
        for lang in _WORD_LANGUAGES[word]:
            votes[lang] += 2 * words[word]
    articles = len(_ARTICLE_WORD.findall(folded))  # the words of more than three letters that start with ال
    votes["ar"] += arabic + articles
    # پ چ ژ گ ی ک speak against Arabic, for whichever Persian-family language the words favour.
    if not_arabic:
        family = max(("fa", "ur", "ps", "ckb", "ug"), key=lambda lang: (votes[lang], lang == "fa"))
        votes[family] += 0.5 * not_arabic
    return votes


def _decide_arabic_script(text: str, allowed: Optional[frozenset[str]]) -> Optional[Guess]:
    """A confident guess from letters and words, or None to leave it to langdetect."""
    votes = _arabic_script_votes(text)
    ranked = [(lang, v) for lang, v in votes.most_common() if v > 0 and (allowed is None or lang in allowed)]
    if not ranked:
        return None
    best, best_votes = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if (best_votes >= 6 and best_votes >= 3 * second) or (best_votes >= 3 and second == 0):
        return Guess(best, round(best_votes / (best_votes + second), 4))
    return None


# Cyrillic letters that only some of langdetect's Cyrillic languages use.
_CYRILLIC_LETTERS = {"ru": "ыэ", "uk": "іїєґ", "mk": "ѓќѕљњџј"}


def _decide_cyrillic(text: str, allowed: Optional[frozenset[str]]) -> Optional[Guess]:
    """Russian (ы э), Ukrainian (і ї є ґ) and Macedonian (ѓ ќ ѕ љ њ џ ј) by their own letters."""
    lower = text.lower()
    found = {lang for lang, letters in _CYRILLIC_LETTERS.items() if any(ch in lower for ch in letters)}
    if len(found) == 1:
        lang = found.pop()
        if allowed is None or lang in allowed:
            return Guess(lang, 1.0)
    return None


# --- langdetect ----------------------------------------------------------------------------------

_lock = threading.Lock()
_profiles: dict[tuple[str, ...], _Profiles] = {}


class _Profiles:
    """langdetect's profiles of some languages, as langdetect's DetectorFactory reads them, kept as
    one row of probabilities an n-gram (``rows``, ``index``) instead of a list of floats each."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        import os

        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        factory = DetectorFactory()
        profiles = []
        for lang in languages:
            with open(os.path.join(PROFILES_DIRECTORY, lang), encoding="utf-8") as handle:
                profiles.append(handle.read())
        factory.load_json_profile(profiles)
        self.languages: list[str] = list(factory.langlist)
        self.index: dict[str, int] = {gram: i for i, gram in enumerate(factory.word_lang_prob_map)}
        self.rows: npt.NDArray[np.float64] = np.array(list(factory.word_lang_prob_map.values()), dtype=np.float64)
        self.words: dict[str, list[int]] = {}  # _ngrams of each word met, remembered


def _profiles_of(languages: tuple[str, ...]) -> _Profiles:
    """The profiles of ``languages``, read once, under a lock (langdetect's loader is not thread-safe)."""
    found = _profiles.get(languages)
    if found is None:
        with _lock:
            found = _profiles.get(languages)
            if found is None:
                found = _profiles[languages] = _Profiles(languages)
    return found


def sample(text: str, limit: Optional[int] = None) -> str:
    """The first ``limit`` (default SAMPLE_CHARS) characters, cut at a word boundary."""
    limit = limit or SAMPLE_CHARS
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", limit // 2, limit)
    return text[: cut if cut > 0 else limit]


# langdetect's Detector, computed the same way to the last bit (tests/test_langid.py compares the
# two), at a fraction of the cost: its character normalization is one translate table, and each
# trial multiplies the probabilities of all languages at once, five n-grams between two
# normalizations, where langdetect loops over languages for each n-gram. Its constants:
_TRIALS = 7
_ALPHA, _ALPHA_WIDTH, _BASE_FREQ = 0.5, 0.05, 10000
_ITERATION_LIMIT, _CONVERGED, _MIN_PROBABILITY = 1000, 0.99999, 0.1
_MAX_TEXT = 10000
_SPACES = re.compile(" {2,}")
_LATIN_OF_LANGDETECT = re.compile("[A-z]")  # langdetect's 'A' <= ch <= 'z', [ \\ ] ^ _ ` included
_NOT_LATIN_OF_LANGDETECT = re.compile("[^\x00-\u02ff]")


class _Normalized(dict[int, str]):
    """translate() table: each character to langdetect's NGram.normalize of it (remembered)."""

    def __missing__(self, key: int) -> str:
        from langdetect.utils.ngram import NGram

        self[key] = NGram.normalize(chr(key))
        return self[key]


_NORMALIZED = _Normalized()


def _langdetect_text(text: str) -> str:
    """The text langdetect's Detector reads: append() (addresses out, Vietnamese marks joined, runs of
    spaces as one) and cleaning_text() (Latin letters out of a text mostly in other letters)."""
    from langdetect.detector import Detector
    from langdetect.utils.ngram import NGram

    text = Detector.URL_RE.sub(" ", text)
    text = Detector.MAIL_RE.sub(" ", text)
    text = _SPACES.sub(" ", NGram.normalize_vi(text)[:_MAX_TEXT])
    # langdetect compares unicode_block(ch), a number, with a block's name: every character from
    # U+0300 counts as not Latin.
    if 2 * len(_LATIN_OF_LANGDETECT.findall(text)) < len(_NOT_LATIN_OF_LANGDETECT.findall(text)):
        text = _LATIN_OF_LANGDETECT.sub("", text)
    return text


def _word_ngrams(word: str, index: Mapping[str, int]) -> list[int]:
    """The rows of the n-grams langdetect's _extract_ngrams finds in ``word``, its characters
    normalized, after a space (langdetect's n-grams start again after every space, so a text's are
    its words' in turn; a word followed by a space is given with that space)."""
    found: list[int] = []
    grams, capital = " ", False
    for ch in word:
        last = grams[-1]
        if len(grams) >= 3:
            grams = grams[1:]
        grams += ch
        if ch.isupper():
            if last.isupper():
                capital = True
        else:
            capital = False
        if capital:
            continue
        if ch != " ":
            row = index.get(ch)
            if row is not None:
                found.append(row)
        row = index.get(grams[-2:])
        if row is not None:
            found.append(row)
        if len(grams) == 3:
            row = index.get(grams)
            if row is not None:
                found.append(row)
    return found


# Words whose n-grams are remembered, for each set of profiles, before the memory starts again.
_REMEMBERED_WORDS = 100_000


def _ngrams(text: str, profiles: _Profiles) -> list[int]:
    """The rows of the 1-, 2- and 3-grams langdetect's _extract_ngrams finds in ``text``, in its order."""
    found: list[int] = []
    words = text.translate(_NORMALIZED).split(" ")
    known = profiles.words
    for i, word in enumerate(words):
        if word:
            if i < len(words) - 1:
                word += " "
            rows = known.get(word)
            if rows is None:
                if len(known) >= _REMEMBERED_WORDS:
                    known.clear()
                rows = known[word] = _word_ngrams(word, profiles.index)
            found += rows
    return found


# langdetect seeds a new random.Random with the same seed for every text, so every text's draws are
# read from one stream of the Mersenne Twister's 32-bit words (computed once, longer when a text
# needs more), as Random computes them from its words:
# - choice(seq): seq[r] for the first r < len(seq) among getrandbits(k), k = len(seq).bit_length(),
#   each the next word shifted right by 32 - k;
# - gauss(): from two random() (each from two words), a pair of values, the second kept for the next call.
# _stream_matches_random checks this against random.Random once; where it does not hold, the draws
# are Random's own.
_stream_lock = threading.Lock()
_stream_words: list[npt.NDArray[np.uint32]] = []
_stream_source = random.Random(_SEED)


def _stream(end: int) -> npt.NDArray[np.uint32]:
    """The first ``end`` (at least) words drawn by Random(_SEED)."""
    words = _stream_words[0] if _stream_words else np.empty(0, dtype=np.uint32)
    if len(words) < end:
        with _stream_lock:
            words = _stream_words[0] if _stream_words else np.empty(0, dtype=np.uint32)
            if len(words) < end:
                more = max(end - len(words), len(words), 4096)
                bits = _stream_source.getrandbits(32 * more).to_bytes(4 * more, "little")
                words = np.concatenate((words, np.frombuffer(bits, dtype=np.uint32)))
                _stream_words[:] = [words]
    return words


def _uniform(high: int, low: int) -> float:
    """Random.random() from its two words."""
    return ((high >> 5) * 67108864.0 + (low >> 6)) * (1.0 / 9007199254740992.0)


def _gauss_pair(words: npt.NDArray[np.uint32], at: int) -> tuple[float, float]:
    """The two values of Random.gauss() from the four words at ``at``."""
    x2pi = _uniform(int(words[at]), int(words[at + 1])) * 2.0 * math.pi
    g2rad = math.sqrt(-2.0 * math.log(1.0 - _uniform(int(words[at + 2]), int(words[at + 3]))))
    return math.cos(x2pi) * g2rad, math.sin(x2pi) * g2rad


class _Draws:
    """langdetect's draws for one text of ``size`` n-grams: from the stream, or (``own``) from a
    Random of its own, drawn one by one as langdetect draws them."""

    def __init__(self, size: int, own: bool) -> None:
        self.size, self.shift = size, np.uint32(32 - size.bit_length())
        self.random = random.Random(_SEED) if own else None
        self.at = 0  # the stream's next word
        self.kept: Optional[float] = None
        self.words: npt.NDArray[np.intp] = np.empty(0, dtype=np.intp)

    def gauss(self) -> float:
        if self.random is not None:
            return self.random.gauss(0.0, 1.0)
        z, self.kept = self.kept, None
        if z is None:
            z, self.kept = _gauss_pair(_stream(self.at + 4), self.at)
            self.at += 4
        return 0.0 + z * 1.0

    def picks(self, picked: npt.NDArray[np.intp], count: int) -> npt.NDArray[np.intp]:
        """The trial's n-grams so far, ``picked``, and more: at least ``count`` in all (exactly, from Random)."""
        if self.random is not None:
            choices = range(self.size)
            more = [self.random.choice(choices) for _ in range(count - len(picked))]
            return np.concatenate((picked, np.array(more, dtype=np.intp)))
        span = 2 * count + 32
        while True:
            values: npt.NDArray[np.uint32] = _stream(self.at + span)[self.at : self.at + span] >> self.shift
            kept = np.flatnonzero(values < self.size)
            if len(kept) >= count:
                self.words = kept + 1  # the words taken up to each n-gram
                drawn: npt.NDArray[np.intp] = values[kept].astype(np.intp)
                return drawn
            span *= 2

    def trial_done(self, used: int) -> None:
        if self.random is None:
            self.at += int(self.words[used - 1])


_stream_checked: list[bool] = []


def _stream_matches_random() -> bool:
    """Whether _Draws from the stream draws what random.Random draws on this Python (checked once)."""
    if not _stream_checked:
        same = True
        for size in (1, 3, 100, 647, 5000):
            expected, draws = random.Random(_SEED), _Draws(size, own=False)
            for trial in range(3):
                same = same and draws.gauss() == expected.gauss(0.0, 1.0)
                picked = draws.picks(np.empty(0, dtype=np.intp), 40 + trial).tolist()[: 40 + trial]
                draws.trial_done(40 + trial)
                same = same and picked == [expected.choice(range(size)) for _ in range(40 + trial)]
        _stream_checked.append(same)
    return _stream_checked[0]


def _detect_block(profiles: _Profiles, rows: list[int]) -> list[float]:
    """langdetect's _detect_block over the n-grams ``rows``: the languages' probabilities.

    A trial's rows: its probabilities, then weight + the probabilities of each n-gram drawn. A block
    (langdetect normalizes after its first n-gram, then after every fifth) is the product of its rows,
    row after row as langdetect multiplies, normalized into its last row, where the next block starts."""
    grams = profiles.rows[rows]
    n = len(profiles.languages)
    draws = _Draws(len(rows), own=not _stream_matches_random())
    ahead = 1 if draws.random is not None else 64
    total = np.zeros(n)
    for _ in range(_TRIALS):
        weight = (_ALPHA + draws.gauss() * _ALPHA_WIDTH) / _BASE_FREQ
        picked = draws.picks(np.empty(0, dtype=np.intp), ahead)
        chain = np.empty((len(picked) + 1, n))
        chain[0] = 1.0 / n
        np.add(grams[picked], weight, out=chain[1:])
        start, i, block = 0, 0, 1
        while True:
            end = start + block
            if end >= len(chain):
                done = len(picked)
                picked = draws.picks(picked, end if draws.random is not None else 2 * end)
                chain = np.concatenate((chain, np.empty((len(picked) - done, n))))
                np.add(grams[picked[done:]], weight, out=chain[done + 1 :])
            product = np.multiply.reduce(chain[start : end + 1], axis=0)
            values = product.tolist()
            whole = sum(values)  # Python's sum, in langdetect's order
            np.divide(product, whole, out=chain[end])
            i += block - 1
            if max(values) / whole > _CONVERGED or i >= _ITERATION_LIMIT:
                break
            start, i, block = end, i + 1, 5
        draws.trial_done(end)
        total += chain[end] / _TRIALS
    return [float(p) for p in total]


def _langdetect(text: str, languages: tuple[str, ...]) -> Optional[Guess]:
    if not languages:
        return None
    if len(languages) == 1:
        return Guess(languages[0], 1.0)
    profiles = _profiles_of(languages)
    rows = _ngrams(_langdetect_text(sample(text)), profiles)
    if not rows:
        return None
    probabilities = _detect_block(profiles, rows)
    ranked = [(p, lang) for lang, p in zip(profiles.languages, probabilities) if p > _MIN_PROBABILITY]
    if not ranked:
        return None
    best, lang = max(ranked, key=itemgetter(0))  # the first of the most probable, as langdetect's sort
    return Guess(lang, round(best, 4))


# --- the detector ---------------------------------------------------------------------------------


def detect(text: Optional[str], allowed: Optional[Iterable[str]] = None) -> Guess:
    """The language of ``text``; ``allowed`` restricts the candidates (e.g. {"fa", "ar", "id"})."""
    allowed_set = frozenset(allowed) if allowed is not None else None
    if not text:
        return Guess(UNDETERMINED, 0.0)
    head = _without_addresses(sample(text, 4 * SAMPLE_CHARS))
    counts = script_counts(head)
    letters = sum(counts.values())
    if letters < MIN_LETTERS:
        return Guess(UNDETERMINED, 0.0)
    script = _main_script(counts, letters)
    share = counts[script] / letters
    if script == "arabic":
        guess = _decide_arabic_script(head, allowed_set)
        if guess is None:
            candidates = tuple(l for l in _LANGDETECT_BY_SCRIPT["arabic"] if _is_allowed(l, allowed_set))
            guess = _langdetect(_without_latin_words(head), candidates)
        return guess or Guess(UNDETERMINED, 0.0)
    if script in _SINGLE_LANGUAGE:
        lang = _SINGLE_LANGUAGE[script]
        if allowed_set is not None and lang not in allowed_set:
            return Guess(UNDETERMINED, 0.0)
        return Guess(lang, round(share, 4))
    if script == "cyrillic" and (guess := _decide_cyrillic(head, allowed_set)) is not None:
        return guess
    if script == "latin":
        return _weak_when_short(head, _malay_or_indonesian(head, _detect_latin(head, allowed_set), allowed_set))
    candidates = tuple(lang for lang in _LANGDETECT_BY_SCRIPT.get(script, ()) if _is_allowed(lang, allowed_set))
    guess = _langdetect(_without_latin_words(head), candidates)
    if guess is not None and guess.language in _LANGDETECT_CODES:
        guess = Guess(_LANGDETECT_CODES[guess.language], guess.score)
    return guess or Guess(UNDETERMINED, 0.0)


def _detect_latin(head: str, allowed: Optional[frozenset[str]]) -> Guess:
    """A Latin-script text: its function words when they are clear, else langdetect. Malay is
    searched for as Indonesian (`_malay_or_indonesian` tells them apart afterwards)."""
    if allowed is not None and MALAY in allowed:
        allowed = allowed | {INDONESIAN}
    guess = _decide_latin(head, allowed)
    if guess is None:
        guess = _langdetect(head, tuple(lang for lang in _LANGDETECT_BY_SCRIPT["latin"] if _is_allowed(lang, allowed)))
    return guess or Guess(UNDETERMINED, 0.0)


# --- Malay against Indonesian -----------------------------------------------------------------------

# langdetect has no Malay profile and calls Malay `id`. A text it calls `id` is scored by naive
# Bayes: the sum, over its words (any case), of log10(frequency in Malay / frequency in Indonesian),
# read from `ms_id_words.tsv.gz` (derived from wordfreq's Malay and Indonesian word lists by
# tools/build_ms_id_lexicon.py; each word at most 1.5 either way). The hand-written words of
# `[langid] evidence` (ms.toml, id.toml) count EVIDENCE_WEIGHT instead, for Malay or for Indonesian,
# and ms.toml's `weak_evidence` (words Indonesian writes too, in a formal style) WEAK_EVIDENCE of it.
# The text is Malay when the sum is above MALAY_THRESHOLD (chosen on the dev halves of
# benchmarks/langid); else it stays `id`.
MALAY_THRESHOLD = 2.75
EVIDENCE_WEIGHT = 3.0
WEAK_EVIDENCE = 0.5
_EVIDENCE: dict[str, frozenset[str]] = {
    lang: frozenset(words_of_lang) for lang, words_of_lang in by_language("langid", "evidence").items()
}
_WEAK_MALAY = frozenset(value(MALAY, "langid", "weak_evidence", ()))
_EVIDENCE_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _evidence_tokens(text: str) -> list[str]:
    """The words of ``text``, lower-cased, without soft hyphens (a word broken by one is the whole word)."""
    return _EVIDENCE_TOKEN.findall(text.lower().replace(SOFT_HYPHEN, ""))


def evidence_counts(text: str) -> tuple[float, int, int]:
    """(Malay evidence, Indonesian evidence, words) of ``text``: its words (whole words, any case)
    in each hand-written list, Malay's weak words counting WEAK_EVIDENCE."""
    malay = 0.0
    indonesian = 0
    tokens = _evidence_tokens(text)
    for token in tokens:
        if token in _EVIDENCE[MALAY]:
            malay += 1
        elif token in _WEAK_MALAY:
            malay += WEAK_EVIDENCE
        elif token in _EVIDENCE[INDONESIAN]:
            indonesian += 1
    return malay, indonesian, len(tokens)


_ratio_lock = threading.Lock()
_ratios: dict[str, float] = {}


def malay_ratios() -> dict[str, float]:
    """log10(frequency in Malay / in Indonesian) of each word of `ms_id_words.tsv.gz`; read once."""
    if not _ratios:
        with _ratio_lock:
            if not _ratios:
                import gzip
                from importlib import resources as package_files

                source = package_files.files("newsingest.resources").joinpath("ms_id_words.tsv.gz")
                with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
                    read = {}
                    for line in lines:
                        if not line.startswith("#"):
                            word, ratio = line.rstrip("\n").split("\t")
                            read[word] = int(ratio) / 100
                _ratios.update(read)
    return _ratios


def malay_score(text: str) -> float:
    """The naive-Bayes score of ``text``, Malay against Indonesian (log10 odds, before the
    threshold): a word of the hand-written lists counts ±EVIDENCE_WEIGHT, any other word (each
    part of a hyphenated one, as wordfreq counts them) its ratio, a word of neither nothing."""
    ratios = malay_ratios()
    malay, indonesian, weak = _EVIDENCE[MALAY], _EVIDENCE[INDONESIAN], _WEAK_MALAY
    score = 0.0
    for token in _evidence_tokens(text):
        if token in malay:
            score += EVIDENCE_WEIGHT
        elif token in weak:
            score += WEAK_EVIDENCE * EVIDENCE_WEIGHT
        elif token in indonesian:
            score -= EVIDENCE_WEIGHT
        elif "-" in token:
            score += sum(ratios.get(part, 0.0) for part in token.split("-"))
        else:
            score += ratios.get(token, 0.0)
    return score


def _malay_or_indonesian(text: str, guess: Guess, allowed: Optional[frozenset[str]]) -> Guess:
    """``guess``, or Malay when it says Indonesian and the words say Malay (or only Malay is allowed).
    Malay's score: the smaller of langdetect's and the probability the naive-Bayes margin gives."""
    if guess.language != INDONESIAN or (allowed is not None and MALAY not in allowed):
        return guess
    if allowed is not None and INDONESIAN not in allowed:
        return Guess(MALAY, guess.score)
    margin = malay_score(text) - MALAY_THRESHOLD
    if margin > 0:
        return Guess(MALAY, round(min(guess.score, 1 / (1 + 10 ** -min(margin, 10.0))), 4))
    return guess


# --- short texts ----------------------------------------------------------------------------------------

# A Latin-script text of fewer lower-case words than this (a site name, a credit line, a byline:
# names in capitals) keeps its label with a score below 0.5, a weak guess: langdetect's score
# times (lower-case words / SHORT_WORDS) / 2. Only the first SHORT_WORDS_WITHIN characters are read.
SHORT_WORDS = 6
SHORT_WORDS_WITHIN = 300
_SCORED_WORD = re.compile(r"[^\W\d_]{2,}")


def _weak_when_short(text: str, guess: Guess) -> Guess:
    if guess.language == UNDETERMINED:
        return guess
    n = 0
    for word in _SCORED_WORD.finditer(text, 0, SHORT_WORDS_WITHIN):
        if word.group()[0].islower():
            n += 1
            if n >= SHORT_WORDS:
                return guess
    return Guess(guess.language, round(guess.score * n / SHORT_WORDS / 2, 4))


# langdetect's codes that are not ISO 639-1 language codes.
_LANGDETECT_CODES = {"zh-cn": "zh", "zh-tw": "zh"}


def _is_allowed(code: str, allowed: Optional[frozenset[str]]) -> bool:
    return allowed is None or _LANGDETECT_CODES.get(code, code) in allowed
# Latin words (names, interface strings, URLs, HTTP headers) get into texts of every script;
# the reverse is rare. A text whose letters are this much in another script is in that script.
_OTHER_SCRIPT_OVER_LATIN = 0.2


def _main_script(counts: Counter[str], letters: int) -> str:
    ranked = counts.most_common()
    script = ranked[0][0]
    if script == "latin":
        for other, n in ranked[1:]:
            if n >= MIN_LETTERS and n / letters >= _OTHER_SCRIPT_OVER_LATIN:
                return other
    return script


# URLs, e-mail addresses and handles are written in Latin letters whatever the language.
# An address is tried only where a word starts (it can match nowhere else: once it fails at a
# word's start it fails at every later place in the word) and up to the word's first `@` (if a
# later `@` works, the first does too): `\S+@\S+\.\S+` tried everywhere took cubic time on `@@@…`.
_NOT_LANGUAGE = re.compile(r"(?:https?://|www\.)\S+|(?<!\S)\S[^\s@]*@\S+\.\S+|[@#]\w+")


def _without_addresses(text: str) -> str:
    """``text`` with _NOT_LANGUAGE blanked out. Each of its forms holds `://`, `www.`, `@` or `#`;
    a text with none of them (most) is spared the regex, which tries an address at every position."""
    if "://" in text or "www." in text or "@" in text or "#" in text:
        return _NOT_LANGUAGE.sub(" ", text)
    return text


_LATIN_WORDS = re.compile(f"[{_SCRIPT_RANGES['latin']}]+")


def _without_latin_words(text: str) -> str:
    """A non-Latin text without its Latin words (names, URLs), which only mislead langdetect."""
    return _LATIN_WORDS.sub(" ", text)


def detect_language(text: Optional[str], allowed: Optional[Iterable[str]] = None) -> tuple[str, float]:
    """(language code, score), as a record of this text gets them (`identify`); ``("und", 0.0)`` when
    there is too little text to tell. Never raises."""
    found = identify(text or "", allowed)
    return found.language, found.score


# --- mixed-language texts ---------------------------------------------------------------------------

# A language holds a real part of a text when it has at least this share of its letters.
MIXED_MIN_SHARE = 0.15
# Paragraphs are detected in chunks of about this many characters (langdetect's accuracy
# needs some text; its cost is per call), and at most MAX_CHUNKS of them, spread over the text.
CHUNK_CHARS = 600
MAX_CHUNKS = 8


_BLANK_LINE = re.compile(r"\n\s*\n")


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Where each of `paragraphs` lies in ``text``: (start, end)."""
    spans: list[tuple[int, int]] = []
    start = 0
    if _BLANK_LINE.search(text):
        for blank in _BLANK_LINE.finditer(text):
            spans.append((start, blank.start()))
            start = blank.end()
    else:
        end = text.find("\n")
        while end >= 0:
            spans.append((start, end))
            start, end = end + 1, text.find("\n", end + 1)
    spans.append((start, len(text)))
    return [(start, end) for start, end in spans if not text[start:end].isspace() and end > start]


def paragraphs(text: str) -> list[str]:
    """Paragraphs: blocks between blank lines, or lines when the text has no blank line."""
    return [text[start:end] for start, end in _paragraph_spans(text)]


def _span_script_counts(
    tags: npt.NDArray[np.uint8], present: list[int], spans: list[tuple[int, int]]
) -> list[dict[str, int]]:
    """`script_counts` of each span of a text whose `_tag_array` is ``tags`` (``present``: the
    tags it holds), scripts in the order they first occur in the span; from the places of each
    script's letters, one search a script for all spans at once."""
    edges = np.array(spans, dtype=np.intp).reshape(-1)
    found: list[tuple[str, list[int], list[int]]] = []
    for tag in present:
        places = np.flatnonzero(tags == tag)
        within = np.searchsorted(places, edges).reshape(-1, 2)
        firsts = places[np.minimum(within[:, 0], len(places) - 1)]
        found.append((_SCRIPT_NAMES[chr(tag)], (within[:, 1] - within[:, 0]).tolist(), firsts.tolist()))
    if len(found) == 1:
        name, counts, _ = found[0]
        return [{name: n} if n else {} for n in counts]
    result = []
    for i in range(len(spans)):
        held = sorted((firsts[i], name, n[i]) for name, n, firsts in found if n[i])
        result.append({name: n for _, name, n in held})
    return result


def _chunks(text: str, tags: npt.NDArray[np.uint8], present: list[int]) -> list[tuple[str, Counter[str]]]:
    """The `paragraphs` of ``text`` (its `_tag_array` ``tags``, holding the tags ``present``),
    consecutive ones joined up to CHUNK_CHARS; a new chunk starts where the script changes.
    Each comes with its `script_counts`, the sum of its paragraphs'."""
    spans = _paragraph_spans(text)
    chunks: list[tuple[str, Counter[str]]] = []
    current: list[str] = []
    current_counts: dict[str, int] = {}
    size, script = 0, None
    for (start, end), counts in zip(spans, _span_script_counts(tags, present, spans)):
        block_script = max(counts, key=counts.__getitem__) if counts else script  # the first of the largest
        if current and (size >= CHUNK_CHARS or block_script != script):
            chunks.append(("\n".join(current), Counter(current_counts)))
            current, size, current_counts = [], 0, {}
        current.append(text[start:end])
        for name, n in counts.items():
            current_counts[name] = current_counts.get(name, 0) + n
        size += end - start
        script = block_script
    if current:
        chunks.append(("\n".join(current), Counter(current_counts)))
    return chunks


# The commonest words of Latin-script languages: a paragraph whose words agree with the
# article's language needs no langdetect call to say so.
# (`[langid] function_words` of the other languages, in the order of `[langid] latin_order`: ties go to the first.)
_LATIN_ORDER = [*words("langid", "latin_order"), *languages()]
_LATIN_FUNCTION_WORDS = {
    lang: frozenset(value(lang, "langid", "function_words"))
    for lang in dict.fromkeys(_LATIN_ORDER)
    if lang not in ARABIC_SCRIPT_LANGUAGES and value(lang, "langid", "function_words")
}
_LATIN_TOKEN = re.compile(r"[^\W\d_]+")
_LATIN_WORD_LANGUAGES = _languages_of_words(_LATIN_FUNCTION_WORDS)
# Function words a text needs before they decide its language without langdetect: at least
# _CLEAR_LATIN_WORDS of one language, three times the runner-up's; or, in a short text, at least
# SHORT_CLEAR_WORDS, three times the runner-up's, among them SHORT_CLEAR_LONG_WORDS different words
# of three letters or more (the words of one or two letters, `na`, `on`, `se`, `o`, are the ones other
# languages write too: Czech, Finnish, Tagalog texts got a Portuguese or English majority of them).
# Chosen on the development sentences and articles cut to 250 characters (docs/language-id.md):
# no label it gives differs from langdetect's right one there, on the held-out halves of the
# Malay and Indonesian sets, or on texts drawn from the word frequencies of 26 Latin-script languages.
_CLEAR_LATIN_WORDS = 12
SHORT_CLEAR_WORDS = 3
SHORT_CLEAR_LONG_WORDS = 3
_CLEAR_RATIO = 3


def _latin_votes(text: str) -> tuple[Counter[str], Counter[str]]:
    """The function words of each language in ``text``: how many (each occurrence), and how many
    different ones of three letters or more."""
    hits: Counter[str] = Counter()
    long: Counter[str] = Counter()
    words = Counter(_LATIN_TOKEN.findall(text.lower()))
    # Each function word once, with its count, in the order words first occur (the order votes are cast in).
    for word in [word for word in words if word in _LATIN_WORD_LANGUAGES]:
        for lang in _LATIN_WORD_LANGUAGES[word]:
            hits[lang] += words[word]
            if len(word) >= 3:
                long[lang] += 1
    return hits, long


def _latin_word_votes(text: str) -> Counter[str]:
    return _latin_votes(text)[0]


def _decide_latin(text: str, allowed: Optional[frozenset[str]]) -> Optional[Guess]:
    """A Latin-script text whose commonest words clearly belong to one language (_CLEAR_LATIN_WORDS)
    is in that language."""
    hits, long = _latin_votes(text)
    ranked = [(lang, n) for lang, n in hits.most_common() if allowed is None or lang in allowed]
    if not ranked:
        return None
    best, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    if n >= _CLEAR_RATIO * second and (
        n >= _CLEAR_LATIN_WORDS or (n >= SHORT_CLEAR_WORDS and long[best] >= SHORT_CLEAR_LONG_WORDS)
    ):
        return Guess(best, round(n / (n + second), 4))
    return None


def _agrees_with(chunk: str, main: str) -> bool:
    """Whether a Latin-script chunk's function words say it is in ``main`` (without langdetect)."""
    if main == MALAY:  # Malay shares Indonesian's function words
        main = INDONESIAN
    vocabulary = _LATIN_FUNCTION_WORDS.get(main)
    if vocabulary is None:
        return False
    hits = _latin_word_votes(chunk)
    return hits[main] >= 2 and hits[main] >= max(hits.values())


# An Arabic-script text decided by its letters and words at least this clearly is in one
# language; a second language would have split the votes.
_CLEAR_ARABIC_SCRIPT = 0.9


def language_shares(
    text: str, allowed: Optional[Iterable[str]] = None, main: Optional[str] = None, main_score: float = 0.0
) -> Optional[dict[str, float]]:
    """Share of the text's letters in each language, by paragraph, when more than one language
    holds a real part of it; None for a text in one language. ``main`` and ``main_score``, the
    text's language and score when known, spare the detection of paragraphs that cannot change it."""
    tags = _tag_array(text)
    present = [tag for tag in np.flatnonzero(np.bincount(tags)).tolist() if tag]  # the tags it holds
    clear_arabic = main in ARABIC_SCRIPT_LANGUAGES and main_score >= _CLEAR_ARABIC_SCRIPT
    if clear_arabic and present in ([], [ord(_ARABIC_TAG)]):
        return None  # every chunk would be Arabic script
    chunks = _chunks(text, tags, present)
    if len(chunks) < 2:
        return None
    if clear_arabic:
        scripts = {counts.most_common(1)[0][0] for _, counts in chunks if counts}
        if scripts <= {"arabic"}:
            return None
    if len(chunks) > MAX_CHUNKS:  # a long text: chunks spread evenly over it
        step = len(chunks) / MAX_CHUNKS
        chunks = [chunks[int(i * step)] for i in range(MAX_CHUNKS)]
    letters_by_lang: Counter[str] = Counter()
    latin: list[tuple[str, int]] = []  # Latin chunks not in `main`: langdetect's, among 31 languages
    for chunk, counts in chunks:
        letters = sum(counts.values())
        if counts and counts.most_common(1)[0][0] == "latin":
            if main and _agrees_with(chunk, main):
                letters_by_lang[main] += letters
            else:
                latin.append((chunk, letters))
        else:
            letters_by_lang[detect(chunk, allowed).language] += letters
    if latin:
        # Detected last, and not at all when they are too short for a language of their own
        # and could lift at most one language to a real part: the answer is None whatever they are.
        rest = sum(letters for _, letters in latin)
        total = sum(letters_by_lang.values()) + rest
        if not total:
            return None
        if rest / total < MIXED_MIN_SHARE:
            reachable = [
                lang for lang, n in letters_by_lang.items()
                if lang != UNDETERMINED and (n + rest) / total >= MIXED_MIN_SHARE
            ]
            if len(reachable) < 2:
                return None
        for chunk, letters in latin:
            letters_by_lang[detect(chunk, allowed).language] += letters
    total = sum(letters_by_lang.values())
    real = {
        lang: n / total for lang, n in letters_by_lang.items() if lang != UNDETERMINED and n / total >= MIXED_MIN_SHARE
    } if total else {}
    if len(real) < 2:
        return None
    return {lang: round(share, 3) for lang, share in sorted(real.items(), key=lambda item: (-item[1], item[0]))}


@dataclass(frozen=True)
class Identification:
    """What `split` stores of a text's language: ``language`` and ``score`` (a record's `language`
    and `language_score`) and, for a text that mixes languages, each one's share of its letters
    (`languages`; None for a text in one language)."""

    language: str
    score: float
    shares: Optional[dict[str, float]] = None


def identify(text: str, allowed: Optional[Iterable[str]] = None) -> Identification:
    """The language of a text as a whole: the language of most of its paragraphs when it mixes
    languages (a long Persian article with an English abstract is Persian), else `detect`'s."""
    allowed = frozenset(allowed) if allowed is not None else None
    guess = detect(text, allowed)
    shares = language_shares(text, allowed, guess.language, guess.score)
    if shares and next(iter(shares)) != guess.language:
        main = next(iter(shares))
        return Identification(main, shares[main], shares)
    return Identification(guess.language, guess.score, shares)
