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
from typing import Optional
from urllib.parse import urlsplit

from .dates import find_dates

# --- headline -----------------------------------------------------------------------------------

_MAX_TITLE_CHARS = 200
_MAX_TITLE_WORDS = 30
_SENTENCE_END = tuple(".!?؟۔։。…:;؛,،")

_DIGIT = r"[0-9۰-۹٠-٩]"
_URL = r"https?://[^\s<>\"')\]»]+"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _alt(*words: str) -> str:
    """An alternation of labels; a space in a label also matches a ZWNJ or no space."""
    return "(?:" + "|".join(re.escape(w).replace("\\ ", "[\\s\u200c]?") for w in words) + ")"


# --- line patterns ---------------------------------------------------------------------------------

_SOURCE_LABELS = _alt(
    "source", "sources", "sumber", "kaynak", "quelle", "fuente", "fonte", "bron", "источник",
    "منبع", "منابع", "مأخذ", "ماخذ", "المصدر", "مصدر", "ذریعہ", "بشکریہ",
)
SOURCE_LINE = _rx(rf"^[\s(\[«\"'*•\-–—]*{_SOURCE_LABELS}\s*[:：]\s*(?P<url>{_URL})\s*[)\]»]?\s*$")
CREDIT_LINE = _rx(rf"^{_SOURCE_LABELS}\s*[:：]\s*(?P<who>[^\d:/()|]{{2,60}}?)\s*[.|]?$")

