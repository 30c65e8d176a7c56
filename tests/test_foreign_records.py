"""Records from other tools: trafilatura's JSON and datatrove's JSONL read by `normalize`, `dedup`
and `stats`, the fields they lack filled in, theirs kept; as a file and as `-`."""

import io
import json

import pytest

from newsingest.io.foreign import adopt
from newsingest.io.jsonl import read_records
from newsingest.stages.dedup import text_hash
from newsingest.stages.langid import identify

from .conftest import FIXTURES, write

TRAFILATURA = "tests/fixtures/trafilatura.jsonl"
DATATROVE = "tests/fixtures/datatrove.jsonl"
CONTENT = "tests/fixtures/content_field.jsonl"
VIAS = ["file", "stdin"]
AGAIN = ", or pass --skip-invalid to go on without it"


def lines_of(path: str) -> list[dict]:
    return [json.loads(line) for line in (FIXTURES.parent.parent / path).read_text(encoding="utf-8").splitlines()]


def records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def run(invoke, command: str, path: str, via: str, *options: str):
    """A records command on a fixture, from the file or from `-`; the container name records give it."""
    if via == "file":
        return invoke([command, *options, path]), path
    return invoke([command, *options, "-"], input=(FIXTURES.parent.parent / path).read_bytes()), "-"


def label(container: str, path: str) -> str:
    return "stdin" if container == "-" else path.rsplit("/", 1)[-1]


def filled(text: str, container: str, line: int, **more) -> dict:
    """What adoption adds for a text at a line: hash, length, place, and the language when it is found."""
    found = identify(text)
    fields = {"hash": text_hash(text), "n_chars": len(text),
              "source": {"container": container, "member": None, "line": line},
              "language": found.language, "language_score": found.score, "languages": None}
    fields.update(more)
    return fields


# --- trafilatura ----------------------------------------------------------------------------------


@pytest.mark.parametrize("via", VIAS)
def test_trafilatura_json_is_filled_in_and_kept_whole(in_root, invoke, via):
    result, container = run(invoke, "normalize", TRAFILATURA, via)
    assert (result.exit_code, result.stderr) == (0, "")
    out = records(result.stdout)
    given = lines_of(TRAFILATURA)
    name = label(container, TRAFILATURA)
    assert [r["id"] for r in out] == [f"{name}:1", f"{name}:2", "jembatan-2024", f"{name}:4"]
    first = out[0]
    assert {key: first[key] for key in ("hash", "n_chars", "source", "language", "language_score", "languages")} == \
        filled(given[0]["text"], container, 1)
    assert first["language"] == "fa"
    # trafilatura's `source` is the page's URL: our `url`, and the value itself kept under `original`
    assert first["url"] == "https://example-news.ir/news/1001"
    assert first["original"] == {"source": "https://example-news.ir/news/1001"}
    assert first["date_published"] == "2024-08-22" and first["date"] == "2024-08-22"
    assert first["title"] == "دیدار نخست وزیران چین و بلاروس"
    # every field of trafilatura's passes through; only `id` (null), `text`, `source` and `language` (null) are ours
    for key in set(given[0]) - {"id", "text", "source", "language"}:
        assert first[key] == given[0][key], key
    # a language it names is kept as it is (no score was given); an empty one is identified
    assert (out[1]["language"], out[1]["language_score"]) == ("ar", 0.0)
    assert (out[2]["language"], out[2]["url"]) == ("id", "https://contoh-berita.co.id/daerah/jembatan")
    # a date that is not an ISO date fills nothing, and stays as it was
    assert (out[2]["date_published"], out[2]["date"]) == (None, "14/05/2024")
    assert out[3]["date_published"] is None


@pytest.mark.parametrize("via", VIAS)
def test_trafilatura_copies_are_found_by_dedup(in_root, invoke, via):
    result, container = run(invoke, "dedup", TRAFILATURA, via)
    assert (result.exit_code, result.stderr) == (0, "")
    name = label(container, TRAFILATURA)
    marks = [(r["id"], r["dup_of"], r["dup_kind"]) for r in records(result.stdout)]
    assert marks == [(f"{name}:1", None, None), (f"{name}:2", None, None), ("jembatan-2024", None, None),
                     (f"{name}:4", f"{name}:1", "exact")]


# --- datatrove ------------------------------------------------------------------------------------


