"""The headline and the header zone: which first line is the `title`, and what lies under it."""

import pytest

from newsingest.resources import by_language
from newsingest.stages.extract import extract_article

# Lead paragraphs in each language, as they follow a headline.
LEAD = {
    "fa": "مراسم مجمع عمومی باشگاه پرسپولیس روز گذشته با حضور سهامداران در سالن همایش‌های صدا و سیما برگزار شد.",
    "ar": "أتذكر درجة حزني عندما شرح لي الطبيب المختص أن أحد الأسباب الرئيسية لمرض والدي كانت تآكل جدران الأعصاب.",
    "id": "Tiket balapan Formula E Jakarta 2023 untuk dua hari balapan sudah habis terjual sejak pekan lalu, kata panitia.",
    "ur": "عالمی منڈی میں قیمتوں میں اضافے کے بعد پاکستان میں بھی سونے کی فی تولہ قیمت میں اضافہ ریکارڈ کیا گیا ہے۔",
    "ps": "د افغانستان د مرکزي بانک د معلوماتو له مخې په تېر کال کې د هېواد اقتصادي وده تر ټولو ټیټه کچه وه.",
    "ms": "Harga minyak mentah dunia terus menurun minggu ini selepas permintaan dari China dilaporkan semakin lemah.",
    "en": "The central bank held its main rate steady on Wednesday and signalled that cuts could come later this year.",
}
MORE = {
    "fa": "به گزارش خبرنگار ورزشی، این مراسم قرار بود به صورت زنده از شبکه ورزش پخش شود اما پخش نشد.",
    "ar": "من يدرس التاريخ سيجد أن الأسوار الدفاعية التي يبنيها الإنسان غالبا ما تكون هشة مهما كانت قوتها.",
    "id": "Panitia meminta penonton yang belum mendapat tiket untuk tidak membeli dari calo di sekitar sirkuit.",
    "ur": "ماہرین کے مطابق آئندہ ہفتے بھی سونے کی قیمت میں اتار چڑھاؤ کا امکان ہے اور سرمایہ کار محتاط ہیں۔",
    "ps": "اقتصادپوهان وايي چې د بهرنیو مرستو کمښت او د بانکي سیستم ستونزې د دې کمښت اصلي لاملونه دي.",
    "ms": "Penganalisis berkata harga dijangka kekal rendah sehingga akhir suku tahun ini jika keadaan tidak berubah.",
    "en": "Officials said inflation had eased for a third month in a row but remained above the target.",
}


def _article(*lines):
    return extract_article("\n".join(lines))


# --- headlines that end like a question, an exclamation or a trailing thought ---------------------


@pytest.mark.parametrize(
    "lang, headline",
    [
        ("fa", "چرا مراسم مجمع پخش نشد؟"),
        ("fa", "پرسپولیس باز هم با علی دایی جام می‌گیرد!"),
        ("ar", "معلمة تبوك.. من المخطئ؟!"),
        ("ar", "سوريا والضمير العالمي المُسهّد!"),
        ("ar", "اليقظة اليقظة .."),
        ("id", "Tiket Formula E Jakarta 2023 Sold Out!"),
        ("id", "87 Persen Mahasiswa RI Merasa Salah Jurusan, Apa Sebabnya?"),
        ("id", "Roblox Banyak Ditanya di Google Bukan Karena Populer, Tapi..."),
        ("id", "Mau Naik Ojol Lagi? Jangan Lupa Bawa Helm Sendiri, Ya!"),
        ("ur", "پاکستان میں آج سونے کی قیمت کیا رہی؟"),
        ("ur", "یہ ملتان نہیں! ایم سی جی ہے، بیبی۔ کمنٹیٹر کا تبصرہ وائرل"),
        ("ps", "ولې د افغانستان اقتصاد کمزوری شو؟"),
        ("ms", "Harga minyak turun lagi minggu ini!"),
        ("en", "Is the Fed done raising rates?"),
        ("en", 'Minister on the new tax: "Nobody Will Pay More!"'),
    ],
)
def test_a_question_or_exclamation_headline_is_the_title(lang, headline):
    a = _article(headline, LEAD[lang], MORE[lang])
    assert a.title == headline
    assert a.text == f"{LEAD[lang]}\n{MORE[lang]}"


