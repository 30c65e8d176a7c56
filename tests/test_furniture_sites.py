"""Furniture that real news sites print, with before/after cases per language: video and live-show
promotions, page turns, end markers and credit lines, contact lines, source lines with non-ASCII
URLs, follow-us calls glued to the last paragraph, datelines that name an agency; and body lines
that mention the same words and must stay in `text`."""

import pytest

from newsingest.stages.extract import account_lines, classify_line, extract_article


def reason(line):
    kind = classify_line(line)
    return kind.reason if kind else None


def text_lines(article):
    return article.text.split("\n")


ID_PARA = "Presiden Joko Widodo meninjau lokasi banjir di Bekasi bersama gubernur dan para menteri pada Senin pagi."
ID_PARA2 = "Warga berharap pemerintah segera membangun tanggul baru agar banjir tidak terulang setiap musim hujan."
AR_PARA = "قال مسؤولون في وزارة الصحة إن الحملة ستشمل جميع المناطق خلال الأسابيع المقبلة لتطعيم الأطفال."
AR_PARA2 = "وأضافوا أن الفرق الميدانية بدأت عملها منذ صباح اليوم في عدد من المدن والقرى النائية في البلاد."
FA_PARA = "وزیر امور خارجه امروز در نشست خبری گفت که مذاکرات با طرف های اروپایی هفته آینده ادامه خواهد یافت."
FA_PARA2 = "وی افزود که هیئت ایرانی پیشنهادهای تازه ای را برای حل مسائل باقی مانده به طرف مقابل ارائه کرده است."


# --- 1. Indonesian/Malay video and live-show promotions, page turns, desk initials -----------------

@pytest.mark.parametrize("line", [
    "Simak juga Video 'Jokowi Tinjau Banjir di Bekasi':",
    'Tonton juga video "Detik-detik Banjir Bandang" di sini:',
    "Lihat juga Video: Warga Terjebak Banjir di Kemang",
    "Saksikan Live DetikPagi:",
    "Saksikan juga 'PDIP Beri Masukan soal Reshuffle: Pak Jokowi Punya Kalkulasi':",
    "Tonton video: Banjir landa Kuala Lumpur",  # ms
])
def test_video_and_live_promotions_are_furniture(line):
    assert reason(line) == "promo"


@pytest.mark.parametrize("line", [
    "Klik halaman berikutnya >>>",
    "Berlanjut di halaman berikutnya.",
    "Simak selengkapnya di halaman berikutnya...",
    "Bersambung ke halaman selanjutnya.",
    "Bersambung di halaman seterusnya",  # ms
    "Continued on next page",  # en
])
def test_page_turns_are_furniture_anywhere(line):
    kind = classify_line(line)
    assert kind is not None and kind.reason == "page_turn" and kind.anywhere


def test_indonesian_promo_block_at_the_end_leaves_the_text():
    body = "\n".join([
        ID_PARA, "Klik halaman berikutnya >>>", ID_PARA2,
        "Simak juga Video 'Jokowi Tinjau Banjir di Bekasi':", "[Gambas:Video 20detik]",
        "Saksikan Live DetikPagi:", '"Ngopi Pagi Bareng Kami"', "[Gambas:Instagram]", "(mul/mpr)",
    ])
    a = extract_article(body)
    assert text_lines(a) == [ID_PARA, ID_PARA2]
    assert [b.reason for b in a.boilerplate] == [
        "page_turn", "promo", "ad_slot", "promo", "promo", "ad_slot", "end_marker",
    ]


def test_a_promotion_between_two_pages_goes_and_a_body_sentence_about_a_video_stays():
    body = "\n".join([
        ID_PARA, "Saksikan juga 'Gandeng BPN, Polda Metro Berantas Mafia Tanah!':", ID_PARA2,
        "Polisi kemudian memeriksa video yang beredar di Instagram dan meminta keterangan saksi.",
        "Saksikan juga penampilan mereka di final yang akan digelar Minggu malam di Jakarta.",
        ID_PARA,
    ])
    a = extract_article(body)
    assert text_lines(a) == [
        ID_PARA, ID_PARA2,
        "Polisi kemudian memeriksa video yang beredar di Instagram dan meminta keterangan saksi.",
        "Saksikan juga penampilan mereka di final yang akan digelar Minggu malam di Jakarta.",
        ID_PARA,
    ]


@pytest.mark.parametrize("line", [
    "Kami akan melanjutkan pembahasan ini di halaman berikutnya laporan tahunan yang terbit bulan depan.",
    "Warga diminta menyimak juga video edukasi yang dibagikan Dinas Kesehatan melalui akun resmi mereka.",
])
def test_body_lines_that_mention_pages_and_videos_are_text(line):
    assert classify_line(line) is None


