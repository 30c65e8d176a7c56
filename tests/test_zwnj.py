"""ZWNJ restoration: spaced and glued forms, real words left alone, the author's style kept."""

import pytest

from newsingest.stages.normalize import normalize_counted, normalize_text
from newsingest.stages.normalize.zwnj import Lexicon, Restorer, default_restorer, restore_zwnj

Z = "\u200c"


@pytest.mark.parametrize(
    "before, after",
    [
        ("می شود", f"می{Z}شود"),
        ("نمی توان", f"نمی{Z}توان"),
        ("کتاب ها", f"کتاب{Z}ها"),
        ("همکاری های", f"همکاری{Z}های"),
        ("جامعه ای", f"جامعه{Z}ای"),
        ("مهم ترین", f"مهم{Z}ترین"),
    ],
)
def test_spaced_forms(before, after):
    assert restore_zwnj(before) == after


@pytest.mark.parametrize(
    "before, after",
    [
        ("میشود", f"می{Z}شود"),
        ("نمیتوان", f"نمی{Z}توان"),
        ("همکاریهای", f"همکاری{Z}های"),
        ("جامعهای", f"جامعه{Z}ای"),
        ("بینالمللی", f"بین{Z}المللی"),
        ("رئیسجمهور", f"رئیس{Z}جمهور"),
        ("داشتهاند", f"داشته{Z}اند"),
    ],
)
def test_glued_forms(before, after):
    assert restore_zwnj(before) == after


@pytest.mark.parametrize("word", ["میدان", "میز", "میلیون", "میان", "انتهای", "تهران", "تنها", "میلاد", "کرده"])
def test_real_words_are_not_broken(word):
    assert restore_zwnj(f"این {word} است") == f"این {word} است"


def test_a_text_that_shows_its_zwnjs_keeps_its_joined_plurals():
    # The author writes می‌ with a ZWNJ, so the joined plural is a choice, not a loss.
    assert restore_zwnj(f"کتابها را می{Z}خوانم") == f"کتابها را می{Z}خوانم"
    assert restore_zwnj("کتابها را میخوانم") == f"کتاب{Z}ها را می{Z}خوانم"


def test_restoration_counts_words_changed():
    assert restore_zwnj.count("همکاریهای بینالمللی میشود") == (f"همکاری{Z}های بین{Z}المللی می{Z}شود", 3)
    assert restore_zwnj.count("hello world") == ("hello world", 0)


def test_words_written_with_a_zwnj_elsewhere_in_the_text_are_learned():
    restorer = default_restorer()
    text = f"نخست{Z}وزیر گفت که نخستوزیر"
    out, _ = restorer.restore(text, learn_from_input=True)
    assert out == f"نخست{Z}وزیر گفت که نخست{Z}وزیر"


def test_persian_pipeline_restores_the_sample_words():
    text, counts = normalize_counted("همکاريهاي بينالمللي مي شود", "fa")
    assert text == f"همکاری{Z}های بین{Z}المللی می{Z}شود"
    assert counts["zwnj_restored"] == 3 and counts["persian_letters"] == 5


def test_no_restoration_outside_persian():
    for lang in ("ur", "id", "und"):
        assert normalize_text("میشود کتاب ها", lang) == "میشود کتاب ها"
    assert Z not in normalize_text("میشود کتاب ها", "ar")


@pytest.mark.parametrize(
    "before, after",
    [
        ("وی\u200dژه", "ویژه"),  # one word: ویژه is known, ژه is not a word
        ("ت\u200dاثیر", "تاثیر"),
        ("مسئله\u200fای ویژه", f"مسئله{Z}ای ویژه"),  # two morphemes: a lost ZWNJ, as before
        ("می\u200dشود", f"می{Z}شود"),
        ("کتاب\u200eها", f"کتاب{Z}ها"),
    ],
)
def test_an_invisible_character_inside_one_word_is_removed(before, after):
    assert normalize_text(before, "fa") == after


def test_removing_an_invisible_character_inside_a_word_is_counted():
    assert normalize_counted("وی\u200dژه", "fa") == ("ویژه", {"joiners_in_words": 1})


@pytest.mark.parametrize(
    "before, after",
    [
        ("کآمده", "کآمده"),  # one letter before آ is no morpheme: no ZWNJ put there
        (f"ک{Z}آمده", "کآمده"),  # nor kept there
        ("میآید و مسالمتآمیز", f"می{Z}آید و مسالمت{Z}آمیز"),  # after a morpheme it belongs
        (f"می{Z}آید و جمع{Z}آوری", f"می{Z}آید و جمع{Z}آوری"),
    ],
)
def test_zwnj_before_alef_madda(before, after):
    assert normalize_text(before, "fa") == after


