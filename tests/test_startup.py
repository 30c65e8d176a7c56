"""Start-up: `--help` and a run over an empty input load no stage (docs/architecture.md, "What is
imported when"). Checked by the modules a command leaves imported in a fresh interpreter, never
by a clock; a command with work to do loads them, so the check can tell."""

import json
import os
import subprocess
import sys

import pytest

import newsingest

from .conftest import ROOT, container

# What a command that does no work must not import: the third-party libraries a stage needs, and
# the modules that build tables, load profiles or define the record model when imported.
HEAVY = (
    "pydantic", "numpy", "langdetect", "rich", "charset_normalizer", "tomllib", "tomli",
    "newsingest.record", "newsingest.resources", "newsingest.io.jsonl", "newsingest.stages.split",
    "newsingest.stages.extract", "newsingest.stages.dates", "newsingest.stages.langid",
    "newsingest.stages.dedup", "newsingest.stages.normalize",
)

# Runs the command line's entry point in this interpreter, then writes its exit code and the
# modules of HEAVY it left imported to the file named by the last argument.
_DRIVER = """
import json, sys
heavy, out = json.loads(sys.argv[-2]), sys.argv[-1]
from newsingest.cli import main
try:
    main(sys.argv[1:-2])
except SystemExit as exc:
    code = exc.code
with open(out, "w") as f:
    json.dump({"exit": code, "loaded": [name for name in heavy if name in sys.modules]}, f)
"""


def _run(tmp_path, args, stdin=b""):
    out = tmp_path / "loaded.json"
    done = subprocess.run([sys.executable, "-c", _DRIVER, *args, json.dumps(HEAVY), os.fspath(out)], input=stdin,
                          capture_output=True, cwd=ROOT)
    found = json.loads(out.read_text())
    return found["exit"], found["loaded"], done.stdout, done.stderr.decode()


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["split", "--help"], ["normalize", "--help"],
                                  ["dedup", "--help"], ["stats", "--help"], ["pack", "--help"], ["schema", "--help"]])
def test_help_loads_no_stage(tmp_path, args):
    code, loaded, stdout, _ = _run(tmp_path, args)
    assert code == 0
    assert loaded == []
    assert stdout.startswith(b"newsingest, version" if args == ["--version"] else b"Usage: newsingest")


@pytest.mark.parametrize("given", ["file", "-", "stdin"])
def test_split_of_an_empty_input_loads_no_stage(tmp_path, given):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    args = {"file": ["split", os.fspath(empty)], "-": ["split", "-"], "stdin": ["split"]}[given]
    code, loaded, stdout, stderr = _run(tmp_path, args)
    name = os.fspath(empty) if given == "file" else "-"
    assert (code, stdout, stderr) == (1, b"", f"{name}: empty file, no members — is this the right file?\n")
    assert loaded == []


def test_split_with_an_article_loads_its_stage(tmp_path):
    """The other side: the check sees the modules once there is work."""
    code, loaded, stdout, stderr = _run(tmp_path, ["split", "-", "-j", "1"],
                                        container("a.txt|Tehran is the capital of Iran and its largest city."))
    assert (code, stderr) == (0, "")
    assert json.loads(stdout)["id"] == "a.txt"
    assert {"pydantic", "numpy", "newsingest.record", "newsingest.stages.extract", "newsingest.stages.langid"} <= set(loaded)


def test_import_newsingest_loads_a_name_when_it_is_used(tmp_path):
    code = ("import json, sys; import newsingest; heavy = json.loads(sys.argv[1]);"
            "before = [m for m in heavy if m in sys.modules]; newsingest.Record;"
            "print(json.dumps([before, [m for m in heavy if m in sys.modules]]))")
    done = subprocess.run([sys.executable, "-c", code, json.dumps(HEAVY)], capture_output=True, check=True, cwd=ROOT)
    before, after = json.loads(done.stdout)
    assert before == []
    assert {"pydantic", "newsingest.record"} <= set(after)


def test_every_name_of_the_api_is_there():
    from newsingest.record import Record
    from newsingest.pipeline import split_files

    assert newsingest.Record is Record
    assert newsingest.split_files is split_files
    for name in newsingest.__all__:
        assert getattr(newsingest, name) is not None
    assert set(newsingest.__all__) <= set(dir(newsingest))
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        newsingest.nothing  # noqa: B018