# --- 2. End markers, credit lines, contact lines ---------------------------------------------------

@pytest.mark.parametrize("line, why", [
    ("انتهای متن/", "end_marker"),
    ("/انتهای پیام/", "end_marker"),
    ("و م ع", "credit"),
    ("خاص", "credit"),
    ("- متابعة -", "credit"),
    ("Arfaj555@yahoo.com", "contact"),
    ("للتواصل أرسل sms إلى 88548", "contact"),
    ("للتواصل مع الكاتب ارسل رسالة SMS", "contact"),
    ("88591 - Stc", "contact"),
    ("تبدأ بالرمز (100) ثم مسافة ثم نص الرسالة إلى", "contact"),
    ("...المزيد", "related_links"),
])
def test_end_markers_credits_and_contacts(line, why):
    assert reason(line) == why


def test_arabic_byline_with_dash_before_the_first_paragraph_goes():
    for byline in ("عين اليوم – تشيلي", "عمر إبراهيم – عين اليوم", "وكالات – مكة المكرمة / جدة"):
        a = extract_article("\n".join(["الحكومة تطلق حملة تطعيم جديدة", byline, AR_PARA, AR_PARA2, "Arfaj555@yahoo.com"]))
        assert text_lines(a) == [AR_PARA, AR_PARA2], byline
        assert [b.reason for b in a.boilerplate] == ["byline", "contact"]


def test_a_list_of_pairs_with_dashes_stays():
    # fixtures in the tail: team – team is a list, not a byline
    body = "\n".join([FA_PARA, FA_PARA2, "باستیا – نیس", "تولوز – ترویه", "بوردو – المپیک لیون"])
    assert text_lines(extract_article(body)) == [FA_PARA, FA_PARA2, "باستیا – نیس", "تولوز – ترویه", "بوردو – المپیک لیون"]


def test_an_email_inside_a_sentence_is_text():
    line = "ويمكن للقراء إرسال ملاحظاتهم إلى البريد الإلكتروني للصحيفة info@example.com في أي وقت."
    assert classify_line(line) is None


# --- 3. Source lines ---------------------------------------------------------------------------------

def test_pashto_source_label_fills_the_url():
    ps = "د افغانستان د بهرنیو چارو وزارت وايي چې له ګاونډیو هېوادونو سره خبرې به دوام ومومي."
    a = extract_article("\n".join([ps, ps, "سرچینه: https://www.bbc.com/pashto/afghanistan-59123456"]))
    assert a.url == "https://www.bbc.com/pashto/afghanistan-59123456"
    assert text_lines(a) == [ps, ps]


@pytest.mark.parametrize("line, url", [
    ("المصدر: http://aawsat.com/home/article/398571/«بيجو»-تدشن-سيارة-تجسس-«خارقة»",
     "http://aawsat.com/home/article/398571/«بيجو»-تدشن-سيارة-تجسس-«خارقة»"),
    ("Source: http://www.al-madina.com/node/620986/«ألوان-السعودية»-تستقبل-المشاركات.html",
     "http://www.al-madina.com/node/620986/«ألوان-السعودية»-تستقبل-المشاركات.html"),
    ("Source: https://example.com/news/o'neill-wins-the-final", "https://example.com/news/o'neill-wins-the-final"),
    ("(Sumber: https://news.detik.com/berita/d-123/banjir)", "https://news.detik.com/berita/d-123/banjir"),
    ("«منبع: https://www.isna.ir/news/1402/خبر»", "https://www.isna.ir/news/1402/خبر"),
])
def test_source_urls_with_quotes_and_non_ascii_letters(line, url):
    a = extract_article("\n".join([AR_PARA, AR_PARA2, line]))
    assert a.url == url and text_lines(a) == [AR_PARA, AR_PARA2]


def test_a_source_named_in_a_sentence_stays():
    line = "وقال المصدر: إن المفاوضات مستمرة ولم يتم التوصل إلى أي اتفاق حتى الآن بين الطرفين المتنازعين."
    a = extract_article("\n".join([AR_PARA, line]))
    assert line in text_lines(a) and a.url is None


# --- 4. A follow-us call glued to the last paragraph -------------------------------------------------

@pytest.mark.parametrize("para, footer", [
    (AR_PARA, "تابع الجزيرة نت على:"),
    (ID_PARA, "Ikuti kami di Instagram"),
    ("Kerajaan akan mengumumkan langkah baharu minggu depan.", "Ikuti kami di Telegram"),  # ms
    (FA_PARA, "ما را در تلگرام دنبال کنید"),
    ("The talks will resume in Geneva next week, officials said.", "Follow us on Twitter"),
    ("وزیراعظم نے کہا کہ حکومت عوام کو ریلیف دینے کے لیے ہر ممکن اقدام کرے گی۔", "ہمیں ٹوئٹر پر فالو کریں"),  # ur
])
def test_a_glued_follow_us_call_leaves_the_last_line(para, footer):
    body = "\n".join([ID_PARA2, f"{para} {footer}"])
    a = extract_article(body)
    assert text_lines(a) == [ID_PARA2, para]
    assert [(b.text, b.reason) for b in a.boilerplate] == [(footer, "subscription")]
    assert account_lines(body, a) == []


