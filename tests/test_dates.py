"""Dates are read only as the text states them, in every script and calendar the corpus uses."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .guards import time_limit
from newsingest.stages.dates import FoundDate, decide_order, find_dates, jalali_to_gregorian, parse_date

D = datetime.date
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DIGIT_SCRIPTS = {"latin": {}, "persian": PERSIAN_DIGITS, "arabic_indic": ARABIC_INDIC_DIGITS}


@pytest.fixture(params=list(DIGIT_SCRIPTS))
def in_script(request):
    """Write a line's digits in one script: every form must read the same in all three."""
    return lambda text: text.translate(DIGIT_SCRIPTS[request.param])


# (line, date, calendar, matched text)
FOUND = [
    # numeric Gregorian
    ("2021-03-23", D(2021, 3, 23), "gregorian", "2021-03-23"),
    ("2021/03/23", D(2021, 3, 23), "gregorian", "2021/03/23"),
    ("2021.03.23", D(2021, 3, 23), "gregorian", "2021.03.23"),
    ("23/03/2021", D(2021, 3, 23), "gregorian", "23/03/2021"),
    ("23-03-2021", D(2021, 3, 23), "gregorian", "23-03-2021"),
    ("23.03.2021", D(2021, 3, 23), "gregorian", "23.03.2021"),
    ("Selasa (23/3/2021)", D(2021, 3, 23), "gregorian", "23/3/2021"),
    ("3/24/2021", D(2021, 3, 24), "gregorian", "3/24/2021"),
    ("• 3/24/2021", D(2021, 3, 24), "gregorian", "3/24/2021"),
    ("12/31/2021", D(2021, 12, 31), "gregorian", "12/31/2021"),
    ("2021-03-23T10:00:00Z", D(2021, 3, 23), "gregorian", "2021-03-23"),
    ("Updated 23.03.2021, 10:30", D(2021, 3, 23), "gregorian", "23.03.2021"),
    ("2021/03/23م", D(2021, 3, 23), "gregorian", "2021/03/23م"),
    # numeric solar Hijri
    ("1402/05/01", D(2023, 7, 23), "solar_hijri", "1402/05/01"),
    ("تاریخ انتشار: 1402-05-01", D(2023, 7, 23), "solar_hijri", "1402-05-01"),
    ("01/05/1402", D(2023, 7, 23), "solar_hijri", "01/05/1402"),
    ("1402/5/1 ه.ش", D(2023, 7, 23), "solar_hijri", "1402/5/1 ه.ش"),
    # English
    ("23 March 2021", D(2021, 3, 23), "gregorian", "23 March 2021"),
    ("March 23, 2021", D(2021, 3, 23), "gregorian", "March 23, 2021"),
    ("Mar. 23, 2021", D(2021, 3, 23), "gregorian", "Mar. 23, 2021"),
    ("Tuesday, 23 March 2021", D(2021, 3, 23), "gregorian", "Tuesday, 23 March 2021"),
    ("Tuesday, March 23, 2021", D(2021, 3, 23), "gregorian", "Tuesday, March 23, 2021"),
    ("Tue, 23 Mar 2021 10:00:00 GMT", D(2021, 3, 23), "gregorian", "Tue, 23 Mar 2021"),
    ("Posted on 5 Sept. 2022 by staff", D(2022, 9, 5), "gregorian", "5 Sept. 2022"),
    ("23rd MARCH 2021", D(2021, 3, 23), "gregorian", "23rd MARCH 2021"),
    # Indonesian and Malay
    ("Jakarta, 22 Agustus 2024", D(2024, 8, 22), "gregorian", "22 Agustus 2024"),
    ("Selasa, 23 Maret 2021", D(2021, 3, 23), "gregorian", "Selasa, 23 Maret 2021"),
    ("1 Okt 2021", D(2021, 10, 1), "gregorian", "1 Okt 2021"),
    ("Jumat, 17 Des. 2021 - 14:00 WIB", D(2021, 12, 17), "gregorian", "Jumat, 17 Des. 2021"),
    ("Isnin, 3 Ogos 2020", D(2020, 8, 3), "gregorian", "Isnin, 3 Ogos 2020"),
    ("Agustus 22, 2024", D(2024, 8, 22), "gregorian", "Agustus 22, 2024"),
    # Arabic, Egyptian and Levantine month names
    ("23 مارس 2021", D(2021, 3, 23), "gregorian", "23 مارس 2021"),
    ("23 آذار 2021", D(2021, 3, 23), "gregorian", "23 آذار 2021"),
    ("الثلاثاء 23 مارس 2021", D(2021, 3, 23), "gregorian", "الثلاثاء 23 مارس 2021"),
    ("الثلاثاء، 23 مارس 2021م", D(2021, 3, 23), "gregorian", "الثلاثاء، 23 مارس 2021م"),
    ("ناننينغ 23 مارس 2021 (شينخوا)", D(2021, 3, 23), "gregorian", "23 مارس 2021"),
    ("7 إبريل 2022", D(2022, 4, 7), "gregorian", "7 إبريل 2022"),
    ("15 يونيه 2020", D(2020, 6, 15), "gregorian", "15 يونيه 2020"),
    ("23 كانون الثاني 2021", D(2021, 1, 23), "gregorian", "23 كانون الثاني 2021"),
    ("5 كانون الأول 2020", D(2020, 12, 5), "gregorian", "5 كانون الأول 2020"),
    ("9 تشرين الأول 2019", D(2019, 10, 9), "gregorian", "9 تشرين الأول 2019"),
    ("9 تشرين الثاني 2019", D(2019, 11, 9), "gregorian", "9 تشرين الثاني 2019"),
    ("23 آذار/مارس 2021", D(2021, 3, 23), "gregorian", "23 آذار/مارس 2021"),
    ("1 أيلول من عام 2021", D(2021, 9, 1), "gregorian", "1 أيلول من عام 2021"),
    # Persian transliterated Gregorian months
    ("22 آگوست 2024", D(2024, 8, 22), "gregorian", "22 آگوست 2024"),
    ("سه‌شنبه 23 مارس 2021", D(2021, 3, 23), "gregorian", "سه‌شنبه 23 مارس 2021"),
    ("12 می 2021", D(2021, 5, 12), "gregorian", "12 می 2021"),
    ("12 مه 2021", D(2021, 5, 12), "gregorian", "12 مه 2021"),
    ("4 ژوئیه 2023", D(2023, 7, 4), "gregorian", "4 ژوئیه 2023"),
    # Persian solar months
    ("1 مرداد 1402", D(2023, 7, 23), "solar_hijri", "1 مرداد 1402"),
    ("1 مرداد ماه سال 1402", D(2023, 7, 23), "solar_hijri", "1 مرداد ماه سال 1402"),
    ("شنبه 10 آذر 1402", D(2023, 12, 1), "solar_hijri", "شنبه 10 آذر 1402"),
    ("10 دی 1357", D(1978, 12, 31), "solar_hijri", "10 دی 1357"),
    ("22 بهمن 1357 ه.ش", D(1979, 2, 11), "solar_hijri", "22 بهمن 1357 ه.ش"),
    ("تهران- 5 تیر 1403 (ایرنا)", D(2024, 6, 25), "solar_hijri", "5 تیر 1403"),
    ("3 مهر 1400", D(2021, 9, 25), "solar_hijri", "3 مهر 1400"),
    ("14 فروردين 1401", D(2022, 4, 3), "solar_hijri", "14 فروردين 1401"),  # Arabic yeh
]


