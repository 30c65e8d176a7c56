"""The page of `stats --html`: the figures of a corpus as one self-contained HTML file.

Charts are inline SVG drawn here, styles are inline, and nothing is fetched when the page is
viewed: no script, font, image or address outside the page (a Content-Security-Policy tells the
browser so). Every text from the data is escaped (`html.escape`, control and bidi characters
shown as escapes like on a terminal); data cells have `dir="auto"`, so a Persian or Arabic name
reads right to left. Each chart has a text equivalent: a title and description on the SVG, and
a table of its figures. The same corpus gives the same bytes: no clock is read.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from ..errors import printable
from .stats import DUPLICATE_ROWS, LENGTH_BINS, PROBLEM_ROWS, YEAR_MONTH, CorpusStats, length_bin, share_of

DEFAULT_TITLE = "Corpus report"

Figures = dict[str, Any]  # CorpusStats.to_dict()

# Labels longer than this are cut in the charts (the tables hold them whole).
LABEL_CHARS = 40
# At most this many month labels under the time axis, so that they fit on a phone.
MONTH_LABELS = 6
# Months between the first and the last date up to which every month gets its place on the axis.
MAX_TIME_AXIS = 1200
# The narrowest time axis, in months: one month alone is a column, not a wall.
MIN_SLOTS = 24

_ROW = 38  # pixels per bar of a bar chart
_COLUMNS_HEIGHT = 160  # pixels of the tallest column

_STYLE = """
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--soft:#59636e;--bar:#2f6fb3;--muted:#9aa4ae;
--track:#eef1f4;--rule:#d5dbe1}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--bg:#14171a;--soft:#a3adb8;--bar:#6ea8e6;
--muted:#6b7580;--track:#242a30;--rule:#39414a}}
*{box-sizing:border-box}
body{margin:0;color:var(--fg);background:var(--bg);
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic","Noto Naskh Arabic",Tahoma,
"DejaVu Sans",sans-serif}
main{max-width:1200px;margin:0 auto;padding:16px}
h1{font-size:1.6em;margin:0 0 4px}
h2{font-size:1.1em;margin:0 0 8px}
.sources,.note{color:var(--soft);margin:4px 0 8px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,500px),1fr));gap:24px 40px;margin-top:16px}
.wide{grid-column:1/-1}
section{min-width:0}
figure{margin:0}
svg{display:block;width:100%;overflow:visible}
svg text{font-size:12px;fill:var(--fg)}
svg .value{fill:var(--soft)}
.bar{fill:var(--bar)}
.muted{fill:var(--muted)}
.track{fill:var(--track)}
.axis{stroke:var(--soft);stroke-width:1}
.grid-line{stroke:var(--rule);stroke-width:1;stroke-dasharray:3 3}
details{margin-top:6px}
summary{cursor:pointer;color:var(--soft)}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:3px 8px;border-bottom:1px solid var(--rule);text-align:start;vertical-align:top}
td.n,th.n{text-align:end;white-space:nowrap}
td{overflow-wrap:anywhere}
.figures{max-width:640px}
.figures th{width:65%}
""".strip()

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'"


def _text(value: str) -> str:
    """A text from the data, safe in HTML and SVG: control and bidi characters shown as escapes."""
    return html.escape(printable(value) if value else "(empty)", quote=True)


def _n(value: int) -> str:
    return f"{value:,}"


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _pct(part: float, whole: float) -> str:
    """A length as a percentage of the chart's width, in few stable digits."""
    return f"{100 * part / whole:.3f}".rstrip("0").rstrip(".") + "%"


@dataclass(frozen=True)
class Bar:
    """One bar: its label (from the data), its count, what is said after the count, greyed or not."""

    label: str
    value: int
    note: str = ""
    muted: bool = False


