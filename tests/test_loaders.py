"""Every output loads in the tools a corpus is read with: pyarrow, DuckDB, polars, pandas and HF
`datasets`, a JSONL file, a Parquet file and folders of shards of each (the manifest is seen by
none of them), and every row is the record newsingest wrote.

Parquet carries its types, so it loads unchanged everywhere. JSON does not: a loader guesses each
column's type from the values it meets, so polars and `datasets` are given the record's types
(`newsingest.io.parquet.record_schema()`) for JSONL, where a column that is null in the first
shard (a publisher, `languages`, `dup_of`) would else be typed null; DuckDB, pyarrow and
`datasets` read the ISO dates of `date_published` as dates (compared as dates here).
"""

import datetime
import glob
import math
import os

import pytest

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import datasets  # noqa: E402
import duckdb  # noqa: E402
import numpy as np  # noqa: E402
import orjson  # noqa: E402
import pandas as pd  # noqa: E402
import polars as pl  # noqa: E402
import pyarrow.json as pajson  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from newsingest.io.jsonl import dumps_record  # noqa: E402
from newsingest.io.parquet import EXTRA, record_schema  # noqa: E402
from newsingest.pipeline import ShardSink, StreamSink, split_files  # noqa: E402
from newsingest.record import Record  # noqa: E402

from .conftest import ROOT, SAMPLE  # noqa: E402

datasets.disable_progress_bars()

# The record's types, for the loaders of JSON that need them (JSON has no column `extra`), as
# docs/formats.md gives them.
JSON_SCHEMA = record_schema().remove(record_schema().get_field_index(EXTRA))


def _synthetic(languages: bool) -> list[Record]:
    """Forty records: none normalized (`normalization: []`); the publisher and, with ``languages``,
    the `languages` list only in the later ones (null in every record of the first shard)."""
    records = []
    for k in range(40):
        late = k >= 25
        records.append(Record(
            id=f"doc-{k}", text=f"Article number {k}, with a sentence or two of text.", title=f"Title {k}",
            language="en", language_score=0.9, hash=f"{k:032x}",
            languages=[{"language": "en", "share": 0.75}, {"language": "fa", "share": 0.25}] if languages and late else None,
            publisher="The Daily" if late else None, date_published="2024-05-0%d" % (1 + k % 9) if k % 2 else None,
            source={"container": "c.txt", "member": f"doc-{k}", "line": 1 + 3 * k}, n_chars=40 + k,
            normalization=[], captions=["a caption"] if k % 5 == 0 else [],
            boilerplate=[{"text": "Share this", "reason": "share_prompt", "line": 2 + 3 * k}] if k % 3 == 0 else [],
        ))
    return records


def _write(records: list[Record], sink) -> None:
    """The records through a sink, as an engine writes them (one input)."""
    with sink.open([str(ROOT / SAMPLE)], {"stage": "test"}) as out:
        for record in records:
            out.write(0, dumps_record(record))
        out.input_done(0)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """For each corpus, its JSONL records and where each output of them is."""
    made = {}
    sample = str(ROOT / SAMPLE)
    for name in ("sample", "not normalized", "some languages"):
        folder = tmp_path_factory.mktemp(name.replace(" ", "-"))
        outputs = {"jsonl file": folder / "c.jsonl", "parquet file": folder / "c.parquet",
                   "jsonl shards": folder / "js", "parquet shards": folder / "ps"}
        sinks = {"jsonl file": StreamSink(str(outputs["jsonl file"])),
                 "parquet file": StreamSink(str(outputs["parquet file"])),
                 "jsonl shards": ShardSink(str(outputs["jsonl shards"]), 12_000),
                 "parquet shards": ShardSink(str(outputs["parquet shards"]), 12_000, format="parquet")}
        for kind, sink in sinks.items():
            if name == "sample":
                split_files([sample, sample], sink=sink)
            else:
                _write(_synthetic(languages=name == "some languages"), sink)
        lines = outputs["jsonl file"].read_bytes().splitlines()
        assert len(os.listdir(outputs["parquet shards"])) > 2  # shards, and the manifest's folder
        made[name] = ([orjson.loads(line) for line in lines], outputs)
    return made