COMMENT_COUNTER = _rx(
    rf"^[(\[]?\s*(?:{_alt('نظر', 'نظرات', 'دیدگاه', 'دیدگاه ها', 'تعداد نظرات', 'komentar', 'comment', 'comments', 'kommentare', 'commentaires', 'yorum', 'yorumlar', 'تعليق', 'تعليقات', 'التعليقات', 'تبصرے', 'تبصرہ')}"
    rf"\s*[:：]?\s*[(\[]?\s*{_DIGIT}+\s*[)\]]?|{_DIGIT}+\s*{_alt('comments', 'comment', 'komentar', 'نظر', 'تعليق', 'تعليقات', 'تبصرے')})\s*[)\]]?$"
)
AD_SLOT = _rx(
    rf"^(?:\[\s*{_alt('iklan', 'ads', 'ad', 'advertisement', 'advert', 'إعلان', 'اعلان', 'تبلیغ', 'تبلیغات', 'اشتہار')}[\w\s-]*\]"
    rf"|{_alt('advertisement', 'advertisements', 'iklan', 'إعلان', 'اعلان', 'تبلیغات', 'اشتہار', 'scroll to continue with content', 'sponsored', 'konten berbayar')})$"
)
_RELATED = _alt(
    "related", "related articles", "related news", "related stories", "related posts", "more stories",
    "read more", "read also", "see also", "also read", "recommended", "baca juga", "baca selengkapnya",
    "artikel terkait", "berita terkait", "simak juga", "lihat juga", "مواضيع ذات صلة", "أخبار ذات صلة",
    "اخبار ذات صلة", "مقالات ذات صلة", "ذات صلة", "اقرأ أيضا", "اقرأ أيضاً", "اقرأ ايضا", "إقرأ أيضا",
    "اقرأ المزيد", "مطالب مرتبط", "اخبار مرتبط", "خبرهای مرتبط", "مطالب پیشنهادی", "بیشتر بخوانید",
    "بخوانید", "متعلقہ خبریں", "مزید پڑھیں", "یہ بھی پڑھیں", "مزید خبریں",
)
RELATED_LABEL = _rx(rf"^{_RELATED}\s*[:：]?$")
RELATED_TEASER = _rx(rf"^{_RELATED}\s*[:：]\s*\S.{{0,200}}$")
_SOCIAL = _alt(
    "facebook", "twitter", "whatsapp", "telegram", "linkedin", "pinterest", "email", "e-mail", "line",
    "copy link", "instagram", "youtube", "فيسبوك", "تويتر", "واتساب", "تلغرام", "تلگرام", "اینستاگرام", "توییتر",
    "واتس اپ", "فیس بک", "ٹوئٹر",
)
SHARE_LABEL = _rx(
    rf"^(?:{_alt('share', 'share this', 'share this article', 'share this story', 'share on', 'bagikan', 'bagikan artikel', 'مشاركة', 'شارك', 'شارك المقال', 'شارك الخبر', 'اشتراک گذاری', 'به اشتراک بگذارید', 'ارسال به دوستان', 'print', 'طباعة', 'چاپ', 'چاپ خبر', 'tweet', 'شیئر کریں', 'شیئر')}\s*[:：]?"
    rf"|(?:{_SOCIAL}[\s|,•·/]*){{2,}})$"
)
END_MARKER = _rx(
    rf"^[/(\[\-–—]*\s*{_alt('انتهای پیام', 'پایان پیام', 'پایان خبر', 'انتهى', 'النهاية', 'end', 'selesai', 'ختم شد')}\s*[/)\]\-–—.]*$"
)
COPYRIGHT = _rx(r"^(?:©|\(c\)|copyright\b|hak cipta)|all rights reserved|حقوق.{0,60}محفوظ")
NEWS_CODE = _rx(
    rf"^{_alt('کد خبر', 'گروه خبری', 'شناسه خبر', 'کد مطلب', 'رقم الخبر', 'news id', 'news code', 'id berita', 'kode berita')}\s*[:：]\s*[\w۰-۹٠-٩-]+\s*\|?$"
)
# `Penulis: X`, `خبرنگار: X` (labels in any case), or `By Jane Doe` (a capitalised name).
BYLINE = re.compile(
    rf"^(?:(?i:{_alt('penulis', 'editor', 'reporter', 'wartawan', 'pewarta', 'kontributor', 'writer', 'author', 'خبرنگار', 'نویسنده', 'گزارشگر', 'ویراستار', 'مترجم', 'محرر', 'تحرير', 'بقلم', 'مراسل', 'رپورٹر', 'تحریر')})"
    r"\s*[:：]\s*\S.{0,80}|(?:By|BY|Oleh|OLEH)\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})$"
)
BREADCRUMB = _rx(
    rf"^{_alt('home', 'beranda', 'خانه', 'صفحه اصلی', 'الرئيسية', 'الصفحة الرئيسية', 'ہوم', 'صفحہ اول')}\s*(?:[>»›/|]\s*[^>»›/|]{{1,40}}){{1,6}}$"
)
TAGS = _rx(
    rf"^{_alt('tags', 'tag', 'topics', 'topik', 'label', 'برچسب ها', 'برچسب', 'کلمات کلیدی', 'الكلمات المفتاحية', 'الوسوم', 'كلمات دالة', 'ٹیگز')}\s*[:：]"
)
SUBSCRIPTION = _rx(
    r"للاشتراك|اشترك(?:وا)? (?:في|ب|الآن)|\bsubscribe\b|join (?:us|our) |follow us|ikuti (?:kami|kanal|akun)|"
    r"تابعونا|عضویت در کانال|ما را در .{1,30} دنبال کنید|به کانال .{1,40} بپیوندید|ہمیں فالو کریں"
)
READING_TIME = _rx(
    rf"^(?:{_DIGIT}+\s*(?:min(?:ute)?s?\s+read|menit\s+baca|دقيقة|دقائق|دقیقه)|"
    rf"{_alt('زمان مطالعه', 'مدت زمان مطالعه', 'وقت القراءة', 'waktu baca', 'reading time')}\s*[:：]?.{{0,20}})$"
)
IMAGE_LABEL = _rx(
    rf"^(?:news-picture|{_alt('image', 'photo', 'foto', 'عکس', 'صورة', 'تصویر', 'gambar', 'ilustrasi', 'video', 'ویدیو', 'فيديو')})\s*(?:[:：].{{0,60}})?$"
)
_CREDIT_WORDS = _alt(
    "منبع", "عکس", "sumber", "foto", "photo", "source", "credit", "صورة", "المصدر", "تصویر", "ảnh", "getty", "reuters", "afp",
)
# A photo caption ends with a parenthesised credit, `(Foto: ANTARA)`, `(منبع: THX)`, often between pipes.
CAPTION = _rx(rf"^\|?\s*(?P<caption>\S.{{10,}}?\(\s*{_CREDIT_WORDS}\s*[:：]\s*[^()]{{1,60}}\))\s*\|?\s*$")
URL_ONLY = _rx(rf"^{_URL}$")
_TIME = re.compile(rf"^{_DIGIT}{{1,2}}[:٫.]{_DIGIT}{{2}}(?:\s*(?:am|pm|ق\.ظ|ب\.ظ|wib|wita|wit))?$", re.I)
_BULLET = re.compile(r"^[•·▪●◦‣\-–*]\s*")
_NUMBER = re.compile(rf"^{_DIGIT}+(?:[.,]{_DIGIT}+)?\s*[kKmM]?$")
_DATE_LABEL = _rx(
    rf"^{_alt('published', 'updated', 'posted', 'date', 'diterbitkan', 'dipublikasikan', 'diperbarui', 'tanggal', 'تاریخ انتشار', 'تاریخ', 'آخرین بروزرسانی', 'انتشار', 'تاريخ النشر', 'نشر في', 'آخر تحديث', 'تاريخ', 'اشاعت')}\s*[:：]"
)


