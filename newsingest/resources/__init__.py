"""Language resources: the data the stages are built from (word lists, phrases, months, the Persian lexicon).

Every language has a TOML file here (``fa.toml``, ``ar.toml``, ``id.toml`` ...), and ``common.toml``
holds what belongs to no language (agency and network names, domain endings). A file has one table
per concept (``[source]``, ``[related]``, ``[dates]``, ``[langid]`` ...) and a list of phrases, or a
small table, per key. The stages ask for a key over all languages with `words`, or per language
with `by_language`; the keys asked for are remembered, so a test can show that every key of every
file is read by some stage (docs/extraction.md: adding a phrase or a language).
"""

from __future__ import annotations

import sys
from functools import lru_cache
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

__all__ = ["COMMON", "languages", "table", "words", "by_language", "value", "used_keys", "all_keys"]

COMMON = "common"

# (concept, key) pairs a stage has asked for: tests/test_resources.py checks none is left unread.
_USED: set[tuple[str, str]] = set()


@lru_cache(maxsize=None)
def _files() -> dict[str, dict[str, Any]]:
    """Every data file, parsed, by its name without `.toml`: `common` first, then languages by code."""
    folder = resources.files(__name__)
    names = sorted(
        (entry.name[: -len(".toml")] for entry in folder.iterdir() if entry.name.endswith(".toml")),
        key=lambda name: (name != COMMON, name),
    )
    return {name: tomllib.loads(folder.joinpath(f"{name}.toml").read_text(encoding="utf-8")) for name in names}


def languages() -> tuple[str, ...]:
    """The codes of the languages that have a data file."""
    return tuple(name for name in _files() if name != COMMON)


def table(name: str) -> dict[str, Any]:
    """One file's data as parsed (``name`` is a language code or `common`)."""
    return _files()[name]


def value(name: str, concept: str, key: str, default: Any = None) -> Any:
    """One file's entry ``[concept] key``, or ``default`` when the file has none."""
    _USED.add((concept, key))
    return _files()[name].get(concept, {}).get(key, default)


def by_language(concept: str, key: str) -> dict[str, Any]:
    """``[concept] key`` of each file that has it, by file name (`common` first, then by code)."""
    _USED.add((concept, key))
    return {name: data[concept][key] for name, data in _files().items() if key in data.get(concept, {})}


def words(concept: str, key: str) -> tuple[Any, ...]:
    """The entries of list ``[concept] key`` of every file, once each, in file order (a pair as a tuple)."""
    merged: dict[Any, None] = {}
    for entries in by_language(concept, key).values():
        merged.update(dict.fromkeys(tuple(entry) if isinstance(entry, list) else entry for entry in entries))
    return tuple(merged)


def used_keys() -> frozenset[tuple[str, str]]:
    """The (concept, key) pairs read so far in this process."""
    return frozenset(_USED)


def all_keys() -> dict[tuple[str, str], list[str]]:
    """Every (concept, key) pair of the data files, with the files that hold it."""
    keys: dict[tuple[str, str], list[str]] = {}
    for name, data in _files().items():
        for concept, entries in data.items():
            for key in entries:
                keys.setdefault((concept, key), []).append(name)
    return keys
