"""Normalization rules, each with before/after cases in Persian, Arabic and Indonesian."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest.stages.normalize import Options, normalize_counted, normalize_record, normalize_text, rules_for
from newsingest.stages.normalize import rules as r
from newsingest.record import Record, Source

ZWNJ = "\u200c"


def case(*rows):
    return pytest.mark.parametrize("lang, before, after", rows)


@case(
    ("und", "Cafe\u0301", "Café"),
    ("ar", "\u0627\u0653", "\u0622"),
    ("id", "sudah tersusun", "sudah tersusun"),
)
def test_unicode_nfc(lang, before, after):
    assert normalize_text(before, lang) == after


@case(
    ("ar", "\ufefb", "لا"),
    ("ar", "\ufedb\ufe98\ufe8e\ufe8f", "كتاب"),
    ("fa", "\ufedb\ufe98\ufe8e\ufe8f", "کتاب"),  # then Persian letters: Arabic kaf becomes keheh
    ("ar", "\ufdf2", "الله"),
    ("ar", "\ufdfa", "صلى الله عليه وسلم"),
    ("fa", "\ufdfa", "صلی الله علیه وسلم"),  # spelt out, then Persian letters
    ("ur", "محمد \ufdfa", "محمد \ufdfa"),  # Arabic ى and ه are not Urdu: the ligature stays
    ("id", "Nabi \ufdfa", "Nabi \ufdfa"),
    ("ur", "\ufef7", "\u0644\u0623"),  # the other presentation forms still map in every language
    ("ar", "ب\ufe78", "بُ"),  # an isolated damma form keeps no stray space
    ("id", "ﬁnal", "ﬁnal"),  # a Latin ligature is not an Arabic presentation form: left alone
)
def test_presentation_forms(lang, before, after):
    assert normalize_text(before, lang) == after


@case(
    ("id", "ke\u00admarin", "kemarin"),
    ("id", "\ufeffBerita", "Berita"),
    ("fa", "ایران\u200b", "ایران"),
    ("ar", "\u202bالعربية\u202c", "العربية"),
)
def test_invisible_chars(lang, before, after):
    assert normalize_text(before, lang) == after


@case(
    ("id", "Rp\u00a0100\u2009ribu", "Rp 100 ribu"),
    ("fa", "۱۰\u202fدرصد", "۱۰ درصد"),
    ("ar", "في\u3000القاهرة", "في القاهرة"),
)
def test_odd_spaces(lang, before, after):
    assert normalize_text(before, lang) == after


@case(
    ("id", "  Dua   spasi\t\tdan tab  \n\n\n\nParagraf  ", "Dua spasi dan tab\n\nParagraf"),
    ("fa", "این  متن\n\n\n\nاست", "این متن\n\nاست"),
)
def test_whitespace(lang, before, after):
    assert normalize_text(before, lang) == after


@case(
    ("fa", "کـــتاب", "کتاب"),
    ("ar", "الـــعربية", "العربية"),
    ("ar", "كتابـ 3", "كتاب 3"),  # at the end of a word: decorative
    ("ar", "قـال بـ", "قال بـ"),
)
def test_tatweel(lang, before, after):
    assert normalize_text(before, lang) == after


@case(
    ("ar", "بـ 390", "بـ 390"),
    ("ar", "الـ 18", "الـ 18"),
    ("ar", 'لـ "صراع العروش"', 'لـ "صراع العروش"'),
    ("ar", 'بـ"هل', 'بـ"هل'),
    ("ar", "كـ«مثال»", "كـ«مثال»"),
    ("ar", "والـFIFA وفـ ٣", "والـFIFA وفـ ٣"),
    ("fa", "بـ 390", "بـ 390"),
    ("ur", "بـ 390", "بـ 390"),
)
def test_tatweel_of_a_detached_clitic_is_kept(lang, before, after):
    assert normalize_text(before, lang) == after


def test_tatweel_counts_the_removed_ones_only():
    assert normalize_counted("بــــ 5 والـــعربية الـ 18", "ar") == ("بـ 5 والعربية الـ 18", {"tatweel": 6})
    assert normalize_counted("بـ 390", "ar") == ("بـ 390", {})


@case(
    ("fa", "می\u200fشود", f"می{ZWNJ}شود"),  # between two Persian letters: a lost ZWNJ
    ("fa", "کتاب\u200eها", f"کتاب{ZWNJ}ها"),
    ("fa", "\u200fسلام \u200e123", "سلام 123"),  # elsewhere: removed
    ("ar", "كتاب\u200fالعرب", "كتابالعرب"),  # never a ZWNJ in Arabic
    ("id", "Jakarta\u200e", "Jakarta"),
)
def test_bidi_marks(lang, before, after):
    assert normalize_text(before, lang) == after


@case(
    ("fa", "علي كريمي", "علی کریمی"),
    ("fa", "مصطفى", "مصطفی"),
    ("ar", "علي كريمي مصطفى مدرسة أإ", "علي كريمي مصطفى مدرسة أإ"),  # Arabic letters stay Arabic
    ("id", "Ali", "Ali"),
)
def test_persian_letters_only_in_persian(lang, before, after):
    assert normalize_text(before, lang) == after


@case(
    ("fa", "سال ٢٠٢٤ و ۱۴۰۳", "سال ۲۰۲۴ و ۱۴۰۳"),
    ("ar", "عام ۲۰۲۴ و ٢٠٢٤", "عام ٢٠٢٤ و ٢٠٢٤"),
    ("id", "tahun ٢٠٢٤ dan 2024", "tahun ٢٠٢٤ dan 2024"),  # digits untouched outside fa/ar
)
def test_digit_unification(lang, before, after):
    assert normalize_text(before, lang) == after


@pytest.mark.parametrize(
    "before, after",
    [
        (f"می{ZWNJ}{ZWNJ}{ZWNJ}شود", f"می{ZWNJ}شود"),  # runs collapse
        (f"کتاب{ZWNJ} ها", "کتاب ها"),  # next to a space
        (f"{ZWNJ}کتاب{ZWNJ}", "کتاب"),  # at word edges
        (f"کتاب{ZWNJ}.", "کتاب."),  # before punctuation
        (f"abc{ZWNJ}def ایران{ZWNJ}2", "abcdef ایران2"),  # beside a non-Arabic-script character
        (f"رو{ZWNJ}به{ZWNJ}رو", f"روبه{ZWNJ}رو"),  # after a non-joining letter it changes nothing
        (f"کتاب\u0650{ZWNJ}ها", f"کتاب\u0650{ZWNJ}ها"),  # a mark between letter and ZWNJ is fine
    ],
)
def test_zwnj_cleanup_rule(before, after):
    assert r.zwnj_cleanup(before) == after


@case(
    ("fa", f"کتاب{ZWNJ} ها", f"کتاب{ZWNJ}ها"),  # cleaned, then the spaced plural is restored
    ("fa", "می\u200dشود", f"می{ZWNJ}شود"),  # ZWJ where a ZWNJ is meant
    ("fa", f"ء{ZWNJ}\u200dء", "ءء"),  # after a non-joining letter: nothing at all
    ("fa", "خانواده 👨\u200d👩\u200d👧", "خانواده 👨\u200d👩\u200d👧"),  # an emoji's ZWJ is not touched
    ("ar", f"كتاب{ZWNJ} ", f"كتاب{ZWNJ}"),  # Persian ZWNJ rules do not run on Arabic
)
def test_zwnj_cleanup_in_the_pipeline(lang, before, after):
    assert normalize_text(before, lang) == after


@case(
    ("fa", "لی کیانگ ، نخست وزیر", "لی کیانگ، نخست وزیر"),
    ("fa", "چین ( چپ ) و", "چین (چپ) و"),
    ("fa", "سلام،خوبی؟بله", "سلام، خوبی؟ بله"),
    ("fa", "تمام شد.بعد", "تمام شد. بعد"),
    ("fa", "او گفت:«بیایید»", "او گفت: «بیایید»"),
    ("fa", "ساعت ۱۰:۳۰ و ۳٫۵ درصد و 3.5% در ۱۴۰۲/۰۵/۰۱", "ساعت ۱۰:۳۰ و ۳٫۵ درصد و 3.5% در ۱۴۰۲/۰۵/۰۱"),
    ("fa", "نشانی https://example.com/a.b?x=1,2 و info@example.ir است", "نشانی https://example.com/a.b?x=1,2 و info@example.ir است"),
    ("fa", "ساعت ۸ ق.ظ سال ۱۳۵۷ ه.ش", "ساعت ۸ ق.ظ سال ۱۳۵۷ ه.ش"),  # abbreviations keep their dots
    ("ar", "قال ، ثم", "قال ، ثم"),  # spacing is a Persian rule
)
def test_punctuation_spacing(lang, before, after):
    assert normalize_text(before, lang) == after


@case(
    ("ar", "کتاب", "كتاب"),  # Persian keheh typed in an Arabic word
    ("ar", "فیلم", "فيلم"),  # Persian yeh inside a word
    ("ar", "علی", "علی"),  # at the end it may be yeh or alef maksura: left alone
    ("ar", "گزارش", "گزارش"),  # گ has no Arabic counterpart: left alone
    ("fa", "کتاب فیلم", "کتاب فیلم"),
)
def test_arabic_letters(lang, before, after):
    assert normalize_text(before, lang) == after


def test_diacritics_kept_by_default_and_stripped_on_request():
    text = "كَتَبَ الطالبُ الدرسَ"
    assert normalize_text(text, "ar") == text
    assert normalize_text(text, "ar", Options(strip_diacritics=True)) == "كتب الطالب الدرس"
    assert normalize_text("خانهٔ ما", "fa", Options(strip_diacritics=True)) == "خانهٔ ما"  # hamza above is kept


@pytest.mark.parametrize(
    "lang, digits, before, after",
    [
        ("fa", "latin", "سال ۱۴۰۳ و ٢٠٢٤", "سال 1403 و 2024"),
        ("ar", "latin", "عام ٢٠٢٤", "عام 2024"),
        ("fa", "native", "سال 2024-2025 و ۳.۵ https://x.ir/2024 COVID-19", "سال ۲۰۲۴-۲۰۲۵ و ۳.۵ https://x.ir/2024 COVID-19"),
        ("ar", "native", "عام 2024 في 10:30", "عام ٢٠٢٤ في ١٠:٣٠"),
        ("id", "native", "tahun 2024", "tahun 2024"),
        ("fa", "keep", "سال 2024", "سال 2024"),
    ],
)
def test_digit_policy(lang, digits, before, after):
    assert normalize_text(before, lang, Options(digits=digits)) == after


def test_unknown_digit_policy_is_refused():
    with pytest.raises(ValueError, match="digits must be one of"):
        Options(digits="roman")


INDONESIAN = "Pada tanggal 22 Agustus, Perdana Menteri Tiongkok Li Qiang mengunjungi Belarus (kiri) — “Tahun Inovasi”."


def test_latin_text_is_left_alone():
    assert normalize_text(INDONESIAN, "id") == INDONESIAN


def test_only_common_rules_for_other_languages():
    assert rules_for("id") == rules_for("ur") == rules_for("und")
    assert r.persian_letters not in rules_for("ur")  # Urdu keeps its ی and ک as they are


def test_counts_by_rule():
    text, counts = normalize_counted("علي  كتاب ١", "fa")
    assert text == "علی کتاب ۱"
    assert counts == {"persian_letters": 2, "whitespace": 1, "persian_digits": 1}


def test_normalize_record_counts_text_and_title():
    record = Record(
        id="a", text="متن  خبر علي", title="عنوان علي", language="fa", hash="0", n_chars=12,
        source=Source(container="c", member="a", line=1),
    )
    out = normalize_record(record)
    assert (out.text, out.title, out.n_chars) == ("متن خبر علی", "عنوان علی", 11)
    assert [(e.rule, e.count) for e in out.normalization] == [("persian_letters", 2), ("whitespace", 1)]


# Mixed-script text: Persian and Arabic letters, marks, ZWNJ/ZWJ, bidi marks, odd spaces,
# punctuation and digits of three scripts, Latin.
_ALPHABET = (
    "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكىةأإآؤئءۀ"
    "\u064b\u064e\u064f\u0650\u0651\u0652\u0654\u0670"
    "\u200c\u200d\u200e\u200f\u061c\u200b\ufeff\u00ad\u0640"
    " \u00a0\u2009\n\t،؛؟.,:!«»()[]%/-@"
    "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
    "abcXYZé\ufefb\ufe8d\ufe8e\ufe70"
)
mixed_text = st.text(alphabet=_ALPHABET, max_size=80)


@settings(max_examples=1500, deadline=None)
@given(mixed_text, st.sampled_from(["fa", "ar", "ur", "id", "und"]), st.booleans(), st.sampled_from(["keep", "latin", "native"]))
def test_normalize_is_idempotent(text, lang, strip, digits):
    options = Options(strip_diacritics=strip, digits=digits)
    once = normalize_text(text, lang, options)
    assert normalize_text(once, lang, options) == once


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from(["fa", "ar", "id"]))
def test_normalize_is_idempotent_on_any_text(text, lang):
    once = normalize_text(text, lang)
    assert normalize_text(once, lang) == once