@dataclass(frozen=True)
class Furniture:
    """A classification of one line: why it is furniture, and whether it may go anywhere."""

    reason: str
    anywhere: bool


def _has_letters_or_digits(line: str) -> bool:
    return any(ch.isalnum() for ch in line)


def classify_line(line: str) -> Optional[Furniture]:
    """Why a line is page furniture, or None when it reads as article text."""
    s = line.strip().strip("|").strip()
    if not s:
        return Furniture("rule", True) if line.strip() else None
    if not _has_letters_or_digits(s):
        return Furniture("rule", True)
    if len(s) > 300:
        return None  # furniture lines are short; a paragraph is never furniture
    if AD_SLOT.match(s):
        return Furniture("ad_slot", True)
    if COMMENT_COUNTER.match(s):
        return Furniture("comment_counter", True)
    if SOURCE_LINE.match(s):
        return Furniture("source_line", True)
    if RELATED_LABEL.match(s) or RELATED_TEASER.match(s):
        return Furniture("related_links", True)
    if SHARE_LABEL.match(s):
        return Furniture("share_label", True)
    if IMAGE_LABEL.match(s):
        return Furniture("image_label", True)
    if END_MARKER.match(s):
        return Furniture("end_marker", False)
    if COPYRIGHT.search(s):
        return Furniture("copyright", False)
    if NEWS_CODE.match(s):
        return Furniture("news_code", False)
    if URL_ONLY.match(s):
        return Furniture("link", False)
    if BREADCRUMB.match(s):
        return Furniture("breadcrumb", False)
    if TAGS.match(s) and len(s) <= 200:
        return Furniture("tags", False)
    if READING_TIME.match(s):
        return Furniture("reading_time", False)
    if CREDIT_LINE.match(s):
        return Furniture("credit", False)
    bare = _BULLET.sub("", s)
    if _TIME.match(bare):
        return Furniture("time_meta", False)
    if _NUMBER.match(bare):
        return Furniture("counter", False)
    if _DATE_LABEL.match(bare) or (len(bare) <= 60 and _is_only_date(bare)):
        return Furniture("date_meta", False)
    if BYLINE.match(s) and len(s.split()) <= 12:
        return Furniture("byline", False)
    if len(s) <= 200 and SUBSCRIPTION.search(s):
        return Furniture("subscription", False)
    return None


def _is_only_date(text: str) -> bool:
    """A line that is a date and little else (a weekday, a time, separators)."""
    found = find_dates(text)
    if not found:
        return False
    rest = text[: found[0].start] + text[found[0].end :]
    return len(re.sub(r"[\W\d_]+", "", rest)) <= 12


def _is_headline(line: str, has_more: bool) -> bool:
    title = line.strip()
    if not title or not has_more:
        return False
    words = len(title.split())
    if len(title) > _MAX_TITLE_CHARS or words > _MAX_TITLE_WORDS or words < 2:
        return False
    return not title.endswith(_SENTENCE_END) and "://" not in title and classify_line(title) is None


# --- the article ------------------------------------------------------------------------------


