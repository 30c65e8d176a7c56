"""Language resources are data (newsingest/resources/*.toml): every entry is read and does its job,
the files are well formed, and no word list is left written into the stages' code."""

from __future__ import annotations

import ast
import datetime
import re
from pathlib import Path

import pytest

from newsingest import resources
from newsingest.stages import dates, extract, langid

STAGES = Path(extract.__file__).resolve().parent
RESOURCES = Path(resources.__file__).resolve().parent


def _reason(line: str):
    kind = extract.classify_line(line)
    return kind.reason if kind else None


# --- (c) the files parse, and no list holds an entry twice ------------------------------------------


def test_data_files_parse_and_lists_have_no_duplicates():
    files = sorted(RESOURCES.glob("*.toml"))
    assert {path.stem for path in files} >= {"common", "fa", "ar", "ur", "ps", "id", "ms", "en"}
    duplicates = []
    for path in files:
        data = resources.tomllib.loads(path.read_text(encoding="utf-8"))
        for concept, table in data.items():
            assert isinstance(table, dict), (path.name, concept)
            for key, entries in table.items():
                assert isinstance(entries, list) and entries, (path.name, concept, key)
                seen = [tuple(e) if isinstance(e, list) else e for e in entries]
                duplicates += [(path.name, concept, key, e) for e in set(seen) if seen.count(e) > 1]
                for entry in entries:
                    for text in entry if isinstance(entry, list) else [entry]:
                        assert isinstance(text, str) and text == text.strip() and text, (path.name, concept, key, entry)
    assert duplicates == []


def test_every_key_of_every_file_is_read_by_a_stage():
    # extract, dates and langid are imported above: their patterns and tables are built.
    unread = {key: files for key, files in resources.all_keys().items() if key not in resources.used_keys()}
    assert unread == {}


# --- (a) every entry, built into a representative line, is recognised by what reads it --------------

# (concept, key) -> (line for an entry, the reasons classify_line may give it)
_LINES = {
    ("source", "labels"): ("{} : https://example.com/a/1", {"source_line"}),
    ("source", "credit"): ("{}: Kompas", {"credit"}),
    ("source", "quoted_from"): ("{} Kompas", {"credit"}),
    ("source", "via"): ("{} Kompas", {"credit"}),
    ("comments", "labels"): ("{}: 12", {"comment_counter"}),
    ("comments", "after"): ("12 {}", {"comment_counter"}),
    ("ads", "bracketed"): ("[{}-top]", {"ad_slot"}),
    ("ads", "lines"): ("--- {} ---", {"ad_slot"}),
    ("related", "labels"): ("{}:", {"related_links"}),
    ("related", "teaser"): ("{} Kompas", {"related_links"}),
    ("share", "labels"): ("{}:", {"share_label"}),
    ("share", "networks"): ("{0} | {0}", {"share_label"}),
    ("end", "markers"): ("/{}/", {"end_marker"}),
    ("copyright", "marks"): ("{} 2024 Kompas", {"copyright"}),
    ("copyright", "words"): ("{} 2024 Kompas", {"copyright"}),
    ("copyright", "opening"): ("{} 2024 Kompas", {"copyright"}),
    ("copyright", "reserved"): ("Kompas 2024. {}.", {"copyright"}),
    ("copyright", "notice"): ("Kompas, {}", {"copyright"}),
    ("news_code", "labels"): ("{}: 12345", {"news_code"}),
    ("section", "labels"): ("{}: Nasional", {"section"}),
    ("byline", "labels"): ("{}: Jane Doe", {"byline"}),
    ("byline", "reported"): ("{}: Jane Doe", {"byline"}),
    ("byline", "by"): ("{} Jane Doe", {"byline"}),
    ("breadcrumb", "home"): ("{} > World > Asia", {"breadcrumb"}),
    ("tags", "labels"): ("{}: a, b, c", {"tags"}),
    ("subscription", "phrases"): ("Kompas {} sekarang", {"subscription"}),
    ("subscription", "words"): ("Please {} now", {"subscription"}),
    ("subscription", "lead_ins"): ("{} today", {"subscription"}),
    ("reading_time", "labels"): ("{}: 5 min", {"reading_time"}),
    ("reading_time", "units"): ("5 {}", {"reading_time"}),
    ("reading_time", "after"): ("5 min {}", {"reading_time"}),
    ("reading_time", "phrases"): ("{}: 5", {"reading_time"}),
    ("relative_time", "updated"): ("{} 5 hours ago", {"time_meta"}),
    ("relative_time", "amounts"): ("{} hours ago", {"time_meta"}),
    ("relative_time", "units"): ("5 {} ago", {"time_meta"}),
    ("relative_time", "ago"): ("5 hours {}", {"time_meta"}),
    ("relative_time", "since"): ("{} ساعتين", {"time_meta"}),
    ("image", "labels"): ("{}: ANTARA", {"image_label"}),
    ("image", "credits"): ("{}: AFP", {"image_label"}),
    ("urls", "domains"): ("example.{}", {"link"}),
    ("views", "labels"): ("{}: 1,234", {"counter"}),
    ("views", "after"): ("Views: 12 {}", {"counter"}),
    ("time", "suffixes"): ("10:45 {}", {"time_meta"}),
    ("date_meta", "labels"): ("{}: 12 March 2024", {"date_meta"}),
    ("source", "alone"): ("{}", {"credit"}),
    ("promo", "lead_ins"): ("{} 'Banjir Jakarta':", {"promo"}),
    ("contact", "lead_ins"): ("{} 0555", {"contact"}),
    ("contact", "phrases"): ("تبدأ بالرمز (100) {} إلى", {"contact"}),
    ("contact", "carriers"): ("88591 - {}", {"contact"}),
}
_CAPTION_BODY = "Warga berkumpul di alun-alun kota pada pagi hari"
_CAPTIONS = {
    ("caption", "credit_words"): _CAPTION_BODY + " ({}: ANTARA)",
    ("caption", "credit_labels"): _CAPTION_BODY + " - {}: Budi",
    ("caption", "file_photo"): _CAPTION_BODY + " - {}",
    ("caption", "labels"): "{}: " + _CAPTION_BODY,
    ("caption", "agency_photo"): _CAPTION_BODY + " (AP {}/Budi)",
    ("agencies", "photo"): _CAPTION_BODY + " ({})",
}


