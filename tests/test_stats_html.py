"""`stats --html`: one self-contained page whose charts hold the figures of `stats`, checked by its
structure, through the command line, and in a real headless browser when one is installed."""

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser

import pytest

from newsingest.io.jsonl import dumps_record
from newsingest.record import Boilerplate, Record, Source
from newsingest.stages.stats import collect_stats
from newsingest.stages.stats_html import MAX_TIME_AXIS, month_axis, render_html

from .conftest import FIXTURES, ROOT

SCRIPT_NAME = "<script>alert(1)</script>"
PERSIAN_NAME = "خبرگزاری ایرنا"


def make(n, lang, chars, **fields):
    return Record(id=f"r{n}", text="x" * chars, language=lang, hash=str(n), n_chars=chars,
                  source=Source(container="c", member=None, line=1), **fields)


def corpus_records():
    return [
        make(1, "fa", 150, publisher=PERSIAN_NAME, date_published="2024-01-05", normalization={"zwnj_restored": 3},
             boilerplate=[Boilerplate(text="نظر (0)", reason="comment_counter", line=9)], captions=["c"]),
        make(2, "fa", 150, publisher=PERSIAN_NAME, date_published="2024-03-01", dup_of="r1", dup_cluster="r1",
             dup_kind="exact", story="r1", normalization={"zwnj_restored": 1, "persian_letters": 2}),
        make(3, "fa", 2_000, publisher=SCRIPT_NAME, date_published="2024-03-20", dup_cluster="r1", story="r1"),
        make(4, "ar", 40_000, url="https://news.example.com/a", date_published="2024-03-02",
             boilerplate=[Boilerplate(text="x", reason="related_links", line=2),
                          Boilerplate(text="y", reason="related_links", line=3)]),
        make(5, "ar", 5, publisher="Bidi\u202eevil"),
        make(6, "id", 500, publisher="Antara", dup_of="r4", dup_cluster="r4", dup_kind="near"),
        make(7, "und", 0),
    ]


