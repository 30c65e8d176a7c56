"""Article extraction: furniture out of `text`, metadata filled, nothing lost."""


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest.io.container import read_container
from newsingest.stages.extract import account_lines, classify_line, extract_article

from .conftest import ROOT, SAMPLE


def sample_articles():
    with open(ROOT / SAMPLE, "rb") as stream:
        return {m.name[:3]: m for m in read_container(stream, SAMPLE)}


def reasons(article):
    return [item.reason for item in article.boilerplate]


STORY_URL = (
    "https://baoquocte.vn/thu-tuong-trung-quoc-tham-belarus-giuong-cao-ngon-co-phan-doi-ba-quyen-va-tieu-chuan-kep"
    "-khang-dinh-tinh-ban-tot-thuc-su-283620.html"
)


# --- the five sample articles: the wanted values of the extraction issue, as a golden test -------


def test_sample_000_persian_caption_source_and_comment_counter():
    m = sample_articles()["000"]
    a = extract_article(m.body, first_line=m.line + 1)
    assert a.title is None and a.url == STORY_URL and a.publisher_url is None
    assert a.captions == [
        "لی کیانگ، نخست وزیر چین (چپ) و رومن گولوفچنکو، همتای بلاروسی او، در ۲۲ آگوست در مینسک، پایتخت بلاروس، "
        "دیدار کردند. (منبع: THX)"
    ]
    assert reasons(a) == ["source_line", "comment_counter"]
    assert [item.line for item in a.boilerplate] == [m.line + 14, m.line + 21]
    assert "منبع" not in a.text and "نظر (0)" not in a.text and "THX" not in a.text
    assert a.date_published is None  # "۲۲ آگوست" states no year


def test_sample_001_indonesian_shares_the_story_url():
    m = sample_articles()["001"]
    a = extract_article(m.body, first_line=m.line + 1)
    assert a.url == STORY_URL
    assert a.captions[0].endswith("(Sumber: THX)")
    assert reasons(a) == ["ad_slot", "source_line", "comment_counter"]
    assert a.text.startswith("Pada tanggal 22 Agustus") and a.text.endswith("demokrasi dan hak asasi manusia.")
    assert a.date_published is None


def test_sample_002_arabic_headline_subscription_and_related_links():
    m = sample_articles()["002"]
    a = extract_article(m.body, first_line=m.line + 1)
    assert a.title == "الصين وبيلاروسيا تتفقان على الارتقاء بالعلاقات الثنائية إلى مستوى شراكة استراتيجية شاملة"
    assert a.url is None  # the homepage link is the publisher's, never the article's
    assert a.publisher_url == "https://unewsagency.com"
    assert reasons(a) == ["rule", "subscription", "link", "rule"] + ["related_links"] * 4
    assert a.text.startswith("قرر الرئيسان") and a.text.endswith("والتجارة الإلكترونية.")


def test_sample_003_persian_title_once_lead_end_marker_and_publisher():
    m = sample_articles()["003"]
    a = extract_article(m.body, first_line=m.line + 1)
    assert a.title == "تاکید چین بر همکاری با روسیه در جهت منافع ملی دو کشور"
    assert reasons(a) == ["title_repeat", "end_marker", "news_code", "copyright"]
    assert a.publisher == "خبرگزاری تسنیم"
    lead = a.text.split("\n")[0]
    assert lead.startswith("وزیر امور خارجه چین") and lead.endswith("منافع ملی دو طرف است.")  # no stray |
    assert a.title not in a.text


def test_sample_004_arabic_dateline_date_counters_and_agency():
    m = sample_articles()["004"]
    a = extract_article(m.body, first_line=m.line + 1)
    assert a.title == "وزيرا خارجية الصين وروسيا يجريان محادثات ويتوصلان إلى توافقات استراتيجية"
    assert a.date_published == "2021-03-23"  # the dateline, not the bullet date of the page (3/24)
    assert a.publisher == "شينخوا"
    assert reasons(a) == ["date_meta", "time_meta", "counter", "counter", "counter", "image_label", "share_label"]
    assert a.text.startswith("ناننينغ 23 مارس 2021 (شينخوا)")


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_sample_articles_lose_no_line(key):
    m = sample_articles()[key]
    assert account_lines(m.body, extract_article(m.body)) == []


# --- line classification, several languages each ------------------------------------------------


