"""`date_published` as real pages write dates: day/month order never guessed, no date from a sentence.

Each case is a small page: headline, date lines, body. A numeric date whose day and month are both
12 or less (`10/7/2025`) is published only when another stamp of the same page settles the order;
a date inside a body sentence (`the 7 October 2016 elections`) is never the publication date.
"""

from __future__ import annotations

import pytest

from newsingest.stages.extract import extract_article

from .guards import time_limit

EN_BODY = (
    "The ministry said on Tuesday that the new rules would apply to every importer in the country.\n"
    "Officials expect the measure to cut waiting times at the ports by half within a year."
)
AR_BODY = (
    "قالت الوزارة في بيان إن القواعد الجديدة ستطبق على جميع المستوردين في البلاد اعتبارا من الشهر المقبل.\n"
    "ويتوقع المسؤولون أن يخفض الإجراء أوقات الانتظار في الموانئ إلى النصف خلال عام."
)
FA_BODY = (
    "وزارت اقتصاد اعلام کرد که مقررات تازه از ماه آینده برای همه واردکنندگان کشور اجرا می‌شود و مهلت آن تمدید نمی‌شود.\n"
    "مسئولان انتظار دارند این اقدام زمان انتظار در بنادر را ظرف یک سال به نصف برساند."
)
ID_BODY = (
    "Kementerian menyatakan aturan baru itu berlaku bagi seluruh importir di dalam negeri mulai bulan depan.\n"
    "Pejabat berharap langkah tersebut memangkas waktu tunggu di pelabuhan hingga separuhnya dalam setahun."
)
UR_BODY = (
    "وزارت نے ایک بیان میں کہا ہے کہ نئے قواعد اگلے مہینے سے ملک کے تمام درآمد کنندگان پر لاگو ہوں گے۔\n"
    "حکام کو توقع ہے کہ اس اقدام سے بندرگاہوں پر انتظار کا وقت ایک سال میں آدھا رہ جائے گا۔"
)


def date_of(*lines: str) -> str | None:
    return extract_article("\n".join(lines)).date_published


# --- ambiguous numeric dates: decided by the page's other stamps, else none ------------------------


@pytest.mark.parametrize(
    "lines, expected",
    [
        # en: a US-made system prints month first; nothing else on the page says so
        (("New rules for importers take effect", "10/7/2025 19:30", EN_BODY), None),
        # ... an update stamp in the same style whose numbers fix the order: month first
        (("New rules for importers take effect", "10/7/2025 19:30", EN_BODY, "Updated 10/21/2025 08:00"), "2025-10-07"),
        # ... or day first
        (("New rules for importers take effect", "10/7/2025 19:30", EN_BODY, "Updated 21/10/2025 08:00"), "2025-07-10"),
        # ... a stamp in another style (`-`, not `/`) is no evidence
        (("New rules for importers take effect", "10/7/2025 19:30", EN_BODY, "Updated 21-10-2025 08:00"), None),
        # ... stamps pointing both ways settle nothing
        (("New rules for importers take effect", "10/7/2025 19:30", EN_BODY, "Updated 10/21/2025", "Last updated 22/10/2025"), None),
        # ... a textual date of the page that equals one reading
        (("New rules for importers take effect", "10/7/2025 19:30", EN_BODY, "Posted on October 7, 2025"), "2025-10-07"),
        # ar: day-first evidence from the update line
        (("قواعد جديدة للمستوردين تدخل حيز التنفيذ", "10/7/2025 19:30", AR_BODY), None),
        (("قواعد جديدة للمستوردين تدخل حيز التنفيذ", "10/7/2025 19:30", AR_BODY, "آخر تحديث: 21/10/2025 08:00"), "2025-07-10"),
        (("قواعد جديدة للمستوردين تدخل حيز التنفيذ", "10/7/2025 19:30", AR_BODY, "آخر تحديث: 7/24/2025 08:00"), "2025-10-07"),
        # fa: Persian digits, Gregorian year
        (("مقررات تازه واردات از ماه آینده اجرا می‌شود", "تاریخ انتشار: ۱۰/۰۷/۲۰۲۵ - ۱۴:۳۰", FA_BODY), None),
        (("مقررات تازه واردات از ماه آینده اجرا می‌شود", "تاریخ انتشار: ۱۰/۰۷/۲۰۲۵ - ۱۴:۳۰", FA_BODY,
          "به روز شده: ۲۴/۰۷/۲۰۲۵ ۱۰:۰۰"), "2025-07-10"),
        # id
        (("Aturan baru impor berlaku bulan depan", "Diterbitkan: 10/07/2025 14:00", ID_BODY), None),
        (("Aturan baru impor berlaku bulan depan", "Diterbitkan: 10/07/2025 14:00", ID_BODY, "Diperbarui 24/07/2025 10:00"),
         "2025-07-10"),
        # ur
        (("درآمد کے نئے قواعد اگلے ماہ سے نافذ", "شائع 10/07/2025", UR_BODY), None),
        (("درآمد کے نئے قواعد اگلے ماہ سے نافذ", "شائع 10/07/2025", UR_BODY, "اپ ڈیٹ 24/07/2025"), "2025-07-10"),
    ],
)
def test_an_ambiguous_numeric_date_needs_evidence_from_the_page(lines, expected):
    assert date_of(*lines) == expected


