"""Wrap clean news bodies in realistic page furniture, with a label for every line.

Why: `extract_article` must strip furniture without touching the body, and real scrapes
carry no ground truth. Wrapping bodies that are known to be clean (NTREX-128 documents,
Persian treebank sentences) in generated furniture gives an exact label for every line,
and the expected title, URL and date of every article.

Every article draws from its own `random.Random(f"{seed}:{lang}:{index}")`, so a seed
always gives the same articles, whatever the number of articles asked for.

The templates are written from memory of real sites (ISNA, IRNA, Tasnim, Mehr, Hamshahri;
Al Jazeera, Xinhua Arabic, Youm7, Asharq Al-Awsat, Al Arabiya; Jang, Express, BBC Urdu,
Dawn; Kompas, Detik, Antara, Tempo, CNN Indonesia) and of English UI strings, which sites
in every language use. A template marked `*` belongs to the "held_out" family: about a
third of the articles take their furniture (and date forms) from that family only, so
the evaluation can tell furniture an extractor was built against from furniture it has
not seen.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import quote

LANGS = ("fa", "ar", "ur", "id")
COMMON, HELD_OUT = "common", "held_out"
HELD_OUT_SHARE = 0.3
ENGLISH_SHARE = 0.2  # chance that a furniture line uses an English UI string

# --- ground truth ------------------------------------------------------------------------------


@dataclass
class Line:
    """One line of a generated article and what it is."""

    text: str
    label: str  # title | body | furniture | caption | blank
    kind: str = ""  # for furniture and captions: ad, source, share, headline_repeat, ...
    family: str = ""  # template family of a furniture or caption line
    variants: tuple[str, ...] = ()  # other acceptable forms of a body line (its dateline removed)
    caption: str = ""  # the words of a caption, without its credit


@dataclass
class Article:
    id: str
    lang: str
    family: str
    lines: list[Line]
    title: str | None
    url: str | None
    publisher_url: str | None
    date: str | None  # ISO date the text states, or None
    date_case: str  # how the date was (not) written: dateline, meta, both, no_year, copyright_only, none
    source: str  # where the body came from

    @property
    def body(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class Body:
    """A clean article body: its text and the spans of its sentences, so paragraphs stay exact."""

    lang: str
    source: str
    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)

    def sentence(self, i: int) -> str:
        start, end = self.spans[i]
        return self.text[start:end]


SENTENCE_END = re.compile(r"(?<=[.؟?!۔])\s+")


def body_from_document(text: str, lang: str, source: str) -> Body:
    """Sentence spans of one NTREX document; a document with line breaks keeps its lines as units."""
    spans = []
    if "\n" in text.strip():
        pos = 0
        for part in text.split("\n"):
            if part.strip():
                start = pos + len(part) - len(part.lstrip())
                spans.append((start, pos + len(part.rstrip())))
            pos += len(part) + 1
        return Body(lang, source, text, spans)
    start = len(text) - len(text.lstrip())
    for match in SENTENCE_END.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    end = len(text.rstrip())
    if end > start:
        spans.append((start, end))
    return Body(lang, source, text, spans)


def bodies_from_sentences(sentences: list[str], lang: str, seed: int) -> list[Body]:
    """Consecutive sentences grouped into pseudo-articles of 6-12 sentences."""
    rng = random.Random(f"{seed}:{lang}:pseudo-articles")
    bodies, i = [], 0
    while i + 6 <= len(sentences):
        group = [s.strip() for s in sentences[i : i + rng.randint(6, 12)] if s.strip()]
        text, spans = "", []
        for sentence in group:
            if text:
                text += " "
            spans.append((len(text), len(text) + len(sentence)))
            text += sentence
        bodies.append(Body(lang, f"sentences {i + 1}-{i + len(group)}", text, spans))
        i += len(group)
    return bodies


def paragraphs_of(body: Body, rng: random.Random) -> list[str]:
    """Paragraphs of 2-3 sentences, each an exact slice of the source text."""
    if "\n" in body.text.strip():
        return [body.text[a:b] for a, b in body.spans]
    paragraphs, i = [], 0
    while i < len(body.spans):
        j = min(len(body.spans), i + rng.randint(2, 3))
        if len(body.spans) - j == 1:  # no lonely last sentence
            j += 1
        paragraphs.append(body.text[body.spans[i][0] : body.spans[j - 1][1]])
        i = j
    return paragraphs


# --- dates ------------------------------------------------------------------------------------


def gregorian_to_jalali(gy: int, gm: int, gd: int) -> tuple[int, int, int]:
    """Solar Hijri date of a Gregorian one (the 33-year arithmetic rule, exact for 1800-2100)."""
    days_before_month = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
    gy2 = gy + 1 if gm > 2 else gy
    days = (
        355666 + 365 * gy + (gy2 + 3) // 4 - (gy2 + 99) // 100 + (gy2 + 399) // 400
        + gd + days_before_month[gm - 1]
    )
    jy = -1595 + 33 * (days // 12053)
    days %= 12053
    jy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        jy += (days - 1) // 365
        days = (days - 1) % 365
    if days < 186:
        return jy, 1 + days // 31, 1 + days % 31
    return jy, 7 + (days - 186) // 30, 1 + (days - 186) % 30


EN_MONTHS = "January February March April May June July August September October November December".split()
ID_MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()
ID_MONTHS_SHORT = "Jan Feb Mar Apr Mei Jun Jul Agu Sep Okt Nov Des".split()
AR_MONTHS = "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر".split()
AR_LEVANT_MONTHS = [
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
    "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
]
FA_GREGORIAN_MONTHS = [
    ("ژانویه",), ("فوریه",), ("مارس",), ("آوریل",), ("مه", "می"), ("ژوئن",),
    ("ژوئیه", "جولای"), ("اوت", "آگوست"), ("سپتامبر",), ("اکتبر",), ("نوامبر",), ("دسامبر",),
]
FA_SOLAR_MONTHS = "فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند".split()
UR_MONTHS = "جنوری فروری مارچ اپریل مئی جون جولائی اگست ستمبر اکتوبر نومبر دسمبر".split()
WEEKDAYS = {  # Monday first, as date.weekday()
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
    "id": "Senin Selasa Rabu Kamis Jumat Sabtu Minggu".split(),
    "ar": "الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد".split(),
    "fa": "دوشنبه سه‌شنبه چهارشنبه پنجشنبه جمعه شنبه یکشنبه".split(),
    "ur": "پیر منگل بدھ جمعرات جمعہ ہفتہ اتوار".split(),
}
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def localize_digits(text: str, style: str) -> str:
    if style == "persian":
        return text.translate(PERSIAN_DIGITS)
    if style == "arabic":
        return text.translate(ARABIC_DIGITS)
    return text


def _fa_month(d: date, rng: random.Random) -> str:
    return rng.choice(FA_GREGORIAN_MONTHS[d.month - 1])


# Date forms: (language, family, has_year, render). Numeric day/month forms are only used when
# the day is above 12, so that every date has one reading.
DATE_FORMS = [
    ("en", COMMON, True, lambda d, r: f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"),
    ("en", COMMON, True, lambda d, r: f"{EN_MONTHS[d.month - 1]} {d.day}, {d.year}"),
    ("en", COMMON, True, lambda d, r: d.isoformat()),
    ("en", COMMON, True, lambda d, r: f"{d.day:02d}/{d.month:02d}/{d.year}"),
    ("en", COMMON, True, lambda d, r: f"{d.month}/{d.day}/{d.year}"),
    ("en", COMMON, False, lambda d, r: f"{d.day} {EN_MONTHS[d.month - 1]}"),
    ("en", COMMON, False, lambda d, r: f"{EN_MONTHS[d.month - 1]} {d.day}"),
    ("en", HELD_OUT, True, lambda d, r: f"{WEEKDAYS['en'][d.weekday()]}, {EN_MONTHS[d.month - 1][:3]} {d.day}, {d.year}"),
    ("en", HELD_OUT, True, lambda d, r: f"{d.day:02d}.{d.month:02d}.{d.year}"),
    ("en", HELD_OUT, False, lambda d, r: f"{EN_MONTHS[d.month - 1][:3]} {d.day}"),
    ("id", COMMON, True, lambda d, r: f"{d.day} {ID_MONTHS[d.month - 1]} {d.year}"),
    ("id", COMMON, True, lambda d, r: f"{WEEKDAYS['id'][d.weekday()]}, {d.day} {ID_MONTHS[d.month - 1]} {d.year}"),
    ("id", COMMON, True, lambda d, r: f"{d.day:02d}/{d.month:02d}/{d.year}"),
    ("id", COMMON, False, lambda d, r: f"{d.day} {ID_MONTHS[d.month - 1]}"),
    ("id", COMMON, False, lambda d, r: f"{WEEKDAYS['id'][d.weekday()]}, {d.day} {ID_MONTHS[d.month - 1]}"),
    ("id", HELD_OUT, True, lambda d, r: f"{WEEKDAYS['id'][d.weekday()]}, {d.day:02d} {ID_MONTHS_SHORT[d.month - 1]} {d.year}"),
    ("id", HELD_OUT, True, lambda d, r: f"{d.day}-{d.month:02d}-{d.year}"),
    ("id", HELD_OUT, False, lambda d, r: f"{d.day:02d} {ID_MONTHS_SHORT[d.month - 1]}"),
    ("ar", COMMON, True, lambda d, r: f"{d.day} {AR_MONTHS[d.month - 1]} {d.year}"),
    ("ar", COMMON, True, lambda d, r: f"{d.day} {AR_LEVANT_MONTHS[d.month - 1]} {d.year}"),
    ("ar", COMMON, True, lambda d, r: f"{d.year}/{d.month}/{d.day}"),
    ("ar", COMMON, False, lambda d, r: f"{d.day} {AR_MONTHS[d.month - 1]}"),
    ("ar", HELD_OUT, True, lambda d, r: f"{WEEKDAYS['ar'][d.weekday()]}، {d.day} {AR_MONTHS[d.month - 1]} {d.year}"),
    ("ar", HELD_OUT, True, lambda d, r: f"{d.day} {AR_MONTHS[d.month - 1]} / {AR_LEVANT_MONTHS[d.month - 1]} {d.year}"),
    ("ar", HELD_OUT, False, lambda d, r: f"{WEEKDAYS['ar'][d.weekday()]} {d.day} {AR_LEVANT_MONTHS[d.month - 1]}"),
    ("fa", COMMON, True, lambda d, r: f"{d.day} {_fa_month(d, r)} {d.year}"),
    ("fa", COMMON, True, lambda d, r: "{2} {1} {0}".format(*_jalali_named(d))),
    ("fa", COMMON, False, lambda d, r: "{2} {1}".format(*_jalali_named(d))),
    ("fa", COMMON, False, lambda d, r: f"{d.day} {_fa_month(d, r)}"),
    ("fa", HELD_OUT, True, lambda d, r: "{0}/{1:02d}/{2:02d}".format(*gregorian_to_jalali(d.year, d.month, d.day))),
    ("fa", HELD_OUT, True, lambda d, r: WEEKDAYS["fa"][d.weekday()] + " {2} {1} {0}".format(*_jalali_named(d))),
    ("fa", HELD_OUT, False, lambda d, r: WEEKDAYS["fa"][d.weekday()] + " {2} {1}".format(*_jalali_named(d))),
    ("ur", COMMON, True, lambda d, r: f"{d.day} {UR_MONTHS[d.month - 1]} {d.year}"),
    ("ur", COMMON, True, lambda d, r: f"{d.day:02d}/{d.month:02d}/{d.year}"),
    ("ur", COMMON, False, lambda d, r: f"{d.day} {UR_MONTHS[d.month - 1]}"),
    ("ur", HELD_OUT, True, lambda d, r: f"{WEEKDAYS['ur'][d.weekday()]} {d.day} {UR_MONTHS[d.month - 1]} {d.year}"),
    ("ur", HELD_OUT, True, lambda d, r: f"{d.day} {UR_MONTHS[d.month - 1]}، {d.year}"),
    ("ur", HELD_OUT, False, lambda d, r: f"{WEEKDAYS['ur'][d.weekday()]} {d.day} {UR_MONTHS[d.month - 1]}"),
]
NUMERIC_DAY_MONTH = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$")


def _jalali_named(d: date) -> tuple[int, str, int]:
    jy, jm, jd = gregorian_to_jalali(d.year, d.month, d.day)
    return jy, FA_SOLAR_MONTHS[jm - 1], jd


def render_date(d: date, lang: str, family: str, with_year: bool, digits: str, rng: random.Random) -> str:
    """The date as a site in `lang` would print it; held-out articles may also use held-out forms."""
    forms = [f for f in DATE_FORMS if f[0] == lang and f[2] == with_year and (f[1] == COMMON or family == HELD_OUT)]
    if family == HELD_OUT and rng.random() < 0.6:
        forms = [f for f in forms if f[1] == HELD_OUT] or forms
    while True:
        text = rng.choice(forms)[3](d, rng)
        if not (NUMERIC_DAY_MONTH.match(text) and d.day <= 12):
            break
    return text if lang == "en" else localize_digits(text, digits)


# --- sites ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    name: str  # as printed on the site
    home: str
    url: str  # article URL pattern; may hold the date
    url_nodate: str  # the same site's URL without any date in it
    agency: str  # how the site credits itself in datelines and captions


SITES = {
    "fa": [
        Site("ایسنا", "https://www.isna.ir", "https://www.isna.ir/news/{jy}{jm:02d}{jd:02d}{n5}/{slug}",
             "https://www.isna.ir/xd/{code}", "ایسنا"),
        Site("ایرنا", "https://www.irna.ir", "https://www.irna.ir/news/{n8}/{slug}",
             "https://www.irna.ir/news/{n8}/{slug}", "ایرنا"),
        Site("خبرگزاری تسنیم", "https://www.tasnimnews.com",
             "https://www.tasnimnews.com/fa/news/{jy}/{jm:02d}/{jd:02d}/{n7}/{slug}", "https://tn.ai/{n7}", "تسنیم"),
        Site("خبرگزاری مهر", "https://www.mehrnews.com", "https://www.mehrnews.com/news/{n7}/{slug}",
             "https://www.mehrnews.com/news/{n7}/{slug}", "مهر"),
        Site("همشهری آنلاین", "https://www.hamshahrionline.ir", "https://www.hamshahrionline.ir/news/{n6}/{slug}",
             "https://www.hamshahrionline.ir/news/{n6}/{slug}", "همشهری"),
    ],
    "ar": [
        Site("الجزيرة نت", "https://www.aljazeera.net", "https://www.aljazeera.net/news/{y}/{m}/{d}/{slug}",
             "https://aja.me/{code}", "الجزيرة"),
        Site("شينخوا", "http://arabic.news.cn", "http://arabic.news.cn/{y}-{m:02d}/{d:02d}/c_{n9}.htm",
             "http://arabic.news.cn/world/c_{n9}.htm", "شينخوا"),
        Site("اليوم السابع", "https://www.youm7.com", "https://www.youm7.com/story/{y}/{m}/{d}/{slug}/{n7}",
             "https://www.youm7.com/{n7}", "أ ش أ"),
        Site("الشرق الأوسط", "https://aawsat.com", "https://aawsat.com/node/{n7}", "https://aawsat.com/node/{n7}",
             "الشرق الأوسط"),
        Site("العربية", "https://www.alarabiya.net", "https://www.alarabiya.net/arab-and-world/{y}/{m:02d}/{d:02d}/{slug}",
             "https://www.alarabiya.net/arab-and-world/{n6}", "العربية.نت"),
    ],
    "ur": [
        Site("روزنامہ جنگ", "https://jang.com.pk", "https://jang.com.pk/news/{n7}", "https://jang.com.pk/news/{n7}",
             "جنگ نیوز"),
        Site("ایکسپریس نیوز", "https://www.express.pk", "https://www.express.pk/story/{n7}/1/",
             "https://www.express.pk/story/{n7}/1/", "ایکسپریس"),
        Site("بی بی سی اردو", "https://www.bbc.com/urdu", "https://www.bbc.com/urdu/pakistan-{n8}",
             "https://www.bbc.com/urdu/articles/c{code}o", "بی بی سی"),
        Site("ڈان نیوز", "https://www.dawnnews.tv", "https://www.dawnnews.tv/news/{n7}/",
             "https://www.dawnnews.tv/news/{n7}/", "ڈان نیوز"),
    ],
    "id": [
        Site("Kompas.com", "https://www.kompas.com",
             "https://nasional.kompas.com/read/{y}/{m:02d}/{d:02d}/{hh}{mm}{n4}/{slug}", "https://kmp.im/{code}",
             "KOMPAS.com"),
        Site("detikNews", "https://news.detik.com", "https://news.detik.com/berita/d-{n7}/{slug}",
             "https://news.detik.com/berita/d-{n7}/{slug}", "detikcom"),
        Site("ANTARA", "https://www.antaranews.com", "https://www.antaranews.com/berita/{n7}/{slug}",
             "https://www.antaranews.com/berita/{n7}/{slug}", "ANTARA"),
        Site("Tempo.co", "https://www.tempo.co", "https://nasional.tempo.co/read/{n7}/{slug}",
             "https://nasional.tempo.co/read/{n7}/{slug}", "Tempo.co"),
        Site("CNN Indonesia", "https://www.cnnindonesia.com",
             "https://www.cnnindonesia.com/nasional/{y}{m:02d}{d:02d}{hh}{mm}{ss}-20-{n6}/{slug}",
             "https://www.cnnindonesia.com/nasional/{n6}/{slug}", "CNN Indonesia"),
    ],
}

NAMES = {
    "fa": ["محمد رضایی", "زهرا احمدی", "علی کریمی", "مریم حسینی", "حسین نوروزی", "فاطمه موسوی"],
    "ar": ["محمد عبد الله", "أحمد السيد", "سارة خالد", "هبة محمود", "يوسف العلي", "منى إبراهيم"],
    "ur": ["عمران علی", "فاطمہ خان", "نوید احمد", "سحر بلوچ", "عابد حسین", "ثنا اعجاز"],
    "id": ["Hafidz Mubarak", "Dewi Lestari", "Rizky Pratama", "Fitri Handayani", "Agus Salim", "Sigid Kurniawan"],
    "en": ["John Smith", "Sarah Lee", "David Brown", "Maria Garcia", "Ahmed Khan", "Lina Chen"],
}
CITIES = {
    "fa": ["تهران", "مشهد", "اصفهان", "تبریز", "شیراز", "گرگان", "اهواز"],
    "ar": ["القاهرة", "بيروت", "الرياض", "بغداد", "ناننينغ", "بكين", "دبي", "الدوحة", "عمّان"],
    "ur": ["اسلام آباد", "کراچی", "لاہور", "پشاور", "کوئٹہ", "ملتان"],
    "id": ["Jakarta", "Surabaya", "Bandung", "Medan", "Makassar", "Denpasar", "Yogyakarta"],
}
AGENCIES = {
    "fa": ["ایرنا", "ایسنا", "مهر", "تسنیم", "شینهوا", "فارس"],
    "ar": ["شينخوا", "أ ف ب", "رويترز", "أ ش أ", "واس", "د ب أ"],
    "ur": ["اے پی پی", "ویب ڈیسک", "نمائندہ جنگ", "آن لائن", "اسٹاف رپورٹر"],
    "id": ["ANTARA", "KOMPAS.com", "detikcom", "Tempo.co", "Antara"],
}

# --- templates --------------------------------------------------------------------------------

# One template a line: "LANG TEXT" or "LANG* TEXT" (held-out family); LANG "en" may decorate
# an article in any language. Placeholders are filled per draw (see `_fields`).
TEMPLATES = """
[meta]
fa • {time}
fa بازدید: {big}
fa زمان انتشار: {time}
fa سرویس: سیاسی
fa {n} دقیقه پیش
fa* تعداد بازدید: {big}
fa* دسته‌بندی: اقتصاد | {time}
ar • {time}
ar منذ {n} ساعات
ar المشاهدات: {big}
ar* عدد القراءات: {big}
ar* قسم: سياسة
ur • {time}
ur {n} گھنٹے پہلے
ur* اپ ڈیٹ {n} منٹ قبل
id • {n}
id {n} jam lalu
id Dibaca {big} kali
id* {time} WIB
id* Kategori: Nasional
en • {time}
en • {n}
en Updated {n} hours ago
en {big} views
en* Last updated: {time}
en* Category: World

