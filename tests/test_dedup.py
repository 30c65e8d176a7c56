from hypothesis import given
from hypothesis import strategies as st

from newsingest.dedup import dedup_key, text_hash
from newsingest.normalize import normalize_text


def test_key_folds_case_width_and_whitespace():
    assert dedup_key("Hello   World\n\n") == dedup_key("ＨＥＬＬＯ\tworld") == "hello world"


def test_presentation_forms_fold_to_base_letters():
    assert dedup_key("\ufefb") == "\u0644\u0627"


def test_different_texts_get_different_hashes():
    assert text_hash("a cat sat") != text_hash("a cat sits")
    assert len(text_hash("x")) == 32 and int(text_hash("x"), 16) >= 0


@given(st.text(), st.sampled_from(["fa", "ar", "id", "en", "und"]))
def test_hash_survives_normalization(text, lang):
    assert text_hash(normalize_text(text, lang)) == text_hash(text)
