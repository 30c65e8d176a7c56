"""Article extraction: the clean body and its metadata, with every removed line kept (docs/extraction.md).

Scraped news carries page furniture inside its text: comment counters, ad slots,
related links, share buttons, copyright and source lines, captions. Each line is
classified by patterns per language; a line is removed when it is furniture and
sits in the head or the tail of the article (the furniture zones), or anywhere
when it is unmistakable furniture (an ad slot, a caption with a photo credit).
Nothing is dropped silently: a removed line goes to `boilerplate` with its
reason and line number, or to `captions`, or is the `title`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Optional

from ..record import Boilerplate
from ..script import DIGIT_CLASS, NATIVE_DIGIT_RANGES
from .dates import find_dates
from .urls import is_homepage

# --- headline -----------------------------------------------------------------------------------

_MAX_TITLE_CHARS = 200
_MAX_TITLE_WORDS = 30
_SENTENCE_END = tuple(".!?؟۔։。…:;؛,،")

_DIGIT = DIGIT_CLASS
_URL = r"https?://[^\s<>\"')\]»]+"


# Optional punctuation between spaces is written `\s*(?:[:：]\s*)?`, never `\s*[:：]?\s*`: the same
# lines, but the second splits a long run of spaces between its two `\s*` every way, in quadratic
# (or, with three, cubic) time; tests/test_regex_linear.py holds every pattern to linear time.
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _alt(*words: str) -> str:
    """An alternation of labels; a space in a label also matches a ZWNJ or no space."""
    return "(?:" + "|".join(re.escape(w).replace("\\ ", "[\\s\u200c]?") for w in words) + ")"


# Letters that IGNORECASE matches to an ASCII letter and str.lower() does not turn into it.
_IGNORECASE_EXTRA = {"İ": "i", "ı": "i", "ſ": "s", "K": "k"}


class _Gated:
    """``pattern.search``, run only on lines that hold one of ``words``: a necessary condition,
    since every match of ``pattern`` holds one of them (lower case, matched case-insensitively
    like ``pattern``). An unanchored search tries every alternative at every position; a line
    without any of the words (most lines) is spared it."""

    def __init__(self, pattern: re.Pattern[str], words: tuple[str, ...]):
        self.pattern = pattern
        self._words = re.compile("|".join(map(re.escape, words)))

    def search(self, line: str) -> Optional[re.Match[str]]:
        folded = line
        if not line.isascii():
            for letter, ascii_letter in _IGNORECASE_EXTRA.items():
                if letter in folded:
                    folded = folded.replace(letter, ascii_letter)
        if self._words.search(folded.lower()) is None:
            return None
        return self.pattern.search(line)


# --- line patterns ---------------------------------------------------------------------------------

_SOURCE_LABELS = _alt(
    "source", "sources", "source link", "original", "original article", "link", "permalink", "sumber",
    "sumber berita", "tautan", "link berita", "kaynak", "quelle", "fuente", "fonte", "bron", "источник",
    "منبع", "منابع", "منبع خبر", "لینک خبر", "لینک کوتاه", "نشانی خبر", "آدرس خبر", "مأخذ", "ماخذ",
    "المصدر", "مصدر", "مصدر الخبر", "رابط المقال", "رابط الخبر", "الرابط", "رابط مختصر", "ذریعہ", "بشکریہ",
    "خبر کا لنک", "لنک",
)
SOURCE_LINE = _rx(rf"^[\s(\[«\"'*•\-–—]*{_SOURCE_LABELS}\s*[:：]\s*(?P<url>{_URL})\s*[)\]»]?\s*$")
_CREDIT_LABELS = _alt("source", "sources", "sumber", "منبع", "منابع", "المصدر", "مصدر", "ماخذ", "بشکریہ", "کریڈٹ", "credit")
CREDIT_LINE = _rx(
    rf"^(?:{_CREDIT_LABELS}\s*[:：]|via\s|(?:به نقل از|نقلا عن|نقلاً عن|dikutip dari|sumber dari)\s*[:：]?)\s*(?P<who>[^\d:/()|]{{2,60}}?)\s*[.|]?$"
)

COMMENT_COUNTER = _rx(
    rf"^[(\[]?\s*(?:{_alt('نظر', 'نظرات', 'دیدگاه', 'دیدگاه ها', 'تعداد نظرات', 'komentar', 'comment', 'comments', 'kommentare', 'commentaires', 'yorum', 'yorumlar', 'تعليق', 'تعليقات', 'التعليقات', 'تبصرے', 'تبصرہ')}"
    rf"\s*(?:[:：]\s*)?(?:[(\[]\s*)?{_DIGIT}+(?:\s*[)\]])?|{_DIGIT}+\s*{_alt('comments', 'comment', 'komentar', 'نظر', 'تعليق', 'تعليقات', 'تبصرے')})\s*[)\]]?$"
)
AD_SLOT = _rx(
    rf"^(?:\[\s*{_alt('iklan', 'ads', 'ad', 'advertisement', 'advert', 'إعلان', 'اعلان', 'تبلیغ', 'تبلیغات', 'اشتہار')}[\w\s-]*\]"
    rf"|[-–—*\s]*{_alt('advertisement', 'advertisements', 'iklan', 'إعلان', 'اعلان', 'تبلیغات', 'آگهی', 'آگهی تبلیغاتی', 'اشتہار', 'scroll to continue with content', 'sponsored', 'konten berbayar', 'publicité', 'anzeige')}[-–—*\s]*)$"
)
_RELATED = _alt(
    "related", "related articles", "related news", "related stories", "related posts", "more stories",
    "read more", "read also", "see also", "also read", "recommended", "baca juga", "baca selengkapnya",
    "artikel terkait", "berita terkait", "simak juga", "lihat juga", "مواضيع ذات صلة", "أخبار ذات صلة",
    "اخبار ذات صلة", "مقالات ذات صلة", "ذات صلة", "اقرأ أيضا", "اقرأ أيضاً", "اقرأ ايضا", "إقرأ أيضا",
    "اقرأ المزيد", "مطالب مرتبط", "اخبار مرتبط", "خبرهای مرتبط", "مطالب پیشنهادی", "بیشتر بخوانید",
    "بخوانید", "متعلقہ خبریں", "مزید پڑھیں", "یہ بھی پڑھیں", "مزید خبریں", "you may also like", "you might also like",
    "more from", "more news", "most read", "most popular", "popular", "trending", "latest news", "terpopuler",
    "berita lainnya", "berita terkini", "pilihan untuk anda", "الأكثر قراءة", "الأكثر مشاهدة", "أخبار متعلقة",
    "اخبار متعلقة", "المزيد", "شاهد أيضا", "شاهد أيضاً", "پربازدیدترین", "پربازدیدترین ها", "آخرین اخبار",
    "اخبار مرتبط", "داغ ترین ها", "مطالب مرتبط", "پڑھیں", "مقبول خبریں",
)
RELATED_LABEL = _rx(rf"^{_RELATED}\s*[:：]?$")
RELATED_TEASER = _rx(rf"^(?:{_RELATED}\s*[:：]|{_alt('more from', 'more in', 'lainnya di', 'more on', 'المزيد من', 'بیشتر از')}\s)\s*\S.{{0,200}}$")
_SOCIAL = _alt(
    "facebook", "twitter", "whatsapp", "telegram", "linkedin", "pinterest", "email", "e-mail", "line",
    "copy link", "instagram", "youtube", "فيسبوك", "تويتر", "واتساب", "تلغرام", "تلگرام", "اینستاگرام", "توییتر",
    "واتس اپ", "فیس بک", "ٹوئٹر",
)
SHARE_LABEL = _rx(
    rf"^(?:{_alt('share', 'share this', 'share this article', 'share this story', 'share this post', 'share on', 'bagikan', 'bagikan artikel', 'bagikan artikel ini', 'bagikan berita', 'شارك هذا المقال', 'شارك هذا الخبر', 'این مطلب را به اشتراک بگذارید', 'اشتراک این مطلب', 'یہ خبر شیئر کریں', 'مشاركة', 'شارك', 'شارك المقال', 'شارك الخبر', 'اشتراک گذاری', 'به اشتراک بگذارید', 'ارسال به دوستان', 'print', 'طباعة', 'چاپ', 'چاپ خبر', 'tweet', 'شیئر کریں', 'شیئر')}\s*[:：]?"
    rf"|(?:{_SOCIAL}[\s|,•·/]*){{2,}})$"
)
END_MARKER = _rx(
    rf"^[/(\[\-–—]*\s*{_alt('انتهای پیام', 'پایان پیام', 'پایان خبر', 'پایان', 'انتهى', 'النهاية', 'end', 'selesai', 'ختم شد', 'ختم')}\s*[/)\]\-–—.]*$"
    # Indonesian desks close with the initials of reporter and editor: (ant), (nvl/ptr)
    r"|^\((?:[a-z]{2,4}|\*)(?:/[a-z]{2,4})*\)$"
)
COPYRIGHT = _rx(
    r"^(?:©|\(c\)|copyright\b|hak cipta)|all rights reserved|حقوق.{0,60}(?:محفوظ|متعلق)|dilarang mengutip"
    r"|reproduction (?:is )?(?:not permitted|prohibited)"
)
_COPYRIGHT_GATED = _Gated(
    COPYRIGHT, ("©", "(c)", "copyright", "hak cipta", "all rights reserved", "حقوق", "dilarang mengutip", "reproduction ")
)
NEWS_CODE = _rx(
    rf"^{_alt('کد خبر', 'گروه خبری', 'شناسه خبر', 'کد مطلب', 'شماره خبر', 'رقم الخبر', 'رقم المقال', 'news id', 'news code', 'article id', 'story id', 'id berita', 'kode berita', 'خبر نمبر')}\s*(?:[:：]\s*)?(?=[\w{NATIVE_DIGIT_RANGES}-]*{_DIGIT})[\w{NATIVE_DIGIT_RANGES}-]+\s*\|?$"
)
# The desk or section of the site: `سرویس: سیاسی`, `Kanal: Nasional`, `القسم: سياسة`
SECTION = _rx(
    rf"^{_alt('سرویس', 'بخش', 'گروه', 'دسته بندی', 'kanal', 'rubrik', 'kategori', 'section', 'category', 'القسم', 'التصنيف', 'قسم', 'زمرہ')}\s*[:：]\s*\S(?:.{{0,30}}\S)?\s*\|?$"
)
# `Penulis: X`, `خبرنگار: X` (labels in any case), or `By Jane Doe` (a capitalised name).
BYLINE = re.compile(
    rf"^(?:(?i:{_alt('penulis', 'editor', 'reporter', 'wartawan', 'pewarta', 'kontributor', 'writer', 'author', 'خبرنگار', 'نویسنده', 'گزارشگر', 'ویراستار', 'مترجم', 'محرر', 'تحرير', 'بقلم', 'مراسل', 'رپورٹر', 'تحریر')})"
    r"\s*[:：]\s*\S.{0,80}|(?i:رپورٹ|رپورٹر|نامہ نگار|reportase|laporan)\s*[:：]\s*\S.{0,60}|(?:(?:Written|Reported|Reporting|Edited|Editing) )?(?:[Bb]y|BY|Oleh|OLEH)\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}"
    r"|(?i:كتب|كتبت|بقلم|إعداد|اعداد)\s*[:：]\s*\S.{0,60})$"
)
BREADCRUMB = _rx(
    rf"^{_alt('home', 'beranda', 'خانه', 'صفحه اصلی', 'صفحه نخست', 'الرئيسية', 'الصفحة الرئيسية', 'ہوم', 'صفحہ اول', 'news', 'berita', 'اخبار', 'أخبار', 'خبریں')}\s*(?:[>»›/|]\s*[^>»›/|]{{1,40}}){{1,6}}$"
)
# Short segments joined by a path separator with spaces around it: `اخبار / سیاست خارجی`.
_PATH_SEGMENT = r"[^\s>»›/|.!?؟:،,]+(?:\s[^\s>»›/|.!?؟:،,]+){0,2}"
BREADCRUMB_PATH = re.compile(rf"^{_PATH_SEGMENT}(?:\s[>»›/]\s{_PATH_SEGMENT}){{1,5}}$")
TAGS = _rx(
    rf"^{_alt('tags', 'tag', 'topics', 'topic', 'topik', 'label', 'keywords', 'kata kunci', 'برچسب ها', 'برچسب', 'کلمات کلیدی', 'کلیدواژه ها', 'کلیدواژه', 'موضوعات', 'الكلمات المفتاحية', 'الوسوم', 'كلمات دالة', 'كلمات مفتاحية', 'مواضيع', 'ٹیگز', 'ٹیگ', 'متعلقہ موضوعات')}\s*[:：]"
)
_CHANNEL_NAMES = (
    "تلگرام", "ایتا", "روبیکا", "بله", "سروش", "اینستاگرام", "توییتر", "آپارات", "telegram", "whatsapp", "instagram",
    "twitter", "facebook", "youtube", "tiktok", "google news", "تلغرام", "تيليجرام", "واتساب", "فيسبوك", "تويتر", "يوتيوب",
    "انستغرام", "ٹوئٹر", "فیس بک", "واٹس ایپ", "یوٹیوب",
)
_CHANNELS = "(?:" + "|".join(_CHANNEL_NAMES) + ")"
SUBSCRIPTION = _rx(
    r"للاشتراك|اشترك(?:وا)? (?:في|ب|الآن)|\bsubscribe\b|join (?:us|our) |follow us|ikuti (?:kami|kanal|akun|berita)|"
    r"تابعونا|تابعوا|عضویت در کانال|عضو شوید|دنبال کنید|بپیوندید|ہمیں فالو کریں|فالو کریں|"
    r"ایپ ڈاؤن لوڈ کریں|حمّ?ل تطبيق|download (?:the |our )?app|unduh aplikasi|اپلیکیشن .{1,30}دانلود|"
    r"simak berita|bergabung di|dapatkan update|dapatkan berita|"
    rf"\bfollow\b.{{0,20}}{_CHANNELS}|صفحه .{{1,30}} در {_CHANNELS}|"
    rf"(?:کانال|channel|kanal|قناة|قناتنا|چینل)\W{{0,3}}{_CHANNELS}|{_CHANNELS}\W{{0,3}}(?:channel|کانال|کانال ما)"
)
_SUBSCRIPTION_GATED = _Gated(SUBSCRIPTION, (
    "للاشتراك", "اشترك", "subscribe", "join ", "follow", "ikuti ", "تابعو", "عضویت در کانال", "عضو شوید", "دنبال کنید",
    "بپیوندید", "فالو کریں", "ایپ ڈاؤن لوڈ کریں", "ل تطبيق", "download ", "unduh aplikasi", "اپلیکیشن ", "simak berita",
    "bergabung di", "dapatkan ", "صفحه ", *_CHANNEL_NAMES,
))
READING_TIME = _rx(
    rf"^(?:(?:{_alt('read', 'baca', 'قراءة', 'مطالعه', 'خواندن', 'پڑھنے کا وقت')}\s*(?:[:：]\s*)?)?{_DIGIT}+\s*"
    rf"(?:min(?:ute)?s?(?:\s+read)?|menit(?:\s+baca)?|دقيقة|دقائق|دقیقه|منٹ)(?:\s+{_alt('read', 'baca', 'قراءة', 'مطالعه', 'للقراءة')})?|"
    rf"{_alt('زمان مطالعه', 'مدت زمان مطالعه', 'زمان تقریبی مطالعه', 'وقت القراءة', 'مدة القراءة', 'waktu baca', 'reading time', 'estimated reading time', 'پڑھنے کا وقت')}\s*[:：]?.{{0,20}})$"
)
# `7 دقیقه پیش`, `2 hours ago`, `منذ ساعتين`, `3 jam lalu`: when the page was last touched.
RELATIVE_TIME = _rx(
    rf"^(?:{_alt('updated', 'last updated', 'به روز شده', 'آخر تحديث', 'diperbarui')}\s*(?:[:：]\s*)?)?"
    rf"(?:{_DIGIT}+|an?|one|یک|چند)\s*(?:seconds?|minutes?|mins?|hours?|days?|weeks?|detik|menit|jam|hari|ثانیه|دقیقه|ساعت|روز|هفته|سیکنڈ|منٹ|گھنٹے|دن)\s*"
    rf"(?:ago|lalu|yang lalu|پیش|قبل|پہلے)$|^منذ\s+.{{1,20}}$"
)
IMAGE_LABEL = _rx(
    rf"^(?:news-picture|{_alt('image', 'photo', 'foto', 'عکس', 'صورة', 'تصویر', 'gambar', 'ilustrasi', 'video', 'ویدیو', 'فيديو', 'فوٹو', 'تصویر')})\s*(?:[:：]\s*\S+(?:\s+\S+){{0,3}})?$"
    rf"|^{_alt('image source', 'image credit', 'photo credit', 'photo source', 'sumber foto', 'sumber gambar', 'foto ilustrasi', 'منبع تصویر', 'منبع عکس', 'عکس تزئینی', 'عکس تزیینی', 'عکس آرشیوی', 'تصویر تزئینی', 'مصدر الصورة', 'صورة أرشيفية', 'صورة ارشيفية', 'صورة تعبيرية', 'فائل فوٹو', 'تصویر کا ذریعہ')}\b.{{0,60}}$"
)
_CREDIT_WORDS = _alt(
    "منبع", "عکس", "sumber", "foto", "photo", "source", "credit", "صورة", "المصدر", "تصویر", "ảnh", "getty", "reuters", "afp",
)
# A photo caption ends with a parenthesised credit, `(Foto: ANTARA)`, `(منبع: THX)`, often between pipes.
_PHOTO_AGENCIES = _alt(
    "رويترز", "رويتر", "أ ف ب", "ا ف ب", "أ.ف.ب", "أ ب", "الأناضول", "إ ب أ", "غيتي", "reuters", "afp", "ap", "epa", "getty images",
    "getty", "antara", "antara foto", "anadolu", "xinhua", "شينخوا", "ایرنا", "ایسنا", "فارس", "تسنیم", "مهر", "شینهوا",
)
_CREDIT_LABEL = _alt(
    "عکاس", "عکس", "photographer", "photo", "photo credit", "foto", "fotografer", "تصوير", "عدسة", "فوٹو", "image", "credit",
)
_CAPTION_LABELS = _alt(
    "image caption", "caption", "keterangan foto", "عکس", "تصویر", "صورة", "صورة أرشيفية", "صورة ارشيفية", "foto", "فائل فوٹو"
)
CAPTION = _rx(
    # ... (Foto: ANTARA), | ... (منبع: THX) |, ... (AP Photo/Name)
    rf"^\|?\s*(?P<caption>\S.{{10,}}?\(\s*(?:{_CREDIT_WORDS}\s*[:：]|[\w ]{{1,20}}\s(?:photo|foto)\s*/)\s*[^()]{{1,60}}\))\s*\|?\s*$"
    # ... - عکاس: Name, ... | Photo credit: AFP, ... — فائل فوٹو
    rf"|^\|?\s*(?P<caption2>\S.{{10,}}?\s[-–—|/]\s*(?:{_CREDIT_LABEL}\s*[:：]\s*[^:|]{{1,40}}|{_alt('فائل فوٹو', 'file photo', 'صورة أرشيفية', 'عکس آرشیوی')}))\s*\|?\s*$"
    # Image caption, ... / عکس: ... / تسنیم / صورة أرشيفية: ...
    rf"|^(?P<caption3>{_CAPTION_LABELS}\s*[:：,،]\s*\S.{{20,}})$"
    # ... (رويترز), ... - (أ ف ب): a line that ends with a photo agency instead of a full stop
    rf"|^\|?\s*(?P<caption4>\S.{{10,}}?[^.!?؟۔\s]\s*[-–—]?\s*\(\s*{_PHOTO_AGENCIES}\s*\))\s*\|?\s*$"
)
# What CAPTION needs (its first and last forms a `(`, the second a separator after a space, the
# third its label first): most lines have none of it and are spared CAPTION's lazy scans.
_SPACED_SEPARATOR = re.compile(r"\s[-–—|/]")
_CAPTION_LABEL_FIRST = _rx(rf"{_CAPTION_LABELS}\s*[:：,،]")


def _caption(line: str) -> Optional[re.Match[str]]:
    """CAPTION.match(line), with its cheap necessary conditions tested first."""
    if "(" in line or _SPACED_SEPARATOR.search(line) or _CAPTION_LABEL_FIRST.match(line):
        return CAPTION.match(line)
    return None


URL_ONLY = _rx(rf"^(?:{_URL}|(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|news|[a-z]{{2}})(?:/[\w-]+)?/?)$")
# `Views: 1,234`, `بازدید: ۱۲`, `المشاهدات: ٩٤٤`, `Dilihat 120 kali`
VIEW_COUNTER = _rx(
    rf"^{_alt('views', 'view', 'reads', 'dilihat', 'dibaca', 'بازدید', 'تعداد بازدید', 'المشاهدات', 'مشاهدات', 'قراءات', 'ویوز')}"
    rf"\s*(?:[:：]\s*)?{_DIGIT}[\d{NATIVE_DIGIT_RANGES},.٬]*\s*{_alt('kali', 'times', 'بار', 'مرة')}?$"
)
_TIME = re.compile(rf"^{_DIGIT}{{1,2}}[:٫.]{_DIGIT}{{2}}(?:\s*(?:am|pm|ق\.ظ|ب\.ظ|wib|wita|wit))?$", re.I)
_BULLET = re.compile(r"^[•·▪●◦‣\-–*]\s*")
_NUMBER = re.compile(rf"^{_DIGIT}+(?:[.,]{_DIGIT}+)?\s*[kKmM]?$")
_DATE_LABEL = _rx(
    rf"^{_alt('published', 'published on', 'updated', 'last updated', 'posted', 'date', 'diterbitkan', 'dipublikasikan', 'diperbarui', 'tanggal', 'تاریخ انتشار', 'زمان انتشار', 'تاریخ و ساعت انتشار', 'تاریخ', 'آخرین بروزرسانی', 'به روز شده', 'انتشار', 'تاريخ النشر', 'نشر في', 'نشر', 'آخر تحديث', 'تاريخ', 'اشاعت', 'تاریخ اشاعت', 'شائع', 'شائع شدہ', 'اپ ڈیٹ')}\s*(?:[:：]\s*)?(?=[\d{NATIVE_DIGIT_RANGES}]|\w+\s*(?:[,،]\s*)?[\d{NATIVE_DIGIT_RANGES}])"
)


@dataclass(frozen=True)
class Furniture:
    """A classification of one line: why it is furniture, and whether it may go anywhere."""

    reason: str
    anywhere: bool


# A date label must be followed by a digit, and a date has a four-digit year: a date line has a digit.
_ANY_DIGIT = re.compile(r"\d")
_ALNUM = re.compile(r"[^\W_]")  # \w is str.isalnum() or `_`


def _has_letters_or_digits(line: str) -> bool:
    return _ALNUM.search(line) is not None


def _bare(line: str) -> str:
    """A line without the bullet that page metadata often starts with."""
    return _BULLET.sub("", line)


# The furniture a line can be, in the order they are tried: (reason, removed anywhere?, test).
LINE_RULES: tuple[tuple[str, bool, Callable[[str], object]], ...] = (
    ("ad_slot", True, AD_SLOT.match),
    ("comment_counter", True, COMMENT_COUNTER.match),
    ("source_line", True, SOURCE_LINE.match),
    ("related_links", True, lambda s: RELATED_LABEL.match(s) or RELATED_TEASER.match(s)),
    ("share_label", True, SHARE_LABEL.match),
    ("image_label", True, IMAGE_LABEL.match),
    ("end_marker", False, END_MARKER.match),
    ("copyright", False, _COPYRIGHT_GATED.search),
    ("news_code", False, NEWS_CODE.match),
    ("link", False, URL_ONLY.match),
    ("section", False, SECTION.match),
    ("counter", False, VIEW_COUNTER.match),
    ("time_meta", False, RELATIVE_TIME.match),
    ("breadcrumb", False, lambda s: BREADCRUMB.match(s) or BREADCRUMB_PATH.match(s)),
    ("tags", False, lambda s: len(s) <= 200 and TAGS.match(s)),
    ("reading_time", False, READING_TIME.match),
    ("credit", False, CREDIT_LINE.match),
    ("time_meta", False, lambda s: _TIME.match(_bare(s))),
    ("counter", False, lambda s: _NUMBER.match(_bare(s))),
    ("date_meta", False, lambda s: _ANY_DIGIT.search(s) and _is_date_meta(_bare(s))),
    ("byline", False, lambda s: len(s.split(None, 12)) <= 12 and BYLINE.match(s)),
    ("subscription", False, lambda s: len(s) <= 200 and _SUBSCRIPTION_GATED.search(s)),
)


def classify_line(line: str) -> Optional[Furniture]:
    """Why a line is page furniture, or None when it reads as article text."""
    s = line.strip().strip("|").strip()
    if not s:
        return Furniture("rule", True) if line.strip() else None
    if not _has_letters_or_digits(s):
        return Furniture("rule", True)
    if len(s) > 300:
        return None  # furniture lines are short; a paragraph is never furniture
    for reason, anywhere, test in LINE_RULES:
        if test(s):
            return Furniture(reason, anywhere)
    return None


def _is_date_meta(bare: str) -> object:
    return _DATE_LABEL.match(bare) or (len(bare) <= 60 and _is_only_date(bare))


def _is_only_date(text: str) -> bool:
    """A line that is a date and little else (a weekday, a time, separators)."""
    found = find_dates(text)
    if not found:
        return False
    rest = text[: found[0].start] + text[found[0].end :]
    return len(re.sub(r"[\W\d_]+", "", rest)) <= 12


def _is_paragraph(line: str) -> bool:
    """A line that reads as running text: long, or a sentence; it ends a furniture zone."""
    words = len(line.split(None, 10))  # at most 11 parts: a huge line is not copied word by word
    return words >= 10 or (words >= 4 and line.rstrip(" |").endswith(_SENTENCE_END[:7]))


_UNKNOWN = Furniture("", False)


def _is_headline(line: str, has_more: bool, kind: Optional[Furniture] = _UNKNOWN) -> bool:
    """``kind``: classify_line(line), when the caller has it already."""
    title = line.strip()
    if not title or not has_more:
        return False
    if len(title) > _MAX_TITLE_CHARS:
        return False
    words = len(title.split())
    if words > _MAX_TITLE_WORDS or words < 2:
        return False
    if kind is _UNKNOWN:
        kind = classify_line(title)
    return not title.endswith(_SENTENCE_END) and "://" not in title and kind is None


# --- the article ------------------------------------------------------------------------------


@dataclass
class Article:
    """An article split from its furniture; each line taken out is in `boilerplate`, with its reason."""

    text: str
    title: Optional[str] = None
    url: Optional[str] = None
    publisher_url: Optional[str] = None
    publisher: Optional[str] = None
    date_published: Optional[str] = None
    captions: list[str] = field(default_factory=list)
    boilerplate: list[Boilerplate] = field(default_factory=list)


def _core(line: str) -> str:
    """A body line without surrounding white space and stray pipes (`lead text |`)."""
    return line.strip().strip("|").strip()


# Spaces inside the parentheses are bounded like the name: unbounded, a long run of them took quadratic time.
_AGENCY = re.compile(r"\(\s{0,40}([^()\d]{2,40}?)\s{0,40}\)")
# What may stand before the date in a dateline: a place of one to four words, perhaps the
# agency in parentheses, and separators: `ناننينغ `, `JAKARTA, `, `اهواز (مهر) - `.
_DATELINE_PREFIX = re.compile(
    r"^[^\W\d][\w.'\-\u200c]*(?:\s+[^\W\d][\w.'\-\u200c]*){0,3}\s*(?:(?P<agency>\([^()\d]{2,40}\))\s*)?"
    # A separator run does not start with a `-` that the word before could hold: trying every
    # split of `word----` between the two took quadratic time, and never changes the result.
    r"(?:(?<![\w.'\-\u200c])[,،\-–—:]+\s*|[,،–—:][,،\-–—:]*\s*)?$"
)
_PLACE_AGENCY = re.compile(r"^\s*[^\W\d][\w.'\-]*(?:\s+[^\W\d][\w.'\-]*){0,3}\s*(?:[,،]\s*)?(\([^()]{2,40}\))\s*[-–—:]")


def _dateline(first: str) -> tuple[Optional[str], Optional[str]]:
    """(ISO date, agency) from a dateline that opens the first paragraph: `CITY, DATE (AGENCY) - ...`."""
    head = first[:160]
    date, agency_text = None, None
    found = find_dates(head)
    if found and found[0].start <= 60:
        prefix = _DATELINE_PREFIX.match(head[: found[0].start])
        if found[0].start == 0 or prefix:
            date = found[0].date.isoformat()
            after = _AGENCY.match(head[found[0].end :].lstrip())
            agency_text = (prefix and prefix.group("agency")) or (after and after.group(0))
    if agency_text is None:  # `JAKARTA (ANTARA) - ...`: a place, then the agency
        place = _PLACE_AGENCY.match(head)
        agency_text = place.group(1) if place else None
    match = _AGENCY.match(agency_text) if agency_text else None
    agency = match.group(1).strip() if match and len(match.group(1).split()) <= 4 else None
    return date, agency


def _publisher_from_copyright(line: str) -> Optional[str]:
    text = re.sub(r"©|\(c\)|copyright|hak cipta|all rights reserved\.?|جميع الحقوق محفوظة|الحقوق محفوظة", " ", line, flags=re.I)
    text = re.sub(rf"{_DIGIT}{{4}}(?:\s*[-–]\s*{_DIGIT}{{4}})?", " ", text)
    text = re.sub(r"[|•·,.،:]+", " ", text)
    words = text.split()
    if 1 <= len(words) <= 6 and not any(w.lower() in ("reserved", "rights") for w in words):
        return " ".join(words)
    return None


def extract_article(
    body: str,
    *,
    keep_boilerplate: bool = False,
    furniture_lines: frozenset[str] = frozenset(),
    first_line: int = 1,
) -> Article:
    """Split an article body into text, metadata, captions and the furniture removed.

    ``first_line`` is the line number of the body's first line in its container;
    ``furniture_lines`` are lines learnt as furniture from the corpus (repeated
    verbatim across articles of one publisher).
    """
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    numbered = [(first_line + i, line) for i, line in enumerate(lines)]
    content = [(n, line) for n, line in numbered if line.strip()]
    article = Article(text="")
    if not content:
        return article

    # The headline: the first line when it reads as one; a verbatim repeat of it goes too.
    removed: dict[int, tuple[str, str]] = {}  # index in `content` -> (reason, text)
    start = 0
    kinds = [classify_line(line) for _, line in content]
    if _is_headline(content[0][1], len(content) > 1, kinds[0]):
        article.title = content[0][1].strip()
        start = 1
        for i in range(1, min(len(content), 6)):
            if content[i][1].strip() == article.title:
                removed[i] = ("title_repeat", content[i][1])

    for i, (_, line) in enumerate(content):
        if i < start or i in removed:
            continue
        stripped = line.strip()
        if stripped in furniture_lines:
            kinds[i] = Furniture("repeated_line", True)
        elif kinds[i] is None and len(stripped) <= 400 and _caption(stripped):
            kinds[i] = Furniture("caption", True)
    _mark_related_block(content, kinds, start)

    # Furniture zones: the head (after the title) and the tail, up to the first paragraph.
    # Short lines that are not furniture (a subtitle, a name) do not end a zone, so that
    # one unknown label does not shield the furniture behind it; they stay in the text.
    edge = set()
    i = start
    while i < len(content) and (kinds[i] is not None or i in removed or not _is_paragraph(content[i][1])):
        edge.add(i)
        i += 1
    j = len(content) - 1
    while j >= i and (kinds[j] is not None or j in removed or not _is_paragraph(content[j][1])):
        edge.add(j)
        j -= 1

    kept: list[tuple[int, str]] = []
    for index, (number, line) in enumerate(content):
        if index < start:
            continue
        kind = kinds[index]
        if index in removed:
            reason = removed[index][0]
        elif kind is not None and (kind.anywhere or index in edge):
            reason = kind.reason
        else:
            kept.append((number, line))
            continue
        if reason == "caption":
            match = CAPTION.match(line.strip())
            article.captions.append(next(g for g in match.groups() if g is not None).strip())
        else:
            article.boilerplate.append(Boilerplate(text=line, reason=reason, line=number))
        if keep_boilerplate:
            kept.append((number, line))

    _fill_metadata(article, [line for _, line in kept])
    if keep_boilerplate:
        article.text = clean_body(body)
    else:
        article.text = _join_paragraphs(kept, {n for n, line in numbered if not line.strip()})
    return article


def _join_paragraphs(kept: list[tuple[int, str]], blank: set[int]) -> str:
    """Kept lines joined; a blank line between two of them in the member stays one blank line."""
    parts: list[str] = []
    previous = None
    for number, line in kept:
        if previous is not None:
            parts.append("\n\n" if any(n in blank for n in range(previous + 1, number)) else "\n")
        parts.append(_strip_pipes(line))
        previous = number
    return "".join(parts)


def _strip_pipes(line: str) -> str:
    """A lead that ends in a stray `|` (a caption separator left behind) loses it."""
    return _core(line) if line.strip().startswith("|") or line.strip().endswith("|") else line


def clean_body(body: str) -> str:
    """Newlines normalised to ``\\n`` and blank lines trimmed at both ends; nothing else."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])