@pytest.mark.parametrize(
    "lang, headline",
    [("ar", "جـدران"), ("ar", "حالة..."), ("fa", "اصلاحیه"), ("fa", "ونگر:‌خیلی‌خوب‌به‌شکست‌ها‌واکنش‌نشان‌دادیم")],
)
def test_a_one_word_headline_over_a_paragraph_is_the_title(lang, headline):
    assert _article(headline, LEAD[lang], MORE[lang]).title == headline
    # a date line may stand between them
    a = _article(headline, "31/07/2015 03:45", LEAD[lang])
    assert a.title == headline and a.date_published == "2015-07-31" and a.text == LEAD[lang]


def test_a_one_word_line_over_a_short_line_is_not_a_title():
    a = _article("Frontera", "إخراج: مايكل بيري", "بطولة: إد هاريس، إيفا لونغوريا", LEAD["ar"])
    assert a.title is None and a.text.startswith("Frontera\n")


def test_the_date_line_under_a_question_headline_gives_the_date_and_leaves_the_text():
    for headline, date_line, lang, iso in [
        ("معلمة تبوك.. من المخطئ؟!", "25/07/2015", "ar", "2015-07-25"),
        ("رؤية الشاعر.. بين المأساة والمعاناة!!", "2015-08-08", "ar", "2015-08-08"),
        ("دلایل دین‌گریزی جوانان چیست؟", "۱۳۹۹/۰۵/۰۱", "fa", "2020-07-22"),
    ]:
        a = _article(headline, date_line, LEAD[lang], MORE[lang])
        assert (a.title, a.date_published, a.text) == (headline, iso, f"{LEAD[lang]}\n{MORE[lang]}")
        assert [(b.text, b.reason) for b in a.boilerplate] == [(date_line, "date_meta")]


# --- one line missed does not cascade: the header under an untitled first line is still read ------


@pytest.mark.parametrize(
    "lang, first, date_line, iso",
    [
        # an exclamation too long for a headline
        ("ar", "لن أشتري منكم أبدًا ولن أعود إلى متجركم مهما قدمتم من عروض وتخفيضات وهدايا ومسابقات لأنكم خذلتموني حين احتجت إليكم في ذلك اليوم الصعب!",
         "السبت 8 أغسطس 2015", "2015-08-08"),
        # a line that opens with a site's credit is not a headline
        ("id", "DETIK.COM - Rekrutmen Guru Sekolah Rakyat Tambah di 10 Lokasi", "Diterbitkan: 23 Maret 2021", "2021-03-23"),
        ("fa", "خبرگزاری فارس: دلایل دین‌گریزی جوانان", "۱۳۹۹/۰۵/۰۱", "2020-07-22"),
    ],
)
def test_a_first_line_not_taken_as_title_does_not_keep_the_date_line_in_the_text(lang, first, date_line, iso):
    a = _article(first, date_line, LEAD[lang], MORE[lang])
    assert a.title is None
    assert a.date_published == iso
    assert a.text == f"{first}\n{LEAD[lang]}\n{MORE[lang]}"
    assert [(b.text, b.reason) for b in a.boilerplate] == [(date_line, "date_meta")]


def test_a_lead_sentence_still_ends_the_head_zone():
    # a body-only member: the furniture-like line after its first sentence is in the middle of the body
    first = "Presiden meresmikan bendungan baru di Jawa Tengah pada Senin pagi."
    a = _article(first, "Sumber: Antara", LEAD["id"], MORE["id"])
    assert a.title is None and a.boilerplate == [] and a.text.startswith(f"{first}\nSumber: Antara\n")


# --- body-only members: a first line that is body, not a headline ----------------------------------