# --- segmentation errors seen in scraped Persian ------------------------------------------------


@pytest.mark.parametrize(
    "before, after",
    [
        # The plural of a known noun beats ه + enclitic when both parse (خون‌های, not خونه‌ای).
        ("نتیجه آزمایش خونهای بیماران", f"نتیجه آزمایش خون{Z}های بیماران"),
        # A name or unknown stem takes no enclitic when the stem with ه is no known word.
        ("بازیکن تیم وستهام گفت", "بازیکن تیم وستهام گفت"),
        # An unknown noun in -ید is a loanword: its plural, not a guessed participle + ای.
        ("ساختار پپتیدهای کوچک", f"ساختار پپتید{Z}های کوچک"),
        # Participles of past stems still take their endings.
        ("بازتابیدهاند و نکشتهام", f"بازتابیده{Z}اند و نکشته{Z}ام"),
        ("جامعهای بزرگ", f"جامعه{Z}ای بزرگ"),
    ],
)
def test_suffix_segmentation(before, after):
    assert normalize_text(before, "fa") == after


def test_two_free_words_glued_by_a_scraper_get_a_space_not_a_zwnj():
    # نمره and سؤال are words, no compound joins them: the scraper lost a space.
    assert normalize_text("نمرهسؤال اول", "fa") == "نمره سؤال اول"
    # Where the second part is a compound element (‌گذاری), the ZWNJ belongs.
    assert normalize_text("سرمایهگذاری", "fa") == f"سرمایه{Z}گذاری"


@pytest.mark.parametrize(
    "before, after",
    [
        ("بیانصافی", f"بی{Z}انصافی"),  # a productive first element: بی‌
        ("داستانپردازی", f"داستان{Z}پردازی"),  # a productive last element: ‌پردازی
        ("سیاستهای نهادهای مالی", f"سیاست{Z}های نهادهای مالی"),  # نهاد + ها after a non-joining letter
    ],
)
def test_glued_compounds_of_productive_elements(before, after):
    assert normalize_text(before, "fa") == after


def _lexicon(tmp_path, rows):
    import gzip

    path = tmp_path / "lexicon.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("# test lexicon\n")
        for word, zipf in rows:
            f.write(f"{word}\t{zipf}\n")
    return Lexicon(path)


def test_a_text_that_writes_its_zwnjs_keeps_a_known_glued_word(tmp_path):
    lexicon = _lexicon(tmp_path, [(f"پاک{Z}سازی", 435), ("پاکسازی", 420), ("پاک", 500), ("سازی", 450),
                                  (f"می{Z}بینیم", 450), ("عملیات", 500)])
    restorer = Restorer(lexicon)
    # The author writes می‌بینیم: the glued پاکسازی, a word the web writes, is a choice.
    assert restorer.restore(f"عملیات پاکسازی را می{Z}بینیم")[0] == f"عملیات پاکسازی را می{Z}بینیم"
    # A text without any ZWNJ lost them: the more frequent ZWNJ spelling is restored.
    assert restorer.restore("عملیات پاکسازی را میبینیم")[0] == f"عملیات پاک{Z}سازی را می{Z}بینیم"


def test_the_commoner_word_with_heh_takes_the_enclitic_when_no_plural_is_attested(tmp_path):
    # کوچه is commoner than کوچ and no plural of کوچ is known: کوچهای is "an alley".
    lexicon = _lexicon(tmp_path, [("کوچه", 466), ("کوچ", 420), ("در", 700), ("زندگی", 550)])
    assert Restorer(lexicon).restore("در کوچهای زندگی")[0] == f"در کوچه{Z}ای زندگی"
    # With a plural of کوچ attested, the plural reading stands.
    lexicon = _lexicon(tmp_path, [("کوچه", 466), ("کوچ", 420), (f"کوچ{Z}ها", 330), ("در", 700), ("زندگی", 550)])
    assert Restorer(lexicon).restore("در کوچهای زندگی")[0] == f"در کوچ{Z}های زندگی"
    # And where the word without ه is the commoner one, too (کتاب‌های).
    lexicon = _lexicon(tmp_path, [("کتابه", 300), ("کتاب", 560), ("در", 700)])
    assert Restorer(lexicon).restore("در کتابهای")[0] == f"در کتاب{Z}های"
