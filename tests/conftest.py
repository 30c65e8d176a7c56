import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsingest.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = "sample_corpus/articles.txt"
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def in_root(monkeypatch):
    """Run from the repository root so that relative paths in records are the documented ones."""
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.fixture
def invoke():
    """Invoke the CLI in-process; stdout and stderr are kept apart like a shell pipeline would."""

    def run(args, input=None):
        return CliRunner().invoke(cli, args, input=input, catch_exceptions=False)

    return run


def container(*members: str) -> bytes:
    """A container from (name, body) pairs given as 'name|body' strings, for short tests."""
    out = []
    for member in members:
        name, _, body = member.partition("|")
        out.append(f"<<<FILE {name}>>>\n{body}\n<<<END>>>\n")
    return "".join(out).encode()


def write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return os.fspath(path)
