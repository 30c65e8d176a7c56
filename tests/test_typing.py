"""`make test` checks the types before it runs the tests: `mypy --strict` over the package, which
ships `py.typed`, configured once in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_mypy_is_strict_over_the_package_and_installed_by_the_dev_extra() -> None:
    config = PYPROJECT["tool"]["mypy"]
    assert config["strict"] is True and config["files"] == ["newsingest"]
    assert config["python_version"] == PYPROJECT["project"]["requires-python"].removeprefix(">=")
    assert any(req.startswith("mypy") for req in PYPROJECT["project"]["optional-dependencies"]["dev"])
    assert (ROOT / "newsingest" / "py.typed").is_file()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_test_checks_the_types_before_the_tests() -> None:
    planned = subprocess.run(["make", "-n", "test"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert planned.returncode == 0, planned.stderr
    lines = planned.stdout.splitlines()
    assert ".venv/bin/python -m mypy newsingest" in lines
    runs_tests = [i for i, line in enumerate(lines) if line.startswith(".venv/bin/python -m pytest ")]
    assert runs_tests and lines.index(".venv/bin/python -m mypy newsingest") < runs_tests[0]
