"""The fast paths of `normalize` give what the plain ones give: rules of few characters that skip
a text holding none of them, white space and punctuation spacing with their patterns spelt out or
anchored elsewhere, tatweels handled word by word, NFC checked line by line and not repeated, and
ZWNJ restoration finding spaced suffixes from the space."""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest.script import ZWNJ
from newsingest.stages.normalize import normalize_counted, rules_for
from newsingest.stages.normalize import rules as r
from newsingest.stages.normalize import zwnj

# Arabic-script letters and marks (the clitics ب ل ك و ف and ال among them), tatweel, the
# invisible characters, every kind of white space, the punctuation the spacing rule looks at,
# digits of three kinds, Latin letters, a presentation form, a ligature word and a character
# beyond the Basic Multilingual Plane.
_ALPHABET = st.sampled_from(list(
    "كتابهایمیشودنرزوآأإيىکیلفبة\u064b\u0650\u0651\u0653\u0654\u0640\u200c\u200d\u200e\u200f\u061c"
    " \n\t\r\x0b\x1c\x85\u00a0\u1680\u2003\u2028\u3000\ufeff\u00ad\u202a"
    "،؛؟»«.!:()[],;\"'0123456789٠١٢۳۴aZé\ufb50\ufdfa😀"
) + ["ال", "وال", "لل", "می ", "ها", "های", "ای", "ترین", " تر", "کتاب", "جامعه"])
_TEXTS = st.lists(_ALPHABET, max_size=60).map("".join)


def _plain_whitespace(text: str) -> tuple[str, int]:
    """White space folded with the category pattern and every pass run."""
    text, spaces = re.subn(r"[^\S\n]{2,}|[^\S\n ]", " ", text)
    text, edges = re.subn(r"^ | $", "", text, flags=re.M)
    text, blanks = re.subn(r"\n{3,}", "\n\n", text)
    stripped = text.strip("\n")
    return stripped, spaces + edges + blanks + (stripped != text)


_L = r._LETTER
_C = r._CLOSING


def _plain_punctuation(text: str) -> tuple[str, int]:
    """Punctuation spacing with the spaces and the places between characters as the matches."""
    text, removed = re.subn(f"(?<={_L}) +(?=[{_C}](?:\\s|$|[{_C}]|{_L}))|(?<=[«(\\[]) +(?={_L})", "", text)
    text, added = re.subn(f"(?<=[،؛؟»])(?={_L})|(?<={_L})(?=«)|(?<={_L}:)(?=«)|(?<={_L}{_L}[.!:])(?={_L}{_L})",
                          " ", text)
    return text, removed + added


def _plain_tatweel(text: str) -> tuple[str, int]:
    """The tatweel pattern run over the whole text."""
    edits = 0

    def one(match: re.Match[str]) -> str:
        nonlocal edits
        clitic, run = match.group("clitic"), match.group("run")
        if clitic is not None and match.group("detached") is not None:
            edits += len(run) - 1
            return clitic + r.TATWEEL
        edits += len(run)
        return clitic or ""

    return r._CLITIC_TATWEEL.sub(one, text), edits


def _plain_nfc(text: str) -> tuple[str, int]:
    if unicodedata.is_normalized("NFC", text):
        return text, 0
    composed = unicodedata.normalize("NFC", text)
    return composed, max(1, len(text) - len(composed))


def _all_rules() -> list[r.Rule]:
    found = {id(rule): rule for rule in vars(r).values() if isinstance(rule, r.Rule)}
    found.update({id(rule): rule for rule in (zwnj.joiners_in_words, zwnj.restore_zwnj)})
    return sorted(found.values(), key=lambda rule: rule.name)


def test_odd_white_space_is_every_white_space_but_the_space_and_the_line_break():
    every = {ch for ch in map(chr, range(sys.maxunicode + 1)) if re.fullmatch(r"\s", ch)}
    assert set(r._ODD_WHITESPACE) == every - {" ", "\n"}
    assert len(r._ODD_WHITESPACE) == len(set(r._ODD_WHITESPACE))


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_each_fast_path_gives_the_plain_result(text):
    assert r._fold_whitespace(text) == _plain_whitespace(text)
    assert r._punctuation_spacing(text) == _plain_punctuation(text)
    assert r._tatweel(text) == _plain_tatweel(text)
    assert r._nfc(text) == _plain_nfc(text)
    for rule in _all_rules():
        assert rule.count(text) == rule.plain(text), rule.name


@settings(max_examples=200, deadline=None)
@given(_TEXTS, st.sampled_from(["fa", "ar", "ur", "id"]))
def test_nfc_left_out_on_a_text_it_composed_changes_nothing(text, lang):
    expected_text, expected_counts = text, {}
    for rule in rules_for(lang):
        expected_text, edits = rule.count(expected_text)
        if edits:
            expected_counts[rule.name] = expected_counts.get(rule.name, 0) + edits
    assert normalize_counted(text, lang) == (expected_text, expected_counts)


@pytest.mark.parametrize("compounds", [False, True])
@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.sampled_from(["کتاب", "جامعه", "زندگی", "بزرگ", "مهم", "بین", "المللی", "ها", "های",
                                     "ای", "اش", "ات", "ترین", "تر", "تری", "ی", "\u064b", ZWNJ, " ", "\u00a0",
                                     "\n", ".", "a"]), max_size=20).map("".join))
def test_spaced_pairs_are_the_pairs_of_the_pattern_with_the_word_before(compounds, text):
    restorer = zwnj.Restorer(_lexicon(), join_spaced_compounds=compounds)
    letters, marks = zwnj._LETTERS, zwnj._MARKS
    tok = f"[{letters}{ZWNJ}]+"
    before = re.compile(f"(?<![{letters}{ZWNJ}])({tok})[ \u00a0](?=({tok})(?![{letters}{marks}{ZWNJ}]))")
    expected = [(m.end() - 1, m.group(1), m.group(2)) for m in before.finditer(text)
                if compounds or m.group(2) in zwnj._SPACED_RIGHT]
    found = [(m.start(), zwnj._word_before(text, m.start()), m.group(1)) for m in restorer._pair_re.finditer(text)]
    assert found == expected


_LEXICON: list[zwnj.Lexicon] = []


def _lexicon() -> zwnj.Lexicon:
    if not _LEXICON:
        _LEXICON.append(zwnj.default_restorer().lex)
    return _LEXICON[0]


def test_a_rule_of_few_characters_leaves_a_text_without_them_as_the_same_object():
    text = "Berita hari ini: harga naik 5%."
    for rule in (r.bidi_marks, r.invisible_chars, r.odd_spaces, r.persian_letters, r.persian_digits):
        assert rule.count(text)[0] is text
    assert r.bidi_marks.count("a\u200eb") == ("ab", 1)
