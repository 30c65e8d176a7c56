"""Odd text through split → normalize → stats: bidi controls, combining marks, emoji, surrogates
escaped in JSON, scripts no language profile knows. Never a crash; normalize changes only what its
documented rules say; the dedup hash does not depend on how the container was read."""

import json

import pytest

from newsingest.stages.dedup import text_hash

from .conftest import write

# name: (text in the container, accepted languages, the text after `normalize`)
ODD = {
    "georgian": (
        "საქართველოს მთავრობამ დღეს გამოაცხადა ახალი ეკონომიკური პროგრამა რეგიონებისთვის.",
        {"ka", "und"}, None,
    ),
    "tamil": ("தமிழ்நாடு அரசு இன்று புதிய பொருளாதார திட்டத்தை அறிவித்தது.", {"ta", "und"}, None),
    "ethiopic": ("የኢትዮጵያ መንግስት ዛሬ አዲስ የኢኮኖሚ ፕሮግራም አስታወቀ። ሚኒስትሩ ለጋዜጠኞች መግለጫ ሰጡ።", {"am", "und"}, None),
    "tifinagh": ("ⵜⴰⵎⴰⵣⵉⵖⵜ ⵜⴰⵏⴰⵡⴰⵢⵜ ⵜⴻⵜⵜⵡⴰⵙⵙⴻⵏ ⴰⵙⵙⴰ ⵙ ⵓⵙⵏⴼⵍ ⴰⵎⴰⵢⵏⵓ ⴷ ⵓⵎⵙⴰⵙⴰ ⴰⵎⴰⵢⵏⵓ.", {"und", "zgh", "ber"}, None),
    # ZWJ family, skin tone, flag with a variation selector and ZWJ: emoji pass untouched.
    "emoji": (
        "The team won 👍🏽 and 👨\u200d👩\u200d👧\u200d👦 families waved 🏳\ufe0f\u200d🌈 flags in the streets of the capital.",
        {"en"}, None,
    ),
    # Bidi embedding, isolate and override controls and LRM/RLM: removed by `invisible_chars` and
    # `bidi_marks` (docs/normalization.md); the letters stay.
    "bidi": (
        "گزارش \u202bخبرگزاری\u202c درباره \u2067Apple\u2069 و \u202eسلام\u202d و \u2066x\u2069 \u2068y\u2069 "
        "\u202ab\u202c امروز منتشر شد\u200f و مردم\u200e استقبال کردند.",
        {"fa"},
        "گزارش خبرگزاری درباره Apple و سلام و x y b امروز منتشر شد و مردم استقبال کردند.",
    ),
    # Arabic harakat are kept unless --strip-diacritics.
    "harakat": (
        "قَالَ رَئِيسُ الوُزَرَاءِ إِنَّ الحُكُومَةَ سَتَعْمَلُ عَلَى تَعْزِيزِ التَّعَاوُنِ مَعَ الدُّوَلِ المُجَاوِرَةِ.",
        {"ar"}, None,
    ),
    # Latin combining accents: composed by `unicode_nfc`, nothing else.
    "latin_combining": (
        "Le ministre a de\u0301clare\u0301 que la re\u0301forme sera adopte\u0301e avant l'e\u0301te\u0301 prochain.",
        {"fr"},
        "Le ministre a déclaré que la réforme sera adoptée avant l'été prochain.",
    ),
}


def run_split(invoke, tmp_path, text: str, via: str):
    data = f"<<<FILE odd.txt>>>\n{text}\n<<<END>>>\n".encode("utf-8")
    if via == "file":
        return invoke(["split", write(tmp_path / "c.txt", data)])
    return invoke(["split", "-"], input=data)


