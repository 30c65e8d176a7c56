import subprocess
import sys

import pytest

from newsingest.langid import MIN_LETTERS, detect_language


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t", "1234567890 ۱۲۳۴ ٤٥٦", "https://example.com/a/b?c=1", "🙂🙂🎉🎉🎉", "a", "!!! ... ???"],
    ids=["empty", "blank", "digits", "url", "emoji", "one-letter", "punctuation"],
)
def test_too_little_text_is_und_never_an_exception(text):
    assert detect_language(text) == ("und", 0.0)


def test_threshold_is_on_letters():
    assert detect_language("x" * (MIN_LETTERS - 1))[0] == "und"


@pytest.mark.parametrize(
    "text, lang",
    [
        ("وزیر امور خارجه چین در دیدار با همتای روس خود اعلام کرد که پکن آماده همکاری است", "fa"),
        ("أجرى وزير الخارجية الصيني اليوم محادثات مع نظيره الروسي في مدينة ناننينغ", "ar"),
        ("Perdana Menteri Tiongkok mengunjungi Belarus dan mengadakan pembicaraan dengan mitranya", "id"),
    ],
)
def test_detects_sample_languages(text, lang):
    got, score = detect_language(text)
    assert got == lang and 0.5 < score <= 1.0


SNIPPETS = [
    "ok ok ok ok ok ok ok ok",
    "Selamat pagi dunia, apa kabar semua",
    "این یک متن کوتاه است",
    "das ist ein kurzer Satz hier",
]


def test_same_labels_in_another_process():
    here = [detect_language(text) for text in SNIPPETS]
    code = (
        "import sys, json; from newsingest.langid import detect_language; "
        "print(json.dumps([detect_language(t) for t in json.loads(sys.stdin.read())]))"
    )
    import json

    for _ in range(2):
        run = subprocess.run(
            [sys.executable, "-c", code], input=json.dumps(SNIPPETS), capture_output=True, text=True, check=True
        )
        assert [tuple(pair) for pair in json.loads(run.stdout)] == here