@dataclass
class Article:
    """An article split from its furniture. `boilerplate` items are {text, reason, line}."""

    text: str
    title: Optional[str] = None
    url: Optional[str] = None
    publisher_url: Optional[str] = None
    publisher: Optional[str] = None
    date_published: Optional[str] = None
    captions: list[str] = field(default_factory=list)
    boilerplate: list[dict] = field(default_factory=list)


def _core(line: str) -> str:
    """A body line without surrounding white space and stray pipes (`lead text |`)."""
    return line.strip().strip("|").strip()


def _is_homepage(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


_AGENCY = re.compile(r"\(\s*([^()\d]{2,40}?)\s*\)")
_DATELINE_PLACE = re.compile(r"^[^\W\d][\w.'\-\u200c]*(?:\s+[^\W\d][\w.'\-\u200c]*){0,3}\s*[,،\-–—]?\s*$")


def _dateline(first: str) -> tuple[Optional[str], Optional[str]]:
    """(ISO date, agency) from a dateline that opens the first paragraph: `CITY, DATE (AGENCY) - ...`."""
    head = first[:160]
    date = None
    agency_from = 0
    for found in find_dates(head):
        before = head[: found.start]
        if found.start <= 60 and (not before.strip() or _DATELINE_PLACE.match(before)):
            date = found.date.isoformat()
            agency_from = found.end
        break
    agency = None
    match = _AGENCY.match(head[agency_from:].lstrip()) if date else None
    if match is None:  # `JAKARTA (ANTARA) - ...`: a place, then the agency
        place = re.match(r"^\s*([^\W\d][\w.'\-]*(?:\s+[^\W\d][\w.'\-]*){0,3})\s*[,،]?\s*(\([^()]{2,40}\))\s*[-–—:]", head)
        match = _AGENCY.match(place.group(2)) if place else None
    if match and len(match.group(1).split()) <= 4:
        agency = match.group(1).strip()
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
    if _is_headline(content[0][1], len(content) > 1):
        article.title = content[0][1].strip()
        start = 1
        for i in range(1, min(len(content), 6)):
            if content[i][1].strip() == article.title:
                removed[i] = ("title_repeat", content[i][1])

    kinds = [classify_line(line) for _, line in content]
    for i, (_, line) in enumerate(content):
        if i < start or i in removed:
            continue
        stripped = line.strip()
        if stripped in furniture_lines:
            kinds[i] = Furniture("repeated_line", True)
        elif kinds[i] is None and CAPTION.match(stripped):
            kinds[i] = Furniture("caption", True)
    _mark_related_block(content, kinds, start)

    # Furniture zones: the head (after the title) and the tail, up to the first line of text.
    edge = set()
    i = start
    while i < len(content) and (kinds[i] is not None or i in removed):
        edge.add(i)
        i += 1
    j = len(content) - 1
    while j >= i and (kinds[j] is not None or j in removed):
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
            article.captions.append(CAPTION.match(line.strip()).group("caption").strip())
        else:
            article.boilerplate.append({"text": line, "reason": reason, "line": number})
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
        line, reason = item["text"].strip(), item["reason"]
        if reason == "source_line":
            article.url = SOURCE_LINE.match(_core(line)).group("url").rstrip(".,;،")
        elif reason in ("link", "subscription"):
            for url in re.findall(_URL, line):
                if _is_homepage(url) and article.publisher_url is None:
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
    dateline_date, agency = _dateline(kept[0]) if kept else (None, None)
    # The dateline is the journalist's own statement of the day; a page's date
    # stamp is often shifted by a time zone or a later update, so it comes second.
    article.date_published = dateline_date or labelled_date or meta_date
    article.publisher = credit or copyright_owner or agency


def account_lines(body: str, article: Article) -> list[str]:
    """Non-blank lines of ``body`` found nowhere in the article: empty when nothing was lost."""
    places = {_core(line) for line in article.text.split("\n")}
    places |= {_core(item["text"]) for item in article.boilerplate}
    places |= {_core(c) for c in article.captions}
    if article.title:
        places.add(_core(article.title))
    missing = []
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        core = _core(line)
        if line.strip() and core not in places and not any(core in c for c in article.captions):
            missing.append(line)
    return missing
