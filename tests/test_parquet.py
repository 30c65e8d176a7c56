"""Parquet out and in: the columns of the record, the same records back, bounded row groups, the
same bytes for the same records, Parquet read by normalize, dedup and stats as JSONL is, output
names newsingest writes and those it refuses, and the extra that Parquet needs."""

import gzip
import io
import os
import sys

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsingest import __version__
from newsingest.io.inputs import read_input
from newsingest.io.jsonl import dumps_record
from newsingest.io.parquet import EXTRA, ParquetLines, file_metadata, record_schema
from newsingest.record import Record

from .conftest import ROOT, SAMPLE


@pytest.fixture(scope="module")
def sample_jsonl(tmp_path_factory) -> bytes:
    from click.testing import CliRunner

    from newsingest.cli import cli

    result = CliRunner().invoke(cli, ["split", "--jobs", "1", str(ROOT / SAMPLE)], catch_exceptions=False)
    assert result.exit_code == 0
    return result.stdout.encode("utf-8")


def _parquet_of(lines: bytes, **bounds) -> bytes:
    out = io.BytesIO()
    with ParquetLines(out, {"stage": "test"}, **bounds) as writer:
        for line in lines.splitlines(keepends=True):
            writer.write(line)
    return out.getvalue()


def _read_back(data: bytes, path: str = "x.parquet", on_invalid=None) -> bytes:
    stream = io.BufferedReader(io.BytesIO(data))
    return b"".join(dumps_record(record) for record in read_input(stream, path, on_invalid))


# --- the schema -----------------------------------------------------------------------------------


def test_every_record_field_has_its_column_of_its_type():
    schema = record_schema()
    assert schema.names == [*Record.model_fields, EXTRA]
    assert schema.field("id").type == pa.string() and not schema.field("id").nullable
    assert schema.field("title").nullable and schema.field(EXTRA).nullable
    assert schema.field("n_chars").type == pa.int64() and schema.field("language_score").type == pa.float64()
    assert schema.field("truncated").type == pa.bool_()
    languages = schema.field("languages")
    assert languages.nullable and languages.type == pa.list_(pa.field(
        "item", pa.struct([pa.field("language", pa.string(), False), pa.field("share", pa.float64(), False)]), False))
    assert schema.field("source").type == pa.struct([pa.field("container", pa.string(), False),
                                                     pa.field("member", pa.string(), True),
                                                     pa.field("line", pa.int64(), False)])
    assert schema.field("captions").type == pa.list_(pa.field("item", pa.string(), False))


def test_a_field_added_to_the_record_is_a_column(monkeypatch):
    from typing import Optional

    from pydantic import create_model

    from newsingest.io import parquet

    Wider = create_model("Wider", __base__=Record, reviewed=(Optional[bool], None), tags=(list[str], []))
    monkeypatch.setattr(parquet, "Record", Wider)
    schema = parquet.record_schema()
    assert schema.names[-3:] == ["reviewed", "tags", EXTRA]
    assert schema.field("reviewed").type == pa.bool_() and schema.field("reviewed").nullable


# --- writing and reading back -------------------------------------------------------------------------


def test_the_records_come_back_as_the_same_jsonl_bytes(sample_jsonl):
    assert _read_back(_parquet_of(sample_jsonl)) == sample_jsonl


def test_fields_of_other_tools_go_to_extra_and_come_back(sample_jsonl):
    lines = []
    for k, line in enumerate(sample_jsonl.splitlines()):
        record = orjson.loads(line)
        if k % 2:
            record["tool_score"] = 0.5
            record["tags"] = {"kept": ["a", {"b": None}]}
        lines.append(orjson.dumps(record) + b"\n")
    lines.append(b'{"id":"big","text":"t","hash":"h","source":{"container":"c","member":null,"line":1},'
                 b'"n_chars":1,"huge":123456789012345678901234567890}\n')
    jsonl = b"".join(dumps_record(Record.model_validate_json(line)) for line in lines)
    data = _parquet_of(jsonl)
    table = pq.read_table(io.BytesIO(data))
    extras = table.column(EXTRA).to_pylist()
    assert extras[0] is None and orjson.loads(extras[1]) == {"tool_score": 0.5, "tags": {"kept": ["a", {"b": None}]}}
    assert extras[-1] == '{"huge":123456789012345678901234567890}'  # beyond 64 bits, exact
    assert _read_back(data) == jsonl


def test_row_groups_are_bounded_by_rows_and_by_bytes(sample_jsonl):
    lines = sample_jsonl * 4  # 20 records
    assert pq.ParquetFile(io.BytesIO(_parquet_of(lines, row_group_rows=3))).metadata.num_row_groups == 7
    sizes = [len(line) for line in lines.splitlines(keepends=True)]
    by_bytes = pq.ParquetFile(io.BytesIO(_parquet_of(lines, row_group_bytes=min(sizes))))
    assert by_bytes.metadata.num_row_groups == 20  # each record fills a group
    by_bytes = pq.ParquetFile(io.BytesIO(_parquet_of(lines, row_group_bytes=sum(sizes[:5]))))
    assert [by_bytes.metadata.row_group(k).num_rows for k in range(4)] == [5, 5, 5, 5]
    assert pq.ParquetFile(io.BytesIO(_parquet_of(lines))).metadata.num_row_groups == 1
    assert _read_back(_parquet_of(lines, row_group_rows=3)) == lines