@pytest.mark.parametrize("via", VIAS)
def test_datatrove_jsonl_keeps_its_ids_and_metadata(in_root, invoke, via):
    result, container = run(invoke, "normalize", DATATROVE, via)
    assert (result.exit_code, result.stderr) == (0, "")
    out = records(result.stdout)
    given = lines_of(DATATROVE)
    assert [r["id"] for r in out] == [d["id"] for d in given]
    for line, (record, theirs) in enumerate(zip(out, given), 1):
        assert record["media"] == [] and record["metadata"] == theirs["metadata"]
        assert "original" not in record
        expected = filled(theirs["text"], container, line)
        if "language" in theirs["metadata"]:  # datatrove's language is kept, with no score of ours
            expected.update(language=theirs["metadata"]["language"], language_score=0.0)
        assert {key: record[key] for key in expected} == expected
        assert record["url"] == theirs["metadata"].get("url")  # taken from datatrove's metadata
    assert [r["language"] for r in out] == ["fa", "id", "ar", "fa"]


@pytest.mark.parametrize("via", VIAS)
def test_datatrove_copies_are_found_by_dedup(in_root, invoke, via):
    result, _ = run(invoke, "dedup", DATATROVE, via, "--drop")
    assert (result.exit_code, result.stderr) == (0, "")
    given = lines_of(DATATROVE)
    # the last one differs by a punctuation mark only: the same dedup key, the first copy kept
    assert [r["id"] for r in records(result.stdout)] == [given[0]["id"], given[1]["id"], given[2]["id"]]


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("path", [TRAFILATURA, DATATROVE])
def test_stats_counts_records_from_other_tools(in_root, invoke, path, via):
    result, _ = run(invoke, "stats", path, via, "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    figures = json.loads(result.stdout)
    assert figures["articles"] == 4
    assert figures["chars"] == sum(len(d["text"]) for d in lines_of(path))
    assert sorted(figures["languages"]) == ["ar", "fa", "id"]


# --- --text-field ---------------------------------------------------------------------------------


@pytest.mark.parametrize("via", VIAS)
def test_text_field_names_the_text_of_another_tool(in_root, invoke, via):
    result, container = run(invoke, "normalize", CONTENT, via, "--text-field", "content")
    assert (result.exit_code, result.stderr) == (0, "")
    out = records(result.stdout)
    given = lines_of(CONTENT)
    # the field is renamed, not copied; a number id is its decimal string, an empty one is replaced
    assert [r["id"] for r in out] == ["17", f"{label(container, CONTENT)}:2"]
    assert all("content" not in r for r in out)
    assert out[0]["text"] == given[0]["content"] and out[0]["url"] == given[0]["url"]
    assert "original" not in out[0]
    # its own `text` (a summary, here) is kept under `original`
    assert out[1]["text"] == given[1]["content"]
    assert out[1]["original"] == {"text": "Jembatan baru diresmikan — ringkasan"}
    assert out[1]["title"] == "Jembatan baru diresmikan"
    expected = filled(given[1]["content"], container, 2)
    assert {key: out[1][key] for key in expected} == expected


def test_text_field_goes_to_stats_and_dedup(in_root, invoke):
    stats = invoke(["stats", "--json", "--text-field", "content", CONTENT])
    assert (stats.exit_code, json.loads(stats.stdout)["articles"]) == (0, 2)
    dedup = invoke(["dedup", "--text-field", "content", CONTENT])
    assert dedup.exit_code == 0 and [r["id"] for r in records(dedup.stdout)] == ["17", "content_field.jsonl:2"]


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("command", ["normalize", "dedup", "stats"])
def test_no_text_field_says_which_to_name(in_root, invoke, command, via):
    options = ["--json"] if command == "stats" else []
    result, container = run(invoke, command, CONTENT, via, *options)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (f"{container}:1: not a newsingest record, and no 'text' field (its fields: content, url, id)"
                             f" — pass --text-field NAME with the field that holds the text{AGAIN}\n")


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("command", ["normalize", "dedup", "stats"])
def test_skip_invalid_goes_on_past_a_line_without_its_text(invoke, tmp_path, command, via):
    text = "Pemerintah daerah meresmikan jembatan baru yang menghubungkan dua kecamatan."
    data = (json.dumps({"id": "a", "text": text}) + "\n" + json.dumps({"body": "x", "id": "b"}) + "\n"
            + json.dumps({"id": "c", "text": text + " Lagi."}) + "\n" + json.dumps({"text": None}) + "\n").encode()
    path = write(tmp_path / "in.jsonl", data) if via == "file" else "-"
    args = [command, *(["--json"] if command == "stats" else []), "--skip-invalid", path]
    result = invoke(args, input=data if via == "stdin" else None)
    assert result.exit_code == 1
    if command == "stats":
        assert json.loads(result.stdout)["articles"] == 2
    else:
        assert [r["id"] for r in records(result.stdout)] == ["a", "c"]
    assert result.stderr.startswith(
        f"{path}:2: not a newsingest record, and no 'text' field (its fields: body, id); skipped — pass --text-field "
        f"NAME with the field that holds the text\n"
        f"{path}:4: the 'text' field is null, not text; skipped — give the field that holds the text as a string "
        f"with --text-field NAME\n")


def test_text_field_with_plain_is_a_usage_error(invoke):
    result = invoke(["normalize", "--plain", "--lang", "fa", "--text-field", "content"], input="x\n")
    assert result.exit_code == 2 and "--text-field does nothing with --plain" in result.stderr


# --- the rules, in the library --------------------------------------------------------------------


def test_a_record_of_ours_is_left_as_it_is():
    for line in (FIXTURES / "sample_corpus.jsonl").read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        assert adopt(data, "x.jsonl", 1, "content") is data


def test_the_golden_sample_goes_through_normalize_unchanged_by_adoption(invoke):
    golden = str(FIXTURES / "sample_corpus.jsonl")
    plain = invoke(["normalize", golden])
    other = invoke(["normalize", "--text-field", "content", golden])
    assert plain.exit_code == other.exit_code == 0 and plain.stdout == other.stdout
    assert [r["id"] for r in records(plain.stdout)] == [r["id"] for r in lines_of("tests/fixtures/sample_corpus.jsonl")]


def test_fields_of_ours_in_another_type_are_kept_under_original():
    text = "Pemerintah daerah meresmikan jembatan baru yang menghubungkan dua kecamatan."
    data = {"id": ["x"], "text": text, "title": ["a", "b"], "truncated": "maybe", "language": {"code": "id"},
            "source": 7, "date_published": None, "original": "theirs", "n_words": 9}
    record = next(read_records(io.BytesIO(json.dumps(data).encode() + b"\n"), "-"))
    assert record.id == "stdin:1" and record.title is None and record.truncated is False
    assert (record.language, record.url) == ("id", None)
    assert record.source.model_dump() == {"container": "-", "member": None, "line": 1}
    assert record.model_extra == {
        "n_words": 9,
        "original": {"id": ["x"], "source": 7, "language": {"code": "id"}, "title": ["a", "b"], "truncated": "maybe",
                     "original": "theirs"},
    }


def test_an_iso_date_fills_date_published_and_nothing_else_does():
    text = "Pemerintah daerah meresmikan jembatan baru yang menghubungkan dua kecamatan."
    for date, published in (("2024-05-14", "2024-05-14"), ("2024-02-30", None), ("2024-05-14T10:00:00Z", None),
                            ("14 Mei 2024", None), (20240514, None)):
        assert adopt({"text": text, "date": date}, "a.jsonl", 3).get("date_published") == published, date
    given = adopt({"text": text, "date": "2024-05-14", "date_published": "2024-05-13"}, "a.jsonl", 3)
    assert given["date_published"] == "2024-05-13"


def test_a_resume_with_another_text_field_is_refused(in_root, invoke, tmp_path):
    out = f"{tmp_path}/out/"
    first = invoke(["normalize", "-q", "--text-field", "content", CONTENT, "-o", out])
    again = invoke(["normalize", "-q", CONTENT, "-o", out, "--resume"])
    assert first.exit_code == 0 and again.exit_code == 1
    assert again.stderr == (f"newsingest: {out}: the options differ from the interrupted run's (text_field: 'content' "
                            "then, 'text' now); resume with the same options — or start afresh in an empty folder "
                            "without --resume\n")


DOC = (FIXTURES.parent.parent / "docs" / "foreign-records.md").read_text(encoding="utf-8")


def test_the_documented_example_and_message_hold(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    example = DOC.split("\n{\"text\": ", 1)[1].split("\n", 1)[0]
    (tmp_path / "pages.jsonl").write_text('{"text": ' + example + "\n", encoding="utf-8")
    record = records(invoke(["normalize", "pages.jsonl"]).stdout)[0]
    shown = DOC.split("\n→ ", 1)[1].split("\n```", 1)[0]
    for field in ("id", "language", "url", "date_published", "date"):
        assert f'"{field}": "{record[field]}"' in shown, field
    assert f'"source": {json.dumps(record["source"])}' in shown
    assert f'"original": {json.dumps(record["original"])}' in shown

    (tmp_path / "crawl.jsonl").write_bytes((FIXTURES / "content_field.jsonl").read_bytes())
    message = invoke(["normalize", "crawl.jsonl"]).stderr
    assert "\n" + message in DOC
