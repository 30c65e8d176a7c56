"""Publication dates stated in a line of news text, as `datetime.date`.

Only what the text states is returned: a date needs its day, month and year written out, so a bare
year, a month and a year, a copyright year or a number inside a URL give nothing, and no century is
guessed for a two-digit year. Persian solar Hijri dates are converted to Gregorian; Islamic lunar
Hijri dates (marked هـ) are skipped rather than misread.

Recognised forms, with Latin, Persian (۰-۹) and Arabic-Indic (٠-٩) digits alike:

* numeric: ``2021-03-23``, ``2021/03/23``, ``2021.03.23``, ``23/03/2021``, ``23-03-2021``,
  ``23.03.2021``, and US ``3/24/2021`` when the middle number cannot be a month; a year 1300-1499
  makes it a solar Hijri date (``۱۴۰۲/۰۵/۰۱``). A Gregorian ``10/7/2025``, both numbers 12 or less
  and unequal, is found but marked ``ambiguous``: its day/month order is never guessed, only decided
  by ``decide_order`` from evidence the caller gives (other stamps of the same page);
* day month year, with an optional weekday before: English, Indonesian/Malay, Arabic (Egyptian and
  Levantine month names, ``23 آذار/مارس 2021`` too), Persian transliterated Gregorian months and
  Persian solar months (``۱ مرداد ماه ۱۴۰۲``);
* month day, year for English and Indonesian/Malay month names: ``March 23, 2021``.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional

from ..resources import by_language, words
from ..script import ARABIC_INDIC_DIGITS, DIGIT_CLASS, LATIN_DIGITS, PERSIAN_DIGITS, TATWEEL, YEH_KAF_FOLD

__all__ = ["FoundDate", "find_dates", "parse_date", "decide_order", "jalali_to_gregorian"]

GREGORIAN = "gregorian"
SOLAR_HIJRI = "solar_hijri"
_LUNAR_HIJRI = "lunar_hijri"  # recognised only to be skipped: converting it needs tables we lack

# News is published in these years; a number outside them is a count, an ID or history.
_GREGORIAN_YEARS = range(1900, 2101)
_SOLAR_HIJRI_YEARS = range(1300, 1500)
# Written in digits only, a year from 1431 on is as likely a lunar Hijri year (1431 AH
# began in 2009) as a solar one, so such a numeric date needs its calendar mark (ه.ش).
_UNMARKED_NUMERIC_SOLAR_YEARS = range(1300, 1431)


@dataclass(frozen=True)
class FoundDate:
    """A date found in a line, with where it was written, so callers can cut it out or show it."""

    date: datetime.date
    start: int
    end: int
    calendar: str
    text: str
    # How a numeric date orders its day and month: "ymd", "dmy" (the first number exceeds 12),
    # "mdy" (the second does), "same" (day and month equal: either order reads alike), or None for
    # an ambiguous one (``10/7/2025``); "" for a date with its month named.
    order: Optional[str] = field(default="", compare=False)
    separator: str = field(default="", compare=False)  # of a numeric date: "/", "-" or "."
    # Of an ambiguous date, its day-first and month-first readings; ``date`` is then only the first.
    readings: tuple[datetime.date, ...] = field(default=(), compare=False)

    @property
    def ambiguous(self) -> bool:
        return self.order is None


# --- Solar Hijri (Jalali) calendar ------------------------------------------------------------

# Jalali years where the 33-year leap cycle jumps (Borkowski's algorithm, as in jalaali-js).
_JALALI_BREAKS = (
    -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210,
    1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178,
)
_DAYS_BEFORE_ESFAND = 6 * 31 + 5 * 30


def _nowruz(jalali_year: int) -> datetime.date:
    """The Gregorian date of 1 Farvardin, from which every day of the year is counted."""
    if not _JALALI_BREAKS[0] <= jalali_year < _JALALI_BREAKS[-1]:
        first, last = _JALALI_BREAKS[0], _JALALI_BREAKS[-1] - 1
        raise ValueError(f"solar Hijri year {jalali_year} is outside {first}..{last}")
    gregorian_year = jalali_year + 621
    jalali_leap_days = -14
    cycle_start = _JALALI_BREAKS[0]
    jump = 0
    for cycle_end in _JALALI_BREAKS[1:]:
        jump = cycle_end - cycle_start
        if jalali_year < cycle_end:
            break
        jalali_leap_days += jump // 33 * 8 + jump % 33 // 4
        cycle_start = cycle_end
    years_into_cycle = jalali_year - cycle_start
    jalali_leap_days += years_into_cycle // 33 * 8 + (years_into_cycle % 33 + 3) // 4
    if jump % 33 == 4 and jump - years_into_cycle == 4:
        jalali_leap_days += 1
    gregorian_leap_days = gregorian_year // 4 - (gregorian_year // 100 + 1) * 3 // 4 - 150
    return datetime.date(gregorian_year, 3, 20 + jalali_leap_days - gregorian_leap_days)


def jalali_to_gregorian(year: int, month: int, day: int) -> datetime.date:
    """Solar Hijri (Persian calendar) to Gregorian; raises ValueError for an impossible date."""
    if not 1 <= month <= 12:
        raise ValueError(f"solar Hijri month {month} is not 1..12")
    first_day = _nowruz(year)
    if month <= 6:
        month_length = 31
    elif month <= 11:
        month_length = 30
    else:  # Esfand has 30 days in a leap year, 29 otherwise
        month_length = (_nowruz(year + 1) - first_day).days - _DAYS_BEFORE_ESFAND
    if not 1 <= day <= month_length:
        raise ValueError(f"solar Hijri {year}/{month} has no day {day}")
    days_before_month = (month - 1) * 31 if month <= 7 else 186 + (month - 7) * 30
    return first_day + datetime.timedelta(days=days_before_month + day - 1)


# --- Text folding -----------------------------------------------------------------------------

# One character for one character, so that offsets in the folded line are offsets in the original.
_FOLD = str.maketrans(
    {
        **dict(zip(PERSIAN_DIGITS, LATIN_DIGITS)),
        **dict(zip(ARABIC_INDIC_DIGITS, LATIN_DIGITS)),
        **YEH_KAF_FOLD,  # ديسمبر and دیسمبر are one word
    }
)


def _fold(text: str) -> str:
    return text.translate(_FOLD)


def _name_key(name: str) -> str:
    return " ".join(_fold(name).lower().split())


# --- Names ------------------------------------------------------------------------------------

# Month and weekday names come from the language resources (newsingest/resources/*.toml, `[dates]`):
# Gregorian months of every language, Persian solar months, weekdays. Names in Latin script are also
# read month first (`March 23, 2021`). «آذر» (Persian, 9th solar month) is not «آذار» (Arabic, March);
# «مه», «می», «دی», «تیر» and «مهر» are also ordinary words, which the patterns only take between a
# day and a year.


def _is_latin(name: str) -> bool:
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in name)


def _month_table(months_by_language: dict[str, list[list[str]]], latin_only: bool = False) -> dict[str, int]:
    """Month names to numbers: each language lists its months in order, each month its spellings."""
    table = {}
    for months in months_by_language.values():
        for number, spellings in enumerate(months, start=1):
            for name in spellings:
                if _is_latin(name) or not latin_only:
                    table[_name_key(name)] = number
    return table


_GREGORIAN_MONTH_NUMBERS: dict[str, int] = _month_table(by_language("dates", "months"))
_LATIN_MONTH_NUMBERS: dict[str, int] = _month_table(by_language("dates", "months"), latin_only=True)
_SOLAR_MONTH_NUMBERS = _month_table(by_language("dates", "solar_months"))

_LATIN_WEEKDAYS = [name for name in words("dates", "weekdays") if _is_latin(name)]
_ARABIC_SCRIPT_WEEKDAYS = [name for name in words("dates", "weekdays") if not _is_latin(name)]


def _alternation(names: Iterable[str]) -> str:
    """A regex alternative of names, longest first; a space in a name matches any run of spaces,
    a ZWNJ matches a ZWNJ, a space or nothing (سه‌شنبه, سه شنبه, سهشنبه)."""
    words = sorted({_name_key(name) for name in names}, key=len, reverse=True)
    return "|".join(
        r"\s+".join(re.escape(part).replace("\u200c", r"[\s\u200c]?") for part in word.split())
        for word in words
    )


# --- Patterns ---------------------------------------------------------------------------------

# After the year: a calendar marker (م Gregorian, ه.ش solar Hijri, هـ / ه.ق lunar Hijri, ...): the
# words are the resources' `[dates]` `gregorian_marks`, `solar_hijri_marks` and `lunar_hijri_marks`.
_CALENDAR_WORDS = {
    _name_key(name): calendar
    for key, calendar in (("gregorian_marks", GREGORIAN), ("solar_hijri_marks", SOLAR_HIJRI), ("lunar_hijri_marks", _LUNAR_HIJRI))
    for name in words("dates", key)
}
_MARKER = rf"""
    (?:\s*(?P<marker>
        {_alternation(_CALENDAR_WORDS)}
        |هـ?\s?\.?\s?[شق](?![^\W\d_])\.?
        |هـ\.?|ه(?![^\W\d_])\.?|م(?![^\W\d_])\.?
    ))?
