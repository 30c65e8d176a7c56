"""ZWNJ restoration: spaced and glued forms, real words left alone, the author's style kept."""

import pytest

from newsingest.stages.normalize import normalize_counted, normalize_text
from newsingest.stages.normalize.zwnj import default_restorer, restore_zwnj

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