[date]
fa تاریخ انتشار: {date} - {time}
fa {date} - {time}
fa • {date}
fa* انتشار: {date}
ar نشر في: {date}
ar {date} - {time}
ar • {date}
ar* تاريخ النشر: {date} | {time} بتوقيت مكة المكرمة
ur شائع {date} {time}
ur • {date}
ur* اپ ڈیٹ {date}
id {date} | {time} WIB
id {date}, {time} WIB
id • {date}
id* Kompas.com - {date}, {time} WIB
en Published: {date}
en • {date}
en {date} {time}
en* Published on {date} at {time}

[counter]
fa نظر ({n0})
fa دیدگاه‌ها ({n0})
fa {n} نظر
fa* تعداد نظرات: {n0}
ar تعليقات ({n0})
ar {n} تعليق
ar* عدد التعليقات: {n0}
ur تبصرے ({n0})
ur {n} تبصرے
id Komentar ({n0})
id {n} Komentar
id* Lihat Komentar ({n0})
en {n} Comments
en Comments ({n0})
en* {n0} Responses

[image_label]
fa عکس
fa تصویر
fa* عکس تزئینی است
ar صورة
ar صورة أرشيفية
ar* الصورة: أرشيفية
ur فائل فوٹو
ur تصویر
ur* فوٹو: فائل
id Foto:
id Ilustrasi
id* Foto: dok. Istimewa
en news-picture
en Image
en Photo
en* Image source, Getty Images

