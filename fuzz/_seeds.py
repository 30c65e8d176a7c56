"""Seed corpora for the fuzz targets, from the sample corpus: each of its members as a container
of its own (with damaged variants), and each of its lines as a normalize input."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _write(directory: str, data: bytes) -> None:
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(directory, name), "wb") as handle:
        handle.write(data)


def _members():
    from newsingest.io.container import read_container

    for path in sorted((ROOT / "sample_corpus").glob("*.txt")):
        if path.name == "README.md":
            continue
        with open(path, "rb") as stream:
            yield from read_container(stream, str(path), lambda problem: None)


def seed_containers(directory: str, max_len: int = 4096) -> None:
    """Unless ``directory`` already holds inputs, fill it with small containers."""
    from newsingest.io.container import format_member

    os.makedirs(directory, exist_ok=True)
    if os.listdir(directory):
        return
    for member in _members():
        data = format_member(member.name, member.body[: max_len // 2]).encode("utf-8")
        _write(directory, data)
        _write(directory, data.replace(b"\n", b"\r\n"))  # CRLF
        _write(directory, data[: len(data) // 2])  # cut short: no <<<END>>>
        _write(directory, data.replace(b"<<<FILE ", b"<<<file "))  # an odd marker


def seed_texts(directory: str) -> None:
    """Unless ``directory`` already holds inputs, fill it with lines of the sample articles,
    each after an options byte (see fuzz_normalize.py)."""
    os.makedirs(directory, exist_ok=True)
    if os.listdir(directory):
        return
    for index, member in enumerate(_members()):
        for line_no, line in enumerate(member.body.splitlines()):
            if line.strip():
                _write(directory, bytes([(index + line_no) % 256]) + line.encode("utf-8"))


def fuzz(target, seed) -> None:
    """Run ``target`` under libFuzzer, its corpus folder (the first argument that is not an
    option) seeded first by ``seed``."""
    import sys

    import atheris

    corpus = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    if corpus:
        seed(corpus[0])
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()
