"""Restore lost zero-width non-joiners (ZWNJ, U+200C) in Persian text.

restore_zwnj(text) repairs two kinds of damage:
  * glued words      میشود -> می‌شود, همکاریهای -> همکاری‌های, بینالمللی -> بین‌المللی
  * spaced words     می شود -> می‌شود, کتاب ها -> کتاب‌ها
Input is expected to have gone through the earlier Persian rules: Arabic ي/ك
unified to Persian ی/ک, bidi marks turned into ZWNJs, stray ZWNJs cleaned up.

Design: precision first.  A ZWNJ is inserted only when a frequency lexicon
(wordfreq's Persian list and the PerDT treebank's train split: newsingest/resources/README.md;
built by tools/build_fa_lexicon.py) attests the ZWNJ spelling, or
when a productive morpheme boundary (verbal prefix می/نمی, plural ها, enclitics
after final ه, comparative تر/ترین) meets a known stem AND the glued spelling is
not itself a known word.  Frequencies are Zipf values (log10 per billion);
words missing from the list are below 3.0 and treated as 0.
"""
from __future__ import annotations

import gzip
import os
import re
import threading
from importlib import resources
from typing import Callable, Optional, Union

from ...script import ALM, LRM, NON_JOINING_LETTERS, RLM, WORD_LETTER_RANGES, WORD_LETTERS, WORD_MARK_RANGES, ZWJ, ZWNJ
from .rules import Rule

# Letters that never join the following letter: a ZWNJ after them is invisible.
# The same letters zwnj_cleanup treats as non-joining (ۆ, ۇ, ڈ… too): a ZWNJ put after one of
# them would be taken out again by the next normalize, which must change nothing.
NON_JOINING = NON_JOINING_LETTERS

_LETTERS = WORD_LETTER_RANGES
_MARKS = WORD_MARK_RANGES
# A word token: Arabic-script letters, combining marks and ZWNJs (captured: `split` keeps them).
_TOKEN_SPLIT_RE = re.compile(f"([{_LETTERS}{_MARKS}{ZWNJ}]+)")
_HAS_MARK_RE = re.compile(f"[{_MARKS}]")


# The characters of a word that spaced forms join (letters and ZWNJs, no marks).
_TOKEN_CHARS = WORD_LETTERS | {ZWNJ}


def _word_before(text: str, end: int) -> str:
    """The run of `_TOKEN_CHARS` that ends at ``end`` (the word before a space)."""
    start = end
    while start and text[start - 1] in _TOKEN_CHARS:
        start -= 1
    return text[start:end]


# Verbal prefixes, optionally after a preverb (برمی‌گردد, درنمی‌آید).
_PREVERBS = ("", "بر", "در", "فرا", "فرو", "باز", "وا")
VERB_PREFIXES = tuple(sorted({pv + p for pv in _PREVERBS for p in ("می", "نمی")},
                             key=len, reverse=True))
# Person endings stripped to find a verb base (present or past stem).
_PERSON_ENDINGS = ("یم", "ید", "ند", "م", "ی", "د")

# Suffix chains written after a ZWNJ.  Plural ها family: after any joining letter.
PLURAL_CHAINS = ("ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان",
                 "هایشان", "هاست")
# Enclitics and short copulas after a final ه (جامعه‌ای, کرده‌اند, نامه‌اش).
# ات is left out: Arabic plurals in -ات after ه (اشتباهات, توجهات) are common.
HEH_CHAINS = ("ای", "ام", "اش", "اند", "ایم", "اید")
# After final ی only possessives that cannot be Arabic plurals (زندگی‌اش).
YEH_CHAINS = ("ام", "اش")
# Comparative/superlative: only after stems attested as gradable adjectives.
COMPARATIVE_CHAINS = ("تر", "ترین", "تری", "ترها")
# Where Persian spelling allows both (کتابها and کتاب‌ها, بزرگتر and بزرگ‌تر): a text
# that shows its ZWNJs elsewhere wrote these joined on purpose.
_STYLE_SUFFIXES = frozenset(PLURAL_CHAINS + COMPARATIVE_CHAINS)