@pytest.mark.parametrize("last", [
    # not after a sentence end
    "Para pendukung terus mengikuti kami di Instagram",
    # not at the end of the line
    "Pemerintah akan mengumumkan hasilnya besok pagi. Ikuti kami di Instagram untuk kabar terbaru tentang banjir "
    "yang melanda ibu kota dan sekitarnya.",
    # a sentence about following, not a known call closing the line
    "وتابع الوزير حديثه قائلا إن الحكومة ستواصل العمل. تابع الرئيس الجلسة حتى نهايتها.",
    # a long content sentence that names a channel
    "Untuk info lebih lengkap dan daftar kelas terbaru bisa kunjungi detikevent.com . Jangan lupa untuk "
    "mengikuti kami di Instagram dan TikTok @detikcourse untuk tips menarik dan update informasi kelas.",
])
def test_lines_that_only_mention_following_stay_whole(last):
    a = extract_article("\n".join([ID_PARA2, last]))
    assert text_lines(a) == [ID_PARA2, last]


# --- 6. A sentence of content that names a channel is not a subscription call -----------------------

@pytest.mark.parametrize("line", [
    "Seperti apa keseruan obrolan podcast Bamsoet dengan Imam Shamsi Ali, bisa disaksikan selengkapnya di kanal YouTube Bamsoet Channel.",
    "Untuk info lebih lengkap dan daftar kelas terbaru bisa kunjungi detikevent.com . Jangan lupa untuk mengikuti kami di Instagram dan TikTok @detikcourse untuk tips menarik dan update informasi kelas.",
    "وأوضح المتحدث أن الوزارة نشرت مقطعا مصورا على قناة يوتيوب الرسمية يشرح خطوات التسجيل في المنصة الجديدة للطلاب والمعلمين.",
])
def test_long_content_sentences_naming_a_channel_are_text(line):
    assert classify_line(line) is None


@pytest.mark.parametrize("line", [
    "Ikuti berita terkini dari detikcom di Google News.",
    "Simak berita terkini lainnya di kanal Telegram kami.",
    "Dapatkan update berita pilihan dan breaking news setiap hari dari kami dengan bergabung di kanal Telegram resmi kami sekarang juga.",
    "للاشتراك في قناتنا على تلغرام اضغط هنا",
])
def test_subscription_calls_stay_furniture(line):
    assert reason(line) == "subscription"


# --- 5. Datelines that name an agency give the publisher --------------------------------------------

@pytest.mark.parametrize("opening, publisher", [
    ("دبي، الإمارات العربية المتحدة (CNN)-- أعلنت السلطات اليوم عن خطة جديدة لتطوير شبكة النقل العام في المدينة.", "CNN"),
    ("القدس (CNN)-- قال مسؤولون إن المفاوضات ستستأنف الأسبوع المقبل في العاصمة المصرية القاهرة.", "CNN"),
    ("الرياض، المملكة العربية السعودية (واس) - أعلنت وزارة الصحة عن بدء حملة التطعيم في جميع المناطق.", "واس"),
    ("تهران، ایران (ایرنا) - وزیر امور خارجه امروز در نشست خبری گفت که مذاکرات ادامه خواهد یافت.", "ایرنا"),
    ("اسلام آباد، پاکستان (اے پی پی) - وزیراعظم نے کہا کہ حکومت عوام کو ریلیف دینے کے لیے اقدامات کرے گی۔", "اے پی پی"),
    ("Jakarta, Indonesia (ANTARA) - Pemerintah akan mengumumkan hasil seleksi calon pegawai negeri pekan depan.", "ANTARA"),
    ("NEW YORK CITY, United States (AP) — Officials said on Monday that the new plan was approved by the council.", "AP"),
    ("(Reuters) - Oil prices rose on Tuesday after producers agreed to extend supply cuts into the next year.", "Reuters"),
])
def test_datelines_with_longer_places_give_the_agency(opening, publisher):
    a = extract_article("\n".join([opening, ID_PARA2]))
    assert a.publisher == publisher


def test_an_agency_in_the_middle_of_a_sentence_is_no_publisher():
    line = "Menurut laporan kantor berita negara itu, sejumlah pejabat (ANTARA) - kemudian membantah kabar tersebut di depan wartawan."
    assert extract_article("\n".join([line, ID_PARA2])).publisher is None