@pytest.mark.parametrize("line, date, calendar, text", FOUND)
def test_a_stated_date_is_found_in_every_digit_script(in_script, line, date, calendar, text):
    line, text = in_script(line), in_script(text)
    assert find_dates(line) == [FoundDate(date, line.index(text), line.index(text) + len(text), calendar, text)]
    assert parse_date(line) == date


@pytest.mark.parametrize(
    "line",
    [
        "2021",
        "مارس 2021",
        "March 2021",
        "Pada tanggal 22 Agustus, ratusan orang berkumpul",
        "© 2024",
        "© 2021-03-23 Example News",
        "Copyright 23/03/2021",
        "00:00",
        "10:30",
        "version 3.5.1",
        "10.1.2021.5",
        "192.168.1.1",
        "+62 812-3456-7890",
        "021-2345-6789",
        "20210323",
        "ID 12345/03/2021",
        "https://x.com/2021/03/23/story.html",
        "(https://x.com/news/23-03-2021)",
        "example.com/2021/03/23/story",
        "31/02/2021",
        "2021-13-01",
        "2021-02-29",
        "30 اسفند 1402",  # 1402 is not a leap year
        "23/03/21",  # two-digit year: no century is guessed
        "21-03-23",
        "1 January 1850",
        "1899-12-31",
        "1 January 2101",
        "1 مرداد 2023",  # a solar month with a Gregorian year
        "1 مرداد 1600",
        "23 مارس 1402",  # a Gregorian month with a solar year
        "10/09/1445هـ",  # lunar Hijri: not converted
        "10 مارس 2021 هـ",
        "1402/05/01 ه.ق",
        "23 آذار/حزيران 2021",  # the two month names disagree
        "می 2021",  # «می» with no day is the verb prefix or the month: not a date either way
        "12 می‌توان 2021",
        "دی 1402",
        "5 May",
    ],
)
def test_no_date_is_invented(in_script, line):
    assert find_dates(in_script(line)) == []
    assert parse_date(in_script(line)) is None