# Endings of the perfect (کرده‌اند, رفته‌ام) that follow a past participle.
_PERFECT_ENDINGS = frozenset(("اند", "ام", "ایم", "اید", "ای"))
_INTERJECTIONS = frozenset(("اوه", "آوه", "آره"))
# Shape of an unknown verb form after می: stem (2+ letters) + person ending,
# or a bare past stem.  Native verb stems do not start with Arabic-only letters.
_GUESS_VERB_END_RE = re.compile(r"..(ند|ید|یم|د|م)$")
_GUESS_PAST_STEM_RE = re.compile(r".(شت|فت|ست|خت)$|..[دت]ه$")  # also participles: می‌داشته
_NOT_VERB_INITIAL = frozenset("ثحصضطظعءئؤأإة")

# Separate tokens that are really suffixes (spaced form).
_SPACED_HEH_SUFFIXES = frozenset(HEH_CHAINS + ("ات",))
_SPACED_YEH_SUFFIXES = frozenset(("ام", "اش", "ات"))
# Every word that `Restorer._pair` joins to the word before it, when spaced compounds are not joined.
_SPACED_RIGHT = frozenset(PLURAL_CHAINS) | _SPACED_HEH_SUFFIXES | _SPACED_YEH_SUFFIXES | {"ترین", "تر", "تری"}

# How much more frequent (Zipf units) the ZWNJ spelling must be than an
# attested glued spelling before we rewrite the glued one.  Web text glues
# verb prefixes, enclitics and comparatives so often that the glued spelling
# is frequently the more common one (میکنیم 5.06 vs می‌کنیم 4.92), so those
# boundaries accept a ZWNJ spelling up to 10x rarer.  A glued word that is
# much more common than its ZWNJ twin is a real word (میدانی "field" 4.35 vs
# می‌دانی 3.15) or an accepted joined spelling (بیشتر, همچنین).
MARGIN = 0.1
MARGIN_BOUND = -1.0
# A spaced pair X Y is joined as a compound only if "X‌Y" is at least this common
# and not much rarer than Y alone (Y then behaves as a bound fragment: المللی).
COMPOUND_MIN_ZIPF = 3.5
# A compound element opens or closes at least this many ZWNJ spellings of the lexicon.
PRODUCTIVE = 3
# ... and at least this many to split a glued word that has no final ه (its glued spelling looks
# like one word, so more evidence is asked).
STRONG_ELEMENT = 5
COMPOUND_MARGIN = 0.5


def _joins(ch: str) -> bool:
    return ch not in NON_JOINING


# The longest word restore_word splits: two lexicon words (16 letters at most) and a suffix chain.
_MAX_GLUED = 48

# After two letters at least: a single letter before آ is no morpheme (ک‌آمده is a broken word).
_MADDA_RE = re.compile(f"(?<=[{_LETTERS}][^{''.join(NON_JOINING)}{ZWNJ}])آ(?=.)")


def _zwnj_before_madda(w: str) -> str:
    """Insert ZWNJ between a joining letter and a word-internal آ.

    آ opens a morpheme (می‌آید, مسالمت‌آمیز, آسه‌آن, جمع‌آوری); the only glued
    spellings are Arabic loans with مآ/لآ/الآ/المآ (مآخذ, الآن, بالمآل), and a
    misspelt final آ for tanwin (واقعآ).  Only called on unknown words.
    """
    if "آ" not in w[1:-1] or w.startswith(("مآ", "لآ")) or "المآ" in w or "الآ" in w:
        return w
    return _MADDA_RE.sub(ZWNJ + "آ", w)


def _glue(left: str, right: str) -> str:
    """Concatenate with a ZWNJ only where it is visible (left ends joining)."""
    return left + ZWNJ + right if left and _joins(left[-1]) else left + right