def test_the_same_records_give_the_same_bytes_with_the_options_in_the_metadata(tmp_path, invoke):
    for jobs in ("1", "2"):
        assert invoke(["split", "--jobs", jobs, str(ROOT / SAMPLE), "-o", str(tmp_path / f"{jobs}.parquet")]).exit_code == 0
    assert (tmp_path / "1.parquet").read_bytes() == (tmp_path / "2.parquet").read_bytes()
    stored = pq.ParquetFile(tmp_path / "1.parquet")
    assert stored.metadata.num_rows == 5
    assert stored.schema_arrow.field("languages").type == record_schema().field("languages").type
    metadata = file_metadata(str(tmp_path / "1.parquet"))
    assert metadata["version"] == __version__
    assert metadata["options"]["stage"] == "split" and metadata["options"]["keep_boilerplate"] is False
    assert "engine" not in metadata["options"]


# --- names and formats ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["out.csv", "out.json.bz3", "out.arrow", "out.json", "out.parquet.gz"])
def test_an_output_name_newsingest_does_not_write_is_a_usage_error(tmp_path, invoke, name):
    result = invoke(["split", str(ROOT / SAMPLE), "-o", str(tmp_path / name)])
    assert result.exit_code == 2
    assert "NAME.jsonl.gz" in result.stderr and "NAME.parquet" in result.stderr or "compresses its own" in result.stderr
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("args, said", [
    (["-o", "x.parquet", "--format", "jsonl"], "drop --format, or give a name that goes with it"),
    (["-o", "x.jsonl.gz", "--format", "parquet"], "drop --format, or give a name that goes with it"),
    (["-o", "x.gz", "--format", "parquet"], "a Parquet file compresses its own columns (zstd) — name it NAME.parquet"),
])
def test_a_format_that_contradicts_the_name_is_a_usage_error(tmp_path, invoke, args, said, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in ("split", "normalize", "dedup"):
        result = invoke([command, *args], input=b"")
        assert result.exit_code == 2 and said in result.stderr
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name", ["out", "out.jsonl", "out.ndjson", "out.gz", "out.jsonl.gz", "out.jsonl.xz", "out.bz2"])
def test_jsonl_names_are_written_as_before(tmp_path, invoke, name, sample_jsonl):
    assert invoke(["split", "--jobs", "1", str(ROOT / SAMPLE), "-o", str(tmp_path / name)]).exit_code == 0
    from newsingest.io.streams import open_input

    with open_input(str(tmp_path / name)) as stream:
        assert stream.read() == sample_jsonl


def test_parquet_to_standard_output_and_back_through_a_pipe(invoke, sample_jsonl):
    result = invoke(["split", "--jobs", "1", "--format", "parquet", str(ROOT / SAMPLE)])
    assert result.exit_code == 0 and result.stdout_bytes.startswith(b"PAR1")
    assert _read_back(result.stdout_bytes) == sample_jsonl


# --- shards -----------------------------------------------------------------------------------------------


def test_parquet_shards_are_complete_files_cut_as_jsonl_shards_are(tmp_path, invoke, sample_jsonl):
    sample = str(ROOT / SAMPLE)
    for fmt in ("jsonl", "parquet"):
        args = ["split", "--jobs", "1", sample, sample, "-o", f"{tmp_path}/{fmt}/", "--shard-size", "10KB"]
        assert invoke([*args, "--format", fmt]).exit_code == 0
    names = sorted(os.listdir(tmp_path / "parquet"))
    assert names[0] == ".newsingest" and names[1:] == [f"part-{k:05d}.parquet" for k in range(len(names) - 1)]
    assert len(names) - 1 == len(os.listdir(tmp_path / "jsonl")) - 1 > 1
    files = [pq.ParquetFile(tmp_path / "parquet" / name) for name in names[1:]]
    assert all(f.schema_arrow == files[0].schema_arrow for f in files)  # one schema for every shard
    jsonl_shards = sorted((tmp_path / "jsonl").glob("part-*"))
    assert [f.metadata.num_rows for f in files] == [gzip.decompress(p.read_bytes()).count(b"\n") for p in jsonl_shards]
    back = b"".join(_read_back((tmp_path / "parquet" / n).read_bytes()) for n in names[1:])
    assert back == b"".join(gzip.decompress(p.read_bytes()) for p in jsonl_shards)


def test_a_resume_with_another_format_is_refused(tmp_path, invoke):
    sample = str(ROOT / SAMPLE)
    assert invoke(["split", "--jobs", "1", sample, "-o", f"{tmp_path}/out/", "--format", "parquet"]).exit_code == 0
    result = invoke(["split", "--jobs", "1", sample, "-o", f"{tmp_path}/out/", "--resume"])
    assert result.exit_code == 1 and "format: 'parquet' then, 'jsonl' now" in result.stderr


# --- normalize, dedup and stats read Parquet ----------------------------------------------------------------


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, sample_jsonl):
    """The sample split twice over (exact duplicates for dedup), as JSONL and as Parquet."""
    folder = tmp_path_factory.mktemp("inputs")
    lines = sample_jsonl + sample_jsonl.replace(b'{"id":"', b'{"id":"again/')
    (folder / "r.jsonl").write_bytes(lines)
    (folder / "r.parquet").write_bytes(_parquet_of(lines))
    (folder / "named-as-jsonl.jsonl").write_bytes(_parquet_of(lines))  # told by its bytes, not its name
    return folder