[byline]
fa خبرنگار: {name}
fa نویسنده: {name}
fa* گزارشگر: {name}
ar كتب: {name}
ar بقلم: {name}
ar* تحرير - {name}
ur رپورٹ: {name}
ur تحریر: {name}
ur* {name} بی بی سی اردو، {city}
id Penulis: {name}
id Editor: {name}
id Pewarta: {name}
id Reporter: {name}
id* Laporan wartawan Tribunnews.com, {name}
id* Penulis : {name} | Editor : {name2}
en By {name}
en* Written by {name}

[breadcrumb]
fa خانه » سیاست
fa صفحه نخست » اقتصاد » بازار
fa* اخبار / سیاست خارجی
ar الرئيسية › أخبار › عربي
ar الرئيسية / أخبار عاجلة
ar* الرئيسية » اقتصاد
ur ہوم » پاکستان
ur صفحہ اول / دنیا
ur* ہوم / کھیل
id Beranda / Nasional
id Home > Nasional > Politik
id* Beranda » Ekonomi » Bisnis
en Home > News > World
en Home / Middle East
en* News › World › Asia

[reading_time]
fa* خواندن: {n} دقیقه
ar قراءة {n} دقائق
ur* مطالعے کا وقت: {n} منٹ
id {n} menit baca
en Estimated reading time: {n} minutes
fa زمان مطالعه: {n} دقیقه
fa* مدت زمان مطالعه: {n} دقیقه
ar وقت القراءة: {n} دقائق
ar* {n} دقائق قراءة
ur پڑھنے کا وقت: {n} منٹ
id Waktu baca {n} menit
id* Estimasi baca: {n} menit
en {n} min read
en Reading time: {n} minutes
en* ⏱ {n}-minute read