@pytest.mark.parametrize(
    "line, reason",
    [
        ("نظر (0)", "comment_counter"),
        ("Komentar (0)", "comment_counter"),
        ("12 Comments", "comment_counter"),
        ("التعليقات (۳)", "comment_counter"),
        ("[iklan_2]", "ad_slot"),
        ("ADVERTISEMENT", "ad_slot"),
        ("إعلان", "ad_slot"),
        ("Related articles", "related_links"),
        ("مواضيع ذات صلة", "related_links"),
        ("Baca juga: Jokowi resmikan bendungan baru di Sulawesi", "related_links"),
        ("اقرأ أيضا: الصين وروسيا توقعان اتفاقا", "related_links"),
        ("مطالب مرتبط", "related_links"),
        ("یہ بھی پڑھیں", "related_links"),
        ("مشاركة :", "share_label"),
        ("Bagikan", "share_label"),
        ("Facebook Twitter WhatsApp", "share_label"),
        ("انتهای پیام/", "end_marker"),
        ("(انتهى)", "end_marker"),
        ("© | خبرگزاری تسنیم |", "copyright"),
        ("© 2024 Kompas.com", "copyright"),
        ("جميع الحقوق محفوظة لموقع اليوم السابع", "copyright"),
        ("کلیه حقوق این سایت محفوظ است", "copyright"),
        ("منبع: https://example.ir/news/1", "source_line"),
        ("Sumber: https://example.co.id/a", "source_line"),
        ("گروه خبری: 1337 |", "news_code"),
        ("کد خبر: ۱۲۳۴۵۶", "news_code"),
        ("https://unewsagency.com", "link"),
        ("➖➖➖➖➖➖➖", "rule"),
        ("|", "rule"),
        ("• 3/24/2021", "date_meta"),
        ("Diterbitkan: 23 Maret 2021", "date_meta"),
        ("• 00:00", "time_meta"),
        ("• 4", "counter"),
        ("news-picture", "image_label"),
        ("Foto: ANTARA/Hafidz Mubarak", "image_label"),
        ("Penulis: Dian Sari", "byline"),
        ("خبرنگار: علی رضایی", "byline"),
        ("By Jane Doe", "byline"),
        ("Home > News > World", "breadcrumb"),
        ("خانه » سیاست » بین‌الملل", "breadcrumb"),
        ("Tags: China, Belarus", "tags"),
        ("برچسب‌ها: چین، روسیه", "tags"),
        ("3 min read", "reading_time"),
        ("Sumber: Antara", "credit"),
        ("للاشتراك في قناتنا على تلغرام", "subscription"),
        ("Follow us on Twitter", "subscription"),
        ("Follow Instagram detikNews", "subscription"),
        ("حمّل تطبيق الجزيرة نت", "subscription"),
        ("(ختم)", "end_marker"),
        ("(nvl/ptr)", "end_marker"),
        ("سرویس: سیاسی", "section"),
        ("Kanal: Nasional", "section"),
        ("۷ دقیقه پیش", "time_meta"),
        ("Updated 4 hours ago", "time_meta"),
        ("news.detik.com", "link"),
        ("www.irna.ir", "link"),
        ("المشاهدات: ٩٤٤", "counter"),
        ("كتب: أحمد السيد", "byline"),
        ("- إعلان -", "ad_slot"),
        ("Via ANTARA", "credit"),
        ("اخبار / سیاست خارجی", "breadcrumb"),
    ],
)
def test_furniture_lines(line, reason):
    assert classify_line(line).reason == reason


@pytest.mark.parametrize(
    "line",
    [
        "وزیر امور خارجه چین در دیدار با سرگئی لاوروف اعلام کرد که پکن آماده ادامه همکاری است.",
        "ایران خواستار عضویت در بریکس شد",  # a short headline-like sentence, not a subscription
        "احترام به کلیه حقوق شهروندان",  # 'all rights' without 'reserved'
        "By the end of the year the talks had failed.",
        "Sumber daya alam Indonesia sangat kaya.",  # 'sumber' as a word, not a label
        "Beijing dan Minsk berjanji untuk membangun hubungan internasional jenis baru.",
        "لاوروف خواستار مقابله مشترک با دخالتها در امور جنوب شرق آسیا با چین شد",
        "وقال إن الصين شريك موثوق",
        "Editor of the newspaper resigned on Monday after the scandal",
    ],
)
def test_text_lines_are_not_furniture(line):
    assert classify_line(line) is None


@pytest.mark.parametrize(
    "line, caption",
    [
        ("| لی کیانگ در مینسک (منبع: THX) |", "لی کیانگ در مینسک (منبع: THX)"),
        ("Presiden Joko Widodo meresmikan bendungan (Foto: ANTARA/Hafidz)", None),
        ("وزير الخارجية الصيني يلتقي نظيره الروسي في بكين (رويترز)", None),
        ("Protesters gather outside parliament - (AP Photo/Jane Doe)", None),
        ("بازدید وزیر از نمایشگاه کتاب - عکاس: علی رضایی", None),
        ("عکس: بازدید وزیر از نمایشگاه بین‌المللی کتاب تهران / ایسنا", None),
    ],
)
def test_captions_leave_the_text(line, caption):
    p = "The first paragraph of the story tells what happened in the city yesterday."
    a = extract_article(f"{p}\n{line}\n{p} And more.")
    assert a.captions == [caption or line]
    assert line not in a.text