class Lexicon:
    """Frequencies plus structures derived from them at load time."""

    def __init__(self, path: Union[str, os.PathLike[str], None] = None, plural_margin: Optional[float] = None):
        # plural_margin=None treats ها like the other bound suffixes (Academy
        # style کتاب‌ها, آن‌ها); MARGIN keeps joined plurals that the web writes
        # joined more often (آنها, سالها), as PerDT does for آنها.
        self.plural_margin = MARGIN_BOUND if plural_margin is None else plural_margin
        source = resources.files("newsingest.resources").joinpath("fa_lexicon.tsv.gz")
        freq: dict[str, float] = {}
        with source.open("rb") if path is None else open(path, "rb") as raw, \
                gzip.open(raw, "rt", encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                w, zipf = line.rstrip("\n").split("\t")
                freq[w] = int(zipf) / 100.0
        self.freq = freq
        # glued spelling -> (most frequent ZWNJ spelling, its zipf)
        glued: dict[str, tuple[str, float]] = {}
        verb_forms = set()      # X such that می‌X or نمی‌X is attested
        adjectives = set()      # stems attested with تر/ترین
        # Compound elements: how many attested ZWNJ spellings a word opens (بی‌, هم‌, نیمه‌) or
        # closes (‌گذاری, ‌سازی, ‌نامه).
        heads: dict[str, int] = {}
        tails: dict[str, int] = {}
        for w, z in freq.items():
            if ZWNJ in w:
                key = w.replace(ZWNJ, "")
                if key not in glued or glued[key][1] < z:
                    glued[key] = (w, z)
                head, _, rest = w.partition(ZWNJ)
                if head in ("می", "نمی") and ZWNJ not in rest and len(rest) >= 2:
                    verb_forms.add(rest)
                tail = rest.rpartition(ZWNJ)[2]
                heads[head] = heads.get(head, 0) + 1
                tails[tail] = tails.get(tail, 0) + 1
            for suf in ("ترین", "تر"):
                if w.endswith(suf):
                    stem = w[: -len(suf)].rstrip(ZWNJ)
                    # Require the superlative or a ZWNJ-marked comparative so
                    # that nouns like دفتر/بستر do not count as adjectives.
                    if len(stem) >= 2 and (suf == "ترین" or w[-3] == ZWNJ):
                        adjectives.add(stem)
        # Verb bases: strip a person ending from attested prefixed forms
        # (می‌نویسد -> نویس), and past stems from infinitives (نوشتن -> نوشت).
        bases = set()
        for x in verb_forms:
            for e in _PERSON_ENDINGS:
                if x.endswith(e) and len(x) - len(e) >= 2:
                    bases.add(x[: -len(e)])
        past_stems = set()
        for w in freq:
            if len(w) >= 4 and ZWNJ not in w and w[-2:] in ("دن", "تن"):
                past_stems.add(w[:-1])
        self.glued = {k: (v, z, self._margin(v)) for k, (v, z) in glued.items()}
        self.verb_forms = verb_forms
        self.verb_bases = bases | past_stems
        self.past_stems = past_stems
        self.adjectives = adjectives
        self.heads = heads
        self.tails = tails

    def productive(self, a: str, b: str) -> bool:
        """a opens or b closes at least PRODUCTIVE attested ZWNJ compounds."""
        return self.heads.get(a, 0) >= PRODUCTIVE or self.tails.get(b, 0) >= PRODUCTIVE

    def _margin(self, form: str) -> float:
        """Required zipf lead of a ZWNJ spelling over its glued twin."""
        parts = form.split(ZWNJ)
        if parts[0] in VERB_PREFIXES:
            return MARGIN_BOUND
        last = parts[-1]
        if last in PLURAL_CHAINS:
            return self.plural_margin
        if last in COMPARATIVE_CHAINS or (last in HEH_CHAINS and parts[-2].endswith("ه")):
            return MARGIN_BOUND
        return MARGIN

    def z(self, w: str) -> float:
        return self.freq.get(w, 0.0)

    def is_verb(self, x: str) -> bool:
        """x (without می/نمی) looks like an attested verb form."""
        if x in self.verb_forms:
            return True
        for e in _PERSON_ENDINGS:
            if x.endswith(e) and x[: -len(e)] in self.verb_bases:
                return True
        # A bare stem is only a verb form if it is a past stem (می‌نوشت); a bare
        # present stem after می is not Persian, which keeps میدان/میگو/میمون safe.
        return x in self.past_stems


class Restorer:
    def __init__(self, lexicon: Optional[Lexicon] = None, join_spaced_compounds: bool = False):
        self.lex = lexicon or Lexicon()
        # Joining "X Y" into an attested compound "X‌Y" (بین المللی) also joins
        # pairs that good text writes apart (ابی طالب, موضع گیری): off by default.
        self.join_spaced_compounds = join_spaced_compounds
        # One cache per style: words are restored differently when the text
        # already shows that its author writes ZWNJs (see `restore`).
        self._cache: tuple[dict[str, str], dict[str, str]] = ({}, {})
        spaced_prefix = "|".join(VERB_PREFIXES)
        tok = f"[{_LETTERS}{ZWNJ}]+"
        lb, la = f"(?<![{_LETTERS}{ZWNJ}])", f"(?![{_LETTERS}{_MARKS}{ZWNJ}])"
        # "می شود" -> verbal prefix separated by one space.
        self._spaced_verb_re = re.compile(f"{lb}({spaced_prefix})[ \u00a0]({tok}){la}")
        # "کتاب ها", "جامعه ای", "مهم ترین", "بین المللی": word + space + word. The match is the
        # space alone (`_pair` reads the word before it), so that `re` looks for spaces, not at
        # every letter: the same spaces as with the word before in the pattern. Unless compounds
        # are joined, only a word that `_pair` may join is looked for after the space.
        right = tok if join_spaced_compounds else "|".join(sorted(_SPACED_RIGHT, key=len, reverse=True))
        self._pair_re = re.compile(f"[ \u00a0](?<=[{_LETTERS}{ZWNJ}][ \u00a0])(?=({right}){la})")
        self._plural = frozenset(PLURAL_CHAINS)

    # ---- glued words -------------------------------------------------
    def restore_word(self, w: str, keep_joined: bool = False) -> str:
        cache = self._cache[keep_joined]
        r = cache.get(w)
        if r is None:
            r = self._restore_word(w, keep_joined)
            if len(cache) < 200_000:
                cache[w] = r
        return r

    def _restore_word(self, w: str, keep_joined: bool) -> str:
        # No glued form is longer than _MAX_GLUED letters (lexicon words have at most 16); the
        # splits tried below copy the word at every position, quadratic time on a huge "word".
        if len(w) < 3 or len(w) > _MAX_GLUED or ZWNJ in w or _HAS_MARK_RE.search(w):
            return w
        lex = self.lex
        fw = lex.z(w)
        # 1. The lexicon attests a ZWNJ spelling that is common enough next to
        #    the glued one (see MARGIN / MARGIN_BOUND).
        hit = lex.glued.get(w)
        if hit is not None:
            if keep_joined and hit[0].rpartition(ZWNJ)[2] in _STYLE_SUFFIXES:
                return w
            # A text that writes its ZWNJs wrote a known glued word (پاکسازی, نهادهای) on purpose;
            # only a verbal prefix is never written joined.
            if keep_joined and fw > 0:
                if hit[0].partition(ZWNJ)[0] not in VERB_PREFIXES or hit[1] < fw + MARGIN:
                    return w
            plural = self._plural_over_enclitic(w, hit[1])
            if plural is not None:
                return w if keep_joined else plural
            return hit[0] if hit[1] >= fw + hit[2] else w
        # 2. Verbal prefix + verb form.
        for p in VERB_PREFIXES:
            if w.startswith(p) and len(w) - len(p) >= 2:
                rest = w[len(p):]
                if fw == 0:
                    ok = lex.is_verb(rest) or self._looks_like_verb(w, p, rest)
                else:
                    # The glued spelling is a known word: demand the exact form
                    # is attested after می‌ (keeps میلاد, whose rest لاد passes as
                    # a past stem), never for نمی, where ن + میر "die" gives real
                    # glued words (نمیرم, نمیرد).
                    ok = rest in lex.verb_forms and not p.endswith("نمی")
                if ok:
                    return p + ZWNJ + rest
        if fw > 0:
            # Glued spelling is itself a known word (تنها, الهام, دفتر, سهام).
            return w
        # 3. Known stem + suffix chain, or past participle + auxiliary ending.
        r = self._split_suffix(w, keep_joined)
        if r is None:
            # 4. Compound whose first part ends in a silent ه (برنامهریزی).
            r = self._split_heh_compound(w, keep_joined)
        if r is None and not keep_joined:
            # 5. Compound of a productive element and a known word (سرطانزا, داستانپردازی).
            r = self._split_compound(w)
        return _zwnj_before_madda(r if r is not None else w)

    def _is_past_stem(self, x: str) -> bool:
        """x is a past stem: one the lexicon's infinitives give, after a preverb and the negative
        ن (فروداد, نکشت), or a regular stem in -ید/-اند (بازتابید, چکاند)."""
        if x.endswith(("ید", "اند")) and len(x) >= 4:
            return True
        for pv in _PREVERBS:
            if x.startswith(pv):
                rest = x[len(pv):]
                if rest in self.lex.past_stems or (rest[:1] == "ن" and rest[1:] in self.lex.past_stems):
                    return True
        return False

    def _enclitic_over_plural(self, stem: str) -> bool:
        """Xهای is Xه‌ای, not X‌های: Xه is a commoner word than X, and the lexicon attests no plural of X."""
        z = self.lex.z
        return (z(stem + "ه") > z(stem)
                and max(z(stem + ZWNJ + "ها"), z(stem + "ها"), z(stem + ZWNJ + "های"), z(stem + "های")) == 0)

    def _plural_over_enclitic(self, w: str, enclitic_z: float) -> Optional[str]:
        """X‌های for a glued Xهای whose lexicon twin is Xه‌ای, when the plural reading is the
        more attested one: X is a known word and its plural (X‌ها, Xها, X‌های) is at least as
        frequent as Xه‌ای (خونهای: خون‌های "bloods", not خونه‌ای; نهادهای: نهاد‌های)."""
        for chain in PLURAL_CHAINS:
            if w.endswith(chain) and chain.startswith("های") and len(w) - len(chain) >= 2:
                stem = w[: -len(chain)]
                if self.lex.z(stem) == 0:
                    continue
                z = self.lex.z
                evidence = max(z(stem + ZWNJ + "ها"), z(stem + "ها"), z(stem + ZWNJ + "های"))
                if evidence >= enclitic_z and self.lex.glued[w][0] == stem + "ه" + ZWNJ + w[len(stem) + 1:]:
                    return _glue(stem, chain)
        return None

    def _split_heh_compound(self, w: str, keep_joined: bool = False) -> Optional[str]:
        """A + B, both known words, A ending in a silent final ه.

        A final ه glued to a following letter turns into a medial ه, which no
        standard spelling does, so a ZWNJ is due there (سرمایه‌گذاری,
        بهره‌برداری, نیمه‌نهایی).  ه after ا/و/ی is often consonantal (راه, شاه,
        گروه, فقیه) and such compounds are written joined, so they are left out.
        The split must be the only one into two known words (نامهربانی is
        نا+مهربانی), and B must not start with ا/آ (enclitics, -انه adverbs).
        """
        lex = self.lex
        cut = None
        # B of 4+ letters: short tails are too often junk or name endings
        # (جیرهنده is a place name, not جیره + نده).
        for i in range(4, len(w) - 3):
            a, b = w[:i], w[i:]
            if (a[-1] == "ه" and a[-2] not in "اوی" and b[0] not in "اآ"
                    and lex.z(a) > 0 and lex.z(b) > 0):
                if cut is not None:
                    return None
                cut = i
        if cut is None:
            return None
        for j in range(2, len(w) - 1):
            if j != cut and lex.z(w[:j]) > 0 and lex.z(w[j:]) > 0:
                return None
        a, b = w[:cut], w[cut:]
        if not lex.productive(a, b) and lex.z(a + ZWNJ + b) == 0:
            # Two free words that no compound element joins (نمرهسؤال): a scraper lost the space.
            return a + " " + b
        return a + ZWNJ + self.restore_word(b, keep_joined)

    def _split_compound(self, w: str) -> Optional[str]:
        """A + B, both known words, when A is a productive first element (بی, هم, پیش) or B a
        productive last one (گذاری, سازی, شناسی), and no other cut gives two known words."""
        lex = self.lex
        cut = None
        for i in range(2, len(w) - 1):
            a, b = w[:i], w[i:]
            if lex.z(a) > 0 and lex.z(b) > 0:
                if cut is not None:
                    return None
                cut = i
        if cut is None or len(w) - cut < 3 or not _joins(w[cut - 1]):
            return None
        a, b = w[:cut], w[cut:]
        # A tail of 4+ letters: short ones are enclitics and suffixes written joined (شان, گاه, گری).
        strong = (lex.heads.get(a, 0) >= STRONG_ELEMENT
                  or (len(b) >= 4 and lex.tails.get(b, 0) >= STRONG_ELEMENT))
        return a + ZWNJ + b if strong else None

    def _looks_like_verb(self, w: str, prefix: str, rest: str) -> bool:
        """Shape test for an unknown glued word می+X (rare or literary verbs).

        X must end in a person ending after a stem of 2+ letters, or be a past
        stem in -شت/-فت/-ست/-خت; X must not start with a letter that Persian
        verb stems do not start with; and no longer prefix of w may be a known
        word, because that makes w a compound or name (میرآباد, میانرود,
        میلیاردم, میکروگرم, میخکوب).  The 2nd person singular -ی is not
        guessed: میرزاقاسمی, میناکاری, میگساری look just like it.
        """
        if len(rest) < 3 or rest[0] in _NOT_VERB_INITIAL:
            return False
        if not (_GUESS_VERB_END_RE.search(rest) or _GUESS_PAST_STEM_RE.search(rest)):
            return False
        freq = self.lex.freq
        for k in range(len(prefix) + 1, len(w) - 1):
            if w[:k] in freq:
                return False
        return True

    def _stem_form(self, stem: str) -> Optional[str]:
        """Spelling of a known stem, restoring its own internal ZWNJs."""
        if len(stem) < 2:
            return None
        hit = self.lex.glued.get(stem)
        if hit is not None and hit[1] >= self.lex.z(stem) + hit[2]:
            return hit[0]
        if self.lex.z(stem) > 0:
            return stem
        if len(stem) >= 7:
            return self._split_heh_compound(stem)  # هفته‌نامه + ‌ای
        return None

    def _split_suffix(self, w: str, keep_joined: bool = False) -> Optional[str]:
        lex = self.lex
        plural_seen = False
        # Shortest stem first = longest suffix first (هایشان before ان-like tails).
        for i in range(2, len(w) - 1):
            stem, suf = w[:i], w[i:]
            if suf in self._plural:
                plural_seen = True
                # A plural reading wins over ه + enclitic (شبهایی is شب‌هایی, not
                # شبه‌ایی; لبهایم is لب‌هایم), so stop here either way.  Two-letter
                # stems only through the lexicon: منها, گیها, کیها.
                if len(stem) < 3:
                    return None
                # ...unless the word with ه is the commoner one and no plural of the stem is
                # attested: کوچهای is کوچه‌ای ("an alley"), not کوچ‌های (کوچه is commoner than کوچ).
                if suf == "های" and self._enclitic_over_plural(stem):
                    return stem + "ه" + ZWNJ + "ای"
                # ...except a past stem + هایم, which is participle + ایم:
                # رفتهایم is رفته‌ایم, not رفت‌هایم (نشستهای stays نشست‌های).
                if suf == "هایم" and stem in lex.past_stems:
                    return stem + "ه" + ZWNJ + "ایم"
                # Past stem + های reads as participle + ای (نوشتهای, نوشته‌ای) as well
                # as a plural (کردهای, Kurds): unless the plural is attested, leave it.
                if (suf == "های" and stem in lex.past_stems and lex.z(stem + "ه") > 0
                        and lex.z(stem + ZWNJ + "ها") == 0 and lex.z(stem + "ها") == 0):
                    return None
                # An unknown noun in -ید/-ئید that is no past stem is a loanword (پپتید, استروئید):
                # its plural, not a guessed participle + ای (پپتیده‌ای).
                if (len(stem) >= 4 and stem.endswith("ید") and lex.z(stem) == 0
                        and stem not in lex.past_stems and not keep_joined):
                    return stem + ZWNJ + suf
            elif suf in HEH_CHAINS and stem.endswith("ه"):
                # Short stems collide with Arabic words (مهام, بهایم, اوهام).
                if len(stem) < 3 or stem in _INTERJECTIONS:
                    continue
                # رهایم is رها+یم, not ره‌ایم: skip when stem+ا is a word, unless
                # that word is just a glued plural (منظرها -> منظره‌ای is fine).
                if (suf.startswith("ای") and lex.z(stem + "ا") > 0
                        and lex.z(stem[:-1]) == 0):
                    continue
                # A past participle needs no lexicon entry: بازتابیده‌اند.
                # Only on a past stem, known or in -ید: وستهام (West Ham) is no وسته‌ام.
                if (suf in _PERFECT_ENDINGS and len(stem) >= 4
                        and stem.endswith(("ده", "ته")) and lex.z(stem) == 0
                        and self._is_past_stem(stem[:-1])
                        and self._stem_form(stem) is None):
                    return stem + ZWNJ + suf
            elif suf in YEH_CHAINS and stem.endswith("ی"):
                if len(stem) < 4:
                    continue
            elif suf in COMPARATIVE_CHAINS and (stem in lex.adjectives or suf == "ترین"):
                pass
            else:
                continue
            if (plural_seen and suf not in self._plural and lex.z(stem) == 0
                    and stem not in lex.glued):
                # After a failed plural reading only a known stem may take an
                # enclitic: بهانهای -> بهانه‌ای, but رشتهکوههای must not become
                # رشته‌کوهه‌ای through a guessed compound.
                continue
            if keep_joined and suf in _STYLE_SUFFIXES:
                return None  # the author writes plurals and comparatives joined
            form = self._stem_form(stem)
            if form is None:
                continue
            out = _glue(form, suf)
            return out if out != w else None
        return None

    # ---- spaced words ------------------------------------------------
    def _spaced_verb(self, m: re.Match[str]) -> str:
        p, x = m.group(1), m.group(2)
        if ZWNJ in x:
            return m.group(0)
        lex = self.lex
        # A free-standing می/نمی before a word is almost always the prefix, so
        # the shape test may also accept the 2nd person -ی here (می نویسی).
        if (lex.is_verb(x) or lex.z(p + ZWNJ + x) > 0
                or self._looks_like_verb("", "", x)
                or (len(x) >= 3 and x.endswith("ی") and x[0] not in _NOT_VERB_INITIAL
                    and self._looks_like_verb("", "", x[:-1] + "م"))):
            return p + ZWNJ + x
        return m.group(0)

    def _pair(self, m: re.Match[str]) -> str:
        left, right = _word_before(m.string, m.start()), m.group(1)
        last = left[-1]
        if right in self._plural:
            joined = True
        elif right in _SPACED_HEH_SUFFIXES and last == "ه" and len(left) >= 2:
            joined = True
        elif right in _SPACED_YEH_SUFFIXES and last == "ی" and len(left) >= 3:
            joined = True
        elif right == "ترین" or (right in ("تر", "تری") and left in self.lex.adjectives):
            joined = True
        elif self.join_spaced_compounds:
            # Bound fragment of an attested compound: بین المللی -> بین‌المللی.
            lex = self.lex
            zc = lex.z(left + ZWNJ + right)
            joined = (zc >= COMPOUND_MIN_ZIPF and zc >= lex.z(right) - COMPOUND_MARGIN
                      and zc >= lex.z(left) - COMPOUND_MARGIN)
        else:
            joined = False
        if not joined:
            return m.group(0)
        # The separator becomes a ZWNJ (or nothing after a non-joining letter, where a ZWNJ
        # would be invisible).
        return ZWNJ if _joins(last) else ""

    # ---- input-learned spellings ---------------------------------------
    def _learn(self, tokens: list[str]) -> dict[str, str]:
        """Glued -> ZWNJ spelling for words (``tokens``, the words of a text) the text itself writes with a ZWNJ.

        A document that writes همکاری‌ها once and همکاریها elsewhere lost the
        ZWNJ in the second place.  Not applied to a glued form that the lexicon
        knows as a word without any ZWNJ twin (تنها next to تن‌ها).
        """
        seen: dict[str, dict[str, int]] = {}
        glued_count: dict[str, int] = {}
        for tok in tokens:
            if ZWNJ in tok and not _HAS_MARK_RE.search(tok):
                key = tok.replace(ZWNJ, "")
                if len(key) >= 3:
                    seen.setdefault(key, {}).setdefault(tok, 0)
                    seen[key][tok] += 1
        for tok in tokens:
            if tok in seen:
                glued_count[tok] = glued_count.get(tok, 0) + 1
        lex = self.lex
        learned: dict[str, str] = {}
        for key, forms in seen.items():
            if lex.z(key) > 0:
                if key not in lex.glued:
                    continue
                # Glued spelling is also a known word (همچنین / هم‌چنین): follow
                # the input's own majority rather than one stray ZWNJ.
                if sum(forms.values()) < glued_count.get(key, 0):
                    continue
            learned[key] = max(forms.items(), key=lambda kv: kv[1])[0]
        return learned

    # ---- public ------------------------------------------------------
    def restore(self, text: str, learn_from_input: bool = True) -> tuple[str, int]:
        """Return the text with lost ZWNJs restored, and the number of words changed.

        A text that already contains ZWNJs did not lose them all: its joined
        plurals and comparatives are then the author's spelling, and only the
        other restorations apply to it.
        """
        keep_joined = ZWNJ in text
        edits = 0

        def count(replace: Callable[[re.Match[str]], str]) -> Callable[[re.Match[str]], str]:
            def wrapped(m: re.Match[str]) -> str:
                nonlocal edits
                out = replace(m)
                edits += out != m.group(0)
                return out
            return wrapped

        text = self._spaced_verb_re.sub(count(self._spaced_verb), text)
        text = self._pair_re.sub(count(self._pair), text)
        # The text cut into [between, word, between, word, ..., between]: each word looked up
        # (most are in the cache) without a match object and a call per word.
        parts = _TOKEN_SPLIT_RE.split(text)
        words = parts[1::2]
        rw = self.restore_word
        cached = self._cache[keep_joined].get
        learned = self._learn(words) if learn_from_input and ZWNJ in text else None
        if learned:
            get = learned.get
            restored = [get(w) or cached(w) or rw(w, keep_joined) for w in words]
        else:
            restored = [cached(w) or rw(w, keep_joined) for w in words]
        changed = sum(map(str.__ne__, words, restored))
        if not changed:
            return text, edits
        parts[1::2] = restored
        return "".join(parts), edits + changed


# A ZWJ or bidi mark (the invisible characters that lost_zwnj_marks turns into a ZWNJ) inside a
# word: the run of them and the word letters on each side.
# From a word's start only, so that a long run of letters without one is read once, not once per letter.
_JOINER_IN_WORD_RE = re.compile(f"(?<![{_LETTERS}])([{_LETTERS}]+)([{ZWJ}{LRM}{RLM}{ALM}]+)(?=([{_LETTERS}]+))")


def _joiners_in_words(text: str) -> tuple[str, int]:
    """Remove an invisible character between two letters of one word (وی‍ژه, ت‍اثیر).

    One word: the letters joined are a known word that restoration would not split, and the two
    halves are not both words. Anywhere else the character stands for a lost ZWNJ and
    lost_zwnj_marks makes it one.
    """
    if not any(ch in text for ch in (ZWJ, LRM, RLM, ALM)):
        return text, 0
    restorer = default_restorer()
    lex = restorer.lex
    edits = 0

    def one(m: re.Match[str]) -> str:
        nonlocal edits
        left, right = m.group(1), m.group(3)
        joined = left + right
        if (lex.z(joined) > 0 and restorer.restore_word(joined) == joined
                and not (lex.z(left) > 0 and lex.z(right) > 0)):
            edits += 1
            return left
        return m.group(0)

    return _JOINER_IN_WORD_RE.sub(one, text), edits


joiners_in_words = Rule(
    "joiners_in_words",
    "Remove an invisible character between two letters of one known word (وی‍ژه, ت‍اثیر).",
    _joiners_in_words,
)

_default: Optional[Restorer] = None
_lock = threading.Lock()


def default_restorer() -> Restorer:
    """The restorer over the shipped lexicon, loaded once on first use."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Restorer()
    return _default


_PERSIAN_WORD = re.compile(f"[{_LETTERS}]{{3}}")


def _restore(text: str) -> tuple[str, int]:
    if _PERSIAN_WORD.search(text) is None:  # no word to restore: skip loading the lexicon
        return text, 0
    return default_restorer().restore(text)


restore_zwnj = Rule(
    "zwnj_restored",
    "Restore lost ZWNJs: spaced (می شود, کتاب ها) and glued (میشود, همکاریهای, بینالمللی) forms.",
    _restore,
)