def _entries(concept: str, key: str) -> list:
    return [entry for entries in resources.by_language(concept, key).values() for entry in entries]


@pytest.mark.parametrize("concept_key", sorted(_LINES), ids="/".join)
def test_every_label_makes_its_line_furniture(concept_key):
    template, reasons = _LINES[concept_key]
    wrong = [(w, _reason(template.format(w))) for w in _entries(*concept_key) if _reason(template.format(w)) not in reasons]
    assert wrong == []


@pytest.mark.parametrize("concept_key", sorted(_CAPTIONS), ids="/".join)
def test_every_caption_word_makes_a_caption(concept_key):
    template = _CAPTIONS[concept_key]
    assert [w for w in _entries(*concept_key) if not extract._caption(template.format(w))] == []


def test_structured_entries_make_their_lines_furniture():
    data = resources.words
    channel = data("subscription", "channels")[0]
    by = data("byline", "by")[0]
    unit = {lang: units[0] for lang, units in resources.by_language("reading_time", "units").items()}
    lines = {
        **{f"{w} {by} Jane Doe": "byline" for w in data("byline", "by_role")},
        **{f"{w} {channel}": "subscription" for w in data("subscription", "channel_before")},
        **{f"{channel} {w}": "subscription" for w in data("subscription", "channel_after")},
        **{f"{w} Kompas on {channel}": "subscription" for w in data("subscription", "follow")},
        **{f"{w} {name}": "subscription" for w in data("subscription", "follow") for name in data("subscription", "channels")},
        **{f"{app} Kompas {download}": "subscription" for app, download in data("subscription", "app_download")},
        **{f"{page} Kompas {on} {channel}": "subscription" for page, on in data("subscription", "page_on")},
        **{
            f"5 {unit[lang]} {w}": "reading_time"
            for lang, suffixes in resources.by_language("reading_time", "unit_suffix").items() for w in suffixes
        },
        **{f"{r} Kompas {held}": "copyright" for r in data("copyright", "rights") for held in data("copyright", "rights_held")},
    }
    assert {line: _reason(line) for line in lines if _reason(line) != lines[line]} == {}


def test_page_turns_glued_footers_and_news_agencies():
    data = resources.words
    turns = [f"{v} {n}" for v in data("page_turn", "verbs") for n in data("page_turn", "next")]
    assert [line for line in turns if _reason(line) != "page_turn"] == []
    lead = data("footer", "leads")[0]
    footers = [f"Kompas hari ini. {w} Kompas:" for w in data("footer", "leads")]
    footers += [f"Kompas hari ini. {lead} Kompas {w}" for w in data("footer", "ends")]
    assert [line for line in footers if not extract.GLUED_FOOTER.search(line)] == []
    agencies = [w for w in data("agencies", "news")
                if extract._dateline(f"Kota Besar, Negara ({w}) - Kompas melaporkan berita hari ini")[1] != w]
    assert agencies == []


def test_every_date_label_labels_a_date():
    assert [w for w in resources.words("date_meta", "labels") if not extract._DATE_LABEL.match(f"{w}: 12")] == []


def test_every_month_name_reads_as_its_month():
    wrong = []
    for months in resources.by_language("dates", "months").values():
        for number, spellings in enumerate(months, start=1):
            for name in spellings:
                lines = [f"23 {name} 2021"] + ([f"{name} 23, 2021"] if dates._is_latin(name) else [])
                wrong += [line for line in lines if dates.parse_date(line) != datetime.date(2021, number, 23)]
    for months in resources.by_language("dates", "solar_months").values():
        for number, spellings in enumerate(months, start=1):
            expected = dates.jalali_to_gregorian(1402, number, 1)
            wrong += [f"1 {name} 1402" for name in spellings if dates.parse_date(f"1 {name} 1402") != expected]
    assert wrong == []