[news_code]
fa کد خبر {code6}
ar* معرف الخبر: {code6}
ur* نیوز آئی ڈی: {code6}
id ID Berita: {code7}
id* Kode artikel: {code6}
en ID: {code7}
fa کد خبر: {code6}
fa گروه خبری: {code4} |
fa شناسه خبر: {code7}
fa* کد مطلب: {code6}
fa* {code4}**{code4}
ar رقم الخبر: {code6}
en News ID: {code6}
en Article ID: {code7}
en* Story code: {code6}

[ad]
fa تبلیغات
fa آگهی
fa* [تبلیغ]
ar إعلان
ar - إعلان -
ar* مساحة إعلانية
ur اشتہار
ur* تحریر جاری ہے
id [iklan_{n}]
id Iklan
id SCROLL TO CONTINUE WITH CONTENT
id* [-IKLAN-]
en ADVERTISEMENT
en Advertisement
en - Advertisement -
en* Sponsored
en* Advertisement · Scroll to continue

[read_more]
fa بیشتر بخوانید: {headline}
fa بخوانید: {headline}
fa* پیشنهاد ما: {headline}
ar اقرأ أيضا: {headline}
ar اقرأ أيضاً | {headline}
ar* طالع أيضا.. {headline}
ur یہ بھی پڑھیں: {headline}
ur* مزید پڑھیں — {headline}
id Baca juga: {headline}
id BACA JUGA: {headline}
id Simak juga: {headline}
id* Baca juga: {headline} {other_url}
id* Lihat juga: {headline}
en Read more: {headline}
en Also read: {headline}
en* See also: {headline}