def _plain(value):
    """A loader's value as JSON has it: numpy arrays and scalars, NaN for null (pandas), dates."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (datetime.datetime, pd.Timestamp)):
        assert value.time() == datetime.time(0)
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _files(path) -> list[str]:
    return sorted(glob.glob(f"{path}/*")) if path.is_dir() else [str(path)]


def _pattern(path) -> str:
    return f"{path}/*" if path.is_dir() else str(path)


def _hf(kind: str, path, cache) -> list[dict]:
    builder = "json" if kind.startswith("jsonl") else "parquet"
    where = {"data_dir": str(path)} if path.is_dir() else {"data_files": str(path)}
    features = datasets.Features.from_arrow_schema(JSON_SCHEMA) if builder == "json" else None
    loaded = datasets.load_dataset(builder, **where, features=features, cache_dir=str(cache), split="train")
    rows = list(loaded)
    if builder == "json":  # the dates pyarrow read as timestamps, cast back to the strings of the features
        for row in rows:
            if row["date_published"] is not None:
                row["date_published"] = row["date_published"].removesuffix(" 00:00:00")
    return rows


LOADERS = {
    "pyarrow": lambda kind, path, cache: (
        pq.read_table(str(path)).to_pylist() if kind.startswith("parquet")
        else [row for name in _files(path) for row in pajson.read_json(name).to_pylist()]),
    "duckdb": lambda kind, path, cache: _duckdb(
        f"read_parquet('{_pattern(path)}')" if kind.startswith("parquet") else f"read_json_auto('{_pattern(path)}')"),
    "polars": lambda kind, path, cache: (
        pl.read_parquet(_pattern(path)).to_dicts() if kind.startswith("parquet")
        else pl.read_ndjson(_pattern(path), schema=pl.from_arrow(JSON_SCHEMA.empty_table()).schema).to_dicts()),
    "pandas": lambda kind, path, cache: (
        pd.read_parquet(str(path)).to_dict("records") if kind.startswith("parquet")
        else [row for name in _files(path)
              for row in pd.read_json(name, lines=True, dtype=False, precise_float=True).to_dict("records")]),
    "datasets": _hf,
}


def _duckdb(source: str) -> list[dict]:
    relation = duckdb.sql(f"SELECT * FROM {source}")
    return [dict(zip(relation.columns, row)) for row in relation.fetchall()]


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("kind", ["jsonl file", "jsonl shards", "parquet file", "parquet shards"])
@pytest.mark.parametrize("corpus", ["sample", "not normalized", "some languages"])
def test_every_output_loads_as_the_records_written(corpora, corpus, kind, loader, tmp_path):
    records, outputs = corpora[corpus]
    rows = [_plain(row) for row in LOADERS[loader](kind, outputs[kind], tmp_path / "cache")]
    if kind.startswith("parquet"):
        assert all(row.pop(EXTRA) is None for row in rows)  # no field of another tool in these
    assert len(rows) == len(records)
    assert [row["id"] for row in rows] == [record["id"] for record in records]
    assert rows == records


def test_the_manifest_is_no_shard_to_any_loader(corpora):
    _, outputs = corpora["sample"]
    for folder in (outputs["jsonl shards"], outputs["parquet shards"]):
        assert os.path.isfile(folder / ".newsingest" / "manifest.json")
        assert sorted(os.path.basename(name) for name in glob.glob(f"{folder}/*")) == \
            sorted(name for name in os.listdir(folder) if name.startswith("part-"))
        listed = duckdb.sql(f"SELECT file FROM glob('{folder}/*')").fetchall()
        assert sorted(os.path.basename(file) for (file,) in listed) == sorted(
            name for name in os.listdir(folder) if name.startswith("part-"))


def test_two_shards_have_one_schema(corpora):
    for corpus in corpora:
        shards = sorted(glob.glob(f"{corpora[corpus][1]['parquet shards']}/*"))
        assert len(shards) > 1
        assert all(pq.read_schema(shard).equals(record_schema()) for shard in shards)