def test_every_weekday_and_year_word_is_read_with_its_date():
    weekdays = [w for w in resources.words("dates", "weekdays") if dates.find_dates(f"{w}, 23 March 2021")[0].start != 0]
    suffixes = [w for w in resources.words("dates", "ordinal_suffixes") if dates.parse_date(f"23{w} March 2021") is None]
    years = [w for w in resources.words("dates", "year_words") if dates.parse_date(f"23 مارس {w} 2021") != datetime.date(2021, 3, 23)]
    assert weekdays == suffixes == years == []


def test_every_calendar_mark_names_its_calendar():
    gregorian = datetime.date(2021, 3, 23)
    solar = dates.jalali_to_gregorian(1402, 1, 1)
    wrong = [w for w in resources.words("dates", "gregorian_marks") if dates.parse_date(f"23 مارس 2021 {w}") != gregorian]
    wrong += [w for w in resources.words("dates", "solar_hijri_marks") if dates.parse_date(f"1 فروردین 1402 {w}") != solar]
    wrong += [w for w in resources.words("dates", "lunar_hijri_marks") if dates.parse_date(f"23 مارس 2021 {w}") is not None]
    assert wrong == []


def test_copyright_marks_and_words_keep_a_year_from_being_a_date():
    marks = (*resources.words("copyright", "marks"), *resources.words("copyright", "words"))
    assert [w for w in marks if dates.find_dates(f"{w} 23 March 2021")] == []


# Spelled with a letter that text is folded away from (ي, ى) before words are looked up, so they
# never match; respelling them would change which texts are detected as Pashto or Uyghur.
UNREACHABLE_FUNCTION_WORDS = {("ps", "کوي"), ("ug", "بىلەن")}


def test_every_function_word_votes_for_its_language():
    wrong = []
    for lang, words in resources.by_language("langid", "function_words").items():
        for word in words:
            if lang in langid.ARABIC_SCRIPT_LANGUAGES:
                votes = langid._arabic_script_votes(f" {word} ")
                ok = votes[lang] >= 2
            else:
                ok = langid._latin_word_votes(f" {word} ")[lang] >= 1
            if not ok and (lang, word) not in UNREACHABLE_FUNCTION_WORDS:
                wrong.append((lang, word))
    assert wrong == []
    order = resources.words("langid", "latin_order")
    assert list(langid._LATIN_FUNCTION_WORDS)[: len(order)] == list(order)


# --- (b) no word list is left in the stages' code ---------------------------------------------------

_WORD = r"[^\W\d_](?:[^\W\d_]|[ '\u200c-]|\\ )*"
# An innermost group whose alternatives are words only: `(?:home|beranda|خانه)`.
_GROUP = re.compile(r"\((?:\?(?::|[a-zA-Z]+:|P<\w+>))?([^()\\]*(?:\\.[^()\\]*)*)\)")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[a-z]{2})?")


def _word_alternation(text: str) -> bool:
    for group in _GROUP.finditer(text):
        alternatives = group.group(1).split("|")
        if len(alternatives) >= 3 and sum(bool(re.fullmatch(_WORD, a)) for a in alternatives) >= 3:
            return True
    return False


def _is_word(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(_WORD, value) is not None


def word_lists_in(source: str) -> list[int]:
    """Lines where a regex alternation of words, a collection of five or more words, or a string of
    five or more words split into a list is written."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _word_alternation(node.value):
            found.append(node.lineno)
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            words = [v for v in items if _is_word(v) and not _LANGUAGE_CODE.fullmatch(v)]
            if len(words) >= 5:
                found.append(node.lineno)
        elif (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split"
            and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str)
            and len(node.func.value.value.split()) >= 5
        ):
            found.append(node.lineno)
    return found


def test_the_word_list_finder_finds_word_lists():
    assert word_lists_in('P = r"^(?:home|beranda|خانه)\\s*>"\n') == [1]
    assert word_lists_in('P = rf"(?i:رپورٹ|رپورٹر|نامہ نگار){X}"\n') == [1]
    assert word_lists_in('X = (\n    "منبع", "منابع", "sumber", "source", "المصدر",\n)\n') == [1]
    assert word_lists_in('X = "Senin Selasa Rabu Kamis Jumat".split()\n') == [1]
    assert word_lists_in('P = r"(?:\\s*[:：]\\s*)?(?:[(\\[]\\s*)?|(?:am|pm)"\nL = ("fa", "ar", "ur", "ps", "ckb")\n') == []


def test_no_word_list_is_left_in_the_stages():
    found = [
        f"{path.relative_to(STAGES.parent.parent)}:{line}"
        for path in sorted(STAGES.glob("*.py"))
        for line in word_lists_in(path.read_text(encoding="utf-8"))
    ]
    assert found == []  # move the words to newsingest/resources/<lang>.toml