"""
_MARKER_CALENDARS = {
    "م": GREGORIAN, "هش": SOLAR_HIJRI, "ه": _LUNAR_HIJRI, "هق": _LUNAR_HIJRI,
    **{name.replace(" ", ""): calendar for name, calendar in _CALENDAR_WORDS.items()},
}

# A year ends at a word end: not more digits, not a further date or time part, not a Latin word.
_YEAR_END = r"(?![0-9]|[-/.:][0-9]|[A-Za-z])" + _MARKER
_DAY = rf"(?P<day>[0-9]{{1,2}})(?:{'|'.join(map(re.escape, words('dates', 'ordinal_suffixes')))})?"
_COMMA_OR_SPACE = r"(?:\s*[,،]\s*|\s+)"
_ANY_MONTH = _alternation([*_GREGORIAN_MONTH_NUMBERS, *_SOLAR_MONTH_NUMBERS])

_NUMERIC = re.compile(
    r"""
    (?<![\w/\\.@#])(?<![0-9][-:])   # not the tail of a longer number, a path or a time
    (?P<first>[0-9]{1,4})(?P<separator>[-/.])(?P<second>[0-9]{1,2})(?P=separator)(?P<third>[0-9]{1,4})
    (?![0-9/\\]|[-.:][0-9]|(?!T[0-9])[A-Za-z_])   # an ISO time (T10:00) may follow
    """
    + _MARKER,
    re.VERBOSE,
)

# From the day on: what every match of _DAY_MONTH_YEAR holds, its weekday being optional.
_DAY_MONTH_YEAR_FROM_DAY = rf"""
    (?<!\w)(?<![0-9][.,:/-]){_DAY}
    \s+(?:من\s+)?
    (?P<month>{_ANY_MONTH})\.?
    (?:\s*/\s*(?P<second_month>{_ANY_MONTH}))?   # 23 آذار/مارس 2021
    (?:\s+ماه)?
    (?:\s*[,،])?\s+
    (?:(?:من\s+)?(?:{_alternation(words('dates', 'year_words'))})\s+)?
    (?P<year>[0-9]{{4}}){_YEAR_END}
    """
_DAY_MONTH_YEAR = re.compile(
    rf"""
    (?:(?<!\w)(?P<weekday>{_alternation(_LATIN_WEEKDAYS + _ARABIC_SCRIPT_WEEKDAYS)})\.?{_COMMA_OR_SPACE})?
    """ + _DAY_MONTH_YEAR_FROM_DAY,
    re.VERBOSE | re.IGNORECASE,
)

_MONTH_DAY_YEAR = re.compile(
    rf"""
    (?:(?<!\w)(?P<weekday>{_alternation(_LATIN_WEEKDAYS)})\.?{_COMMA_OR_SPACE})?
    (?<!\w)(?P<month>{_alternation(_LATIN_MONTH_NUMBERS)})\.?
    \s+{_DAY}(?!\w){_COMMA_OR_SPACE}
    (?P<year>[0-9]{{4}}){_YEAR_END}
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Necessary conditions, searched first: a search of either pattern above tries its long alternations
# of weekday and month names at every place of the line, while these start with a digit or a space
# and fail at once almost everywhere. A line without a match of its condition is spared the pattern.
# _DAY_MONTH_YEAR without its optional weekday; the day, a separator and the year that end a match
# of _MONTH_DAY_YEAR (its month is followed by `\s+` before the day).
_DAY_MONTH_YEAR_NEEDS = re.compile(_DAY_MONTH_YEAR_FROM_DAY, re.VERBOSE | re.IGNORECASE)
_MONTH_DAY_YEAR_NEEDS = re.compile(
    rf"\s{_DAY}(?!\w){_COMMA_OR_SPACE}[0-9]{{4}}(?![0-9]|[-/.:][0-9]|[A-Za-z])", re.IGNORECASE
)

# Four digits in a row, in any of the digit sets _FOLD turns into 0-9 (mixed too, as folded).
_YEAR_DIGITS = re.compile(DIGIT_CLASS + "{4}")

# A copyright mark or word (the resources' `[copyright] marks` and `words`): the year after it is no date.
_COPYRIGHT_BEFORE = re.compile(
    rf"(?:{'|'.join(map(re.escape, (*words('copyright', 'marks'), *words('copyright', 'words'))))})\s*$", re.IGNORECASE
)


# --- Reading matches --------------------------------------------------------------------------


def _calendar_date(calendar: str, year: int, month: int, day: int) -> Optional[datetime.date]:
    """The Gregorian date, or None when the date is impossible or its year is not a news year."""
    try:
        if calendar == GREGORIAN and year in _GREGORIAN_YEARS:
            return datetime.date(year, month, day)
        if calendar == SOLAR_HIJRI and year in _SOLAR_HIJRI_YEARS:
            return jalali_to_gregorian(year, month, day)
    except ValueError:
        pass
    return None


# A date as the patterns read it: calendar, date, day/month order, readings (FoundDate's fields).
_Reading = tuple[str, datetime.date, Optional[str], tuple[datetime.date, ...]]


def _marker_allows(match: re.Match[str], calendar: str) -> bool:
    """A marker must name the date's own calendar; lunar Hijri dates are never converted."""
    marker = match.group("marker")
    if marker is None:
        return True
    return _MARKER_CALENDARS.get(re.sub(rf"[\s.{TATWEEL}]", "", marker)) == calendar


def _numeric_date(match: re.Match[str]) -> Optional[_Reading]:
    """Year-month-day or day-month-year; month-day-year only when the middle number exceeds 12.

    A Gregorian date with the year last and both other numbers 12 or less (and unequal) can be
    read either way: its order is None and both readings are returned, the day-first one first.
    Month-first is a US convention of the Gregorian calendar: a solar Hijri date is day-first.
    """
    first, second, third = match.group("first", "second", "third")
    if len(first) == 4 and len(third) <= 2:
        year, month, day = int(first), int(second), int(third)
        order: Optional[str] = "ymd"
    elif len(third) == 4 and len(first) <= 2:
        year, month, day = int(third), int(second), int(first)
        order = "dmy"
    else:  # a two-digit year would need a guessed century
        return None
    calendar = SOLAR_HIJRI if year in _SOLAR_HIJRI_YEARS else GREGORIAN
    if calendar == SOLAR_HIJRI and year not in _UNMARKED_NUMERIC_SOLAR_YEARS and match.group("marker") is None:
        return None
    readings: tuple[datetime.date, ...] = ()
    if order == "dmy" and calendar == GREGORIAN:
        if month > 12:
            month, day, order = day, month, "mdy"  # 3/24/2021 can only be US month/day/year
        elif day == month:
            order = "same"
        elif day <= 12:
            order = None
            # Both readings exist whenever the date itself does (day and month are 12 or less).
            both = (_calendar_date(calendar, year, month, day), _calendar_date(calendar, year, day, month))
            readings = tuple(reading for reading in both if reading is not None)
    found = _calendar_date(calendar, year, month, day)
    return (calendar, found, order, readings) if found and _marker_allows(match, calendar) else None


def _named_month_date(match: re.Match[str]) -> Optional[_Reading]:
    """A date with its month written as a name; the name decides the calendar."""
    calendars = set()
    months = set()
    for name in match.group("month"), match.groupdict().get("second_month"):
        if name is None:
            continue
        key = _name_key(name)
        if key in _SOLAR_MONTH_NUMBERS:
            calendars.add(SOLAR_HIJRI)
            months.add(_SOLAR_MONTH_NUMBERS[key])
        else:
            calendars.add(GREGORIAN)
            months.add(_GREGORIAN_MONTH_NUMBERS[key])
    if len(calendars) != 1 or len(months) != 1:  # آذار/مارس agree; آذار/مه do not
        return None
    calendar, month = calendars.pop(), months.pop()
    found = _calendar_date(calendar, int(match.group("year")), month, int(match.group("day")))
    return (calendar, found, "", ()) if found and _marker_allows(match, calendar) else None


def _url_spans(folded: str) -> list[tuple[int, int]]:
    """Whitespace-separated tokens that are URLs or host/path strings: their numbers are not dates."""
    if "/" not in folded and "www." not in folded.lower():  # what every such token holds
        return []
    spans = []
    for token in re.finditer(r"\S+", folded):
        text = token.group()
        host = text.split("/", 1)[0]
        if (
            "://" in text
            or text.lower().startswith("www.")
            or ("/" in text and "." in host and host.rsplit(".", 1)[1][:1].isalpha())
        ):
            spans.append(token.span())
    return spans


def _candidates(folded: str) -> Iterator[tuple[re.Match[str], Optional[_Reading]]]:
    for match in _NUMERIC.finditer(folded):
        yield match, _numeric_date(match)
    for pattern, needs in ((_DAY_MONTH_YEAR, _DAY_MONTH_YEAR_NEEDS), (_MONTH_DAY_YEAR, _MONTH_DAY_YEAR_NEEDS)):
        if needs.search(folded) is None:
            continue
        for match in pattern.finditer(folded):
            yield match, _named_month_date(match)


def find_dates(line: str) -> list[FoundDate]:
    """Every full date (day, month and year all stated) in a line, in order of appearance.

    ``3/24/2021`` can only be US month/day/year and ``24/03/2021`` day/month/year; ``03/04/2021``
    is found with ``ambiguous`` set and both readings (day-first in ``date``): many Arabic,
    Indonesian and Urdu sites run US-made systems that print month first, so the script or language
    of the page tells nothing. ``decide_order`` settles it from evidence, or gives None.
    """
    if _YEAR_DIGITS.search(line) is None:  # every form needs a four-digit year
        return []
    folded = _fold(line)
    urls = _url_spans(folded)
    found: list[FoundDate] = []
    next_url = 0  # URL spans are disjoint and in order, and so are candidates' starts: one pass over both
    for match, result in sorted(_candidates(folded), key=lambda item: (item[0].start(), -item[0].end())):
        start, end = match.span()
        if result is None or _COPYRIGHT_BEFORE.search(folded, max(0, start - 12), start):
            continue
        while next_url < len(urls) and urls[next_url][1] <= start:
            next_url += 1
        if next_url < len(urls) and urls[next_url][0] < end:  # the date overlaps a URL
            continue
        if found and start < found[-1].end:  # two patterns read the same words
            continue
        calendar, date, order, readings = result
        separator = match.group("separator") if "separator" in match.re.groupindex else ""
        found.append(FoundDate(date=date, start=start, end=end, calendar=calendar, text=line[start:end],
                               order=order, separator=separator, readings=readings))
    return found


def decide_order(found: FoundDate, evidence: Iterable[FoundDate]) -> Optional[datetime.date]:
    """The date `found` states, its day/month order decided by `evidence` when the numbers leave it open.

    Evidence is other dates of the same page: a numeric stamp with the same separator whose numbers
    fix the order (``7/24/2025`` says month first, ``24/07/2025`` day first), or a date with its
    month named that equals one of the two readings. When the evidence points both ways, or there
    is none, the answer is None: a date with a guessed day is worse than no date.
    """
    if not found.ambiguous:
        return found.date
    day_first, month_first = found.readings
    supported = set()
    for other in evidence:
        if other.order == "dmy" and other.separator == found.separator:
            supported.add(day_first)
        elif other.order == "mdy" and other.separator == found.separator:
            supported.add(month_first)
        elif other.order == "" and other.date in (day_first, month_first):
            supported.add(other.date)
    return supported.pop() if len(supported) == 1 else None


def parse_date(text: str) -> Optional[datetime.date]:
    """The first full date in text whose day and month are certain, or None."""
    dates = find_dates(text)
    return decide_order(dates[0], dates[1:]) if dates else None
