"""The fast paths of `split` give what the plain ones give: the dedup key mapped through an array,
the date patterns tried only on lines that hold what they need, the line rules behind their gates."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest.stages import dates, dedup

# Letters of several scripts, digits of three, marks, tatweel, ZWNJ, presentation forms, spaces,
# punctuation, controls, a lone surrogate and a character beyond the Basic Multilingual Plane.
_ALPHABET = st.sampled_from(list(
    "abcXYZßİıſKé0123456789۰۱۲۳٠١٢٣يىكیکةەٱأإآبپچژگ\u064b\u0650\u0640\u200c\u200d\ufefb\uff28"
    " \t\n\u00a0\u2003.,،؛!?«»-—()\x00\x1f\ud800😀"
))


def _translated_key(text: str) -> str:
    """The key through the translate table alone (the path of short texts)."""
    return dedup._SPACE_RUNS.sub(" ", dedup._decomposed(text).translate(dedup._FOLD_TABLE)).strip(" ")


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, min_size=dedup._ARRAY_FROM_CHARS, max_size=600))
def test_the_key_of_a_long_text_is_the_tables(text):
    assert dedup.dedup_key(text) == _translated_key(text)
    assert dedup.text_hash(text) == dedup._key_digest(_translated_key(text)).hex()


def test_the_array_path_is_taken_and_a_character_beyond_the_plane_falls_back():
    text = "  خبر، ۱۲۳ كتاب — Kata-kata ŞEHİR!  " * 10
    assert len(text) >= dedup._ARRAY_FROM_CHARS
    assert dedup._folded_points(dedup._decomposed(text)) is not None
    assert dedup._folded_points(dedup._decomposed(text + "😀")) is None
    assert dedup.dedup_key(text) == _translated_key(text)
    assert dedup.dedup_key(text + "😀") == _translated_key(text + "😀")


_DATE_TOKENS = st.sampled_from([
    "7", "23", "2021", "1402", "۱۴۰۲", "٢٣", "1st", "", " ", "  ", "\u00a0", ",", "، ", ".", "/", "-", ":", "(", "a",
    "March", "mar", "Maret", "Senin", "Monday", "Mon", "آذار", "مارس", "مرداد", "ماه", "من", "سنة", "الأحد",
    "یکشنبه", "سه‌شنبه", "دی", "x2021", "T10:00", "هـ", "م", "ه.ش",
])


def _ungated(folded: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in dates._NUMERIC.finditer(folded)]
    for pattern in (dates._DAY_MONTH_YEAR, dates._MONTH_DAY_YEAR):
        spans += [m.span() for m in pattern.finditer(folded)]
    return spans


@settings(max_examples=500, deadline=None)
@given(st.lists(_DATE_TOKENS, max_size=14).map("".join))
def test_the_date_patterns_find_what_they_found_without_their_conditions(line):
    folded = dates._fold(line)
    assert [m.span() for m, _ in dates._candidates(folded)] == _ungated(folded)


def test_dates_behind_their_conditions_are_still_found():
    for line in ("Senin, 23 Maret 2021 10:30", "Monday, March 23, 2021", "الأحد 23 آذار/مارس 2021", "۱ مرداد ماه ۱۴۰۲"):
        folded = dates._fold(line)
        assert _ungated(folded) and [m.span() for m, _ in dates._candidates(folded)] == _ungated(folded)
        assert dates.find_dates(line), line