def test_dates_come_in_order_with_spans_into_the_original_line():
    line = "نشر ۲۳ مارس ۲۰۲۱ وحُدّث 2021/03/24، المصدر https://x.com/2021/03/25/a ثم ٢٦-٠٣-٢٠٢١"
    found = find_dates(line)
    assert [d.date for d in found] == [D(2021, 3, 23), D(2021, 3, 24), D(2021, 3, 26)]
    assert all(line[d.start : d.end] == d.text for d in found)
    assert [d.text for d in found] == ["۲۳ مارس ۲۰۲۱", "2021/03/24", "٢٦-٠٣-٢٠٢١"]


def test_parse_date_gives_the_first_date_of_a_text():
    assert parse_date("Body.\nJakarta, 1 Mei 2023\n2 Mei 2023") == D(2023, 5, 1)
    assert parse_date("") is None


# Verified with jalali_to_gregorian and with the independent count below.
@pytest.mark.parametrize(
    "jalali, gregorian",
    [
        ((1403, 1, 1), D(2024, 3, 20)),
        ((1402, 1, 1), D(2023, 3, 21)),
        ((1400, 1, 1), D(2021, 3, 21)),
        ((1402, 5, 1), D(2023, 7, 23)),
        ((1402, 12, 29), D(2024, 3, 19)),  # last day of 1402: it has no 30 Esfand
        ((1403, 12, 30), D(2025, 3, 20)),  # 1403 is a leap year
        ((1357, 10, 10), D(1978, 12, 31)),
        ((1357, 11, 22), D(1979, 2, 11)),
        ((1348, 10, 11), D(1970, 1, 1)),
    ],
)
def test_jalali_known_pairs(jalali, gregorian):
    assert jalali_to_gregorian(*jalali) == gregorian


@pytest.mark.parametrize("jalali", [(1402, 12, 30), (1402, 13, 1), (1402, 0, 1), (1402, 7, 31), (1402, 1, 0), (9999, 1, 1)])
def test_jalali_impossible_dates_raise(jalali):
    with pytest.raises(ValueError):
        jalali_to_gregorian(*jalali)