def _bar_chart(chart_id: str, title: str, bars: Sequence[Bar], unit: str) -> str:
    """Horizontal bars, each under its label with its count at the end of the line: no label can
    run into a bar, whatever the width of the page."""
    widest = max((bar.value for bar in bars), default=0) or 1
    height = _ROW * len(bars)
    described = "; ".join(f"{printable(bar.label)}: {_n(bar.value)} {unit}" + (f" ({bar.note})" if bar.note else "")
                          for bar in bars)
    out = [
        f'<svg id="{chart_id}" class="chart bars" width="100%" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{html.escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{html.escape(described)}</desc>',
    ]
    for i, bar in enumerate(bars):
        top = i * _ROW
        value = _n(bar.value) + (f" · {bar.note}" if bar.note else "")
        out.append(f'<g class="row"><title>{_text(bar.label)}: {value} {unit}</title>')
        out.append(f'<text x="0" y="{top + 14}">{_text(_cut(bar.label))}</text>')
        out.append(f'<text class="value" x="100%" y="{top + 14}" text-anchor="end">{html.escape(value)}</text>')
        out.append(f'<rect class="track" x="0" y="{top + 20}" width="100%" height="12" rx="2"/>')
        if bar.value:
            width = max(100 * bar.value / widest, 0.5)
            kind = "muted" if bar.muted else "bar"
            out.append(f'<rect class="{kind}" x="0" y="{top + 20}" width="{_pct(width, 100)}" height="12" rx="2" '
                       f'data-value="{bar.value}"/>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _column_chart(chart_id: str, title: str, columns: Sequence[tuple[str, int]], unit: str) -> str:
    """Columns along a time axis (at least MIN_SLOTS places wide, so that a few months do not make
    a wall), a few labels under it: the first, the last and evenly between."""
    n = len(columns)
    slots = max(n, MIN_SLOTS)
    tallest = max((value for _, value in columns), default=0) or 1
    top, base = 20, 20 + _COLUMNS_HEIGHT
    present = [(label, value) for label, value in columns if value]
    peak = max(present, key=lambda item: item[1], default=("", 0))
    described = (f"{_n(len(present))} months from {printable(columns[0][0])} to {printable(columns[-1][0])}; "
                 f"most {unit} in {printable(peak[0])}: {_n(peak[1])}") if present else f"no {unit}"
    out = [
        f'<svg id="{chart_id}" class="chart columns" width="100%" height="{base + 22}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{html.escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{html.escape(described)}</desc>',
        f'<line class="grid-line" x1="0" y1="{top}" x2="100%" y2="{top}"/>',
        f'<text class="value" x="0" y="{top - 5}">most {unit} in a month: {_n(tallest)}</text>',
        f'<line class="axis" x1="0" y1="{base}" x2="100%" y2="{base}"/>',
    ]
    for i, (label, value) in enumerate(columns):
        if not value:
            continue
        h = max(round(_COLUMNS_HEIGHT * value / tallest, 1), 1)
        out.append(f'<rect class="bar" x="{_pct(i + 0.1, slots)}" y="{base - h:g}" width="{_pct(0.8, slots)}" '
                   f'height="{h:g}" data-value="{value}"><title>{_text(label)}: {_n(value)} {unit}</title></rect>')
    for i, label in _ticks(columns, slots):
        if i == 0:
            anchor, x = "start", _pct(i, slots)
        elif i == slots - 1 or (label != columns[i][0] and i >= 0.92 * slots):
            anchor, x = "end", "100%"
        elif label != columns[i][0]:  # a year, from its January on
            anchor, x = "start", _pct(i, slots)
        else:
            anchor, x = "middle", _pct(i + 0.5, slots)
        out.append(f'<line class="axis" x1="{_pct(i if anchor == "start" else i + 0.5, slots)}" y1="{base}" '
                   f'x2="{_pct(i if anchor == "start" else i + 0.5, slots)}" y2="{base + 4}"/>')
        out.append(f'<text class="tick" x="{x}" y="{base + 17}" text-anchor="{anchor}">{_text(label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _ticks(columns: Sequence[tuple[str, int]], slots: int) -> list[tuple[int, str]]:
    """The labelled places of a time axis and their labels, at most MONTH_LABELS and never closer
    than 1/MONTH_LABELS of its width: years at their Januaries on a long axis, else months."""
    n = len(columns)
    januaries = [i for i, (key, _) in enumerate(columns) if _MONTH.fullmatch(key) and key.endswith("-01")]
    if n > MIN_SLOTS and januaries:
        step = max(1, -(-len(januaries) // MONTH_LABELS), -(-slots // (12 * MONTH_LABELS)))
        return [(i, columns[i][0][:4]) for i in januaries[::step]]
    step = -(-slots // MONTH_LABELS)
    places = list(range(0, n, step))
    if places[-1] != n - 1 and len(places) > 1:
        places[-1] = n - 1
    return [(i, columns[i][0]) for i in places]


def _table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]], numbers_from: int = 1) -> str:
    """A table of the figures of a chart; cells before ``numbers_from`` are data, read in their own direction."""
    head = "".join(f'<th scope="col"{" class=n" if i >= numbers_from else ""}>{html.escape(h)}</th>'
                   for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = "".join(f'<td class="n">{cell}</td>' if i >= numbers_from else f'<td dir="auto">{cell}</td>'
                        for i, cell in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    return (f"<details><summary>{html.escape(caption)}</summary><table><thead><tr>{head}</tr></thead>"
            f"<tbody>\n" + "\n".join(body) + "\n</tbody></table></details>")


def _section(section_id: str, title: str, parts: Sequence[str], wide: bool = False) -> str:
    kind = ' class="wide"' if wide else ""
    return (f'<section id="{section_id}"{kind} aria-labelledby="{section_id}-h">\n'
            f'<h2 id="{section_id}-h">{html.escape(title)}</h2>\n' + "\n".join(parts) + "\n</section>")


def _note(text: str) -> str:
    return f'<p class="note">{text}</p>'


# --- the sections -----------------------------------------------------------------------------------


def _headline(corpus: CorpusStats, figures: Figures) -> str:
    dated = [month for month, n in month_axis(figures["months"]) if n]
    rows = [
        ("articles", _n(corpus.articles)),
        ("characters of text", _n(corpus.chars)),
        ("languages", _n(len(figures["languages"]))),
        ("articles that mix languages", _n(corpus.mixed_language)),
        ("publishers or domains", _n(len(figures["publishers"]))),
        ("months with articles", _n(len(dated))),
        ("first and last month", f"{_text(dated[0])} – {_text(dated[-1])}" if dated else "-"),
        ("articles without a date", _n(figures["months"].get("(no date)", 0))),
    ]
    rows += [(label, _n(figures["duplicates"][key])) for label, key in DUPLICATE_ROWS]
    rows += [
        ("normalization edits", _n(sum(figures["normalization"].values()))),
        ("lines taken out of the text", _n(sum(figures["boilerplate"].values()))),
        ("captions taken out", _n(corpus.captions)),
    ]
    body = "\n".join(f'<tr><th scope="row">{html.escape(label)}</th><td class="n">{value}</td></tr>'
                     for label, value in rows)
    return (f'<section id="figures" class="wide" aria-labelledby="figures-h">\n<h2 id="figures-h">The figures</h2>\n'
            f'<table class="figures"><tbody>\n{body}\n</tbody></table>\n</section>')


def _languages(corpus: CorpusStats) -> str:
    bars = [Bar(lang, n, share_of(n, corpus.articles)) for lang, n, _ in corpus.languages()]
    rows = [(_text(lang), _n(n), _n(chars), share_of(n, corpus.articles)) for lang, n, chars in corpus.languages()]
    parts = [_bar_chart("chart-languages", "Articles by language", bars, "articles"),
             _table("Table: articles by language", ("language", "articles", "characters", "share"), rows)]
    if corpus.mixed_language:
        parts.insert(0, _note(f"{_n(corpus.mixed_language)} article(s) mix languages (see their "
                              "<code>languages</code> field)."))
    return _section("languages", "Articles by language", parts)


def _publishers(corpus: CorpusStats, figures: Figures, top: int) -> str:
    ranked = list(figures["publishers"].items())
    bars = [Bar(name, n, share_of(n, corpus.articles)) for name, n in ranked[:top]]
    if len(ranked) > top:
        rest = sum(n for _, n in ranked[top:])
        bars.append(Bar(f"({_n(len(ranked) - top)} more)", rest, share_of(rest, corpus.articles), muted=True))
    rows = [(_text(bar.label) if not bar.muted else html.escape(bar.label), _n(bar.value), bar.note) for bar in bars]
    return _section("publishers", "Articles by publisher or domain", [
        _bar_chart("chart-publishers", "Articles by publisher or domain", bars, "articles"),
        _table("Table: articles by publisher or domain", ("publisher", "articles", "share"), rows),
    ])


_MONTH = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])")


def month_axis(months: dict[str, int]) -> list[tuple[str, int]]:
    """The dated months of ``months`` (figures["months"]) in time order; when all are YYYY-MM and
    span at most MAX_TIME_AXIS months, every month between the first and the last has its place."""
    dated = [(key, n) for key, n in months.items() if not key.startswith("(")]

    def when(key: str) -> tuple[int, int]:
        match = YEAR_MONTH.fullmatch(key)
        return (int(match[1]), int(match[2] or 0)) if match else (0, 0)

    dated.sort(key=lambda item: when(item[0]))
    if not dated or not all(_MONTH.fullmatch(key) for key, _ in dated):
        return dated
    first, last = when(dated[0][0]), when(dated[-1][0])
    span = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
    if span > MAX_TIME_AXIS:
        return dated
    counts = dict(dated)
    axis = []
    for step in range(span):
        year, month = divmod(first[0] * 12 + first[1] - 1 + step, 12)
        key = f"{year:04d}-{month + 1:02d}"
        axis.append((key, counts.get(key, 0)))
    return axis


def _months(corpus: CorpusStats, figures: Figures) -> str:
    axis = month_axis(figures["months"])
    parts = []
    undated = {key: n for key, n in figures["months"].items() if key.startswith("(")}
    if undated:
        said = ", ".join(f"{_n(n)} {'have no date' if key == '(no date)' else 'have a date that is not one'}"
                         for key, n in undated.items())
        parts.append(_note(f"Of {_n(corpus.articles)} articles, {said}: they are in the table, not on the axis."))
    if axis:
        parts.append(_column_chart("chart-months", "Articles by month of publication", axis, "articles"))
    else:
        parts.append(_note("No article has a date of publication."))
    rows = [(_text(key), _n(n)) for key, n in figures["months"].items()]
    parts.append(_table("Table: articles by month", ("month", "articles"), rows))
    return _section("months", "Articles by month of publication", parts, wide=True)


def _lengths(corpus: CorpusStats, figures: Figures) -> str:
    labels = [length_bin(low) for low in LENGTH_BINS]
    used = [i for i, label in enumerate(labels) if figures["lengths"].get(label)]
    shown = labels[used[0]: used[-1] + 1] if used else []
    bars = [Bar(label, figures["lengths"].get(label, 0), share_of(figures["lengths"].get(label, 0), corpus.articles))
            for label in shown]
    rows = [(html.escape(bar.label), _n(bar.value), bar.note) for bar in bars]
    return _section("lengths", "Length of text (characters)", [
        _bar_chart("chart-lengths", "Length of text (characters)", bars, "articles"),
        _table("Table: articles by length of text", ("characters", "articles", "share"), rows),
    ])


def _duplicates(corpus: CorpusStats, figures: Figures) -> str:
    bars = [Bar(label, figures["duplicates"][key], share_of(figures["duplicates"][key], corpus.articles))
            for label, key in DUPLICATE_ROWS]
    rows = [(html.escape(bar.label), _n(bar.value), bar.note) for bar in bars]
    parts = [_bar_chart("chart-duplicates", "Duplicates", bars, "articles"),
             _table("Table: duplicates", ("", "articles", "share"), rows)]
    if not any(bar.value for bar in bars):
        parts.insert(0, _note("No duplicates marked (run <code>newsingest dedup</code> to mark them)."))
    return _section("duplicates", "Duplicates", parts)


def _counted(section_id: str, title: str, counts: dict[str, int], unit: str, header: str, empty: str,
             extra: Optional[Bar] = None) -> str:
    bars = [Bar(name, n) for name, n in counts.items()]
    if extra is not None and (bars or extra.value):
        bars.append(extra)
    if not bars:
        return _section(section_id, title, [_note(empty)])
    rows = [(_text(bar.label) if not bar.muted else html.escape(bar.label), _n(bar.value)) for bar in bars]
    return _section(section_id, title, [
        _bar_chart(f"chart-{section_id}", title, bars, unit),
        _table(f"Table: {title[0].lower()}{title[1:]}", (header, unit), rows),
    ])


def _problems(figures: Figures) -> str:
    bars = [Bar(label, figures["problems"][key]) for label, key in PROBLEM_ROWS]
    rows = [(html.escape(bar.label), _n(bar.value)) for bar in bars]
    return _section("problems", "Records with problems", [
        _bar_chart("chart-problems", "Records with problems", bars, "records"),
        _table("Table: records with problems", ("", "records"), rows),
    ])


def render_html(corpus: CorpusStats, top: int = 15, title: str = DEFAULT_TITLE,
                sources: Sequence[str] = (), generated: Optional[str] = None) -> str:
    """The page of ``corpus``: its figures and their charts, in one self-contained HTML document.

    ``top``: publishers charted (the rest in one bar); ``sources``: the inputs, named under the
    title; ``generated``: a line of the caller's (a date, say), since the page reads no clock.
    """
    figures = corpus.to_dict()
    head = [f"<h1 dir=\"auto\">{_text(title)}</h1>"]
    if sources:
        named = ", ".join("standard input" if source == "-" else _text(source) for source in sources[:5])
        more = f" and {_n(len(sources) - 5)} more" if len(sources) > 5 else ""
        head.append(f'<p class="sources">Records read from <span dir="auto">{named}</span>{more}.</p>')
    if generated:
        head.append(f'<p class="sources" dir="auto">{_text(generated)}</p>')
    if not corpus.articles:
        body = [_note("No records: the input held no articles, so there is nothing to chart.")]
    else:
        body = [
            _headline(corpus, figures),
            _languages(corpus),
            _publishers(corpus, figures, top),
            _months(corpus, figures),
            _lengths(corpus, figures),
            _duplicates(corpus, figures),
            _counted("normalization", "Normalization edits by rule", figures["normalization"], "edits", "rule",
                     "No normalization edits (run <code>newsingest normalize</code>, or nothing needed editing)."),
            _counted("boilerplate", "Lines taken out of the text, by reason", figures["boilerplate"], "lines",
                     "reason", "No lines taken out of the text.", Bar("(captions)", corpus.captions, muted=True)),
            _problems(figures),
        ]
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en" dir="ltr">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(title)}</title>",
        f"<style>\n{_STYLE}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        *head,
        '<div class="grid">',
        *body,
        "</div>",
        "</main>",
        "</body>",
        "</html>",
        "",
    ])