[source]
fa منبع : {url}
ar المصدر : {url}
ur ماخذ : {url}
id Sumber : {url}
fa منبع: {url}
fa لینک خبر: {url}
fa* منبع خبر: {url}
ar المصدر: {url}
ar رابط المقال: {url}
ar* رابط الخبر: {url}
ur ماخذ: {url}
ur* ذریعہ: {url}
id Sumber: {url}
id Sumber berita: {url}
id* Artikel ini telah tayang di {site} dengan judul "{own_headline}", Klik untuk baca: {url}
en Source: {url}
en Source link: {url}
en* Originally published at {url}

[credit]
fa منبع: خبرگزاری‌ها
ar المصدر: {agency}
ur* بشکریہ: {site}
id Sumber: Antara
en Via {site}
fa منبع: {site}
fa* منبع: {agency}
ar المصدر: {site}
ar* المصدر: وكالات
ur ماخذ: {site}
id Sumber: {site}
id ({in1})
id* Sumber: {agency}
en Source: {site}
en* Source: Agencies

[share]
fa اشتراک گذاری
fa اشتراک‌گذاری
fa* اشتراک در: تلگرام | واتساپ | توییتر
ar مشاركة :
ar شارك
ar* مشاركة عبر: فيسبوك تويتر واتساب
ur شیئر کریں
ur* اس خبر کو شیئر کریں
id Bagikan
id Bagikan artikel ini
id* Share: Facebook Twitter WhatsApp
en Share this:
en Share
en Facebook Twitter WhatsApp Email
en* Share this article

[copyright]
fa © | خبرگزاری تسنیم |
fa کلیه حقوق این سایت متعلق به {site} است.
fa © {year} {site}
fa* استفاده از مطالب با ذکر منبع بلامانع است. © {year}
ar جميع الحقوق محفوظة
ar © {year} {site}. جميع الحقوق محفوظة
ar* حقوق النشر © {year} {site}
ur جملہ حقوق محفوظ ہیں
ur © {year} {site}
ur* کاپی رائٹ © {year} {site}
id © {year} {site}
id Hak Cipta © {year} {site}
id* COPYRIGHT © ANTARA {year}
en Copyright © {year} {site}. All rights reserved.
en All rights reserved.
en* (c) {year} {site}

[end]
fa /انتهای پیام
ar - انتهى -
ur* (ختم شد)
id (mdk/{in1})
en -- End --
fa انتهای پیام/
fa انتهای پیام
fa* انتهای خبر/
ar (انتهى)
ar انتهى
ar* ـ انتهى ـ
ur (ختم)
id ({in1}/{in2})
id (ant)
id* (antara/{in1})
en -END-
en END
en ###
en* — END —

[tags]
fa برچسب ها: {tags}
ar الوسوم: {tags}
ur* متعلقہ موضوعات: {tags}
id TAGS: {tags}
fa برچسب‌ها: {tags}
fa کلیدواژه‌ها: {tags}
fa* #{tag1} #{tag2}
ar الكلمات المفتاحية: {tags}
ar كلمات دالة: {tags}
ar* وسوم {tags}
ur ٹیگز: {tags}
id Tag: {tags}
id Topik: {tags}
id* #{tag1} #{tag2} #{tag3}
en Tags: {tags}
en Topics: {tags}
en* Filed under: {tags}

[related]
fa مطالب مرتبط
fa اخبار مرتبط
fa* پربازدیدترین‌ها
ar مواضيع ذات صلة
ar أخبار ذات صلة
ar* الأكثر قراءة
ur متعلقہ خبریں
ur مزید خبریں
ur* سب سے زیادہ پڑھی جانے والی
id Berita Terkait
id Artikel Terkait
id* Terpopuler
en Related articles
en You may also like
en More from World
en* Most Read

[subscribe]
fa* برای دریافت اخبار به ما بپیوندید
ar حمّل تطبيق {site}
ur {site} کی ایپ ڈاؤن لوڈ کریں
id Simak berita terkini lainnya di {site}
fa برای عضویت در کانال تلگرام {site} کلیک کنید
fa اخبار لحظه‌ای را در کانال {site} دنبال کنید
fa* جهت دریافت آخرین اخبار عضو شوید
ar اشترك في النشرة البريدية
ar تابعوا آخر الأخبار عبر قناتنا على تيليجرام
ar* للاشتراك في خدمة الأخبار العاجلة
ur ہمارے واٹس ایپ چینل کو فالو کریں
ur* تازہ ترین خبروں کے لیے سبسکرائب کریں
id Dapatkan update berita pilihan dan breaking news setiap hari dari {site}
id Mari bergabung di Grup Telegram "{site} News Update"
id* Ikuti kami di Google News
en Subscribe to our newsletter
en Join our Telegram channel
en* Get the latest news delivered to your inbox

