import os
from pathlib import Path

# Dask workers of a LocalCluster (tests/test_cluster.py) are forked from a server process that has
# imported distributed once, as distributed's own test suite does, instead of each starting a fresh
# interpreter (`spawn`, the default): the same workers and records, started in a fraction of the
# processor time. Read by dask.config when dask is first imported, which is after this.
os.environ.setdefault("DASK_DISTRIBUTED__WORKER__MULTIPROCESSING_METHOD", "forkserver")

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from newsingest.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = "sample_corpus/articles.txt"
FIXTURES = ROOT / "tests" / "fixtures"

# Property tests are the same on every run and every machine: the examples come from a seed
# derived from each test (derandomize), never from a database of earlier runs, and nothing is
# timed (no deadline, no health check that measures how long generation took: a busy machine
# must not fail a test). HYPOTHESIS_PROFILE=long (tests/test_fuzz_properties.py) is a random,
# long run instead.
settings.register_profile(
    "suite",
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
if os.environ.get("HYPOTHESIS_PROFILE", "suite") == "suite":
    settings.load_profile("suite")


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