def _reference_jalali(year, month, day):
    """An independent count: the plain 33-year leap rule, from 11 Dey 1348 = 1 January 1970."""

    def days_since_1300(y, m, d):
        year_days = sum(366 if (25 * k + 11) % 33 < 8 else 365 for k in range(1300, y))
        return year_days + ((m - 1) * 31 if m <= 7 else 186 + (m - 7) * 30) + d - 1

    return D(1970, 1, 1) + datetime.timedelta(days_since_1300(year, month, day) - days_since_1300(1348, 10, 11))


def test_jalali_agrees_with_an_independent_count_over_the_news_years():
    years = range(1300, 1500)
    assert [y for y in years if jalali_to_gregorian(y, 1, 1) != _reference_jalali(y, 1, 1)] == []
    assert [y for y in years if jalali_to_gregorian(y, 12, 20) != _reference_jalali(y, 12, 20)] == []


def _to_jalali(day):
    """Gregorian to solar Hijri by counting from the Nowruz before it."""
    year = day.year - 621 if day >= jalali_to_gregorian(day.year - 621, 1, 1) else day.year - 622
    offset = (day - jalali_to_gregorian(year, 1, 1)).days
    if offset < 186:
        return year, offset // 31 + 1, offset % 31 + 1
    return year, (offset - 186) // 30 + 7, (offset - 186) % 30 + 1


def _months(names):
    return dict(enumerate(names.split(), start=1))


ENGLISH = _months("January February March April May June July August September October November December")
INDONESIAN = _months("Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember")
ARABIC = _months("يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر")
LEVANTINE = {month: name.replace("_", " ") for month, name in _months(
    "كانون_الثاني شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين_الأول تشرين_الثاني كانون_الأول"
).items()}
PERSIAN = _months("ژانویه فوریه مارس آوریل مه ژوئن ژوئیه اوت سپتامبر اکتبر نوامبر دسامبر")
SOLAR = _months("فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند")


def _jalali_named(day):
    year, month, date = _to_jalali(day)
    return f"{date} {SOLAR[month]} {year}".translate(PERSIAN_DIGITS)


def _jalali_numeric(day):
    year, month, date = _to_jalali(day)
    return f"{year}/{month:02}/{date:02}".translate(PERSIAN_DIGITS)


FORMATS = {
    "iso": lambda d: d.isoformat(),
    "d/m/Y": lambda d: f"{d.day:02}/{d.month:02}/{d.year}",
    "english": lambda d: f"{d.day} {ENGLISH[d.month]} {d.year}",
    "english month first": lambda d: f"{ENGLISH[d.month]} {d.day}, {d.year}",
    "indonesian": lambda d: f"{d.day} {INDONESIAN[d.month]} {d.year}",
    "arabic": lambda d: f"{d.day} {ARABIC[d.month]} {d.year}",
    "levantine": lambda d: f"{d.day} {LEVANTINE[d.month]} {d.year}",
    "persian": lambda d: f"{d.day} {PERSIAN[d.month]} {d.year}",
    "jalali named": _jalali_named,
    "jalali numeric": _jalali_numeric,
}


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=D(1950, 1, 1), max_value=D(2050, 12, 31)),  # numeric solar dates: years to 1430
    form=st.sampled_from(sorted(FORMATS)),
    script=st.sampled_from(sorted(DIGIT_SCRIPTS)),
    before=st.sampled_from(["", "Jakarta - ", "تهران – ", "نشر في "]),
    after=st.sampled_from(["", " (ANTARA)", " - خبرگزاری", "."]),
)
def test_any_written_date_reads_back(day, form, script, before, after):
    written = FORMATS[form](day).translate(DIGIT_SCRIPTS[script])
    if form == "d/m/Y" and day.day <= 12 and day.day != day.month:  # 02/01/2000: day and month could swap
        assert parse_date(before + written + after) is None
    else:
        assert parse_date(before + written + after) == day