@pytest.mark.parametrize(
    "lines, expected",
    [
        (("New rules for importers take effect", "7/24/2025 19:30", EN_BODY), "2025-07-24"),  # month first
        (("قواعد جديدة للمستوردين تدخل حيز التنفيذ", "24/07/2025 19:30", AR_BODY), "2025-07-24"),  # day first
        (("Aturan baru impor berlaku bulan depan", "Diterbitkan: 7/7/2025 14:00", ID_BODY), "2025-07-07"),  # equal
        (("قواعد جديدة للمستوردين تدخل حيز التنفيذ", "2025/07/10", AR_BODY), "2025-07-10"),  # year first: ISO order
        (("مقررات تازه واردات از ماه آینده اجرا می‌شود", "۱۴۰۴/۰۴/۱۹", FA_BODY), "2025-07-10"),  # solar, year first
        (("درآمد کے نئے قواعد اگلے ماہ سے نافذ", "شائع 24/07/2025", UR_BODY), "2025-07-24"),
        (("New rules for importers take effect", "10/7/25 19:30", EN_BODY), None),  # two-digit year: no century guessed
    ],
)
def test_an_unambiguous_numeric_stamp_is_read_whatever_its_order(lines, expected):
    assert date_of(*lines) == expected


def test_an_update_stamp_is_never_the_publication_day():
    # Only the last change is stated: the day of publication is unknown.
    assert date_of("New rules for importers take effect", EN_BODY, "Updated 10/21/2025 08:00") is None
    assert date_of("قواعد جديدة للمستوردين تدخل حيز التنفيذ", AR_BODY, "آخر تحديث: 21/10/2025") is None
    # The publication stamp wins over a later update even when the update is labelled.
    assert date_of("New rules for importers take effect", "7/24/2025", EN_BODY, "Updated: 7/28/2025") == "2025-07-24"


def test_an_ambiguous_dateline_is_settled_by_the_page_stamp():
    body = "CAIRO, 10/7/2025 (Reuters) - " + EN_BODY
    assert date_of("New rules for importers take effect", body) is None
    assert date_of("New rules for importers take effect", "10/21/2025 09:00", body) == "2025-10-07"


# --- a date inside a sentence is not the publication date ------------------------------------------


@pytest.mark.parametrize(
    "first, expected",
    [
        # before: a dateline (place, date, agency or a dash) opens the first paragraph
        ("CAIRO, 7 October 2016 (Reuters) - The ruling party won most seats in the new parliament, officials said.",
         "2016-10-07"),
        ("القاهرة - 7 أكتوبر 2016 (رويترز) - فاز الحزب الحاكم بأغلبية المقاعد في البرلمان الجديد بحسب النتائج الرسمية.",
         "2016-10-07"),
        ("Jakarta, 17 April 2019 pukul 10.30 WIB (ANTARA) - Pemungutan suara berjalan lancar di seluruh wilayah ibu kota.",
         "2019-04-17"),
        ("تهران - ۲۸ خرداد ۱۴۰۰ - رای‌گیری انتخابات ریاست جمهوری در سراسر کشور با حضور مردم آغاز شد و ادامه دارد.",
         "2021-06-18"),
        ("اسلام آباد، 8 فروری 2024 (اے پی پی) — ملک بھر میں عام انتخابات کے لیے پولنگ کا عمل جاری ہے اور ووٹر قطاروں میں ہیں۔",
         "2024-02-08"),
        # after: the same dates inside a sentence
        ("The 7 October 2016 elections gave the ruling party most seats in the new parliament, officials said.", None),
        ("في الانتخابات التي جرت في 7 أكتوبر 2016 فاز الحزب الحاكم بأغلبية المقاعد في البرلمان الجديد.", None),
        ("انتخابات 7 أكتوبر 2016 منحت الحزب الحاكم أغلبية المقاعد في البرلمان الجديد بحسب النتائج الرسمية.", None),
        ("Pemilu 17 April 2019 lalu berjalan lancar menurut laporan Komisi Pemilihan Umum yang dirilis hari ini.", None),
        ("انتخابات ۲۸ خرداد ۱۴۰۰ با مشارکت مردم برگزار شد و نتایج آن امروز از سوی ستاد انتخابات اعلام شد.", None),
        ("عام انتخابات 8 فروری 2024 کو ہوئے تھے اور ان کے نتائج پر اب بھی بحث جاری ہے جیسا کہ حکام نے بتایا۔", None),
        # an announced event
        ("Elections on 12 March 2026 will decide the make-up of the new parliament, the commission said on Monday.", None),
        ("The vote will be held on 12 March 2026 across the country, the election commission said on Monday.", None),
    ],
)
def test_a_date_inside_a_sentence_is_not_the_publication_date(first, expected):
    rest = "Second paragraph of the story continues here with more words than any headline would hold."
    assert date_of("Results of the vote announced", first, rest) == expected


@pytest.mark.parametrize("tail", [" ", " , ", " 10:30 ", " at "])
def test_the_dateline_end_stays_linear_on_long_runs(tail):
    # 300,000 characters after a dateline's date: linear takes well under a second, quadratic minutes.
    line = "Jakarta, 17 April 2019" + (tail * (300_000 // len(tail)))[:300_000] + "x"
    with time_limit(30, f"extract_article with {tail!r} * n after a date"):
        extract_article("Results of the vote announced\n" + line + "\n" + ID_BODY)
