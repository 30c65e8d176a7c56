import pytest

from newsingest.extract import extract_title, extract_url


@pytest.mark.parametrize(
    "text, title",
    [
        ("تاکید چین بر همکاری با روسیه\nمتن خبر.", "تاکید چین بر همکاری با روسیه"),
        ("China and Belarus upgrade ties\n\nBody text.", "China and Belarus upgrade ties"),
        ("This is the first sentence of the body.\nMore.", None),
        ("آیا این پرسش است؟\nمتن", None),
        ("Only one line, no body after it", None),
        ("Word\nBody follows.", None),
        ("https://example.com/a-headline-looking-url\nBody.", None),
        (" ".join(["word"] * 40) + "\nBody.", None),
    ],
)
def test_title_is_the_first_line_when_it_reads_as_a_headline(text, title):
    assert extract_title(text) == title


@pytest.mark.parametrize(
    "line, url",
    [
        ("منبع: https://baoquocte.vn/a-1.html", "https://baoquocte.vn/a-1.html"),
        ("Sumber: https://example.co.id/berita/123", "https://example.co.id/berita/123"),
        ("Source : http://example.com/x.", "http://example.com/x"),
        ("المصدر: https://example.com/ar/1", "https://example.com/ar/1"),
        ("(منبع: THX)", None),
        ("Read more at https://example.com/", None),
        ("The source: https://example.com/ was cited", None),
    ],
)
def test_url_comes_from_a_labelled_line(line, url):
    assert extract_url(f"Body of the article.\n{line}\nfooter") == url


def test_last_labelled_line_wins():
    assert extract_url("Source: http://a.example/1\nbody\nSource: http://b.example/2") == "http://b.example/2"