def _mark_related_block(content, kinds, start: int) -> None:
    """A related-links label near the end takes the short headline lines after it."""
    for i in range(max(start, len(content) - 15), len(content)):
        kind = kinds[i]
        if kind is not None and kind.reason == "related_links" and RELATED_LABEL.match(content[i][1].strip()):
            rest = range(i + 1, len(content))
            if all(kinds[k] is not None or len(content[k][1].strip()) <= 150 for k in rest):
                for k in rest:
                    if kinds[k] is None:
                        kinds[k] = Furniture("related_links", False)
            return


def _fill_metadata(article: Article, kept: list[str]) -> None:
    credit = copyright_owner = None
    meta_date = labelled_date = None
    for item in article.boilerplate:
        line, reason = item.text.strip(), item.reason
        if reason == "source_line":
            article.url = SOURCE_LINE.match(_core(line)).group("url").rstrip(".,;،")
        elif reason in ("link", "subscription"):
            for url in re.findall(_URL, line):
                if is_homepage(url) and article.publisher_url is None:
                    article.publisher_url = url.rstrip(".,;،")
        elif reason == "credit" and credit is None:
            credit = CREDIT_LINE.match(_core(line)).group("who").strip()
        elif reason == "copyright" and copyright_owner is None:
            copyright_owner = _publisher_from_copyright(line)
        elif reason == "date_meta":
            found = find_dates(line)
            if found:
                if _DATE_LABEL.match(_BULLET.sub("", _core(line))) and labelled_date is None:
                    labelled_date = found[0].date.isoformat()
                elif meta_date is None:
                    meta_date = found[0].date.isoformat()
    opening = next((line for line in kept[:3] if _is_paragraph(line)), kept[0] if kept else None)
    dateline_date, agency = _dateline(opening) if opening else (None, None)
    # The dateline is the journalist's own statement of the day; a page's date
    # stamp is often shifted by a time zone or a later update, so it comes second.
    article.date_published = dateline_date or labelled_date or meta_date
    article.publisher = credit or copyright_owner or agency


def account_lines(body: str, article: Article) -> list[str]:
    """Non-blank lines of ``body`` found nowhere in the article: empty when nothing was lost."""
    places = {_core(line) for line in article.text.split("\n")}
    places |= {_core(item.text) for item in article.boilerplate}
    places |= {_core(c) for c in article.captions}
    if article.title:
        places.add(_core(article.title))
    missing = []
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        core = _core(line)
        if line.strip() and core not in places and not any(core in c for c in article.captions):
            missing.append(line)
    return missing