def test_a_sentence_that_ends_with_an_agency_is_text():
    line = "وقال المتحدث إن المحادثات ستستمر الأسبوع المقبل. (رويترز)"
    p = "The first paragraph of the story tells what happened in the city yesterday."
    assert extract_article(f"{p}\n{line}\n{p}").captions == []


def test_furniture_in_the_middle_stays_unless_unmistakable():
    p1 = "The first paragraph of the story tells what happened in the city yesterday."
    p2 = "The second paragraph gives the background that readers need to follow it."
    p3 = "The third paragraph quotes an official who spoke to reporters after the meeting."
    body = f"{p1}\nSumber: Antara\n{p2}\n[iklan_1]\n{p3}"
    a = extract_article(body)
    assert a.text == f"{p1}\nSumber: Antara\n{p2}\n{p3}"
    assert reasons(a) == ["ad_slot"]


def test_related_block_takes_its_headlines():
    body = "Body text of the article.\nMore body.\n\nRelated articles\nChina and Russia sign deal\nMinsk hosts summit"
    a = extract_article(body)
    assert a.text == "Body text of the article.\nMore body."
    assert reasons(a) == ["related_links"] * 3


def test_copyright_year_is_not_a_date():
    a = extract_article("Headline of the story here\nBody text.\n© 2024 Example News")
    assert a.date_published is None
    assert a.publisher == "Example News"


def test_keep_boilerplate_leaves_text_and_fills_metadata():
    m = sample_articles()["000"]
    a = extract_article(m.body, keep_boilerplate=True)
    assert a.text.endswith("نظر (0)") and a.url == STORY_URL
    assert reasons(a) == ["source_line", "comment_counter"]


def test_learnt_furniture_lines_go_anywhere():
    a = extract_article("Intro.\nSubscribe to our daily newsletter today\nBody.", furniture_lines=frozenset({"Subscribe to our daily newsletter today"}))
    assert a.text == "Intro.\nBody." and reasons(a) == ["repeated_line"]


# --- nothing lost, for any body ------------------------------------------------------------------

_LINES = st.sampled_from(
    [
        "A sentence of the article body.", "جمله‌ای از متن خبر است.", "نظر (0)", "[iklan_2]", "Related articles",
        "© 2024 Example", "منبع: https://example.ir/a", "• 3/24/2021", "|", "", "   ", "Headline words here",
        "| caption text of the photo (Foto: ANTARA) |", "مشاركة :", "انتهای پیام/", "https://example.com",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_LINES, st.text(max_size=40)), max_size=15))
def test_every_line_is_accounted_for(lines):
    body = "\n".join(lines)
    for keep in (False, True):
        article = extract_article(body, keep_boilerplate=keep)
        assert account_lines(body, article) == []


@pytest.mark.parametrize(
    "line",
    [
        "Follow us on Telegram", "ſubſcribe to our newsletter", "Kanal Telegram kami", "İkuti kami di Google News",
        "JOIN US on whatsapp", "برای دریافت اخبار در کانال تلگرام ما عضو شوید", "تابعونا على فيسبوك", "an ordinary sentence",
        "© 2024 Example", "All rightſ reserved.", "Hak Cipta Dilindungi", "جميع حقوق النشر محفوظة", "(C) Kompas",
        "Reproduction is prohibited", "copyrighted material was quoted", "a line about the right to reserve a table",
    ],
)
def test_gated_searches_agree_with_their_patterns(line):
    from newsingest.stages.extract import _COPYRIGHT_GATED, _SUBSCRIPTION_GATED, COPYRIGHT, SUBSCRIPTION

    assert bool(_SUBSCRIPTION_GATED.search(line)) == bool(SUBSCRIPTION.search(line))
    assert bool(_COPYRIGHT_GATED.search(line)) == bool(COPYRIGHT.search(line))


@pytest.mark.parametrize(
    "line",
    [
        "Warga antre di depan kantor kelurahan pada Senin pagi (Foto: ANTARA)",
        "Presiden berbicara kepada wartawan di istana - Photo credit: AFP",
        "Image caption: The minister speaks to reporters after the meeting",
        "وزير الخارجية يتحدث للصحفيين في القاهرة (رويترز)", "A sentence without any of it at all, and a comma",
    ],
)
def test_the_caption_test_agrees_with_its_pattern(line):
    from newsingest.stages.extract import CAPTION, _caption

    assert bool(_caption(line)) == bool(CAPTION.match(line))