[rule]
en •••••••
en 〰〰〰〰
en* ⸻⸻⸻
en ➖➖➖➖➖
en -----
en ━━━━━━━━━━
en *****
en* 〰️〰️〰️〰️
en* ==========

[social]
fa صفحه {site} در توییتر
ar تابعونا على إنستغرام
ur ٹوئٹر پر فالو کریں
id* Ikuti berita terkini dari {site} di Google News
fa ما را در اینستاگرام دنبال کنید
fa کانال تلگرام {site}
fa* {site} را در ایتا دنبال کنید
ar تابعونا على فيسبوك
ar تابعونا على تويتر
ar* تابعوا {site} على تطبيق نبض
ur ہمیں فیس بک پر فالو کریں
ur* ہمارا یوٹیوب چینل سبسکرائب کریں
id Ikuti kami di Google News
id Follow Instagram {site}
id* Pilih saluran andalanmu akses berita {site} WhatsApp Channel : https://www.whatsapp.com/channel/{code}
en Follow us on Twitter
en Follow us on Facebook
en* Like us on Facebook

[homepage]
en {home}
en {domain}
en* {home}/

[caption]
fa | {cap} (منبع: THX) |
fa {cap} (عکس: {agency})
fa عکس: {cap} / {agency}
fa* {cap} - عکاس: {name}
ar {cap} (رويترز)
ar {cap} - (أ ف ب)
ar صورة أرشيفية: {cap} (الأناضول)
ar* {cap} | صورة: {agency}
ur {cap} (فوٹو: اے ایف پی)
ur {cap} — فائل فوٹو
ur تصویر: {cap} (رائٹرز)
ur* {cap}، فوٹو: {agency}
id {cap} (Foto: ANTARA/Hafidz) |
id {cap}. (ANTARA FOTO/{name}/foc.)
id {cap} (KOMPAS.com/{name})
id* Foto: {cap} ({site}/{name})
en {cap} (Photo: Reuters)
en {cap} | Photo credit: AFP
en {cap} (AP Photo/{name})
en* Image caption, {cap}