@pytest.mark.parametrize(
    "lang, first",
    [
        # a sentence with its full stop inside closing quotes, or behind invisible marks
        ("ar", "وقال المتحدث باسم الوزارة إن «الحكومة ملتزمة بالاتفاق حتى نهايته.»"),
        ("id", "\"Kami akan terus berupaya menjaga harga tetap stabil.\""),
        ("id", "\"Kapan lagi kita bisa menonton balapan bersama?\""),
        ("en", "“The talks will go on until a deal is reached.”"),
        ("fa", "رایان گیگز، کمک مربی منچستریونایتد، معتقد است که شیاطین سرخ باید بهتر از فصل گذشته رقابت های \u200fلیگ برتر را آغاز کنند.\u200f"),
        ("fa", "به نظر می رسد آینده ای روشن در انتظار این تیم و پپ گواردیولا باشد.\u200b\u200b\u200b"),
        ("ur", "عالمی منڈی میں قیمتوں میں اضافہ ریکارڈ کیا گیا۔\u200e"),
        # a long line of several sentences, cut before its last full stop
        ("id", "Cerita fiksi adalah karangan yang dibuat berdasarkan imajinasi penulisnya, bukan berdasarkan kisah nyata. "
               "Seperti apakah contoh cerita fiksi pendek ya"),
        ("id", "Student Beans, aplikasi diskon untuk para pelajar, baru-baru ini melakukan sebuah riset, terkait game "
               "paling populer dan favorit di dunia . Ada Roblox..."),
        # a long question or exclamation is a sentence of the body
        ("fa", "در دیدار شب گذشته دورتموند- بایرن، هواداران میزبان پذیرایی ویژه ای از مانوئل نویر، دروازه بان ملی پوش باواریایی ها داشتند!"),
        # bylines and agency credits
        ("ar", "تحليل من سارة الأحمد"),
        ("fa", "خبرگزاري فارس : وزارت اوقاف و امور مذهبي فلسطين از توزيع گوشتهاي قرباني حجاج خبر داد"),
        ("ar", "SITE.INFO - متابعة"),
        ("id", "Oleh: Rina Kartika"),
        ("ms", "Oleh: Ahmad Zaki"),
        ("en", "Analysis by Jane Doe"),
        # a table's header, a pointer elsewhere
        ("id", "No\tNama\tJabatan"),
        ("id", "| No | Nama Sekolah | Kuota |"),
        ("id", "Baca beritanya dalam bahasa Inggris"),
        ("en", "Read this story in Arabic"),
        # lead fragments left by a dateline cut off
        ("id", "- Badan Siber dan Sandi Negara ("),
        ("id", "- Sejumlah pejabat seperti Menteri Keuangan"),
    ],
)
def test_a_body_first_line_is_not_a_title(lang, first):
    a = _article(first, LEAD[lang], MORE[lang])
    assert a.title is None
    assert a.text.endswith(f"{LEAD[lang]}\n{MORE[lang]}")


def test_a_line_that_the_next_continues_in_lower_case_is_not_a_title():
    a = _article("Setelah menjaja", "pada Selasa (17/12/2019) lalu menggunakan mobil Avanza, kali ini detikcom mencoba tol layang.")
    assert a.title is None and a.text.startswith("Setelah menjaja\npada Selasa")
    # a headline over its lead, a separator line between, is still a headline
    headline = "Luncurkan DIGI Goes to School, bank bjb Ajak Siswa Melek Finansial"
    a = _article(headline, "-", "bank bjb berkomitmen untuk terus memperluas produk dan layanan perbankan ke dunia pendidikan.")
    assert a.title == headline


# --- a member that is only a credit or a link has no body ------------------------------------------


@pytest.mark.parametrize(
    "line, reason",
    [("SITE.INFO - متابعة", "credit"), ("KOMPAS.com - Jakarta", "credit"), ("https://www.example.com/news/2021/03/23/1", "link")],
)
def test_a_member_that_is_only_a_credit_or_a_link_has_no_text(line, reason):
    a = extract_article(line)
    assert a.text == "" and a.title is None
    assert [(b.text, b.reason) for b in a.boilerplate] == [(line, reason)]


def test_a_site_credit_line_in_the_head_is_furniture_and_names_the_publisher():
    a = _article("SITE.INFO - متابعة", LEAD["ar"], MORE["ar"])
    assert a.text == f"{LEAD['ar']}\n{MORE['ar']}"
    assert [(b.text, b.reason) for b in a.boilerplate] == [("SITE.INFO - متابعة", "credit")]
    assert a.publisher == "SITE.INFO"


# --- the [lead] phrases of the resources each keep their line from being a headline ---------------

_LEAD_LINES = {
    "agency": "{} فارس: وزارت اوقاف از توزیع گوشت قربانی خبر داد",
    "by": "{}: Jane Doe",
    "elsewhere": "{} Inggris",
}


@pytest.mark.parametrize("key", sorted(_LEAD_LINES))
def test_every_lead_phrase_keeps_its_line_from_being_a_title(key):
    taken = []
    for lang, phrases in by_language("lead", key).items():
        for phrase in phrases:
            line = _LEAD_LINES[key].format(phrase)
            if extract_article(f"{line}\n{LEAD['en']}").title is not None:
                taken.append((lang, line))
    assert taken == []
