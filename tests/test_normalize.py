import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsingest.normalize import normalize_text
from newsingest.normalize.rules import fold_whitespace, unicode_nfc


@pytest.mark.parametrize(
    "before, after",
    [
        ("Cafe\u0301", "Café"),
        ("\u0627\u0653", "\u0622"),  # alef + madda above composes to آ
        ("already composed", "already composed"),
    ],
)
def test_unicode_nfc(before, after):
    assert unicode_nfc(before) == after


@pytest.mark.parametrize(
    "before, after",
    [
        ("a  \t b", "a b"),
        ("  leading and trailing  ", "leading and trailing"),
        ("a\n\n\n\nb", "a\n\nb"),
        ("\n\na\n\n", "a"),
        ("میشود\u2003است", "میشود است"),  # em space
        ("Kata  demi\u3000kata", "Kata demi kata"),
    ],
)
def test_fold_whitespace(before, after):
    assert fold_whitespace(before) == after


@given(st.text(), st.sampled_from(["fa", "ar", "id", "und"]))
def test_normalize_is_idempotent(text, lang):
    once = normalize_text(text, lang)
    assert normalize_text(once, lang) == once
