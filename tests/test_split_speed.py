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


# --- line rules behind their gates --------------------------------------------------------------

from pathlib import Path  # noqa: E402

from newsingest import resources  # noqa: E402
from newsingest.stages import extract  # noqa: E402


def _ungated_classify(line: str):
    """classify_line as it was before the gates: every rule tried in order."""
    s = line.strip().strip("|").strip()
    if not s:
        return extract.Furniture("rule", True) if line.strip() else None
    if not extract._has_letters_or_digits(s):
        return extract.Furniture("rule", True)
    if len(s) > 300:
        return None
    for reason, anywhere, test in extract.LINE_RULES:
        if test(s):
            return extract.Furniture(reason, anywhere)
    return None


def _resource_entries() -> list[str]:
    entries = set()
    for (concept, key), _ in resources.all_keys().items():
        for entry in resources.words(concept, key):
            for item in entry if isinstance(entry, tuple) else (entry,):
                if isinstance(item, str) and item:
                    entries.add(item)
    return sorted(entries)


_ENTRIES = _resource_entries()
_DRESS = (
    "{}", "{}: Ali", "{} : https://x.id/a", "({})", "[{}]", "- {} -", "• {} 12", "12 {}", "{} 2021", "{} 23 Maret 2021",
    "*{}*", "{}...", "…{}", "« {} »", "{} / Nasional", "Home > {} > Berita", "{}: ۱۲۳۴", "{} 5 menit", "İ{}", "{} ſ",
)


def test_every_resource_entry_is_classified_as_without_the_gates():
    assert len(_ENTRIES) > 500
    lines = [dress.format(entry) for entry in _ENTRIES for dress in _DRESS]
    lines += [line.upper() for line in lines] + [line.capitalize() for line in lines]
    furniture = 0
    for line in lines:
        expected = _ungated_classify(line)
        assert extract.classify_line(line) == expected, line
        furniture += expected is not None
    assert furniture > len(lines) // 8  # the lines reach the rules, and many are taken


def test_the_sample_corpus_is_classified_as_without_the_gates():
    root = Path(__file__).resolve().parent.parent / "sample_corpus"
    lines = [line for path in root.glob("*.txt") for line in path.read_text(encoding="utf-8").split("\n")]
    assert len(lines) > 100
    for line in lines:
        assert extract.classify_line(line) == _ungated_classify(line), line


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_ENTRIES[:2000:7] + [" ", ": ", "(", ")", "|", "/", " > ", "2021", "12", "•", "-", "ک", "a"]),
                min_size=1, max_size=6).map("".join))
def test_lines_of_labels_are_classified_as_without_the_gates(line):
    assert extract.classify_line(line) == _ungated_classify(line)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("abcdeپکی ", min_size=0, max_size=4), max_size=8), st.text("abcdeپکی -", max_size=40))
def test_the_tree_of_words_finds_what_the_alternation_finds(words, text):
    import re

    flat = re.compile("|".join(map(re.escape, words))) if words else re.compile("(?!)")
    assert (re.search(extract._trie(words), text) is None) == (flat.search(text) is None)
