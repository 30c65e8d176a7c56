"""The record format: version 2 (columnar-safe), and version 1 records read as version 2."""

import json

import pytest

from newsingest.record import SCHEMA_VERSION, Record

from .conftest import FIXTURES

V1 = FIXTURES / "sample_corpus.v1.jsonl"  # `split` output of version 0.1 (schema version 1)
V2 = FIXTURES / "sample_corpus.jsonl"


def lines(text: str):
    return [json.loads(line) for line in text.splitlines()]


def test_version_1_and_version_2_records_are_one_record():
    for old, new in zip(V1.read_text(encoding="utf-8").splitlines(), V2.read_text(encoding="utf-8").splitlines()):
        assert "schema_version" not in json.loads(old)
        assert Record.model_validate_json(old) == Record.model_validate_json(new)


def test_objects_keyed_by_name_become_lists_of_fixed_structs():
    record = Record.model_validate({
        "id": "a", "text": "x", "hash": "h", "n_chars": 1, "source": {"container": "c", "member": None, "line": 1},
        "languages": {"fa": 0.6, "en": 0.4}, "normalization": {"whitespace": 2},
    })
    dumped = record.model_dump()
    assert dumped["languages"] == [{"language": "fa", "share": 0.6}, {"language": "en", "share": 0.4}]
    assert dumped["normalization"] == [{"rule": "whitespace", "count": 2}]
    assert dumped["schema_version"] == SCHEMA_VERSION == 2


def test_a_record_of_a_newer_format_is_refused():
    with pytest.raises(ValueError, match="schema_version"):
        Record.model_validate({"id": "a", "text": "x", "hash": "h", "n_chars": 1, "schema_version": 3,
                               "source": {"container": "c", "member": None, "line": 1}})


@pytest.mark.parametrize("command", [["normalize"], ["dedup"], ["stats", "--json"]])
def test_commands_read_version_1_as_they_read_version_2(invoke, command):
    old = invoke(command, input=V1.read_bytes())
    new = invoke(command, input=V2.read_bytes())
    assert (old.exit_code, old.stderr) == (0, "")
    assert old.stdout == new.stdout
    if command[0] != "stats":
        assert all(record["schema_version"] == 2 for record in lines(old.stdout))