@pytest.mark.parametrize("via", ["file", "stdin"])
@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_text_through_the_pipeline(invoke, tmp_path, name, via):
    text, languages, normalized = ODD[name]
    split = run_split(invoke, tmp_path, text, via)
    assert (split.exit_code, split.stderr) == (0, "")
    [record] = [json.loads(line) for line in split.stdout.splitlines()]
    assert record["text"] == text  # split keeps the text as written
    assert record["language"] in languages
    assert record["hash"] == text_hash(text)

    path = write(tmp_path / "records.jsonl", split.stdout.encode("utf-8"))
    args, stdin = ([path], None) if via == "file" else (["-"], split.stdout)
    once = invoke(["normalize", *args], input=stdin)
    assert (once.exit_code, once.stderr) == (0, "")
    [clean] = [json.loads(line) for line in once.stdout.splitlines()]
    assert clean["text"] == (normalized if normalized is not None else text)
    assert (clean["normalization"] == []) == (normalized is None)

    twice = invoke(["normalize", "-"], input=once.stdout)
    assert (twice.exit_code, twice.stderr) == (0, "")
    assert json.loads(twice.stdout)["text"] == clean["text"]  # idempotent

    stats = invoke(["stats", "--json", "-"], input=once.stdout)
    assert (stats.exit_code, stats.stderr) == (0, "")
    figures = json.loads(stats.stdout)
    assert (figures["articles"], figures["chars"]) == (1, len(clean["text"]))
    assert figures["languages"] == {clean["language"]: {"articles": 1, "chars": len(clean["text"])}}
    table = invoke(["stats", "-"], input=once.stdout)
    assert (table.exit_code, table.stderr) == (0, "")


@pytest.mark.parametrize("name", sorted(ODD))
def test_dedup_hash_is_stable_across_inputs_and_runs(invoke, tmp_path, name):
    text = ODD[name][0]
    hashes = {json.loads(run_split(invoke, tmp_path, text, via).stdout)["hash"] for via in ("file", "stdin", "file")}
    assert len(hashes) == 1
    utf16 = b"\xff\xfe" + f"<<<FILE odd.txt>>>\n{text}\n<<<END>>>\n".encode("utf-16-le")
    result = invoke(["split", write(tmp_path / "u16.txt", utf16)])
    assert (result.exit_code, json.loads(result.stdout)["hash"]) == (0, hashes.pop())


def test_bidi_controls_only_do_not_change_the_dedup_hash_after_normalize(invoke, tmp_path):
    plain = "گزارش خبرگزاری امروز منتشر شد و مردم از آن استقبال کردند."
    marked = "گزارش \u202bخبرگزاری\u202c امروز منتشر شد\u200f و مردم از آن استقبال کردند."
    data = f"<<<FILE a>>>\n{plain}\n<<<END>>>\n<<<FILE b>>>\n{marked}\n<<<END>>>\n".encode()
    split = invoke(["split", write(tmp_path / "c.txt", data)])
    normalized = invoke(["normalize", "-"], input=split.stdout)
    a, b = (json.loads(line) for line in normalized.stdout.splitlines())
    assert a["text"] == b["text"]
    assert text_hash(a["text"]) == text_hash(b["text"])


# --- surrogates escaped in JSON input ----------------------------------------------------------

RECORD = {
    "id": "a", "text": "", "hash": "0", "source": {"container": "c", "member": "a", "line": 1}, "n_chars": 0,
}


def _jsonl_with_text(escaped_text: str) -> str:
    """A record line whose `text` is written with JSON escapes as given (json.dumps would re-escape)."""
    line = json.dumps(RECORD, ensure_ascii=False)
    return line.replace('"text": ""', f'"text": "{escaped_text}"') + "\n"


@pytest.mark.parametrize("via", ["file", "stdin"])
def test_lone_surrogate_escape_is_a_clean_error(invoke, tmp_path, via):
    """A lone surrogate cannot be written as UTF-8: the line is refused with its place, never a crash."""
    data = _jsonl_with_text("x \\ud800 y")
    path = write(tmp_path / "r.jsonl", data.encode()) if via == "file" else "-"
    result = invoke(["normalize", path], input=data if via == "stdin" else None)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"{path}:1: not JSON (")
    assert "surrogate" in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("via", ["file", "stdin"])
def test_surrogate_pair_escape_is_the_character(invoke, tmp_path, via):
    data = _jsonl_with_text("ok \\ud83d\\udc4d\\u200d done")
    path = write(tmp_path / "r.jsonl", data.encode()) if via == "file" else "-"
    result = invoke(["normalize", path], input=data if via == "stdin" else None)
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout)["text"] == "ok 👍\u200d done"  # und: a ZWJ is not a bidi mark