@pytest.mark.parametrize(
    "unit",
    ["1/", "12/", "1 ", " ", "1.1.", "2021-03-", "23 March ", "March 23, ", "Tuesday, ", "۲۳ مرداد ", "كانون الثاني "],
)
def test_time_stays_linear_on_adversarial_lines(unit):
    # 300,000 characters: linear takes well under a second, quadratic would take minutes.
    line = (unit * (300_000 // len(unit) + 1))[:300_000]
    with time_limit(30, f"find_dates on {unit!r} * n"):
        find_dates(line)


def test_unmarked_numeric_year_that_may_be_lunar_is_skipped():
    assert find_dates("1445/09/10") == []  # 1445 AH (2024) or 1445 solar (2066): not guessed
    assert parse_date("۱۴۴۵/۰۹/۱۰ ه.ش") == jalali_to_gregorian(1445, 9, 10)
    assert parse_date("۱۰ آذر ۱۴۴۵") == jalali_to_gregorian(1445, 9, 10)  # a solar month name decides
    assert parse_date("۱۴۰۲/۰۵/۰۱") == D(2023, 7, 23)


@pytest.mark.parametrize(
    "text, expected",
    [("4 جنوری 2024", D(2024, 1, 4)), ("منگل 23 مارچ 2021", D(2021, 3, 23)), ("شائع 15 اگست 2023 09:10", D(2023, 8, 15))],
)
def test_urdu_month_names(text, expected):
    assert parse_date(text) == expected


# --- day/month order: found, but never guessed ------------------------------------------------------


@pytest.mark.parametrize(
    "line, order, date",
    [
        ("7/24/2025 19:30", "mdy", D(2025, 7, 24)),  # the second number exceeds 12: month first
        ("24/07/2025 19:30", "dmy", D(2025, 7, 24)),  # the first does: day first
        ("۲۴/۰۷/۲۰۲۵", "dmy", D(2025, 7, 24)),
        ("7/7/2025", "same", D(2025, 7, 7)),  # equal: either order reads alike
        ("2025/07/10", "ymd", D(2025, 7, 10)),  # year first is ISO order
        ("01/05/1402", "dmy", D(2023, 7, 23)),  # solar Hijri: month first is a US Gregorian convention only
        ("10 July 2025", "", D(2025, 7, 10)),
    ],
)
def test_a_numeric_date_whose_numbers_fix_the_order_is_not_ambiguous(line, order, date):
    (found,) = find_dates(line)
    assert (found.order, found.ambiguous, found.date) == (order, False, date)
    assert parse_date(line) == date


@pytest.mark.parametrize("line", ["10/7/2025 19:30", "١٠/٧/٢٠٢٥", "۱۰-۰۷-۲۰۲۵", "10.07.2025", "Diterbitkan: 10/07/2025"])
def test_an_ambiguous_numeric_date_is_found_with_both_readings_and_parsed_as_none(line):
    (found,) = find_dates(line)  # still a date: a line holding it is a date line
    assert found.ambiguous and found.readings == (D(2025, 7, 10), D(2025, 10, 7))
    assert parse_date(line) is None


def test_decide_order_takes_only_evidence_that_settles_it():
    (ambiguous,) = find_dates("10/7/2025")
    month_first, day_first, dashed, named = (find_dates(x)[0] for x in ("7/24/2025", "24/07/2025", "24-07-2025", "7 October 2025"))
    assert decide_order(ambiguous, []) is None
    assert decide_order(ambiguous, [month_first]) == D(2025, 10, 7)
    assert decide_order(ambiguous, [day_first]) == D(2025, 7, 10)
    assert decide_order(ambiguous, [dashed]) is None  # another style says nothing about this one
    assert decide_order(ambiguous, [named]) == D(2025, 10, 7)  # a named date that equals one reading
    assert decide_order(ambiguous, [month_first, day_first]) is None  # evidence both ways
    assert decide_order(ambiguous, find_dates("7/7/2025 2025-07-10")) is None  # equal numbers, ISO: no evidence
    assert parse_date("Published: 10/7/2025 | Updated: 10/21/2025") == D(2025, 10, 7)


def test_a_two_digit_year_gives_no_date():
    assert find_dates("10/7/25") == [] and find_dates("7/24/25") == []