@pytest.mark.parametrize("command", [["normalize"], ["dedup"], ["dedup", "--drop"], ["stats", "--json"]])
def test_normalize_dedup_and_stats_read_parquet_as_jsonl(inputs, invoke, command):
    jobs = [] if command[0] == "stats" else ["--jobs", "1"]
    expected = invoke([*command, *jobs, str(inputs / "r.jsonl")])
    assert expected.exit_code == 0 and expected.stdout
    for name in ("r.parquet", "named-as-jsonl.jsonl"):
        result = invoke([*command, *jobs, str(inputs / name)])
        assert (result.exit_code, result.stderr, result.stdout) == (0, "", expected.stdout)
    piped = invoke([*command, *jobs, "-"], input=(inputs / "r.parquet").read_bytes())
    assert (piped.exit_code, piped.stderr, piped.stdout) == (0, "", expected.stdout)


def test_normalize_writes_parquet_from_parquet(inputs, invoke, tmp_path):
    assert invoke(["normalize", "--jobs", "1", str(inputs / "r.parquet"), "-o", str(tmp_path / "n.parquet")]).exit_code == 0
    expected = invoke(["normalize", "--jobs", "1", str(inputs / "r.jsonl")]).stdout.encode("utf-8")
    assert _read_back((tmp_path / "n.parquet").read_bytes()) == expected
    assert file_metadata(str(tmp_path / "n.parquet"))["options"]["stage"] == "normalize"


# --- rows that are not records, files that are not Parquet -------------------------------------------------------


def test_a_row_that_is_not_a_record_is_reported_with_its_row(tmp_path, invoke):
    table = pa.table({"id": ["a", "b", "c"], "text": ["x", None, "z"], "hash": ["h", "h", "h"],
                      "source": [{"container": "c", "member": None, "line": 1}] * 3, "n_chars": [1, 1, 1]})
    path = tmp_path / "other.parquet"
    pq.write_table(table, path)
    result = invoke(["stats", "--json", str(path)])
    assert result.exit_code == 1
    assert result.stderr == (f"{path}:2: not a newsingest record: text: Input should be a valid string — "
                             "`newsingest schema` lists the fields and their types, or pass --skip-invalid to go "
                             "on without it\n")
    skipped = invoke(["stats", "--json", "--skip-invalid", str(path)])
    assert skipped.exit_code == 1 and orjson.loads(skipped.stdout)["articles"] == 2
    assert skipped.stderr.startswith(f"{path}:2: not a newsingest record: text: Input should be a valid string; skipped")


def test_a_damaged_parquet_file_is_reported_not_a_crash(tmp_path, invoke, sample_jsonl):
    path = tmp_path / "cut.parquet"
    path.write_bytes(_parquet_of(sample_jsonl)[:-100])
    result = invoke(["normalize", str(path)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"{path}:1: not a readable Parquet file (")
    assert result.stderr.endswith("— check the file's download or copy, or pass --skip-invalid to go on without it\n")


# --- without pyarrow -------------------------------------------------------------------------------------------


@pytest.fixture
def no_pyarrow(monkeypatch):
    for name in [n for n in sys.modules if n == "pyarrow" or n.startswith("pyarrow.")]:
        monkeypatch.setitem(sys.modules, name, None)  # `import pyarrow` raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow", None)


@pytest.mark.parametrize("args", [["split", str(ROOT / SAMPLE), "-o", "{tmp}/x.parquet"],
                                  ["split", str(ROOT / SAMPLE), "-o", "{tmp}/d/", "--format", "parquet"],
                                  ["normalize", "--format", "parquet", "-"], ["stats", "{parquet}"],
                                  ["dedup", "{parquet}"]])
def test_without_pyarrow_parquet_is_a_usage_error_naming_the_extra(tmp_path, invoke, inputs, no_pyarrow, args):
    args = [a.format(tmp=tmp_path, parquet=inputs / "r.parquet") for a in args]
    result = invoke(args, input=b"")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: Parquet needs pyarrow: pip install 'newsingest[parquet]'\n")
    assert os.listdir(tmp_path) == []
    assert invoke(["stats", "--json", str(inputs / "r.jsonl")]).exit_code == 0  # JSONL needs no pyarrow