[dateline]
fa {city} - {date} -
fa {city} ({agency}) - {date} -
fa {city}- {agency}-
fa* {city}، {date} ({agency}) -
ar {city} {date} ({agency})
ar {city}، {date} ({agency}) -
ar {city} - ({agency}) -
ar* {city} - «{site}»:
ar* {city}- {date} -
ur {city}، {date} ({agency}) —
ur {city} ({agency})
ur {city}:
ur* {city} ({agency}) {date} —
id {CITY}, {date} ({agency}) -
id {CITY}, KOMPAS.com -
id {City}, CNN Indonesia --
id {CITY} ({agency}) -
id* TEMPO.CO, {City} -
id* {City}, {date} {time} WIB ({agency}) —
"""


@dataclass(frozen=True)
class Template:
    kind: str
    lang: str
    family: str
    text: str


def _parse_templates(spec: str) -> dict[str, list[Template]]:
    by_kind: dict[str, list[Template]] = {}
    kind = ""
    for raw in spec.strip().splitlines():
        if not raw.strip():
            continue
        if raw.startswith("["):
            kind = raw.strip("[] ")
            by_kind[kind] = []
            continue
        lang, text = raw.split(" ", 1)
        family = HELD_OUT if lang.endswith("*") else COMMON
        by_kind[kind].append(Template(kind, lang.rstrip("*"), family, text))
    return by_kind


TEMPLATES_BY_KIND = _parse_templates(TEMPLATES)

HEAD_KINDS = ["meta", "counter", "image_label", "byline", "breadcrumb", "reading_time", "news_code"]
TAIL_KINDS = ["counter", "share", "copyright", "end", "tags", "credit", "social", "byline", "news_code",
              "homepage", "related", "subscribe"]
MID_KINDS = ["ad", "read_more", "caption"]
WORD = re.compile(r"[^\W\d_]{5,}")
TRAILING_PUNCTUATION = ".,;:!?؟،؛۔\"'”“»«)(…-–— "


# --- one article ------------------------------------------------------------------------------


class _Builder:
    """Draws the furniture of one article from its own random generator."""

    def __init__(self, rng: random.Random, lang: str, family: str, body: Body, pool: list[Body]):
        self.rng, self.lang, self.family, self.body, self.pool = rng, lang, family, body, pool
        self.site = rng.choice(SITES[lang])
        self.date = date(2015, 1, 1) + timedelta(days=rng.randrange(3653))
        self.digits = {
            "fa": "persian" if rng.random() < 0.85 else "latin",
            "ar": "arabic" if rng.random() < 0.25 else "latin",
            "ur": "persian" if rng.random() < 0.25 else "latin",
            "id": "latin",
        }[lang]
        self.headline: str | None = None
        self.url_has_date = True

    # - small pieces -

    def pick(self, kind: str, require: str = "") -> Template:
        """A template of `kind` in the article's language (or English), from the article's family."""
        templates = [t for t in TEMPLATES_BY_KIND[kind] if require in t.text]
        langs = ["en"] if self.rng.random() < ENGLISH_SHARE else [self.lang]
        for wanted in (langs, [self.lang, "en"]):
            candidates = [t for t in templates if t.lang in wanted and t.family == self.family]
            if not candidates:
                candidates = [t for t in templates if t.lang in wanted and t.family == COMMON]
            if candidates:
                return self.rng.choice(candidates)
        raise ValueError(f"no template of kind {kind!r} for {self.lang}")

    def number(self, text: str, template_lang: str) -> str:
        return text if template_lang == "en" else localize_digits(text, self.digits)

    def other_headline(self) -> str:
        other = self.rng.choice(self.pool)
        words = other.sentence(0).split()
        return " ".join(words[: self.rng.randint(5, 10)]).rstrip(TRAILING_PUNCTUATION)

    def caption_words(self) -> str:
        other = self.rng.choice(self.pool)
        sentence = other.sentence(self.rng.randrange(len(other.spans)))
        words = sentence.split()
        return " ".join(words[: self.rng.randint(6, 16)]).rstrip(TRAILING_PUNCTUATION)

    def tag_words(self) -> list[str]:
        words = list(dict.fromkeys(WORD.findall(self.body.text)))
        return self.rng.sample(words, min(len(words), self.rng.randint(2, 4))) if words else ["news"]

    def slug(self) -> str:
        words = (self.headline or self.body.sentence(0)).split()[:6]
        if self.lang == "id":
            return "-".join(re.sub(r"[^a-z0-9]", "", w.lower()) for w in words).strip("-") or "berita"
        slug = "-".join(re.sub(r"[^\w]", "", w) for w in words).strip("-")
        return quote(slug) if self.rng.random() < 0.3 else slug

    def article_url(self) -> str:
        d, r = self.date, self.rng
        jy, jm, jd = gregorian_to_jalali(d.year, d.month, d.day)
        values = {
            "y": d.year, "m": d.month, "d": d.day, "jy": jy, "jm": jm, "jd": jd, "slug": self.slug(),
            "hh": f"{r.randrange(24):02d}", "mm": f"{r.randrange(60):02d}", "ss": f"{r.randrange(60):02d}",
            "code": "".join(r.choice("abcdefghkmnpqrstuvwxyz0123456789") for _ in range(6)),
        }
        for width in (4, 5, 6, 7, 8, 9):
            values[f"n{width}"] = str(r.randrange(10 ** (width - 1), 10**width))
        pattern = self.site.url if self.url_has_date else self.site.url_nodate
        return pattern.format(**values)

    def fields(self, template: Template, **extra: str) -> dict[str, str]:
        """Values for every placeholder; digits localized unless the template is English."""
        r, tl = self.rng, template.lang
        names = NAMES["en" if tl == "en" else self.lang]
        city = r.choice(CITIES[self.lang])
        values = {
            "n": self.number(str(r.randint(2, 12)), tl),
            "n0": self.number(str(r.choice([0, 0, 0, 1, 2, 3, 5, 8, 12, 27])), tl),
            "big": self.number(f"{r.randint(40, 25000):,}" if tl == "en" else str(r.randint(40, 25000)), tl),
            "time": self.number(f"{r.randrange(24):02d}:{r.randrange(60):02d}", tl),
            "name": r.choice(names), "name2": r.choice(names),
            "site": self.site.name, "agency": r.choice(AGENCIES[self.lang]),
            "home": self.site.home, "domain": self.site.home.split("//", 1)[1],
            "city": city, "City": city, "CITY": city.upper(),
            "year": self.number(str(r.randint(max(self.date.year, 2019), 2025)), tl),
            "code4": self.number(str(r.randrange(1000, 10000)), tl),
            "code6": self.number(str(r.randrange(100000, 1000000)), tl),
            "code7": self.number(str(r.randrange(1000000, 10000000)), tl),
            "code": "".join(r.choice("abcdefghkmnpqrstuvwxyz0123456789") for _ in range(8)),
            "in1": "".join(r.choice("abcdefghijklmnoprstuvwy") for _ in range(r.randint(2, 3))),
            "in2": "".join(r.choice("abcdefghijklmnoprstuvwy") for _ in range(r.randint(2, 3))),
            "own_headline": self.headline or " ".join(self.body.sentence(0).split()[:8]),
        }
        if "{headline}" in template.text:
            values["headline"] = self.other_headline()
        if "{other_url}" in template.text:
            values["other_url"] = self.site.url_nodate.format(
                n4="1", n5="1", n6=str(r.randrange(10**5, 10**6)), n7=str(r.randrange(10**6, 10**7)),
                n8=str(r.randrange(10**7, 10**8)), n9=str(r.randrange(10**8, 10**9)), slug="berita-lain",
                code="x" + str(r.randrange(10**4, 10**5)), y=2020, m=1, d=1, jy=1399, jm=1, jd=1, hh="00",
                mm="00", ss="00")
        if "tag" in template.text:
            tags = self.tag_words()
            sep = r.choice([", ", " - ", " | "] + (["، "] if self.lang in ("fa", "ar", "ur") else []))
            values["tags"] = sep.join(tags)
            for i in range(3):
                values[f"tag{i + 1}"] = tags[i % len(tags)].replace(" ", "_")
        values.update(extra)
        return values

    def line(self, kind: str, label: str = "furniture", require: str = "", **extra: str) -> Line:
        template = self.pick(kind, require)
        text = template.text.format_map(self.fields(template, **extra))
        if self.rng.random() < 0.05:
            text += " "  # trailing spaces are common in scrapes
        return Line(text, label, kind, template.family, caption=extra.get("cap", ""))

    def date_line(self, with_year: bool) -> Line:
        template = self.pick("date")
        date_lang = "en" if template.lang == "en" else self.lang
        shown = render_date(self.date, date_lang, self.family, with_year, self.digits, self.rng)
        text = template.text.format_map(self.fields(template, date=shown))
        return Line(text, "furniture", "date", template.family)

    def caption_line(self) -> Line:
        return self.line("caption", label="caption", cap=self.caption_words())

    def block(self, kind: str) -> list[Line]:
        """One furniture item: a single line, or a related-links or subscription block."""
        if kind == "related":
            lines = [self.line("related")]
            bullet = self.rng.choice(["", "", "- ", "• ", "» ", "▪ "])
            for _ in range(self.rng.randint(2, 4)):
                lines.append(Line(bullet + self.other_headline(), "furniture", "related", lines[0].family))
            return lines
        if kind == "subscribe":
            rule = self.line("rule")
            lines = [rule, self.line("subscribe")]
            if self.rng.random() < 0.7:
                lines.append(self.line("homepage"))
            lines.append(Line(rule.text, "furniture", "rule", rule.family))
            return lines
        return [self.line(kind)]


def build_article(body: Body, pool: list[Body], seed: int, index: int) -> Article:
    """One wrapped article for `body`; `pool` (same language) supplies other headlines and captions."""
    rng = random.Random(f"{seed}:{body.lang}:{index}")
    lang = body.lang
    family = HELD_OUT if rng.random() < HELD_OUT_SHARE else COMMON
    b = _Builder(rng, lang, family, body, [p for p in pool if p is not body] or pool)
    paragraphs = paragraphs_of(body, rng)

    date_case = rng.choices(
        ["dateline", "both", "meta", "no_year", "copyright_only", "none"], [30, 8, 22, 8, 10, 22])[0]
    expected_date = b.date.isoformat() if date_case in ("dateline", "both", "meta") else None
    b.url_has_date = expected_date is not None

    # Headline: the first 6-12 words of the first sentence.
    title = None
    if rng.random() < 0.7:
        words = body.sentence(0).split()
        take = min(len(words), rng.randint(6, 12))
        candidate = " ".join(words[:take]).rstrip(TRAILING_PUNCTUATION)
        if candidate and candidate != paragraphs[0].strip():
            title = candidate
    b.headline = title

    # Head: furniture items (0-5), a repeated headline, maybe a lead picture with its caption.
    head_kinds = rng.sample(HEAD_KINDS, rng.choices(range(6), [20, 25, 20, 15, 12, 8])[0])
    head: list[list[Line]] = [[b.line(kind)] for kind in head_kinds]
    date_in_tail = False
    if date_case in ("meta", "both") or (date_case == "no_year" and rng.random() < 0.5):
        date_item = [b.date_line(with_year=date_case != "no_year")]
        if rng.random() < 0.8 or date_case == "no_year":
            head.insert(rng.randint(0, len(head)), date_item)
        else:
            date_in_tail = True
    if rng.random() < 0.2:
        picture = [b.caption_line()]
        if rng.random() < 0.5:
            picture.insert(0, b.line("image_label"))
        head.append(picture)
    if title is not None and rng.random() < 0.2:  # repeated 1-2 lines below the title
        repeat = Line(title, "furniture", "headline_repeat", family)
        head.insert(rng.randint(0, min(1, len(head))), [repeat])

    # Dateline on the first paragraph.
    body_lines = [Line(p, "body") for p in paragraphs]
    wants_dated_line = date_case in ("dateline", "both") or (date_case == "no_year" and not any(
        line.kind == "date" for item in head for line in item))
    if wants_dated_line or rng.random() < 0.15:
        dated = [t for t in TEMPLATES_BY_KIND["dateline"] if t.lang == lang and ("{date}" in t.text) == wants_dated_line
                 and (t.family == COMMON or family == HELD_OUT)]
        template = rng.choice(dated)
        shown = render_date(b.date, lang, family, date_case != "no_year", b.digits, rng) if wants_dated_line else ""
        prefix = template.text.format_map(b.fields(template, date=shown))
        first = paragraphs[0]
        body_lines[0] = Line(prefix + " " + first, "body", variants=(first,))

    # Mid-body furniture between paragraphs.
    middle: list[list[Line]] = [[line] for line in body_lines]
    if len(paragraphs) >= 2 and rng.random() < 0.3:
        for _ in range(rng.randint(1, 2)):
            kind = rng.choice(MID_KINDS)
            item = [b.caption_line()] if kind == "caption" else [b.line(kind)]
            if kind == "caption" and rng.random() < 0.3:
                item.insert(0, b.line("image_label"))
            middle.insert(rng.randint(1, len(middle) - 1), item)

    # Tail: 1-8 lines.
    tail: list[list[Line]] = []
    expected_url = None
    budget = rng.randint(1, 8)
    if rng.random() < 0.55:
        expected_url = b.article_url()
        tail.append([b.line("source", url=expected_url)])
    if date_case == "copyright_only":
        tail.append([b.line("copyright", require="{year}")])
    if date_in_tail:
        tail.append([b.date_line(with_year=True)])
    used = sum(len(item) for item in tail)
    unused = list(TAIL_KINDS)
    while used < budget:
        kind = rng.choice(unused)
        if len(unused) > 1:
            unused.remove(kind)
        item = b.block(kind)
        if used + len(item) > budget and len(item) > 1:  # a block that does not fit: one line instead
            single = [k for k in unused if k not in ("related", "subscribe")] or ["share"]
            item = [b.line(rng.choice(single))]
        tail.append(item)
        used += len(item)
    rng.shuffle(tail)

    lines, publisher_url = _assemble(rng, title, head, middle, tail)
    return Article(
        id=f"{lang}-{index:03d}", lang=lang, family=family, lines=lines, title=title, url=expected_url,
        publisher_url=publisher_url, date=expected_date, date_case=date_case, source=body.source,
    )


def _assemble(rng: random.Random, title: str | None, head, middle, tail) -> tuple[list[Line], str | None]:
    """Title first, then the blocks in order, with 0-6 blank lines sprinkled between blocks."""
    blocks = ([[Line(title, "title")]] if title is not None else []) + head + middle + tail
    blanks_after = [0] * len(blocks)
    for _ in range(rng.choices(range(7), [25, 20, 18, 14, 10, 8, 5])[0]):
        if len(blocks) > 1:
            blanks_after[rng.randrange(len(blocks) - 1)] += 1
    lines: list[Line] = []
    for block, blanks in zip(blocks, blanks_after):
        lines.extend(block)
        lines.extend(Line("", "blank") for _ in range(blanks))
    publisher_url = None
    for line in lines:
        if line.kind == "homepage":
            text = line.text.strip()
            publisher_url = text if "//" in text else "https://" + text
    return lines, publisher_url


def generate(bodies: dict[str, list[Body]], seed: int, per_language: int) -> list[Article]:
    """`per_language` articles a language, cycling through its bodies (each pass wrapped afresh)."""
    articles = []
    for lang in LANGS:
        pool = bodies.get(lang) or []
        for index in range(per_language if pool else 0):
            articles.append(build_article(pool[index % len(pool)], pool, seed, index))
    return articles