class Page(HTMLParser):
    """The parts of a page the tests read: every element with its attributes, the svg it is in,
    and the text of each element with an id."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict, str]] = []  # (tag, attributes, id of the enclosing svg)
        self.texts: dict[str, str] = {}
        self._svg = ""
        self._open: list[tuple[str, str]] = []  # (tag, id) of the elements open
        self.data: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "svg":
            self._svg = attributes.get("id", "")
        self.elements.append((tag, attributes, self._svg))
        if tag not in {"meta", "rect", "line", "br"}:
            self._open.append((tag, attributes.get("id", "")))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), self._svg))

    def handle_endtag(self, tag):
        if tag == "svg":
            self._svg = ""
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        self.data.append(data)
        for _, ident in self._open:
            if ident:
                self.texts[ident] = self.texts.get(ident, "") + data

    def bars(self, chart: str, kind: str = "bar") -> list[int]:
        return [int(a["data-value"]) for tag, a, svg in self.elements
                if svg == chart and tag == "rect" and a.get("class") == kind]

    def ticks(self, chart: str) -> list[str]:
        return [a for tag, a, svg in self.elements if svg == chart and tag == "text" and a.get("class") == "tick"]


def page_of(records, top=15, **kw):
    text = render_html(collect_stats(records), top, "Report", **kw)
    return text, Page(text)


# --- the page's structure -------------------------------------------------------------------------


def test_each_chart_holds_the_figures_of_stats():
    records = corpus_records()
    figures = collect_stats(records).to_dict()
    _, page = page_of(records)
    assert page.texts["chart-languages-title"] == "Articles by language"
    assert page.bars("chart-languages") == [3, 2, 1, 1] == [v["articles"] for v in figures["languages"].values()]
    assert page.bars("chart-publishers") == list(figures["publishers"].values())
    assert page.bars("chart-lengths") == list(figures["lengths"].values()) == [2, 2, 1, 1, 1]
    assert page.bars("chart-duplicates") == [n for n in figures["duplicates"].values() if n] == [1, 1, 1, 2]
    assert page.bars("chart-normalization") == [4, 2]
    assert page.bars("chart-boilerplate") == [2, 1] and page.bars("chart-boilerplate", "muted") == [1]
    assert page.texts["chart-boilerplate-title"] == "Lines taken out of the text, by reason"
    assert page.bars("chart-problems") == [1, 1]  # r7: language undetermined, no text left
    assert page.texts["chart-problems-desc"].startswith("cut short in their container: 0 records; ")
    # Months: January and March 2024 on a time axis that keeps a place for February.
    assert page.bars("chart-months") == [1, 3]
    xs = [a["x"] for tag, a, svg in page.elements if svg == "chart-months" and tag == "rect"]
    assert xs == ["0.417%", "8.75%"]  # places 0 and 2 of 24
    assert page.texts["chart-months-desc"] == "2 months from 2024-01 to 2024-03; most articles in 2024-03: 3"
    assert "Of 7 articles, 3 have no date: they are in the table, not on the axis." in page.data
    # Each chart has its table, and the headline figures are counted with thousands separators.
    assert [d for d in page.data if d.startswith("Table: ")] == [
        "Table: articles by language", "Table: articles by publisher or domain", "Table: articles by month",
        "Table: articles by length of text", "Table: duplicates", "Table: normalization edits by rule",
        "Table: lines taken out of the text, by reason", "Table: records with problems"]
    assert "42,805" in page.data  # characters of text


def test_every_svg_is_labelled_for_screen_readers():
    _, page = page_of(corpus_records())
    charts = [a for tag, a, _ in page.elements if tag == "svg"]
    assert len(charts) == 8
    for chart in charts:
        assert chart["role"] == "img"
        assert chart["aria-labelledby"] == f"{chart['id']}-title {chart['id']}-desc"
        assert page.texts[f"{chart['id']}-title"] and page.texts[f"{chart['id']}-desc"]


def test_publisher_names_are_escaped_and_read_in_their_own_direction():
    text, page = page_of(corpus_records())
    assert "<script" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "\u202e" not in text and "Bidi\\u202eevil" in text  # shown, never acted on
    cells = [a for tag, a, _ in page.elements if tag == "td" and a.get("dir") == "auto"]
    assert cells and PERSIAN_NAME in page.data
    labels = page.texts["chart-publishers-desc"]
    assert labels.startswith(f"{PERSIAN_NAME}: 2 articles (29%); ")


def test_the_page_fetches_nothing():
    text, page = page_of(corpus_records(), sources=["https://example.com/records.jsonl"])
    tags = {tag for tag, _, _ in page.elements}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "image", "use", "a", "form", "base"}
    for _, attributes, _ in page.elements:
        assert not [value for value in attributes.values() if "//" in (value or "") or "http" in (value or "")]
    assert "url(" not in text and "@import" not in text
    csp = [a["content"] for tag, a, _ in page.elements if tag == "meta" and a.get("http-equiv")]
    assert csp and csp[0].startswith("default-src 'none';")
    # An address in the data is text, escaped like all of it; none is in the page otherwise.
    rest = text.replace("https://example.com/records.jsonl", "")
    assert "http://" not in rest and "https://" not in rest


def test_same_corpus_same_bytes_however_it_was_counted():
    records = corpus_records()
    one, _ = page_of(records)
    assert one == page_of(records)[0]
    merged = collect_stats(records[3:]).merge(collect_stats(records[:3]))
    assert render_html(merged, 15, "Report") == one


def test_the_rest_of_the_publishers_is_one_grey_bar():
    _, page = page_of(corpus_records(), top=2)
    assert page.bars("chart-publishers") == [2, 1] and page.bars("chart-publishers", "muted") == [4]
    assert "(4 more)" in page.data


def test_an_empty_corpus_says_so():
    text, page = page_of([])
    assert "No records: the input held no articles, so there is nothing to chart." in page.data
    assert not [tag for tag, _, _ in page.elements if tag == "svg"]


def test_a_corpus_without_dates_edits_or_duplicates_says_so():
    _, page = page_of([make(1, "en", 120)])
    said = " ".join(page.data)
    assert "No article has a date of publication." in said
    assert "No normalization edits" in said and "No duplicates marked" in said
    assert "No lines taken out of the text." in said
    assert page.bars("chart-duplicates") == [] and page.bars("chart-languages") == [1]


def test_month_axis():
    assert month_axis({"(no date)": 4, "2023-11": 1, "2024-02": 2}) == [
        ("2023-11", 1), ("2023-12", 0), ("2024-01", 0), ("2024-02", 2)]
    # Bare years, signed years and impossible months: only what is there, in time order.
    assert month_axis({"2024": 1, "-0044-03": 1, "2024-13": 2}) == [("-0044-03", 1), ("2024", 1), ("2024-13", 2)]
    far = month_axis({"1900-01": 1, f"{1900 + MAX_TIME_AXIS // 12}-01": 1})
    assert len(far) == 2


def ticks(text):
    return re.findall(r'<text class="tick" x="([^"]*)" y="[^"]*" text-anchor="([a-z]*)">([^<]*)</text>', text)


def test_a_long_time_axis_is_labelled_by_years_at_their_januaries():
    records = [make(i, "en", 120, date_published=f"{2000 + i // 12}-{i % 12 + 1:02d}-01") for i in range(120)]
    text, page = page_of(records)
    assert ticks(text) == [("0%", "start", "2000"), ("20%", "start", "2002"), ("40%", "start", "2004"),
                           ("60%", "start", "2006"), ("80%", "start", "2008")]
    assert len(page.bars("chart-months")) == 120


def test_a_short_time_axis_is_labelled_by_months_apart():
    records = [make(i, "en", 120, date_published=f"2024-{i + 1:02d}-01") for i in range(6)]
    text, page = page_of(records)
    # Six months take a quarter of the axis (24 places): two labels, never on top of each other.
    assert ticks(text) == [("0%", "start", "2024-01"), ("22.917%", "middle", "2024-06")]
    assert page.bars("chart-months") == [1] * 6
    text, _ = page_of([make(i, "en", 120, date_published=f"{2022 + i // 12}-{i % 12 + 1:02d}-01") for i in range(24)])
    assert [label for _, _, label in ticks(text)] == ["2022-01", "2022-05", "2022-09", "2023-01", "2023-05",
                                                     "2023-12"]
    assert ticks(text)[-1][:2] == ("100%", "end")


# --- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("via", ["file", "stdin"])
def test_stats_html_writes_the_page_and_nothing_on_stdout(invoke, tmp_path, via):
    records = (FIXTURES / "sample_corpus.jsonl").read_text(encoding="utf-8")
    out = tmp_path / "report.html"
    if via == "file":
        result = invoke(["stats", str(FIXTURES / "sample_corpus.jsonl"), "--html", str(out), "--title", "Sample"])
        sources = [str(FIXTURES / "sample_corpus.jsonl")]
    else:
        result = invoke(["stats", "-", "--html", str(out), "--title", "Sample"], input=records)
        sources = ["-"]
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    corpus = collect_stats(Record.model_validate_json(line) for line in records.splitlines())
    assert out.read_text(encoding="utf-8") == render_html(corpus, 15, "Sample", sources)
    page = Page(out.read_text(encoding="utf-8"))
    assert page.bars("chart-languages") == [2, 2, 1]


def test_stats_html_dash_writes_the_page_on_stdout(invoke):
    result = invoke(["stats", str(FIXTURES / "sample_corpus.jsonl"), "--html", "-", "--top", "2"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("<!DOCTYPE html>\n") and result.stdout.endswith("</html>\n")
    assert Page(result.stdout).bars("chart-publishers", "muted") == [2]


def test_stats_html_with_json_writes_both(invoke, tmp_path):
    out = tmp_path / "report.html"
    result = invoke(["stats", str(FIXTURES / "sample_corpus.jsonl"), "--html", str(out), "--json"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout)["articles"] == 5 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE")


def test_stats_html_dash_with_json_is_a_usage_error(invoke):
    result = invoke(["stats", str(FIXTURES / "sample_corpus.jsonl"), "--html", "-", "--json"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert "--html - and --json would both write to standard output: give --html FILE" in result.stderr


def test_stats_html_on_bad_data(invoke, tmp_path):
    good = (FIXTURES / "sample_corpus.jsonl").read_text(encoding="utf-8")
    out = tmp_path / "report.html"
    result = invoke(["stats", "-", "--html", str(out)], input=good + "not json\n")
    assert result.exit_code == 1 and result.stderr.startswith("-:6: not JSON")
    assert not out.exists() and os.listdir(tmp_path) == []  # nothing written, nothing left behind
    result = invoke(["stats", "-", "--html", str(out), "--skip-invalid"], input=good + "not json\n")
    assert result.exit_code == 1 and result.stdout == ""
    assert Page(out.read_text(encoding="utf-8")).bars("chart-languages") == [2, 2, 1]


def test_stats_html_to_a_folder_that_does_not_exist(invoke, tmp_path):
    result = invoke(["stats", str(FIXTURES / "sample_corpus.jsonl"), "--html", str(tmp_path / "no" / "r.html")])
    assert result.exit_code == 1
    assert result.stderr == f"newsingest: cannot write to {tmp_path / 'no' / 'r.html'}: No such file or directory\n"


# --- in a real browser ------------------------------------------------------------------------------

BROWSER = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(name)), None)
BAR_BLUE = (0x2F, 0x6F, 0xB3)


def _png_rows(data: bytes, rows: int):
    """The first ``rows`` rows of pixels of an 8-bit RGB or RGBA PNG, as tuples (no imaging library)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert (depth, colour, interlace) in {(8, 2, 0), (8, 6, 0)}, header
    size = 3 if colour == 2 else 4
    raw = zlib.decompressobj().decompress(b"".join(idat), (width * size + 1) * rows)
    stride = width * size
    previous = bytearray(stride)
    for y in range(min(rows, height)):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - size] if i >= size else 0
            b, c = previous[i], previous[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        previous = line
        yield [tuple(line[x:x + 3]) for x in range(0, stride, size)]


def _chromium(tmp_path, *args):
    command = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(command, capture_output=True, timeout=600, cwd=tmp_path)


@pytest.mark.skipif(BROWSER is None, reason="no headless browser installed (chromium, chromium-browser or "
                    "google-chrome): the page is checked by its structure only")
def test_the_page_renders_in_a_headless_browser(invoke, tmp_path):
    page = tmp_path / "report.html"
    records = b"".join(dumps_record(record) for record in corpus_records())
    result = invoke(["stats", "-", "--html", str(page)], input=records)
    assert result.exit_code == 0
    url = page.as_uri()
    dom = _chromium(tmp_path, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr.decode(errors="replace")
    rendered = Page(dom.stdout.decode("utf-8"))
    assert [a["id"] for tag, a, _ in rendered.elements if tag == "svg"] == [
        "chart-languages", "chart-publishers", "chart-months", "chart-lengths", "chart-duplicates",
        "chart-normalization", "chart-boilerplate", "chart-problems"]
    assert rendered.bars("chart-languages") == [3, 2, 1, 1]
    assert PERSIAN_NAME in rendered.data and SCRIPT_NAME in rendered.data  # as text, never as a script
    shot = tmp_path / "report.png"
    run = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,2000", url)
    assert run.returncode == 0 and shot.exists(), run.stderr.decode(errors="replace")
    colours = set()
    for row in _png_rows(shot.read_bytes(), 800):  # the title, the figures, the first charts
        colours.update(row)
    assert len(colours) > 20  # text and bars, not a blank page
    assert BAR_BLUE in colours  # the bars are drawn


def test_the_doc_states_the_rules_in_force():
    doc = (ROOT / "docs" / "stats.md").read_text(encoding="utf-8")
    assert f"span at most {MAX_TIME_AXIS // 12} years" in doc
    assert "| `--html - --json` | usage error (exit 2)" in doc
